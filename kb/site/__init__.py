"""`kb site`: the knowledge base as a static web site (pages, charts, graphs, client-side search).

Sits between views and the CLI: it reads the model through the query layer, keeps only what the
audience may read (visible.py), lays out charts and graphs as SVG (charts.py, graph.py), builds a
context per page (pages.py), renders them with the sandboxed templates in render/site/ and writes
only the files whose bytes changed (build.py).
"""
