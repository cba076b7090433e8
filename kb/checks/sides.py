"""Whose meeting it was: a record of our side's meetings names someone from our side."""

from __future__ import annotations

from kb.checks.registry import WARNING, check, finding


@check("KB610", "nobody-from-our-side", WARNING, reads="one-meeting")
def someone_from_our_side(kb):
    """A meeting lists nobody on our side (our_side in kb.yaml): who met them is missing.

    Every meeting in a desk's knowledge base is one of ours; add the person or office that took
    part (an organisation alone, such as the ministry, will do when no name is reported).

    Failing: meetings/2024-09-02-blome.yaml
        id: 2024-09-02-blome
        title: The US Ambassador meets the press
        date: 2024-09-02
        status: held
        participants:
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/press

    Passing: meetings/2024-09-02-blome.yaml
        id: 2024-09-02-blome
        title: The US Ambassador meets the Interior Ministry
        date: 2024-09-02
        status: held
        participants:
          - {person: donald-blome, side: US, title: Ambassador}
          - {org: pk-interior, side: PK}
        sources:
          - url: https://example.org/press
    """
    ours = kb.our_side
    if kb.config_problems:
        return  # whose side we keep is unknown while kb.yaml is broken (it is reported itself)
    for meeting in kb.sorted_meetings:
        if kb.ours_present(meeting):
            continue
        line, column = meeting.where("participants", at_key=True)
        sides = ", ".join(sorted({p.side for p in meeting.participants if p.side}))
        yield finding(
            "KB610",
            meeting.relpath,
            line,
            column,
            f"nobody on our side ({ours}) is listed among the participants (only {sides})",
            f"add who took part for {ours}, as a person or as an organisation (org: ..., side: {ours})",
        )
