"""People in a text: known people matched by name and alias (exactly, or fuzzily and said so),
and unknown names proposed when they stand next to a title.

A small, honest heuristic instead of a language model: a name is a run of two to five
capitalised words that are not titles, countries or parts of an organisation's name; it is
proposed as a new person only when a title (Minister, Ambassador, Director General, ...) stands
before it or in an apposition after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kb.importing.places import ABBREVIATIONS, country_names
from kb.model import names
from kb.model.text import normalise

# Words that make a title (normalised). Anchors alone make a capitalised run a title.
TITLE_ANCHORS = {
    "minister",
    "ministers",
    "ambassador",
    "envoy",
    "director",
    "commissioner",
    "charge",
    "affaires",
    "secretary",
    "president",
    "chief",
    "inspector",
    "ig",
    "dg",
    "consul",
    "chairman",
    "chairwoman",
    "chair",
    "chairperson",
    "head",
    "commander",
    "governor",
    "king",
    "queen",
    "prince",
    "princess",
    "emir",
    "amir",
    "sultan",
    "chancellor",
    "premier",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "mayor",
    "senator",
    "adviser",
    "advisor",
    "representative",
    "coordinator",
    "attache",
    "taoiseach",
    "emperor",
    "empress",
    "sheikh",
    "pope",
    "patriarch",
    "heir",  # 'Heir Apparent Tamim bin Hamad al-Thani'
    "apparent",
    "grand",
    "duke",
    "duchess",
    "speaker",
    "counsellor",
    "counselor",
    "councilor",
    "councillor",
    "deputy",
    "vice",
    "generalissimo",  # 'Generalissimo Franco'
    "comandante",  # 'Comandante Ortega'
}
TITLE_WORDS = TITLE_ANCHORS | {
    "high",
    "general",
    "prime",
    "federal",
    "state",
    "foreign",
    "interior",
    "home",
    "defence",
    "defense",
    "finance",
    "senior",
    "additional",
    "acting",
    "interim",
    "special",
    "assistant",
    "under",
    "permanent",
    "national",
    "crown",
    "principal",
    "first",
    "second",
    "executive",
    "a",
    "i",
    "ai",
    "designate",
    "elect",
    "minister's",
    "affairs",
    "mission",
    "d",
    "political",
    "economic",
    "military",
    "naval",
    "air",
    "army",
    "staff",
    # portfolios and qualifiers of several-word titles: 'External Affairs Minister', 'National
    # Security Advisor', 'Caretaker Prime Minister', 'Opposition Leader'
    "external",
    "security",
    "justice",
    "education",
    "health",
    "trade",
    "commerce",
    "economy",
    "energy",
    "alternate",
    "caretaker",
    "joint",
    "royal",
    "cabinet",
    "presidential",
    "opposition",
    "aide",
    "leader",
    "candidate",
    "relations",  # the Holy See's 'Secretary for Relations with States'
    "public",  # 'Minister for Public Security'
    "refugees",  # 'UN High Commissioner for Refugees'
}
# Ranks that, after a title, are the person's rank and not part of the title: 'Chief of Army Staff
# General X'; but 'Secretary General', 'Director General', 'Governor General' are titles.
RANKS_AFTER_TITLE = {"general", "admiral", "marshal", "colonel", "brigadier", "lieutenant", "major", "captain"}
_TAKES_GENERAL = {"secretary", "director", "attorney", "inspector", "governor", "consul", "auditor", "solicitor"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "he", "hon", "prof", "professor"}
CONNECTORS = {"of", "to", "for", "the", "d", "de", "al", "bin", "ibn", "van", "von", "la", "del", "da", "du", "el"}
# Particles that may sit inside a name: "Tamim bin Hamad al-Thani".
NAME_PARTICLES = {"bin", "ibn", "al", "de", "van", "von", "la", "del", "da", "du", "el"}
# A capitalised word followed by one of these names an organisation or a thing, not a person.
ORG_WORDS = {
    "ministry",
    "police",
    "department",
    "agency",
    "force",
    "forces",
    "embassy",
    "office",
    "board",
    "authority",
    "centre",
    "center",
    "commission",
    "council",
    "bank",
    "union",
    "cup",
    "court",
    "constitution",
    "government",
    "university",
    "party",
    "airport",
    "division",
    "assembly",
    "parliament",
    "senate",
    "league",
    "association",
    "institute",
    "foundation",
    "corporation",
    "company",
    "group",
    "organisation",
    "organization",
    "bureau",
    "service",
    "services",
    "directorate",
    "administration",
    "cell",
    "unit",
    "committee",
    "dialogue",
    "summit",
    "conference",
    "forum",
    "programme",
    "program",
    "strategy",
    "policy",
    "act",
    "day",
    "news",
    "times",
    "post",
    "tribune",
    "today",
    "television",
    "radio",
    "network",
    "house",
    "palace",
    "secretariat",
    "province",
    "city",
    "state",
    "states",
    "kingdom",
    "republic",
    "nations",
    "presidency",
    "countries",
    "cabinet",
    "church",
}
# Capitalised at the start of a sentence, never the start of a name.
STOPWORDS = {
    "the",
    "a",
    "an",
    "both",
    "he",
    "she",
    "it",
    "they",
    "in",
    "on",
    "at",
    "this",
    "that",
    "his",
    "her",
    "their",
    "our",
    "we",
    "i",
    "officials",
    "additionally",
    "however",
    "meanwhile",
    "during",
    "after",
    "before",
    "calling",
    "according",
    "earlier",
    "later",
    "also",
    "and",
    "but",
    "while",
    "with",
    "as",
    "by",
    "from",
    "for",
    "all",
    "each",
    "several",
    "minority",
    "optimism",
    "protection",
    "police",
    "strengthening",
    "enhancing",
    "there",
    "these",
    "those",
    "its",
    "other",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "pakistan",
    "federal",
}

_TOKEN = re.compile(r"[^\W\d_][\w’'.\-]*|\d[\w.,]*|[,;:()“”\"—–]")


@dataclass
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalise(re.sub(r"['’]s$", "", self.text.rstrip(".")))

    @property
    def capitalised(self) -> bool:
        text = self.text
        if text[:2].lower() in ("d’", "d'") and len(text) > 2:
            return text[2].isupper()
        return text[0].isupper()

    @property
    def punctuation(self) -> bool:
        return not self.text[0].isalnum()


@dataclass
class NameMention:
    """A capitalised run that looks like a person's name, with the title written next to it."""

    name: str
    start: int
    end: int
    title: str | None = None
    country: str | None = None  # from the title: "British High Commissioner" -> GB
    followed_by_org_word: bool = False
    passing: bool = False  # named in passing, not as someone present: 'during President X's tenure'


# Before a name (and its title): it is named in passing, not as a participant.
_IN_PASSING = re.compile(r"\b(?:[Dd]uring|[Uu]nder|[Ff]ormer|[Ll]ate|[Tt]hen)\s+(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,5}$")


