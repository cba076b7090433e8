"""Meetings recorded twice, and parts of a meeting that must be unique."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding


@check("KB601", "duplicate-meeting", WARNING, reads="meetings")
def no_duplicate_meetings(kb):
    """Two meetings within a day of each other with the same counterparts: probably one meeting
    reported twice. Several reports of one meeting are several sources of ONE record.

    Our own side (kb.yaml's ``our_side``) is in nearly every meeting, so its people are never
    what makes two meetings one: our minister meeting two ambassadors on one day holds two
    meetings. Meetings are compared by their counterparts (the participants on other sides):
    the same counterpart person in both (when our side's people are known in both, they must
    share one too); a meeting with no counterpart named in person by its counterparts'
    organisations and its place, and with no counterpart at all by its title and place.

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
    from kb.model.text import normalise

    by_day = _meetings_by_day(kb)
    texts: dict[str, tuple[str, str]] = {}

    def text(meeting) -> tuple[str, str]:
        """A meeting's title and place, normalised: read only when compared, and in a large
        knowledge base its data let go of again when it was not decoded before."""
        found = texts.get(meeting.relpath)
        if found is None:
            held = meeting.holds_data()
            found = texts[meeting.relpath] = (
                normalise(str(meeting.title or "")),
                normalise(str(meeting.place or "")),
            )
            if kb.release_after_use and not held:
                meeting.release()
        return found

    for day in sorted(by_day):
        for meeting, own, theirs, key in by_day[day]:
            for other_day in (day - 1, day):
                for other, other_own, other_theirs, other_key in by_day.get(other_day, ()):
                    if other is meeting or (other_day == day and other.id >= meeting.id):
                        continue
                    if own and other_own and not own & other_own:
                        continue  # different people of ours met them: two meetings
                    why = _why_the_same(theirs, key, other_theirs, other_key, text)
                    if why is None:
                        continue
                    line, column = meeting.where("date")
                    yield finding(
                        "KB601",
                        meeting.relpath,
                        line,
                        column,
                        f"probably the same meeting as {other.relpath} ({other.date}, with {why})",
                        "merge the two: keep one record and list every report under its sources",
                    )


def _meetings_by_day(kb) -> dict[int, list[tuple]]:
    """Each day's meetings (dated to the day, not cancelled) with our people, their people, and
    the key a meeting without counterpart people is compared by."""
    import datetime as dt

    by_day: dict = {}
    same: dict[frozenset, frozenset] = {}
    days: dict[tuple, int] = {}  # (year, month, day) to its ordinal: many meetings share a day
    is_ours, resolve = kb.is_ours, kb.resolve_id
    # Every meeting, in any order: which pairs are reported does not depend on it.
    for meeting in kb.meetings.values():
        year, month, day = meeting.order[:3]  # from the head: 13 and 32 for a month or day not known
        if day == 32 or meeting.status == "cancelled":
            continue
        refs = meeting.participant_refs()
        own, theirs, orgs = set(), set(), set()
        # The counterparts (kb.query.scope.counterparts) under their current ids, people apart
        # from the organisations met without a person named.
        for person, org, side in zip(refs[::3], refs[1::3], refs[2::3], strict=True):
            if is_ours(side):
                if person:
                    own.add(person)
            elif person:
                theirs.add(resolve("person", person) or person)
            elif org:
                orgs.add(resolve("org", org) or org)
        # Without counterpart people, a meeting is compared by the organisations met (None: none)
        # and its place, or its title and place: read only when compared (``text``).
        key = None if theirs else (frozenset(orgs) if orgs else None, meeting)
        # One frozen set for all the meetings of the same people: 100,000 meetings' own sets weigh 40 MB.
        ours_met, theirs_met = (same.setdefault(group, group) for group in (frozenset(own), frozenset(theirs)))
        ordinal = days.get((year, month, day))
        if ordinal is None:
            ordinal = days[(year, month, day)] = dt.date(year, month, day).toordinal()
        by_day.setdefault(ordinal, []).append((meeting, ours_met, theirs_met, key))
    return by_day


def _why_the_same(
    theirs: frozenset, key: tuple | None, other_theirs: frozenset, other_key: tuple | None, text
) -> str | None:
    """What makes two meetings of nearby days one: the counterpart people they share, or the same
    organisations or title (and place); None when nothing does."""
    if theirs:
        shared = theirs & other_theirs
        if not (len(shared) >= 2 or (shared and shared in (theirs, other_theirs))):
            return None
        return ", ".join(sorted(shared))
    if key is None or other_key is None or key[0] != other_key[0]:
        return None
    (orgs, meeting), other = key, other_key[1]
    (title, place), (other_title, other_place) = text(meeting), text(other)
    if place != other_place or (orgs is None and title != other_title):
        return None
    return ("the same organisations" if orgs else "the same title") + (" and place" if place else "")


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
                yield finding(
                    "KB302",
                    meeting.relpath,
                    line,
                    column,
                    f"outcome id '{outcome.id}' is used twice in this meeting",
                    "give each outcome its own id",
                )
            seen.add(outcome.id)
