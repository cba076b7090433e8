"""Drafted records that still wait for a person to confirm them."""

from __future__ import annotations

from kb.checks.registry import WARNING, check, finding


@check("KB607", "unconfirmed-draft", WARNING, reads="one-meeting")
def drafts_are_confirmed(kb):
    """A meeting still lists what must be checked under `unconfirmed` (kb import drafts do): each entry is
    reported until it is checked and removed.

    `kb import` cannot know everything an article implies ("on Saturday"): it says what it guessed
    under `unconfirmed`. Check each entry against the sources, fix the record, then delete the entry
    (and the list once it is empty).

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        unconfirmed:
          - "date: 'on Saturday' read as 2024-07-13; confirm"
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
    for meeting in kb.sorted_meetings:
        for i, entry in enumerate(meeting.unconfirmed):
            line, column = meeting.where("unconfirmed", i)
            yield finding(
                "KB607",
                meeting.relpath,
                line,
                column,
                f"unconfirmed: {entry}",
                "check this against the sources, fix the record, then delete the entry "
                "(and the 'unconfirmed' list once it is empty)",
            )
