"""Ministerial meetings registers: the UK government's quarterly transparency CSVs and the
European Commission's register of meetings with interest representatives.

Each readable row becomes one drafted meeting, like a spreadsheet row (kb.importing.spreadsheet):
our minister (or Commission representative) on one side, the organisations and people met on
the other. The UK files' quirks, handled here:

- header variants (``Name of organisation or individual``, ``Name of Individual or
  Organisation``, ``Name of Organisation``, special advisers' ``Name of senior media figure``),
  read whatever their case, spacing or byte-order mark, after any title lines above them;
  empty columns at the end are ignored;
- the minister named once and filled down the rows below;
- ``Nil return`` rows: no meeting, counted;
- dates as the departments write them: ``13/07/2012`` (day first: these are UK files),
  ``13-Jul-12``, ``13 July 2012``, month only (``Oct-12``, ``October 2012``: kept at month
  precision, never given a day), day ranges (``02-06 September 2012``, ``2-6/9/12``) as a start
  and an end; a date without a year takes its year from the file's other dates only when they
  leave one choice, and says so;
- several organisations or people in one cell (``A; B``, ``A, B and C``), split conservatively:
  a name such as "Marks and Spencer" or "Department for Business, Energy and Industrial Strategy"
  stays whole, and a name recorded in the knowledge base is never split.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.importing.draft import Draft, family_name
from kb.importing.identity import BODIES, Identities, is_body, represented
from kb.importing.names import ORG_WORDS, TITLE_WORDS
from kb.importing.spreadsheet import Imported, People, person_participant, settle_people
from kb.importing.when import MONTHS
from kb.model import dates, names
from kb.model.dates import PartialDate
from kb.model.text import normalise

UK = "GB"
_HEADER_SEARCH = 30  # lines read looking for the header row


class RegisterError(KBError, ValueError):
    """The file is not a register of the expected shape."""


class RowError(KBError, ValueError):
    """One row cannot be read."""


# --- organisations or people in a cell ------------------------------------------------------

# Words that make a name an organisation's (normalised).
ORG_HINTS = ORG_WORDS | {
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "corp",
    "co",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "trust",
    "society",
    "federation",
    "confederation",
    "congress",
    "chamber",
    "alliance",
    "partnership",
    "partners",
    "network",
    "fund",
    "club",
    "charity",
    "coalition",
    "campaign",
    "consortium",
    "holdings",
    "industries",
    "industry",
    "school",
    "college",
    "hospital",
    "nhs",
    "media",
    "capital",
    "insurance",
    "airways",
    "airlines",
    "rail",
    "railway",
    "water",
    "energy",
    "power",
    "international",
    "global",
    "systems",
    "technologies",
    "solutions",
    "consulting",
    "associates",
    "uk",
    "cooperative",
    "co-operative",
    "band",
    "orchestra",
    "museum",
    "gallery",
    "library",
    "mission",
    "churches",
    "church",
    "diocese",
    "union",
    "unions",
    "employers",
    "representatives",
    "delegation",
    "stakeholders",
    "organisations",
    "organizations",
}
# Words that make a part of a list a name by itself ("Department for Education and Acme Ltd"),
# unlike words that may be the object of one ("Department for Business, Energy and Industrial Strategy").
_ORG_NOUNS = {
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "corp",
    "gmbh",
    "trust",
    "society",
    "federation",
    "confederation",
    "association",
    "union",
    "council",
    "institute",
    "institution",
    "foundation",
    "university",
    "college",
    "school",
    "bank",
    "group",
    "company",
    "corporation",
    "agency",
    "authority",
    "commission",
    "committee",
    "partnership",
    "alliance",
    "coalition",
    "network",
    "forum",
    "club",
    "charity",
    "church",
    "party",
    "board",
    "office",
    "ministry",
    "department",
    "embassy",
    "chamber",
    "congress",
    "hospital",
    "nhs",
}
# Parts of a list that are not names: legal forms and letters after a name.
_SUFFIXES = {
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "co",
    "mp",
    "qc",
    "kc",
    "mep",
    "msp",
    "ms",
    "am",
    "obe",
    "cbe",
    "mbe",
    "kbe",
    "dbe",
    "pc",
    "frs",
    "jp",
    "gmbh",
    "sa",
    "ag",
}
# Words of a title that stands alone after a name ("Jane Doe, Chief Executive").
_TITLE_ONLY = {normalise(w) for w in TITLE_WORDS} | {
    "editor",
    "executive",
    "ceo",
    "founder",
    "co-founder",
    "chair",
    "chairman",
    "chairwoman",
    "chief",
    "managing",
    "group",
    "political",
    "deputy",
    "correspondent",
    "columnist",
    "presenter",
    "proprietor",
    "owner",
    "publisher",
    "officer",
    "partner",
    "member",
    "members",
    "leader",
    "of",
    "the",
    "and",
    "news",
    "general",
    "manager",
    "head",
    "vice",
    "president",
    "director",
    "secretary",
}
_PREPOSITIONS = {"of", "for", "on", "in", "to", "at"}
_PERSON_PREFIXES = {
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "baron",
    "viscount",
    "earl",
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "cllr",
    "councillor",
    "rt hon",
    "the rt hon",
    "hon",
    "rev",
    "reverend",
    "bishop",
    "archbishop",
}


# A peer by their title: "Lord Ahmad of Wimbledon", "Baroness Example".
@dataclass
class Named:
    """One organisation or person a cell names."""

    text: str
    title: str | None = None  # "Jane Doe, Chief Executive"
    org: str | None = None  # the organisation of a person: "Jane Doe (Acme Ltd)"
    abbreviation: str | None = None  # "Confederation of British Industry (CBI)"


def _words(text: str) -> list[str]:
    return [normalise(w) for w in re.findall(r"[\w'’&.-]+", text)]


def _acronym(text: str) -> bool:
    return any(len(w) >= 2 and w.isupper() and w.isalpha() for w in re.findall(r"[\w&]+", text))


def _org_hint(text: str) -> bool:
    return "&" in text or _acronym(text) or any(w.rstrip(".") in ORG_HINTS for w in _words(text))


def _person_prefixed(text: str) -> bool:
    words = _words(text.replace(".", " "))
    return bool(words) and (
        words[0] in _PERSON_PREFIXES
        or " ".join(words[:2]) in _PERSON_PREFIXES
        or " ".join(words[:3]) in _PERSON_PREFIXES
    )


def looks_like_person(text: str) -> bool:
    """A personal name: 'Sir John Smith', 'Jane Doe', 'Lord Smith of Example'; never a name
    with an organisation's word, an acronym, '&' or a lower-case connector ('Marks and Spencer')."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip()
    if not text or _org_hint(text):
        return False
    if names.PEERAGE.match(text) or (_person_prefixed(text) and len(text.split()) >= 2):
        return True
    words = text.split()
    inner = [w for w in words[1:-1] if w not in names.PARTICLES]  # 'Ursula von der Leyen'
    words = words[:1] + inner + words[-1:] if len(words) > 2 else words
    return 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w'’.-]*|[A-Z]\.?", w) for w in words)


