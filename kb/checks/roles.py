"""Participants' titles agree with the roles their person record says they held."""

from __future__ import annotations

from kb.checks.placeholders import MARKER
from kb.checks.registry import WARNING, check, finding
from kb.model.text import normalise

# Words the press uses for someone standing in as head of a mission ("Acting US Ambassador",
# "interim High Commissioner"), and the titles such a stand-in holds.
STAND_IN_WORDS = {"acting", "interim", "ai"}
HEAD_OF_MISSION_WORDS = ("ambassador", "high commissioner", "envoy", "chief of mission", "head of mission")
CHARGE = "charge d affaires"


def _is_press_form_of_acting_head(title: str, roles) -> bool:
    """'Acting Ambassador' (and 'Acting US Ambassador', 'interim High Commissioner') is how the
    press names a chargé d'affaires, or anyone acting as head of mission: accepted for a role that
    is acting or is a chargé d'affaires', never for a deputy who held no such role."""
    words = normalise(title).replace("a i", "ai").split()
    if not STAND_IN_WORDS & set(words):
        return False
    text = " ".join(words)
    if not any(head in text for head in HEAD_OF_MISSION_WORDS):
        return False
    return any(role.acting or CHARGE in normalise(role.title) for role in roles)


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
    """A participant's title, or the post recorded for them, disagrees with the roles in their
    person record at the meeting's date.

    The title is the one the source gives; it matches a role when one's words contain the other's
    ('Chargé d'Affaires' for 'Chargé d'Affaires a.i.'), and the press forms of a stand-in head of
    mission ('Acting US Ambassador') match an acting role or a chargé d'affaires. When a source's
    title names no role at all, keep it and give the post held as the participant's ``post``.

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
                spans = "; ".join(f"{r.title} ({r.start or '?'} to {r.end or 'now'})" for r in person.roles)
                line, column = meeting.where(
                    "participants", participant.index, "title" if participant.title else "person"
                )
                yield finding(
                    "KB600",
                    meeting.relpath,
                    line,
                    column,
                    f"{person.name} held no recorded role on {meeting.date}",
                    f"check the meeting's date and {person.relpath}'s role dates; add a role only "
                    f"if a source shows it (known roles: {spans})",
                )
            elif participant.post:
                if not any(r.post == participant.post for r in held):
                    line, column = meeting.where("participants", participant.index, "post")
                    posts = ", ".join(f"'{r.post}' ({r.title})" for r in held if r.post) or "none with a post"
                    yield finding(
                        "KB600",
                        meeting.relpath,
                        line,
                        column,
                        f"{person.name} did not hold the post '{participant.post}' on {meeting.date}",
                        f"the posts held then: {posts}",
                    )
            elif any(t.startswith(MARKER) for t in [participant.title or "", *(r.title for r in held)]):
                continue  # a placeholder is reported once, as KB606
            elif (
                participant.title
                and not _title_matches(participant.title, [r.title for r in held])
                and not _is_press_form_of_acting_head(participant.title, held)
            ):
                line, column = meeting.where("participants", participant.index, "title")
                titles = ", ".join(f"'{r.title}'" for r in held)
                held_posts = [r.post for r in held if r.post]
                keep = (
                    f"if a source gives this title, keep it and add `post: {held_posts[0]}` (the post held) to "
                    "the participant; "
                    if len(held_posts) == 1
                    else "if a source gives this title, keep it and add the post held as the participant's `post`; "
                )
                yield finding(
                    "KB600",
                    meeting.relpath,
                    line,
                    column,
                    f"title '{participant.title}' does not match {person.name}'s role on {meeting.date} ({titles})",
                    keep + "otherwise correct the title",
                )
