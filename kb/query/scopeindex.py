"""The meetings of every country and organisation, kept beside the snapshot so that a brief or a
listing does not go through every meeting to find them.

What each meeting belongs to is asked of kb.query.scope itself (``meeting_countries``,
``meeting_orgs``): this is an index of those answers, not a second rule. It is kept per meeting
file, keyed on the file's content hash, under a key of everything else the answers read (our
side, the person and organisation files: renamed ids resolve through them, and kb's code); after
an edit only the meetings whose content changed are asked again and moved in the lists.

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
FORMAT = b"1"


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
    facts, made = _read(path, header)
    current = {meeting.relpath: meeting for meeting in kb.meetings.values()}
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
    # A meeting file that is not a plain file has no content hash: it is asked again every run,
    # and nothing is kept.
    if changed and all(fact[0] is not None for fact in facts.values()):
        try:
            cache.write_sealed(path, header, marshal.dumps((facts, made.country, made.org)))
        except (OSError, ValueError):
            pass  # best effort: only speed is lost
    made.meetings = current
    return made


def _read(path, header: bytes) -> tuple[dict, Lists]:
    body = cache.read_sealed(path, header)
    try:
        facts, country, org = marshal.loads(body) if body is not None else ({}, {}, {})  # authenticated
    except (EOFError, ValueError, TypeError):
        facts, country, org = {}, {}, {}
    if not (isinstance(facts, dict) and isinstance(country, dict) and isinstance(org, dict)):
        facts, country, org = {}, {}, {}
    if not facts:
        country, org = {}, {}
    return facts, Lists({}, country, org)


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
