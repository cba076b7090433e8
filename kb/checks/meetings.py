"""Meetings recorded twice, and parts of a meeting that must be unique."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding


@check("KB601", "duplicate-meeting", WARNING)
def no_duplicate_meetings(kb):
    """Two meetings within a day of each other with the same people: probably one meeting
    reported twice. Several reports of one meeting are several sources of ONE record."""
    by_day: dict = {}
    # Every meeting, in any order: which pairs are reported does not depend on it.
    for meeting in kb.meetings.values():
        if meeting.date.precision == "day" and meeting.status != "cancelled":
            # Raw participants, not meeting.participants: this runs over every meeting.
            people = {p["person"] for p in meeting.data.get("participants", ()) if p.get("person")}
            by_day.setdefault(meeting.date.earliest().toordinal(), []).append((meeting, people))
    for day in sorted(by_day):
        for meeting, people in by_day[day]:
            for other_day in (day - 1, day):
                for other, others in by_day.get(other_day, ()):
                    if other is meeting or (other_day == day and other.id >= meeting.id):
                        continue
                    shared = people & others
                    if len(shared) >= 2 or (shared and shared == people):
                        line, column = meeting.where("date")
                        yield finding("KB601", meeting.relpath, line, column,
                                      f"probably the same meeting as {other.relpath} "
                                      f"({other.date}, with {', '.join(sorted(shared))})",
                                      "merge the two: keep one record and list every report under its sources")


@check("KB302", "duplicate-outcome-id", ERROR, reads="one-meeting")
def unique_outcome_ids(kb):
    """Two outcomes of one meeting share an id."""
    for meeting in kb.sorted_meetings:
        seen = set()
        for outcome in meeting.outcomes:
            if outcome.id in seen:
                line, column = meeting.where("outcomes", outcome.index, "id")
                yield finding("KB302", meeting.relpath, line, column,
                              f"outcome id '{outcome.id}' is used twice in this meeting",
                              "give each outcome its own id")
            seen.add(outcome.id)
