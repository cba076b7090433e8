"""The meetings of every country and organisation, kept beside the snapshot so that a brief or a
listing does not go through every meeting to find them.

What each meeting belongs to is asked of kb.query.scope itself (``meeting_countries``,
``meeting_orgs``): this is an index of those answers, not a second rule. It is kept per meeting
file, keyed on the file's content hash, under a key of everything else the answers read (our
side, the person and organisation files: renamed ids resolve through them, and kb's code); after
an edit only the meetings whose content changed are asked again and moved in the lists. One hash
of every meeting file's path and content hash is kept beside them: when nothing changed (most
runs) the lists are read alone, the facts of each file left packed.

Only the knowledge base as loaded uses it (``kb.snapshot_loaded``): a copy cut for an audience
goes through its meetings, as before.
"""

from __future__ import annotations

import marshal
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kb.model.records import KnowledgeBase, Meeting
from kb.store import cache
from kb.store.atomic import digest

NAME = "scope.bin"
MAGIC = b"kb-scope-index\n"
FORMAT = b"2"


@dataclass
class Lists:
    """relpath -> meeting, and each country's and organisation's meeting files (unordered)."""

    meetings: dict[str, Meeting]
    country: dict[str, list[str]] = field(default_factory=dict)
    org: dict[str, list[str]] = field(default_factory=dict)

    def of(self, kind: str, key: str) -> list[Meeting]:
        table = self.country if kind == "country" else self.org
        return [self.meetings[relpath] for relpath in table.get(key, ())]


Facts = Callable[[KnowledgeBase, Meeting], tuple[Iterable[str], Iterable[str]]]
_MADE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def lists(kb: KnowledgeBase, facts: Facts) -> Lists | None:
    """The lists of a loaded knowledge base (made or brought up to date once per run); None for
    a copy, or when kb's cache is off. ``facts`` gives a meeting's countries and organisations
    (kb.query.scope's own answers)."""
    if not getattr(kb, "snapshot_loaded", False):
        return None
    made = _MADE.get(kb)
    if made is None:
        made = _MADE[kb] = _bring_up_to_date(kb, facts)
    return made


def _key(kb: KnowledgeBase) -> bytes:
    others = sorted(
        (relpath, value)
        for relpath, value in kb.digests.items()
        if relpath.startswith(("people/", "orgs/")) and isinstance(value, bytes)
    )
    parts = marshal.dumps((FORMAT, kb.our_side, kb.config.our_org, others))
    return digest(cache.fingerprint(kb.root) + parts).hex().encode("ascii")


def _bring_up_to_date(kb: KnowledgeBase, facts_of: Facts) -> Lists:
    header = MAGIC + _key(kb) + b"\n"
    path = kb.root / cache.FOLDER / NAME
    current = {meeting.relpath: meeting for meeting in kb.meetings.values()}
    state = _state(kb, current)
    known_state, packed, made = _read(path, header)
    if state is not None and known_state == state:
        made.meetings = current  # no meeting file changed: the facts are not decoded
        return made
    facts = _facts(packed)
    if not facts:
        made.country, made.org = {}, {}
    changed = False
    for relpath in [relpath for relpath in facts if relpath not in current]:
        _move(made, relpath, facts.pop(relpath), None)
        changed = True
    for relpath, meeting in current.items():
        known = facts.get(relpath)
        sum_ = kb.digests.get(relpath)
        if known is not None and known[0] == sum_ and sum_ is not None:
            continue
        countries, orgs = facts_of(kb, meeting)
        new = (sum_, tuple(sorted(countries)), tuple(sorted(orgs)))
        _move(made, relpath, known, new)
        facts[relpath] = new
        changed = True
    # A meeting file that is not a plain file has no content hash (and no state): it is asked
    # again every run, and nothing is kept.
    if (changed or known_state != state) and state is not None:
        try:
            body = marshal.dumps((state, made.country, made.org, marshal.dumps(facts)))
            cache.write_sealed(path, header, body)
        except (OSError, ValueError):
            pass  # best effort: only speed is lost
    made.meetings = current
    return made


def _state(kb: KnowledgeBase, current: dict[str, Meeting]) -> bytes | None:
    """One hash of every meeting file's path and content hash, in the order loaded: when it is
    the one kept, the lists hold every meeting as it is; None when a meeting has no content hash."""
    sums = kb.digests
    held = [sums.get(relpath) for relpath in current]
    if not set(map(type, held)) <= {bytes}:
        return None
    return digest(marshal.dumps((list(current), held)))  # two lists: no pair made for each file


def _read(path, header: bytes) -> tuple[bytes | None, bytes, Lists]:
    """The state kept, the facts of each meeting file (still packed) and the lists."""
    body = cache.read_sealed(path, header)
    try:
        state, country, org, packed = marshal.loads(body) if body is not None else (None, {}, {}, b"")  # authenticated
    except (EOFError, ValueError, TypeError):
        state, country, org, packed = None, {}, {}, b""
    if not (isinstance(country, dict) and isinstance(org, dict) and isinstance(packed, bytes)):
        state, country, org, packed = None, {}, {}, b""
    return (state if isinstance(state, bytes) else None), packed, Lists({}, country, org)


def _facts(packed: bytes) -> dict:
    """relpath -> (content hash, countries, organisations) of each meeting file, as kept."""
    try:
        facts = marshal.loads(packed) if packed else {}  # authenticated with the rest
    except (EOFError, ValueError, TypeError):
        facts = {}
    return facts if isinstance(facts, dict) else {}


def _move(made: Lists, relpath: str, old: tuple | None, new: tuple | None) -> None:
    """Take the meeting file out of the lists its old facts put it in, and into its new ones."""
    for facts, step in ((old, _drop), (new, _add)):
        if facts is None:
            continue
        _sum, countries, orgs = facts
        for table, keys in ((made.country, countries), (made.org, orgs)):
            for key in keys:
                step(table, key, relpath)


def _drop(table: dict[str, list[str]], key: str, relpath: str) -> None:
    held = table.get(key)
    if held is not None and relpath in held:
        held.remove(relpath)
        if not held:
            del table[key]


def _add(table: dict[str, list[str]], key: str, relpath: str) -> None:
    table.setdefault(key, []).append(relpath)
