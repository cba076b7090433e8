"""Resolve what a user typed to one record: the one resolver of every command (brief, timeline,
show, list --with, new --with, ...).

A counterpart is a person, an organisation, a country or a meeting; a command may accept only
some of these kinds, and then only those are matched and suggested. Matching is tried from the
most to the least exact, and the first step that finds anything decides:

1. a record id, or a former id of a renamed record (``donald-blome``, ``2026-01-24-naqvi-baker``);
2. an upper-case ISO 3166 alpha-2 code (``US``, ``GB``);
3. a name: a person's name or non-weak alias, an organisation's name, abbreviation or alias, or a
   country's name (``Donald Bloom``, ``NCA``, ``United Kingdom``, ``UK``), ignoring case, accents
   and punctuation;
4. an id typed with other case or spaces (``Donald-Blome``);
5. a person's name written in another script or spelling (``Мохсин Накви``, ``محسن نقوی``,
   ``Muhsin Nakvi``), part by part (kb.model.names): people who share only one part of a name
   never match.

Nothing found gives "did you mean"; more than one match at one step lists the candidates. A weak
alias (a surname alone) never matches: "Blome" only suggests Donald Blome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from kb.errors import KBError
from kb.model import countries
from kb.model.records import KnowledgeBase, Person
from kb.model.text import normalise, ranked

KINDS = ("person", "org", "meeting")  # kinds with records (a country is a code, not a file)
ALL_KINDS = ("person", "org", "country", "meeting")
KIND_WORDS = {"person": "person", "org": "organisation", "meeting": "meeting", "country": "country"}


@dataclass(frozen=True)
class Counterpart:
    kind: str  # person | org | country | meeting
    id: str  # a record id, or the ISO 3166 alpha-2 code of a country
    name: str
    query: str


class CounterpartError(KBError, ValueError):
    """The text names no counterpart, or more than one."""


class UnknownCounterpart(CounterpartError):
    pass


class AmbiguousCounterpart(CounterpartError):
    def __init__(self, message: str, candidates: list[Counterpart]):
        super().__init__(message)
        self.candidates = candidates


def resolve(kb: KnowledgeBase, query: str, kinds: tuple[str, ...] = ALL_KINDS, suggest: bool = True) -> Counterpart:
    """The one record of one of ``kinds`` that ``query`` names; CounterpartError otherwise
    (with "did you mean" unless ``suggest`` is false: an import that only needs to know that
    nothing matches need not rank every name)."""
    text = query.strip()
    if not text:
        raise UnknownCounterpart(f"name a {_either(kinds)}")
    steps = (_by_id, _by_code, _by_name, _by_loose_id, _by_written_form)
    for step in steps:
        found = [hit for hit in dict.fromkeys(step(kb, text, kinds)) if hit[0] in kinds]
        if len(found) == 1:
            kind, ident = found[0]
            return _make(kb, kind, ident, query)
        if found:
            candidates = [_make(kb, kind, ident, query) for kind, ident in sorted(found)]
            listed = "; ".join(f"{KIND_WORDS[c.kind]} {c.id} ({c.name})" for c in candidates)
            raise AmbiguousCounterpart(f"'{query}' could be any of: {listed}. Give the id instead", candidates)
    raise UnknownCounterpart(_unknown_message(kb, text, kinds) if suggest else f"no {_either(kinds)} matches '{text}'")


def _either(kinds: tuple[str, ...]) -> str:
    words = [KIND_WORDS[kind] for kind in ALL_KINDS if kind in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _by_id(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]):
    for kind in KINDS:
        ident = kb.resolve_id(kind, text)
        if ident:
            yield kind, ident


def _by_code(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]):
    if len(text) == 2 and text.isalpha() and text.isupper():
        code = countries.lookup(text)
        if code:
            yield "country", code


def _by_name(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]):
    yield from sorted(kb.name_index.get(normalise(text), ()))
    code = countries.lookup(text) if "country" in kinds else None
    if code:
        yield "country", code


def _by_loose_id(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]):
    if kb not in _LOOSE_IDS:
        index: dict[str, list[tuple[str, str]]] = {}
        for kind, table in (("person", kb.people), ("org", kb.orgs), ("meeting", kb.meetings)):
            for record in table.values():
                for written in dict.fromkeys([record.id, *record.former_ids]):
                    index.setdefault(normalise(written), []).append((kind, record.id))
        _LOOSE_IDS[kb] = index
    yield from (hit for hit in _LOOSE_IDS[kb].get(normalise(text), ()) if hit[0] in kinds)


# Made once per knowledge base: ids and former ids by their normalised form, and people by the
# block keys of their names (below).
_LOOSE_IDS: WeakKeyDictionary = WeakKeyDictionary()


def _by_written_form(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]):
    from kb.model import names

    if "person" not in kinds:
        return
    people: Iterable[Person] = kb.people.values()
    keys = names.block_keys(text)
    if keys is not None:  # only the people whose names could match it (the same result, sooner)
        blocks, always = _written_form_blocks(kb)
        people = [kb.people[i] for i in sorted(always.union(*(blocks.get(k, ()) for k in keys)))]
    for ident in names.best_matches(text, ((p.id, p.matching_names()) for p in people)):
        yield "person", ident


_BLOCKS: WeakKeyDictionary = WeakKeyDictionary()


def _written_form_blocks(kb: KnowledgeBase) -> tuple[dict[tuple[str, str], set[str]], set[str]]:
    """People by the block keys of their names (kb.model.names.block_keys), and the people with
    a name that cannot be blocked (compared with every query), made once per knowledge base."""
    from kb.model import names

    if kb not in _BLOCKS:
        blocks: dict[tuple[str, str], set[str]] = {}
        always: set[str] = set()
        for person in kb.people.values():
            for name in person.matching_names():
                keys = names.block_keys(name)
                if keys is None:
                    always.add(person.id)
                for key in keys or ():
                    blocks.setdefault(key, set()).add(person.id)
        _BLOCKS[kb] = (blocks, always)
    return _BLOCKS[kb]


def _make(kb: KnowledgeBase, kind: str, ident: str, query: str) -> Counterpart:
    if kind == "person":
        name = kb.people[ident].name
    elif kind == "org":
        name = kb.orgs[ident].name
    elif kind == "meeting":
        name = kb.meetings[ident].title
    else:
        name = countries.name(ident) or ident
    return Counterpart(kind, ident, name, query)


def _unknown_message(kb: KnowledgeBase, text: str, kinds: tuple[str, ...]) -> str:
    message = f"no {_either(kinds)} matches '{text}'"
    weak = sorted(
        p.id
        for p in (kb.people.values() if "person" in kinds else ())
        if any(a.weak and normalise(a.name) == normalise(text) for a in p.aliases)
    )
    if weak:
        people = " or ".join(_label(kb, "person", ident) for ident in weak)
        return f"{message}: a weak alias (a surname alone) is never used to match; did you mean {people}?"
    choices = _choices(kb, kinds)
    targets = list(dict.fromkeys(choices[name] for name in ranked(text, choices, limit=10)))[:3]
    if targets:
        listed = " or ".join(_label(kb, kind, ident) for kind, ident in targets)
        return f"{message}; did you mean {listed}?"
    return f"{message}; give an id (the file's name), a name or an alias" + (
        ", or an ISO country code such as US" if "country" in kinds else ""
    )


def _choices(kb: KnowledgeBase, kinds: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Every name, alias and id of the ``kinds``, each pointing at the (kind, id) it names: the
    first to claim a name keeps it, people before organisations, meetings and countries."""
    choices: dict[str, tuple[str, str]] = {}
    for kind, records in (("person", kb.people), ("org", kb.orgs)):
        if kind in kinds:
            for record in records.values():
                for name in (record.id, *record.matching_names()):
                    choices.setdefault(name, (kind, record.id))
    if "meeting" in kinds:
        for meeting in kb.meetings.values():
            choices.setdefault(meeting.id, ("meeting", meeting.id))
    if "country" in kinds:
        for name in countries.all_names():
            code = countries.lookup(name)
            if code:
                choices.setdefault(name, ("country", code))
    return choices


def _label(kb: KnowledgeBase, kind: str, ident: str) -> str:
    if kind == "meeting":
        return f"'{ident}'"
    return f"'{ident}' ({_make(kb, kind, ident, ident).name})"
