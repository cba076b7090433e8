"""Build the context of a brief: one plain, JSON-ready dict that every output format renders.

The steps, each a plain function of the last: resolve the counterpart -> gather its meetings and
why each belongs (:mod:`kb.scope`) -> keep what was known as of the day (:mod:`kb.asof`) -> keep
what the audience may read (:mod:`kb.sensitivity`) -> describe (:mod:`kb.describe`). The shape is
documented in the README and in ``kb/schemas/brief-output.schema.json``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from kb.errors import KBError
from kb.model import countries, dates
from kb.model.records import KnowledgeBase, Meeting, Person
from kb.query import asof, posts, scope
from kb.query.audience import Audience
from kb.query.resolve import Counterpart
from kb.views import describe, digest

FORMAT_VERSION = 1


class BriefError(KBError, ValueError):
    """A brief that cannot be made for this audience or date."""


def build(
    kb: KnowledgeBase,
    counterpart: Counterpart,
    audience: Audience,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    limit: int | None = digest.DEFAULT_LIMIT,
) -> dict:
    """The brief's context. ``limit``: how many meetings (newest first) are shown in full; older
    ones are listed one line each and counted by year (see :mod:`kb.views.digest`); None: all."""
    day = as_of or today or dates.today()
    subject_meeting = _subject_meeting(kb, counterpart, audience, as_of)
    scoped = scope.meetings_for(kb, counterpart.kind, counterpart.id, day, related=True)
    known = _known_ids(kb, audience, as_of)
    visible = _visible(scoped, audience, as_of)
    held = [s for s in visible if s.meeting.status != "planned"]
    upcoming = [s for s in visible if s.meeting.status == "planned"]
    direct = [s for s in held if s.relation == "direct" and s.meeting.status == "held"]
    last = direct[-1] if direct else next((s for s in reversed(held) if s.meeting.status == "held"), None)
    full, table, counted = digest.split(held[::-1], limit)
    committed = [s for s in visible if _has_open_commitment(s.meeting)]
    # Copies cut to the audience, only of the meetings whose parts are shown: a long history is
    # admitted (and counted) whole, but only read for its dates, places, people and topics.
    shown = _copies(audience, known, [*full, *table, *upcoming, *([last] if last else []), *committed])
    full, table, upcoming = shown(full), shown(table), shown(upcoming)
    last = shown([last])[0] if last else None

    context = {
        "format": "kb-brief",
        "version": FORMAT_VERSION,
        "knowledge_base": {"name": kb.config.name, "our_side": countries.describe(kb.our_side)},
        "as_of": describe.day_info(day),
        "as_of_given": as_of is not None,
        "subject": _subject(kb, counterpart, audience, day, subject_meeting, as_of is not None),
        "summary": _summary(held, direct),
        "commitments": _commitments(kb, shown(committed), day),
        "last_meeting": _last_meeting(kb, last, day),
        "topics": _topics(kb, held),
        "meetings": [_entry(kb, s, day) for s in full],
        "summarised": digest.summarised(limit, len(held), len(full), len(table), counted),
        "earlier": [digest.line(kb, s.meeting, s.relation, s.via) for s in table],
        "by_year": digest.by_year(kb, [(s.meeting, s.relation) for s in held], scope.RELATIONS),
        "upcoming": [_entry(kb, s, day) for s in upcoming],
        "related_people": _related_people(kb, counterpart, day, held),
        "sources": _sources(kb, full[::-1], audience),
    }
    # Read last: the audience has now seen every part of the brief and counted what it withheld.
    context["audience"] = audience.summary()
    return context


def _subject_meeting(kb, counterpart: Counterpart, audience: Audience, as_of) -> Meeting | None:
    if counterpart.kind != "meeting":
        return None
    meeting = kb.meetings[counterpart.id]
    if not audience.may_see(meeting):
        raise BriefError(
            f"meeting {meeting.id} is marked {meeting.sensitivity or audience.default}, above the "
            f"audience {audience.level}: no brief on it can be made for that audience"
        )
    # The meeting briefed for is known in advance (it is the agenda): only its sources and status
    # updates are cut back to the as-of date.
    if as_of is not None:
        meeting = asof.restrict(meeting, as_of, even_if_later=True)
    return audience.meetings([meeting], _known_ids(kb, audience, as_of))[0]


def _known_ids(kb: KnowledgeBase, audience: Audience, as_of) -> set[str]:
    """Meetings the reader may know of at all, in this brief or not: links to others are cut."""
    if audience.level is None and as_of is None:
        return set(kb.meetings)  # every meeting: no audience and no date to cut at
    return {m.id for m in kb.meetings.values() if audience.may_see(m) and (as_of is None or asof.known_on(m, as_of))}


def _visible(scoped: list[scope.Scoped], audience: Audience, as_of) -> list[scope.Scoped]:
    """The meetings known as of the day and within the audience (counted, not yet copied)."""
    result = []
    for item in scoped:
        meeting = asof.restrict(item.meeting, as_of) if as_of is not None else item.meeting
        if meeting is not None and audience.admit(meeting):
            result.append(scope.Scoped(meeting, item.relation, item.note, item.via))
    return result


def _copies(audience: Audience, known: set[str], items: list[scope.Scoped]):
    """A function giving, for admitted items among ``items``, the same items holding the
    audience's copies of their meetings (each copied once)."""
    copies = {
        item.meeting.id: copy
        for item, copy in zip(items, audience.meetings([i.meeting for i in items], known, count=False), strict=True)
    }

    def shown(chosen: list[scope.Scoped]) -> list[scope.Scoped]:
        return [scope.Scoped(copies[s.meeting.id], s.relation, s.note, s.via) for s in chosen]

    return shown


