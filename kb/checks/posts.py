"""Posts held over time: two people holding one post at once, and a role left open for decades."""

from __future__ import annotations

import datetime as dt

from kb.checks.registry import WARNING, check, finding
from kb.model import dates

# A role without an end that began this long ago is almost certainly over: an envoy's tenure is
# a few years; a 1947 chargé d'affaires with no end date is not in post today.
OPEN_ENDED_YEARS = 15


@check("KB608", "overlapping-holders", WARNING, reads="no-meetings")
def no_overlapping_holders(kb):
    """Two people hold one post (roles sharing a post) at the same time by their recorded dates.

    One post has one holder at a time: an ambassador's tenure ends before a successor's begins,
    and a chargé d'affaires a.i. holds it in between. Fix the dates, or give the roles different
    posts. A role without an end is not compared here (see KB609). (The base knowledge base has
    Donald Blome as ambassador in the post from 2022-05 to 2024-10.)

    Failing: people/natalie-baker.yaml
        id: natalie-baker
        name: Natalie Baker
        country: US
        roles:
          - title: Chargé d'Affaires a.i.
            post: us-chief-of-mission-pakistan
            start: 2024-08
            end: 2025-06

    Passing: people/natalie-baker.yaml
        id: natalie-baker
        name: Natalie Baker
        country: US
        roles:
          - title: Chargé d'Affaires a.i.
            post: us-chief-of-mission-pakistan
            start: 2024-11
            end: 2025-06
    """
    posts: dict[str, list] = {}
    for person in kb.people_to_check:
        for role in person.roles:
            if role.post and role.start:
                posts.setdefault(role.post, []).append((person, role))
    for post in sorted(posts):
        holders = sorted(posts[post], key=lambda pr: (pr[1].start.sort_key(), pr[0].id))
        for index, (person, role) in enumerate(holders):
            for earlier, earlier_role in holders[:index]:
                if earlier.id == person.id or not earlier_role.end:
                    continue
                if role.start.certainly_before(earlier_role.end) or (
                    role.start.precision == "day" == earlier_role.end.precision
                    and role.start.earliest() < earlier_role.end.earliest()
                ):
                    line, column = person.where("roles", role.index, "start")
                    yield finding(
                        "KB608",
                        person.relpath,
                        line,
                        column,
                        f"{person.name} took up '{post}' ({role.title}) on {role.start}, before "
                        f"{earlier.name} left it on {earlier_role.end}",
                        f"check both dates against the sources; if both held it, one of the two roles "
                        f"belongs to another post ({earlier.relpath})",
                    )


def _year_turns(_meeting, day: dt.date) -> tuple[int, int]:
    """KB609 reads the day's year alone: its findings change on the first day of a year."""
    return dt.date(day.year, 1, 1).toordinal(), dt.date(day.year, 12, 31).toordinal() + 1


@check("KB609", "open-ended-role", WARNING, reads="no-meetings", day=True, turns=_year_turns)
def no_forgotten_open_roles(kb, today: dt.date | None = None):
    """A role without an end that a later holder of the same post took up, or that began more
    than 15 years ago: it is shown as held today until its end is recorded.

    Record when the role ended (the successor's start is a good first guess; cite it).

    Failing: people/paul-alling.yaml
        id: paul-alling
        name: Paul Alling
        country: US
        roles:
          - title: Chargé d'Affaires a.i.
            post: us-chief-of-mission-pakistan
            start: 1947-08

    Passing: people/paul-alling.yaml
        id: paul-alling
        name: Paul Alling
        country: US
        roles:
          - title: Chargé d'Affaires a.i.
            post: us-chief-of-mission-pakistan
            start: 1947-08
            end: 1948-02
    """
    today = today or dates.today()
    holders: dict[str, list] = {}
    for person in kb.people.values():
        for role in person.roles:
            if role.post and role.start:
                holders.setdefault(role.post, []).append((person, role))
    for person in kb.people_to_check:
        for role in person.roles:
            if role.end or not role.start:
                continue
            later = [
                (p, r)
                for p, r in holders.get(role.post or "", ())
                if p.id != person.id and r.start.certainly_after_day(role.start.latest())
            ]
            if later:
                successor, taken = min(later, key=lambda pr: pr[1].start.sort_key())
                line, column = person.where("roles", role.index, "start")  # read only for a finding
                yield finding(
                    "KB609",
                    person.relpath,
                    line,
                    column,
                    f"{person.name}'s role '{role.title}' has no end, but {successor.name} took up "
                    f"'{role.post}' on {taken.start}",
                    f"record when {person.name} left the post (end:), citing a source",
                )
            elif role.start.latest().year <= today.year - OPEN_ENDED_YEARS:
                line, column = person.where("roles", role.index, "start")
                yield finding(
                    "KB609",
                    person.relpath,
                    line,
                    column,
                    f"{person.name}'s role '{role.title}' began {role.start} and has no end: it reads as held today",
                    "record when the role ended (end:), citing a source",
                )
