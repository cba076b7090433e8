"""`kb dedupe`'s proposals as data (JSON) and as text: each pair with the two records in short,
its score, strength and reasons."""

from __future__ import annotations

import datetime as dt

from kb import __version__
from kb.model.records import KnowledgeBase
from kb.query.duplicates import Candidate, meeting_count
from kb.query.links import current_title

KIND_WORDS = {"person": ("person", "people"), "org": ("organisation", "organisations")}


def record_brief(kb: KnowledgeBase, kind: str, ident: str, today: dt.date | None = None) -> dict:
    """What a reviewer needs to tell two records apart: name, country, roles, meetings."""
    if kind == "person":
        person = kb.people[ident]
        meetings = kb.meetings_with(ident)
        return {
            "id": ident,
            "name": person.name,
            "country": person.country(),
            "aliases": [a.name for a in person.aliases if not a.weak],
            "title": current_title(person, today) or (person.roles[-1].title if person.roles else ""),
            "roles": [_role(r) for r in person.roles],
            "meetings": len(meetings),
            "first_met": str(meetings[0].date) if meetings else None,
            "last_met": str(meetings[-1].date) if meetings else None,
            "path": person.relpath,
        }
    org = kb.orgs[ident]
    return {
        "id": ident,
        "name": org.name,
        "country": org.country(),
        "abbreviation": org.abbreviation,
        "aliases": list(org.aliases),
        "kind": org.org_kind,
        "parent": org.parent,
        "meetings": meeting_count(kb, "org", ident),
        "path": org.relpath,
    }


def _role(role) -> str:
    dates = f"{role.start or '?'}–{role.end or ''}" if role.start or role.end else ""
    return f"{role.title}" + (f" ({dates})" if dates else "")


def as_data(kb: KnowledgeBase, found: list[Candidate], kinds: tuple[str, ...], audience: str | None) -> dict:
    return {
        "format": "kb-dedupe",
        "version": __version__,
        "kinds": list(kinds),
        "audience": audience,
        "count": len(found),
        "pairs": [
            {
                "kind": c.kind,
                "ids": [c.keep, c.other],
                "score": c.score,
                "strength": c.strength,
                "reasons": [{"code": r.code, "text": r.text, "weight": r.weight} for r in c.reasons],
                "records": [record_brief(kb, c.kind, c.keep), record_brief(kb, c.kind, c.other)],
            }
            for c in found
        ],
    }


def _between(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return f" {first}" if first == last else f" {first}–{last}"


def describe(kb: KnowledgeBase, candidate: Candidate) -> list[str]:
    """A pair in a few lines: the score and ids, each record in short, the reasons (+ for, - against,
    ~ neither)."""
    lines = [
        f"{candidate.score:.2f} {candidate.strength:<8} {KIND_WORDS[candidate.kind][0]} "
        f"{candidate.keep} ~ {candidate.other}"
    ]
    for ident in (candidate.keep, candidate.other):
        brief = record_brief(kb, candidate.kind, ident)
        facts = [brief["country"] or "country unknown"]
        if brief.get("title"):
            facts.append(brief["title"])
        if brief.get("abbreviation"):
            facts.append(brief["abbreviation"])
        facts.append(
            f"{brief['meetings']} meeting{'s' if brief['meetings'] != 1 else ''}"
            + _between(brief.get("first_met"), brief.get("last_met"))
        )
        lines.append(f"    {ident}: {brief['name']} ({'; '.join(facts)})")
    for reason in candidate.reasons:
        sign = "+" if reason.weight > 0 else "-" if reason.weight < 0 else "~"  # for, against, neither
        lines.append(f"    {sign} {reason.text}")
    return lines


def as_text(kb: KnowledgeBase, found: list[Candidate], kinds: tuple[str, ...]) -> str:
    what = " and ".join(KIND_WORDS[k][1] for k in kinds)
    if not found:
        return f"No {what} to review: no undecided pair looks like one record.\n"
    lines = [f"{len(found)} pair{'s' if len(found) != 1 else ''} of {what} that may be one record, best first:", ""]
    for candidate in found:
        lines += describe(kb, candidate)
        lines.append("")
    first = found[0]
    lines.append(
        "Judge each pair: `kb merge KEEP GONE` makes one record of two (e.g. "
        f"`kb merge {first.keep} {first.other}`); `kb decide different|unsure A B --why TEXT` records "
        "that they are not one, or that you cannot tell. Judged pairs are not proposed again."
    )
    return "\n".join(lines) + "\n"
