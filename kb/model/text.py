"""'Did you mean' suggestions, fuzzy and tolerant of case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Fold case, accents and punctuation: 'Chargé d’Affaires' and 'charge d'affaires' meet."""
    if text.isascii():  # the same folding: NFKD leaves ASCII as it is, and casefold is lower
        return " ".join(_ASCII_WORD.findall(text.lower()))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in stripped.casefold())
    return " ".join(cleaned.split())


# Up to this many choices are scored whole; above it a shortlist is scored (see Candidates).
SCAN_LIMIT = 300
GRAM = 4  # letters in a piece
RARE_GRAMS = 10  # the query's rarest pieces
WIDE = 150  # the choices holding most of them
SHORTLIST = 40  # of those, the closest by the whole-string ratio
# A meeting id as rapidfuzz processes it ('2024 07 13 naqvi blome'): its date is [:10], its slug [11:].
_DATED = re.compile(r"\d{4} \d\d \d\d (.+)\Z")


def _grams(text: str) -> set[str]:
    padded = f"{' ' * (GRAM - 1)}{text} "
    return {padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1)}


def _dated_bound(length: int) -> float:
    """What no dated choice outside ``Dated.near`` can score against a query of ``length``
    (processed) characters. Such a choice is three or more insertions and deletions away, so its
    whole-string ratio is at most 2l/(2l+3); its token ratios are below 100 (its words are not
    those of the query, nor a part or superset of them), at most 100(1-1/(l+l')) with l' < 1.5l
    before WRatio's 0.95; with l' >= 1.5l WRatio scales partial ratios to at most 90."""
    return max(200 * length / (2 * length + 3), 95 * (1 - 1 / (2.5 * length)), 90.0)


class Dated:
    """The choices that are meeting ids, indexed by date, month, slug, slug less one letter and
    word. ``near`` finds among them every choice within two single-letter insertions or deletions
    of the query, ``same_words`` every one whose words are the query's, a part of them, or hold
    them all: no other dated choice can score above ``_dated_bound``."""

    def __init__(self, processed: list[str]):
        self.by_date: dict[str, list[int]] = {}
        self.by_slug: dict[str, list[int]] = {}
        self.by_month: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}
        self.undated: set[int] = set()
        self.words: dict[int, frozenset[str]] = {}
        for index, text in enumerate(processed):
            match = _DATED.match(text)
            if match is None:
                self.undated.add(index)
                continue
            self.by_date.setdefault(text[:10], []).append(index)
            self.by_month.setdefault(text[:7], []).append(index)
            self.by_slug.setdefault(match[1], []).append(index)
        self.shortened: dict[str, list[str]] = {}  # a slug less one letter -> the slugs
        for slug in self.by_slug:
            for i in range(len(slug)):
                self.shortened.setdefault(slug[:i] + slug[i + 1 :], []).append(slug)
        self.processed = processed

    def _words(self, index: int) -> frozenset[str]:
        found = self.words.get(index)
        if found is None:
            found = self.words[index] = frozenset(self.processed[index].split())
        return found

    def _word_index(self) -> dict[str, list[int]]:
        if not self.by_word:
            for slug, indexes in self.by_slug.items():
                for word in set(slug.split()):
                    self.by_word.setdefault(word, []).extend(indexes)
        return self.by_word

    def near(self, query: str) -> set[int]:
        """The dated choices within two single-letter insertions or deletions of ``query``."""
        found: set[int] = set(self.by_date.get(query[:10], ()))
        slugs = [query[k:] for k in range(9, 14)]
        for k in (10, 12):  # one edit in the date's part, one in the slug
            slug = query[k:]
            slugs += self.shortened.get(slug, ())
            slugs += [slug[:i] + slug[i + 1 :] for i in range(len(slug))]
        for slug in slugs:
            found.update(self.by_slug.get(slug, ()))
        return found

    def same_words(self, query: str) -> set[int] | None:
        """The dated choices whose words are all the query's, or hold all of the query's; None when
        the query has no word but numbers (the second are not looked for)."""
        found: set[int] = set()
        words = set(query.split())
        # Whose words are all the query's: their date is made of its words.
        years = [w for w in words if len(w) == 4 and w.isdigit()]
        twos = [w for w in words if len(w) == 2 and w.isdigit()]
        for year in years:
            for month in twos:
                for day in twos:
                    found.update(i for i in self.by_date.get(f"{year} {month} {day}", ()) if self._words(i) <= words)
        # Holding every word of the query: among those holding its rarest slug word.
        index = self._word_index()
        held = [index.get(w, ()) for w in words if not w.isdigit()]
        if not held:
            return None
        if all(held):
            found.update(i for i in min(held, key=len) if words <= self._words(i))
        return found

    def neighbours(self, index: int) -> list[int]:
        """The meetings of the same month and the same slug as the choice ``index``."""
        text = self.processed[index]
        return [*self.by_month.get(text[:7], ()), *self.by_slug.get(text[11:], ())]


