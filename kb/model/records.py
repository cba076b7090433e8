"""The one model of the records that every command shares.

Records keep the plain data read from YAML (validated against the schema) and the position of
every value, and offer typed views of what commands need: dates as PartialDate, roles over
time, names for matching. Derived facts (a commitment being overdue, a role being current)
are computed here and never stored.
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import sys
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

from kb.model import names
from kb.model.dates import PartialDate
from kb.model.positions import Positions, where
from kb.model.text import normalise

SENSITIVITY_ORDER = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")


def rank(level) -> int:
    """The one ranking of TLP levels, CLEAR lowest. Anything that is not a level (a misspelt
    marking, KB203) ranks above RED: no audience reads it (fail closed). kb.query.audience rules
    with it; the search index (kb/store/index.py) files rows by it."""
    return SENSITIVITY_ORDER.index(level) if level in SENSITIVITY_ORDER else len(SENSITIVITY_ORDER)


OPEN_STATUSES = ("open", "in-progress")
# Outcomes someone must act on; a statement is reported, not followed up.
COMMITMENT_KINDS = ("agreement", "commitment", "request")
# Parts of a meeting that may carry their own marking, in the order they are counted.
MARKED_PARTS = ("outcomes", "claims", "quotes", "notes")


class cached:
    """Like functools.cached_property, for classes with ``__slots__``: the value is computed on
    first use and kept in the slot named ``_`` + the property's name (which the class declares).
    Records keep no ``__dict__``: at 100,000 meetings one costs some 20 MB."""

    def __init__(self, function):
        self.function = function
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.slot = owner.__dict__["_" + name]

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            return self.slot.__get__(instance, owner)
        except AttributeError:
            value = self.function(instance)
            self.slot.__set__(instance, value)
            return value


# A record read from the cache keeps its data as a blob (marshalled, and compressed with zlib in a
# large knowledge base) and decodes it the first time it is read: most commands read few records
# in full. The first byte says how the rest is encoded.
_MARSHAL, _ZLIB = b"m", b"z"


def pack_data(data, compress: bool = False) -> bytes:
    """``data`` (plain dicts, lists and scalars) as a blob for ``Record(blob=...)``."""
    import marshal

    raw = marshal.dumps(data)
    if compress:
        import zlib

        return _ZLIB + zlib.compress(raw, 1)
    return _MARSHAL + raw


def marshalled(blob) -> bytes | None:
    """The marshal bytes of the data a blob holds, when it holds them as they are (not compressed,
    nor a reference to bytes elsewhere); else None."""
    if type(blob) is bytes and blob[:1] == _MARSHAL:
        return blob[1:]
    return None


def unpack_data(blob):
    """The data of a blob: bytes, or a reference that reads them (kb.store.snapshot.BlobRef)."""
    import marshal

    if type(blob) is not bytes:
        blob = blob.read()

    if blob[:1] == _ZLIB:
        import zlib

        return marshal.loads(zlib.decompress(memoryview(blob)[1:]))
    return marshal.loads(memoryview(blob)[1:])


def pack_head(head: tuple) -> bytes:
    """A meeting's head (``Meeting.head_of``) as bytes, for a record to decode when first read.
    Marshal's version 2, without references: one loads twice as fast alone (no table of
    references made for each), and packed heads laid one after the other after a list's header
    load as one list (``decode_heads``)."""
    return marshal.dumps(head, 2)


def unpack_head(packed: bytes) -> tuple:
    """The head ``pack_head`` packed (from a sealed cache file: written by kb, for this user)."""
    head = marshal.loads(packed)
    if type(head) is not tuple:
        raise ValueError("a meeting's head in kb's cache is not one")
    return head


def decode_heads(records: Iterable[Record]) -> None:
    """Decode at once the packed heads of ``records`` not decoded yet: one marshal call for them
    all, for a caller about to read the heads of many (a few thousand meetings of a brief)."""
    todo = [record for record in records if record.packed_head is not None]
    if len(todo) < 32:
        return  # each decoded when read
    packed = b"".join([record.packed_head for record in todo])  # type: ignore[misc]
    # Tens of thousands of tuples of strings, never cycles: the collector would only walk them
    # again and again as they are made (a third of the time), and once the loader has moved the
    # model out of its sight (gc.freeze), they go there too (as decoded data does, ``_decoded``).
    collecting = gc.isenabled()
    gc.disable()
    try:
        heads = marshal.loads(b"[" + len(todo).to_bytes(4, "little") + packed)
        if type(heads) is not list or len(heads) != len(todo) or not all(type(head) is tuple for head in heads):
            raise ValueError("a meeting's head in kb's cache is not one")
        for record, head in zip(todo, heads, strict=True):
            record.head = head
            record.packed_head = None
    finally:
        if collecting:
            gc.enable()
    if _DECODES[1]:
        gc.freeze()


class LazyData:
    """``data`` decoded from ``blob`` the first time it is read, and kept until ``release``. Classes
    using it declare the slots ``data`` and ``blob``; ``data`` is left unset while not decoded."""

    __slots__ = ()
    blob: bytes | None
    # Slots holding views built from the data, dropped with it by ``release``.
    VIEWS: tuple[str, ...] = ()

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: for ``data``, when it is not decoded yet.
        if name == "data":
            blob = self.blob
            if blob is not None:
                data = unpack_data(blob)
                object.__setattr__(self, "data", data)
                _decoded()
                return data
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def holds_data(self) -> bool:
        """Whether the data is decoded and held (always, for a record without a blob)."""
        try:
            _held(self)
        except AttributeError:
            return False
        return True

    def data_unkept(self):
        """The data, decoded for this call alone when it is not held (a released record)."""
        try:
            return _held(self)
        except AttributeError:
            assert self.blob is not None  # only a record with a blob has no data held
            return unpack_data(self.blob)

    def release(self) -> None:
        """Drop the decoded data and the views built from it (decoded again when next read). A
        record without a blob holds its data itself and keeps it."""
        if self.blob is None:
            return
        for name in ("data", *self.VIEWS):
            try:
                delattr(self, name)
            except AttributeError:
                pass


# [meetings decoded, whether what is decoded is moved out of the collector's sight (set by the
# loader when it moves a large model there: gc.freeze)]
_DECODES: list = [0, False]
_FREEZE_EVERY = 200


def freeze_decoded() -> None:
    _DECODES[1] = True


def _decoded() -> None:
    """Decoded data are trees of plain containers, never cycles: the cyclic garbage collector
    gains nothing by walking them, and a command reading thousands of meetings would have it walk
    each one again and again (some 40 % of the time decoding takes). Once the loader has moved
    a large model out of its sight (gc.freeze), what is decoded since is moved there too, every
    so many meetings (freezing is a constant-time move)."""
    _DECODES[0] += 1
    if _DECODES[1] and _DECODES[0] % _FREEZE_EVERY == 0:
        gc.freeze()


def _held(owner):
    return type(owner).data.__get__(owner)  # the slot itself: AttributeError when not decoded


_NO_POSITIONS: Mapping = MappingProxyType({})


class Record(LazyData):
    """One record file's content: ``data`` as read (validated against the schema), or its ``blob``
    with a ``head`` of what is read of every record (see Meeting), and the positions of its values.

    A head read from kb's snapshot comes packed (bytes, ``pack_head``) with the record's id and a
    meeting's date as written beside it (``ident``, ``dated``), and is decoded the first time
    anything else of it is read: a command that shows a few meetings of many, or sorts many by
    date, decodes only theirs."""

    __slots__ = ("blob", "data", "dated", "head", "ident", "kind", "packed_head", "positions", "relpath")
    data: dict
    head: tuple | None
    packed_head: bytes | None
    ident: str | None
    dated: str | None

    def __init__(
        self,
        kind: str,
        relpath: str,
        data: dict | None = None,
        positions: Mapping | None = None,
        *,
        blob: bytes | None = None,
        head: tuple | bytes | None = None,
        ident: str | None = None,
        dated: str | None = None,
    ):
        self.kind = kind
        self.relpath = relpath
        if blob is None:
            self.data = data  # type: ignore[assignment]  # a record without a blob is given its data
        self.blob = blob
        if isinstance(head, bytes):
            self.packed_head = head  # ``head`` left unset: decoded when first read
        else:
            self.head = head
            self.packed_head = None
        self.ident = ident
        self.dated = dated  # a meeting's date as written, given with a packed head
        if positions is None:
            positions = _NO_POSITIONS
        elif blob is not None and isinstance(positions, Positions):
            positions.owner = self  # its values are those of the data this record decodes
        self.positions = positions

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: for ``head`` when it came packed and is not
        # decoded yet (``data`` is LazyData's).
        if name == "head":
            packed = self.packed_head
            if packed is not None:
                head = unpack_head(packed)
                self.head = head
                self.packed_head = None  # decoded: read as any head from now on
                return head
        return super().__getattr__(name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind!r}, {self.relpath!r})"

    def __eq__(self, other) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.kind, self.relpath, self.data) == (other.kind, other.relpath, other.data)

    __hash__ = None  # type: ignore[assignment]

    @property
    def id(self) -> str:
        ident = self.ident
        if ident is not None:
            return ident
        head = self.head
        return head[0] if head is not None else self.data["id"]

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def sensitivity(self) -> str | None:
        """The record's own marking (None: none of its own)."""
        return self.get("sensitivity")

    @property
    def former_ids(self) -> list[str]:
        return self.get("former_ids", [])

    @property
    def cadence(self) -> str | None:
        """How often its people should be met (a person's or an organisation's own), as written."""
        return self.get("cadence")

    def where(self, *path, at_key: bool = False) -> tuple[int, int]:
        return where(self.positions, path, at_key)


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    post: str | None
    org: str | None
    country: str | None
    start: PartialDate | None
    end: PartialDate | None
    acting: bool
    index: int
    appointed: PartialDate | None = None  # an envoy's milestones: named to the post,
    credentials: PartialDate | None = None  # credentials presented (start: took up; end: left)
    note: str | None = None

    def held_on(self, day: PartialDate) -> bool:
        """True unless the role certainly had not begun or had certainly ended by then."""
        if self.start and day.certainly_before(self.start):
            return False
        return not (self.end and self.end.certainly_before(day))

    def current(self, today: dt.date) -> bool:
        started = not self.start or self.start.earliest() <= today
        return started and (not self.end or self.end.latest() >= today)


