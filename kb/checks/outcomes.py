"""Commitments: follow-ups resolve, and open ones past their due date are flagged."""

from __future__ import annotations

import datetime as dt

from kb.checks.registry import ERROR, WARNING, check, finding
from kb.model import dates


@check("KB406", "unknown-outcome", ERROR, reads="meetings")
def known_outcomes(kb):
    """An outcome's follows_up names a meeting or outcome that does not exist (meeting-id#outcome-id).

    `follows_up` links an outcome to the earlier commitment it continues, written
    `meeting-id#outcome-id`; the hint lists the outcomes the named meeting has.

    Failing: meetings/2024-10-15-naqvi-blome.yaml
        id: 2024-10-15-naqvi-blome
        title: Interior Minister and the US Ambassador open the dialogue
        date: 2024-10-15
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        outcomes:
          - id: dialogue-held
            kind: statement
            text: The law enforcement dialogue opened.
            follows_up: 2024-07-13-naqvi-blome#dialog
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-10-15-naqvi-blome.yaml
        id: 2024-10-15-naqvi-blome
        title: Interior Minister and the US Ambassador open the dialogue
        date: 2024-10-15
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        outcomes:
          - id: dialogue-held
            kind: statement
            text: The law enforcement dialogue opened.
            follows_up: 2024-07-13-naqvi-blome#dialogue
        sources:
          - url: https://example.org/report
    """
    for meeting in kb.meetings.values():  # in any order: the findings are sorted in the end
        if not meeting.follows_up_any():
            continue  # most meetings: no need to build their outcomes
        for outcome in meeting.outcomes:
            ref = outcome.follows_up
            if not ref:
                continue
            meeting_id, _, outcome_id = ref.partition("#")
            target = kb.meetings.get(meeting_id)
            if target is None:
                if meeting_id not in kb.broken_ids.get("meeting", set()):
                    line, column = meeting.where("outcomes", outcome.index, "follows_up")
                    yield finding(
                        "KB406",
                        meeting.relpath,
                        line,
                        column,
                        f"unknown meeting '{meeting_id}' in '{ref}'",
                        "write meeting-id#outcome-id with an existing meeting",
                    )
            elif outcome_id not in {o.id for o in target.outcomes}:
                from kb.query.audience import may_be_named

                marking = target.sensitivity
                ids = (
                    ", ".join(o.id for o in target.outcomes if may_be_named(kb, meeting, o.sensitivity or marking))
                    or "none"
                )
                line, column = meeting.where("outcomes", outcome.index, "follows_up")
                yield finding(
                    "KB406",
                    meeting.relpath,
                    line,
                    column,
                    f"meeting '{meeting_id}' has no outcome '{outcome_id}'",
                    f"its outcomes are: {ids}",
                )


def _overdue_turns(meeting, _day: dt.date) -> list[int]:
    """KB602's findings in a meeting change the day after an outcome's due date (it is overdue
    from then on, its status being the present one)."""
    if meeting is None:
        return []
    return [due.latest().toordinal() + 1 for due in (outcome.due for outcome in meeting.outcomes) if due is not None]


@check("KB602", "overdue-commitment", WARNING, reads="one-meeting", day=True, turns=_overdue_turns)
def no_overdue_commitments(kb, today: dt.date | None = None):
    """An open or in-progress commitment whose due date has passed.

    Overdue is derived from the due date and today, never stored. Record what happened: an entry
    under `updates` with its date and the new status (fulfilled, lapsed, superseded), or a new due date.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        outcomes:
          - id: dialogue
            kind: commitment
            text: Hold a law enforcement dialogue.
            due: 2024-10
            status: open
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
        outcomes:
          - id: dialogue
            kind: commitment
            text: Hold a law enforcement dialogue.
            due: 2024-10
            status: fulfilled
        sources:
          - url: https://example.org/report
    """
    today = today or dates.today()
    for meeting in kb.sorted_meetings:
        for outcome in meeting.outcomes:
            if outcome.overdue(today):
                line, column = meeting.where("outcomes", outcome.index, "status")
                yield finding(
                    "KB602",
                    meeting.relpath,
                    line,
                    column,
                    f"'{outcome.id}' was due {outcome.due} and is still {outcome.status}",
                    "record what happened: add an update with status fulfilled, lapsed or superseded",
                )
