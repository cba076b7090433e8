"""Rows for `kb list`: meetings, people or organisations, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.errors import KBError
from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Meeting
from kb.query import links, resolve, scope
from kb.views import describe

COLUMNS = {
    "meetings": ["date", "id", "title", "with", "status", "open"],
    "people": ["id", "name", "country", "title", "meetings", "last_met"],
    "orgs": ["id", "name", "abbreviation", "country", "people", "meetings"],
}


class FilterError(KBError, ValueError):
    """A filter that names nothing known; the message says what would."""


@dataclass
class Filters:
    with_: str | None = None
    topic: str | None = None
    country: str | None = None
    since: PartialDate | None = None
    until: PartialDate | None = None
    status: str | None = None
    open_only: bool = False


def _topic(kb: KnowledgeBase, topic: str) -> str:
    found = kb.topic_id(topic)
    if not found:
        from kb.model.text import did_you_mean

        guess = did_you_mean(topic, list(kb.topics))
        raise FilterError(f"--topic: no topic '{topic}'" + (f"; did you mean '{guess}'?" if guess else ""))
    return found


def _with(kb: KnowledgeBase, text: str) -> resolve.Counterpart:
    try:
        return resolve.resolve(kb, text, ("person", "org"))
    except resolve.CounterpartError as error:
        raise FilterError(f"--with: {error}") from None


def matching_meetings(kb: KnowledgeBase, filters: Filters) -> list[Meeting]:
    meetings = kb.sorted_meetings
    if filters.with_:
        found = _with(kb, filters.with_)
        meetings = scope.meetings_of(kb, found.kind, found.id)
    # Each filter keeps the meetings that belong to what it names, by scope's one rule.
    wanted = []
    if filters.topic:
        wanted.append(("topic", _topic(kb, filters.topic)))
    if filters.country:
        wanted.append(("country", filters.country.upper()))
    for kind, ident in wanted:
        belonging = {m.id for m in scope.meetings_of(kb, kind, ident)}
        meetings = [m for m in meetings if m.id in belonging]
    if filters.since:
        meetings = [m for m in meetings if m.date.latest() >= filters.since.earliest()]
    if filters.until:
        meetings = [m for m in meetings if m.date.earliest() <= filters.until.latest()]
    if filters.status:
        meetings = [m for m in meetings if m.status == filters.status]
    if filters.open_only:
        meetings = [m for m in meetings if links.open_outcomes(m)]
    return meetings


def meeting_rows(kb: KnowledgeBase, filters: Filters) -> list[dict]:
    rows = []
    for meeting in matching_meetings(kb, filters):
        names = describe.counterpart_names(kb, meeting)
        rows.append(
            {
                "date": str(meeting.date),
                "id": meeting.id,
                "title": meeting.title,
                "with": ", ".join(names),
                "status": meeting.status,
                "open": len(links.open_outcomes(meeting)),
            }
        )
    return rows


def people_rows(kb: KnowledgeBase, filters: Filters, today: dt.date | None = None) -> list[dict]:
    if filters.status or filters.open_only:
        raise FilterError("--status and --open apply to meetings")
    people = sorted(kb.people.values(), key=lambda p: p.sort_name.casefold())
    if filters.country:
        code = filters.country.upper()
        people = [p for p in people if p.country() == code or any(r.country == code for r in p.roles)]
    if filters.with_ or filters.topic or filters.since or filters.until:
        # people who took part in a meeting that matches
        met = {
            p
            for m in matching_meetings(kb, Filters(filters.with_, filters.topic, None, filters.since, filters.until))
            for p in scope.meeting_people(kb, m)
        }
        if filters.with_:
            met.discard(_with(kb, filters.with_).id)
        people = [p for p in people if p.id in met]
    rows = []
    for person in people:
        meetings = scope.person_meetings(kb, person.id)
        rows.append(
            {
                "id": person.id,
                "name": person.name,
                "country": person.country() or "",
                "title": links.current_title(person, today),
                "meetings": len(meetings),
                "last_met": str(meetings[-1].date) if meetings else "",
            }
        )
    return rows


def org_rows(kb: KnowledgeBase, filters: Filters) -> list[dict]:
    if any((filters.with_, filters.topic, filters.since, filters.until, filters.status, filters.open_only)):
        raise FilterError("organisations are filtered by --country only")
    orgs = sorted(kb.orgs.values(), key=lambda o: o.name.casefold())
    if filters.country:
        orgs = [o for o in orgs if o.country() == filters.country.upper()]
    return [
        {
            "id": o.id,
            "name": o.name,
            "abbreviation": o.abbreviation or "",
            "country": o.country() or "",
            "people": len({p.id for p, _ in links.people_of_org(kb, o.id)}),
            "meetings": len(scope.org_meetings(kb, o.id)),
        }
        for o in orgs
    ]


def rows(kb: KnowledgeBase, what: str, filters: Filters) -> list[dict]:
    return {"meetings": meeting_rows, "people": people_rows, "orgs": org_rows}[what](kb, filters)
