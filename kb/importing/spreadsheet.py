"""Meetings from a spreadsheet (CSV): one meeting per row, columns named by a mapping.

A row that cannot be read (a bad date, an empty required column, an unknown country) is
reported with its row number as a spreadsheet shows it (the header is row 1) and nothing is
drafted for it. People are matched as in articles; unknown ones are proposed and the row's
meeting is marked unconfirmed, saying which row it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.importing import existing
from kb.importing.draft import Draft, ProposedOrg, ProposedPerson, family_name
from kb.importing.identity import BODIES, Body, Identities, is_body, rewrite, settle
from kb.importing.names import ORG_WORDS, split_title
from kb.importing.places import country_code, place_country_on
from kb.model import dates, names
from kb.model.dates import DateError, PartialDate, from_text
from kb.model.text import normalise

FIELDS = {
    "date": "the day (or month) of the meeting; required",
    "with": "who was met: people with their titles ('President X and Foreign Minister Y') or an organisation; "
    "several separated by ';'; required unless remarks are mapped",
    "end_date": "the last day, for a visit of several days",
    "title": "the counterpart's title, when it has its own column",
    "country": "the country the counterpart represents (a name or an ISO code)",
    "place": "where the meeting took place",
    "place_country": "the country where the meeting took place (a name or an ISO code); it wins over "
    "any look-up of the place, and is written as the country of the meeting's date (Moscow in 1973: SU)",
    "purpose": "what it was about; becomes the summary",
    "minister": "who met them on our side (a person's name)",
    "url": "a web address reporting the meeting, recorded as its source",
    "remarks": "what happened, in sentences ('Met with President X; attended the NATO Summit'): the people "
    "met and the events attended; the summary unless purpose is mapped",
}
REQUIRED = ("date",)
_NAME_PARTICLES = names.PARTICLES | names.NASAB  # 'Salman bin Abd al Aziz bin Saud' is a person's name
_ORGANISATION_HINTS = ORG_WORDS | {
    "ltd",
    "limited",
    "plc",
    "llp",
    "inc",
    "trust",
    "society",
    "federation",
    "chamber",
    "alliance",
    "partnership",
    "network",
    "fund",
    "club",
    "charity",
}


class MappingError(KBError, ValueError):
    """The column mapping does not fit the kb fields or the file's columns."""


def parse_mapping(pairs: tuple[str, ...], from_file: dict | None) -> dict[str, str]:
    """``--map field=Column`` options over an optional mapping file's ``field: Column`` pairs."""
    mapping: dict[str, str] = {}
    for field_name, column in (from_file or {}).items():
        if not isinstance(column, str):
            raise MappingError(f"mapping file: '{field_name}' must name a column (text), not {column!r}")
        mapping[str(field_name)] = column
    for pair in pairs:
        field_name, sep, column = pair.partition("=")
        if not sep or not column.strip():
            raise MappingError(f"--map {pair}: write FIELD=COLUMN, e.g. --map date=Date")
        mapping[field_name.strip()] = column.strip()
    for field_name in mapping:
        if field_name not in FIELDS:
            guess = _closest(field_name, FIELDS)
            hint = f"; did you mean '{guess}'?" if guess else ""
            raise MappingError(f"unknown field '{field_name}' in the mapping{hint} Fields: {', '.join(FIELDS)}")
    missing = [f for f in REQUIRED if f not in mapping] + ([] if {"with", "remarks"} & set(mapping) else ["with"])
    if missing:
        raise MappingError(
            f'the mapping must name the column of {" and ".join(missing)} (e.g. --map {missing[0]}="Column heading")'
        )
    return mapping


def _closest(word: str, choices) -> str | None:
    """The likeliest intended choice for a typo ('dat' -> 'date'): plain edit similarity,
    which, unlike partial matching, does not prefer longer names that contain the word."""
    from rapidfuzz import fuzz, process, utils

    found = process.extractOne(word, list(choices), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=60)
    return found[0] if found else None


