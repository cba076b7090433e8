"""Skeletons of new records: a valid file at the right path, with the right id, and a TODO
placeholder (reported by `kb check` as KB606) wherever kb cannot know the value.

Records are written as text in the layout `kb fmt` keeps, so a new file is already formatted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb.checks.placeholders import MARKER
from kb.checks.references import country_problem
from kb.errors import KBError
from kb.model import dates, names
from kb.model.dates import PartialDate, from_option
from kb.model.records import FOLDERS
from kb.query import resolve
from kb.store import atomic, schemas
from kb.store.yamlstyle import scalar

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SCHEMA_COMMENT = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


class DraftError(KBError, ValueError):
    """An option that cannot make a valid record; the message says how to fix it."""


def placeholder(what: str) -> str:
    return f"{MARKER}: {what}"


@dataclass
class Skeleton:
    """The text of a new record, built line by line (`kb new`); an import's proposal is importing.draft.Draft."""

    kind: str
    id: str
    lines: list[str] = field(default_factory=list)

    @property
    def relpath(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.id}.yaml"

    def add(self, indent: int, key: str, value: str | None = None, comment: str = "") -> None:
        text = " " * indent + (f"{key}: {value}" if value is not None else f"{key}:")
        self.lines.append(text + (f"  # {comment}" if comment else ""))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def schema_comment(root: Path, kind: str) -> str:
    """The editor's pointer to the schema: the knowledge base's schemas/ folder (`kb schema
    --write`), or failing that whatever the records of this kind already point at."""
    name = schemas.schema_file_name(kind)
    target = f"../{schemas.SCHEMA_FOLDER}/{name}"
    if not (root / schemas.SCHEMA_FOLDER / name).is_file():
        for existing in sorted((root / FOLDERS[kind]).glob("*.yaml"))[:20]:
            match = _SCHEMA_COMMENT.search(existing.read_text(encoding="utf-8", errors="replace")[:500])
            if match:
                target = match.group(1)
                break
    return f"# yaml-language-server: $schema={target}"


def _check_id(kb, kind: str, record_id: str, option: str) -> None:
    if not _ID.match(record_id) or len(record_id) > 120:
        raise DraftError(f"'{record_id}' is not a valid id: use lower-case letters, digits and hyphens ({option})")
    existing = kb.resolve_id(kind, record_id)
    if existing or record_id in kb.broken_ids.get(kind, set()):
        where = f"{FOLDERS[kind]}/{existing or record_id}.yaml"
        raise DraftError(f"a {kind} with the id '{record_id}' already exists ({where}); choose another with {option}")
    for suffix in (".yaml", ".yml"):
        if (kb.root / FOLDERS[kind] / f"{record_id}{suffix}").exists():
            raise DraftError(f"{FOLDERS[kind]}/{record_id}{suffix} already exists; choose another id with {option}")


def _country(code: str | None, option: str) -> str | None:
    if code is None:
        return None
    code = code.strip().upper()
    problem = (
        country_problem(code)
        if re.fullmatch(r"[A-Z]{2}", code)
        else (f"'{code}' is not an ISO 3166 country code", "use two letters, such as PK, US or GB")
    )
    if problem:
        raise DraftError(f"{option}: {problem[0]}; {problem[1]}")
    return code


def _date(value: str, option: str) -> PartialDate:
    return from_option(value, option)


def meeting(
    kb,
    *,
    date: str,
    people: list[str],
    title: str | None = None,
    slug: str | None = None,
    record_id: str | None = None,
    place: str | None = None,
    country: str | None = None,
    status: str | None = None,
    topics: Sequence[str] = (),
    sources: Sequence[str] = (),
    today: dt.date | None = None,
) -> Skeleton:
    """A meeting with ``people`` (ids, names or aliases) on ``date``."""
    when = _date(date, "--date")
    attendees = _attendees(kb, people)
    if slug and not record_id:
        record_id = f"{str(when).rstrip('~?')}-{slug}"
    if not record_id:
        record_id = names.meeting_id(when, [p.known_as for p in attendees[:4]])
    _check_id(kb, "meeting", record_id, "--slug or --id")
    country = _country(country, "--country")
    _check_topics(kb, topics)
    today = today or dates.today()
    status = status or ("planned" if when.earliest() > today else "held")

    draft = Skeleton("meeting", record_id, [schema_comment(kb.root, "meeting")])
    draft.add(0, "id", record_id)
    draft.add(0, "title", scalar(title or placeholder("a one-line title: who met whom, about what")))
    draft.add(0, "date", str(when), "" if when.precision == "day" else "no more precise than the sources")
    draft.add(0, "status", status)
    if place or country:
        draft.add(0, "location")
        draft.add(2, "place", scalar(place or placeholder("the city or venue")))
        draft.add(2, "country", scalar(country or placeholder("ISO 3166 code")))
    _add_participants(draft, attendees, when)
    if topics:
        draft.add(0, "topics")
        for topic in topics:
            draft.lines.append(f"  - {topic}")
    else:
        draft.lines.append("# topics: ids from topics.yaml, e.g. " + ", ".join(list(kb.topics)[:4]))
    draft.add(0, "summary", scalar(placeholder("what was discussed, in a few sentences")))
    draft.add(0, "sources")
    for url in sources:
        draft.lines.append(f"  - url: {scalar(url)}")
    if not sources:
        draft.lines.append(
            "  - document: "
            + scalar(placeholder("where it is reported: replace with url: https://... (and publisher:, published:)"))
        )
    return draft


