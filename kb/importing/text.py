"""An article's plain text, cleaned of page furniture and cut into paragraphs and sentences."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kb.model.text import normalise

# Whole lines that belong to the page, not the report.
_FURNITURE = re.compile(
    r"^\s*(?:scroll to top|back to top(?: button)?|leave a (?:reply|comment)|post comment|share(?: this)?:?"
    r"|advertisement|comments?|related(?: posts| articles)?:?|name\s*\*|email\s*\*|website"
    r"|your email address will not be published\.?.*|required fields are marked.*"
    r"|save my name, email, and website.*|follow us on .*|click to share.*)\s*$",
    re.IGNORECASE,
)
# Links to other stories inserted into the text.
_CROSS_LINK = re.compile(r"^\s*(?:also read|read more|read also|see also|more from|related)\s*:", re.IGNORECASE)
# A news ticker: a headline line followed by "- 10 hours ago".
_TICKER_TIME = re.compile(
    r"^\s*[-–—•]?\s*\d+\s+(?:seconds?|minutes?|mins?|hours?|days?|weeks?)\s+ago\s*$", re.IGNORECASE
)
# After these the page holds only comment forms and navigation.
_PAGE_END = re.compile(r"^\s*(?:leave a (?:reply|comment)|back to top(?: button)?)\s*$", re.IGNORECASE)

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "no",
    "gen",
    "lt",
    "col",
    "capt",
    "prof",
    "sen",
    "rep",
    "gov",
    "vs",
    "inc",
    "ltd",
    "co",
    "a.i",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
}


@dataclass
class Article:
    headline: str | None
    paragraphs: list[str]  # the report's body, page furniture removed
    dropped: list[str]  # lines removed, for the report to the user

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    def sentences(self) -> list[str]:
        return [s for paragraph in self.paragraphs for s in split_sentences(paragraph)]


def clean(text: str) -> Article:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    dropped: list[str] = []
    for line in lines:
        if not line:
            continue
        if _PAGE_END.match(line):
            dropped.append(line)
            break
        if _TICKER_TIME.match(line):
            dropped.append(line)
            if kept:
                dropped.append(kept.pop())  # the ticker's headline
            continue
        if _FURNITURE.match(line) or _CROSS_LINK.match(line):
            dropped.append(line)
            continue
        kept.append(line)
    kept = _without_repeats(kept)
    headline = None
    if kept and _looks_like_headline(kept[0]):
        headline = kept.pop(0)
    return Article(headline, kept, dropped)


def _looks_like_headline(line: str) -> bool:
    return (
        len(line) <= 120
        and not line.rstrip().endswith((".", "”", '"', ":"))
        and not any(q in line for q in '“”"')
        and ":" not in line[:40]
    )


def _without_repeats(paragraphs: list[str]) -> list[str]:
    """Pages often print the lede twice (as a stand-first, then with a dateline): keep one."""
    keys = [normalise(p) for p in paragraphs]
    # One text of all paragraphs, searched in C for each paragraph's key (a pair-by-pair search
    # in Python takes seconds on an article of 2,000 paragraphs).
    joined = "\0".join(keys)
    starts = [0]
    for key in keys[:-1]:
        starts.append(starts[-1] + len(key) + 1)
    kept = []
    for i, paragraph in enumerate(paragraphs):
        if not _repeated(keys, i, joined, starts):
            kept.append(paragraph)
    return kept


def _repeated(keys: list[str], i: int, joined: str, starts: list[int]) -> bool:
    """Paragraph ``i`` (eight words at least) is inside a longer paragraph, or the same as an
    earlier one."""
    key = keys[i]
    if len(key.split()) < 8:
        return False
    position = joined.find(key)
    while position >= 0:
        j = bisect_right(starts, position) - 1
        if j != i and (len(keys[j]) > len(key) or j < i):
            return True
        position = joined.find(key, position + 1)
    return False


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph; full stops after abbreviations and initials do not end one."""
    sentences = []
    start = 0
    for match in re.finditer(r"[.!?][”\"’']?(?=\s+[“\"‘'(]?[A-Z0-9])", paragraph):
        before = paragraph[start : match.start()].split()
        word = before[-1].lower().rstrip(".") if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
