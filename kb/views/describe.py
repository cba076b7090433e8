"""Plain, JSON-ready descriptions of records for brief and timeline contexts.

Everything here reads meetings as handed out by :mod:`kb.sensitivity` and :mod:`kb.asof` (copies
already cut down to what the reader may see as of the day); it never goes back to the records'
own text.
"""

from __future__ import annotations

import datetime as dt

from kb.model import countries
from kb.model.dates import PartialDate
from kb.model.records import OPEN_STATUSES, KnowledgeBase, Meeting, Outcome, Participant, Person, Role, Source
from kb.query import scope


class DateInfo(dict):
    """A date in a context: as written ('2024-07'), in words ('July 2024'), its precision and
    qualifier, and (not a key: JSON and templates see the text) the typed date itself as ``typed``,
    for a format that needs the date (iCalendar's days) rather than its words."""

    def __init__(self, date: PartialDate) -> None:
        super().__init__(
            value=str(date),
            human=date.human(),
            precision=date.precision,
            approximate=date.qualifier == "~",
            uncertain=date.qualifier == "?",
        )
        self.typed = date


def date_info(date: PartialDate | None) -> DateInfo | None:
    """A date as a context describes it (DateInfo); None for none."""
    if date is None:
        return None
    return DateInfo(date)


def day_info(day: dt.date) -> DateInfo:
    return DateInfo(PartialDate(day.year, day.month, day.day))


def org_ref(kb: KnowledgeBase, org_id: str | None) -> dict | None:
    if not org_id:
        return None
    org = kb.orgs.get(kb.resolve_id("org", org_id) or org_id)
    if org is None:
        return {"id": org_id, "name": org_id, "abbreviation": None}
    return {"id": org.id, "name": org.name, "abbreviation": org.abbreviation}


def person_ref(kb: KnowledgeBase, person_id: str | None) -> dict | None:
    if not person_id:
        return None
    person = kb.people.get(kb.resolve_id("person", person_id) or person_id)
    return {"id": person.id if person else person_id, "name": person.name if person else person_id}


def counterpart_names(kb: KnowledgeBase, meeting: Meeting) -> list[str]:
    """Names of the meeting's counterparts (``scope.counterparts``): people by name, else their
    organisation (unless someone named in person represents it: "officials of the embassy" beside
    the ambassador add nothing), else their side's country."""
    found = scope.counterparts(kb, meeting)
    represented = {c.org for c in found if c.person and c.org}
    names = []
    for counterpart in found:
        if not counterpart.person and counterpart.org in represented:
            continue
        ref = person_ref(kb, counterpart.person) or org_ref(kb, counterpart.org)
        names.append(ref["name"] if ref else countries.name(counterpart.side) or counterpart.side)
    return list(dict.fromkeys(names))


def native_name(person: Person) -> dict | None:
    """The person's own name in their own language and script (the alias marked native), shown
    beside the name; None when there is none, or it is the name itself."""
    alias = person.native
    if alias is None or alias.name == person.name:
        return None
    return {"name": alias.name, "script": alias.written_in, "lang": alias.lang}


def party(kb: KnowledgeBase, ref: str) -> dict:
    """Who committed, or to whom: a country code, a person id or an organisation id."""
    person = kb.resolve_id("person", ref)
    if person:
        return {"ref": ref, "kind": "person", "name": kb.people[person].name}
    org = kb.resolve_id("org", ref)
    if org:
        return {"ref": ref, "kind": "org", "name": kb.orgs[org].name}
    if len(ref) == 2 and ref.isupper():
        return {"ref": ref, "kind": "country", "name": countries.name(ref)}
    return {"ref": ref, "kind": "unknown", "name": ref}


def party_side(kb: KnowledgeBase, meeting: Meeting, ref: str) -> str | None:
    """The country a party stands for: a code itself, a participant's side, or a record's country."""
    if len(ref) == 2 and ref.isupper():
        return ref
    person = kb.resolve_id("person", ref)
    if person:
        for participant in meeting.participants:
            if participant.person and kb.resolve_id("person", participant.person) == person:
                return participant.side
        return kb.people[person].country()
    org = kb.resolve_id("org", ref)
    if org:
        return kb.orgs[org].country()
    return None