# Typed views of the parts of records that commands read. Each is built from ``Record.data`` the
# first time it is asked for (never at load: most commands look at few records), so a copy of a
# record with filtered data (an audience, an as-of date) gives views of what was kept.


@dataclass(frozen=True, slots=True)
class Participant:
    person: str | None
    org: str | None
    side: str
    title: str | None
    role: str | None  # None: not stated (the schema's default is a delegation member)
    index: int
    post: str | None = None  # the post held, when the title the source gives names none

    @classmethod
    def from_data(cls, data: dict, index: int) -> Participant:
        return cls(
            data.get("person"),
            data.get("org"),
            data["side"],
            data.get("title"),
            data.get("role"),
            index,
            data.get("post"),
        )

    @property
    def lead(self) -> bool:
        return self.role == "lead"


@dataclass(frozen=True, slots=True)
class Source:
    url: str | None
    document: str | None
    publisher: str | None
    title: str | None
    published_written: str | None  # the dates as written, parsed when asked for
    retrieved_written: str | None
    note: str | None
    index: int
    number: int  # as quotes cite it (1 = the first), kept when later sources are cut (as-of)
    archive: str | None = None  # kb's stored copy: sources/<archive>.md (kb sources archive)
    archived: str | None = None  # a public web archive's copy (web.archive.org, archive.ph)

    @classmethod
    def from_data(cls, data: dict, index: int) -> Source:
        return cls(
            data.get("url"),
            data.get("document"),
            data.get("publisher"),
            data.get("title"),
            data.get("published"),
            data.get("retrieved"),
            data.get("note"),
            index,
            data.get("number", index + 1),
            data.get("archive"),
            data.get("archived"),
        )

    @property
    def published(self) -> PartialDate | None:
        return PartialDate.try_parse(self.published_written)

    @property
    def retrieved(self) -> PartialDate | None:
        return PartialDate.try_parse(self.retrieved_written)


