"""Drafted records that still wait for a person to confirm them."""

from __future__ import annotations

from kb.checks.registry import WARNING, check, finding


@check("KB607", "unconfirmed-draft", WARNING, reads="one-meeting")
def drafts_are_confirmed(kb):
    """A meeting still lists what must be checked under `unconfirmed` (kb import drafts do):
    each entry is reported until it is checked and removed.

    Failing: ``unconfirmed: ["date: 'on Saturday' read as 2026-01-24; confirm"]``.
    Passing: the same record once the date is confirmed and the list removed.
    """
    for meeting in kb.sorted_meetings:
        for i, entry in enumerate(meeting.get("unconfirmed", [])):
            line, column = meeting.where("unconfirmed", i)
            yield finding("KB607", meeting.relpath, line, column, f"unconfirmed: {entry}",
                          "check this against the sources, fix the record, then delete the entry "
                          "(and the 'unconfirmed' list once it is empty)")
