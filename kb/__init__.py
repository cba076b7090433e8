"""kb: a knowledge base of diplomatic meetings kept as YAML records under version control."""

__version__ = "0.1.0"

# The name kb is installed under (`pip install diplomatic-kb`); the command stays `kb`. PyPI's
# `kb` is an unrelated project, so nothing of ours may ever install a distribution called kb.
DISTRIBUTION = "diplomatic-kb"
