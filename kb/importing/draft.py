"""A drafted meeting and what came with it: people to propose, what was matched and how, and
whether the knowledge base already holds the meeting."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model.records import Meeting


@dataclass
class ProposedPerson:
    id: str
    name: str
    title: str | None
    country: str | None
    seen: str  # where: 'the article', 'visits.csv row 17'
    spellings: list[str] = field(default_factory=list)  # other spellings taken for them on evidence

    def record(self) -> dict:
        from kb.model.names import parse

        person = {"id": self.id, **parse(self.name, self.country).fields()}
        if self.spellings:
            person["aliases"] = [
                {
                    "name": written,
                    "kind": "spelling",
                    "note": "taken for this person by kb import: same post, same dates",
                }
                for written in self.spellings
            ]
        if self.country:
            person["country"] = self.country
        seen_as = f" as '{self.title}'" if self.title else ""
        person["notes"] = (
            f"Drafted by kb import from {self.seen}, where this person appears{seen_as}. "
            "Confirm who this is, then add name parts, aliases and dated roles."
        )
        return person


@dataclass
class ProposedOrg:
    """An organisation a row names that the knowledge base does not know, proposed once."""

    id: str
    name: str
    country: str | None
    seen: str

    def record(self) -> dict:
        # the meetings naming it say to confirm it (unconfirmed)
        return {"id": self.id, "name": self.name, **({"country": self.country} if self.country else {})}


# A name taken for a person seen only more than this many years from the row's date is flagged
# for review: two generations of a family in politics (Karamanlis of 1978 and of 2004) bear one
# name, but so does a leader back in office after twenty years (Caldera in 1970 and 1994), so
# the import flags and never splits; a long career seen in between is not flagged.
ERA_YEARS = 20


class Eras:
    """The years in which each person was seen: a recorded person's meetings and roles, and the
    rows of this import drafted with them."""

    def __init__(self, kb):
        self.kb = kb
        self.years: dict[str, set[int]] = {}

    def _of(self, person_id: str) -> set[int]:
        years = self.years.get(person_id)
        if years is None:
            years = self.years[person_id] = set()
            person = self.kb.people.get(person_id)
            if person is not None:
                years.update(meeting.date.year for meeting in self.kb.meetings_with(person_id))
                for role in person.roles:
                    years.update(day.year for day in (role.start, role.end) if day is not None)
        return years

    def apart(self, person_id: str, year: int) -> int | None:
        """How many years separate ``year`` from the nearest year the person was seen, when that is
        more than ERA_YEARS; None when the person fits (or was never seen on a date)."""
        years = self._of(person_id)
        if not years:
            return None
        gap = min(abs(seen - year) for seen in years)
        return gap if gap > ERA_YEARS else None

    def saw(self, person_id: str, year: int) -> None:
        self._of(person_id).add(year)

    def check(
        self, person_id: str, year: int, where: str, name: str, unconfirmed: list[str], messages: list[str]
    ) -> None:
        """Note ``year`` for the person ``name`` was taken for; when it lies too far from every year
        they were seen, say so on the draft (``unconfirmed``) and to the user (``messages``)."""
        gap = self.apart(person_id, year)
        self.saw(person_id, year)
        if gap is not None:
            text = (
                f"{where}: '{name}' was taken for {person_id}, who is otherwise seen {gap} years from this date: "
                "confirm it is the same person, else give this participant a person of their own"
            )
            unconfirmed.append(text)
            messages.append(text)


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
    orgs: list[ProposedOrg] = field(default_factory=list)  # organisations named that kb does not know


def family_name(kb, person_id: str, fallback: str) -> str:
    """The name a meeting id is made from: the recorded family name, else the one rule's
    (kb.model.names.known_as) reading of the recorded name or of ``fallback``."""
    from kb.model.names import known_as

    person = kb.people.get(person_id)
    if person is not None and (person.family_name or person.name.split()):
        return person.known_as
    return known_as(fallback) if person is None and fallback.split() else person_id


_RESOLVES = None


def _plain(value) -> str | None:
    """``value`` as a plain scalar when it reads back as the same string (YAML 1.2), else None."""
    global _RESOLVES
    import re

    if not isinstance(value, str):
        return None
    if _RESOLVES is None:
        _RESOLVES = re.compile(
            r"[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.inf|\.nan|0x[0-9a-fA-F]+|"
            r"0o[0-7]+)|true|false|null|~",
            re.IGNORECASE,
        )
    if (
        not value
        or value == "="  # YAML 1.1's value key: ruamel quotes it
        or len(value) > 1000
        or value[0] in "-?:,[]{}#&*!|>'\"%@` "
        or value[-1] in " :"
        or ": " in value
        or " #" in value
        or not value.isprintable()
        or _RESOLVES.fullmatch(value)
    ):
        return None
    return value


def _scalar(value) -> str | None:
    """A scalar as ruamel writes it: plain when that reads back the same, else single-quoted,
    or double-quoted when it holds a single quote; None for what only ruamel should write."""
    plain = _plain(value)
    if plain is not None:
        return plain
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 1000
        or not value.isprintable()
        or value != value.strip()
        or value[0] in "-?:"
        or (_RESOLVES is not None and _RESOLVES.fullmatch(value))
    ):
        return None  # ruamel decides those ('-;' is plain, '- x' is not; '0X0' is plain, '0x0' is not)
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fast_yaml(record: dict) -> str | None:  # noqa: C901 -- a mirror of ruamel's layout rules; kept whole so it can be read against them
    """The draft in the records' layout without ruamel (which costs ~3 ms a record: seconds on
    a register of thousands of rows), for drafts made only of mappings, lists and plain strings;
    None for anything else, which ruamel writes. Output identical to ruamel's (a property test
    holds it to that)."""
    import re

    lines: list[str] = []

    def mapping(data: dict, indent: str, first: str | None = None) -> bool:  # noqa: C901 -- one branch per value shape the fast writer takes (the rest falls back to ruamel)
        for number, (key, value) in enumerate(data.items()):
            if not isinstance(key, str) or not re.fullmatch(r"[a-z_]+", key):
                return False
            lead = first if number == 0 and first is not None else indent
            if isinstance(value, dict):
                if not value:
                    return False
                lines.append(f"{lead}{key}:")
                if not mapping(value, indent + "  "):
                    return False
            elif isinstance(value, list):
                if not value:
                    return False
                lines.append(f"{lead}{key}:")
                for item in value:
                    if isinstance(item, dict) and item:
                        if not mapping(item, indent + "    ", first=indent + "  - "):
                            return False
                    elif isinstance(item, str) and re.match(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", item):
                        return False  # ruamel quotes a date in a list (a YAML 1.1 timestamp)
                    elif (text := _scalar(item)) is not None:
                        lines.append(f"{indent}  - {text}")
                    else:
                        return False
            elif (text := _scalar(value)) is not None:
                lines.append(f"{lead}{key}: {text}")
            else:
                return False
        return True

    return "\n".join(lines) + "\n" if mapping(record, "") else None


def in_layout(kind: str, record: dict) -> dict:
    """The record's keys in the order `kb fmt` writes them: that of the record's JSON Schema,
    nested mappings in the order of their definition, unknown keys after them as they were."""
    from kb.store import schemas

    document = schemas.bundled(kind)

    def resolve(node):
        while isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/$defs/"):
            node = document.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1])
        return node if isinstance(node, dict) else {}

    def order(value, schema):
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            rank = {key: i for i, key in enumerate(properties)}
            keys = sorted(value, key=lambda key: rank.get(key, len(rank)))
            return {key: order(value[key], resolve(properties.get(key))) for key in keys}
        if isinstance(value, list):
            return [order(item, resolve(schema.get("items"))) for item in value]
        return value

    return order(record, resolve(document))


def yaml_text(record: dict) -> str:
    """The record as YAML in the records' own style: one line per value, dates unquoted (kb
    reads YAML 1.2, where a date is a string)."""
    fast = _fast_yaml(record)
    if fast is not None:
        return fast
    return _ruamel_text(record)


def _ruamel_text(record: dict) -> str:
    from kb.store.yamledit import dump

    return dump(record)
