"""Placeholders left by `kb new` that nobody has filled in yet."""

from __future__ import annotations

import marshal

from kb.checks.registry import ERROR, check, finding

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


def may_hold_placeholders(data) -> bool:
    """False when no text in ``data`` (keys included) holds the marker at all: the marshalled
    bytes hold every text as it is (UTF-8), and searching them is far cheaper than a walk."""
    try:
        return MARKER.encode("ascii") in marshal.dumps(data)
    except ValueError:  # a value marshal does not take: walk it
        return True


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
            if not may_hold_placeholders(record.data):
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