class Candidates:
    """Choices prepared once for many "did you mean" look-ups: processed as rapidfuzz compares them
    (case and punctuation folded) and indexed, so that a look-up among 10,000 meeting ids scores
    a few dozen instead of every id.

    Meeting ids (``YYYY-MM-DD-slug``) are looked up by date and slug (see Dated): the choices
    near the query are scored, and when the best of them scores above what any other could
    (``_dated_bound``), it is the best of all, as a whole scan would find it; the rest of the
    answer is ranked among those and the meetings of the same month and slug as the best one.
    Otherwise (and for other choices) the shortlist is the choices holding most of the query's
    rarest four-letter pieces (a typo changes at most four of them), cut to the closest by the
    cheap whole-string ratio; the full scorer (whole, partial and word-order ratios) then ranks
    it. Up to SCAN_LIMIT choices are all scored. Each query's answer is kept."""

    def __init__(self, choices: list[str]):
        from rapidfuzz import utils

        self.choices = choices
        self.processed = [utils.default_process(c) for c in choices]
        self._postings: dict[str, list[int]] | None = None
        self.dated: Dated | None = None
        if len(choices) > SCAN_LIMIT:
            dated = Dated(self.processed)
            if dated.by_date and len(dated.undated) <= SCAN_LIMIT:
                self.dated = dated
        self.answers: dict[tuple, list[str]] = {}

    @property
    def postings(self) -> dict[str, list[int]]:
        if self._postings is None:
            self._postings = {}
            for index, text in enumerate(self.processed):
                for gram in _grams(text):
                    self._postings.setdefault(gram, []).append(index)
        return self._postings

    def ranked(self, query: str, limit: int, cutoff: float) -> list[str]:
        key = (query, limit, cutoff)
        if key not in self.answers:
            self.answers[key] = self._ranked(query, limit, cutoff)
        return self.answers[key]

    def _pool(self, processed: str) -> Iterable[int]:
        from rapidfuzz import fuzz, process

        if len(self.choices) <= SCAN_LIMIT:
            return range(len(self.processed))
        postings = self.postings
        present = sorted((len(postings[g]), g) for g in _grams(processed) if g in postings)
        shared: Counter = Counter()
        for _count, gram in present[:RARE_GRAMS]:
            shared.update(postings[gram])
        best = sorted(shared.items(), key=itemgetter(1), reverse=True)[:WIDE]
        pool = {i: self.processed[i] for i, _n in best}
        close = process.extract(processed, pool, scorer=fuzz.QRatio, processor=None, limit=SHORTLIST)
        return [i for _text, _score, i in close]

    def _scored(self, processed: str, indexes, limit: int | None, cutoff: float) -> list[tuple[float, int]]:
        """The ``limit`` best of ``indexes`` (sorted: among equal scores the first given wins)."""
        from rapidfuzz import fuzz, process

        ordered = sorted(indexes)
        found = process.extract(
            processed,
            [self.processed[i] for i in ordered],
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
            score_cutoff=cutoff,
        )
        return [(score, ordered[n]) for _text, score, n in found]

    def _by_date(self, processed: str, limit: int, cutoff: float) -> list[tuple[float, int]] | None:
        """The answer among the dated choices near the query and their neighbours; None when the
        best of them might not be the best of all."""
        dated = self.dated
        assert dated is not None
        pool = dated.near(processed) | dated.undated
        found = self._scored(processed, pool, limit, cutoff)
        bound = _dated_bound(len(processed))
        # Choices with the query's words (or a part, or more) reach 95 by WRatio's word-order ratios.
        if not found or found[0][0] < max(bound, 95):
            more = dated.same_words(processed)
            if more is None:
                return None
            more -= pool
            found += self._scored(processed, more, limit, cutoff)
            pool |= more
            if not found or max(found)[0] < bound:
                return None
            found.sort(key=lambda item: (-item[0], item[1]))
        best = found[0][1]
        if best not in dated.undated:
            found += self._scored(processed, set(dated.neighbours(best)) - pool, limit, cutoff)
        return found

    def _ranked(self, query: str, limit: int, cutoff: float) -> list[str]:
        from rapidfuzz import utils

        processed = utils.default_process(query)
        found = self._by_date(processed, limit, cutoff) if self.dated is not None else None
        if found is None:
            found = self._scored(processed, self._pool(processed), None, cutoff)
        # Best score first; among equals the choice given first, as a whole scan orders them.
        found.sort(key=lambda item: (-item[0], item[1]))
        return [self.choices[i] for _s, i in found[:limit]]


_PREPARED: dict[tuple, Candidates] = {}
_BY_OBJECT: dict[int, tuple] = {}


def prepared(choices: Iterable[str]) -> Candidates:
    """The prepared form of ``choices``, made once per run for each distinct collection (a set or
    mapping passed again, unchanged in size, is known by identity without reading it again; a
    set's choices are taken in sorted order)."""
    known = _BY_OBJECT.get(id(choices))
    if known is not None and known[0] is choices and known[1] == len(choices):
        return known[2]
    # A set's order changes from run to run: sorted, equal scores are ranked alike in every run.
    unique = tuple(sorted(choices)) if isinstance(choices, (set, frozenset)) else tuple(dict.fromkeys(choices))
    found = _PREPARED.get(unique)
    if found is None:
        if len(_PREPARED) > 64:
            _PREPARED.clear()
            _BY_OBJECT.clear()
        found = _PREPARED[unique] = Candidates(list(unique))
    if isinstance(choices, (set, frozenset, dict)):
        _BY_OBJECT[id(choices)] = (choices, len(choices), found)
    return found


def ranked(query: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    """The closest choices to ``query``, best first."""
    return prepared(choices).ranked(query, limit, cutoff)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 error', '2 errors', '0 errors': a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def did_you_mean(query: str, choices: Iterable[str]) -> str | None:
    best = ranked(query, choices, limit=1, cutoff=75)
    return best[0] if best else None
