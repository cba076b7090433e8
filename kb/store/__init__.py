"""Files to model: finding the knowledge base, reading YAML safely and fast, validating against the
JSON Schemas, the cache of parsed records, and atomic, round-trip writes."""
