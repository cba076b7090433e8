"""What an article says was agreed, promised, claimed and quoted, as drafts for a person to rewrite.

Sentences are found by their cue words; the record gets only the clause that carries the
commitment (or a claim's figures), never the article's paragraphs, and each is marked for
confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.model.names import ascii_words, text_id

# Cues of an agreement or a commitment, strongest first.
_COMMITMENT = re.compile(
    r"\b(agreed to|agreed on|agreeing to|agreed that|agreed|decided to|decided|committed to|pledged to|pledged|"
    r"consensus was reached to|consensus was reached|to be finalised|to be finalized|to be held|to be signed|"
    r"will be|will|would soon|would)\b",
    re.I,
)
_SIGNED = re.compile(r"\b(signed|inked)\b", re.I)
_REQUEST = re.compile(r"\b(requested|asked for|urged|called for|sought)\b", re.I)
_FIGURE = re.compile(
    r"(?:[$£€]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:percent|per cent|%|billion|million|thousand|tonnes|tons|kg|acres|"
    r"suspects|people|nationals|cases))?",
    re.I,
)
_QUOTE = re.compile(r"[“\"]([^”\"]{12,300})[”\"]")
_SPEECH = re.compile(r"\b(said|says|stated|added|noted|remarked|told|stressed|emphasi[sz]ed)\b", re.I)
MAX_WORDS = 30


@dataclass
class DraftOutcome:
    kind: str
    text: str
    sentence_index: int
    cue: str


@dataclass
class DraftClaim:
    text: str
    figures: list[str]


@dataclass
class DraftQuote:
    text: str
    sentence_index: int
    said_by: str | None = None  # words naming the speaker: 'Naqvi', 'the Interior Minister', 'she'
    notes: list[str] = field(default_factory=list)


def commitments(sentences: list[str]) -> list[DraftOutcome]:
    """Sentences stating an agreement, a commitment or a request, reduced to their clause."""
    found = []
    for index, sentence in enumerate(sentences):
        if _QUOTE.search(sentence):
            continue  # a quotation is kept as a quote, not turned into a promise
        match = _COMMITMENT.search(sentence)
        request = _REQUEST.search(sentence)
        if not match and not request:
            continue
        kind = "agreement" if _SIGNED.search(sentence) else "commitment" if match else "request"
        cued = match or request
        assert cued is not None  # one of them matched
        cue = cued.group(1)
        found.append(DraftOutcome(kind, _clause(sentence, cued), index, cue.lower()))
    return found


def _clause(sentence: str, match: re.Match) -> str:
    """The clause carrying the cue: from the last comma, 'that' or 'said' before it to the end."""
    start = 0
    for boundary in re.finditer(r",\s+|\bthat\s+|\bsaid\s+|:\s+", sentence[: match.start()]):
        start = boundary.end()
    clause = sentence[start:].strip().rstrip(".")
    words = clause.split()
    if len(words) > MAX_WORDS:
        clause = " ".join(words[:MAX_WORDS]) + " …"
    return clause[0].upper() + clause[1:] if clause else clause


def claims(sentences: list[str]) -> list[DraftClaim]:
    """Sentences with figures (tonnes seized, a percentage fall): claims, never facts."""
    found = []
    for sentence in sentences:
        figures = [
            m.group().strip()
            for m in _FIGURE.finditer(sentence)
            if re.search(r"\d", m.group())
            and not re.fullmatch(r"(?:19|20)\d\d", m.group().strip())
            and not re.fullmatch(r"\d{1,2}", m.group().strip())
        ]
        if not figures or _QUOTE.search(sentence):
            continue
        words = sentence.rstrip(".").split()
        text = " ".join(words[:MAX_WORDS]) + (" …" if len(words) > MAX_WORDS else "")
        found.append(DraftClaim(text, figures))
    return found


def quotes(sentences: list[str]) -> list[DraftQuote]:
    """Quotations and the words that say who spoke them."""
    found = []
    for index, sentence in enumerate(sentences):
        for match in _QUOTE.finditer(sentence):
            text = match.group(1).strip().rstrip(",")
            outside = sentence[: match.start()] + " " + sentence[match.end() :]
            speech = _SPEECH.search(outside)
            if not speech:
                continue
            said_by = _speaker_words(outside, speech)
            found.append(DraftQuote(text, index, said_by))
    return found


def _speaker_words(outside: str, speech: re.Match) -> str | None:
    before = outside[: speech.start()].strip().rstrip(",")
    after = outside[speech.end() :].strip()
    # "..., Naqvi said" / "the Interior Minister said:" / "she said"
    match = re.search(r"((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}|\b[Hh]e|\b[Ss]he)\s*$", before)
    if match:
        return match.group(1).strip()
    match = re.match(r"([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})", after)
    return match.group(1) if match else None


def outcome_id(text: str, words: int = 5) -> str:
    """An outcome's id from what it says: its first few telling words, spelled as every id is
    (kb.model.names.text_id): 'hold-joint-law-enforcement-dialogue'."""
    skip = {
        "the",
        "a",
        "an",
        "to",
        "of",
        "and",
        "in",
        "on",
        "for",
        "with",
        "both",
        "sides",
        "agreed",
        "will",
        "be",
        "would",
        "it",
        "was",
        "that",
        "their",
        "its",
        "is",
        "are",
        "at",
        "all",
        "by",
        "soon",
        "shortly",
    }
    kept = [w for w in ascii_words(text) if w not in skip and not w.isdigit()]
    return text_id(" ".join(kept[:words])) or "outcome"