def _attendees(kb, people: list[str]) -> list:
    """The recorded people ``people`` names (ids, names or aliases), each once, in order."""
    if not people:
        raise DraftError("a meeting needs at least one participant: pass --with PERSON (an id, name or alias)")
    attendees = []
    for ref in people:
        try:
            attendees.append(kb.people[resolve.resolve(kb, ref, ("person",)).id])
        except resolve.CounterpartError as error:
            raise DraftError(f"--with: {error} (a new person is added with `kb new person`)") from None
    return list({p.id: p for p in attendees}.values())


def _check_topics(kb, topics: Sequence[str]) -> None:
    """Refuse topics not in topics.yaml, naming the id a synonym stands for."""
    unknown = [t for t in topics if t not in kb.topics]
    if unknown:
        named = {t: kb.topic_id(t) for t in unknown}
        fixes = [f"'{t}' is '{n}'" if n else f"'{t}' is not in topics.yaml" for t, n in named.items()]
        raise DraftError("--topic: " + "; ".join(fixes))


def _add_participants(draft: Skeleton, attendees: list, when: PartialDate) -> None:
    """Each attendee with the side and title of their role on the day; the first of each side leads."""
    draft.add(0, "participants")
    leads = set()
    for person in attendees:
        roles = person.roles_on(when)
        side = next((r.country for r in reversed(roles) if r.country), None) or person.country()
        draft.add(2, "- person", person.id)
        draft.add(4, "side", scalar(side or placeholder("ISO 3166 code of the side they represented")))
        known = roles[-1].title if roles and not roles[-1].title.startswith(MARKER) else None
        draft.add(4, "title", scalar(known or placeholder("their title at the time, as the sources give it")))
        draft.add(4, "role", "lead" if side not in leads else "delegation")
        leads.add(side)


def _named(kb, kind: str, name: str, record_id: str | None, country: str | None) -> tuple[str, str, str | None]:
    """The tidied name, a free id (given, or made from the name) and a checked country."""
    name = " ".join(name.split())
    if not name:
        raise DraftError(f"--name: give the {'person' if kind == 'person' else 'organisation'}'s name")
    record_id = record_id or (names.person_id(name) if kind == "person" else names.org_id(name))
    _check_id(kb, kind, record_id, "--id")
    return name, record_id, _country(country, "--country")


def person(
    kb,
    *,
    name: str,
    record_id: str | None = None,
    country: str | None = None,
    title: str | None = None,
    post: str | None = None,
    org: str | None = None,
    start: str | None = None,
) -> Skeleton:
    name, record_id, country = _named(kb, "person", name, record_id, country)
    if org and not kb.resolve_id("org", org):
        raise DraftError(f"--org: no organisation '{org}'; add it with `kb new org`")
    start_date = _date(start, "--start") if start else None
    draft = Skeleton("person", record_id, [schema_comment(kb.root, "person")])
    draft.add(0, "id", record_id)
    for key, value in names.parse(name, country).fields().items():
        draft.add(0, key, scalar(value))
    if country:
        draft.add(0, "country", country)
    draft.add(0, "roles")
    draft.add(2, "- title", scalar(title or placeholder("the post they hold, as the sources give it")))
    if post:
        draft.add(4, "post", post)
    if org:
        draft.add(4, "org", kb.resolve_id("org", org))
    if start_date:
        draft.add(4, "start", str(start_date))
    return draft


def org(
    kb,
    *,
    name: str,
    record_id: str | None = None,
    abbreviation: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    parent: str | None = None,
) -> Skeleton:
    name, record_id, country = _named(kb, "org", name, record_id, country)
    if parent and not kb.resolve_id("org", parent):
        raise DraftError(f"--parent: no organisation '{parent}'")
    draft = Skeleton("org", record_id, [schema_comment(kb.root, "org")])
    draft.add(0, "id", record_id)
    draft.add(0, "name", scalar(name))
    if abbreviation:
        draft.add(0, "abbreviation", scalar(abbreviation))
    if kind:
        draft.add(0, "kind", kind)
    if country:
        draft.add(0, "country", country)
    if parent:
        draft.add(0, "parent", kb.resolve_id("org", parent))
    return draft


def write(root: Path, draft: Skeleton) -> Path:
    """Write the draft; never over an existing file (atomic.FileExists)."""
    from kb.model import characters
    from kb.store.files import refuse_links
    from kb.store.yamlread import parse_bytes

    refuse_links(Path(root), draft.relpath)
    text = draft.text()
    refused = characters.refusal(parse_bytes(text.encode("utf-8"), draft.relpath).data, draft.relpath)
    if refused is not None:
        raise DraftError(refused)
    path = Path(root) / draft.relpath
    atomic.write_text(path, text, overwrite=False)
    return path
