"""Default Jinja2 templates for briefs and timelines; a knowledge base overrides any of them by name."""