@dataclass
class Imported:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows that cannot be read, and why
    skipped: list[str] = field(default_factory=list)  # rows already in the knowledge base
    people: list[ProposedPerson] = field(default_factory=list)
    orgs: list = field(default_factory=list)  # international bodies the sides name, not recorded


class RowError(KBError, ValueError):
    pass


def read(
    kb,
    path: Path,
    mapping: dict[str, str],
    *,
    date_order: str | None = None,
    publisher: str | None = None,
    today: dt.date | None = None,
    reserved: set[str] | None = None,
) -> Imported:
    from kb.importing.encoding import unicode_encoding

    data = path.read_bytes()
    with io.StringIO(data.decode(unicode_encoding(data) or "utf-8-sig"), newline="") as handle:
        reader = csv.DictReader(handle)
        headers = [h for h in (reader.fieldnames or []) if h is not None]
        for field_name, column in mapping.items():
            if headers.count(column) > 1:
                columns = [str(i) for i, h in enumerate(headers, start=1) if h == column]
                raise MappingError(
                    f"{path.name} has {len(columns)} columns named '{column}' (columns "
                    f"{', '.join(columns)}), mapped to {field_name}: kb would not know which to "
                    "read; rename one of them in the header row"
                )
            if column not in headers:
                guess = _closest(column, headers)
                hint = f"; did you mean '{guess}'?" if guess else f"; its columns are: {', '.join(headers)}"
                raise MappingError(f"{path.name} has no column '{column}' (mapped to {field_name}){hint}")
        rows = (
            (path.name, row_number, {f: (row.get(c) or "").strip() for f, c in mapping.items()})
            for row_number, row in enumerate(reader, start=2)
            if any((v or "").strip() for v in row.values() if isinstance(v, str))
        )  # not a blank line
        return draft_rows(kb, rows, mapping, date_order=date_order, publisher=publisher, today=today, reserved=reserved)


def draft_rows(
    kb,
    rows,
    mapping: dict[str, str],
    *,
    date_order: str | None = None,
    publisher: str | None = None,
    today: dt.date | None = None,
    reserved: set[str] | None = None,
    label: str = "row",
    name_files: bool = False,
) -> Imported:
    """One draft per ``(source file name, number, cells)`` of ``rows``, cells named by kb's fields
    (FIELDS); a person is proposed once however many rows, of however many files, name them.
    Problems say "<label> <number>", after the file's name when ``name_files``."""
    today = today or dates.today()
    result = Imported()
    people = People(Identities(kb), host_country=name_files)
    reserved = reserved if reserved is not None else set()
    for source, row_number, cells in rows:
        where = f"{source} {label} {row_number}" if name_files else f"{label} {row_number}"
        try:
            draft = _draft_row(kb, people, cells, mapping, row_number, source, date_order, publisher, today, label)
        except RowError as error:
            result.problems.append(f"{where}: {error}; nothing drafted for this {label}")
            continue
        already = _already_recorded(kb, draft)
        if already:
            result.skipped.append(f"{where}: {already}; nothing drafted for this {label}")
            continue
        from kb.importing.write import free_id

        draft.meeting["id"] = free_id(kb.root, "meeting", draft.meeting["id"], reserved)
        reserved.add(draft.meeting["id"])
        result.drafts.append(draft)
    return settle_people(kb, people, result)


def settle_people(kb, people: People, result: Imported) -> Imported:
    """The import as the resolver's second pass leaves it (kb.importing.identity.settle): the
    drafts naming a surname-only proposal joined to a person name the person, and the proposals
    left are the people and organisations the import proposes."""
    settled = settle(people.identities)
    rewrite(result.drafts, settled)
    result.people = [p for p in people.identities.proposals if p.id not in settled.joined]
    result.orgs = list(people.identities.bodies.values()) + [
        o for o in people.orgs.values() if o.id not in kb.orgs and o.id not in people.identities.bodies
    ]
    return result