@dataclass(frozen=True, slots=True)
class Update:
    date: PartialDate
    status: str
    note: str | None
    meeting: str | None
    index: int

    @classmethod
    def from_data(cls, data: dict, index: int) -> Update:
        return cls(PartialDate.parse(data["date"]), data["status"], data.get("note"), data.get("meeting"), index)


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    kind: str
    note: str | None = None
    script: str | None = None  # ISO 15924, as recorded
    lang: str | None = None  # BCP 47
    native: bool = False
    sensitivity: str | None = None

    @property
    def weak(self) -> bool:
        """A weak alias (a surname alone, a nickname) is never used for matching."""
        return self.kind == "weak"

    @property
    def written_in(self) -> str | None:
        """Its script: as recorded, else as its language tag or its letters say."""
        from kb.model import scripts

        return self.script or scripts.tag_script(self.lang) or scripts.infer(self.name)


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str | None
    text: str
    source: int | None  # the number of the source that reports it
    sensitivity: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    by: str | None  # who makes it, as written
    figures: tuple
    sensitivity: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    sensitivity: str | None
    index: int


class Person(Record):
    __slots__ = ("_aliases", "_roles")
    VIEWS = __slots__

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def sort_name(self) -> str:
        return self.get("sort_name") or (
            f"{self.get('family_name')}, {self.get('given_name')}" if self.get("family_name") else self.name
        )

    def matching_names(self) -> list[str]:
        """Names that identify the person: the name and every alias except weak ones."""
        return [self.name] + [a.name for a in self.aliases if not a.weak]

    @cached
    def aliases(self) -> tuple[Alias, ...]:
        return tuple(
            Alias(
                a["name"],
                a["kind"],
                a.get("note"),
                a.get("script"),
                a.get("lang"),
                bool(a.get("native")),
                a.get("sensitivity"),
            )
            for a in self.get("aliases", [])
        )

    @property
    def native(self) -> Alias | None:
        """The alias marked native (the first, if several are): the name in the person's own script."""
        return next((a for a in self.aliases if a.native), None)

    @cached
    def roles(self) -> list[Role]:
        roles = []
        for index, role in enumerate(self.get("roles", [])):
            roles.append(
                Role(
                    role["title"],
                    role.get("post"),
                    role.get("org"),
                    role.get("country"),
                    PartialDate.try_parse(role.get("start")),
                    PartialDate.try_parse(role.get("end")),
                    bool(role.get("acting")),
                    index,
                    PartialDate.try_parse(role.get("appointed")),
                    PartialDate.try_parse(role.get("credentials")),
                    role.get("note"),
                )
            )
        return sorted(roles, key=lambda r: r.start.sort_key() if r.start else (0,))

    def role_orgs(self) -> set[str]:
        """The organisations of its roles, read without building them (which parses their dates):
        for going through every person to find the few with a role in some organisation."""
        return {org for role in self.get("roles", ()) if (org := role.get("org"))}

    def roles_on(self, day: PartialDate) -> list[Role]:
        return [r for r in self.roles if r.held_on(day)]

    def current_roles(self, today: dt.date) -> list[Role]:
        return [r for r in self.roles if r.current(today)]

    def country(self) -> str | None:
        return self.get("country")

    @property
    def given_name(self) -> str | None:
        return self.get("given_name")

    @property
    def family_name(self) -> str | None:
        return self.get("family_name")

    @property
    def known_as(self) -> str:
        """The name a meeting's id is made from (every command and import asks this): the
        recorded family name, else kb.model.names.known_as of the recorded name."""
        return self.family_name or names.known_as(self.name, self.country())

    @property
    def identifiers(self) -> dict[str, str]:
        return self.get("identifiers") or {}

    @property
    def wikidata(self) -> str | None:
        return self.identifiers.get("wikidata")

    @property
    def notes(self) -> str | None:
        return self.get("notes")


class Org(Record):
    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def abbreviation(self) -> str | None:
        return self.get("abbreviation")

    @property
    def aliases(self) -> list[str]:
        return self.get("aliases", [])

    @property
    def org_kind(self) -> str | None:
        """What sort of organisation it is (the record's ``kind``: ministry, embassy...)."""
        return self.get("kind")

    def country(self) -> str | None:
        return self.get("country")

    @property
    def parent(self) -> str | None:
        return self.get("parent")

    @property
    def url(self) -> str | None:
        return self.get("url")

    def matching_names(self) -> list[str]:
        names = [self.name] + list(self.get("aliases", []))
        if self.get("abbreviation"):
            names.append(self.get("abbreviation"))
        return names


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    synonyms: tuple[str, ...]
    index: int