def _has_open_commitment(meeting: Meeting) -> bool:
    return meeting.has_open_commitment()


def _entry(kb: KnowledgeBase, item: scope.Scoped, day: dt.date) -> dict:
    entry = describe.meeting_detail(kb, item.meeting, day)
    entry["relation"] = item.relation
    entry["relation_note"] = item.note
    entry["via"] = describe.person_ref(kb, item.via)
    return entry


def _person_profile(
    kb: KnowledgeBase, person: Person, audience: Audience, day: dt.date, query: str | None, as_of_given: bool
):
    # Background notes carry no date: an as-of brief cannot tell whether they were known then.
    person = audience.person(person, notes=not as_of_given)
    begun = [r for r in person.roles if not r.start or r.start.earliest() <= day]
    native = describe.native_name(person)
    return {
        "kind": "person",
        "id": person.id,
        "name": person.name,
        "native": native,
        "query": query,
        "aliases": [a.name for a in person.aliases if not a.weak and not (native and a.name == native["name"])],
        "country": countries.describe(person.country()),
        "wikidata": person.wikidata,
        "current_roles": [describe.role_info(kb, r, day) for r in begun if posts.holds(kb, person, r, day)],
        "roles": [describe.role_info(kb, r, day) for r in reversed(begun)],
        "notes": person.notes,
    }


def _subject(
    kb, counterpart: Counterpart, audience: Audience, day: dt.date, meeting: Meeting | None, as_of_given: bool
) -> dict:
    base = {"kind": counterpart.kind, "id": counterpart.id, "name": counterpart.name, "query": counterpart.query}
    if counterpart.kind == "person":
        return {**base, **_person_profile(kb, kb.people[counterpart.id], audience, day, counterpart.query, as_of_given)}
    if counterpart.kind == "org":
        org = kb.orgs[counterpart.id]
        return {
            **base,
            "abbreviation": org.abbreviation,
            "aliases": list(org.aliases),
            "org_kind": org.org_kind,
            "country": countries.describe(org.country()),
            "parent": describe.org_ref(kb, org.parent),
            "url": org.url,
        }
    if counterpart.kind == "country":
        return {**base, "country": countries.describe(counterpart.id)}
    assert meeting is not None  # the counterpart is a meeting, which the caller handed over
    people, sides = scope.counterpart_people(kb, meeting), scope.counterpart_sides(kb, meeting)
    return {
        **base,
        "meeting": describe.meeting_detail(kb, meeting, day),
        "counterparts": [
            _person_profile(kb, kb.people[p], audience, day, None, as_of_given) for p in people if p in kb.people
        ],
        "sides": [countries.describe(s) for s in sides],
    }


def _summary(held: list[scope.Scoped], direct: list[scope.Scoped]) -> dict:
    def when(items, index):
        return describe.date_info(items[index].meeting.date) if items else None

    return {
        "meetings": len(held),
        "met": len(direct),
        "first_met": when(direct, 0),
        "last_met": when(direct, -1),
        "last_met_meeting": describe.meeting_ref(direct[-1].meeting) if direct else None,
        "by_relation": {r: sum(1 for s in held if s.relation == r) for r in scope.RELATIONS},
    }


def _commitments(kb: KnowledgeBase, visible: list[scope.Scoped], day: dt.date) -> list[dict]:
    """What is open with the counterpart (:func:`kb.query.scope.open_items`), both sides, overdue
    first, then by due date, the undated last and the longest untouched of them first."""
    return [describe.open_item_info(kb, item, day) for item in scope.open_items_in(visible, day, scope.stale_after(kb))]


def _last_meeting(kb: KnowledgeBase, item: scope.Scoped | None, day: dt.date) -> dict | None:
    if item is None:
        return None
    meeting = item.meeting
    return {
        **describe.meeting_ref(meeting),
        "relation": item.relation,
        "relation_note": item.note,
        "outcomes": [describe.outcome_info(kb, o, day) for o in meeting.outcomes],
    }


