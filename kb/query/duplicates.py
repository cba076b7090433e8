"""Pairs of people (or organisations) that may be one record, each with its reasons and a score.

Candidates are found by blocking, never by comparing every pair: two people are compared when
they share a name or alias, the first and last parts of a name (as consonant skeletons, so that
other scripts and spellings meet: kb.model.names), or an id but for a numeric suffix (`-2`, as
imports write for a taken id), or a surname (a person known by a surname alone, as an import
proposes for 'President Assad', against those named in full with it). Each pair is then weighed:

- what makes them look like one: a shared name or alias, names that match across scripts or
  spellings, a similar id, the same Wikidata item, a surname alone of the full name's country met
  within the years the full name is known;
- what supports it: the same country, the same post or organisation at overlapping times;
- what speaks against it: different countries, different eras (what is known of their lives
  lies decades apart), different Wikidata items, both taking part in one meeting.

Two people whose records hold one post one after the other (as a reference of office-holders
writes two holders: the Bushes) are no pair. A name alone never makes a pair of people of
different countries or eras a strong candidate, and
organisations of different countries are proposed only when their ids differ by a number. Pairs
already judged in decisions.yaml are left out.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from kb.model import dates
from kb.model.decisions import Judgements
from kb.model.records import KnowledgeBase, Org, Person
from kb.model.text import normalise

STRONG = 0.75
POSSIBLE = 0.5
ERA_GAP_YEARS = 30  # lives whose known dates lie further apart than this are of different eras
WEAK_CAP = 0.45  # the most a pair of different countries or eras scores on names alone
MAX_WORD_BLOCK = 50
SURNAME_YEARS = 4  # a surname alone is paired with a full name seen within this many years of it
GAP_YEARS = 12  # a surname alone and a full name seen further apart than this are not paired
_SUFFIX = re.compile(r"-[0-9]{1,2}$")  # -2, as imports write for a taken id (not a year)


@dataclass(frozen=True)
class Reason:
    code: str  # shared-name, written-form, similar-name, similar-id, same-wikidata, same-country, same-post,
    #            same-org, same-parent, former-country, other-country, other-era, other-wikidata, met-together,
    #            part-of, other-kind, same-title, same-family-post, surname-alone, nasab, transliterated
    text: str
    weight: float


@dataclass
class Candidate:
    kind: str
    keep: str  # the record a merge would keep (more referred to; an id without a copy's suffix)
    other: str
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def strength(self) -> str:
        return "strong" if self.score >= STRONG else "possible" if self.score >= POSSIBLE else "weak"


def _id_stem(ident: str) -> str:
    return _SUFFIX.sub("", ident)


# -- people -----------------------------------------------------------------------------------------


def _person_keys(person: Person) -> set[tuple]:
    from kb.model import names

    keys: set[tuple] = {("id", _id_stem(person.id))}
    for written in person.matching_names():
        keys.add(("name", normalise(written)))
        parts = names.parts(written)
        if len(parts) >= 2:
            keys.add(("parts", names.skeleton(parts[0]), names.skeleton(parts[-1])))
            if parts[0].startswith("m") and names.skeleton(parts[0]) == "md" and len(parts) >= 3:  # Muhammad X Y
                keys.add(("parts", names.skeleton(parts[1]), names.skeleton(parts[-1])))
    wikidata = person.wikidata
    if wikidata:
        keys.add(("wikidata", wikidata))
    surname = _surname_part(person)
    if surname:
        keys.add(("surname", names.skeleton(surname)))
    family = _family_part(person)
    if family:
        keys.add(("family", family[:5]))
    nasab = _nasab(person)
    if nasab:
        keys.add(("nasab", tuple(names.skeleton(part) for part in nasab)))
    keys |= {("letters", near) for near in _letter_keys(_letters(person.name))}
    parts = names.parts(person.name)
    if len(parts) >= 3:  # 'Oscar Arias Sanchez' meets 'Oscar Arias'
        keys.add(("lead", *parts[:-1]))
    elif len(parts) == 2:
        keys.add(("lead", *parts))
    return keys


LETTERS_MIN = 12  # a name of fewer letters is another name a letter away too often to be weighed so


def _letters(name: str) -> str:
    """A name's letters as one word, particles and 'bin' left out: 'Ali Ben Bongo Odimba' ->
    'alibongoodimba'."""
    from kb.model import names

    return "".join(part for part in names.parts(name) if part not in names.PARTICLES)


def _letter_keys(letters: str) -> set[str]:
    """The word and every word one letter shorter: two words a letter apart (one added, left out or
    changed) share one of them, so they meet in one block without comparing every pair."""
    if len(letters) < LETTERS_MIN:
        return set()
    return {letters} | {letters[:i] + letters[i + 1 :] for i in range(len(letters))}


def _nasab(person: Person) -> tuple[str, ...]:
    """The parts of a name written with 'bin' ('Abdullah bin Zayed'), without the family name
    when there is one ('Abdullah bin Zayed Al Nahyan'): () for any other name."""
    from kb.model import names

    given = person.given_name if person.family_name else person.name
    if not given or not {w.lower().strip(".") for w in given.split()} & names.NASAB:
        return ()
    found = names.parts(given)
    return found if len(found) >= 2 else ()


def _family_part(person: Person) -> str | None:
    """The last part of a person's family name ('herzog'; 'xi', written first), or of a name of
    one part (a surname alone)."""
    from kb.model import names

    family = person.family_name or names.parse(person.name, person.country()).family or person.name
    found = names.parts(family) if family else ()
    return found[-1] if found and (family != person.name or len(names.parts(person.name)) == 1) else None


_TITLE_WORDS: dict[frozenset[str], str] = {}  # a title's words, as first written (for the reason's text)
_LESSER = {"deputy", "vice", "crown", "assistant", "under", "acting", "former", "first"}


def _titles_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Titles naming one post: one title's words within the other's ('President', 'Israeli
    President'), the others not making it a lesser post ('Deputy Prime Minister')."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return bool(small) and small <= large and not (large - small) & _LESSER


def _posts_seen(kb: KnowledgeBase, person: Person) -> dict[tuple[str, int], set[frozenset[str]]]:
    """The titles a person was seen with, by side and year: in meetings, and in dated roles."""

    seen: dict[tuple[str, int], set[frozenset[str]]] = {}

    def add(side: str, year: int, title: str) -> None:
        words = frozenset(normalise(title.replace("-", " ")).split()) - {side.lower()}
        _TITLE_WORDS.setdefault(words, " ".join(w for w in normalise(title.replace("-", " ")).split() if w in words))
        seen.setdefault((side.lower(), year), set()).add(words)

    for meeting in kb.meetings_with(person.id):
        for entry in meeting.participants:
            if entry.title and kb.resolve_id("person", entry.person or "") == person.id:
                add(entry.side, meeting.date.earliest().year, entry.title)
    for role in person.roles:
        side, first = role.country or role.org, role.start or role.end
        if side and role.title and first is not None:
            last = (role.end.latest().year if role.end else dates.today().year) + 1
            for year in range(first.earliest().year, last):
                add(side, year, role.title)
    return seen


def _successive(a, b) -> bool:
    """Whether one of two roles began no earlier than the other ended (a handover day is shared)."""
    return any(
        first.end is not None and then.start is not None and not then.start.certainly_before(first.end)
        for first, then in ((a, b), (b, a))
    )


def _same_title(kb: KnowledgeBase, a: Person, b: Person, window: int) -> tuple[str, str, int, int] | None:
    """One title both were seen with (of one side; of any side when one of them has no country, as
    an international official), in years at most ``window`` apart: (title, side, year of a, year
    of b), the nearest; None when there is none."""
    seen_a, seen_b = _posts_seen(kb, a), _posts_seen(kb, b)
    loose = not a.country() or not b.country()
    best: tuple[int, str, str, int, int] | None = None
    for (side, year), titles in sorted(seen_a.items()):
        for (other_side, other_year), others in sorted(seen_b.items()):
            gap = abs(year - other_year)
            if gap > window or (side != other_side and not loose) or (best and gap >= best[0]):
                continue
            for title in sorted(titles, key=sorted):
                if any(_titles_agree(title, other) for other in others):
                    best = (gap, _TITLE_WORDS.get(title, ""), side, year, other_year)
                    break
    return best[1:] if best else None


def _title_reason(kb: KnowledgeBase, a: Person, b: Person, window: int = SURNAME_YEARS) -> list[Reason]:
    found = _same_title(kb, a, b, window)
    if found is None:
        return []
    title, side, year_a, year_b = found
    when = str(year_a) if year_a == year_b else f"{min(year_a, year_b)} and {max(year_a, year_b)}"
    return [Reason("same-title", f"both seen as {title} of {side.upper()} ({when})", 0.2)]


# Posts one person holds at a time, of a country (a title's words): the head of state or of
# government, the foreign minister, a body's secretary-general.
_SINGLE_HOLDER = tuple(
    frozenset(t.split())
    for t in ("president", "prime minister", "premier", "chancellor", "king", "queen", "amir", "emir", "sultan")
    + ("grand duke", "grand duchess", "chairman")
) + (frozenset({"foreign", "minister"}), frozenset({"secretary", "general"}))


def _single_holder(words: frozenset[str]) -> bool:
    return not words & _LESSER and any(post <= words for post in _SINGLE_HOLDER) and "and" not in words


_OCCUPANTS: weakref.WeakKeyDictionary[KnowledgeBase, dict[tuple[str, int], list[tuple[str, frozenset[str]]]]] = (
    weakref.WeakKeyDictionary()
)


def _occupants(kb: KnowledgeBase) -> dict[tuple[str, int], list[tuple[str, frozenset[str]]]]:
    """Who was seen with a title of a post one person holds at a time, by side and year."""
    found = _OCCUPANTS.get(kb)
    if found is None:
        found = _OCCUPANTS[kb] = {}
        for person in kb.people.values():
            for (side, year), titles in _posts_seen(kb, person).items():
                for words in titles:
                    if _single_holder(words):
                        found.setdefault((side, year), []).append((person.id, words))
    return found


def _one_tenure(kb: KnowledgeBase, a: Person, b: Person, window: int = GAP_YEARS) -> tuple[str, str, int, int] | None:
    """One post of one side that one person holds at a time, both seen in it within ``window``
    years and no one else seen in it in the years between (one tenure, as far as the knowledge
    base knows): (title, side, year of a, year of b); None when there is none."""
    seen_a, seen_b = _posts_seen(kb, a), _posts_seen(kb, b)
    occupants = _occupants(kb)
    loose = not a.country() or not b.country()  # an international official: the body's post, met anywhere
    for (side, year), titles in sorted(seen_a.items()):
        for title in sorted(titles, key=sorted):
            if not _single_holder(title):
                continue
            for (other_side, other_year), others in sorted(seen_b.items()):
                if (other_side != side and not loose) or abs(year - other_year) > window:
                    continue
                if not any(_titles_agree(title, other) for other in others):
                    continue
                first, last = sorted((year, other_year))
                between = (
                    ident
                    for y in range(first + 1, last)
                    for held in {side, other_side}
                    for ident, words in occupants.get((held, y), ())
                    if ident not in (a.id, b.id) and _titles_agree(title, words)
                    if not _respelt(kb.people[ident], a, b)
                )
                if next(between, None) is None:
                    return _TITLE_WORDS.get(title, ""), side, year, other_year
    return None


def _respelt(other: Person, a: Person, b: Person) -> bool:
    """Whether ``other`` is written as another spelling of ``a`` and ``b``'s one name ('Suharto'
    between 'Soeharto' in 1970 and 'Soeharto' in 1989): no other holder of the post. The same name
    written alike ('President Kim' in 1997 between 1996 and 1998) is: the import kept it apart."""
    from kb.model import names

    mine, theirs = names.parts(other.name), names.parts(a.name)
    if mine == theirs or names.parts(b.name) != theirs or len(mine) != len(theirs):
        return False
    return all(x == y or names.part_alike(x, y) or transliterated(x, y) for x, y in zip(mine, theirs, strict=True))


def _given_alike(a: Person, b: Person) -> bool:
    """Given names written alike, part by part (kb.model.names.part_alike): 'Keqiang', 'Liqiang';
    not 'Dae-jung', 'Young-sam'. A name without given names (a surname alone) is alike."""
    from kb.model import names

    parts = []
    for person in (a, b):
        given = person.given_name or names.parse(person.name, person.country()).given or ""
        parts.append([w for w in names.parts(given) if w])
    if not parts[0] or not parts[1]:
        return True
    return len(parts[0]) == len(parts[1]) and all(
        names.part_alike(x, y) or transliterated(x, y) for x, y in zip(*parts, strict=True)
    )


def transliterated(x: str, y: str) -> bool:
    """One name part in two transliterations: their sounds (metaphone, rigour's) one letter
    apart ('Geidar' and 'Heydar', 'Binyamin' and 'Benjamin'), and the letters few apart; not
    'Young-sam' and 'Dae-jung', nor 'Gordon' and 'Gaston'."""
    from rapidfuzz.distance import Levenshtein
    from rigour.text.phonetics import metaphone

    sx, sy = metaphone(x), metaphone(y)
    if min(len(sx), len(sy)) < 3 or Levenshtein.distance(sx, sy) > 1:
        return False
    return Levenshtein.distance(x, y) <= (2 if min(len(x), len(y)) >= 6 else 1)  # not 'Gordon', 'Gaston'


def _family_reasons(kb: KnowledgeBase, a: Person, b: Person) -> list[Reason]:
    """Two people of one family name (or one spelt alike: 'Pitsuwa', 'Pitsuwan'), given names spelt
    alike or transliterated ('Geidar', 'Heydar'), seen with the same title of one side within a
    year ('Xi Jingping' and 'Xi Jinping', President of CN in 2015 and 2016) or within one tenure
    of a post one person holds at a time (no one else seen in it between): the evidence for a
    spelling the names alone do not match."""
    from kb.model import names

    fa, fb = _family_part(a), _family_part(b)
    if not fa or not fb or not names.part_alike(fa, fb) or not _given_alike(a, b):
        return []
    if any(_successive(ra, rb) for ra in a.roles for rb in b.roles if ra.post and ra.post == rb.post):
        return []  # one post in turn: a successor (Hafez and Bashar al-Assad), not a spelling
    found = _same_title(kb, a, b, 1) or _one_tenure(kb, a, b)
    if found is None:
        return []
    title, side, year_a, year_b = found
    named = f"'{fa}'" if fa == fb else f"'{fa}' and '{fb}'"
    when = str(year_a) if year_a == year_b else f"{min(year_a, year_b)}–{max(year_a, year_b)}"
    return [
        Reason(
            "same-family-post",
            f"both named {named} and seen as {title} of {side.upper()} in {when}: a spelling the names alone do not match",
            0.3,
        )
    ]


def _surname_part(person: Person) -> str | None:
    """The last part of a person's name ('netanyahu'), for pairing a surname alone with full names."""
    from kb.model import names

    found = names.parts(person.name)
    return found[-1] if found else None


def _surname_only(person: Person) -> bool:
    from kb.model import names

    return len(names.parts(person.name)) == 1


def _span(kb: KnowledgeBase, person: Person) -> tuple[int, int] | None:
    """The first and last year known of a person's public life: their roles and meetings."""
    years = []
    for role in person.roles:
        for day in (role.start, role.end, role.appointed, role.credentials):
            if day:
                years.append(day.earliest().year)
    for meeting in kb.meetings_with(person.id):
        years.append(meeting.date.earliest().year)
    return (min(years), max(years)) if years else None


def _overlap(a, b) -> bool:
    """Whether two roles may have been held at once (an unknown start or end is open)."""
    if a.start and b.end and b.end.certainly_before(a.start):
        return False
    return not (b.start and a.end and a.end.certainly_before(b.start))


def _name_reasons(a: Person, b: Person) -> list[Reason]:
    from kb.model import names

    reasons = []
    shared = {normalise(n): n for n in a.matching_names()}
    common = [shared[key] for key in dict.fromkeys(normalise(n) for n in b.matching_names()) if key in shared]
    if common:
        reasons.append(Reason("shared-name", f"both are named '{common[0]}'", 0.6))
    else:
        best, pair = 0.0, ("", "")
        for x in a.matching_names():
            for y in b.matching_names():
                found = names.score(x, y) if _initials_agree(x, y) else 0.0
                if found > best:
                    best, pair = found, (x, y)
        if best >= 0.85:
            reasons.append(
                Reason(
                    "written-form",
                    f"'{pair[0]}' and '{pair[1]}' match part by part (another script, "
                    f"spelling or a fuller form; {best:.0%})",
                    round(0.55 * best, 2),
                )
            )

    if _id_stem(a.id) == _id_stem(b.id):
        reasons.append(Reason("similar-id", f"ids {a.id} and {b.id} differ only by a number", 0.3))
    return reasons


def _transliteration(a: Person, b: Person) -> tuple[str, str] | None:
    """Two names of as many parts (of two or more), each part spelt alike or transliterated
    ('Abdel Fattah al-Sisi', 'Abdul Fatah al-Sisi'): the two names; None otherwise."""
    from kb.model import names

    pa, pb = names.parts(a.name), names.parts(b.name)
    if len(pa) < 2 or len(pa) != len(pb) or pa == pb:
        return None
    alike = all(x == y or names.part_alike(x, y) or transliterated(x, y) for x, y in zip(pa, pb, strict=True))
    return (a.name, b.name) if alike else None


def _initials_agree(x: str, y: str) -> bool:
    """A name that begins with an initial ('T. bin Hamad al-Thani') names someone whose first name
    begins with that letter (not 'Hamad bin Khalifa al-Thani', whose name matches it otherwise),
    unless the initial is that of a given name before the other's ('J. Fredrik Reinfeldt' for
    'Fredrik Reinfeldt')."""
    from anyascii import anyascii

    from kb.model import names

    words = [names.strip_titles(written)[1].split() for written in (x, y)]
    if not all(words):
        return True
    initials = [re.fullmatch(r"([A-Z])\.?", w[0]) for w in words]
    first, second = initials
    if first and second:
        return first.group(1) == second.group(1)
    for initial, own, other in ((initials[0], words[0], words[1]), (initials[1], words[1], words[0])):
        if initial:
            return anyascii(other[0])[:1].upper() == initial.group(1) or own[1:2] == other[:1]
    return True


def _successors(a: Person, b: Person) -> bool:
    """Whether the records say two holders of one post, one after the other, and never at once
    (a reference, `kb import holders`, kept them as two: George H. W. and George W. Bush, the two
    Bjarni Benediktssons, Seretse and Ian Khama)."""
    shared = [(ra, rb) for ra in a.roles for rb in b.roles if ra.post and ra.post == rb.post]
    return bool(shared) and all(_successive(ra, rb) for ra, rb in shared)


def _person_pair(kb: KnowledgeBase, a: Person, b: Person) -> Candidate | None:
    reasons = _name_reasons(a, b) + _wikidata_reasons(a, b)
    reasons += _evidence_of_names(kb, a, b, reasons)
    if not _worth_a_look(kb, a, b, reasons):
        return None
    alone = _surname_only(a) or _surname_only(b)
    against, cap = _countries(a.id, a.country(), b.id, b.country(), reasons)
    span_a, span_b = _span(kb, a), _span(kb, b)
    if span_a and span_b:
        gap = max(span_a[0], span_b[0]) - min(span_a[1], span_b[1])
        if gap > ERA_GAP_YEARS:
            reasons.append(
                Reason("other-era", f"known from {_years(span_a)} and {_years(span_b)}: {gap} years apart", -0.3)
            )
            against = True
    posts = {}
    for ra in a.roles:
        for rb in b.roles:
            if ra.post and ra.post == rb.post and ra.post not in posts:
                posts[ra.post] = _overlap(ra, rb)
    for post, together in posts.items():
        reasons.append(
            Reason(
                "same-post",
                f"both held the post {post}" + (" at overlapping times" if together else " (at different times)"),
                0.2 if together else 0.05,
            )
        )
    orgs = sorted({r.org for r in a.roles if r.org} & {r.org for r in b.roles if r.org})
    if orgs:
        reasons.append(Reason("same-org", f"both held roles in {', '.join(orgs)}", 0.1))
    met = [m for m in kb.meetings_with(a.id) if b.id in {kb.resolve_id("person", p) or p for p in m.person_ids()}]
    if met:
        reasons.append(
            Reason(
                "met-together",
                f"both took part in {met[0].id}" + (f" and {len(met) - 1} other meeting(s)" if len(met) > 1 else ""),
                -0.6,
            )
        )
    score = min(sum(r.weight for r in reasons), cap)
    if alone and not any(r.code == "same-wikidata" for r in reasons):
        score = min(score, STRONG - 0.01)  # a surname alone never makes a strong pair
    if against and not any(r.code == "same-wikidata" for r in reasons):
        score = min(score, WEAK_CAP)
    keep, other = _keep_first(kb, "person", a.id, b.id)
    return Candidate("person", keep, other, round(max(0.0, min(1.0, score)), 2), reasons)


def _wikidata_reasons(a: Person, b: Person) -> list[Reason]:
    wa, wb = a.wikidata, b.wikidata
    if not wa or not wb:
        return []
    if wa == wb:
        return [Reason("same-wikidata", f"both are Wikidata {wa}", 1.0)]
    return [Reason("other-wikidata", f"Wikidata {wa} and {wb} are two items", -1.0)]


_NAMING = (
    "shared-name",
    "written-form",
    "similar-id",
    "same-wikidata",
    "surname-alone",
    "same-family-post",
    "nasab",
    "transliterated",
    "letters-apart",
)


def _worth_a_look(kb: KnowledgeBase, a: Person, b: Person, reasons: list[Reason]) -> bool:
    """Whether the names make a pair at all; a pair with a surname alone, or a name with 'bin'
    without its family name, gets the title both were seen with (added to ``reasons``), which two
    surnames alone must have: a surname both are known by is no evidence (the Kims of Korea)."""
    if not any(r.weight > 0 for r in reasons if r.code in _NAMING):
        return False
    if _successors(a, b) and not any(r.code == "same-wikidata" for r in reasons):
        return False
    both = _surname_only(a) and _surname_only(b)
    if both:
        return _tenure_reason(kb, a, b, reasons)
    if _surname_only(a) or _surname_only(b) or any(r.code == "nasab" for r in reasons):
        reasons += _title_reason(kb, a, b, GAP_YEARS)
    return True


def _tenure_reason(kb: KnowledgeBase, a: Person, b: Person, reasons: list[Reason]) -> bool:
    """Two surnames alone (or one name: 'Queen Beatrix') are a pair only when seen in one post one
    person holds at a time, of one side, with no one else seen in it between: 'President Kim' in
    1996 and 1998, with another 'President Kim' in 1997, is no pair; 'Queen Beatrix' in 1982 and
    1995 is."""
    found = _one_tenure(kb, a, b, ERA_GAP_YEARS)
    if found is None:
        return False
    title, side, year_a, year_b = found
    when = str(year_a) if year_a == year_b else f"{min(year_a, year_b)} and {max(year_a, year_b)}"
    reasons.append(
        Reason("same-title", f"both seen as {title} of {side.upper()} ({when}), no one else seen in it between", 0.2)
    )
    return True


def _evidence_of_names(kb: KnowledgeBase, a: Person, b: Person, reasons: list[Reason]) -> list[Reason]:
    """A surname alone and the one full name with it, or a name with 'bin' and the same with its
    family name; else, when the names do not match, one family name seen in one post within a year
    or one tenure; else a name transliterated two ways, part by part."""
    found = _surname_reasons(kb, a, b) + _nasab_reasons(a, b)
    if not found and not any(r.weight > 0 for r in reasons if r.code in _NAMING):
        found = _family_alone_reasons(kb, a, b)
    if not any(r.code in ("shared-name", "written-form", "surname-alone", "nasab") for r in [*reasons, *found]):
        found += _family_reasons(kb, a, b) or _letters_reasons(kb, a, b)
    if not any(r.weight > 0 for r in [*reasons, *found] if r.code in _NAMING) and (spelled := _transliteration(a, b)):
        text = f"'{spelled[0]}' and '{spelled[1]}' are one name transliterated two ways"
        found.append(Reason("transliterated", text, 0.4))
    return found


def _surname_reasons(kb: KnowledgeBase, a: Person, b: Person) -> list[Reason]:
    """A person known by a surname alone ('Netanyahu', as an import proposes for 'Prime Minister
    Netanyahu') and the only person named in full with that surname (or one spelt alike: 'Pitsuwa',
    'Surin Pitsuwan') of their country or of none (an international official: 'Blair', 'Tony
    Blair' of the Quartet), seen within GAP_YEARS of each other. Many people named in full with
    one surname (the Kims of Korea) make no pair: the surname cannot tell which."""
    from kb.model import names

    if _surname_only(a) == _surname_only(b):
        return []
    alone, full = (a, b) if _surname_only(a) else (b, a)
    key, last = _surname_part(alone) or "", _surname_part(full) or ""
    if not names.part_alike(key, last):
        return []
    if alone.country() and full.country() and alone.country() != full.country():
        return []
    country = alone.country()
    same = {p for k in {key, last} for p in _named_in_full(kb).get(k, ())}
    fellows = [p for p in sorted(same) if not country or kb.people[p].country() in (country, None)]
    posted = None
    if fellows != [full.id]:
        # several named in full ('Anders Fogh Rasmussen', 'Lars Løkke Rasmussen'): the one seen in
        # the surname's post, one person at a time, within one tenure of it, when only one is
        in_post = [p for p in fellows if _one_tenure(kb, alone, kb.people[p])]
        if full.id not in fellows or in_post != [full.id]:
            return []
        posted = _one_tenure(kb, alone, full)
    seen_alone, seen_full = _years_seen(kb, alone), _years_seen(kb, full)
    if not seen_alone or not seen_full:
        return []
    gap = min(abs(x - y) for x in seen_alone for y in seen_full)
    if gap > GAP_YEARS:
        # further apart than a term or three: only in one tenure of a post one person holds at a
        # time, no one else seen in it between ('President Nyerere' 1963, Julius Nyerere 1977)
        posted = posted or _one_tenure(kb, alone, full, ERA_GAP_YEARS)
        if posted is None:
            return []
    of = f" of {country}" if country else ""
    if posted and len(fellows) > 1:
        only = (
            f"of the {len(fellows)} named in full with it{of}, the only one seen as {posted[0]} of "
            f"{posted[1].upper()} in one tenure with it"
        )
    elif posted:
        only = (
            f"the only one named in full with it{of}, {gap} years apart but seen as {posted[0]} of "
            f"{posted[1].upper()} in one tenure with it (no one else seen in it between)"
        )
    else:
        only = f"the only one named in full with it{of}"
    return [
        Reason(
            "surname-alone",
            f"{alone.id} is known by the surname '{alone.name}' alone; {full.id} is {only}, seen "
            f"{_years((min(seen_full), max(seen_full)))} (the surname: {_years((min(seen_alone), max(seen_alone)))})",
            0.45,
        )
    ]


def _family_alone_reasons(kb: KnowledgeBase, a: Person, b: Person) -> list[Reason]:
    """A name of two parts or more that is the end of the only full name of its country ending so
    ('Diaz Ordaz', 'Gustavo Diaz Ordaz': a family name of two parts alone), or the start of the only
    one starting so, but for a last part ('Oscar Arias', 'Oscar Arias Sanchez': a mother's surname
    left out), both seen with one title of that country: the name finds them, the post supports it."""
    from kb.model import names

    pa, pb = names.parts(a.name), names.parts(b.name)
    short, full = (a, b) if len(pa) < len(pb) else (b, a)
    ps, pf = names.parts(short.name), names.parts(full.name)
    country = short.country()
    if len(ps) < 2 or len(pf) <= len(ps) or not country or full.country() != country:
        return []
    if pf[-len(ps) :] == ps:
        how = "the family name"
        named = [p for p in _named_in_full(kb).get(ps[-1], ()) if len(names.parts(kb.people[p].name)) > len(ps)]
    elif pf[:-1] == ps:
        how, named = "the name without its last part", _named_by_lead(kb).get(ps, [])
    else:
        return []
    fellows = [p for p in named if kb.people[p].country() == country]
    seen = _same_title(kb, short, full, ERA_GAP_YEARS)
    if sorted(set(fellows)) != [full.id] or seen is None:
        return []
    title, side, year_a, year_b = seen
    return [
        Reason(
            "surname-alone",
            f"'{short.name}' is {how} of '{full.name}', the only one named so of {country}; both seen as {title} "
            f"of {side.upper()} ({min(year_a, year_b)} and {max(year_a, year_b)})",
            0.45,
        )
    ]


def _letters_reasons(kb: KnowledgeBase, a: Person, b: Person) -> list[Reason]:
    """Two names written a letter or a space apart ('Ali Ben Bongo Odimba', 'Ali Bongo Ondimba'),
    both seen with one title of one side within a year or in one tenure of a post one person holds
    at a time: a misspelling the parts of the names do not match."""
    from rapidfuzz.distance import Levenshtein

    la, lb = _letters(a.name), _letters(b.name)
    if min(len(la), len(lb)) < LETTERS_MIN or la == lb or Levenshtein.distance(la, lb) > 1:
        return []
    found = _same_title(kb, a, b, 1) or _one_tenure(kb, a, b)
    if found is None:
        return []
    title, side, year_a, year_b = found
    when = str(year_a) if year_a == year_b else f"{min(year_a, year_b)}–{max(year_a, year_b)}"
    return [
        Reason(
            "letters-apart",
            f"'{a.name}' and '{b.name}' are written a letter or a space apart, and both were seen as {title} of "
            f"{side.upper()} in {when}",
            0.45,
        )
    ]


def _years_seen(kb: KnowledgeBase, person: Person) -> set[int]:
    years = {m.date.year for m in kb.meetings_with(person.id)}
    return years | {d.year for r in person.roles for d in (r.start, r.end) if d is not None}


_FULL_NAMES: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def _named_in_full(kb: KnowledgeBase) -> dict[str, list[str]]:
    """The people named in full (two parts or more), by the last part of their name."""
    return _people_by(kb, _FULL_NAMES, 2, lambda parts: parts[-1])


_LEADS: weakref.WeakKeyDictionary[KnowledgeBase, dict[tuple[str, ...], list[str]]] = weakref.WeakKeyDictionary()


def _named_by_lead(kb: KnowledgeBase) -> dict[tuple[str, ...], list[str]]:
    """The people named in three parts or more, by their name's parts but the last ('Oscar Arias
    Sanchez' under ('oscar', 'arias'))."""
    return _people_by(kb, _LEADS, 3, lambda parts: tuple(parts[:-1]))


def _people_by(kb: KnowledgeBase, kept: weakref.WeakKeyDictionary, fewest: int, key) -> dict:
    """The people named in ``fewest`` parts or more, by ``key`` of their name's parts, worked out
    once per knowledge base (``kept``)."""
    from kb.model import names

    found = kept.get(kb)
    if found is None:
        found = kept[kb] = {}
        for person in kb.people.values():
            parts = names.parts(person.name)
            if len(parts) >= fewest:
                found.setdefault(key(parts), []).append(person.id)
    return found


def _nasab_reasons(a: Person, b: Person) -> list[Reason]:
    """A name written with 'bin' and the same name with a family name ('Abdullah bin Zayed',
    'Abdullah bin Zayed Al Nahyan'; 'Mohammed bin Salman', 'Mohammad bin Salman al-Saud')."""
    from kb.model import names

    na, nb = _nasab(a), _nasab(b)
    if not na or len(na) != len(nb) or bool(a.family_name) == bool(b.family_name):
        return []
    if not all(names.part_alike(x, y) for x, y in zip(na, nb, strict=True)):
        return []
    short, full = (a, b) if not a.family_name else (b, a)
    return [
        Reason(
            "nasab",
            f"'{short.name}' is '{full.name}' without the family name"
            + ("" if na == nb else " (a name part spelt another way)"),
            0.45,
        )
    ]


def _countries(a: str, ca: str | None, b: str, cb: str | None, reasons: list[Reason]) -> tuple[bool, float]:
    """The reason the two records' countries give, if any; (whether it speaks against the pair,
    the highest score the pair may then have). A former country (ISO 3166-3: Czechoslovakia,
    the Soviet Union) and a current one may be one country under two names: never strong, but
    not against either."""
    from kb.model import countries

    if not ca or not cb:
        return False, 1.0
    if ca == cb:
        reasons.append(Reason("same-country", f"both of {ca}", 0.15))
        return False, 1.0
    former = [code for code in (ca, cb) if code in countries.historic() and code != "XK"]
    if former:
        reasons.append(
            Reason(
                "former-country",
                f"{a} is of {ca}, {b} of {cb}: {former[0]} ({countries.name(former[0])}) is a former country",
                0.0,
            )
        )
        return False, STRONG - 0.01
    reasons.append(Reason("other-country", f"{a} is of {ca}, {b} of {cb}", -0.3))
    return True, 1.0


def _years(span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"


# -- organisations ----------------------------------------------------------------------------------

_ORG_STOPWORDS = {"of", "the", "for", "and", "de", "la", "du", "des", "ministry", "department", "office"}


def _org_words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalise(text).split() if w not in _ORG_STOPWORDS)


def _org_keys(org: Org) -> set[tuple]:
    keys: set[tuple] = {("id", _id_stem(org.id))}
    for written in org.matching_names():
        keys.add(("name", normalise(written)))
        keys.update(("word", word) for word in _org_words(written) if len(word) >= 4)
    return keys


def _org_pair(kb: KnowledgeBase, a: Org, b: Org) -> Candidate | None:
    reasons = [reason] if (reason := _org_name_reason(a, b)) else []
    if _id_stem(a.id) == _id_stem(b.id):
        reasons.append(Reason("similar-id", f"ids {a.id} and {b.id} differ only by a number", 0.3))
    if not reasons:
        return None
    against, cap = _countries(a.id, a.country(), b.id, b.country(), reasons)
    if against and not any(r.code == "similar-id" for r in reasons):
        return None  # a Ministry of Interior in each of two countries: two organisations, not worth a look
    reasons += _org_structure_reasons(kb, a, b)
    score = min(sum(r.weight for r in reasons), cap)
    if against:
        score = min(score, WEAK_CAP)
    keep, other = _keep_first(kb, "org", a.id, b.id)
    return Candidate("org", keep, other, round(max(0.0, min(1.0, score)), 2), reasons)


def _org_name_reason(a: Org, b: Org) -> Reason | None:
    """A name both are known by, else the most alike pair of names (their words, sorted) when
    they are alike enough."""
    from rapidfuzz import fuzz

    shared = {normalise(n): n for n in a.matching_names()}
    common = [shared[key] for key in (normalise(n) for n in b.matching_names()) if key in shared]
    if common:
        return Reason("shared-name", f"both are named '{common[0]}'", 0.6)
    best, pair = 0.0, ("", "")
    for x in [a.name, *a.aliases]:
        for y in [b.name, *b.aliases]:
            found = fuzz.ratio(" ".join(sorted(_org_words(x))), " ".join(sorted(_org_words(y)))) / 100
            if found > best:
                best, pair = found, (x, y)
    if best < 0.9:
        return None
    return Reason("similar-name", f"'{pair[0]}' and '{pair[1]}' are alike ({best:.0%})", round(0.5 * best, 2))


def _org_structure_reasons(kb: KnowledgeBase, a: Org, b: Org) -> list[Reason]:
    """What the organisations' places say: one part of the other (not the same), parts of one
    parent (more likely), of different kinds (less likely)."""
    reasons = []
    parents = {a.id: kb.resolve_id("org", a.parent or ""), b.id: kb.resolve_id("org", b.parent or "")}
    if parents[a.id] == b.id or parents[b.id] == a.id:
        inner, outer = (a.id, b.id) if parents[a.id] == b.id else (b.id, a.id)
        reasons.append(Reason("part-of", f"{inner} is part of {outer}", -0.6))
    elif parents[a.id] and parents[a.id] == parents[b.id]:
        reasons.append(Reason("same-parent", f"both are part of {parents[a.id]}", 0.1))
    if a.org_kind and b.org_kind and a.org_kind != b.org_kind:
        reasons.append(Reason("other-kind", f"{a.id} is a {a.org_kind}, {b.id} a {b.org_kind}", -0.2))
    return reasons


# -- both -------------------------------------------------------------------------------------------


def meeting_count(kb: KnowledgeBase, kind: str, ident: str) -> int:
    """How many meetings a person attended, or an organisation's meetings (by the rule of
    kb.query.scope); the organisations' are counted once for all of them."""
    if kind == "person":
        return len(kb.meetings_with(ident))
    counts = _ORG_COUNTS.get(kb)
    if counts is None:
        from kb.query import scope

        counts = _ORG_COUNTS[kb] = {org: len(found) for org, found in scope.org_meetings_index(kb).items()}
    return counts.get(ident, 0)


_ORG_COUNTS: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, int]] = weakref.WeakKeyDictionary()


