"""kb: a knowledge base of diplomatic meetings kept as YAML records under version control."""

__version__ = "0.1.0"
