"""Office-holders: who held which post, and when, for `kb import holders`.

Two formats are read:

- a plain CSV with the columns ``person``, ``post``, ``country``, ``start``, ``end`` and the
  optional ``wikidata`` (a Q-number) and ``aliases`` (other spellings of the name, separated by
  ';': Wikidata's alternative labels), one row a tenure; ``country`` is an ISO 3166 code or
  name, or an international body (UN, NATO, EU, Arab League, PLO, Quartet...: kb.importing.
  identity.BODIES) whose post it is; dates are ISO (Wikidata's ``1971-03-12T00:00:00Z`` is read
  too), ``end`` empty while in office;
- FollowTheMoney entities, one JSON object a line (the format OpenSanctions publishes
  politically exposed persons in): ``Person`` (``name``, ``alias``, ``wikidataId``), ``Position``
  (``name``, ``country``) and ``Occupancy`` (``holder``, ``post``, ``startDate``, ``endDate``).

Each person becomes a record with dated roles (title, post slug as the resolver names posts,
country or body, start, end), ``identifiers: {wikidata: Q…}`` and the aliases the file gives
(kind spelling: the resolver takes a mention written so for the person). A person already recorded is
found by Wikidata id first, then by full name and a side that agrees (their country, or the
country or body of one of their roles); never by a surname alone (a person known by one name,
Suharto or Queen Beatrix, only when recorded in a post the file gives), and never when the recorded
person has another Wikidata id. The roles they lack are added (comments and order kept).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.importing.identity import BODIES, is_body, post_slug, succeeded
from kb.model import characters, names
from kb.model.dates import DateError, PartialDate
from kb.model.text import normalise, plural

COLUMNS = ("person", "post", "country", "start", "end")
_QID = re.compile(r"^Q[0-9]+$")


class HoldersError(KBError, ValueError):
    """The file is not an office-holders file kb reads."""


@dataclass
class Holding:
    """One tenure: a person in a post (of a country or a body) from a date to a date."""

    name: str
    title: str
    side: str  # an ISO code, or a body's id
    start: str | None
    end: str | None
    wikidata: str | None
    where: str
    aliases: tuple[str, ...] = ()

    def role(self) -> dict:
        role: dict = {"title": self.title, "post": post_slug(self.title, self.side)}
        role["org" if is_body(self.side) else "country"] = self.side
        if self.start:
            role["start"] = self.start
        if self.end:
            role["end"] = self.end
        return role


def read(path: Path) -> list[Holding]:
    """The tenures of a holders file: FollowTheMoney JSON lines (.json, .jsonl, .ndjson, or a
    first line that is a JSON object), else a CSV."""
    from kb.importing.encoding import label, unicode_encoding

    try:
        data = path.read_bytes()
    except OSError as error:
        raise HoldersError(f"{path}: cannot read the file ({error.strerror})") from None
    encoding = unicode_encoding(data) or "utf-8-sig"  # a spreadsheet's "Unicode text" is UTF-16
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise HoldersError(
            f"{path}:{line}:{column}: not {label(encoding)} text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson") or text.lstrip().startswith("{"):
        return _read_ftm(path, text)
    try:
        return _read_csv(path, text)
    except csv.Error as error:  # a cell over csv's limit of 131,072 characters, a NUL in strict mode
        raise HoldersError(f"{path}: not readable as CSV ({error})") from None


def _side(value: str, where: str) -> str:
    from kb.importing.places import country_code

    key = normalise(value.replace("-", " "))
    for body, (_name, abbreviation, spelled) in BODIES.items():
        if key in spelled or key == normalise(abbreviation) or key == body.replace("-", " "):
            return body
    code = country_code(value.upper() if len(value) == 2 else value, fuzzy=False)
    if code is None:
        raise HoldersError(
            f"{where}: '{value}' is neither a country (ISO 3166 code or name) nor an international body kb knows"
        )
    return code


def _date(value: str, where: str, column: str) -> str | None:
    value = value.strip().lstrip("+")
    if not value:
        return None
    value = re.sub(r"T00:00:00Z?$", "", value)
    try:
        PartialDate.parse(value)
    except DateError as error:
        raise HoldersError(f"{where}: {column}: {error}") from None
    return value


def _refuse_characters(value: str, column: str, where: str) -> None:
    """HoldersError when a cell holds a character no record may (kb.model.characters): a name
    cleaned of it would be another name, so the file is fixed instead."""
    character = characters.refused(value)
    if character is not None:
        raise HoldersError(
            f"{where}: the {column} '{characters.shown(value)}' holds the control character "
            f"{characters.describe(character)} (it could rewrite a reader's terminal or reorder the text); "
            "remove it from the file"
        )


def _holding(
    name: str, title: str, side: str, start: str, end: str, wikidata: str, where: str, aliases: tuple[str, ...] = ()
) -> Holding:
    for column, value in (("person", name), ("post", title), ("country", side), ("aliases", "; ".join(aliases))):
        _refuse_characters(" ".join(value.split()), column, where)
    if not names.parts(name):
        raise HoldersError(f"{where}: the person is empty; give the person's name")
    if not title.strip():
        raise HoldersError(f"{where}: the post is empty")
    wikidata = wikidata.strip().rsplit("/", 1)[-1]
    if wikidata and not _QID.match(wikidata):
        raise HoldersError(f"{where}: '{wikidata}' is not a Wikidata id (Q followed by digits)")
    first, last = _date(start, where, "start"), _date(end, where, "end")
    if first and last and PartialDate.parse(last).certainly_before(PartialDate.parse(first)):
        raise HoldersError(f"{where}: the end {last} is before the start {first}")
    spellings = tuple(dict.fromkeys(" ".join(a.split()) for a in aliases if a.strip() and a.strip() != name.strip()))
    return Holding(
        " ".join(name.split()),
        " ".join(title.split()),
        _side(side, where),
        first,
        last,
        wikidata or None,
        where,
        spellings,
    )


def _read_csv(path: Path, text: str) -> list[Holding]:
    import io

    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [normalise(h or "") for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise HoldersError(
            f"{path}:1: no column {', '.join(missing)}; the header row must name {', '.join(COLUMNS)} (and optionally wikidata)"
        )
    found = []
    for number, row in enumerate(reader, start=2):
        cells = {normalise(k or ""): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not any(cells.values()):
            continue
        where = f"{path.name} row {number}"
        if any(c not in cells for c in COLUMNS):
            raise HoldersError(
                f"{where}: the row has {plural(len(cells), 'cell')}, the header {len(headers)}; give every column"
            )
        found.append(
            _holding(
                cells["person"],
                cells["post"],
                cells["country"],
                cells["start"],
                cells["end"],
                cells.get("wikidata", ""),
                where,
                tuple(cells.get("aliases", "").split(";")),
            )
        )
    return found


def _check_properties(properties, where: str) -> None:
    """HoldersError unless ``properties`` is FollowTheMoney's shape: an object whose every value
    is a list of strings (a number is taken as its digits)."""
    if properties is None:
        return
    if not isinstance(properties, dict):
        raise HoldersError(
            f'{where}: the entity\'s properties are not an object; write "properties": {{"name": [...]}}'
        )
    for prop, values in properties.items():
        if not isinstance(values, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in values
        ):
            raise HoldersError(
                f"{where}: the property '{prop}' is not a list of strings; FollowTheMoney gives every property "
                f'a list, as in "{prop}": ["..."]'
            )


def _first(entity: dict, prop: str) -> str:
    values = (entity.get("properties") or {}).get(prop) or []
    return str(values[0]).strip() if values else ""


def _read_ftm(path: Path, text: str) -> list[Holding]:
    entities: dict[str, tuple[int, dict]] = {}
    for number, line in enumerate(text.split("\n"), start=1):  # JSON text may hold U+2028, which is no line's end
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as error:
            raise HoldersError(
                f"{path}:{number}:{error.colno}: not JSON ({error.msg}); give one FollowTheMoney entity a line"
            ) from None
        if not isinstance(entity, dict) or not entity.get("id") or not entity.get("schema"):
            raise HoldersError(f"{path}:{number}: not a FollowTheMoney entity (an object with id and schema)")
        _check_properties(entity.get("properties"), f"{path}:{number}")
        entities[str(entity["id"])] = (number, entity)
    found = []
    for number, entity in entities.values():
        if entity["schema"] != "Occupancy":
            continue
        where = f"{path.name} line {number}"
        holder = entities.get(_first(entity, "holder"), (0, {}))[1]
        post = entities.get(_first(entity, "post"), (0, {}))[1]
        if holder.get("schema") != "Person" or post.get("schema") != "Position":
            raise HoldersError(f"{where}: the occupancy's holder (a Person) or post (a Position) is not in the file")
        side = _first(post, "country") or _first(holder, "country") or _first(holder, "nationality")
        found.append(
            _holding(
                _first(holder, "name"),
                _first(post, "name"),
                side,
                _first(entity, "startDate"),
                _first(entity, "endDate"),
                _first(holder, "wikidataId"),
                where,
                tuple(str(a) for a in (holder.get("properties") or {}).get("alias") or []),
            )
        )
    return found


# --- what to write --------------------------------------------------------------------------


@dataclass
class Planned:
    """What an import of holders does: people to create, roles (and ids) to add to recorded people,
    international bodies to record, and tenures it will not place."""

    new: list[dict] = field(default_factory=list)
    updates: dict[str, tuple[list[dict], str | None]] = field(default_factory=dict)  # person -> roles, wikidata
    bodies: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    disputed: set[str] = field(default_factory=set)  # recorded people two groups of the file claim


def plan(kb, holdings: list[Holding]) -> Planned:
    """Group the tenures by person (Wikidata id, else name), find each recorded person, and say
    what to write."""
    from kb.importing.identity import Body
    from kb.importing.names import PersonIndex
    from kb.importing.write import free_id

    by_key: dict[tuple, list[Holding]] = {}
    for holding in holdings:
        key = ("wikidata", holding.wikidata) if holding.wikidata else ("name", normalise(holding.name))
        by_key.setdefault(key, []).append(holding)
    groups = {(*key, n): part for key, found in by_key.items() for n, part in enumerate(_eras(key, found))}
    planned = Planned()
    index = PersonIndex.of(kb)
    taken = set(kb.people)
    for group in groups.values():
        try:
            person = _recorded(kb, index, group)
        except HoldersError as error:
            planned.problems.append(str(error))
            continue
        roles = _new_roles(person, group)
        if person is None:
            drafted = _record(group, free_id(kb.root, "person", names.person_id(group[0].name), taken))
            if sum(normalise(g[0].name) == normalise(group[0].name) for g in groups.values()) > 1:
                drafted["notes"] += (
                    f" The file names another '{group[0].name}' with another Wikidata id, kept as another person."
                    if group[0].wikidata
                    else f" The file names another '{group[0].name}' in other years or for another country, kept "
                    "as another person (no Wikidata id decides): add the ids to the file to be sure."
                )
            taken.add(drafted["id"])
            planned.new.append(drafted)
        elif roles or (group[0].wikidata and not person.wikidata):
            _update(planned, person, group, roles)
    for body in sorted({h.side for h in holdings if is_body(h.side)} - set(kb.orgs)):
        planned.bodies.append(Body(body, "").record())
    return planned


def _update(planned: Planned, person, group: list[Holding], roles: list[dict]) -> None:
    """Add the tenures' roles (and Wikidata id) to what the import writes to a recorded person,
    beside those of another group of the file found to be them; two groups with different
    Wikidata ids found by name to be one recorded person without an id are a problem: neither
    is written, the file says they are two people."""
    wikidata = group[0].wikidata if not person.wikidata else None
    if person.id in planned.disputed:
        return
    earlier = planned.updates.get(person.id)
    if earlier is None:
        planned.updates[person.id] = (roles, wikidata)
    elif wikidata and earlier[1] and wikidata != earlier[1]:
        del planned.updates[person.id]
        planned.disputed.add(person.id)
        planned.problems.append(
            f"{group[0].where}: the file gives '{group[0].name}' two Wikidata ids ({earlier[1]}, {wikidata}), "
            f"and kb records one such person without an id ({person.id}): add the right id to {person.relpath} "
            "(identifiers: wikidata), and the other tenures are imported as another person"
        )
    else:
        held = {(r["post"], r.get("start")) for r in earlier[0]}
        more = [r for r in roles if (r["post"], r.get("start")) not in held]
        planned.updates[person.id] = ([*earlier[0], *more], earlier[1] or wikidata)


# Tenures of one name without a Wikidata id are one person's unless they are further apart than
# this: two Gerhard Schröders of Germany held office 32 years apart (the resolver's rule for names).
ERA_YEARS = 20


def _eras(key: tuple, group: list[Holding]) -> list[list[Holding]]:
    """The people a name's tenures are: one, unless (without a Wikidata id, which decides) the
    tenures are of different countries or more than ERA_YEARS apart."""
    if key[0] == "wikidata":
        return [group]
    people: list[list[Holding]] = []
    for holding in sorted(group, key=lambda h: (h.start or "", h.end or "")):
        last = people[-1][-1] if people else None
        national = {h.side for h in people[-1] if not is_body(h.side)} if people else set()
        apart = last is not None and _years_between(last, holding) > ERA_YEARS
        other_country = (
            bool(national)
            and not is_body(holding.side)
            and not any(side == holding.side or succeeded(side, holding.side) for side in national)
        )  # Vaclav Havel, President of CS then of CZ, is one person
        if last is None or apart or other_country:
            people.append([holding])
        else:
            people[-1].append(holding)
    return people


def _years_between(earlier: Holding, later: Holding) -> int:
    if not earlier.end:
        return 0  # still held (an empty end): the later tenure overlaps it, whatever the years
    end = earlier.end[:4]
    start = (later.start or "")[:4]
    return int(start) - int(end) if end.isdigit() and start.isdigit() else 0


def _recorded(kb, index, group: list[Holding]):
    """The recorded person the tenures are of: by Wikidata id, else by full name and a side that
    agrees (and no other Wikidata id); None for a new person."""
    wikidata = group[0].wikidata
    if wikidata:
        for person in kb.people.values():
            if person.wikidata == wikidata:
                return person
    sides = {h.side for h in group}
    # one name (Suharto, Queen Beatrix) is found only with a post of the file: a record of one name
    # without it may be a surname an import read alone, of whoever held the post then
    posts = {h.role()["post"] for h in group} if len(names.parts(group[0].name)) < 2 else None
    found = []
    for match in index.exact(group[0].name):
        person = kb.people.get(match.person)
        if person is None or (wikidata and person.wikidata and person.wikidata != wikidata):
            continue
        if posts is not None and not posts & {r.post for r in person.roles}:
            continue
        theirs = {person.country()} | {r.country for r in person.roles} | {r.org for r in person.roles}
        if sides & theirs:
            found.append(person)
    if len(found) > 1:
        listed = ", ".join(p.id for p in found)
        raise HoldersError(
            f"{group[0].where}: '{group[0].name}' could be any of {listed}: add the Wikidata id (column wikidata) "
            "to the file and to the right person's identifiers"
        )
    return found[0] if found else None


def _new_roles(person, group: list[Holding]) -> list[dict]:
    held = {(r.post, str(r.start) if r.start else None) for r in person.roles} if person is not None else set()
    roles = []
    for holding in sorted(group, key=lambda h: h.start or ""):
        role = holding.role()
        if (role["post"], role.get("start")) not in held:
            held.add((role["post"], role.get("start")))
            roles.append(role)
    return roles


def _record(group: list[Holding], person_id: str) -> dict:
    national = [h.side for h in group if not is_body(h.side)]
    country = national[0] if national else None
    drafted = {"id": person_id, **names.parse(group[0].name, country).fields()}
    # One Wikidata id, one person: the other names its rows give are that person's spellings.
    named = [h.name for h in group if normalise(h.name) != normalise(group[0].name)]
    spellings = list(dict.fromkeys([*named, *(a for h in group for a in h.aliases if a != group[0].name)]))
    if spellings:
        drafted["aliases"] = [{"name": a, "kind": "spelling"} for a in spellings]
    if group[0].wikidata:
        drafted["identifiers"] = {"wikidata": group[0].wikidata}
    if country:
        drafted["country"] = country
    drafted["roles"] = _new_roles(None, group)
    drafted["notes"] = f"Posts and dates from the office-holders reference {group[0].where.split()[0]}."
    return drafted


def change(roles: list[dict], wikidata: str | None):
    """The edit of a recorded person (kb.store.yamledit.edit) that adds roles and a Wikidata id."""
    from kb.store.yamledit import append, put

    def apply(document) -> None:
        if wikidata:
            if document.get("identifiers") is None:
                put(document, "identifiers", {"wikidata": wikidata}, before=("country", "roles", "former_ids", "notes"))
            else:
                put(document["identifiers"], "wikidata", wikidata)
        if not roles:
            return
        if document.get("roles") is None:
            put(document, "roles", [dict(r) for r in roles], before=("former_ids", "notes", "sensitivity", "cadence"))
        else:
            for role in roles:
                append(document["roles"], dict(role))

    return apply
