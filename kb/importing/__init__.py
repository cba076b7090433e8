"""Drafting records from outside material: news articles (plain text) and spreadsheets (CSV).

Everything here proposes; nothing is certain. Drafts carry an `unconfirmed` list that `kb check`
reports until a person has checked each entry.
"""
