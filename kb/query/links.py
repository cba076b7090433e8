"""What points at a record: the meetings a person attended, earlier and later meetings with the
same counterparts, commitments made by, to or owned by someone, people holding roles in an
organisation, and the holders of a post before and after someone. Shared by `kb show` and briefs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb.model import dates
from kb.model.records import OPEN_STATUSES, KnowledgeBase, Meeting, Outcome, Person, Record, Role
from kb.query import scope


def _ids(kb: KnowledgeBase, kind: str, record_id: str) -> set[str]:
    """The id and every former id of a record: references may use either."""
    record: Record | None = kb.table(kind).get(record_id)
    return {record_id, *(record.former_ids if record else [])}


def related_meetings(kb: KnowledgeBase, meeting: Meeting) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings with at least one of the same counterparts: (earlier, later), in date order."""
    people = set(scope.counterpart_people(kb, meeting))
    earlier: list[Meeting] = []
    later: list[Meeting] = []
    for other in kb.sorted_meetings:
        if other.id == meeting.id or people.isdisjoint(scope.counterpart_people(kb, other)):
            continue
        (earlier if other.sort_key() < meeting.sort_key() else later).append(other)
    return earlier, later


def commitments_involving(kb: KnowledgeBase, kind: str, record_id: str) -> list[tuple[Outcome, str]]:
    """(outcome, how) for every outcome made by, to, or owned by the record."""
    ids = _ids(kb, kind, record_id)
    found = []
    for meeting in kb.sorted_meetings:
        if not meeting.may_involve(ids):
            continue  # told by its head: not decoded
        for outcome in meeting.outcomes:
            how = [word for word, named in (("by", outcome.by), ("to", outcome.to)) if ids & set(named)]
            if outcome.owner in ids:
                how.append("owner")
            if how:
                found.append((outcome, ", ".join(how)))
    return found


def references_to_meeting(kb: KnowledgeBase, meeting_id: str) -> list[tuple[Meeting, str]]:
    """(meeting, relation) for meetings that name this one: as parent, as an earlier meeting,
    or from an outcome fulfilled, revisited or updated in it."""
    return references_index(kb).get(meeting_id, [])


def references_index(
    kb: KnowledgeBase, meetings: Iterable[Meeting] | None = None
) -> dict[str, list[tuple[Meeting, str]]]:
    """``references_to_meeting`` for every meeting at once, in one pass over the meetings (or over
    ``meetings`` alone, in the knowledge base's order: those that may refer to the ones wanted)."""
    index: dict[str, list[tuple[Meeting, str]]] = {}
    seen: set[tuple[str, str, str]] = set()  # (target, file, how) listed: a set, not a scan of the list

    def add(target, meeting, how):
        if isinstance(target, str) and (target, meeting.relpath, how) not in seen:
            seen.add((target, meeting.relpath, how))
            index.setdefault(target, []).append((meeting, how))

    for meeting in kb.sorted_meetings if meetings is None else meetings:
        add(meeting.parent, meeting, "part of it")
        for target in meeting.follows:
            add(target, meeting, "follows it")
        for outcome in meeting.outcomes:
            add(outcome.fulfilled_by, meeting, f"'{outcome.id}' was fulfilled in it")
            for target in outcome.revisited_in:
                add(target, meeting, f"'{outcome.id}' was revisited in it")
            for _, target in outcome.update_meetings():
                add(target, meeting, f"'{outcome.id}' was updated in it")
            add(
                (outcome.follows_up or "").partition("#")[0] or None,
                meeting,
                f"'{outcome.id}' follows up an outcome of it",
            )
    return index


def people_of_org(kb: KnowledgeBase, org_id: str) -> list[tuple[Person, Role]]:
    ids = _ids(kb, "org", org_id)
    holders = [(p, r) for p in kb.people.values() for r in p.roles if r.org in ids]
    return sorted(holders, key=lambda pr: (pr[1].start.sort_key() if pr[1].start else (0,), pr[0].id))


def post_history(kb: KnowledgeBase, person: Person) -> dict[str, list[tuple[Person, Role]]]:
    """For each post the person held, everyone who held it, in order: predecessors and successors."""
    return {role.post: kb.holders_of(role.post) for role in person.roles if role.post}


@dataclass
class Backlinks:
    meetings: list[Meeting] = field(default_factory=list)
    earlier: list[Meeting] = field(default_factory=list)
    later: list[Meeting] = field(default_factory=list)
    referenced_by: list[tuple[Meeting, str]] = field(default_factory=list)
    commitments: list[tuple[Outcome, str]] = field(default_factory=list)
    people: list[tuple[Person, Role]] = field(default_factory=list)
    posts: dict[str, list[tuple[Person, Role]]] = field(default_factory=dict)


def backlinks(kb: KnowledgeBase, kind: str, record_id: str) -> Backlinks:
    links = Backlinks()
    if kind == "person":
        links.meetings = scope.person_meetings(kb, record_id)
        links.commitments = commitments_involving(kb, "person", record_id)
        links.posts = post_history(kb, kb.people[record_id])
    elif kind == "org":
        links.meetings = scope.org_meetings(kb, record_id)
        links.commitments = commitments_involving(kb, "org", record_id)
        links.people = people_of_org(kb, record_id)
    else:
        links.earlier, links.later = related_meetings(kb, kb.meetings[record_id])
        links.referenced_by = references_to_meeting(kb, record_id)
    return links


def open_outcomes(meeting: Meeting) -> list[Outcome]:
    return [o for o in meeting.outcomes if o.status in OPEN_STATUSES]


def current_title(person: Person, today: dt.date | None = None) -> str:
    roles = person.current_roles(today or dates.today())
    return roles[-1].title if roles else ""
