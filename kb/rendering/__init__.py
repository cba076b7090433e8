"""Contexts to bytes: the Jinja2 templates (in the top-level ``render/`` folder, overridable per
knowledge base), findings reports, and writing output to a file or terminal."""