def _draft_row(  # noqa: C901 -- long: one row's columns drafted in turn; importing is being rewritten
    kb,
    people: People,
    cells: dict[str, str],
    mapping: dict[str, str],
    row: int,
    file_name: str,
    date_order: str | None,
    publisher: str | None,
    today: dt.date,
    label: str = "row",
) -> Draft:
    for required in REQUIRED:
        if not cells.get(required):
            raise RowError(f"column '{mapping[required]}' ({required}) is empty")
    if not cells.get("with") and not cells.get("remarks"):
        raise RowError(
            " and ".join(f"column '{mapping[f]}' ({f})" for f in ("with", "remarks") if f in mapping) + " empty"
        )
    date = cell_date(cells["date"], date_order, mapping["date"])
    end = cell_date(cells["end_date"], date_order, mapping["end_date"]) if cells.get("end_date") else None
    if end is not None and end.latest() < date.earliest():
        raise RowError(f"end date {end} is before the date {date}")
    where = f"{file_name} {label} {row}"
    unconfirmed: list[str] = []
    messages: list[str] = []
    side = None
    if cells.get("country"):
        side = country_code(cells["country"])
        if side is None:
            raise RowError(
                f"'{cells['country']}' in column '{mapping['country']}' is not a country kb knows; "
                "write its English name or its ISO 3166 code (e.g. KR for 'Korea, South')"
            )
    participants = []
    lead_names = []
    if cells.get("minister"):
        for name in _entries(cells["minister"]):
            entry, display = _participant(
                kb, people, name, None, kb.config.our_side, date, where, unconfirmed, messages, stated=True
            )
            entry["role"] = "lead"
            participants.append(entry)
            lead_names.append(display)
    named, events, unread = _named_in(cells)
    counterparts: list[str] = []
    for title, name, country, ours, former in named:
        if ours:  # our own leader accompanied: 'Accompanied President Bush to a meeting with ...'
            entry, display = _participant(
                kb, people, name, title, kb.config.our_side, date, where, unconfirmed, messages, stated=True
            )
            participants.append({**entry, "role": "delegation"})
            continue
        entry, display = _participant(
            kb,
            people,
            name,
            title,
            country or side,
            date,
            where,
            unconfirmed,
            messages,
            stated=country is not None or (side is not None and not people.host_country),
            former=former,
        )
        entry["role"] = "delegation" if counterparts else "lead"
        participants.append(entry)
        if not counterparts:
            lead_names.append(display)
        counterparts.append(f"{title} {name}" if title else name)
    for text in unread:
        messages.append(f"{where}: '{text}' names no one kb can draft; left out")
    met_orgs = _event_orgs(kb, people, events, unread, side, where, unconfirmed)
    if events and not participants:
        if not kb.config.our_org:
            raise RowError(
                f"it names only an event ({'; '.join(events)}) and no one who attended it: map the "
                "minister column, or set our_org in kb.yaml"
            )
        participants.append({"org": kb.config.our_org, "side": kb.config.our_side, "role": "lead"})
    participants += met_orgs
    if not participants:
        raise RowError("it names no person or organisation that was met")
    if not lead_names:
        lead_names.extend(events[:1])
    record: dict = {"id": names.meeting_id(date, lead_names)}
    counterpart = " and ".join(counterparts) if counterparts else "; ".join(events)
    purpose = cells.get("purpose", "").rstrip(".")
    if events and counterparts:
        counterpart += f" ({'; '.join(events)})"
    if not events and not counterparts:  # our side alone: the remarks name a group ('the Foreign Ministers of ...')
        record["title"] = _shortened(purpose or cells.get("remarks", "").rstrip(".") or "Meeting")
    elif events and not counterparts:
        record["title"] = f"{purpose}: {counterpart}" if purpose else counterpart
    else:
        record["title"] = f"{purpose}: {counterpart}" if purpose else f"Meeting with {counterpart}"
    record["date"] = str(date)
    if end is not None and end != date:
        record["end_date"] = str(end)
    record["status"] = "held" if date.earliest() <= today else "planned"
    if events:
        record["mode"] = "multilateral"
        if counterparts:
            unconfirmed.append(
                f"{where}: also names {'; '.join(events)}: confirm this meeting was on its margins "
                "(mode multilateral), or record the event as a meeting of its own and link it (parent)"
            )
    stated = _stated_place_country(cells, side, date)
    if stated:  # the row's own country of the place wins over any look-up
        record["location"] = {"place": cells["place"], "country": stated} if cells.get("place") else {"country": stated}
    elif cells.get("place"):
        country = place_country_on(cells["place"], date.earliest(), prefer=side)  # the row's own country wins
        if country:
            record["location"] = {"place": cells["place"], "country": country}
        else:
            unconfirmed.append(
                f"{where}: place '{cells['place']}' has no known country; add location with its country code"
            )
    record["participants"] = participants
    if cells.get("purpose") or cells.get("remarks"):
        record["summary"] = cells.get("purpose") or " ".join(cells["remarks"].split())
    record["sources"] = [_source(cells, where, publisher, unconfirmed)]
    if unconfirmed:
        record["unconfirmed"] = unconfirmed
    return Draft(record, messages, row=row)


