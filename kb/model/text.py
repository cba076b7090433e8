"""'Did you mean' suggestions, fuzzy and tolerant of case, accents and punctuation."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Fold case, accents and punctuation: 'Chargé d’Affaires' and 'charge d'affaires' meet."""
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


def _grams(text: str) -> set[str]:
    padded = f"{' ' * (GRAM - 1)}{text} "
    return {padded[i:i + GRAM] for i in range(len(padded) - GRAM + 1)}


class Candidates:
    """Choices prepared once for many "did you mean" look-ups: processed as rapidfuzz compares them
    (case and punctuation folded) and indexed by their four-letter pieces, so that a look-up
    among 10,000 meeting ids scores a shortlist instead of every id. The shortlist is the choices
    holding most of the query's rarest pieces (a typo changes at most four of them), cut to
    the closest by the cheap whole-string ratio; the full scorer (whole, partial and word-order
    ratios) then ranks it. Up to SCAN_LIMIT choices are all scored, as before. Each query's answer
    is kept."""

    def __init__(self, choices: list[str]):
        from rapidfuzz import utils

        self.choices = choices
        self.processed = [utils.default_process(c) for c in choices]
        self.postings: dict[str, list[int]] = {}
        if len(choices) > SCAN_LIMIT:
            for index, text in enumerate(self.processed):
                for gram in _grams(text):
                    self.postings.setdefault(gram, []).append(index)
        self.answers: dict[tuple, list[str]] = {}

    def ranked(self, query: str, limit: int, cutoff: float) -> list[str]:
        key = (query, limit, cutoff)
        if key not in self.answers:
            self.answers[key] = self._ranked(query, limit, cutoff)
        return self.answers[key]

    def _pool(self, processed: str) -> dict[int, str]:
        from rapidfuzz import fuzz, process

        if len(self.choices) <= SCAN_LIMIT:
            return dict(enumerate(self.processed))
        present = sorted((len(self.postings[g]), g) for g in _grams(processed) if g in self.postings)
        shared: Counter = Counter()
        for _count, gram in present[:RARE_GRAMS]:
            shared.update(self.postings[gram])
        best = sorted(shared.items(), key=itemgetter(1), reverse=True)[:WIDE]
        pool = {i: self.processed[i] for i, _n in best}
        close = process.extract(processed, pool, scorer=fuzz.QRatio, processor=None, limit=SHORTLIST)
        return {i: text for text, _score, i in close}

    def _ranked(self, query: str, limit: int, cutoff: float) -> list[str]:
        from rapidfuzz import fuzz, process, utils

        processed = utils.default_process(query)
        found = process.extract(processed, self._pool(processed), scorer=fuzz.WRatio, processor=None,
                                limit=None, score_cutoff=cutoff)
        # Best score first; among equals the choice given first, as a whole scan orders them.
        found.sort(key=lambda item: (-item[1], item[2]))
        return [self.choices[i] for _c, _s, i in found[:limit]]


_PREPARED: dict[tuple, Candidates] = {}
_BY_OBJECT: dict[int, tuple] = {}


def prepared(choices: Iterable[str]) -> Candidates:
    """The prepared form of ``choices``, made once per run for each distinct collection (a set or
    mapping passed again, unchanged in size, is known by identity without reading it again)."""
    known = _BY_OBJECT.get(id(choices))
    if known is not None and known[0] is choices and known[1] == len(choices):
        return known[2]
    unique = tuple(dict.fromkeys(choices))
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