@dataclass(frozen=True)
class Outcome:
    __slots__ = ("_updates", "data", "index", "meeting")

    meeting: Meeting
    data: dict
    index: int

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def text(self) -> str:
        return self.data["text"]

    @property
    def status(self) -> str | None:
        """None for a statement, which commits nobody to anything."""
        return self.data.get("status")

    @property
    def due(self) -> PartialDate | None:
        return PartialDate.try_parse(self.data.get("due"))

    @property
    def due_written(self) -> str | None:
        """The due date as written."""
        return self.data.get("due")

    @property
    def by(self) -> list[str]:
        return self.data.get("by", [])

    @property
    def to(self) -> list[str]:
        return self.data.get("to", [])

    @property
    def owner(self) -> str | None:
        return self.data.get("owner")

    @property
    def fulfilled_by(self) -> str | None:
        return self.data.get("fulfilled_by")

    @property
    def revisited_in(self) -> list[str]:
        return self.data.get("revisited_in", [])

    @property
    def follows_up(self) -> str | None:
        """The earlier commitment it continues: meeting-id#outcome-id."""
        return self.data.get("follows_up")

    @property
    def sensitivity(self) -> str | None:
        return self.data.get("sensitivity")

    @cached
    def updates(self) -> tuple[Update, ...]:
        """The dated status updates, in the order written."""
        return tuple(Update.from_data(u, i) for i, u in enumerate(self.data.get("updates", [])))

    def with_status(self, status: str | None) -> Outcome:
        """The outcome as it stood with ``status`` (as known on some day: status_on)."""
        return Outcome(self.meeting, {**self.data, "status": status}, self.index)

    def has_empty_updates(self) -> bool:
        """Whether it writes ``updates:`` with no update under it."""
        return "updates" in self.data and not self.data["updates"]

    def update_meetings(self) -> list[tuple[int, str | None]]:
        """(index, meeting) of each status update, read without parsing their dates."""
        return [(i, u.get("meeting")) for i, u in enumerate(self.data.get("updates", ()))]

    def status_on(self, day: dt.date) -> str | None:
        """The status as known on ``day``: that of the latest dated update by then, or 'open'
        before the first one. Without dated updates only the present status is known."""
        if not self.updates:
            return self.status
        known = "open"
        for update in sorted(self.updates, key=lambda u: u.date.sort_key()):
            if update.date.certainly_on_or_before_day(day):
                known = update.status
        return known

    def overdue(self, today: dt.date, status: str | None = None) -> bool:
        due = self.due
        return (status or self.status) in OPEN_STATUSES and due is not None and due.latest() < today


def _open_commitment(outcomes) -> bool:
    return any(o.get("kind") in COMMITMENT_KINDS and o.get("status") in OPEN_STATUSES for o in outcomes)


# A meeting's head: what listings, indexes, briefs and checks read of every meeting, kept beside
# its blob. The values of these keys, then the participants' (person, org, side) one after
# another, the location's country, the markings of its marked parts (see _marks), its topics and
# the parties of its outcomes (each joined by newlines, None when there are none), whether it
# has an open commitment, the stored copies its sources name (``archive:``) and the outcomes its
# outcomes follow up (``follows_up``), each joined likewise. It holds no text of the meeting's
# beyond ids, dates, markings and those copies' names.
# (A meeting has no former ids: the schema has none, so the head answers for them too.)
_HEAD_KEYS = {"id": 0, "date": 1, "status": 2, "sensitivity": 3, "host": 4, "former_ids": None}
_PARTICIPANTS, _COUNTRY, _MARKS, _TOPICS, _PARTIES, _OPEN, _ARCHIVES, _FOLLOWS = 5, 6, 7, 8, 9, 10, 11, 12
_NOT_MARKED = "-"
_NOT_LEVELS = frozenset((_NOT_MARKED, "|"))  # what a head's markings hold besides levels
# The sort key of each date a head holds (as written: a valid meeting's date is a string), for
# Meeting.order: some thousands of dates recur across tens of thousands of meetings.
_DATE_KEYS: dict[str, tuple] = {}
_DATE_KEYS_LIMIT = 200_000


def _marks(data: dict) -> str | None:
    """The marking of every item of each marked part, one character each ("-": none; else its
    level's place in SENSITIVITY_ORDER), the parts separated by "|"; None when an item carries a
    marking that is no level."""
    parts = []
    for part in MARKED_PARTS:
        codes = ""
        for item in data.get(part, ()):
            level = item.get("sensitivity")
            if level is None:
                codes += _NOT_MARKED
            elif level in SENSITIVITY_ORDER:
                codes += str(SENSITIVITY_ORDER.index(level))
            else:
                return None
        parts.append(codes)
    return "|".join(parts)


def _joined(values) -> str | None:
    unique = list(dict.fromkeys(v for v in values if isinstance(v, str)))
    return sys.intern("\n".join(unique)) if unique else None


def _split(joined: str | None) -> list[str]:
    return joined.split("\n") if joined else []


def interned(value):
    """One string however many records hold it (anything else as it is): the caches and the
    site's state (``marshal``) keep it once and load it once."""
    return sys.intern(value) if type(value) is str else value


