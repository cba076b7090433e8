"""Changing the knowledge base: new records, canonical layout (`kb fmt`), new knowledge bases
and the semantic summary of a change between two revisions."""
