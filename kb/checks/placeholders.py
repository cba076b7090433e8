"""Placeholders left by `kb new` that nobody has filled in yet."""

from __future__ import annotations

import marshal

from kb.checks.registry import ERROR, check, finding
from kb.model.records import marshalled

# `kb new` writes this at the start of every value it cannot know; the check finds it again.
MARKER = "TODO"


def placeholders(data, path=()):
    """(path, text) of every string value in ``data`` that starts with the marker."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from placeholders(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholders(value, path + (index,))
    elif isinstance(data, str) and data.lstrip().startswith(MARKER):
        yield path, data


def may_hold_placeholders(data, packed: bytes | None = None) -> bool:
    """False when no text in ``data`` (keys included) holds the marker at all: the marshalled
    bytes hold every text as it is (UTF-8), and searching them is far cheaper than a walk.
    ``packed``: those bytes, when they were made already (a record's blob)."""
    try:
        return _MARKER in (marshal.dumps(data) if packed is None else packed)
    except ValueError:  # a value marshal does not take: walk it
        return True


_MARKER = MARKER.encode("ascii")


def _may_hold(record) -> bool:
    """may_hold_placeholders of the record's data, searching its blob when it holds the data's
    marshal bytes as they are (the data is then not decoded nor marshalled again)."""
    held = marshalled(getattr(record, "blob", None))
    return may_hold_placeholders(None if held is not None else record.data, held)


@check("KB606", "placeholder", ERROR, reads="one-meeting")
def no_placeholders(kb):
    """A value still starts with TODO: a placeholder written by `kb new` that was never filled in.

    Replace it with the real value, or remove the field if it is optional.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: 'TODO: a one-line title'
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    """
    for records in (kb.sorted_meetings, kb.people_to_check, kb.orgs_to_check):
        for record in records:
            if not _may_hold(record):
                continue
            for path, text in placeholders(record.data):
                line, column = record.where(*path)
                field = ".".join(str(step) for step in path)
                yield finding(
                    "KB606",
                    record.relpath,
                    line,
                    column,
                    f"'{field}' is a placeholder: {text}",
                    "replace it with the real value, or remove the field if it is optional",
                )
