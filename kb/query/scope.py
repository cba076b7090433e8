"""Which meetings belong to a counterpart, and why.

- A person: the meetings they attended; for a brief also the meetings their predecessors in the
  same post held while in it, and other meetings with their country.
- An organisation (and the organisations under it, such as an embassy under its ministry): the
  meetings a participant took part in on its behalf (the participant's ``org``), or that it
  hosted. Holding some role in it is not enough: a minister who also chairs a cricket board does
  not bring the board into every meeting he attends.
- A country: meetings with a participant on its side, or held in it. Our own side takes part in
  every meeting, so for our own country only the place counts.
- A topic: the meetings that list it.
- A meeting: the meetings of each of its counterparts (``counterparts``: the participants not
  on our side; when the other side is an organisation alone, such as an embassy, that
  organisation, never one of our own people).

Every command asks ``meetings_of`` (or the indexes below, for every record at once), so that
`kb list --country X` and `kb timeline X` give the same meetings.

Each meeting comes with its relation to the counterpart ("direct", "predecessor", "country"),
the closest one winning, and a note saying it in words.

What is open with a counterpart (``open_items``) is read off the same meetings: the agreements,
commitments and requests made at them, open or in progress on the day as their dated updates had
it. Brief, site, `kb due` and the exports all ask it, so that they list the same items.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from kb.model import countries, dates
from kb.model.dates import PartialDate
from kb.model.records import (
    COMMITMENT_KINDS,
    OPEN_STATUSES,
    KnowledgeBase,
    Meeting,
    Outcome,
    Person,
    Role,
    decode_heads,
)

RELATIONS = ("direct", "predecessor", "country")


@dataclass
class Scoped:
    meeting: Meeting
    relation: str
    note: str | None = None
    via: str | None = None  # the predecessor's person id, for a predecessor's meeting


class Tenure(NamedTuple):
    """One holder of a post, seen from another holder of it (a named tuple: a site's new day asks
    for every person's on two days, and a frozen dataclass took three times as long to make)."""

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


@dataclass(frozen=True)
class Counterpart:
    """One participant of a meeting not on our side, by current ids."""

    person: str | None
    org: str | None
    side: str


def counterparts(kb: KnowledgeBase, meeting: Meeting) -> list[Counterpart]:
    """The meeting's counterparts: its participants not on our side (kb.yaml's ``our_side``),
    each once, with renamed people and organisations under their current ids. A meeting whose
    other side is an organisation alone (an embassy) has that organisation as its counterpart,
    never one of our own people."""
    found: dict[Counterpart, None] = {}
    for person, org, side in meeting.counterpart_refs(kb.our_side):
        person = (kb.resolve_id("person", person) or person) if person else None
        org = (kb.resolve_id("org", org) or org) if org else None
        found.setdefault(Counterpart(person, org, side), None)
    return list(found)


def counterpart_people(kb: KnowledgeBase, meeting: Meeting) -> list[str]:
    """The ids of the counterparts named in person, in order."""
    return list(dict.fromkeys(c.person for c in counterparts(kb, meeting) if c.person))


def counterpart_sides(kb: KnowledgeBase, meeting: Meeting) -> list[str]:
    """The sides of the counterparts, in order."""
    return list(dict.fromkeys(side for *_, side in meeting.counterpart_refs(kb.our_side)))


def meeting_people(kb: KnowledgeBase, meeting: Meeting) -> set[str]:
    """The current ids of everyone who attended the meeting, on any side."""
    return {kb.resolve_id("person", p) or p for p in meeting.person_ids()}


def meeting_orgs(kb: KnowledgeBase, meeting: Meeting) -> set[str]:
    """The organisations the meeting names (a participant's ``org``, its host), by current id;
    references to no recorded organisation are left out."""
    refs = meeting.org_ids()
    host = meeting.host
    if host:
        refs = refs | {host}
    return {found for ref in refs if (found := kb.resolve_id("org", ref)) is not None}


def meeting_countries(kb: KnowledgeBase, meeting: Meeting) -> set[str]:
    """The countries the meeting belongs to: its counterparts' sides and the country it was held
    in. Our own side takes part in every meeting, so it counts by the place alone."""
    codes = set(counterpart_sides(kb, meeting))
    place = meeting.location_country
    if place:
        codes.add(place)
    return codes


def has_topic(meeting: Meeting, topic: str) -> bool:
    return topic in meeting.topic_ids


def person_meetings(kb: KnowledgeBase, person_id: str) -> list[Meeting]:
    """The meetings the person attended (under any of their ids), in date order."""
    return kb.meetings_with(person_id)


def org_family(kb: KnowledgeBase, org_id: str) -> set[str]:
    """The organisation and every organisation under it (an embassy under a foreign ministry)."""
    family = {org_id}
    grew = True
    while grew:
        below = {o.id for o in kb.orgs.values() if kb.resolve_id("org", o.parent or "") in family} - family
        family |= below
        grew = bool(below)
    return family


def indexed(kb: KnowledgeBase) -> tuple[dict[str, list[Meeting]], dict[str, list[Meeting]]]:
    """From now on answer ``org_meetings`` and ``country_meetings`` for ``kb`` from the indexes
    below, built once: for a caller that asks them for every record (the site), where a scan of
    every meeting each time is quadratic. The answers are the same lists; the indexes are returned
    (callers must not change them)."""
    if kb not in _INDEXES:
        _INDEXES[kb] = (org_meetings_index(kb), country_meetings_index(kb))
    return _INDEXES[kb]


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, tuple[dict, dict]] = weakref.WeakKeyDictionary()


