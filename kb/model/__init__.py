"""The model: typed records, partial dates, countries, name matching and findings.

The bottom of the pipeline: it imports nothing else of kb's. Every layer above reads records
through these types.
"""