class Meeting(Record):
    __slots__ = ("_claims", "_date", "_notes", "_order", "_outcomes", "_participants", "_quotes", "_sources")
    # The date (and the sort key made of it) is the head's.
    VIEWS = ("_claims", "_notes", "_outcomes", "_participants", "_quotes", "_sources")

    @staticmethod
    def head_of(data: dict) -> tuple:
        """The head of a valid meeting's data. Its strings are interned: a few hundred people,
        organisations and sides recur in every meeting (and marshal keeps them interned)."""
        flat: list = []
        for p in data.get("participants", ()):
            flat += (interned(p.get("person")), interned(p.get("org")), interned(p["side"]))
        outcomes = data.get("outcomes", ())
        marks = _marks(data)
        return (
            data["id"],
            interned(data["date"]),
            interned(data["status"]),
            interned(data.get("sensitivity")),
            interned(data.get("host")),
            tuple(flat),
            interned((data.get("location") or {}).get("country")),
            interned(marks),
            _joined(data.get("topics", ())),
            _joined(party for o in outcomes for party in (*o.get("by", ()), *o.get("to", ()), o.get("owner"))),
            _open_commitment(outcomes),
            _joined(source.get("archive") for source in data.get("sources", ())),
            _joined(outcome.get("follows_up") for outcome in outcomes),
        )

    @staticmethod
    def people_in(head: tuple) -> set[str]:
        """The people a head names (ids as written), each once."""
        return {person for person in head[_PARTICIPANTS][::3] if person}

    def get(self, key, default=None):
        if key in _HEAD_KEYS:
            index = _HEAD_KEYS[key]
            if self.packed_head is not None:  # what the head says of these, without decoding it
                if index is None:
                    return default
                if index == 1 and self.dated is not None:
                    return self.dated
            head = self.head
            if head is not None:
                value = head[index] if index is not None else None
                return default if value is None else value
        return self.data.get(key, default)

    @cached
    def date(self) -> PartialDate:
        return PartialDate.parse(self.get("date"))

    @property
    def end_date(self) -> PartialDate | None:
        return PartialDate.try_parse(self.get("end_date"))

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def status(self) -> str:
        head = self.head
        return head[2] if head is not None else self.data["status"]

    @property
    def date_written(self) -> str:
        """The date as written (the head's)."""
        return self.get("date")

    @property
    def host(self) -> str | None:
        return self.get("host")

    @property
    def time(self) -> str | None:
        return self.get("time")

    @property
    def mode(self) -> str | None:
        return self.get("mode")

    @property
    def summary(self) -> str | None:
        return self.get("summary")

    @property
    def place(self) -> str | None:
        return (self.get("location") or {}).get("place")

    @property
    def agenda(self) -> list[str]:
        return self.get("agenda", [])

    @property
    def parent(self) -> str | None:
        return self.get("parent")

    @property
    def follows(self) -> list[str]:
        return self.get("follows", [])

    @property
    def unconfirmed(self) -> list:
        """What the record says is not yet confirmed, as written."""
        return self.get("unconfirmed", [])

    @property
    def location_country(self) -> str | None:
        head = self.head
        return head[_COUNTRY] if head is not None else (self.data.get("location") or {}).get("country")

    @cached
    def participants(self) -> tuple[Participant, ...]:
        return tuple(Participant.from_data(p, i) for i, p in enumerate(self.get("participants", [])))

    @cached
    def sources(self) -> tuple[Source, ...]:
        return tuple(Source.from_data(s, i) for i, s in enumerate(self.get("sources", [])))

    @cached
    def quotes(self) -> tuple[Quote, ...]:
        return tuple(
            Quote(q.get("speaker"), q["text"], q.get("source"), q.get("sensitivity"), i)
            for i, q in enumerate(self.get("quotes", []))
        )

    @cached
    def claims(self) -> tuple[Claim, ...]:
        return tuple(
            Claim(c["text"], c.get("by"), tuple(c.get("figures", ())), c.get("sensitivity"), i)
            for i, c in enumerate(self.get("claims", []))
        )

    @cached
    def notes(self) -> tuple[Note, ...]:
        return tuple(Note(n["text"], n.get("sensitivity"), i) for i, n in enumerate(self.get("notes", [])))

    # Dates as written, for checks that settle most of them from their text without parsing (and
    # so without building typed outcomes): kb/checks/dates.py.

    def outcome_dues_written(self) -> list[tuple[int, str, str | None]]:
        """(index, id, due) of each outcome, the due date as written."""
        return [(i, o["id"], o.get("due")) for i, o in enumerate(self.get("outcomes", ()))]

    def follows_up_any(self) -> bool:
        """Whether any of its outcomes follows up an earlier one (read without building them, from
        the head when it has one)."""
        head = self.head
        if head is not None:
            return head[_FOLLOWS] is not None
        return any(o.get("follows_up") for o in self.data.get("outcomes", ()))

    # The next ones are asked of every meeting by listings and indexes: they read the head (or
    # the raw participants) rather than build typed participants for meetings nobody looks at.

    def participant_refs(self) -> tuple:
        """(person, org, side) of each participant, one after another."""
        head = self.head
        if head is not None:
            return head[_PARTICIPANTS]
        return tuple(
            value for p in self.data.get("participants", ()) for value in (p.get("person"), p.get("org"), p["side"])
        )

    def person_ids(self) -> list[str]:
        refs = self.participant_refs()
        return [person for person in refs[::3] if person]

    def org_ids(self) -> set[str]:
        refs = self.participant_refs()
        return {org for org in refs[1::3] if org}

    def sides(self) -> set[str]:
        return set(self.participant_refs()[2::3])

    def counterpart_refs(self, our_side: str) -> list[tuple[str | None, str | None, str]]:
        """(person, org, side) of each participant not on ``our_side``, in order, as written: the
        meeting's counterparts (kb.query.scope.counterparts resolves their ids)."""
        refs = self.participant_refs()
        return [
            (person, org, side)
            for person, org, side in zip(refs[::3], refs[1::3], refs[2::3], strict=True)
            if side != our_side
        ]

    def part_markings(self) -> list[list[str | None]] | None:
        """The marking of each item of each of MARKED_PARTS (None: none of its own), from the head;
        None when the meeting has no head."""
        head = self.head
        if head is None or head[_MARKS] is None:
            return None
        return [
            [None if code == _NOT_MARKED else SENSITIVITY_ORDER[int(code)] for code in codes]
            for codes in head[_MARKS].split("|")
        ]

    def head_stamped(self, marking: str) -> tuple | None:
        """The head of a copy of the meeting that keeps every part and stamps ``marking`` on the
        meeting and on each item without a marking of its own (as kb.query.audience's copies do),
        from the head; None when the meeting has no head, or a marking in it is no level."""
        head = self.head
        if head is None or head[_MARKS] is None or marking not in SENSITIVITY_ORDER:
            return None
        marks = head[_MARKS].replace(_NOT_MARKED, str(SENSITIVITY_ORDER.index(marking)))
        return (*head[:3], marking, *head[4:_MARKS], marks, *head[_MARKS + 1 :])

    def follows_ups(self) -> list[str] | None:
        """The outcomes its outcomes follow up (each once), from the head; None without one."""
        head = self.head
        return _split(head[_FOLLOWS]) if head is not None else None

    def parts_unmarked(self) -> bool:
        """Whether the head says no item of a marked part carries a marking of its own (False
        when the meeting has no head: it is then not known without decoding it)."""
        head = self.head
        return head is not None and head[_MARKS] is not None and not head[_MARKS].strip(_NOT_MARKED + "|")

    def markings_used(self) -> set[str]:
        """Every marking the meeting and the items of its marked parts carry (from the head when
        it has them)."""
        head = self.head
        if head is not None and head[_MARKS] is not None:  # one character per item (``_marks``)
            own = self.sensitivity
            codes = set(head[_MARKS]) - _NOT_LEVELS
            return {*((own,) if own else ()), *(SENSITIVITY_ORDER[int(code)] for code in codes)}
        levels = {self.sensitivity} if self.sensitivity else set()
        for part in MARKED_PARTS:
            levels |= {item["sensitivity"] for item in self.get(part, ()) if item.get("sensitivity")}
        return levels

    @property
    def topic_ids(self) -> list[str]:
        head = self.head
        return _split(head[_TOPICS]) if head is not None else list(self.data.get("topics", ()))

    def may_involve(self, ids: set[str]) -> bool:
        """False when none of ``ids`` is a party (by, to, owner) of any of its outcomes."""
        head = self.head
        return head is None or not ids.isdisjoint(_split(head[_PARTIES]))

    def has_open_commitment(self) -> bool:
        head = self.head
        return head[_OPEN] if head is not None else _open_commitment(self.data.get("outcomes", ()))

    def archive_keys(self) -> list[str]:
        """The stored copies its sources name (``archive:``), each once, from the head when it has one."""
        head = self.head
        if head is not None:
            return _split(head[_ARCHIVES])
        return _split(_joined(source.get("archive") for source in self.data.get("sources", ())))

    def people_and_sides(self) -> list[tuple[str, str]]:
        """(person id, side) of each participant named in person, in order."""
        refs = self.participant_refs()
        return [(person, side) for person, side in zip(refs[::3], refs[2::3], strict=True) if person]

    @cached
    def outcomes(self) -> list[Outcome]:
        return [Outcome(self, o, i) for i, o in enumerate(self.get("outcomes", []))]

    @cached
    def order(self) -> tuple:
        """Date order, then id: made once (a brief sorts the same meetings more than once), from
        the head's date without making the meeting's ``date`` (the key of each date is kept)."""
        written = self.dated
        if written is None:
            head = self.head
            if head is None:
                return self.date.sort_key() + (self.id,)
            written = head[1]
        key = _DATE_KEYS.get(written)
        if key is None:
            key = PartialDate.parse(written).sort_key()
            if len(_DATE_KEYS) >= _DATE_KEYS_LIMIT:
                _DATE_KEYS.clear()
            _DATE_KEYS[written] = key
        return key + (self.id,)

    def sort_key(self) -> tuple:
        return self.order


