"""Model to output-ready data: the contexts of briefs, timelines, lists and single records,
plain JSON-ready values that the templates and the JSON formats render."""
