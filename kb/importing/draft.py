"""A drafted meeting and what came with it: people to propose, what was matched and how, and
whether the knowledge base already holds the meeting."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model.records import Meeting
from kb.model.text import normalise


@dataclass
class ProposedPerson:
    id: str
    name: str
    title: str | None
    country: str | None
    seen: str  # where: 'the article', 'visits.csv row 17'

    def record(self) -> dict:
        from kb.model.names import parse

        person = {"id": self.id, **parse(self.name, self.country).fields()}
        if self.country:
            person["country"] = self.country
        seen_as = f" as '{self.title}'" if self.title else ""
        person["notes"] = (f"Drafted by kb import from {self.seen}, where this person appears{seen_as}. "
                           "Confirm who this is, then add name parts, aliases and dated roles.")
        return person


@dataclass
class Existing:
    """A meeting already recorded that the draft reports again."""

    meeting: Meeting
    source: dict  # the draft's source, to add to it
    already: bool  # the source's url is already one of the meeting's sources
    also_named: list[str] = field(default_factory=list)  # people the draft names that the record lacks


@dataclass
class Draft:
    meeting: dict
    messages: list[str] = field(default_factory=list)
    people: list[ProposedPerson] = field(default_factory=list)
    existing: Existing | None = None
    row: int | None = None


def person_slug(name: str) -> str:
    """An id from a name: ASCII, titles left out, bounded (kb.model.names.slug)."""
    from kb.model.names import slug

    return slug(name) or slug(f"person {normalise(name)}") or "person"


def family_name(kb, person_id: str, fallback: str) -> str:
    """The name a meeting id is made from: the family name ('Al Thani', 'von der Leyen'), else
    the whole name without titles for a mononym, regnal or nasab-only name."""
    from kb.model.names import parse

    person = kb.people.get(person_id)
    if person is not None and person.get("family_name"):
        return person.get("family_name")
    name = person.name if person is not None else fallback
    if not name.split():
        return person_id
    parsed = parse(name, person.country() if person is not None else None)
    return parsed.family or parsed.name or name


def meeting_id(date, names: list[str]) -> str:
    """'2024-07-13-naqvi-blome': the date as far as known, then the leads' names."""
    day = str(date).rstrip("~?") if date is not None else "undated"
    from kb.model.names import slug

    parts = [day] + [slug(n, 40) for n in names if slug(n, 40)]
    return "-".join(parts)[:100].rstrip("-")


def yaml_text(record: dict) -> str:
    """The record as YAML in the records' own style: one line per value, dates unquoted (kb
    reads YAML 1.2, where a date is a string)."""
    from kb.store.yamledit import dump

    return dump(record)
