"""Which meetings belong to a counterpart, and why.

- A person: the meetings they attended; for a brief also the meetings their predecessors in the
  same post held while in it, and other meetings with their country.
- An organisation (and the organisations under it, such as an embassy under its ministry): the
  meetings a participant took part in on its behalf (the participant's ``org``), or that it
  hosted. Holding some role in it is not enough: a minister who also chairs a cricket board does
  not bring the board into every meeting he attends.
- A country: meetings with a participant on its side, or held in it. Our own side takes part in
  every meeting, so for our own country only the place counts.
- A meeting: the meetings of each of its counterparts (the participants not on our side).

Each meeting comes with its relation to the counterpart ("direct", "predecessor", "country"),
the closest one winning, and a note saying it in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.model import countries
from kb.model.records import KnowledgeBase, Meeting, Person, Role

RELATIONS = ("direct", "predecessor", "country")


@dataclass
class Scoped:
    meeting: Meeting
    relation: str
    note: str | None = None
    via: str | None = None  # the predecessor's person id, for a predecessor's meeting


@dataclass(frozen=True)
class Tenure:
    """One holder of a post, seen from another holder of it."""

    person: Person
    role: Role
    post: str
    relation: str  # predecessor | successor


def posts_of(person: Person, day: dt.date) -> list[Role]:
    """The roles that define a person's post on ``day``: those current then, or else the last
    one begun by then (someone who has left a post is still briefed on it)."""
    begun = [r for r in person.roles if not r.start or r.start.earliest() <= day]
    current = [r for r in begun if r.current(day)]
    return current or begun[-1:]


def tenures(kb: KnowledgeBase, person: Person, day: dt.date) -> list[Tenure]:
    """Predecessors and successors in the posts the person holds (or last held) on ``day``;
    successors who had not begun by ``day`` were not known then and are left out."""
    found = []
    for own in posts_of(person, day):
        if not own.post:
            continue
        for other, role in kb.holders_of(own.post):
            if other.id == person.id:
                continue
            if role.start and role.start.earliest() > day:
                continue
            if _began_before(role, own):
                found.append(Tenure(other, role, own.post, "predecessor"))
            else:
                found.append(Tenure(other, role, own.post, "successor"))
    return found


def _began_before(role: Role, own: Role) -> bool:
    if role.start is None:
        return own.start is not None
    if own.start is None:
        return False
    return role.start.sort_key() < own.start.sort_key()


def person_meetings(kb: KnowledgeBase, person_id: str) -> list[Meeting]:
    return kb.meetings_with(person_id)


def org_family(kb: KnowledgeBase, org_id: str) -> set[str]:
    """The organisation and every organisation under it (an embassy under a foreign ministry)."""
    family = {org_id}
    grew = True
    while grew:
        below = {o.id for o in kb.orgs.values() if kb.resolve_id("org", o.get("parent") or "") in family} - family
        family |= below
        grew = bool(below)
    return family


def org_meetings(kb: KnowledgeBase, org_id: str) -> list[Meeting]:
    """The meetings of an organisation and those under it (see the module's rule)."""
    family = org_family(kb, org_id)
    # References may use a former id of any of them.
    ids = family | {old for member in family for old in kb.orgs[member].get("former_ids", []) if member in kb.orgs}
    found = [m for m in kb.meetings.values() if m.org_ids() & ids or m.get("host") in ids]
    # Only the meetings found are sorted: dates of the others are never parsed.
    return sorted(found, key=Meeting.sort_key)


def country_meetings(kb: KnowledgeBase, code: str) -> list[Meeting]:
    ours = code == kb.config.our_side
    found = []
    for meeting in kb.meetings.values():  # the heads alone: this runs over every meeting
        if meeting.location_country == code or (not ours and code in meeting.sides()):
            found.append(meeting)
    return sorted(found, key=Meeting.sort_key)


def counterparts_of_meeting(kb: KnowledgeBase, meeting: Meeting) -> tuple[list[str], list[str]]:
    """(person ids, sides) of the participants not on our side."""
    people, sides = [], []
    for participant in meeting.participants:
        if participant.side == kb.config.our_side:
            continue
        sides.append(participant.side)
        if participant.person:
            people.append(kb.resolve_id("person", participant.person) or participant.person)
    return list(dict.fromkeys(people)), list(dict.fromkeys(sides))


class Collector:
    """Meetings gathered from several reasons; the closest relation to a meeting wins."""

    def __init__(self):
        self.found: dict[str, Scoped] = {}

    def add(self, meeting: Meeting, relation: str, note: str | None = None, via: str | None = None):
        known = self.found.get(meeting.id)
        if known is None or RELATIONS.index(relation) < RELATIONS.index(known.relation):
            self.found[meeting.id] = Scoped(meeting, relation, note, via)

    def result(self) -> list[Scoped]:
        return sorted(self.found.values(), key=lambda s: s.meeting.sort_key())


def meetings_for(kb: KnowledgeBase, kind: str, ident: str, day: dt.date, related: bool) -> list[Scoped]:
    """The meetings of a counterpart in date order; with ``related``, those of its predecessors
    and country too (a brief), without only its own (a timeline)."""
    collector = Collector()
    if kind == "person":
        _add_person(kb, collector, kb.people[ident], day, related)
    elif kind == "org":
        for meeting in org_meetings(kb, ident):
            collector.add(meeting, "direct")
    elif kind == "country":
        for meeting in country_meetings(kb, ident):
            collector.add(meeting, "direct")
    elif kind == "meeting":
        subject = kb.meetings[ident]
        people, sides = counterparts_of_meeting(kb, subject)
        for person_id in people:
            if person_id in kb.people:
                _add_person(kb, collector, kb.people[person_id], day, related, country=False)
        if related:
            for side in sides:
                for meeting in country_meetings(kb, side):
                    collector.add(meeting, "country", f"A meeting with {countries.name(side)}")
            # The meeting briefed for is the brief's subject, not one of its previous meetings.
            collector.found.pop(subject.id, None)
        else:
            collector.add(subject, "direct")
    return collector.result()


def _add_person(kb, collector: Collector, person: Person, day: dt.date, related: bool, country: bool = True):
    for meeting in person_meetings(kb, person.id):
        collector.add(meeting, "direct", f"With {person.name}")
    if not related:
        return
    for tenure in tenures(kb, person, day):
        if tenure.relation != "predecessor":
            continue
        for meeting in person_meetings(kb, tenure.person.id):
            if tenure.role.held_on(meeting.date):
                collector.add(
                    meeting,
                    "predecessor",
                    f"Predecessor's meeting: {tenure.person.name}, {tenure.role.title}, "
                    f"held the post before {person.name}",
                    via=tenure.person.id,
                )
    side = person.country()
    if country and side and side != kb.config.our_side:
        for meeting in country_meetings(kb, side):
            collector.add(meeting, "country", f"A meeting with {countries.name(side)}, without {person.name}")


def org_meetings_index(kb: KnowledgeBase) -> dict[str, list[Meeting]]:
    """``org_meetings`` for every organisation at once, in one pass over the meetings: a meeting
    belongs to each organisation it names (a participant's ``org`` or its host) and to every
    organisation above that one. Organisations with no meeting are absent."""
    above: dict[str, list[str]] = {}
    for org_id in kb.orgs:
        chain: list[str] = []
        current: str | None = org_id
        while current is not None and current not in chain:
            chain.append(current)
            parent = kb.orgs[current].get("parent") if current in kb.orgs else None
            current = kb.resolve_id("org", parent) if parent else None
        above[org_id] = chain
    index: dict[str, list[Meeting]] = {}
    for meeting in kb.sorted_meetings:
        refs = meeting.org_ids() | ({meeting.get("host")} if meeting.get("host") else set())
        owners = set()
        for ref in refs:
            resolved = kb.resolve_id("org", ref)
            if resolved is not None:
                owners.update(above[resolved])
        for owner in owners:
            index.setdefault(owner, []).append(meeting)
    return index


def country_meetings_index(kb: KnowledgeBase) -> dict[str, list[Meeting]]:
    """``country_meetings`` for every country at once, in one pass over the meetings."""
    ours = kb.config.our_side
    index: dict[str, list[Meeting]] = {}
    for meeting in kb.sorted_meetings:
        codes = meeting.sides() - {ours}
        place = meeting.location_country
        if place:
            codes.add(place)
        for code in codes:
            index.setdefault(code, []).append(meeting)
    return index
