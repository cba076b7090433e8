"""Dates that exist, in the right order."""

from __future__ import annotations

import datetime as dt

from kb.checks.registry import ERROR, WARNING, check, finding
from kb.model import dates
from kb.model.dates import PartialDate


def _records(kb):
    return [*kb.sorted_meetings, *kb.people_to_check]


def may_precede(later, earlier) -> bool:
    """False when the date written ``later`` certainly does not come before ``earlier``, seen
    from their text alone: dates as records write them (YYYY, YYYY-MM or YYYY-MM-DD, then perhaps
    a qualifier) compare as text in the order of their starts, so one that certainly precedes
    another is also less as text. Most pairs are in order, and are settled without being parsed."""
    return not (later.__class__ is str and earlier.__class__ is str and later >= earlier)


def _pairs(record):
    """(path of the later date, the earlier date, the later date, what is wrong when they are inverted)."""
    if record.kind == "meeting":
        yield ("end_date",), record.date, record.end_date, "the meeting ends before it starts"
        for source in record.sources:  # dates as written: most pairs are settled unparsed
            published, retrieved = source.published_written, source.retrieved_written
            if published is not None and retrieved is not None and may_precede(retrieved, published):
                yield (
                    ("sources", source.index, "retrieved"),
                    source.published,
                    source.retrieved,
                    "the source was retrieved before it was published",
                )
    else:
        for role in sorted(record.roles, key=lambda r: r.index):  # in the order written
            yield ("roles", role.index, "end"), role.start, role.end, "the role ends before it starts"


@check("KB501", "inverted-dates", ERROR, reads="one-meeting")
def dates_in_order(kb):
    """An end before its start: a meeting's end_date, a role's end, a source retrieved before publication.

    Usually a typo in one of the two dates, or the two swapped. Dates of reduced precision are
    compared only where they certainly disagree (`2024-07` does not end before `2024-07-13`).

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        end_date: 2024-07-12
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
        end_date: 2024-07-14
        sources:
          - url: https://example.org/report
    """
    for record in _records(kb):
        for path, start, end, message in _pairs(record):
            if start and end and end.certainly_before(start):
                line, column = record.where(*path)
                yield finding(
                    "KB501", record.relpath, line, column, f"{message} ({end} < {start})", "swap or correct the dates"
                )


@check("KB502", "due-before-meeting", ERROR, reads="one-meeting")
def due_after_meeting(kb):
    """A commitment due before the meeting that made it.

    A meeting cannot commit to something already past: the due date (or the meeting's date) is
    wrong, often by a year.

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
            due: 2023-10
            status: fulfilled
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
    for meeting in kb.sorted_meetings:
        written = meeting.date_written
        for index, ident, written_due in meeting.outcome_dues_written():  # no Outcome is built
            if written_due is None or not may_precede(written_due, written):
                continue
            due = PartialDate.try_parse(written_due)
            if due and due.certainly_before(meeting.date):
                line, column = meeting.where("outcomes", index, "due")
                yield finding(
                    "KB502",
                    meeting.relpath,
                    line,
                    column,
                    f"outcome '{ident}' is due {due}, before the meeting ({meeting.date})",
                    "correct the due date (a year off?) or the meeting date",
                )


def _held_turns(meeting, _day: dt.date) -> tuple[int, ...]:
    """KB503's findings in a meeting change on its first day when it is marked held (before, it
    is in the future) and the day after its last when it is planned (after, it is past)."""
    if meeting is None or meeting.date is None:
        return ()
    if meeting.status == "held":
        return (meeting.date.earliest().toordinal(),)
    return (meeting.date.latest().toordinal() + 1,) if meeting.status == "planned" else ()


@check("KB503", "held-in-future", WARNING, reads="one-meeting", day=True, turns=_held_turns)
def held_meetings_are_past(kb, today: dt.date | None = None):
    """A meeting marked held whose date is still to come (or planned with a date long past).

    The status says what happened: set `held` once a meeting has taken place, `cancelled` if it
    did not, and keep `planned` only for meetings still to come.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: planned
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
    today = today or dates.today()
    for meeting in kb.sorted_meetings:
        if meeting.status == "held" and meeting.date.earliest() > today:
            line, column = meeting.where("status")
            yield finding(
                "KB503",
                meeting.relpath,
                line,
                column,
                f"the meeting is marked held but its date ({meeting.date}) is in the future",
                "set status: planned until it has taken place",
            )
        elif meeting.status == "planned" and meeting.date.latest() < today:
            line, column = meeting.where("status")
            yield finding(
                "KB503",
                meeting.relpath,
                line,
                column,
                f"the meeting is still marked planned but its date ({meeting.date}) has passed",
                "set status: held or cancelled",
            )


@check("KB504", "country-not-on-date", WARNING, reads="one-meeting")
def country_of_its_date(kb):
    """A meeting's location in a country that did not exist on the meeting's date.

    A place has the country of its date: Moscow in 1975 was in the Soviet Union (SU), not Russia
    (RU), and in 1995 in Russia, not the Soviet Union; Belgrade in 1980 in Yugoslavia (YU), Prague
    in 1990 in Czechoslovakia (CS). The dates are in kb/model/countries.py (SUCCESSIONS and
    FORMER_DAYS); `kb import` writes the country of the date. Correct the location's country.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Talks in Moscow
        date: 2024-07-13
        status: held
        location: {place: Moscow, country: SU}
        participants:
          - {person: mohsin-naqvi, side: PK}
          - {person: donald-blome, side: US}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Talks in Moscow
        date: 2024-07-13
        status: held
        location: {place: Moscow, country: RU}
        participants:
          - {person: mohsin-naqvi, side: PK}
          - {person: donald-blome, side: US}
        sources:
          - url: https://example.org/report
    """
    from kb.model.countries import existed, name, successors_then

    for meeting in kb.sorted_meetings:
        code = meeting.location_country
        if not code or meeting.date is None:
            continue
        first, last = meeting.date.earliest(), meeting.date.latest()
        if existed(code, first) or existed(code, last):
            continue
        then = successors_then(code, first)
        line, column = meeting.where("location", "country")
        yield finding(
            "KB504",
            meeting.relpath,
            line,
            column,
            f"{name(code)} ({code}) did not exist on {meeting.date}",
            f"write the country of that date: {' or '.join(then)}" if then else "correct the location's country",
        )
