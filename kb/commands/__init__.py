"""One module per command; the CLI layer only parses options and calls the core."""
