"""Long pages in pages of at most ``ROWS`` rows, so that an edit rewrites the page holding its row.

A page whose lists (``LISTS``, by the page's kind) hold more than ``ROWS`` rows is cut into pages:
page N shows rows (N-1)*ROWS+1 to N*ROWS of each list, in the order the page lists them, which no
title edit moves. The first page keeps the page's file name (every link to it stays valid) and
alone shows what is not a list; the others are named after it (``commitments-2.html`` beside an
aggregate page, ``orgs/<id>/2.html`` under a record's page, where no record's id can reach).
Each page has its own digest, so a build renders only the pages whose rows moved.

A list is given as ``Rows``: each row's key (kb.site.pages: a complete function of what the row
shows) and how to make it. A page's digest is made from its rows' keys, and its rows are made only
when the page is rendered, so a build makes the rows of the pages that changed and no others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ROWS = 500
LISTS = {
    "commitments": ("overdue", "open", "closed"),
    "org": ("meetings", "open", "commitments", "mentions"),
    "person": ("meetings", "open", "commitments", "mentions"),
    "country": ("open", "meetings"),
    "topic": ("meetings",),
}
# What a later page shows besides its rows: the record's name, its marking and where it is kept.
KEPT = ("kind", "title", "marking", "path", "person", "org", "code", "ours", "topic")
# The lists whose number of rows a page shows (``totals``), by the page's kind: a page is given
# those alone, so that a row added to or removed from another list leaves it as it was.
COUNTED = {"commitments": ("overdue", "open", "closed"), "person": ("meetings",)}


def file(path: str, number: int) -> str:
    """The file of page ``number`` of the page at ``path``."""
    if number == 1:
        return path
    stem = path.removesuffix(".html")
    return f"{stem}/{number}.html" if "/" in path else f"{stem}-{number}.html"


def split(path: str, context: dict) -> list[tuple[str, dict]]:
    """Each page's file and context; a page of a kind without lists is left whole."""
    keys = LISTS.get(context.get("kind", ""), ())
    if not keys:
        return [(path, context)]
    totals = {key: len(context[key]) for key in keys}
    count = max(1, -(-max(totals.values()) // ROWS))
    found = []
    for number in range(1, count + 1):
        part = dict(context) if number == 1 else {key: context[key] for key in KEPT if key in context}
        start = (number - 1) * ROWS
        part |= {key: context[key][start : start + ROWS] for key in keys}
        part["totals"] = {key: totals[key] for key in COUNTED.get(context["kind"], ())}
        part["pagination"] = _links(path, number, count) if count > 1 else None
        found.append((file(path, number), part))
    return found


def _links(path: str, number: int, count: int) -> dict:
    """Page ``number`` of ``count``: the links to the one before and after, from the site's root."""
    return {
        "number": number,
        "of": count,
        "prev": file(path, number - 1) if number > 1 else None,
        "next": file(path, number + 1) if number < count else None,
        "first": path,
        "rows": ROWS,
    }


class Rows:
    """The rows of a page's list, made only when a page showing them is rendered: the items, each
    row's key (what the page's digest is made from) and how to make a row of an item."""

    __slots__ = ("items", "keys", "make")

    def __init__(self, items: Sequence, keys: list, make: Callable[..., dict]):
        self.items, self.keys, self.make = items, keys, make

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, part: slice) -> Rows:
        return Rows(self.items[part], self.keys[part], self.make)

    def made(self) -> list[dict]:
        return [self.make(item) for item in self.items]


def keyed(context: dict) -> dict:
    """The page's context with each list of rows as its rows' keys: what its digest is made from
    (the context itself when it has no such list)."""
    if not any(isinstance(value, Rows) for value in context.values()):
        return context
    return {key: value.keys if isinstance(value, Rows) else value for key, value in context.items()}


def made(context: dict) -> tuple[dict, int]:
    """The page's context with each list's rows made, and how many were made."""
    lists = {key: value.made() for key, value in context.items() if isinstance(value, Rows)}
    return {**context, **lists}, sum(map(len, lists.values()))