def _title_only(text: str) -> bool:
    words = _words(text)
    return bool(words) and all(w in _TITLE_ONLY for w in words)


def _is_title(text: str) -> bool:
    """A title, alone or after whom its holder serves: 'Chief Executive', 'NATO Secretary
    General', 'UN Secretary-General', 'President of the European Commission', "Pakistan's High Commissioner to the UK" (the side the
    resolver reads from it, kb.importing.identity.represented)."""
    if _title_only(text):
        return True
    head = re.split(r"\s+to\s+", text.strip(), maxsplit=1)[0]
    side, stated = represented(head, None, None)
    if not stated or side is None:
        return False
    possessive = re.match(r"^(?:the\s+)?.+?['’]s?\s+(.+)$", head)
    if possessive and not is_body(side):
        return _title_only(possessive.group(1))
    words = _words(head.replace("-", " "))
    for spelled in sorted(BODIES[side][2], key=len, reverse=True) if is_body(side) else ():
        body = spelled.split()
        if words[: len(body)] == body:  # 'NATO Secretary General'
            return _title_only(" ".join(words[len(body) :]))
        for tail in (["of", *body], ["of", "the", *body]):  # 'President of the European Commission'
            if len(words) > len(tail) and words[-len(tail) :] == tail:
                return _title_only(" ".join(words[: -len(tail)]))
    return False


def _strong(text: str, known) -> bool:
    """Stands alone as a name by itself: an organisation's noun or an acronym, a prefixed personal
    name, or a name the knowledge base records."""
    return (
        _acronym(text)
        or any(w.rstrip(".") in _ORG_NOUNS for w in _words(text))
        or _person_prefixed(text)
        or bool(names.PEERAGE.match(text))
        or known(text)
    )