def _source(cells: dict, where: str, publisher: str | None, unconfirmed: list[str]) -> dict:
    """The row as the meeting's source, with the row's address when the records' schema takes it
    (else said in ``unconfirmed``: a draft kb check refuses is never written)."""
    from kb.store.schemas import is_url

    source = {"document": where}
    url = cells.get("url")
    if url and is_url(url):
        source["url"] = url
    elif url:
        unconfirmed.append(
            f"{where}: the url '{url}' is not an http(s) address, so the source names the row only; "
            "add the report's address (https://...) if there is one"
        )
    if publisher:
        source["publisher"] = publisher
    return source


def _event_orgs(
    kb, people: People, events: list[str], groups: list[str], side: str | None, where: str, unconfirmed: list[str]
) -> list[dict]:
    """The organisations whose events were attended or whose ``groups`` were met ('Met with NATO
    Foreign Ministers'), as participants on their own side ('NATO Foreign Ministers Meeting' ->
    nato): known organisations by the longest run of the event's first words, else an
    international body kb knows (kb.importing.identity.BODIES), on its own side and written with
    the people; an unknown acronym of an event is noted for the reader to add."""
    found: dict[str, dict] = {}
    for group in groups:
        org_id = _event_org(kb, people, group.replace("-", " ").split(), where)
        if org_id:
            found.setdefault(org_id, _org_entry(kb, org_id, side))
    for event in events:
        words = event.replace("-", " ").split()
        org_id = _event_org(kb, people, words, where)
        if org_id:
            found.setdefault(org_id, _org_entry(kb, org_id, side))
        elif words and re.fullmatch(r"[A-Z]{2,6}", words[0].strip(".")):
            unconfirmed.append(
                f"{where}: the event '{event}' is {words[0]}'s; add orgs/{names.org_id(words[0])}.yaml "
                f"(name, abbreviation {words[0]}) and add it as a participant"
            )
    return list(found.values())


def _org_entry(kb, org_id: str, side: str | None) -> dict:
    """An organisation met, on its own side: an international body's, else its country's."""
    org = kb.orgs.get(org_id)
    org_side = org_id if is_body(org_id) else (org.country() if org else None) or side or kb.config.our_side
    return {"org": org_id, "side": org_side, "role": "delegation"}


def _event_org(kb, people: People, words: list[str], where: str) -> str | None:
    """The id of the organisation the first words of an event name: recorded, or an international
    body (proposed with the import's people when not recorded)."""
    for size in range(min(len(words), 6), 0, -1):
        key = normalise(" ".join(words[:size]))
        owners = sorted(i for kind, i in kb.name_index.get(key, ()) if kind == "org")
        if owners:
            return owners[0]
        body = next((b for b, (_n, _a, spelled) in BODIES.items() if key in spelled), None)
        if body:
            if body not in kb.orgs:
                people.identities.bodies.setdefault(body, Body(body, where))
            return body
    return None


