"""'Did you mean' suggestions, fuzzy and tolerant of case, accents and punctuation."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Fold case, accents and punctuation: 'Chargé d’Affaires' and 'charge d'affaires' meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in stripped.casefold())
    return " ".join(cleaned.split())


def ranked(query: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    """The closest choices to ``query``, best first."""
    from rapidfuzz import fuzz, process, utils

    choices = list(dict.fromkeys(choices))
    found = process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit,
        score_cutoff=cutoff,
    )
    return [choice for choice, _score, _index in found]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 error', '2 errors', '0 errors': a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def did_you_mean(query: str, choices: Iterable[str]) -> str | None:
    best = ranked(query, choices, limit=1, cutoff=75)
    return best[0] if best else None
