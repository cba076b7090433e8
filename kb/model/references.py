"""The one table of where a record names a person or an organisation by id.

A merge rewrites every one of these (kb.authoring.merging), and `kb diff` reads a merge through
them (kb.authoring.changes). tests/test_merge.py holds the table to the schemas: every field of
every file kind that may hold an id is either listed here or named in ``NOT_PEOPLE_OR_ORGS``.
"""

from __future__ import annotations

from collections.abc import Iterator, Set

# (file kind, path, kinds of record the value may name). "*" stands for every item of a list.
# A party ('by', 'to', a claim's 'by') may also be a country code, which no merge touches.
REFERENCES: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("meeting", ("participants", "*", "person"), frozenset({"person"})),
    ("meeting", ("participants", "*", "org"), frozenset({"org"})),
    ("meeting", ("host",), frozenset({"org"})),
    ("meeting", ("outcomes", "*", "owner"), frozenset({"person", "org"})),
    ("meeting", ("outcomes", "*", "by", "*"), frozenset({"person", "org"})),
    ("meeting", ("outcomes", "*", "to", "*"), frozenset({"person", "org"})),
    ("meeting", ("claims", "*", "by"), frozenset({"person", "org"})),
    ("meeting", ("quotes", "*", "speaker"), frozenset({"person"})),
    ("person", ("roles", "*", "org"), frozenset({"org"})),
    ("org", ("parent",), frozenset({"org"})),
    ("config", ("our_org",), frozenset({"org"})),
)

# Fields holding ids (or slugs) of something other than a person or an organisation.
NOT_PEOPLE_OR_ORGS = frozenset(
    {
        ("meeting", ("id",)),
        ("meeting", ("topics", "*")),
        ("meeting", ("parent",)),
        ("meeting", ("follows", "*")),
        ("meeting", ("participants", "*", "post")),
        ("meeting", ("outcomes", "*", "id")),
        ("meeting", ("outcomes", "*", "fulfilled_by")),
        ("meeting", ("outcomes", "*", "revisited_in", "*")),
        ("meeting", ("outcomes", "*", "updates", "*", "meeting")),
        ("meeting", ("outcomes", "*", "follows_up")),
        ("person", ("id",)),
        ("person", ("roles", "*", "post")),
        ("person", ("former_ids", "*")),
        ("org", ("id",)),
        ("org", ("former_ids", "*")),
        ("topics", ("topics", "*", "id")),
        ("decisions", ("decisions", "*", "ids", "*")),  # a log of judgements, kept as judged (kb.model.decisions)
    }
)


def references(kind: str, data) -> Iterator[tuple[tuple, str, frozenset[str]]]:
    """(path, id, kinds it may name) of every reference to a person or organisation in ``data``,
    a file of ``kind``; paths hold list indexes where the table has "*"."""
    for table_kind, pattern, kinds in REFERENCES:
        if table_kind == kind:
            for path, value in _walk(data, pattern, ()):
                if isinstance(value, str):
                    yield path, value, kinds


def _walk(value, pattern: tuple[str, ...], path: tuple) -> Iterator[tuple[tuple, object]]:
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, rest, (*path, index))
    elif isinstance(value, dict) and step in value:
        yield from _walk(value[step], rest, (*path, step))


def rewrite(
    kind: str, data, target_kind: str, olds: Set[str], new: str, ambiguous: Set[str] = frozenset()
) -> list[tuple]:
    """Replace, in place, every reference of ``data`` (a file of ``kind``) to one of the ids
    ``olds`` of a ``target_kind`` record by ``new``; the paths changed. A list of ids that then
    names ``new`` twice keeps it once. An id in ``ambiguous`` is also one of a record of the other
    kind, so where a field may name either (a party, an owner) it is left alone."""
    changed = []
    for path, value, kinds in list(references(kind, data)):
        if value not in olds or target_kind not in kinds or (value in ambiguous and len(kinds) > 1):
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = new
        changed.append(path)
    for path in changed:
        if isinstance(path[-1], int):  # an item of a list of ids: drop a repeat
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            seen = [i for i, item in enumerate(parent) if item == new]
            for index in reversed(seen[1:]):
                del parent[index]
    return changed