def _meeting_facts(kb: KnowledgeBase, meeting: Meeting) -> tuple[set[str], set[str]]:
    """What scopeindex keeps of a meeting: its countries and the organisations it names."""
    return meeting_countries(kb, meeting), meeting_orgs(kb, meeting)


def org_meetings(kb: KnowledgeBase, org_id: str) -> list[Meeting]:
    """The meetings of an organisation and those under it (see the module's rule)."""
    if kb in _INDEXES:
        return list(_INDEXES[kb][0].get(org_id, ()))
    from kb.query import scopeindex

    family = org_family(kb, org_id)
    kept = scopeindex.lists(kb, _meeting_facts)
    if kept is not None:  # the same answers, kept per meeting file
        found = list({id(m): m for org in family for m in kept.of("org", org)}.values())
    else:
        found = [m for m in kb.meetings.values() if not meeting_orgs(kb, m).isdisjoint(family)]
    # Only the meetings found are sorted: dates of the others are never parsed.
    return sorted(found, key=Meeting.sort_key)


def country_meetings(kb: KnowledgeBase, code: str) -> list[Meeting]:
    if kb in _INDEXES:
        return list(_INDEXES[kb][1].get(code, ()))
    from kb.query import scopeindex

    kept = scopeindex.lists(kb, _meeting_facts)
    if kept is not None:  # the same answers, kept per meeting file
        found = kept.of("country", code)
    else:
        # The heads alone: this runs over every meeting.
        found = [m for m in kb.meetings.values() if code in meeting_countries(kb, m)]
    return sorted(found, key=Meeting.sort_key)


def topic_meetings(kb: KnowledgeBase, topic: str) -> list[Meeting]:
    # The heads' topics; only the meetings found are sorted.
    return sorted((m for m in kb.meetings.values() if has_topic(m, topic)), key=Meeting.sort_key)


def meetings_of(kb: KnowledgeBase, kind: str, ident: str) -> list[Meeting]:
    """The meetings that belong to a person, organisation, country or topic, in date order: the
    one answer every command gives."""
    if kind == "person":
        return person_meetings(kb, ident)
    if kind == "org":
        return org_meetings(kb, ident)
    if kind == "country":
        return country_meetings(kb, ident)
    if kind == "topic":
        return topic_meetings(kb, ident)
    raise ValueError(f"no meetings belong to a {kind}")


