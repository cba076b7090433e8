"""Meetings recorded twice, and parts of a meeting that must be unique."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding


@check("KB601", "duplicate-meeting", WARNING)
def no_duplicate_meetings(kb):
    """Two meetings within a day of each other with the same people: probably one meeting reported twice.

    Several reports of one meeting are several sources of ONE record: merge the two records and
    list every report under `sources`. (The base knowledge base holds a meeting of the same two
    people on 2024-07-13.)

    Failing: meetings/2024-07-14-naqvi-blome.yaml
        id: 2024-07-14-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-14
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-20-naqvi-blome.yaml
        id: 2024-07-20-naqvi-blome
        title: Interior Minister meets the US Ambassador again
        date: 2024-07-20
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    """
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
    """Two outcomes of one meeting share an id.

    Outcomes are referred to as `meeting-id#outcome-id` (by `follows_up`, briefs and diffs), so each
    needs its own id within its meeting.

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
            status: fulfilled
          - id: dialogue
            kind: request
            text: Extradite two suspects.
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
          - id: extradition
            kind: request
            text: Extradite two suspects.
            status: open
        sources:
          - url: https://example.org/report
    """
    for meeting in kb.sorted_meetings:
        seen = set()
        for outcome in meeting.outcomes:
            if outcome.id in seen:
                line, column = meeting.where("outcomes", outcome.index, "id")
                yield finding("KB302", meeting.relpath, line, column,
                              f"outcome id '{outcome.id}' is used twice in this meeting",
                              "give each outcome its own id")
            seen.add(outcome.id)
