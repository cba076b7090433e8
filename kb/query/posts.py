"""A post over time: its holders in succession, the vacancies between them, and whether a role
without a recorded end is still held (a later holder of the post ends it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Person, Role


@dataclass(frozen=True)
class Holding:
    person: Person
    role: Role
    succeeded: PartialDate | None  # no end recorded, and the next holder took up the post then
    vacant_after: tuple[PartialDate, PartialDate] | None  # left, and the next holder took up the post later


def successor_start(kb: KnowledgeBase, role: Role, person_id: str) -> PartialDate | None:
    """When the next holder of the role's post took it up, if someone did after the role began."""
    if not role.post or not role.start:
        return None
    later = [
        r.start
        for p, r in kb.holders_of(role.post)
        if p.id != person_id and r.start and r.start.certainly_after_day(role.start.latest())
    ]
    return min(later, key=PartialDate.sort_key) if later else None


def holds(kb: KnowledgeBase, person: Person, role: Role, day: dt.date) -> bool:
    """The role is current on ``day``: begun, not ended, and (without a recorded end) not taken
    over by a later holder of its post by then. A 1947 chargé d'affaires is not in post today."""
    if not role.current(day):
        return False
    if role.end:
        return True
    taken = successor_start(kb, role, person.id)
    return not (taken and taken.earliest() <= day)


def succession(kb: KnowledgeBase, post: str) -> list[Holding]:
    """Everyone who held ``post``, in the order they took it up, with the gaps between them."""
    holders = kb.holders_of(post)
    found = []
    for index, (person, role) in enumerate(holders):
        following = next((r for p, r in holders[index + 1 :] if r.start), None)
        succeeded = following.start if following and not role.end and role.start else None
        vacant = None
        if following and following.start and role.end and (following.start.earliest() - role.end.latest()).days > 1:
            vacant = (role.end, following.start)
        found.append(Holding(person, role, succeeded, vacant))
    return found