def _is_title_word(token: Token) -> bool:
    key = token.key
    return key in TITLE_WORDS or key in HONORIFICS or all(part in TITLE_WORDS for part in key.split())


def _country_of_word(token: Token) -> str | None:
    raw = re.sub(r"['’]s?$", "", token.text)
    if raw in ABBREVIATIONS:
        return ABBREVIATIONS[raw]
    return country_names().get(token.key)


def mentions(sentence: str) -> list[NameMention]:
    """Name-like runs in a sentence, each with the title written before it or in an apposition."""
    tokens = [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    found: list[NameMention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not _could_start_name(token, i):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _continues_name(tokens, j + 1):
            j += 1
        while j > i and tokens[j].key in NAME_PARTICLES:
            j -= 1
        words = tokens[i : j + 1]
        if 2 <= len([w for w in words if w.key not in NAME_PARTICLES]) <= 5:
            written = sentence[words[0].start : words[-1].end]
            possessive = re.search(r"['’]s$", written)
            name = written[: possessive.start()] if possessive else written
            mention = NameMention(name, words[0].start, words[0].start + len(name))
            mention.passing = bool(possessive or _IN_PASSING.search(sentence[: words[0].start]))
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            mention.followed_by_org_word = bool(after and after.capitalised and after.key in ORG_WORDS)
            mention.title, mention.country = _title_before(sentence, tokens, i)
            if not mention.title:
                mention.title, mention.country = _apposition_after(sentence, words[-1].end)
            found.append(mention)
        i = j + 1
    return found


def _could_start_name(token: Token, index: int) -> bool:
    return (
        token.capitalised
        and not token.punctuation
        and len(token.key) > 1
        and token.key not in STOPWORDS
        and not _is_title_word(token)
        and not _country_of_word(token)
        and token.key not in ORG_WORDS
        and not token.text.isupper()
    )


def _continues_name(tokens: list[Token], k: int) -> bool:
    token = tokens[k]
    if token.punctuation or _is_title_word(token) or _country_of_word(token) or token.key in ORG_WORDS:
        return False
    if token.key in NAME_PARTICLES or token.text[:3].lower() in ("al-", "el-"):
        return (k + 1 < len(tokens) and tokens[k + 1].capitalised) or token.text[:3].lower() in ("al-", "el-")
    if token.text.isupper() and len(token.text) > 2:  # an acronym: NACTA, NCCIA
        return False
    return token.capitalised and token.key not in STOPWORDS


def _title_before(sentence: str, tokens: list[Token], name_index: int) -> tuple[str | None, str | None]:
    """The title written just before a name: 'US Ambassador to Pakistan Donald Bloom',
    'the United States’ Chargé d’affaires, Natalie Baker'."""
    k = name_index - 1
    if k >= 0 and tokens[k].text == "," and k - 1 >= 0 and _is_title_word(tokens[k - 1]):
        k -= 1  # "Chargé d’affaires, Natalie Baker"
    end = k
    while (
        k >= 0
        and not tokens[k].punctuation
        and (
            _is_title_word(tokens[k])
            or _country_of_word(tokens[k])
            or (tokens[k].key in CONNECTORS and k > 0 and not tokens[k - 1].punctuation)
            or (
                tokens[k].capitalised
                and tokens[k].key not in STOPWORDS
                and k - 1 >= 0
                and tokens[k - 1].key in CONNECTORS
            )
        )
    ):
        k -= 1
    span = tokens[k + 1 : end + 1]
    while span and (span[0].key in CONNECTORS):
        span = span[1:]
    if not any(t.key in TITLE_ANCHORS or t.key in HONORIFICS for t in span):
        return None, None
    country = next((c for c in map(_country_of_word, span) if c), None)
    if not country and k >= 0:  # "the United States’ Chargé d’affaires"
        from kb.importing.places import countries_in

        before = sentence[tokens[max(0, k - 2)].start : tokens[k].end]
        country = next(iter(countries_in(before)), None)
    # "Pakistan’s Interior Minister": the possessive names the country, not the title.
    while span and _country_of_word(span[0]) and re.search(r"['’]s?$", span[0].text):
        span = span[1:]
    while span and span[0].key in CONNECTORS:
        span = span[1:]
    while len(span) > 1 and _rank_or_honorific(span[-1].key, span[-2].key):
        span = span[:-1]  # 'Minister of Interior Sheikh X': the honorific is neither title nor name
    title = sentence[span[0].start : span[-1].end] if span else None
    return title, country


def _rank_or_honorific(key: str, before: str) -> bool:
    if key in RANKS_AFTER_TITLE:
        return before not in _TAKES_GENERAL
    return key in HONORIFICS or key == "sheikh"


def _apposition_after(sentence: str, end: int) -> tuple[str | None, str | None]:
    """', the director general of the National Crime Agency (NCA) in the United Kingdom,'."""
    match = re.match(r",\s+(?:the\s+)?([^,;:“”\"]{3,120}?)\s*(?:,|;|$|\.$)", sentence[end:])
    if not match:
        return None, None
    text = match.group(1).strip()
    words = text.split()
    if len(words) > 14 or not any(normalise(w) in TITLE_ANCHORS for w in words[:4]):
        return None, None
    country = next((c for c in (_country_of_word(Token(w, 0, 0)) for w in words) if c), None)
    if not country:
        from kb.importing.places import countries_in

        country = next(iter(countries_in(text)), None)
    return text, country


@dataclass
class Match:
    person: str  # the person id
    written: str  # the name as the text writes it
    how: str  # "name", "known alias", "fuzzy, 92%"
    via: str | None = None  # the known name a fuzzy match resembles
    score: float = 100.0

    @property
    def certain(self) -> bool:
        return not self.how.startswith("fuzzy")

    def describe(self) -> str:
        detail = self.how + (f" like '{self.via}'" if self.via and not self.certain else "")
        return f"matched '{self.written}' to {self.person} ({detail})"


@dataclass
class PersonIndex:
    """Known people's names for matching; weak aliases (a surname alone) are never used.

    Near-matches are looked for only among names whose last part could match (blocks built
    once, kept up to date by ``add``): comparing each name written with every known name makes
    an article naming 2,000 people take minutes against a knowledge base of as many."""

    names: dict[str, set[str]] = field(default_factory=dict)  # normalised name -> person ids
    primary: dict[str, str] = field(default_factory=dict)  # person id -> their name
    _by_last: dict[str, set[str]] | None = field(default=None, repr=False)  # last word -> names
    _by_skeleton: dict[str, set[str]] | None = field(default=None, repr=False)  # last part's skeleton -> names
    _longest: int | None = field(default=None, repr=False)  # most words in a name

    @classmethod
    def of(cls, kb) -> PersonIndex:
        index = cls()
        for key, owners in kb.name_index.items():
            people = {i for kind, i in owners if kind == "person"}
            if people:
                index.names[key] = people
        index.primary = {p.id: p.name for p in kb.people.values()}
        return index

    def add(self, person_id: str, name: str) -> None:
        key = normalise(name)
        self.names.setdefault(key, set()).add(person_id)
        self.primary.setdefault(person_id, name)
        if self._by_last is not None and key.split():
            self._by_last.setdefault(key.split()[-1], set()).add(key)
        if self._by_skeleton is not None:
            self._block(key)
        if self._longest is not None:
            self._longest = max(self._longest, len(key.split()))

    def exact(self, written: str) -> list[Match]:
        owners = sorted(self.names.get(normalise(written), ()))
        return [
            Match(p, written, "name" if normalise(self.primary.get(p, "")) == normalise(written) else "known alias")
            for p in owners
        ]

    def fuzzy(self, written: str, cutoff: float = 85) -> list[Match]:
        """Near-matches: 'Donald Blome' for the alias 'Donald Bloom'. The family names must be
        close too, so that two people sharing a given name are not confused."""
        from rapidfuzz import fuzz, process

        key = normalise(written)
        parts = key.split()
        if not parts:
            return []
        if self._by_last is None:
            self._by_last = {}
            for known in self.names:
                if known.split():
                    self._by_last.setdefault(known.split()[-1], set()).add(known)
        best: dict[str, Match] = {}
        lasts = process.extract(parts[-1], list(self._by_last), scorer=fuzz.ratio, score_cutoff=70, limit=None)
        for last, _score, _ in lasts:
            for known in sorted(self._by_last[last]):
                if abs(len(known.split()) - len(parts)) > 1:
                    continue
                score = fuzz.ratio(key, known)
                if score < cutoff:
                    continue
                for person in self.names[known]:
                    if person not in best or best[person].score < score:
                        best[person] = Match(
                            person, written, f"fuzzy, {score:.0f}%", self._written_form(known, person), score
                        )
        if not best:
            best = self.written_forms(written)
        return sorted(best.values(), key=lambda m: (-m.score, m.person))

    def written_forms(self, written: str) -> dict[str, Match]:
        """People whose known names ``written`` gives in another script or spelling, part by part
        (kb.model.names): 'Мохсин Накви' for Mohsin Naqvi. Always to be confirmed. Only names
        whose last part's consonant skeleton is close are compared: names.score requires the
        last parts to match, by skeleton."""
        from rapidfuzz import process
        from rapidfuzz.distance import JaroWinkler

        from kb.model import names

        parts = names.parts(written)
        if len(parts) < 2:
            return {}  # a surname alone matches nothing
        if self._by_skeleton is None:
            self._by_skeleton = {}
            for known in self.names:
                self._block(known)
        wanted = names.skeleton(parts[-1])
        near = {
            found
            for found, _score, _ in process.extract(
                wanted, list(self._by_skeleton), scorer=JaroWinkler.normalized_similarity, score_cutoff=0.9, limit=None
            )
        }
        best: dict[str, Match] = {}
        for block in sorted(near | {wanted}):
            for known in sorted(self._by_skeleton.get(block, ())):
                score = names.score(written, known) * 100
                if score < 85:
                    continue
                for person in self.names[known]:
                    if person not in best or best[person].score < score:
                        best[person] = Match(
                            person,
                            written,
                            f"fuzzy: another script or spelling, {score:.0f}%",
                            self._written_form(known, person),
                            score,
                        )
        return best

    def _block(self, key: str) -> None:
        from kb.model import names

        parts = names.parts(key)
        if parts and self._by_skeleton is not None:
            self._by_skeleton.setdefault(names.skeleton(parts[-1]), set()).add(key)

    def _written_form(self, key: str, person: str) -> str:
        primary = self.primary.get(person, "")
        return primary if normalise(primary) == key else key.title()

    def find_in(self, text: str) -> list[tuple[int, str, Match]]:
        """Known names written anywhere in ``text`` (for runs the name splitter cut differently)."""
        from kb.importing.places import normalised_words

        words = normalised_words(text)
        found = []
        if self._longest is None:
            self._longest = max((len(k.split()) for k in self.names), default=0)
        for i in range(len(words)):
            for size in range(min(self._longest, len(words) - i), 1, -1):
                key = " ".join(w for w, _ in words[i : i + size])
                if key in self.names:
                    start = words[i][1]
                    end = words[i + size - 1][1]
                    written = text[start : end + len(text[end:].split()[0])].rstrip(",.;:’'s")
                    for match in self.exact(key):
                        match.written = written if normalise(written) == key else key.title()
                        found.append((start, key, match))
                    break
        return found


def split_title(cell: str) -> tuple[str | None, str]:
    """A spreadsheet cell such as 'Prime Minister Dr. Hubert A. Minnis' as (title, name):
    leading title words and honorifics are the title, the rest the name."""
    words = cell.split()
    title: list[str] = []
    i = 0
    while i < len(words) - 1:
        key = normalise(words[i])
        if key in HONORIFICS or (
            title
            and key not in CONNECTORS
            and names._key(words[i]) in names.HONORIFICS
            and not _organisation_run(words, i)
        ):
            i += 1  # 'Foreign Minister Sheikh X': an honorific after a title is neither ('Sheikh Tamim' keeps it)
            continue
        if not title and _ACRONYM.fullmatch(words[i]) and _is_title_key(normalise(words[i + 1])):
            title.append(words[i])  # an organisation's: 'EU High Representative', 'NATO Secretary General'
            i += 1
            continue
        if title and key == "with" and normalise(title[-1]) == "relations":
            title.append(words[i])  # 'Secretary for Relations with States'
            i += 1
            continue
        if title and (run := _enumerated_run(words, i)):
            title += words[i : i + run]  # '... of the United Nations Educational, Scientific and Cultural Organization'
            i += run
            continue
        if title and normalise(title[-1]) in CONNECTORS and (run := _organisation_run(words, i)):
            title += words[i : i + run]  # 'President of the European Commission'
            i += run
            continue
        if key in NAME_PARTICLES and title and normalise(words[i + 1]) not in TITLE_WORDS:
            break  # "President de Valera": the particle starts the name
        if key in RANKS_AFTER_TITLE and title and normalise(title[-1]) not in _TAKES_GENERAL:
            break  # the person's rank: 'Chief of Army Staff General X'
        if _is_title_key(key) or key in ORG_WORDS or (key in CONNECTORS and title) or _relations_with(title, key):
            title.append(words[i])
            i += 1
            continue
        break
    while title and normalise(title[-1]) in CONNECTORS:
        title.pop()
    name = " ".join(words[i:]).strip(" ,")
    return (" ".join(title) or None), name


_ACRONYM = re.compile(r"[A-Z]{2,6}")


def _relations_with(title: list[str], key: str) -> bool:
    """'with' inside a title: 'Secretary for Relations with States'."""
    return key == "with" and bool(title) and normalise(title[-1]) == "relations"


def _is_title_key(key: str) -> bool:
    """A title's word, or words joined by a hyphen ('president-elect', 'secretary-general')."""
    parts = key.split()
    return key in TITLE_WORDS or (
        len(parts) > 1 and parts[0] in TITLE_WORDS and all(p in TITLE_WORDS or p in ("in", "of") for p in parts)
    )  # 'Commander-in-Chief'


def _enumerated_run(words: list[str], start: int) -> int:
    """How many words from ``start`` are an organisation's name that enumerates ('Educational,
    Scientific and Cultural Organization'), with a word left for the name; 0 when they are not."""
    found = _ENUMERATED_ORG.match(" ".join(words[start:]))
    size = len(found.group(0).split()) if found else 0
    return size if size < len(words) - start else 0


def _organisation_run(words: list[str], start: int) -> int:
    """How many capitalised words from ``start`` name an organisation ending with an
    organisation's word ('European Commission', 'Presidency') or a country ('Kenya', 'Sri
    Lanka'), with a word left for the name; 0 when they do not."""
    from kb.importing.places import country_code

    found = 0
    for end in range(start, min(start + 4, len(words) - 1)):
        if not words[end][:1].isupper():
            break
        if normalise(words[end]) in ORG_WORDS:
            return end - start + 1
        if country_code(" ".join(words[start : end + 1]).strip(","), fuzzy=False):
            found = end - start + 1
    return found


# --- who was met, in a "with" cell or a register's remarks ------------------------------------


@dataclass
class Named:
    """A person a cell names: their title as written, their name, and the country a
    nationality-led title gives ('Omani Foreign Minister X' -> OM)."""

    title: str | None
    name: str
    country: str | None = None
    org: str | None = None  # the organisation written before the title: 'Arab League Secretary-General X'
    former: str | None = None  # a title no longer held: 'former President Carter'
    ours: bool = False  # on our own side: 'Accompanied President Bush to a meeting with ...'
    plural: bool = False  # the title was written for several: 'presidential candidates X and Y'

    @property
    def written_title(self) -> str | None:
        """The title with its organisation: 'NATO Secretary General'."""
        return " ".join(filter(None, [self.org, self.title])) or None


@dataclass
class Remarks:
    people: list[Named] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # larger events attended: 'NATO Summit Meeting'
    others: list[str] = field(
        default_factory=list
    )  # named, but neither a person nor an event ('UN and NATO officials')


# What a clause of remarks does: meet people (the people follow 'with'/'on'), or attend an event.
_MEETS = re.compile(
    r"^(?:also\s+)?(?:(?:met|meets|meeting|conferred|consulted|talked|spoke|briefed|greeted)\b(?:\s+(?:privately|separately|briefly|again|jointly))?(?:\s+with)?"
    r"|(?:discussed|held|had|signed|reviewed|co-chaired)\b.*?\bwith"
    r"|called\s+on|paid\s+(?:a\s+)?(?:courtesy\s+)?(?:call|calls)\s+on"
    r"|(?:[\w\-]+\s+){0,2}?(?:meetings?|talks|consultations?|dinner|lunch|breakfast|audience)\s+with)\s+",
    re.IGNORECASE,
)
_ATTENDS = re.compile(
    r"^(?:also\s+)?(?:attended|participated\s+in|took\s+part\s+in|joined|led\s+the\s+[\w.\-\s]*?delegation\s+to)\s+",
    re.IGNORECASE,
)
_OTHER_VERB = re.compile(
    r"^(?:also\s+)?(?:accompanied|visited|addressed|toured|inaugurated|dedicated|announced|"
    r"overnight|stopped|returned|issued|delivered|gave|opened|laid|received|hosted|travel+ed)\b",
    re.IGNORECASE,
)
# Where the people end and what was done with them begins.
_AFTER_PEOPLE = re.compile(
    r"(?:\s+|,\s*)(?:and\s+)?(?:to\s+(?!the\b)[a-z]+|about|regarding|concerning|during|while|"
    r"(?:after|following)\s+(?:the\s+)?[a-z]|"
    r"on\s+(?:the\s+)?[a-z]|at\s+(?:the\s+)?[a-zA-Z]|in\s+(?:the\s+)?[a-zA-Z]|for\s+[a-z]|"
    r"(?:and\s+)?(?:announced|appealed|expressed|issued|signed|discussed|reaffirmed|inaugurated|"
    r"dedicated|launched|reviewed|emphasi[sz]ed|urged|called|visited|attended|toured|laid|addressed|held|"
    r"gave|delivered|hosted|paid|participated|made|commemorated|opened|spoke|witnessed|received|observed|"
    r"viewed|travel+ed|stopped|returned|joined|took|accompanied|led|co-chaired|chaired)\b)"
)
# A date or a journey written after a name: 'President Abbas on February 19', 'Foreign Minister
# Fayyad (November 7)', 'President Koivisto en route to Moscow'.
_DATE = re.compile(
    r",?\s+\(?(?:on\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?\b\)?"
)
_EN_ROUTE = re.compile(r",?\s+en\s+route\s+(?:to|from)\s+(?:the\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*")
# A sentence that starts with what was done: 'Met with Prime Minister Hun Sen. Attended the ...'
# (an abbreviation-like name does not end a sentence for the sentence splitter).
_NEW_CLAUSE = re.compile(
    r"(?<=\.)\s+(?=(?:Also\s+)?(?:Met|Attended|Visited|Toured|Addressed|Held|Signed|Participated|Delivered|"
    r"Laid|Paid|Called|Discussed|Hosted|Gave|Took|Accompanied|Travel+ed|Stopped|Returned|Conferred)\b)"
)
_CLAUSE_JOIN = re.compile(
    r",?\s+and\s+(?:also\s+)?(?=(?:met|attended|discussed|participated|took\s+part|called\s+on|"
    r"held|visited|addressed|accompanied|had|co-chaired)\b)",
    re.IGNORECASE,
)
_PORTFOLIOS = {"affairs", "foreign", "interior", "defence", "defense", "finance", "federal", "trade", "industry"}
_NAME_LOWER = names.PARTICLES | names.NASAB | {"y", "e"}  # lower-case words a name may hold


# A regnal number ends a sentence with its full stop: 'Bartholomew I.', 'Ilia II.' (an initial
# is never written after a name).
_REGNAL_END = re.compile(r"(?<=[a-z]{2}\s)([IVX]{1,4})\.$")


def split_remarks(text: str, *, sentences: bool = True) -> Remarks:
    """People and events in a register's remarks ('Met with President X and Foreign Minister Y;
    attended the ASEAN Regional Forum; visited the embassy.') or, with ``sentences=False``, a
    "with" cell that lists people ('President X and Foreign Minister Y', 'X, Prime Minister and
    Minister of Foreign Affairs'). A clause that names no person drafts none."""
    from kb.importing.text import split_sentences

    found = Remarks()
    text = re.sub(r"\bH\.\s?E\.\s+", "", " ".join(text.split()))  # 'H.E.': an honorific, and no sentence's end
    text = _GLUED_TITLE.sub(r"\1 ", text)  # 'Prime MinisterKittikachorn'
    text = re.sub(r"\bHi(?=\s+Holiness\b)", "His", text)  # 'Hi Holiness Ilia II', as once written
    parts = _NEW_CLAUSE.split(text) if sentences else [text]
    clauses = [c for p in parts for s in (split_sentences(p) if sentences else [p]) for c in re.split(r";\s*", s)]
    for clause in (
        _REGNAL_END.sub(r"\1", re.sub(r"(?<![A-Z])(?<!Jr)(?<!Sr)\.$", "", c2.strip()))
        for c in clauses
        for c2 in _CLAUSE_JOIN.split(c)
    ):
        if clause:
            _read_clause(clause, found, sentences=sentences)
    # 'Prime Minister Netanyahu' after 'Prime Minister Benjamin Netanyahu': one person.
    full = {normalise(p.name.split()[-1]) for p in found.people if len(p.name.split()) > 1}
    seen: set[str] = set()
    people = []
    for person in found.people:
        key = normalise(person.name)
        if key in seen or (len(person.name.split()) == 1 and key in full):
            continue
        seen.add(key)
        people.append(person)
    found.people = people
    return found


def _read_clause(clause: str, found: Remarks, *, sentences: bool) -> None:
    """What one clause says was done: people met, events attended (and the people met at them),
    or our own leader accompanied to a meeting."""
    clause = _PLACE_FIRST.sub("", clause)  # 'In Prague, met with ...'
    meets = _MEETS.match(clause)
    attends = _ATTENDS.match(clause)
    accompanies = _ACCOMPANIES.match(clause)
    travels = _TRAVELS_WITH.match(clause)
    if accompanies:
        _accompanied(clause[accompanies.end() :], found)
    elif travels:  # 'Travelled with British Foreign Secretary Straw': a counterpart, unless our own leader
        _accompanied(clause[travels.end() :], found, leaders_only=True)
    elif attends and (joined := _joined(clause, attends.end())):
        found.people.append(joined)
    elif attends:
        _attended(clause[attends.end() :], found)
    elif meets:
        _people_in(clause[meets.end() :], found)
    elif not sentences and not _OTHER_VERB.match(clause):
        _people_in(clause, found)


# A title written against the name: 'Prime MinisterKittikachorn'.
_GLUED_TITLE = re.compile(r"\b(Minister|President|Secretary|Chancellor|Ambassador)(?=[A-Z][a-z])")
# Where a clause happened, written before it: 'In Prague, met with ...'.
_PLACE_FIRST = re.compile(r"^In\s+[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3},\s+(?=[a-z])")
_TRAVELS_WITH = re.compile(r"^(?:also\s+)?travel+ed\s+with\s+(?=[A-Z])", re.IGNORECASE)


def _joined(clause: str, start: int) -> Named | None:
    """'Joined Foreign Minister Petricek in Pilsen to commemorate ...': a person with a title
    joined is met (our own President joined is `_ACCOMPANIES`'s); an event joined is not a person."""
    if not clause[:start].lower().lstrip().startswith(("joined", "also joined")):
        return None
    end = _ACCOMPANIED_END.search(clause, start)
    head = clause[start : end.start()] if end else clause[start:]
    who = _named(head) if not _EVENT_WORDS.search(head) else None
    return who if who is not None and who.title and not who.former else None


# 'Accoompanied', as once written; 'Joined President Ford for a meeting with ...'
_ACCOMPANIES = re.compile(
    r"^(?:also\s+)?(?:acc?oo?mpanied\s+|joined\s+(?=(?:President|Vice\s+President|the\s+President)\b))",
    re.IGNORECASE,
)
# The titles of the leaders a register's own minister goes with to an event: 'with President Obama'.
_OUR_LEADERS = {"President", "Vice President"}
# Where the one accompanied ends: 'President Bush| to a meeting with ...', '... |on a State visit'.
_ACCOMPANIED_END = re.compile(r"\s+(?:to|on|during|for|in|at|and|with)\s+|,|$")
# What a clause names as an event: 'to the NATO Summit', 'to the funeral of Chancellor Adenauer'.
_EVENT_WORDS = re.compile(
    r"\b(?:summit|meeting|meetings|conference|session|funeral|inauguration|signing|ceremony|talks|forum|council|"
    r"celebrations?|commemoration|games|olympics)\b",
    re.IGNORECASE,
)
# Events that name a person who takes part: 'the inauguration of President Yushchenko' (a funeral's
# or a memorial's person does not).
_EVENT_OF_PERSON = re.compile(r"^(?:the\s+)?(?:inauguration|swearing[- ]in|investiture)\s+(?:ceremony\s+)?of\s+")


def _accompanied(text: str, found: Remarks, *, leaders_only: bool = False) -> None:
    """'Accompanied President Bush to a meeting with President Fox': the one accompanied is on our
    own side (unless a nationality or an organisation says otherwise; with ``leaders_only``, only
    our President or Vice President is), the people met 'with' (or offered condolences) are the
    counterparts, an event gone 'to' is an event."""
    end = _ACCOMPANIED_END.search(text)
    head, rest = (text[: end.start()], text[end.start() :]) if end else (text, "")
    who = _named(head)
    if who is not None and who.title:
        _place_after_name(who, rest)
        who.ours = who.country is None and who.org is None and (not leaders_only or who.title in _OUR_LEADERS)
        found.people.append(who)
    for part in re.split(r",?\s+and\s+(?=to\s)", rest):  # '... with X and to the opening session of Y'
        met = re.search(r"\b(?:with|condolences\s+to)\s+", part)
        gone = re.search(r"(?:^|\s)(?:to|for)\s+(?:the\s+|an?\s+)?", part)
        if met:
            _people_in(part[met.end() :], found)
        elif gone and _EVENT_WORDS.search(part[gone.end() :]) and re.search(r"[A-Z]", part[gone.end() :]):
            _attended(part[gone.end() :], found)


def _place_after_name(who: Named, rest: str) -> None:
    """'Accompanied President Nixon Leningrad, Kiev on a State visit' (its 'to' left out): the
    last of two names, when it and the word after the comma are cities, is where they went."""
    from kb.importing.places import is_city

    words = who.name.split()
    listed = re.match(r",\s*([A-Z][\w.\-]+)", rest)
    if len(words) == 2 and listed and is_city(words[-1]) and is_city(listed.group(1)):
        who.name = words[0]


def _attended(text: str, found: Remarks) -> None:
    """An event attended, and the people met at it: 'the President's summit with North Korean
    leader Kim Jong-un' (a summit of people, no event named), 'the inauguration of President
    Yushchenko' (an event, and the person it inaugurated)."""
    met = re.search(r"\s+with\s+(?=(?:the\s+)?[A-Z])", text)
    if met:
        before = text[: met.start()]
        named = any(
            w[:1].isupper() and not _is_title_word(Token(w, 0, 0)) and not re.search(r"['’]s$", w)
            for w in before.split()
        )  # 'the Vancouver Foreign Ministers' Meeting', not 'the President's summit'
        if named:
            found.events.extend(_events(before))
        people = Remarks()
        _people_in(text[met.end() :], people)
        # 'Attended the G-20 Summit with President Obama', 'a meeting with Vice President Mike Pence
        # and Turkish President Erdoğan': a leader written without a nationality is our own
        ours = named or any(p.country for p in people.people)
        for person in people.people:
            person.ours = ours and person.title in _OUR_LEADERS and not (person.country or person.org)
        found.people += people.people
        found.others += people.others
        return
    events = _events(text)
    found.events.extend(events)
    for event in events:
        of_person = _EVENT_OF_PERSON.match(event.lower())
        inaugurated = _named(event[of_person.end() :]) if of_person else None
        if inaugurated is not None and inaugurated.title:
            found.people.append(inaugurated)


def _events(text: str) -> list[str]:
    text = re.split(r"\s+(?:at|in)\s+(?=[A-Z])|\s+(?:to|and)\s+(?:discuss|announce|sign|meet)|,\s+where\b", text)[0]
    events = []
    for piece in re.split(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)", text):
        piece = re.sub(r"^(?:the|a|an)\s+", "", piece.strip(" ,.;"), flags=re.IGNORECASE)
        if piece:
            events.append(piece[0].upper() + piece[1:])
    return events


def _people_in(text: str, found: Remarks) -> None:
    """Each person of a list written after 'met with', with titles that stand alone given to the
    person they belong to: a title before a name is that name's; titles after a name written
    without one are an apposition ('X, Prime Minister and Minister of Foreign Affairs')."""
    text = _EN_ROUTE.sub("", _DATE.sub("", text))
    cut = _AFTER_PEOPLE.search(text)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r",\s*(Jr\.|Sr\.|Jr|Sr|Jnr|Snr|[0-9](?:st|nd|rd|th)|[IVX]+)(?=[\s,;]|$)", r" \1", text)  # 'X, Jr.'
    text = _ENUMERATED_ORG.sub(lambda m: m.group(0).replace(",", _COMMA).replace(" and ", _AND), text)
    pieces = [
        p.strip(" ,").replace(_COMMA, ",").replace(_AND, " and ")
        for p in re.split(r",\s*(?:and\s+)?(?:with\s+)?|\s+and\s+(?:with\s+)?|/", text)
    ]
    pending: list[str] = []
    last: Named | None = None
    last_titled = True
    shared: Named | None = None  # a title written for several: 'presidential candidates X and Y'
    for piece in filter(None, pieces):
        piece = re.split(r"(?<!\bRelations)\s+with\s+", piece)[-1]  # '..., the peace process with Prime Minister X'
        if _title_only(piece) and _GROUP.search(piece):
            found.others.append(piece)  # 'the Foreign Ministers of the Permanent Members of ...': no one's title
            continue
        if _title_only(piece):
            if last is not None and not last_titled and not pending:
                last.title = f"{last.title} and {piece}" if last.title else piece
                last.country = last.country or _title_country(piece)
                continue
            pending.append(piece)
            continue
        if pending:
            piece = _title_continued(pending, piece)
        person = _named(piece)
        if person is None:
            found.others.append(piece)
            pending, shared = [], None
            continue
        if pending:
            _join_titles(person, pending)
        elif shared is not None and not person.title and not person.country and not person.org:
            person.title, person.country, person.org = shared.title, shared.country, shared.org
        shared = person if person.plural else shared if not person.title else None
        last_titled = bool(person.title)
        pending = []
        found.people.append(person)
        last = person
    if pending and last is not None and last_titled and all(p.startswith("the ") for p in pending):
        found.others += pending  # 'President Hamid Karzai, ... and the head of the UN Assistance Mission'
    elif pending and last is not None:
        last.title = " and ".join(filter(None, [last.title, *pending]))
        last.country = last.country or _title_country(pending[-1])


# An organisation's name that enumerates ('United Nations Educational, Scientific and Cultural
# Organization'): its commas and its 'and' separate no people, and are kept while the list is cut.
_ENUMERATED_ORG = re.compile(
    r"\b[A-Z][a-z]+(?:,\s+[A-Z][a-z]+)+,?\s+and\s+(?:[A-Z][a-z]+\s+)*?"
    r"(?:Organi[sz]ation|Agency|Fund|Programme|Program|Council|Commission|Bank|Union|Institute|Office|Committee)\b"
)
_COMMA, _AND = "\ue000", "\ue001"


# A title of several people, which is no one person's: 'the Foreign Ministers of ...'.
_GROUP = re.compile(
    r"\b(?:[Mm]inisters|[Pp]residents|[Ll]eaders|[Hh]eads|[Mm]embers|[Ee]nvoys|[Aa]mbassadors|[Cc]hiefs)\b"
)


def _title_continued(pending: list[str], piece: str) -> str:
    """A title of one person cut at its 'and': 'Minister of Foreign Affairs' and 'International
    Cooperation Sheikh Abdullah bin Zayed' -> the words before the honorific go back to the title."""
    words = piece.split()
    at = next((i for i, w in enumerate(words) if i and names._key(w) in names.HONORIFICS), 0)
    if at and all(w[:1].isupper() for w in words[:at]) and not any(normalise(w) in NAME_PARTICLES for w in words[:at]):
        pending[-1] = f"{pending[-1]} and {' '.join(words[:at])}"
        return " ".join(words[at:])
    return piece


def _join_titles(person: Named, pending: list[str]) -> None:
    """Titles written before a person's own ('Belgian Prime Minister and European Council
    President-elect Michel'): one title, the nationality read off it, the organisation kept with
    the title it was written before."""
    country, first = _nationality(pending[0])
    if country is None and (acting := _QUALIFIER.match(pending[0])):
        country, rest = _nationality(pending[0][acting.end() :])
        first = f"{acting.group(0)}{rest}" if country else first
    own = person.written_title if person.org else person.title
    person.title = " and ".join([first, *pending[1:], *([own] if own else [])])
    person.org = None if own and person.org else person.org
    person.country = person.country or country or _title_country(person.title)


# A qualifier of the title written before a nationality: 'Acting Spanish Foreign Minister'.
_QUALIFIER = re.compile(r"(?:acting|interim|caretaker|outgoing)\s+", re.IGNORECASE)


def _title_only(piece: str) -> bool:
    """'Prime Minister', 'Minister of Foreign Affairs', 'Amir of Qatar', 'Omani Foreign Minister'."""
    words = piece.split()
    start = 1 if words and normalise(words[0]) == "the" else 0
    size = leading_demonym(words[start:-1])[1]
    words = [*words[:start], *words[start + size :]]  # 'South African Foreign Minister': a nationality
    if not words:
        return False
    keys = [normalise(w) for w in words]
    if not (keys[0] in TITLE_WORDS or keys[0] in HONORIFICS or demonym(words[0]) or keys[0] == "the"):
        return False
    if "of" in keys or "for" in keys:
        head = keys[: keys.index("of") if "of" in keys else keys.index("for")]
        tail = keys[-1]
        if not (
            tail in TITLE_WORDS
            or tail in ORG_WORDS
            or tail in {"affairs", "state", "defence", "defense", "trade"}
            or demonym(words[-1])
            or _title_country(piece)
        ):
            return False  # 'Chairman of the Presidency Bakir Izetbegovic': a name ends it
        return all(
            k in TITLE_WORDS or k in HONORIFICS or k == "the" or demonym(w) for k, w in zip(head, words, strict=False)
        )
    return all(
        k in TITLE_WORDS or k in HONORIFICS or k in CONNECTORS or (demonym(w) and i < len(words) - 1)
        for i, (k, w) in enumerate(zip(keys, words, strict=True))
    )  # 'Prime Minister Holland' is a person


def _nationality(text: str) -> tuple[str | None, str]:
    """The country a title starts with and the rest: 'the Saudi Crown Prince' -> (SA, 'Crown
    Prince'); 'United Arab Emirates Foreign Minister X' -> (AE, ...); 'South African Foreign
    Minister X' -> (ZA, ...). Only before a title: 'Chin Peng' keeps its given name."""
    from kb.importing.places import country_code, nationality

    words = text.split()
    country = None
    while len(words) > 1:
        if normalise(words[0]) == "the":
            words = words[1:]
            continue
        size = next(
            (
                n
                for n in (4, 3, 2)
                if len(words) > n
                and _titled(words[n:])
                and (country_code(" ".join(words[:n]), fuzzy=False) or nationality(" ".join(words[:n])))
            ),
            0,
        )
        phrase = " ".join(words[:size])
        code = (country_code(phrase, fuzzy=False) or nationality(phrase)) if size else None
        if not size:
            code, size = leading_demonym(words[:-1])
        if not code or not _titled(words[size:]):
            break
        country, words = country or code, words[size:]
        if len(words) > 1 and normalise(words[0]) == "authority":  # Palestinian Authority
            words = words[1:]
    return country, " ".join(words)


def leading_demonym(words: list[str]) -> tuple[str | None, int]:
    """The country the longest run of words at the start names as a nationality, and how many
    words it takes: 'South African President' -> (ZA, 2), 'Omani Foreign Minister' -> (OM, 1)."""
    for size in range(min(3, len(words)), 0, -1):
        code = demonym(" ".join(words[:size]))
        if code:
            return code, size
    return None, 0


def _titled(words: list[str]) -> bool:
    """The words start with a title (or 'Authority', as in 'Palestinian Authority President')."""
    key = normalise(words[0]) if words else ""
    return (
        key in TITLE_WORDS
        or key in HONORIFICS
        or key == "authority"
        or bool(leading_demonym(words[:-1])[0])
        or (bool(key) and all(part in TITLE_WORDS for part in key.split()))
    )


# What a nationality names when a body of one country follows it ('Director of the Chinese Communist
# Party ...'): not 'the Indian Ocean Rim Association' nor 'the American Red Cross'.
NATIONAL_BODIES = frozenset(
    {"communist", "party", "government", "parliament", "national", "federal", "central", "royal", "state"}
    | {"army", "navy", "armed", "air", "cabinet", "ministry", "orthodox", "church", "people's", "peoples"}
)


def _title_country(title: str | None) -> str | None:
    """'Amir of Qatar' -> QA; 'Director of the Chinese Communist Party Central Foreign Affairs
    Commission' -> CN (a nationality before a body of its country)."""
    found = re.search(r"\bof\s+(?:the\s+)?(.+)$", title or "")
    if not found:
        return None
    from kb.importing.places import country_code

    code = country_code(found.group(1), fuzzy=False)
    if code:
        return code
    words = found.group(1).split()
    nation, size = leading_demonym(words[:-1])
    return nation if nation and normalise(words[size]) in NATIONAL_BODIES else None


_SUFFIXES = ("ians", "ian", "ean", "ese", "ish", "ans", "an", "in", "ine", "i", "n", "ic", "")


@cache  # pure: the same few thousand words are asked again and again on a register
def demonym(word: str) -> str | None:
    """The country a word of nationality names: 'Omani' -> OM, 'Montenegrin' -> ME,
    'Palestinian' -> PS, 'Soviet' -> SU; None for other words."""
    if not word[:1].isupper():
        return None
    from kb.importing.places import nationality

    code = nationality(word) or _country_of_word(Token(word, 0, 0))
    if code:
        return code
    return _demonyms().get(normalise(word))


@cache
def _demonyms() -> dict[str, str]:
    """Adjectives of nationality made from the country names ('montenegrin'), kept only when
    one country has the stem; and two that are not ('soviet', 'palestinian'). An adjective
    already ('greek', 'saudi') is lengthened, never cut: 'Gree' + 'n' is 'Green', a name, and
    'Saud' is a house."""
    from kb.importing.places import OTHER_NAMES, country_names_iso

    names = country_names()
    countries = country_names_iso().keys() | {normalise(n) for n in OTHER_NAMES}
    found: dict[str, set[str]] = {}
    for name, code in names.items():
        if len(name) < 4:
            continue
        cut = {name[:-1], name.removesuffix("ia"), name.removesuffix("a"), name.removesuffix("o")}
        for stem in {name} | (cut if name in countries else set()):
            for suffix in _SUFFIXES:
                found.setdefault(stem + suffix, set()).add(code)
    demonyms = {word: next(iter(codes)) for word, codes in found.items() if len(codes) == 1 and word not in names}
    return demonyms | {"soviet": "SU", "palestinian": "PS"}


def _named(piece: str) -> Named | None:
    """A title and a name, or None when the piece names no one ('representatives of Russia',
    'the Foreign Ministers of the Gulf Cooperation Council', 'senior Soviet officials'). An
    organisation before the title is the person's ('NATO Secretary General X'); a former title is
    not the person's title ('former President Carter')."""
    from kb.model import names

    former = re.match(r"(?:the\s+)?former\s+", piece, re.IGNORECASE)
    piece = piece[former.end() :] if former else piece
    country, rest = _nationality(piece)
    acting = _QUALIFIER.match(piece) if country is None else None
    if acting:  # 'Acting Spanish Foreign Minister X': the nationality after the qualifier
        country, rest = _nationality(piece[acting.end() :])
        rest = f"{acting.group(0)}{rest}" if country else piece
    rest, plural = _singular_title(rest)
    org, rest = _organisation_before(rest)
    of_country = re.search(r"\s+of\s+(?:the\s+)?([A-Z][\w ]+)$", rest)  # 'Sultan Qaboos of Oman'
    if of_country and _title_country(of_country.group()):
        country, rest = country or _title_country(of_country.group()), rest[: of_country.start()]
    title, name = split_title(rest)
    more, name = names.strip_titles(name)
    ranks = [t for t in more if names._key(t) not in names.HONORIFICS] or more  # 'His Holiness Pope X': Pope
    title = title or " ".join(ranks) or None  # 'General X'; the rank of a titled person is neither
    if title and len(name.split()) > 1 and _honorific(title):
        title = None  # 'Sheikh Abdullah bin Zayed': an honorific is not a title ('Sheikh Tamim' keeps it)
    if not _names_someone(name, title):
        return None
    country = country or _title_country(title)
    if former:
        return Named(None, name, country, org, former=title)
    return Named(title, name, country, org, plural=plural)


def _honorific(title: str) -> bool:
    """'Sheikh', 'H.E. Sheikh', 'His Holiness': honorifics only, which make no title."""
    return names._key(title) in names.HONORIFICS or all(names._key(w) in names.HONORIFICS for w in title.split())


_PLURAL_TITLE = re.compile(
    r"^((?:[a-z][\w\-]*\s+){0,2})((?i:candidate|leader|minister|president|envoy|general))s\s+(?=[A-Z][a-z])"
)


def _singular_title(text: str) -> tuple[str, bool]:
    """A title written for several people, in the singular: 'presidential candidates Abdullah
    Abdullah' -> ('presidential candidate Abdullah Abdullah', True); 'Presidents Mandela'."""
    plural = _PLURAL_TITLE.match(text)
    if not plural:
        return text, False
    return f"{plural.group(1)}{plural.group(2)} {text[plural.end() :]}", True


def _names_someone(name: str, title: str | None) -> bool:
    from kb.importing.places import country_code

    words = name.split()
    if not words or len(words) > 7 or country_code(name, fuzzy=False):
        return False  # 'consultations with Japan and South Korea': countries, not people
    keys = [normalise(w) for w in words]
    if any(k in ORG_WORDS or k in _PORTFOLIOS for k in keys) or any(
        k in TITLE_ANCHORS and k != "sheikh" for k in keys[:-1]
    ):
        # 'Mackenzie King' and 'Hassan Sheikh Mohamud' are names; 'Rural Affairs' is not
        return False
    if len(words) == 1 and keys[0] in TITLE_WORDS:
        return False  # 'NATO Foreign Ministers': a group
    if (
        len(words) == 1
        and title
        and any(normalise(w) in ORG_WORDS - {"state", "states"} for w in title.split())
        and not _anchored(title)
    ):
        return False  # 'Department for Environment' ('Secretary of State Parolin', 'Secretary for Relations with States Tauran' name someone)
    if any(w.isalpha() and w.islower() and len(w) > 4 and w not in _NAME_LOWER for w in words):
        return False  # 'officials', 'representatives', 'personnel': not a name ('arap', 'ul-Haq' are)
    if any(_MONTH.fullmatch(w) for w in words) and any(w[:1].isdigit() for w in words):
        return False  # 'July 18': a date
    if _names_a_group(words, keys, title):
        return False
    if title and all(normalise(w) in ORG_WORDS | CONNECTORS for w in title.split()):
        return False  # 'Organization for European Economic Cooperation': an organisation's name
    # a lone word is a surname only after a title written as one ('President Mobutu')
    return len(words) > 1 or bool(title and any(w[0].isupper() for w in title.split()))


def _names_a_group(words: list[str], keys: list[str], title: str | None) -> bool:
    """Words that name no one: 'his Cabinet' (a pronoun first), 'P5+ 1' (a digit), 'Respect to
    Germany' (a lower-case 'to'), 'Co-Presidents of Bosnia' (a title in the plural), 'Bosnian
    Serb', 'Colombian Peace Negotiators' (a nationality first, and no title)."""
    from kb.importing.places import nationality

    if (words[0].islower() and keys[0] in STOPWORDS) or any(c.isdigit() for w in words for c in w):
        return True
    if any(w in ("to", "for", "with", "from") for w in words):
        return True
    first = keys[0].split()
    if first and first[-1].endswith("s") and (first[-1][:-1] in TITLE_ANCHORS or first[-1][:-2] in TITLE_ANCHORS):
        return True
    return not title and len(words) > 1 and bool(nationality(words[0]))  # 'Chad Wolf', 'Israel Katz' are names


_MONTH = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\.?", re.IGNORECASE
)
_ORG_TAIL = ORG_WORDS | {"organization", "organisation", "coalition", "quartet", "cross", "alliance", "community"}


