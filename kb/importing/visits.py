"""The Office of the Historian's "Visits by Foreign Leaders" XML (history.state.gov): one
meeting per ``<visit>``, the visitors as participants on the side of the country they came from.

The register's own quirks, handled here:

- ``<visitor>`` may name several people with their titles ("President Stjepan Mesic and Prime
  Minister Ivica Racan"), or only a title and a surname ("Prime Minister Macmillan");
- ``<from>`` is the country as it was called then ("U.S.S.R.", "Yugoslavia", "Siam (Thailand)",
  "Poland (government-in-exile)"), with a present-day slug in its ``id`` attribute: the text is
  read first (former countries get their ISO 3166-3 code: SU, YU, CS, DD, ZR), the slug when
  the text names no country; a country with no ISO code at all (the Kingdom of Hawaii) is
  reported, never guessed;
- the visits are to the United States: the meeting's place is the US.

People are proposed once per name and country however many visits name them; a known person
is matched only when their recorded country agrees (two Presidents Arias of two countries stay
two people).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from kb.importing.draft import Draft, Eras, ProposedPerson, family_name
from kb.importing.names import HONORIFICS, TITLE_ANCHORS, TITLE_WORDS, PersonIndex, split_title
from kb.importing.places import country_code
from kb.importing.spreadsheet import Imported
from kb.model import names
from kb.model.dates import PartialDate
from kb.model.text import normalise

HOST = "US"
PUBLISHER = "Office of the Historian, U.S. Department of State"


class VisitsError(KBError, ValueError):
    """The file is not the Office of the Historian's visits XML."""


@dataclass
class Visit:
    number: str
    start: str
    end: str
    visitor: str
    country_text: str
    country_slug: str
    description: str
    line: int | None = None


def parse(path: Path) -> list[Visit]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        line, column = error.position
        reason = re.sub(r": line \d+, column \d+$", "", error.msg)
        raise VisitsError(
            f"{path}:{line}:{column + 1}: not well-formed XML ({reason}); give the visits file as downloaded"
        ) from None
    if root.tag != "visits":
        raise VisitsError(
            f"{path}:1:1: the root element is <{root.tag}>, not <visits>: this is not the "
            "Office of the Historian's visits XML"
        )
    visits = []
    for element in root.iter("visit"):
        origin = element.find("from")
        visits.append(
            Visit(
                number=(element.findtext("id") or "").strip(),
                start=(element.findtext("start-date") or "").strip(),
                end=(element.findtext("end-date") or "").strip(),
                visitor=" ".join((element.findtext("visitor") or "").split()),
                country_text=" ".join((origin.text or "").split()) if origin is not None else "",
                country_slug=(origin.get("id") or "") if origin is not None else "",
                description=" ".join((element.findtext("description") or "").split()),
            )
        )
    return visits


def split_visitors(cell: str) -> list[tuple[str | None, str]]:
    """(title, name) of each person a cell names: 'President X and Prime Minister Y' -> two;
    'Premier and Prince Sihanouk' -> one, titled 'Premier and Prince'. Honorifics and ranks
    (Sheikh, Dr., King, Lord) go to the title, never into the name."""
    pieces = [p.strip(" ,;") for p in re.split(r"\s+and\s+|;\s*", cell) if p.strip(" ,;")]
    found: list[tuple[str | None, str]] = []
    pending: list[str] = []  # title-only pieces waiting for the name they belong to
    for piece in pieces:
        if all(normalise(w) in TITLE_WORDS or normalise(w) in HONORIFICS for w in piece.split()):
            pending.append(piece)
            continue
        title, name = split_title(piece)
        titles, name = names.strip_titles(name)
        head, comma, tail = name.partition(",")
        if comma and any(normalise(w) in TITLE_ANCHORS for w in tail.split()):
            name, titles = head.strip(), (*titles, tail.strip())  # "X, Amir of Qatar"
        title = " and ".join(filter(None, [*pending, " ".join(filter(None, [title, *titles]))])) or None
        pending = []
        found.append((title, name))
    if pending and found:
        last_title, last_name = found[-1]
        found[-1] = (" and ".join(filter(None, [last_title, *pending])), last_name)
    return found


def country_of(visit: Visit) -> str | None:
    """The visitors' country: the text as the register wrote it, else its slug."""
    code = country_code(visit.country_text) if visit.country_text else None
    if code is None and visit.country_slug:
        slug = visit.country_slug.replace("-", " ")
        code = country_code(slug)
        if code is None and slug.split()[-1] in ("south", "north"):  # korea-south
            code = country_code(f"{slug.split()[-1]} {' '.join(slug.split()[:-1])}")
    return code


