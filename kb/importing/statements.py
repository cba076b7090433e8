"""What an article says was agreed, promised, claimed and quoted, as drafts for a person to rewrite.

Sentences are found by their cue words; the record gets only the clause that carries the
commitment (or a claim's figures), never the article's paragraphs, and each is marked for
confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.importing import when
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
_ASK = r"asked|urged|requested|called on|called upon|pressed|invited"
# 'Pakistan asked the UK to extradite ...', 'Naqvi urged the British side to ...': who asked
# (the words before the cue) and who was asked (the words between the cue and 'to').
_ASKED_TO = re.compile(rf"\b(?P<cue>{_ASK})\s+(?P<asked>(?:[\w’'.-]+\s+){{1,5}}?)to\s+(?!the\b|a\b)\w", re.I)
# 'The UK was requested to share ...': the one asked is the subject; who asked is not said.
_ASKED_PASSIVE = re.compile(rf"\b(?:was|were|has been|have been)\s+(?:also\s+)?(?P<cue>{_ASK})\s+to\s+\w", re.I)
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
    asker: str | None = None  # a request's words naming who asked: 'Pakistan', 'Naqvi'
    asked: str | None = None  # and who was asked, whose move it now is: 'the UK', 'the Qatari side'


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
        request = request_in(sentence, index)
        if request is not None and (match is None or sentence.lower().find(request.cue) <= match.start()):
            found.append(request)
        elif match:
            kind = "agreement" if _SIGNED.search(sentence) else "commitment"
            found.append(DraftOutcome(kind, _clause(sentence, match), index, match.group(1).lower()))
    return found


def request_in(sentence: str, index: int) -> DraftOutcome | None:
    """A request the sentence reports, with the words naming who asked and who was asked:
    'Pakistan asked the UK to extradite ...' (asker 'Pakistan', asked 'the UK'); 'The UK was
    requested to share ...' (asked 'The UK'); 'Pakistan sought the return of ...' (asker only)."""
    passive = _ASKED_PASSIVE.search(sentence)
    active = _ASKED_TO.search(sentence)
    loose = _REQUEST.search(sentence)
    cued = passive or active or loose
    if cued is None:
        return None
    subject = sentence[_clause_start(sentence, cued) : cued.start()].strip()
    subject = re.sub(r"\s+(?:was|were|has been|have been)(?:\s+also)?$", "", subject)
    subject = re.sub(r"\s+(?:also|further|then|had|has|have)$", "", subject, flags=re.I)
    asker = None if passive else subject or None
    asked = subject or None if passive else (active.group("asked").strip() if active and cued is active else None)
    cue = cued.group("cue") if cued is not loose else cued.group(1)
    return DraftOutcome("request", _clause(sentence, cued), index, cue.lower(), asker, asked)


def _clause_start(sentence: str, match: re.Match) -> int:
    """Where the clause carrying the cue begins: after the last comma, 'that' or 'said' before it."""
    start = 0
    for boundary in re.finditer(r",\s+|\bthat\s+|\bsaid\s+|:\s+", sentence[: match.start()]):
        start = boundary.end()
    return start


def _clause(sentence: str, match: re.Match) -> str:
    """The clause carrying the cue: from the last comma, 'that' or 'said' before it to the end."""
    clause = sentence[_clause_start(sentence, match) :].strip().rstrip(".")
    words = clause.split()
    if len(words) > MAX_WORDS:
        clause = " ".join(words[:MAX_WORDS]) + " …"
    return clause[0].upper() + clause[1:] if clause else clause


def claims(sentences: list[str]) -> list[DraftClaim]:
    """Sentences with figures (tonnes seized, a percentage fall): claims, never facts."""
    found = []
    for sentence in sentences:
        undated = when.without_dates(sentence)  # '13' of 'August 13, 2024' is no figure
        figures = [
            figure
            for figure in (m.group().strip().rstrip(",").strip() for m in _FIGURE.finditer(undated))
            if re.search(r"\d", figure)
            and not re.fullmatch(r"(?:19|20)\d\d", figure)
            and not re.fullmatch(r"\d{1,2}", figure)
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
