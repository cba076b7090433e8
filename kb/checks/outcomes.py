"""Commitments: follow-ups resolve, and open ones past their due date are flagged."""

from __future__ import annotations

import datetime as dt

from kb.checks.registry import ERROR, WARNING, check, finding


@check("KB406", "unknown-outcome", ERROR)
def known_outcomes(kb):
    """An outcome's follows_up names a meeting or outcome that does not exist (meeting-id#outcome-id)."""
    for meeting in kb.meetings.values():  # in any order: the findings are sorted in the end
        if not any(o.get("follows_up") for o in meeting.data.get("outcomes", ())):
            continue  # most meetings: no need to build their outcomes
        for outcome in meeting.outcomes:
            ref = outcome.data.get("follows_up")
            if not ref:
                continue
            meeting_id, _, outcome_id = ref.partition("#")
            target = kb.meetings.get(meeting_id)
            if target is None:
                if meeting_id not in kb.broken_ids.get("meeting", set()):
                    line, column = meeting.where("outcomes", outcome.index, "follows_up")
                    yield finding("KB406", meeting.relpath, line, column, f"unknown meeting '{meeting_id}' in '{ref}'",
                                  "write meeting-id#outcome-id with an existing meeting")
            elif outcome_id not in {o.id for o in target.outcomes}:
                from kb.query.audience import may_be_named

                marking = target.get("sensitivity")
                ids = ", ".join(o.id for o in target.outcomes
                                if may_be_named(kb, meeting, o.data.get("sensitivity") or marking)) or "none"
                line, column = meeting.where("outcomes", outcome.index, "follows_up")
                yield finding("KB406", meeting.relpath, line, column,
                              f"meeting '{meeting_id}' has no outcome '{outcome_id}'",
                              f"its outcomes are: {ids}")


@check("KB602", "overdue-commitment", WARNING, reads="one-meeting")
def no_overdue_commitments(kb, today: dt.date | None = None):
    """An open or in-progress commitment whose due date has passed. Update its status (with a
    dated entry under updates) or its due date."""
    today = today or dt.date.today()
    for meeting in kb.sorted_meetings:
        for outcome in meeting.outcomes:
            if outcome.overdue(today):
                line, column = meeting.where("outcomes", outcome.index, "status")
                yield finding("KB602", meeting.relpath, line, column,
                              f"'{outcome.id}' was due {outcome.due} and is still {outcome.status}",
                              "record what happened: add an update with status fulfilled, lapsed or superseded")