def _stated_place_country(cells: dict[str, str], side: str | None, date: PartialDate) -> str | None:
    """The code of the place_country cell on the meeting's date ('Russia' in 1990: SU), or None."""
    if not cells.get("place_country"):
        return None
    from kb.model.countries import existed, on_date

    code = side if cells["place_country"] == cells.get("country") else country_code(cells["place_country"])
    code = on_date(code, date.earliest()) if code else None
    return code if code and existed(code, date.earliest()) else None  # 'U.S.S.R.' in 1992: the place says


def _shortened(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


# title, name, country from the title, on our side, a title no longer held ('former Secretary-General')
_Mention = tuple[str | None, str, str | None, bool, str | None]


def _named_in(cells: dict[str, str]) -> tuple[list[_Mention], list[str], list[str]]:
    """(title, name, country from a nationality-led title, on our own side) of each person the
    "with" cell and the remarks name, each once; the events they attended; what names no one
    ('NATO officials'). What the "with" cell names that is not a person (an organisation) is kept
    as written."""
    from kb.importing.names import split_remarks

    found: dict[str, _Mention] = {}
    events: list[str] = []
    unread: list[str] = []
    entries = _entries(cells.get("with", ""))
    for text in entries:
        if cells.get("title") and len(entries) == 1:
            found.setdefault(normalise(text), (cells["title"], text, None, False, None))
            continue
        remarks = split_remarks(text, sentences=False)
        if not remarks.people and not remarks.events:
            remarks.others = [text]  # an organisation, whole: 'Department for Environment, Food and Rural Affairs'
        for person in remarks.people:
            found.setdefault(
                normalise(person.name), (person.written_title, person.name, person.country, person.ours, person.former)
            )
        for other in remarks.others:  # as written
            title, name = split_title(other)
            if title and {normalise(w) for w in title.split()} & ORG_WORDS:
                title, name = None, other  # an organisation's name is not a title: 'Department for ...'
            found.setdefault(normalise(name), (title, name, None, False, None))
        events += remarks.events
    if cells.get("remarks"):
        remarks = split_remarks(cells["remarks"])
        for person in remarks.people:
            found.setdefault(
                normalise(person.name), (person.written_title, person.name, person.country, person.ours, person.former)
            )
        events += remarks.events
        unread += remarks.others
    return list(found.values()), list(dict.fromkeys(events)), unread


def _entries(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", cell) if part.strip()]


@dataclass
class People:
    """The people of one import: the index of recorded (and proposed) names, the proposals by
    name and country, and the years each person was seen in."""

    identities: Identities
    host_country: bool = False  # the country column is where the meeting was (a register of trips), not whose
    announced: set[str] = field(default_factory=set)  # proposals already said
    orgs: dict[str, ProposedOrg] = field(default_factory=dict)  # organisations named, not recorded


def _participant(
    kb,
    people: People,
    name: str,
    title: str | None,
    side: str | None,
    date: PartialDate,
    where: str,
    unconfirmed: list[str],
    messages: list[str],
    stated: bool = False,
    former: str | None = None,
) -> tuple[dict, str]:
    """The participant entry for one name, and the name to build the meeting's id from.

    Who the person is, is the one resolver's (kb.importing.identity): the side is what the title
    says the person represents (an international body's official is on its side), else the
    row's country; ``stated`` when that country is known for sure (a nationality-led title)."""
    org_owners = sorted(i for kind, i in kb.name_index.get(normalise(name), ()) if kind == "org")
    if org_owners:
        org = kb.orgs[org_owners[0]]
        entry = {"org": org.id, "side": org.country() or side or kb.config.our_side}
        return _with_title(entry, title), org.abbreviation or org.id
    words = {normalise(w) for w in name.split()}
    if words & _ORGANISATION_HINTS or len([w for w in words if w not in _NAME_PARTICLES]) > 6:
        org_id = names.org_id(name)
        people.orgs.setdefault(org_id, ProposedOrg(org_id, name, side, where))
        org_side = side or _assumed(kb, where, name, unconfirmed)
        unconfirmed.append(
            f"{where}: organisation '{name}' is not known (proposed as orgs/{org_id}.yaml); confirm it or correct the name"
        )
        return _with_title({"org": org_id, "side": org_side}, title), name
    return person_participant(kb, people, name, title, side, stated, date, where, unconfirmed, messages, former)


def person_participant(
    kb,
    people: People,
    name: str,
    title: str | None,
    side: str | None,
    stated: bool,
    date: PartialDate,
    where: str,
    unconfirmed: list[str],
    messages: list[str],
    former: str | None = None,
) -> tuple[dict, str]:
    """The participant entry of the person ``name`` (written with ``title``, met on ``side``:
    ``stated`` when the record says whose official they are, not only where they were met; a title
    they no longer hold, ``former``: 'former Secretary-General Annan'), and
    the name to build the meeting's id from. Who the person is, is the one resolver's; their side
    is what the title says they represent (an international body's official is on its side)."""
    from kb.importing.identity import clean_title, represented

    side, stated = represented(title, side if stated else None, side)
    found = people.identities.resolve(name, title, side, stated, date, where, former=former)
    title = clean_title(title)
    if found.proposal is not None and found.proposal.id not in people.announced:
        people.announced.add(found.proposal.id)
        messages.append(
            f"{where}: proposed new person {found.person} '{found.proposal.name}'" + (f" ({title})" if title else "")
        )
    for note in found.notes:
        unconfirmed.append(note)
        if "is not a known person" not in note:
            messages.append(note)
    entry = {"person": found.person, "side": found.side or _assumed(kb, where, name, unconfirmed)}
    shown = name if found.person not in kb.people else family_name(kb, found.person, name)
    return _with_title(entry, title), shown


def _with_title(entry: dict, title: str | None) -> dict:
    if title:
        entry["title"] = title
    return entry


def _assumed(kb, where: str, name: str, unconfirmed: list[str]) -> str:
    unconfirmed.append(f"{where}: no country for '{name}'; side {kb.config.our_side} (our side) assumed")
    return kb.config.our_side


def _already_recorded(kb, draft: Draft) -> str | None:
    document = draft.meeting["sources"][0]["document"]
    for meeting in kb.sorted_meetings:
        if any(s.document == document for s in meeting.sources):
            return f"already imported as {meeting.relpath}"
    named = [p.get("person") or p.get("org") for p in draft.meeting["participants"]]
    known = [p for p in named if p in kb.people]
    found = existing.find(kb, PartialDate.parse(draft.meeting["date"]), known, unknown=len(named) - len(known))
    if found is not None:
        return (
            f"probably already recorded as {found.relpath} ({found.date}, same people); "
            f"add '{document}' to its sources by hand if so"
        )
    return None


_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def cell_date(value: str, order: str | None, column: str) -> PartialDate:
    """A date as spreadsheets write it: ISO (also 2024-07 or 2024), '13/07/2024' (the order
    from --date-order when the day could be the month), '13 July 2024', 'July 2024'."""
    value = value.strip()
    date = PartialDate.try_parse(value)
    if date is not None:
        return date
    if re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", value):
        try:
            PartialDate.parse(value)
        except DateError as error:
            raise RowError(f"{error} (column '{column}')") from None
    numeric = _NUMERIC.match(value)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first <= 12 and second <= 12 and first != second and order is None:
            raise RowError(
                f"'{value}' in column '{column}' could be day/month or month/day; "
                "pass --date-order dmy or --date-order mdy"
            )
        dayfirst = order == "dmy" if order else first > 12
        found = from_text(value, dayfirst=dayfirst)
        if found is None:
            raise RowError(f"'{value}' in column '{column}' is not a date")
        return found
    month_year = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{4})", value)
    if month_year:
        from kb.importing.when import MONTHS

        month = MONTHS.get(month_year.group(1).lower())
        if month:
            return PartialDate(int(month_year.group(2)), month)
    if not re.search(r"\b\d{4}\b", value):
        raise RowError(f"'{value}' in column '{column}' is not a date with a year")
    found = from_text(value)
    if found is None:
        raise RowError(f"'{value}' in column '{column}' is not a date; write YYYY-MM-DD")
    return found