def _organisation_before(text: str) -> tuple[str | None, str]:
    """The organisation written before a title, and the rest: 'Arab League Secretary-General
    Moussa' -> ('Arab League', 'Secretary-General Moussa'); 'UN Secretary-General Annan' ->
    ('UN', ...); 'Council of Representatives Speaker X'. A country there is a nationality, not an
    organisation."""
    from kb.importing.places import country_code

    words = text.split()
    k = next((i for i, w in enumerate(words) if _is_title_key(normalise(w)) and _anchored(w)), 0)
    while k > 0 and _is_title_key(normalise(words[k - 1])):
        k -= 1  # 'Kurdish Regional Government Prime Minister'
    prefix = words[:k]
    if not prefix or len(words) - k < 2:
        return None, text
    if not all(w[:1].isupper() or normalise(w) in CONNECTORS | {"and"} or w.startswith("(") for w in prefix):
        return None, text  # 'and' only inside a name that enumerates: the list was cut at every other
    org = " ".join(prefix)
    acronym = any(_ACRONYM.fullmatch(w.strip("()")) for w in prefix)
    last = prefix[-2] if len(prefix) > 1 and prefix[-1].startswith("(") else prefix[-1]  # 'Agency (IAEA)'
    chamber = len(prefix) > 2 and normalise(prefix[0]) in _ORG_TAIL and normalise(prefix[1]) == "of"
    if not (acronym or chamber or normalise(last) in _ORG_TAIL) or country_code(org, fuzzy=False):
        return None, text
    return org, " ".join(words[k:])


def _anchored(word: str) -> bool:
    """A word that starts a title: 'Secretary-General', 'President', 'Director' (not 'General')."""
    return any(part in TITLE_ANCHORS for part in normalise(word).split())
