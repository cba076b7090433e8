"""What the records said on a given day (`--as-of`).

A meeting is known on a day only if it certainly took place by then: one known only as
"December 2024" is left out of a view as of 15 December 2024, because it may have been later.
Sources published and status updates dated after the day (or possibly after it), and the
statuses those updates set, are left out too; without an explicit as-of date everything recorded is known.
"""

from __future__ import annotations

import datetime as dt

from kb.model.dates import PartialDate
from kb.model.plaincopy import plain_copy
from kb.model.records import Meeting


def known_on(meeting: Meeting, day: dt.date) -> bool:
    return meeting.date.certainly_on_or_before_day(day)


def restrict(meeting: Meeting, day: dt.date, even_if_later: bool = False) -> Meeting | None:
    """A copy of ``meeting`` as it could have been recorded on ``day``; None if it had not happened,
    unless ``even_if_later`` (a planned meeting is known before its date)."""
    if not even_if_later and not known_on(meeting, day):
        return None
    data = plain_copy(meeting.data)
    if "sources" in data:
        # Quotes cite sources by number: keep each one's number as it was before the cut.
        for number, source in enumerate(data["sources"], 1):
            source.setdefault("number", number)
        data["sources"] = [
            copied
            for copied, source in zip(data["sources"], meeting.sources, strict=True)
            if not _after(source.published, day)
        ]
    for outcome, original in zip(data.get("outcomes", []), meeting.outcomes, strict=True):
        # The status is read from the full update history before later updates are dropped.
        status = original.status_on(day)
        if status is not None:  # a statement has no status
            outcome["status"] = status
        if "updates" in outcome:
            outcome["updates"] = [
                copied
                for copied, update in zip(outcome["updates"], original.updates, strict=True)
                if not _after(update.date, day)
            ]
    return Meeting(meeting.kind, meeting.relpath, data, meeting.positions)


def _after(date: PartialDate | None, day: dt.date) -> bool:
    """Whether a date may be after ``day`` ("December 2024" may be after 15 December 2024).
    An undated source is kept: nothing says it came later."""
    return date is not None and not date.certainly_on_or_before_day(day)