def _topics(kb: KnowledgeBase, held: list[scope.Scoped]) -> list[dict]:
    """Topics of the meetings held, most frequent first, then most recent."""
    named: list[str] = []  # every topic of every meeting held, counted at once
    last: dict = {}  # topic -> (date's sort key, meeting) of its latest meeting (the first of equals)
    for item in held:
        meeting = item.meeting
        if meeting.status != "held" or not (topic_ids := meeting.topic_ids):
            continue
        named += topic_ids
        key = meeting.order[:-1]  # the date's sort key (the order's, made once), without the id
        for topic in topic_ids:
            seen = last.get(topic)
            if seen is None or seen[0] < key:
                last[topic] = (key, meeting)
    counts = Counter(named)
    ordered = sorted(counts, key=lambda t: (-counts[t], tuple(-x for x in last[t][0]), t))
    return [
        {**describe.topic_ref(kb, t), "count": counts[t], "last": describe.date_info(last[t][1].date)} for t in ordered
    ]


def _related_people(kb: KnowledgeBase, counterpart: Counterpart, day: dt.date, held) -> list[dict]:
    related: dict[str, dict] = {}

    def add(person: Person, relation: str, detail: str | None = None):
        if person.id == counterpart.id or person.id in related:
            return
        roles = [r for r in person.roles if posts.holds(kb, person, r, day)]
        role = roles[-1] if roles else None
        related[person.id] = {
            "id": person.id,
            "name": person.name,
            "relation": relation,
            "detail": detail,
            "title": role.title if role else None,
            "org": describe.org_ref(kb, role.org if role else None),
            "country": countries.describe(person.country()),
        }

    if counterpart.kind == "person":
        _add_person_related(kb, kb.people[counterpart.id], day, held, add)
    elif counterpart.kind == "org":
        _add_org_people(kb, counterpart.id, day, add)
    elif counterpart.kind == "country":
        _add_same_side(kb, add, held, {counterpart.id})
    else:
        for participant in kb.meetings[counterpart.id].participants:
            attendee = kb.people.get(kb.resolve_id("person", participant.person or "") or "")
            if attendee:
                add(attendee, "in this meeting", countries.name(participant.side))
    return _in_relation_order(kb, related)


def _in_relation_order(kb: KnowledgeBase, related: dict[str, dict]) -> list[dict]:
    """Predecessors and successors in succession (the order they took up the post), others by name."""
    order = (
        "predecessor",
        "successor",
        "in this meeting",
        "role in the organisation",
        "same organisation",
        "same side",
    )
    added = {person_id: index for index, person_id in enumerate(related)}
    return sorted(
        related.values(),
        key=lambda r: (
            order.index(r["relation"]),
            added[r["id"]] if r["relation"] in order[:2] else 0,
            kb.people[r["id"]].sort_name,
        ),
    )


def _add_person_related(kb: KnowledgeBase, person: Person, day: dt.date, held, add) -> None:
    """A person's predecessors and successors, colleagues in the same organisations, and the
    people who attended for the same side."""
    for tenure in scope.tenures(kb, person, day):
        span = _span(tenure.role, posts.successor_start(kb, tenure.role, tenure.person.id))
        add(tenure.person, tenure.relation, f"{tenure.role.title}{span}")
    orgs = {r.org for r in person.current_roles(day) if r.org}
    # Only people with a role in one of those organisations at all can hold one now.
    candidates = [p for p in kb.people.values() if not orgs.isdisjoint(p.role_orgs())]
    for other in sorted(candidates, key=lambda p: p.sort_name):
        if orgs & {r.org for r in other.current_roles(day) if r.org}:
            add(other, "same organisation")
    side = person.country()
    _add_same_side(kb, add, held, {side} if side else set())


def _add_org_people(kb: KnowledgeBase, org_id: str, day: dt.date, add) -> None:
    """People with a role (begun by ``day``) in the organisation or its family."""
    family = scope.org_family(kb, org_id)
    candidates = [p for p in kb.people.values() if not p.role_orgs().isdisjoint(family)]
    for other in sorted(candidates, key=lambda p: p.sort_name):
        roles = [r for r in other.roles if r.org in family and (not r.start or r.start.earliest() <= day)]
        if roles:
            add(other, "role in the organisation", f"{roles[-1].title}{_span(roles[-1])}")


def _add_same_side(kb, add, held, sides: set[str]) -> None:
    """People who attended these meetings for one of ``sides`` (never our own side)."""
    sides = {side for side in sides if not kb.is_ours(side)}
    for item in held:
        for person_id, side in item.meeting.people_and_sides():  # not typed participants: a long history
            if side in sides:
                person = kb.people.get(kb.resolve_id("person", person_id) or "")
                if person:
                    add(person, "same side", countries.name(side))


def _span(role, succeeded=None) -> str:
    start = role.start.human() if role.start else "?"
    end = role.end.human() if role.end else (f"{succeeded.human()}, end not recorded" if succeeded else "present")
    return f" ({start} – {end})"


def _sources(kb: KnowledgeBase, held: list[scope.Scoped], audience: Audience) -> list[dict]:
    """Every source of the meetings shown in full, newest meeting first, each with its stored copy
    (``archive``) when the audience may see it."""
    found = []
    for item in reversed(held):
        for source in item.meeting.sources:
            archive = describe.archived_copy(kb.root, source.archive, audience)
            found.append(
                {**describe.source_info(source), "archive": archive, "meeting": describe.meeting_ref(item.meeting)}
            )
    return found