class Collector:
    """Meetings gathered from several reasons; the closest relation to a meeting wins. ``only``,
    when given, tells which meetings to gather at all (the others' relations are not asked)."""

    def __init__(self, only: Callable[[Meeting], bool] | None = None):
        self.found: dict[str, Scoped] = {}
        self.only = only

    def add(self, meeting: Meeting, relation: str, note: str | None = None, via: str | None = None):
        if self.only is not None and not self.only(meeting):
            return
        known = self.found.get(meeting.id)
        if known is None or (
            known.relation != relation and RELATIONS.index(relation) < RELATIONS.index(known.relation)
        ):
            self.found[meeting.id] = Scoped(meeting, relation, note, via)

    def result(self) -> list[Scoped]:
        return sorted(self.found.values(), key=lambda s: s.meeting.sort_key())


def meetings_for(
    kb: KnowledgeBase,
    kind: str,
    ident: str,
    day: dt.date,
    related: bool,
    only: Callable[[Meeting], bool] | None = None,
    among: Callable[[str, str], Iterable[Meeting]] | None = None,
) -> list[Scoped]:
    """The meetings of a counterpart in date order; with ``related``, those of its predecessors
    and country too (a brief), without only its own (a timeline); with ``only``, those of them for
    which it is true. ``among(kind, ident)``: the meetings of a person, organisation or country to
    look through, when the caller holds fewer than ``meetings_of`` (those ``only`` would keep: the
    site's, of which an outcome may be open), so that the rules need not walk the others."""
    of = among if among is not None else functools.partial(meetings_of, kb)
    collector = Collector(only)
    if kind == "person":
        _add_person(kb, collector, kb.people[ident], day, related, of)
    elif kind in ("org", "country"):
        for meeting in of(kind, ident):
            collector.add(meeting, "direct")
    elif kind == "meeting":
        subject = kb.meetings[ident]
        for person_id in counterpart_people(kb, subject):
            if person_id in kb.people:
                _add_person(kb, collector, kb.people[person_id], day, related, of, country=False)
        if related:
            for side in counterpart_sides(kb, subject):
                for meeting in of("country", side):
                    collector.add(meeting, "country", f"A meeting with {countries.name(side)}")
            # The meeting briefed for is the brief's subject, not one of its previous meetings.
            collector.found.pop(subject.id, None)
        else:
            collector.add(subject, "direct")
    found = collector.result()
    decode_heads([scoped.meeting for scoped in found])  # every caller reads them: at once, not one by one
    return found


def _add_person(kb, collector: Collector, person: Person, day: dt.date, related: bool, of, country: bool = True):
    """A person's meetings (``of(kind, ident)``: the meetings of a record to look through), with
    ``related`` their predecessors' in the post while they held it and, but with ``country``
    False, their country's."""
    note = f"With {person.name}"  # each note made once, not once a meeting
    for meeting in of("person", person.id):
        collector.add(meeting, "direct", note)
    if not related:
        return
    for tenure in tenures(kb, person, day):
        if tenure.relation != "predecessor":
            continue
        note = f"Predecessor's meeting: {tenure.person.name}, {tenure.role.title}, held the post before {person.name}"
        for meeting in of("person", tenure.person.id):
            if tenure.role.held_on(meeting.date):
                collector.add(meeting, "predecessor", note, via=tenure.person.id)
    side = person.country()
    if country and side and not kb.is_ours(side):
        note = f"A meeting with {countries.name(side)}, without {person.name}"
        for meeting in of("country", side):
            collector.add(meeting, "country", note)


def person_meetings_index(kb: KnowledgeBase) -> dict[str, list[Meeting]]:
    """``person_meetings`` for every person at once (kept by the knowledge base)."""
    return kb.meetings_by_person


def org_meetings_index(kb: KnowledgeBase) -> dict[str, list[Meeting]]:
    """``org_meetings`` for every organisation at once, in one pass over the meetings: a meeting
    belongs to each organisation it names (``meeting_orgs``) and to every organisation above
    that one. Organisations with no meeting are absent."""
    above: dict[str, list[str]] = {}
    for org_id in kb.orgs:
        chain: list[str] = []
        current: str | None = org_id
        while current is not None and current not in chain:
            chain.append(current)
            parent = kb.orgs[current].parent if current in kb.orgs else None
            current = kb.resolve_id("org", parent) if parent else None
        above[org_id] = chain
    index: dict[str, list[Meeting]] = {}
    for meeting in kb.sorted_meetings:
        owners = {owner for org in meeting_orgs(kb, meeting) for owner in above[org]}
        for owner in owners:
            index.setdefault(owner, []).append(meeting)
    return index


