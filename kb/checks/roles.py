"""Participants' titles agree with the roles their person record says they held."""

from __future__ import annotations

from kb.checks.placeholders import MARKER
from kb.checks.registry import WARNING, check, finding
from kb.model.text import normalise


def _title_matches(title: str, role_titles: list[str]) -> bool:
    """Sources shorten titles ('Chargé d'Affaires' for 'Chargé d'Affaires a.i.'), so a title
    matches a role when either one's words contain the other's."""
    wanted = set(normalise(title).split())
    for role_title in role_titles:
        words = set(normalise(role_title).split())
        if wanted <= words or words <= wanted:
            return True
    from rapidfuzz import fuzz

    return any(fuzz.token_set_ratio(normalise(title), normalise(r)) >= 85 for r in role_titles)


@check("KB600", "title-mismatch", WARNING, reads="one-meeting")
def titles_match_roles(kb):
    """A participant's title, or the fact that they held any post at all, disagrees with the roles in their
    person record at the meeting's date.

    Titles are recorded as held at the time. A mismatch means the title is wrong or the person's
    record lacks a role (with its start and end); sources may shorten a title ("Ambassador" for
    "Ambassador to Pakistan"), which is not a mismatch.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Foreign Minister}
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
    for meeting in kb.sorted_meetings:
        for participant in meeting.participants:
            person = kb.people.get(participant.person or "")
            if not person or not person.roles:
                continue
            held = person.roles_on(meeting.date)
            if not held:
                line, column = meeting.where("participants", participant.index, "title" if participant.title else "person")
                spans = "; ".join(f"{r.title} ({r.start or '?'} to {r.end or 'now'})" for r in person.roles)
                yield finding("KB600", meeting.relpath, line, column,
                              f"{person.name} held no recorded role on {meeting.date}",
                              f"add the role to {person.relpath} (known roles: {spans})")
            elif any(t.startswith(MARKER) for t in [participant.title or "", *(r.title for r in held)]):
                continue  # a placeholder is reported once, as KB606
            elif participant.title and not _title_matches(participant.title, [r.title for r in held]):
                line, column = meeting.where("participants", participant.index, "title")
                titles = ", ".join(f"'{r.title}'" for r in held)
                yield finding("KB600", meeting.relpath, line, column,
                              f"title '{participant.title}' does not match {person.name}'s role on "
                              f"{meeting.date} ({titles})",
                              f"use the title held then, or add the role to {person.relpath}")