def _keep_first(kb: KnowledgeBase, kind: str, a: str, b: str) -> tuple[str, str]:
    """The record to keep first: the one with more meetings, then one whose id is no copy's
    (`-2`), then the shorter id."""

    def rank(ident: str):
        return (-meeting_count(kb, kind, ident), ident != _id_stem(ident), len(ident), ident)

    first, second = sorted((a, b), key=rank)
    return first, second


def candidates(
    kb: KnowledgeBase, kinds: tuple[str, ...] = ("person", "org"), include_judged: bool = False, minimum: float = 0.0
) -> list[Candidate]:
    """Every pair that may be one record, best first; pairs judged in decisions.yaml only with
    ``include_judged``."""
    judged = Judgements(kb)
    found: list[Candidate] = []
    for kind in kinds:
        table: dict[str, Any] = kb.people if kind == "person" else kb.orgs
        keys_of = _person_keys if kind == "person" else _org_keys
        compare = _person_pair if kind == "person" else _org_pair
        blocks: dict[tuple, list[str]] = {}
        for ident in sorted(table):
            for key in keys_of(table[ident]):
                blocks.setdefault(key, []).append(ident)
        # A word shared by very many names (Pakistan, National) tells nothing: its block is left out.
        pairs = {
            (x, y)
            for key, members in blocks.items()
            if key[0] not in ("word", "family", "lead") or len(members) <= MAX_WORD_BLOCK
            for i, x in enumerate(members)
            for y in members[i + 1 :]
            if key[0] != "surname" or _surname_only(table[x]) != _surname_only(table[y])
        }
        for x, y in sorted(pairs):
            if not include_judged and judged.judged(kind, x, y):
                continue
            candidate = compare(kb, table[x], table[y])
            if candidate is not None and candidate.score >= minimum:
                found.append(candidate)
    return sorted(found, key=lambda c: (-c.score, c.kind, c.keep, c.other))