@dataclass(frozen=True)
class Config:
    name: str
    our_side: str
    default_sensitivity: str = "CLEAR"
    brief_audience: str | None = None
    templates: str = "templates"
    cadence: str | None = None  # how often counterparts should be met (6m), unless their record says
    our_org: str | None = None  # the organisation whose record this is
    stale_after: str = "6m"  # an open item with no due date and no update for this long is stale
    require_archives: bool = False  # kb check warns (KB620) about sources with no stored copy

    @classmethod
    def from_data(cls, data: dict) -> Config:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


# The one table of record kinds: each kind's class and folder. The other files of a knowledge
# base (kb.yaml, topics.yaml, decisions.yaml) are FILE_KINDS too, each with a JSON Schema.
RECORD_TYPES = {"meeting": Meeting, "person": Person, "org": Org}
FOLDERS = {"meeting": "meetings", "person": "people", "org": "orgs"}
RECORD_KINDS = tuple(RECORD_TYPES)
FILE_KINDS = (*RECORD_KINDS, "topics", "config", "decisions")


class KnowledgeBase:
    """All records of one knowledge base, with the indexes commands and checks share."""

    def __init__(
        self,
        root,
        config: Config,
        records: list[Record],
        topics: list[Topic],
        findings: list,
        broken_ids: dict[str, set[str]],
    ):
        self.root = root
        self.config = config
        self.topics = {t.id: t for t in topics}
        self.meetings: dict[str, Meeting] = {}
        self.people: dict[str, Person] = {}
        self.orgs: dict[str, Org] = {}
        self.duplicates: list[tuple[Record, Record]] = []
        for record in records:
            table = self.table(record.kind)
            ident = record.id
            if ident in table:
                self.duplicates.append((table[ident], record))
            else:
                table[ident] = record
        self.load_findings = findings
        # Ids of records that exist but failed to load: never reported again as unknown.
        self.broken_ids = broken_ids
        # Set by the loader: how many files were read, what each held (None where not known) and
        # whether commands may cache more.
        self.files_read = 0
        self.digests: dict[str, Any] = {}
        self.use_cache = True
        # What the user should know of kb's cache (its folder refused, a snapshot refused and
        # rebuilt), each a sentence; every command says them once (kb.cli.Context.warn_cache).
        self.cache_notes: list[str] = []
        # Whether it was read through the snapshot (kb.store.snapshot): the indexes kept beside it
        # (kb.query.scopeindex) then answer for it. A copy made for an audience is not.
        self.snapshot_loaded = False
        # Whether it holds only some of the meetings (kb.store.loader.load's ``meetings``).
        self.partial = False
        # Set by the loader when read through the snapshot: what gives each person id as written in
        # a meeting (unresolved) and the files of the meetings naming it, with the set of meeting
        # files those lists speak for (``_meetings_by_person_unsorted``): no head decoded for them.
        self.people_kept: Callable[[], tuple[Mapping[str, list[str]], Container[str]]] | None = None
        # kb.yaml's findings when it failed to read or validate: commands that show records refuse.
        self.config_problems: list = []
        # Ids (current and former) of meetings an audience may not see, in a restricted copy.
        self.hidden_meeting_ids: set[str] = set()
        # decisions.yaml, when there is a valid one: judgements on pairs that may be one record.
        self.decisions: Record | None = None
        # Set by the loader in a large knowledge base: the check runner then releases each
        # meeting's decoded data once the checks went through it (kb/checks/runner.py), so that
        # they are not all held.
        self.release_after_use = False

    @property
    def our_side(self) -> str:
        """The country whose side this knowledge base keeps (kb.yaml's ``our_side``)."""
        return self.config.our_side

    def is_ours(self, side: str | None) -> bool:
        """Whether ``side`` is our own side: every other side is a counterpart's."""
        return side == self.config.our_side

    def ours_present(self, meeting: Meeting) -> bool:
        """Whether anyone on our side takes part in ``meeting`` (`kb check` warns where nobody
        does, KB610, and `kb new` says so at once)."""
        return any(self.is_ours(side) for side in meeting.sides())

    def mode_in(self, country: str | None, sides: Iterable[str | None]) -> str | None:
        """How a meeting held in ``country`` between ``sides`` met, seen from our side (a meeting's
        ``mode`` as every import drafts it): ``hosted`` in our own country, another side there;
        ``visit`` in another side's country, ours there; ``third-location`` in a country of none
        of them, ours there; None when it cannot be said (no country, no other side, or neither
        our side nor our country)."""
        others = {side for side in sides if side and not self.is_ours(side)}
        if not country or not others:
            return None
        if self.is_ours(country):
            return "hosted"
        if len(others) == len({side for side in sides if side}):
            return None  # we were not there
        return "visit" if country in others else "third-location"

    def table(self, kind: str) -> dict[str, Any]:
        """The records of one kind, by id."""
        tables: dict[str, dict[str, Any]] = {"meeting": self.meetings, "person": self.people, "org": self.orgs}
        return tables[kind]

    def known(self, kind: str) -> set[str]:
        """Every id a reference of ``kind`` may use: current, former, and those of records that
        failed to load. Computed once per kind (the tables do not change once loaded); callers get
        their own copy."""
        return set(self._known[kind])

    @cached_property
    def _known(self) -> dict[str, frozenset[str]]:
        return {
            kind: frozenset(self.table(kind)) | self.broken_ids.get(kind, set()) | self.former_ids(kind)
            for kind in RECORD_KINDS
        }

    def former_ids(self, kind: str) -> set[str]:
        return set(self._former[kind])

    def former_to_current(self, kind: str) -> Mapping[str, str]:
        """Each former id of a record of ``kind`` to the id it now leads to (the first record, in
        table order, that lists it), as ``resolve_id`` follows it; read-only."""
        return MappingProxyType(self._former[kind])

    @cached_property
    def _former(self) -> dict[str, dict[str, str]]:
        """Per kind, each former id to the first record (in table order) that lists it."""
        index: dict[str, dict[str, str]] = {}
        for kind in RECORD_KINDS:
            olds: dict[str, str] = {}
            for record in self.table(kind).values():
                for old in record.get("former_ids", []):
                    olds.setdefault(old, record.id)
            index[kind] = olds
        return index

    def resolve_id(self, kind: str, ref: str) -> str | None:
        """The current id for ``ref``, following former ids of renamed or merged records."""
        if ref in self.table(kind):
            return ref
        return self._former[kind].get(ref)

    @property
    def people_to_check(self) -> list[Person]:
        """The people a check goes through (an incremental check may skip them: kb/check.py)."""
        return list(self.people.values())

    @property
    def orgs_to_check(self) -> list[Org]:
        return list(self.orgs.values())

    @cached_property
    def sorted_meetings(self) -> list[Meeting]:
        return sorted(self.meetings.values(), key=Meeting.sort_key)

    @cached_property
    def topic_names(self) -> dict[str, str]:
        """Every label and synonym, normalised, to its topic id."""
        names: dict[str, str] = {}
        for topic in self.topics.values():
            for name in (topic.id, topic.label, *topic.synonyms):
                names.setdefault(normalise(name), topic.id)
        return names

    def topic_id(self, text: str) -> str | None:
        """The topic ``text`` names (every command, check and draft asks this): its id, else the
        topic one of whose labels or synonyms it is ('-' read as a space); None for none."""
        return text if text in self.topics else self.topic_names.get(normalise(text.replace("-", " ")))

    @cached_property
    def meetings_by_person(self) -> dict[str, list[Meeting]]:
        index: dict[str, list[Meeting]] = {}
        for meeting in self.sorted_meetings:
            for person in dict.fromkeys(meeting.person_ids()):
                index.setdefault(self.resolve_id("person", person) or person, []).append(meeting)
        return index

    def meetings_with(self, person_id: str) -> list[Meeting]:
        """The meetings a person attended (under any of their ids), in date order: the same as
        ``meetings_by_person[person_id]``, but sorting only that person's meetings, not all of them."""
        found: list[Meeting] | None
        if self.people_kept is not None and "_meetings_by_person_unsorted" not in self.__dict__:
            found = self._kept_meetings_with(person_id)
        else:
            found = self._meetings_by_person_unsorted.get(person_id)
        if not found:
            return []
        return sorted(found, key=Meeting.sort_key)

    def _kept_meetings_with(self, person_id: str) -> list[Meeting]:
        """The meetings of one person from the lists the loader kept (``people_kept``), unsorted:
        those of each id as written that leads to the person, and of the meetings the lists do
        not speak for, each looked at (as ``_meetings_by_person_unsorted`` finds them)."""
        kept, by_relpath, others = self._people_lists
        people, former = self.people, self._former["person"]
        written = [old for old in self._former_of.get(person_id, ()) if old not in people and old != person_id]
        if person_id in people or former.get(person_id, person_id) == person_id:
            written.append(person_id)
        found = [by_relpath[relpath] for ident in written for relpath in kept.get(ident, ()) if relpath in by_relpath]
        for meeting in others:  # few, if any: each id resolved as every command resolves it
            for person in set(meeting.participant_refs()[::3]):
                if person and (self.resolve_id("person", person) or person) == person_id:
                    found.append(meeting)
        return found

    @cached_property
    def _people_lists(self) -> tuple[Mapping[str, list[str]], dict[str, Meeting], list[Meeting]]:
        """The lists kept (``people_kept``), each meeting by its file, and the meetings the lists do
        not speak for."""
        assert self.people_kept is not None
        kept, covered = self.people_kept()
        by_relpath = {meeting.relpath: meeting for meeting in self.meetings.values()}
        return kept, by_relpath, [meeting for meeting in self.meetings.values() if meeting.relpath not in covered]

    @cached_property
    def _former_of(self) -> dict[str, list[str]]:
        """Each person id to the former ids that lead to it."""
        found: dict[str, list[str]] = {}
        for old, current in self._former["person"].items():
            found.setdefault(current, []).append(old)
        return found

    @cached_property
    def _meetings_by_person_unsorted(self) -> dict[str, list[Meeting]]:
        index: dict[str, list[Meeting]] = {}
        people, former = self.people, self._former["person"]
        for meeting in self.meetings.values():
            # The head's people, not meeting.participants: this runs over every meeting. Each
            # id once (the order of a meeting's people does not matter: each has a list).
            head = meeting.head
            for person in set((head[_PARTICIPANTS] if head is not None else meeting.participant_refs())[::3]):
                if person:
                    person = person if person in people else former.get(person, person)
                    index.setdefault(person, []).append(meeting)
        return index

    @cached_property
    def name_index(self) -> dict[str, set[tuple[str, str]]]:
        """Normalised names and aliases (weak ones excluded) to (kind, id)."""
        index: dict[str, set[tuple[str, str]]] = {}
        for person in self.people.values():
            for name in person.matching_names():
                index.setdefault(normalise(name), set()).add(("person", person.id))
        for org in self.orgs.values():
            for name in org.matching_names():
                index.setdefault(normalise(name), set()).add(("org", org.id))
        return index

    @cached_property
    def holders_by_post(self) -> dict[str, list[tuple[Person, Role]]]:
        """Each post to its holders, as ``holders_of`` gives them, for every post in one pass
        (parsing every person's roles: for those who need them all, such as the site)."""
        found: dict[str, list[tuple[Person, Role]]] = {}
        for person in self.people.values():
            for role in person.roles:
                if role.post:
                    found.setdefault(role.post, []).append((person, role))
        return {post: sorted(holders, key=_by_start) for post, holders in found.items()}

    def holders_of(self, post: str) -> list[tuple[Person, Role]]:
        if "holders_by_post" in self.__dict__:  # built already (the site): the same list
            return list(self.holders_by_post.get(post, ()))
        # The raw roles are looked at (once for every post): parsing every person's roles costs
        # more than the rest.
        holders = [(p, r) for p in self._posts_written.get(post, ()) for r in p.roles if r.post == post]
        return sorted(holders, key=_by_start)

    @cached_property
    def _posts_written(self) -> dict[str, list[Person]]:
        """Each post as written in a role to the people (in order, each once) holding it."""
        found: dict[str, list[Person]] = {}
        for person in self.people.values():
            for post in dict.fromkeys(role.get("post") for role in person.data.get("roles", ())):
                found.setdefault(post, []).append(person)
        return found


def _by_start(holder: tuple[Person, Role]) -> tuple:
    """The order of a post's holders: by when they took it up (unknown first), stable otherwise."""
    start = holder[1].start
    return start.sort_key() if start else (0,)