class _People:
    """Proposed people, one per name and country; blocked on the family name's skeleton so that
    spelling variants in one import meet without comparing every pair."""

    def __init__(self, kb, index: PersonIndex):
        self.kb = kb
        self.index = index
        self.proposed: dict[tuple[str, str], ProposedPerson] = {}
        self.blocks: dict[tuple[str, str], list[tuple[str, ProposedPerson]]] = {}
        self.taken = set(kb.people)
        self.eras = Eras(kb)

    def known(self, name: str, side: str):
        """A recorded person of this country (or of none) with this name or alias."""
        for match in self.index.exact(name):
            person = self.kb.people.get(match.person)
            if person is not None and person.country() in (None, side):
                return match
        return None

    def propose(self, name: str, title: str | None, side: str, where: str) -> tuple[ProposedPerson, bool]:
        key = (normalise(name), side)
        if key in self.proposed:
            return self.proposed[key], False
        parts = names.parts(name)
        block = (names.skeleton(parts[-1]) if parts else "", side)
        for written, person in self.blocks.get(block, []):
            if names.same(name, written):
                self.proposed[key] = person
                return person, False
        from kb.importing.write import free_id

        person_id = free_id(self.kb.root, "person", names.person_id(name), self.taken)
        self.taken.add(person_id)
        person = ProposedPerson(person_id, name, title, side, where)
        self.proposed[key] = person
        self.blocks.setdefault(block, []).append((name, person))
        return person, True

    def all(self) -> list[ProposedPerson]:
        return list({id(p): p for p in self.proposed.values()}.values())


def read(kb, paths: list[Path], *, today: dt.date | None = None) -> Imported:
    today = today or dt.date.today()
    result = Imported()
    people = _People(kb, PersonIndex.of(kb))
    documents = {s.get("document") for m in kb.sorted_meetings for s in m.get("sources", [])}
    reserved: set[str] = set()
    for path in paths:
        for visit in parse(path):
            where = f"{path.name} visit {visit.number}"
            if where in documents:
                result.skipped.append(f"{where}: already imported; nothing drafted")
                continue
            try:
                draft = _draft(kb, people, visit, where, today)
            except VisitsError as error:
                result.problems.append(f"{where}: {error}; nothing drafted for this visit")
                continue
            from kb.importing.write import free_id

            draft.meeting["id"] = free_id(kb.root, "meeting", draft.meeting["id"], reserved)
            reserved.add(draft.meeting["id"])
            result.drafts.append(draft)
    result.people = people.all()
    return result


def _draft(kb, people: _People, visit: Visit, where: str, today: dt.date) -> Draft:  # noqa: C901 -- one visit checked then drafted top to bottom; each branch is one field's rule
    start = PartialDate.try_parse(visit.start)
    if start is None:
        raise VisitsError(f"start date '{visit.start}' is not a date (YYYY-MM-DD)")
    end = PartialDate.try_parse(visit.end) if visit.end else None
    if end is not None and end.latest() < start.earliest():
        raise VisitsError(f"end date {visit.end} is before the start date {visit.start}")
    side = country_of(visit)
    if side is None or side == HOST:
        raise VisitsError(
            f"'{visit.country_text}' has no ISO 3166 code (current or former, ISO 3166-3); "
            "record this visit by hand with the code of the country it stands for"
        )
    if not visit.visitor:
        raise VisitsError("no visitor is named")
    messages: list[str] = []
    unconfirmed: list[str] = []
    participants = []
    lead_names = []
    for number, (title, name) in enumerate(split_visitors(visit.visitor)):
        match = people.known(name, side)
        if match is not None:
            person_id = match.person
        else:
            person, new = people.propose(name, title, side, where)
            person_id = person.id
            if new:
                messages.append(f"{where}: proposed new person {person_id} '{name}'" + (f" ({title})" if title else ""))
            alone = len(names.parts(name)) < 2
            unconfirmed.append(
                f"{where}: '{name}' is not a known person (proposed as {person_id})"
                + ("; the register gives only a surname: confirm who this is" if alone else "; confirm who this is")
            )
        people.eras.check(person_id, start.year, where, name, unconfirmed, messages)
        entry = {"person": person_id, "side": side}
        if title:
            entry["title"] = title
        entry["role"] = "lead" if number == 0 else "delegation"
        participants.append(entry)
        if number == 0:
            lead_names.append(
                family_name(kb, person_id, name) if person_id in kb.people else names.known_as(name, side)
            )
    from kb.model import countries

    record: dict = {"id": names.meeting_id(start, lead_names)}
    record["title"] = f"Visit of {visit.visitor} ({countries.name(side)}) to the United States"
    record["date"] = str(start)
    if end is not None and end != start:
        record["end_date"] = str(end)
    record["status"] = "held" if start.earliest() <= today else "planned"
    record["mode"] = "hosted" if kb.config.our_side == HOST else "third-location"
    record["location"] = {"country": HOST}
    record["participants"] = participants
    if visit.description:
        record["summary"] = visit.description
    record["sources"] = [{"document": where, "publisher": PUBLISHER}]
    if unconfirmed:
        record["unconfirmed"] = unconfirmed
    return Draft(record, messages)
