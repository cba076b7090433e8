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

from kb.importing.places import ABBREVIATIONS, country_names
from kb.model.text import normalise

# Words that make a title (normalised). Anchors alone make a capitalised run a title.
TITLE_ANCHORS = {
    "minister", "ministers", "ambassador", "envoy", "director", "commissioner", "charge", "affaires",
    "secretary", "president", "chief", "inspector", "ig", "dg", "consul", "chairman", "chairwoman", "chair",
    "chairperson", "head", "commander", "governor", "king", "queen", "prince", "princess", "emir", "amir",
    "sultan", "chancellor", "premier", "spokesperson", "spokesman", "spokeswoman", "mayor", "senator",
    "adviser", "advisor", "representative", "coordinator", "attache", "taoiseach", "emperor", "empress",
    "sheikh", "grand", "duke", "duchess", "speaker", "counsellor", "counselor", "deputy", "vice",
}
TITLE_WORDS = TITLE_ANCHORS | {
    "high", "general", "prime", "federal", "state", "foreign", "interior", "home", "defence", "defense",
    "finance", "senior", "additional", "acting", "interim", "special", "assistant", "under", "permanent",
    "national", "crown", "principal", "first", "second", "executive", "a", "i", "ai", "designate",
    "minister's", "affairs", "mission", "d", "political", "economic", "military", "naval", "air", "army",
}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "he", "hon", "prof", "professor"}
CONNECTORS = {"of", "to", "for", "the", "d", "de", "al", "bin", "ibn", "van", "von", "la", "del", "da", "du", "el"}
# Particles that may sit inside a name: "Tamim bin Hamad al-Thani".
NAME_PARTICLES = {"bin", "ibn", "al", "de", "van", "von", "la", "del", "da", "du", "el"}
# A capitalised word followed by one of these names an organisation or a thing, not a person.
ORG_WORDS = {
    "ministry", "police", "department", "agency", "force", "forces", "embassy", "office", "board",
    "authority", "centre", "center", "commission", "council", "bank", "union", "cup", "court", "constitution",
    "government", "university", "party", "airport", "division", "assembly", "parliament", "senate",
    "league", "association", "institute", "foundation", "corporation", "company", "group", "organisation",
    "organization", "bureau", "service", "services", "directorate", "administration", "cell", "unit",
    "committee", "dialogue", "summit", "conference", "forum", "programme", "program", "strategy", "policy",
    "act", "day", "news", "times", "post", "tribune", "today", "television", "radio", "network", "house",
    "palace", "secretariat", "province", "city", "state", "states", "kingdom", "republic", "nations",
}
# Capitalised at the start of a sentence, never the start of a name.
STOPWORDS = {
    "the", "a", "an", "both", "he", "she", "it", "they", "in", "on", "at", "this", "that", "his", "her",
    "their", "our", "we", "i", "officials", "additionally", "however", "meanwhile", "during", "after",
    "before", "calling", "according", "earlier", "later", "also", "and", "but", "while", "with",
    "as", "by", "from", "for", "all", "each", "several", "minority", "optimism", "protection", "police",
    "strengthening", "enhancing", "there", "these", "those", "its", "other", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "pakistan", "federal",
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
        words = tokens[i:j + 1]
        if 2 <= len(words) <= 5:
            mention = NameMention(sentence[words[0].start:words[-1].end], words[0].start, words[-1].end)
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            mention.followed_by_org_word = bool(after and after.capitalised and after.key in ORG_WORDS)
            mention.title, mention.country = _title_before(sentence, tokens, i)
            if not mention.title:
                mention.title, mention.country = _apposition_after(sentence, words[-1].end)
            found.append(mention)
        i = j + 1
    return found


def _could_start_name(token: Token, index: int) -> bool:
    return (token.capitalised and not token.punctuation and len(token.key) > 1
            and token.key not in STOPWORDS and not _is_title_word(token) and not _country_of_word(token)
            and token.key not in ORG_WORDS and not token.text.isupper())


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
    while k >= 0 and not tokens[k].punctuation and (
        _is_title_word(tokens[k]) or _country_of_word(tokens[k])
        or (tokens[k].key in CONNECTORS and k > 0 and not tokens[k - 1].punctuation)
        or (tokens[k].capitalised and tokens[k].key not in STOPWORDS and k - 1 >= 0 and tokens[k - 1].key in CONNECTORS)
    ):
        k -= 1
    span = tokens[k + 1:end + 1]
    while span and (span[0].key in CONNECTORS):
        span = span[1:]
    if not any(t.key in TITLE_ANCHORS or t.key in HONORIFICS for t in span):
        return None, None
    country = next((c for c in map(_country_of_word, span) if c), None)
    if not country and k >= 0:  # "the United States’ Chargé d’affaires"
        from kb.importing.places import countries_in

        before = sentence[tokens[max(0, k - 2)].start:tokens[k].end]
        country = next(iter(countries_in(before)), None)
    # "Pakistan’s Interior Minister": the possessive names the country, not the title.
    while span and _country_of_word(span[0]) and re.search(r"['’]s?$", span[0].text):
        span = span[1:]
    while span and span[0].key in CONNECTORS:
        span = span[1:]
    title = sentence[span[0].start:span[-1].end] if span else None
    return title, country


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
        return [Match(p, written, "name" if normalise(self.primary.get(p, "")) == normalise(written) else "known alias")
                for p in owners]

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
                        best[person] = Match(person, written, f"fuzzy, {score:.0f}%", self._written_form(known, person), score)
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
        near = {found for found, _score, _ in process.extract(
            wanted, list(self._by_skeleton), scorer=JaroWinkler.normalized_similarity, score_cutoff=0.9, limit=None)}
        best: dict[str, Match] = {}
        for block in sorted(near | {wanted}):
            for known in sorted(self._by_skeleton.get(block, ())):
                score = names.score(written, known) * 100
                if score < 85:
                    continue
                for person in self.names[known]:
                    if person not in best or best[person].score < score:
                        best[person] = Match(person, written, f"fuzzy: another script or spelling, {score:.0f}%",
                                             self._written_form(known, person), score)
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
                key = " ".join(w for w, _ in words[i:i + size])
                if key in self.names:
                    start = words[i][1]
                    end = words[i + size - 1][1]
                    written = text[start:end + len(text[end:].split()[0])].rstrip(",.;:’'s")
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
        if key in HONORIFICS:
            i += 1
            continue
        if key in NAME_PARTICLES and title and normalise(words[i + 1]) not in TITLE_WORDS:
            break  # "President de Valera": the particle starts the name
        if key in TITLE_WORDS or key in ORG_WORDS or (key in CONNECTORS and title):
            title.append(words[i])
            i += 1
            continue
        break
    while title and normalise(title[-1]) in CONNECTORS:
        title.pop()
    name = " ".join(words[i:]).strip(" ,")
    return (" ".join(title) or None), name