def country_meetings_index(kb: KnowledgeBase) -> dict[str, list[Meeting]]:
    """``country_meetings`` for every country at once, in one pass over the meetings."""
    index: dict[str, list[Meeting]] = {}
    for meeting in kb.sorted_meetings:
        for code in meeting_countries(kb, meeting):
            index.setdefault(code, []).append(meeting)
    return index


# --- what is open with a counterpart ---------------------------------------------------------

DEFAULT_STALE_AFTER = (6, "m")


@dataclass(frozen=True)
class OpenItem:
    """An agreement, commitment or request still open on ``day``: the outcome (its status as on
    the day), how its meeting belongs to the counterpart, when it was made, when it last changed
    (its last dated update by the day, else its meeting) and whether it has gone stale: no due
    date and no change for longer than kb.yaml's ``stale_after``."""

    outcome: Outcome
    relation: str
    made: PartialDate
    last_change: PartialDate
    days_open: int
    stale: bool

    @property
    def ref(self) -> str:
        return f"{self.outcome.meeting.id}#{self.outcome.id}"

    def sort_key(self, day: dt.date) -> tuple:
        """Overdue first, then by due date; undated last, the longest untouched first; those of
        one meeting in the order written."""
        due = self.outcome.due
        overdue = due is not None and due.latest() < day
        return (
            not overdue,
            due is None,
            due.sort_key() if due else (),
            self.last_change.sort_key(),
            self.outcome.meeting.sort_key(),
            self.outcome.index,
        )


def stale_after(kb: KnowledgeBase) -> tuple[int, str]:
    """kb.yaml's ``stale_after`` (its schema keeps it a span), else six months."""
    return dates.span(kb.config.stale_after) or DEFAULT_STALE_AFTER


def open_item(outcome: Outcome, relation: str, day: dt.date, after: tuple[int, str]) -> OpenItem | None:
    """The outcome as an open item on ``day``, or None: not a commitment, not yet made on the day
    (its meeting may be later), or no longer open then."""
    meeting = outcome.meeting
    if outcome.kind not in COMMITMENT_KINDS or not outcome.status:
        return None
    if meeting.status == "cancelled" or not meeting.date.certainly_on_or_before_day(day):
        return None
    status = outcome.status_on(day)
    if status not in OPEN_STATUSES:
        return None
    changes = [u.date for u in outcome.updates if u.date.certainly_on_or_before_day(day)]
    last = max([*changes, meeting.date], key=PartialDate.sort_key)
    stale = outcome.due is None and dates.add_span(last.latest(), after) < day
    days_open = max(0, (day - meeting.date.latest()).days)
    return OpenItem(outcome.with_status(status), relation, meeting.date, last, days_open, stale)


def open_items_in(
    scoped: Iterable[Scoped], day: dt.date, after: tuple[int, str] = DEFAULT_STALE_AFTER
) -> list[OpenItem]:
    """The open items of meetings already scoped (and cut to what a reader may see), in order."""
    found = [
        item
        for each in scoped
        for outcome in each.meeting.outcomes
        if (item := open_item(outcome, each.relation, day, after)) is not None
    ]
    return sorted(found, key=lambda item: item.sort_key(day))


def open_items(
    kb: KnowledgeBase,
    kind: str,
    ident: str,
    day: dt.date,
    see: Callable[[Meeting], Meeting | None] | None = None,
) -> list[OpenItem]:
    """What is open with a person, organisation, country or meeting on ``day``: the open items of
    the meetings a brief on it covers (its own, its post's predecessors' while in the post, its
    country's). ``see`` gives the copy of a meeting a reader may see, or None to leave it out.
    A caller asking about every counterpart calls ``indexed(kb)`` first (one pass over the meetings)."""
    scoped = meetings_for(kb, kind, ident, day, related=True)
    if see is not None:
        scoped = [Scoped(copy, s.relation, s.note, s.via) for s in scoped if (copy := see(s.meeting)) is not None]
    return open_items_in(scoped, day, stale_after(kb))