def _top_level_split(text: str, separators: str) -> list[str]:
    """Split on any of ``separators`` outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}" and depth > 0
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _and_split(text: str) -> list[str]:
    """Split on ' and ' outside brackets."""
    return [p.strip() for p in _top_level_split(re.sub(r"\s+and\s+", "\x00", text), "\x00")]


def split_cell(cell: str, known=lambda text: False) -> list[Named]:
    """The organisations or people one cell names. ';', '|' and new lines always separate;
    'A, B and C' and 'A and B' separate only when the result is plainly several names:

    - a name the knowledge base records (``known``) is never split;
    - 'Department for Business, Energy and Industrial Strategy' (a list inside 'for', 'of',
      'on'... of the first name) stays whole unless every later part stands alone;
    - 'A and B' without a comma is split only when both stand alone (an acronym, an
      organisation's word, a prefixed name), or both look like personal names and the first
      has no 'of'/'for': 'Marks and Spencer', 'Department of Health and Social Care' stay whole;
    - legal forms and letters after a name (Ltd, plc, MP, CBE) stay with the name;
    - a part that is only a title ('Chief Executive') is the title of the name before it, and
      'Jane Doe, Acme Ltd' is Jane Doe of Acme Ltd.
    """
    found: list[Named] = []
    for piece in _top_level_split(cell, ";|\n"):
        piece = " ".join(piece.split()).strip(" ,.")
        if piece:
            found += _split_piece(piece, known)
    return found


def _split_piece(piece: str, known) -> list[Named]:
    if known(piece):
        return [_named(piece)]
    commas = _top_level_split(piece, ",")
    if len(commas) == 1:
        sides = _and_split(piece)
        if len(sides) > 1 and _separate(sides, known):
            return [_named(s) for s in sides]
        return [_named(piece)]
    last = re.sub(r"^and\s+", "", commas[-1])
    sides = _and_split(last)
    if not known(last) and (_separate(sides, known) or all(len(side.split()) == 1 for side in sides)):
        parts = commas[:-1] + sides  # "A, B and C"
    else:
        parts = commas[:-1] + [last]  # "A, Country Land and Business Association"
    if any(normalise(p.rstrip(".")) in _SUFFIXES for p in parts):
        return [_named(piece)]  # "Acme, Ltd", "Jane Doe, MP"
    merged: list[Named] = []
    for part in parts:
        if merged and _is_title(part):
            merged[-1].title = ", ".join(filter(None, [merged[-1].title, part]))
            continue
        merged.append(_named(part))
    entities = merged
    if (
        len(entities) == 2
        and looks_like_person(entities[0].text)
        and entities[1].text
        and not entities[0].org
        and _org_hint(entities[1].text)
        and not looks_like_person(entities[1].text)
    ):
        entities[0].org = entities[1].text  # "Jane Doe, Acme Ltd"
        return [entities[0]]
    first = entities[0].text
    if set(_words(first)) & _PREPOSITIONS and not all(_strong(n.text, known) for n in entities[1:]):
        return [_named(piece)]  # "Department for Business, Energy and Industrial Strategy"
    return entities


def _separate(sides: list[str], known) -> bool:
    if all(_strong(s, known) and not _title_only(s) for s in sides):
        return True
    return all(looks_like_person(s) for s in sides) and not set(_words(sides[0])) & _PREPOSITIONS


def _named(text: str) -> Named:
    """'Confederation of British Industry (CBI)' -> abbreviation CBI; 'Jane Doe (Acme Ltd)' ->
    Jane Doe of Acme Ltd; 'Jane Doe (Editor)' -> titled Editor."""
    text = text.strip(" ,.;")
    match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    if not match:
        return Named(text)
    head, inner = match.group(1).strip(), match.group(2).strip()
    if re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", inner) and not looks_like_person(head):
        return Named(head, abbreviation=inner)
    if looks_like_person(head):
        if _is_title(inner):
            return Named(head, title=inner)
        title, comma, org = inner.partition(",")
        if comma and _is_title(title):
            return Named(head, title=title.strip(), org=org.strip())
        return Named(head, org=inner)
    return Named(text)


# --- dates ---------------------------------------------------------------------------------

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(\d{4}|\d{2})"
_DATE_FORMS = [
    # 2-6/9/12, 02-06/09/2012
    ("day range numeric", re.compile(rf"^(\d{{1,2}})\s*-\s*(\d{{1,2}})[/.](\d{{1,2}})[/.]{_YEAR}$")),
    # 13/07/2012 - 15/07/2012
    (
        "range numeric",
        re.compile(rf"^(\d{{1,2}})[/.](\d{{1,2}})[/.]{_YEAR}\s*-\s*(\d{{1,2}})[/.](\d{{1,2}})[/.]{_YEAR}$"),
    ),
    # 13/07/2012, 1.7.12
    ("numeric", re.compile(rf"^(\d{{1,2}})[/.](\d{{1,2}})[/.]{_YEAR}$")),
    # 02-06 September 2012, 2 - 6 Sept
    ("day range", re.compile(rf"^(\d{{1,2}})\s*-\s*(\d{{1,2}})[\s-]+{_MONTH}(?:[\s,-]+{_YEAR})?$")),
    # 30 September - 2 October 2012
    (
        "month range",
        re.compile(
            rf"^(\d{{1,2}})[\s-]+{_MONTH}(?:[\s,-]+{_YEAR})?\s*-\s*(\d{{1,2}})[\s-]+{_MONTH}"
            rf"(?:[\s,-]+{_YEAR})?$"
        ),
    ),
    # 13 July 2012, 13-Jul-12, 13 Jul
    ("day", re.compile(rf"^(\d{{1,2}})[\s-]+{_MONTH}(?:[\s,-]+{_YEAR})?$")),
    # July 13, 2012
    ("month first", re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$")),
    # Oct-12, October 2012, Oct 2012, October
    ("month", re.compile(rf"^{_MONTH}(?:[\s,-]+{_YEAR})?$")),
]


@dataclass
class When:
    start: PartialDate
    end: PartialDate | None = None
    note: str | None = None  # how a missing year was read, for a person to confirm


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if len(text) == 4 else 2000 + int(text)


def _month(text: str) -> int:
    month = MONTHS.get(text.lower().rstrip("."))
    if month is None:
        raise RowError(f"'{text}' is not a month")
    return month


def _day(year: int | None, month: int, day: int, written: str) -> tuple[int | None, int | None, int | None]:
    check_year = year if year is not None else 2000  # a leap year: 29 February may be right
    try:
        dt.date(check_year, month, day)
    except ValueError:
        raise RowError(f"'{written}' is not a date (no day {day} in month {month})") from None
    return year, month, day


def parse_date(value: str) -> list[tuple[int | None, int | None, int | None]]:  # noqa: C901 -- one branch per date shape registers use, tried in order; splitting hides the order
    """The day(s) a register's date cell gives, each (year or None, month, day or None), in
    UK order (day first) for numbers; two-digit years are 20xx."""
    text = " ".join(value.replace("\u2013", "-").replace("\u2014", "-").split())
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(
        r"^(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(day)?\.?,?\s+", "", text, flags=re.IGNORECASE
    )
    iso = PartialDate.try_parse(text)
    if iso is not None and not iso.qualifier:
        try:
            _day(iso.year, iso.month or 1, iso.day or 1, value)
        except RowError:
            raise RowError(f"'{value}' is not a date") from None
        return [(iso.year, iso.month, iso.day)]  # 2012 alone is a year, no more
    for form, pattern in _DATE_FORMS:
        match = pattern.match(text.lower())
        if not match:
            continue
        g = match.groups()
        if form == "day range numeric":
            year = _year(g[3])
            return [_day(year, int(g[2]), int(g[0]), value), _day(year, int(g[2]), int(g[1]), value)]
        if form == "range numeric":
            return [_day(_year(g[2]), int(g[1]), int(g[0]), value), _day(_year(g[5]), int(g[4]), int(g[3]), value)]
        if form == "numeric":
            if int(g[1]) > 12:
                raise RowError(f"'{value}' is not a date in the UK order day/month/year (there is no month {g[1]})")
            return [_day(_year(g[2]), int(g[1]), int(g[0]), value)]
        if form == "day range":
            year, month = _year(g[3]), _month(g[2])
            return [_day(year, month, int(g[0]), value), _day(year, month, int(g[1]), value)]
        if form == "month range":
            end_year = _year(g[5])
            start_year = _year(g[2]) if g[2] else end_year
            if not g[2] and end_year is not None and _month(g[1]) > _month(g[4]):
                start_year = end_year - 1  # 30 December - 2 January 2013
            return [_day(start_year, _month(g[1]), int(g[0]), value), _day(end_year, _month(g[4]), int(g[3]), value)]
        if form == "day":
            return [_day(_year(g[2]), _month(g[1]), int(g[0]), value)]
        if form == "month first":
            return [_day(_year(g[2]), _month(g[0]), int(g[1]), value)]
        if form == "month":
            return [(_year(g[1]), _month(g[0]), None)]
    raise RowError(
        f"'{value}' is not a date kb can read; write it as 13/07/2012, 13 July 2012, July 2012 or 02-06 September 2012"
    )


def _partial(year: int, month: int | None, day: int | None) -> PartialDate:
    return PartialDate(year, month, day) if day else PartialDate(year, month) if month else PartialDate(year)


def resolve_dates(
    days: list[tuple[int | None, int | None, int | None]],
    value: str,
    span: tuple[tuple[int, int], tuple[int, int]] | None,
) -> When:
    """Dates with their years; a date without one takes the one year in which its month falls
    within ``span`` (the first and last (year, month) the file's other dates give)."""
    note = None
    if any(year is None for year, _, _ in days):
        known = {year for year, _, _ in days if year is not None}
        month = days[0][1]
        if known:
            choices = sorted(known)
        elif span is None:
            choices = []
        else:
            choices = [y for y in range(span[0][0], span[1][0] + 1) if span[0] <= (y, month) <= span[1]]
        if len(choices) != 1:
            raise RowError(f"'{value}' gives no year and the file's other dates do not settle it; add the year")
        note = f"the register gives no year for '{value}'; read as {choices[0]} from the file's other dates"
        days = [(year if year is not None else choices[0], m, d) for year, m, d in days]
    start = _partial(days[0][0], days[0][1], days[0][2])  # type: ignore[arg-type]
    end = _partial(days[-1][0], days[-1][1], days[-1][2]) if len(days) > 1 else None  # type: ignore[arg-type]
    if end is not None and end.earliest() < start.earliest():
        raise RowError(f"'{value}' ends before it starts")
    return When(start, end if end != start else None, note)


# --- reading a register's rows -------------------------------------------------------------

_NIL = re.compile(
    r"^(nil(\s+returns?)?|no\s+(external\s+|relevant\s+)?meetings?(\s+to\s+(declare|report))?|none)\.?$", re.IGNORECASE
)


@dataclass
class Row:
    """A row as the register gives it (the minister filled down), by field: minister, date,
    named (the organisations or people met), purpose, org (a media figure's organisation),
    title, cabinet, register_id, location."""

    number: int  # as a spreadsheet shows it: the first line of the file is row 1
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class Layout:
    """Which column holds what, found from the header row."""

    header_row: int
    columns: dict[str, int]  # field -> column index
    named_kind: str  # "org", "person" or "either": what the organisations-or-people column holds
    heading: str  # the named column's heading, for messages


def _heading(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).strip(" :*").casefold()


def uk_layout(header: list[str], number: int) -> Layout | None:  # noqa: C901 -- one flat branch per column heading variant; a table read top to bottom
    """The columns of a UK register from its header row, or None if the row is not one."""
    columns: dict[str, int] = {}
    kinds: dict[int, str] = {}
    for index, cell in enumerate(header):
        h = _heading(cell)
        if not h:
            continue
        if "purpose" in h or "subject" in h or "nature of" in h:
            columns.setdefault("purpose", index)
        elif "minister" in h or "special advis" in h:
            columns.setdefault("minister", index)
        elif h.startswith("date") or h in ("month", "when"):
            columns.setdefault("date", index)
        elif "media figure" in h or "journalist" in h:
            kinds[index] = "media"
        elif "organi" in h and "individual" in h:
            kinds[index] = "either"
        elif "organi" in h:
            kinds[index] = "org"
        elif "individual" in h or "person" in h or "people" in h:
            kinds[index] = "person"
    media = [i for i, k in kinds.items() if k == "media"]
    if media:
        columns["named"] = media[0]
        orgs = [i for i, k in kinds.items() if k == "org"]
        if orgs:
            columns["org"] = orgs[0]
        kind = "person"
    elif kinds:
        columns["named"], kind = next(iter(kinds.items()))
    else:
        return None
    if "minister" not in columns or "date" not in columns:
        return None
    return Layout(number, columns, kind, " ".join(header[columns["named"]].replace("\ufeff", "").split()))


def _decode(path: Path) -> tuple[str, str | None]:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252, as
    spreadsheets on Windows save CSV, and a note saying so."""
    from kb.importing.encoding import label, unicode_encoding

    data = path.read_bytes()
    encoding = unicode_encoding(data)
    if encoding not in (None, "utf-8-sig"):
        try:
            return data.decode(encoding), f"{path.name} is {label(encoding)} text; read as such"
        except UnicodeDecodeError as error:
            raise RegisterError(
                f"{path}: starts as {label(encoding)} text but is not (byte {error.start + 1}); save it as 'CSV UTF-8'"
            ) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        try:
            return data.decode("cp1252"), (
                f"{path.name} is not UTF-8 (byte {error.start + 1}); "
                "read as Windows-1252, as spreadsheets on Windows save CSV"
            )
        except UnicodeDecodeError:
            raise RegisterError(
                f"{path}: not text in UTF-8 or Windows-1252 (byte {error.start + 1}); save it as 'CSV UTF-8'"
            ) from None


def ec_layout(header: list[str], number: int) -> Layout | None:
    """The columns of the European Commission's register of meetings from its header row."""
    wanted = {
        "name of cabinet": "cabinet",
        "name of ec representative": "minister",
        "title of ec representative": "title",
        "name of interest representative": "named",
        "transparency register id": "register_id",
        "date of meeting": "date",
        "location": "location",
        "subject of the meeting": "purpose",
        "subject of meeting": "purpose",
        "subject": "purpose",
    }
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = wanted.get(_heading(cell))
        if name:
            columns.setdefault(name, index)
    if not {"minister", "named", "date"} <= set(columns):
        return None
    return Layout(number, columns, "org", " ".join(header[columns["named"]].replace("\ufeff", "").split()))


UK_COLUMNS = (
    "a UK ministerial meetings register has columns 'Minister' (or 'Special adviser'), 'Date', 'Name of "
    "organisation or individual' (or 'Name of organisation', 'Name of senior media figure') and 'Purpose of "
    "meeting'"
)
EC_COLUMNS = (
    "the European Commission's register of meetings has columns 'Name of EC representative', 'Name of "
    "interest representative' and 'Date of meeting' (and 'Name of cabinet', 'Title of EC representative', "
    "'Transparency register ID', 'Location', 'Subject of the meeting')"
)


def register_rows(path: Path, layout_of, columns: str) -> tuple[Layout, list[Row | str], list[str]]:
    """The data rows of a register (a Row, or 'nil' for a nil return) after its header row
    (found by ``layout_of``), and notes on reading it."""
    text, note = _decode(path)
    notes = [note] if note else []
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise RegisterError(f"{path}: not readable as CSV ({error})") from None
    layout = None
    for number, record in enumerate(records[:_HEADER_SEARCH], start=1):
        layout = layout_of(record, number)
        if layout is not None:
            break
    if layout is None:
        raise RegisterError(f"{path}: no header row found in its first {_HEADER_SEARCH} lines: {columns}")
    rows: list[Row | str] = []
    minister = ""

    def cell(record: list[str], index: int) -> str:
        return " ".join(record[index].replace("\ufeff", "").split()) if index < len(record) else ""

    for number, record in enumerate(records[layout.header_row :], start=layout.header_row + 1):
        if not any(c.strip() for c in record):
            continue
        values = {name: cell(record, index) for name, index in layout.columns.items()}
        minister = values["minister"] = values["minister"] or minister
        if any(_NIL.match(values[name]) for name in ("named", "date", "purpose") if values.get(name)):
            rows.append("nil")
            continue
        if not values["date"] and not values["named"] and not values.get("purpose"):
            continue  # the minister's name on a line of its own, or a note
        rows.append(Row(number, values))
    return layout, rows, notes


# --- who is named: the minister, and the organisations and people met ----------------------

_RT_HON = re.compile(r"^(the\s+)?(rt\.?\s+hon\.?|right\s+hon(ou?rable)?|hon\.?|hon(ou?rable))\s+", re.IGNORECASE)
_POSTNOMINALS = re.compile(r"(,?\s+(MP|QC|KC|MEP|MSP|MS|AM|MLA|PC|OBE|CBE|MBE|KBE|DBE|KCMG|GCMG|CMG|FRS|JP)\.?)+$")
_ANCHORS = {
    "minister",
    "secretary",
    "adviser",
    "advisor",
    "chancellor",
    "whip",
    "solicitor",
    "attorney",
    "leader",
    "paymaster",
    "lord",
    "parliamentary",
    "spokesperson",
    "president",
    "chief",
    "economic",
}


def clean_name(text: str) -> tuple[str, str | None]:
    """A name without 'The Rt Hon' and letters after it, and a title written beside it:
    'Rt Hon Jane Doe MP (Minister for Trade)' -> ('Jane Doe', 'Minister for Trade')."""
    text = " ".join(text.split()).strip(" ,")
    title = None
    bracketed = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    if bracketed:
        text, title = bracketed.group(1), bracketed.group(2).strip()
    head, comma, tail = text.partition(",")
    if comma and not _POSTNOMINALS.fullmatch(f" {tail.strip()}") and set(_words(tail)) & _ANCHORS:
        text, title = head, tail.strip()
    text = _POSTNOMINALS.sub("", _RT_HON.sub("", text.strip())).strip(" ,")
    return text, title


@dataclass
class ProposedOrg:
    id: str
    name: str
    abbreviation: str | None
    seen: str

    def record(self) -> dict:
        org = {"id": self.id, "name": self.name}
        if self.abbreviation:
            org["abbreviation"] = self.abbreviation
        return org


@dataclass
class Found:
    id: str
    exact: bool  # by id, name or abbreviation; otherwise by spelling, to be confirmed


class Parties:
    """The organisations a register names: recorded ones found through kb.query.resolve, each
    name looked up once; unknown ones proposed once however many rows name them. Who a person is,
    is the one identity resolver's (kb.importing.identity), as in every import."""

    def __init__(self, kb):
        self.kb = kb
        self.found: dict[str, Found | RowError | None] = {}
        self.orgs: dict[str, ProposedOrg] = {}  # normalised name or abbreviation -> proposal
        self.taken = set(kb.orgs)

    def known(self, text: str) -> bool:
        return any(kind in ("person", "org") for kind, _ in self.kb.name_index.get(normalise(text), ()))

    def recorded_org(self, text: str) -> bool:
        """Whether ``text`` is exactly the name, abbreviation or alias of a recorded organisation."""
        return any(kind == "org" for kind, _ in self.kb.name_index.get(normalise(text), ()))

    def find(self, text: str) -> Found | None:
        key = normalise(text)
        if key not in self.found:
            from kb.query.resolve import AmbiguousCounterpart, UnknownCounterpart, resolve

            try:
                hit = resolve(self.kb, text, ("org",), suggest=False)
            except UnknownCounterpart:
                self.found[key] = None
            except AmbiguousCounterpart as error:
                self.found[key] = RowError(f"{error}: add the right one's id to the row by hand")
            else:
                exact = ("org", hit.id) in self.kb.name_index.get(key, ()) or self.kb.resolve_id("org", text) == hit.id
                self.found[key] = Found(hit.id, exact)
        found = self.found[key]
        if isinstance(found, RowError):
            raise found
        return found

    def propose_org(self, name: str, abbreviation: str | None, where: str) -> tuple[ProposedOrg, bool]:
        for key in (normalise(name), normalise(abbreviation or "")):
            if key and key in self.orgs:
                return self.orgs[key], False
        from kb.importing.write import free_id

        org = ProposedOrg(free_id(self.kb.root, "org", names.org_id(name), self.taken), name, abbreviation, where)
        self.taken.add(org.id)
        self.orgs[normalise(name)] = org
        if abbreviation:
            self.orgs.setdefault(normalise(abbreviation), org)
        return org, True

    def proposed_orgs(self) -> list[ProposedOrg]:
        return list({o.id: o for o in self.orgs.values()}.values())


# --- drafts ----------------------------------------------------------------------------------


@dataclass
class RegisterImport(Imported):
    orgs: list = field(default_factory=list)  # ProposedOrg, and the international bodies whose officials were met
    nil_returns: int = 0
    notes: list[str] = field(default_factory=list)


class _Drafter:
    """Drafts meetings from register rows, one knowledge base and one import at a time."""

    def __init__(self, kb, publisher: str | None, today: dt.date, our_country: str, ours: str = "minister"):
        self.kb = kb
        self.ours_word = ours  # what the register calls the person on our side
        self.parties = Parties(kb)
        self.people = People(Identities(kb))
        self.publisher = publisher
        self.today = today
        self.country = our_country  # the register's government: its side, and that of whom it met
        self.reserved: set[str] = set()
        self.imported = {
            (s.document, str(m.date)): m.relpath for m in kb.sorted_meetings for s in m.sources if s.document
        }

    def already(self, document: str, when: When) -> str | None:
        return self.imported.get((document, str(when.start)))

    def person(
        self, name: str, title: str | None, stated: bool, when: When, where: str, notes: tuple[list[str], list[str]]
    ) -> tuple[dict, str]:
        """The participant entry of a person, found or proposed by the one identity resolver, and
        the name the meeting's id is made from. ``stated``: the register's government is surely
        theirs (our minister); otherwise it is only where they were met, and their title may say
        whom they represent ('NATO Secretary General', 'Pakistan's High Commissioner')."""
        unconfirmed, messages = notes
        entry, _shown = person_participant(
            self.kb, self.people, name, title, self.country, stated, when.start, where, unconfirmed, messages
        )
        person = entry["person"]
        display = family_name(self.kb, person, name) if person in self.kb.people else names.known_as(name, None)
        return entry, display

    def ours(
        self, written: str, title: str | None, when: When, where: str, notes: tuple[list[str], list[str]]
    ) -> tuple[dict, str]:
        """The participant entry of our minister, and the name the meeting's id is made from: on
        the register's side unless recorded with another country."""
        name, written_title = clean_name(written)
        if not name:
            raise RowError(f"no {self.ours_word} is named in this row or above it")
        entry, display = self.person(name, title or written_title, True, when, where, notes)
        recorded = self.kb.people.get(entry["person"])
        entry["side"] = (recorded.country() if recorded is not None else None) or self.country
        return entry, display

    def theirs(
        self, named: Named, kind: str, when: When, where: str, notes: tuple[list[str], list[str]]
    ) -> tuple[dict, str]:
        """The participant entry of one organisation or person met."""
        text = named.text
        bare = clean_name(text)[0]  # without 'Rt Hon' and letters after a name
        personal = (kind == "person" and not _org_hint(bare)) or (kind == "either" and looks_like_person(bare))
        if personal and not self.parties.recorded_org(text):
            name = bare if names.PEERAGE.match(bare) else names.strip_titles(bare)[1]
            entry, display = self.person(name, named.title, False, when, where, notes)
            if named.org:
                employer = self.org(Named(named.org), where, notes)[0]
                entry = {"person": entry["person"], "org": employer["org"], "side": entry["side"], **_titled(entry)}
            return entry, display
        entry, display = self.org(named, where, notes)
        if named.title:
            entry["title"] = named.title
        return entry, display

    def org(self, named: Named, where: str, notes: tuple[list[str], list[str]]) -> tuple[dict, str]:
        """The participant entry of an organisation: recorded (by name, abbreviation or spelling), or proposed."""
        unconfirmed, messages = notes
        text = named.text
        found = self.parties.find(text)
        if found is None and named.abbreviation:
            found = self.parties.find(named.abbreviation)
        if found is not None:
            org = self.kb.orgs[found.id]
            if not found.exact:
                unconfirmed.append(
                    f"{where}: '{text}' matched to {found.id} ({org.name}) by spelling; confirm, "
                    "and add the spelling as an alias if right"
                )
            return {"org": found.id, "side": org.country() or self.country}, org.abbreviation or org.name
        proposal, new = self.parties.propose_org(text, named.abbreviation, where)
        if new:
            messages.append(f"{where}: proposed new organisation {proposal.id} '{text}'")
        unconfirmed.append(
            f"{where}: organisation '{text}' is not known (proposed as orgs/{proposal.id}.yaml); "
            "confirm it, its country and which side it represented"
        )
        return {"org": proposal.id, "side": self.country}, named.abbreviation or text

    def draft(  # long: keyword arguments and one Draft built field by field; importing is being rewritten
        self,
        *,
        when: When,
        ministers: list[tuple[str, str | None]],
        named: list[Named],
        kind: str,
        purpose: str,
        where: str,
        place: str | None = None,
        source: dict | None = None,
    ) -> Draft:
        unconfirmed: list[str] = []
        messages: list[str] = []
        if when.note:
            unconfirmed.append(f"{where}: {when.note}; confirm the year")
        participants = []
        displays = []
        for number, (minister, title) in enumerate(ministers):
            entry, display = self.ours(minister, title, when, where, (unconfirmed, messages))
            participants.append({**entry, "role": "lead" if number == 0 else "delegation"})
            displays.append(display)
        lead, lead_name, minister_written = participants[0], displays[0], ministers[0][0]
        displays = [lead_name]
        for number, entity in enumerate(named):
            entry, display = self.theirs(entity, kind, when, where, (unconfirmed, messages))
            participants.append({**entry, "role": "lead" if number == 0 else "delegation"})
            displays.append(display)
        met = [n.text for n in named]
        record: dict = {"id": names.meeting_id(when.start, displays[:2])}
        listed = met if len(met) <= 3 else [*met[:3], f"{len(met) - 3} others"]
        listed_text = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
        who = (
            self.kb.people[lead["person"]].name if lead["person"] in self.kb.people else clean_name(minister_written)[0]
        )
        record["title"] = f"{who} meets {listed_text}"
        record["date"] = str(when.start)
        if when.end is not None:
            record["end_date"] = str(when.end)
        record["status"] = "held" if when.start.earliest() <= self.today else "planned"
        if place:
            from kb.importing.places import place_country

            country = place_country(place)
            if country:
                record["location"] = {"place": place, "country": country}
            else:
                unconfirmed.append(f"{where}: place '{place}' has no known country; add location with its country code")
        record["participants"] = participants
        if purpose:
            record["summary"] = purpose
        record["sources"] = [
            {"document": where, **({"publisher": self.publisher} if self.publisher else {}), **(source or {})}
        ]
        if unconfirmed:
            record["unconfirmed"] = unconfirmed
        from kb.importing.write import free_id

        record["id"] = free_id(self.kb.root, "meeting", record["id"], self.reserved)
        self.reserved.add(record["id"])
        return Draft(record, messages)

    def probably_recorded(self, draft: Draft) -> str | None:
        """A recorded meeting of the same people within a day (kb.importing.existing)."""
        from kb.importing import existing

        named = [p.get("person") or p.get("org") for p in draft.meeting["participants"]]
        known = [p for p in named if p in self.kb.people]
        found = existing.find(self.kb, PartialDate.parse(draft.meeting["date"]), known, unknown=len(named) - len(known))
        if found is None:
            return None
        return (
            f"probably already recorded as {found.relpath} ({found.date}, same people); "
            f"add '{draft.meeting['sources'][0]['document']}' to its sources by hand if so"
        )

    def finish(self, result: RegisterImport) -> RegisterImport:
        """The result with the people and organisations proposed for the drafts kept (not for
        rows skipped as already recorded), after the resolver's second pass."""
        settle_people(self.kb, self.people, result)
        participants = [p for d in result.drafts for p in d.meeting["participants"]]
        named = {p.get("person") or "" for p in participants} | {p.get("org") or "" for p in participants}
        sides = {p.get("side") for p in participants}
        result.people = [p for p in result.people if p.id in named]
        result.orgs = [b for b in result.orgs if b.id in sides] + [
            o for o in self.parties.proposed_orgs() if o.id in named
        ]
        return result


def _titled(entry: dict) -> dict:
    return {"title": entry["title"]} if "title" in entry else {}


def _span(dates: list) -> tuple[tuple[int, int], tuple[int, int]] | None:
    months = [
        (year, month)
        for days in dates
        if isinstance(days, list)
        for year, month, _ in days
        if year is not None and month is not None
    ]
    return (min(months), max(months)) if months else None


def read_uk(kb, paths: list[Path], *, publisher: str | None = None, today: dt.date | None = None) -> RegisterImport:
    """Drafts from UK ministerial meetings registers: one meeting per row that names a meeting.
    The minister, and whom they met unless recorded otherwise, are on the UK's side."""

    def meeting(row: Row) -> dict:
        named = split_cell(row.get("named"), drafter.parties.known)
        for entity in named if row.get("org") else ():
            entity.org = entity.org or row.get("org")
        return {"ministers": [(row.get("minister"), None)], "named": named}

    drafter = _Drafter(kb, publisher, today or dates.today(), UK)
    return _read(drafter, paths, uk_layout, UK_COLUMNS, meeting)


def read_ec(kb, paths: list[Path], *, publisher: str | None = None, today: dt.date | None = None) -> RegisterImport:
    """Drafts from the European Commission's register of meetings with interest representatives.
    The Commission's representatives are on our side (kb.yaml's our_side), and so are the
    interest representatives until a person records their country."""

    def meeting(row: Row) -> dict:
        people = [p.strip() for p in re.split(r"[;,]", row.get("minister")) if p.strip()]
        titles = [t.strip() for t in re.split(r"[;,]", row.get("title")) if t.strip()]
        if len(titles) != len(people):
            titles = [row.get("title") or None] + [None] * (len(people) - 1)
        named = split_cell(row.get("named"), drafter.parties.known)
        note = "; ".join(
            f"{label}: {row.get(name)}"
            for name, label in (("cabinet", "Cabinet"), ("register_id", "Transparency register ID"))
            if row.get(name)
        )
        return {
            "ministers": list(zip(people, titles, strict=True)),
            "named": named,
            "place": row.get("location") or None,
            "source": {"note": note} if note else None,
        }

    drafter = _Drafter(
        kb,
        publisher or "European Commission",
        today or dates.today(),
        kb.config.our_side,
        "Commission representative",
    )
    return _read(drafter, paths, ec_layout, EC_COLUMNS, meeting)


def _read(drafter: _Drafter, paths: list[Path], layout_of, columns: str, meeting) -> RegisterImport:
    result = RegisterImport()
    for path in paths:
        layout, rows, notes = register_rows(path, layout_of, columns)
        result.notes += notes
        result.nil_returns += sum(1 for row in rows if row == "nil")
        meetings = [row for row in rows if isinstance(row, Row)]
        parsed: list[list | RowError] = []
        for row in meetings:
            try:
                parsed.append(parse_date(row.get("date")) if row.get("date") else RowError("the date is empty"))
            except RowError as error:
                parsed.append(error)
        span = _span(parsed)
        for row, days in zip(meetings, parsed, strict=True):
            where = f"{path.name} row {row.number}"
            try:
                if isinstance(days, RowError):
                    raise days
                when = resolve_dates(days, row.get("date"), span)
                recorded = drafter.already(where, when)
                if recorded:
                    result.skipped.append(f"{where}: already imported as {recorded}; nothing drafted")
                    continue
                parts = meeting(row)
                if not parts["named"]:
                    raise RowError(f"column '{layout.heading}' is empty")
                if not parts["ministers"]:
                    raise RowError(f"no {drafter.ours_word} is named in this row or above it")
                draft = drafter.draft(
                    when=when, kind=layout.named_kind, purpose=row.get("purpose"), where=where, **parts
                )
            except RowError as error:
                result.problems.append(f"{where}: {error}; nothing drafted for this row")
                continue
            probably = drafter.probably_recorded(draft)
            if probably:
                result.skipped.append(f"{where}: {probably}; nothing drafted for this row")
                continue
            draft.row = row.number
            result.drafts.append(draft)
    return drafter.finish(result)
