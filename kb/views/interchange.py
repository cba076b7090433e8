"""What the interchange exports (FollowTheMoney, Popolo) share: the records an audience may read,
gathered once, and the one scheme of ids both write.

Ids are derived from kb's own, so the same record keeps the same id from one export to the next
and in both formats:

    kb-person-<id>     a person            kb-org-<id>          an organisation
    kb-meeting-<id>    a meeting           kb-post-<post>       a post (the slug its holders share)
    kb-position-<person>-<n>   the post of a person's n-th role (counted from 1 in the file), when
                               the role names no post
    kb-role-<person>-<n>       that role: who held which post, from when to when
    kb-parent-<org>            an organisation being part of its parent (FtM only)
    kb-source-<meeting>-<n>    the n-th source of a meeting, as it documents the meeting (FtM only)
    kb-document-<hash>         a source document itself (FtM only): the first 20 hex digits of
                               the SHA-1 of its URL (else of its document reference), so that a
                               page cited by several meetings is one document

FtM allows letters, digits, ``-`` and ``.`` in an id, and reads what follows a ``.`` as the
signature of a namespace (``ftm aggregate`` cuts it off), so a part's number follows a ``-``. Ids
cannot collide: the kinds differ in their prefix, a record's id is a slug (``[a-z0-9-]``), and a
part's number is the last ``-``-separated piece of its id, all digits. A record renamed keeps its
old id in ``former_ids``; references by an old id are resolved to the current one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Meeting, Org, Person, Role
from kb.query.audience import Audience

# Organisation kinds that are government bodies (FtM PublicBody); the others are organisations.
GOVERNMENT_KINDS = frozenset({"ministry", "agency", "embassy", "police", "government"})


def entity_id(kind: str, ident: str, number: int | None = None) -> str:
    """The export id of a record (``kb-person-<id>``) or of its n-th part (``kb-role-<id>-<n>``)."""
    return f"kb-{kind}-{ident}" if number is None else f"kb-{kind}-{ident}-{number}"


def document_id(key: str) -> str:
    return "kb-document-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def day(date: PartialDate | None) -> str | None:
    """A partial date as both formats write one (``2024``, ``2024-07``, ``2024-07-13``): without
    kb's ``~`` or ``?``, which neither can say."""
    if date is None:
        return None
    return str(date).rstrip("~?")


def role_status(role: Role, today: dt.date) -> str:
    """``ended``, ``current`` or ``unknown`` (a role not yet begun, or with no dates to tell)."""
    if role.end is not None and role.end.latest() < today:
        return "ended"
    if role.start is not None and role.current(today):
        return "current"
    return "unknown"


@dataclass(frozen=True)
class Tenure:
    """One role of one person, with the ids of its post and of the role itself."""

    person: Person
    role: Role
    post_id: str
    role_id: str
    org: str | None  # the organisation's current id, when the role names a known one


@dataclass
class Interchange:
    """The records an audience may read: every organisation, every person as the audience may
    read them (no notes or alias above it), their roles, and the meetings it may read holding
    only the parts it may read."""

    kb: KnowledgeBase
    orgs: list[Org]
    people: list[Person]
    tenures: list[Tenure]
    posts: dict[str, Tenure] = field(default_factory=dict)  # post id -> its first tenure
    meetings: list[Meeting] = field(default_factory=list)

    def person_ref(self, ref: str | None) -> str | None:
        """The current id of the person ``ref`` names (an id or a former id), None for none."""
        return (self.kb.resolve_id("person", ref) or None) if isinstance(ref, str) else None

    def org_ref(self, ref: str | None) -> str | None:
        return (self.kb.resolve_id("org", ref) or None) if isinstance(ref, str) else None

    def participants(self, meeting: Meeting) -> tuple[list[str], list[str]]:
        """The ids of the people and of the organisations taking part in ``meeting``, each once,
        in the order the record gives them."""
        people: dict[str, None] = {}
        orgs: dict[str, None] = {}
        for participant in meeting.participants:
            if person := self.person_ref(participant.person):
                people.setdefault(person)
            if org := self.org_ref(participant.org):
                orgs.setdefault(org)
        return list(people), list(orgs)

    def topic_labels(self, meeting: Meeting) -> list[str]:
        topics = self.kb.topics
        return [topics[t].label if t in topics else t for t in meeting.topic_ids]


def gather(kb: KnowledgeBase, audience: Audience) -> Interchange:
    """The records ``audience`` may read, cut as every export cuts them (kb.query.audience), the
    withheld counted on ``audience``."""
    orgs = sorted(kb.orgs.values(), key=lambda o: o.id)
    people = [audience.person(p) for p in sorted(kb.people.values(), key=lambda p: p.id)]
    known = {m.id for m in kb.meetings.values() if audience.may_see(m)}
    meetings = audience.meetings(kb.sorted_meetings, known)
    found = Interchange(kb, orgs, people, [], {}, meetings)
    for person in people:
        for role in sorted(person.roles, key=lambda r: r.index):
            number = role.index + 1
            post_id = entity_id("post", role.post) if role.post else entity_id("position", person.id, number)
            tenure = Tenure(person, role, post_id, entity_id("role", person.id, number), found.org_ref(role.org))
            found.tenures.append(tenure)
            found.posts.setdefault(post_id, tenure)
    return found