def role_info(kb: KnowledgeBase, role: Role, day: dt.date) -> dict:
    """A role as known on ``day``: an end still to come is not shown (it was not known then)."""
    end = role.end if role.end and role.end.earliest() <= day else None
    return {
        "title": role.title,
        "post": role.post,
        "org": org_ref(kb, role.org),
        "country": countries.describe(role.country),
        "start": date_info(role.start),
        "end": date_info(end),
        "acting": role.acting,
        "current": role.current(day),
    }


def title_at(kb: KnowledgeBase, meeting: Meeting, participant: Participant) -> str | None:
    """The title recorded for the meeting; else the title of the role held on its date."""
    if participant.title:
        return participant.title
    person = kb.people.get(kb.resolve_id("person", participant.person or "") or "")
    if person:
        roles = person.roles_on(meeting.date)
        if roles:
            return roles[-1].title
    return None


def attendee(kb: KnowledgeBase, meeting: Meeting, participant: Participant) -> dict:
    return {
        "person": person_ref(kb, participant.person),
        "org": org_ref(kb, participant.org),
        "title": title_at(kb, meeting, participant),
        "side": countries.describe(participant.side),
        "ours": kb.is_ours(participant.side),
        "role": participant.role or "delegation",
    }


def outcome_info(kb: KnowledgeBase, outcome: Outcome, day: dt.date) -> dict:
    status = outcome.status  # a statement has none
    overdue = outcome.overdue(day, status)
    sides, movers, move = moves(kb, outcome)
    return {
        "id": outcome.id,
        "kind": outcome.kind,
        "text": outcome.text,
        "by": [party(kb, ref) for ref in outcome.by],
        "to": [party(kb, ref) for ref in outcome.to],
        "sides": sides,
        # whose move it is: those who committed, but the side asked for a request
        "movers": movers,
        "ours": move in ("ours", "both"),
        "theirs": move in ("theirs", "both"),
        "next_move": move,
        "owner": party(kb, outcome.owner) if outcome.owner else None,
        "due": date_info(outcome.due),
        "status": status,
        "open": status in OPEN_STATUSES,
        "overdue": overdue,
        "days_overdue": (day - outcome.due.latest()).days if overdue and outcome.due else 0,
        "updates": [
            {"date": date_info(u.date), "status": u.status, "note": u.note, "meeting": u.meeting}
            for u in outcome.updates
        ],
        "fulfilled_by": outcome.fulfilled_by,
        "revisited_in": list(outcome.revisited_in),
        "follows_up": outcome.follows_up,
        "sensitivity": outcome.sensitivity,
    }


def moves(kb: KnowledgeBase, outcome: Outcome) -> tuple[list[str], list[str], str | None]:
    """(the sides that committed, the sides whose move it is, whose move: 'ours', 'theirs',
    'both' or None)."""
    sides = sorted({s for s in (party_side(kb, outcome.meeting, ref) for ref in outcome.by) if s})
    movers = next_movers(kb, outcome, sides)
    ours, theirs = any(kb.is_ours(side) for side in movers), any(not kb.is_ours(side) for side in movers)
    return sides, movers, "both" if ours and theirs else ("ours" if ours else ("theirs" if theirs else None))


def next_movers(kb: KnowledgeBase, outcome: Outcome, by_sides: list[str]) -> list[str]:
    """The sides whose move it is: for a request the side asked (``to``; if none is named, the
    meeting's other sides), for anything else the sides that committed."""
    if outcome.kind != "request":
        return by_sides
    meeting = outcome.meeting
    asked = {s for s in (party_side(kb, meeting, ref) for ref in outcome.to) if s}
    if not asked:
        asked = {p.side for p in meeting.participants if p.side} - set(by_sides)
    return sorted(asked)


