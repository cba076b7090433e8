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

Who each visitor is, is the one resolver's (kb.importing.identity), as for every register: a
known person only when the evidence agrees (name parts, country, era; a surname alone, "Prime
Minister Macmillan", through the post and the date: the holders reference, ``kb import holders``,
or the one person of that surname named in full in that era), namesakes of other eras kept
apart (King Abdullah of Jordan in 1949 and King Abdullah II; Konstantinos and Kostas
Karamanlis), and a visitor who came as an international body's official ("NATO Secretary
General ...") on that body's side, not their country's.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from kb.importing.draft import Draft, family_name
from kb.importing.identity import Identities
from kb.importing.names import HONORIFICS, TITLE_ANCHORS, TITLE_WORDS, split_title
from kb.importing.places import country_code
from kb.importing.spreadsheet import Imported, People, person_participant, settle_people
from kb.model import dates, names
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
    """The visitors' country: the text as the register wrote it, else its slug, each looked up
    exactly (kb.importing.places.country_code without its fuzzy fall-backs): the register's slug
    is a present-day name, so a text kb does not know is read through it, never guessed, and
    the import does not load the large name tables of the fuzzy look-ups for a few odd cells
    (the Kingdom of Hawaii, a typo)."""
    code = country_code(visit.country_text, fuzzy=False) if visit.country_text else None
    if code is None and visit.country_slug:
        slug = visit.country_slug.replace("-", " ")
        code = country_code(slug, fuzzy=False)
        if code is None and slug.split()[-1] in ("south", "north"):  # korea-south
            code = country_code(f"{slug.split()[-1]} {' '.join(slug.split()[:-1])}", fuzzy=False)
    return code


def read(kb, paths: list[Path], *, today: dt.date | None = None) -> Imported:
    today = today or dates.today()
    result = Imported()
    people = People(Identities(kb))
    documents = {s.document for m in kb.sorted_meetings for s in m.sources}
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
    return settle_people(kb, people, result)


def _draft(kb, people: People, visit: Visit, where: str, today: dt.date) -> Draft:
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
        entry, _shown = person_participant(kb, people, name, title, side, True, start, where, unconfirmed, messages)
        entry["role"] = "lead" if number == 0 else "delegation"
        participants.append(entry)
        if number == 0:
            person_id = entry["person"]
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
    mode = kb.mode_in(HOST, [side, HOST])  # the host is a side, though its people are not named
    if mode:
        record["mode"] = mode
    record["location"] = {"country": HOST}
    record["participants"] = participants
    if visit.description:
        record["summary"] = visit.description
    record["sources"] = [{"document": where, "publisher": PUBLISHER}]
    if unconfirmed:
        record["unconfirmed"] = unconfirmed
    return Draft(record, messages)