def open_item_info(kb: KnowledgeBase, item: scope.OpenItem, day: dt.date) -> dict:
    """An open item (:func:`kb.query.scope.open_items`) as every view shows it: the outcome, the
    meeting it was made at, how long it has been open and whether it has gone stale."""
    info = outcome_info(kb, item.outcome, day)
    info["meeting"] = {**meeting_ref(item.outcome.meeting), "relation": item.relation}
    info["ref"] = item.ref
    info["made"] = date_info(item.made)
    info["days_open"] = item.days_open
    info["open_for"] = open_for(item.days_open)
    info["last_change"] = date_info(item.last_change)
    info["stale"] = item.stale
    return info


def open_for(days: int) -> str:
    """How long an item has been open, in words: '12 days', '5 months', '2 years'."""
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def meeting_ref(meeting: Meeting) -> dict:
    return {"id": meeting.id, "title": meeting.title, "date": date_info(meeting.date), "status": meeting.status}


def meeting_detail(kb: KnowledgeBase, meeting: Meeting, day: dt.date) -> dict:
    """Everything a brief shows of one meeting, from its visible copy."""
    sources = {info["number"]: info for info in (source_info(s) for s in meeting.sources)}
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": date_info(meeting.date),
        "end_date": date_info(meeting.end_date),
        "time": meeting.time,
        "status": meeting.status,
        "mode": meeting.mode,
        "place": meeting.place,
        "country": countries.describe(meeting.location_country),
        "host": org_ref(kb, meeting.host),
        "sensitivity": meeting.sensitivity,
        "attendees": [attendee(kb, meeting, p) for p in meeting.participants],
        "topics": [topic_ref(kb, t) for t in meeting.topic_ids],
        "agenda": list(meeting.agenda),
        "summary": meeting.summary,
        "outcomes": [outcome_info(kb, o, day) for o in meeting.outcomes],
        "claims": [
            {
                "text": c.text,
                "by": party(kb, c.by) if c.by else None,
                "figures": list(c.figures),
                "sensitivity": c.sensitivity,
            }
            for c in meeting.claims
        ],
        "quotes": [
            {
                "speaker": person_ref(kb, q.speaker),
                "text": q.text,
                "source": sources.get(q.source) if q.source is not None else None,
                "sensitivity": q.sensitivity,
            }
            for q in meeting.quotes
        ],
        "notes": [{"text": n.text, "sensitivity": n.sensitivity} for n in meeting.notes],
        "sources": list(sources.values()),
        "parent": meeting.parent,
        "follows": list(meeting.follows),
    }


def source_info(source: Source) -> dict:
    """A source, with the number quotes cite it by (its place among the meeting's sources, or the
    one it had before an as-of cut)."""
    return {
        "number": source.number,
        "url": source.url,
        "document": source.document,
        "publisher": source.publisher,
        "title": source.title,
        "published": date_info(source.published),
        "retrieved": date_info(source.retrieved),
        "note": source.note,
        "archived": source.archived,  # a public web archive's copy
    }


def topic_ref(kb: KnowledgeBase, topic_id: str) -> dict:
    topic = kb.topics.get(topic_id)
    return {"id": topic_id, "label": topic.label if topic else topic_id}


def current_title(person: Person, day: dt.date) -> str | None:
    roles = person.current_roles(day)
    return roles[-1].title if roles else None


def archived_copy(root, key: str | None, readers) -> dict | None:
    """The stored copy ``sources/<key>.md`` of a source, as far as ``readers`` may see it: None when
    there is none, it cannot be read, or it is marked above them (a copy takes the highest marking
    of the meetings that cite it)."""
    from kb.store import archives

    try:
        copy = archives.read(root, key) if key else None
    except archives.ArchiveError:
        return None  # kb check reports it (KB621); a brief never shows a copy it cannot vouch for
    if copy is None or (readers is not None and not readers.allows(copy.sensitivity)):
        return None
    return {
        "key": copy.key,
        "path": copy.relpath,
        "url": copy.url,
        "retrieved": copy.retrieved,
        "final_url": copy.final_url,
        "status": copy.status,
        "content_type": copy.content_type,
        "sha256": copy.sha256,
        "title": copy.title,
        "text_note": copy.text_note,
        "sensitivity": copy.sensitivity,
    }
