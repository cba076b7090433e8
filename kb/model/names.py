"""People's names: their parts, how they sort, the ids made from them, and whether two written
forms (in any script or spelling) name the same person.

Parsing follows the conventions a desk officer expects rather than "the last word is the
surname":

- honorifics and ranks (Sheikh, H.E., Dr., King, Crown Prince, General, ...) are not part of a
  name, nor of an id made from it;
- particles belong to the family name: ``Ursula von der Leyen`` -> ``von der Leyen``,
  ``Mohammed Shia al-Sudani`` -> ``al-Sudani``, ``Khalifa bin Hamad Al Thani`` -> ``Al Thani``;
  an Arabic name made only of given names and ``bin``/``bint``/``ibn`` has no family name and
  sorts under its first name;
- a regnal number makes the name a regnal name (``Abdullah II``): no family name;
- one word is a mononym (``Suharto``);
- for countries where the family name comes first (China, Taiwan, both Koreas, Vietnam,
  Singapore, Cambodia) the first word is the family name: ``Xi Jinping`` -> ``Xi``.

Matching across scripts transliterates with anyascii (a maintained library, ISC licence), then
compares the names part by part: each part of the shorter name must match a different part of
the longer, by spelling (Jaro-Winkler) or, across scripts, by a consonant skeleton. A name of
one part (a surname alone) never matches, and neither do names that share only one part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.model.text import normalise

# Words before a name that are not part of it (normalised, several words joined by a space).
HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",  # the peerage ranks that are never a given name ('Earl' and 'Baron' can be)
    "viscount",
    "viscountess",
    "countess",
    "he",
    "h e",
    "hon",
    "honourable",
    "honorable",
    "rt hon",
    "the rt hon",
    "prof",
    "professor",
    "sheikh",
    "shaikh",
    "sheikha",
    "shaikha",
    "sheik",
    "his excellency",
    "her excellency",
    "his highness",
    "her highness",
    "his majesty",
    "her majesty",
    "his royal highness",
    "her royal highness",
    "his holiness",  # a pope's or a patriarch's: 'His Holiness Pope Francis', 'His All Holiness'
    "her holiness",
    "his all holiness",
    "his beatitude",
    "his eminence",
    "daw",  # Burmese: 'Daw Aung San Suu Kyi'
    "dato",  # Malaysian: 'Dato’ Sri Ismail Sabri bin Yaakob'
    "datuk",
    "dato sri",
    "datuk seri",
    "tan sri",
    "hrh",
    "hh",
    "hm",
    "mme",
    "madame",
    "monsieur",
    "senor",
    "senora",
    "herr",
    "frau",
    "engr",
    "eng",
    "rev",
    "reverend",
    "fr",
    "father",
    "mgr",
    "msgr",
    "mian",
    "haji",
    "hajji",
    "excellency",
    "the",
    "shri",
    "sri",
    "smt",
    "begum",
    "mullah",
    "ayatollah",
    "grand ayatollah",
}
RANKS = {
    "king",
    "queen",
    "crown prince",
    "crown princess",
    "prince",
    "princess",
    "emir",
    "amir",
    "sultan",
    "emperor",
    "empress",
    "pope",
    "president",
    "vice president",
    "prime minister",
    "chancellor",
    "general",
    "gen",
    "lt gen",
    "lieutenant general",
    "major general",
    "maj gen",
    "brigadier",
    "brig",
    "colonel",
    "col",
    "admiral",
    "adm",
    "vice admiral",
    "rear admiral",
    "field marshal",
    "air marshal",
    "air chief marshal",
    "marshal",
    "captain",
    "capt",
    "major",
    "maj",
    "lieutenant",
    "lt",
    "commander",
    "cdr",
    "senator",
    "sen",
    "ambassador",
    "amb",
    "minister",
    "foreign minister",
    "governor",
    "mayor",
    "chief",
    "justice",
    "chief justice",
    "grand duke",
    "grand duchess",
    "duke",
    "duchess",
    "archbishop",
    "bishop",
    "cardinal",
    "president elect",
    "prime minister elect",
    "premier",
    "secretary",
    "secretary general",
}
_LEADING = HONORIFICS | RANKS
_LEADING_LONGEST = max(len(w.split()) for w in _LEADING)
# Particles that join the family name that follows them.
PARTICLES = {
    "von",
    "van",
    "de",
    "da",
    "das",
    "dos",
    "do",
    "der",
    "den",
    "la",
    "le",
    "du",
    "del",
    "della",
    "di",
    "ter",
    "ten",
    "vom",
    "zu",
    "st",
    "al",
    "el",
    "abu",
    "ould",
    "ag",
    "bar",
    "ben",
}
# Arabic nasab: X bin Y (son of Y); not family names.
NASAB = {"bin", "bint", "ibn", "binti", "b"}
FAMILY_FIRST = {"CN", "TW", "HK", "MO", "KR", "KP", "VN", "SG", "KH"}
_ROMAN = re.compile(r"^(?=[IVXL])(X{0,3}L?)(IX|IV|V?I{0,3})$")
ID_LENGTH = 60


@dataclass(frozen=True)
class Name:
    """A person's name in its parts, as a record's ``name``, ``given_name``, ``family_name`` and
    ``sort_name`` hold them."""

    name: str  # without honorifics and ranks: "Khalifa bin Hamad Al Thani"
    given: str | None  # "Khalifa bin Hamad"
    family: str | None  # "Al Thani"; None for a mononym, a regnal or a nasab-only name
    sort_name: str  # "Al Thani, Khalifa bin Hamad"
    titles: tuple[str, ...] = ()  # what was taken off the front: ("Sheikh",)

    def fields(self) -> dict:
        """The record fields for this name (only those that are known)."""
        out = {"name": self.name}
        if self.given and self.family:
            out["given_name"] = self.given
        if self.family:
            out["family_name"] = self.family
        out["sort_name"] = self.sort_name
        return out


def _key(word: str) -> str:
    return normalise(word.replace(".", " "))


def strip_titles(text: str) -> tuple[tuple[str, ...], str]:
    """Honorifics and ranks written before a name, and the name: 'H.E. Sheikh Khalifa' ->
    (('H.E.', 'Sheikh'), 'Khalifa'). A lone word is never taken for a title."""
    words = text.replace("\u00a0", " ").split()
    titles: list[str] = []
    while len(words) > 1:
        for size in range(min(_LEADING_LONGEST, len(words) - 1), 0, -1):
            if _key(" ".join(words[:size])) in _LEADING:
                titles.append(" ".join(words[:size]))
                words = words[size:]
                break
        else:
            break
    return tuple(titles), " ".join(words).strip(" ,;")


def _is_particle(word: str) -> bool:
    key = _key(word)
    return key in PARTICLES or bool(re.match(r"^(al|el|as|ad|ar|ash|an|az|at)-", word, re.IGNORECASE))


# A peer written by their title ('Lord Ahmad of Wimbledon', 'Baroness Chapman of Darlington'):
# the title is the name by which they are known, so it stays whole, sorted and known by the name
# after the rank.
PEERAGE = re.compile(r"^(Lord|Lady|Baroness|Baron|Viscount|Viscountess|Earl|Countess)\s+([^\s,()]+)(?:\s+of\s+(.+))?$")


def parse(text: str, country: str | None = None) -> Name:
    """The parts of a name as written (titles first are dropped, but a peer's rank is part of
    their name); ``country`` (ISO alpha-2) says whether the family name comes first."""
    peer = PEERAGE.match(" ".join(text.split()))
    if peer:
        territory = f" of {peer.group(3)}" if peer.group(3) else ""
        return Name(peer.group(0), None, peer.group(2), f"{peer.group(2)}{territory}, {peer.group(1)}")
    titles, name = strip_titles(" ".join(text.split()))
    words = name.split()
    if not words:
        return Name(name, None, None, name, titles)
    suffix = ""
    if len(words) > 2 and _key(words[-1]) in ("jr", "sr", "jnr", "snr"):  # Ferdinand Marcos Jr.
        suffix, words = f" {words[-1]}", words[:-1]
    if len(words) == 1:
        return Name(name, None, None, name, titles)
    if _ROMAN.match(words[-1]) and len(words) <= 3:  # Abdullah II, Charles III
        return Name(name, None, None, name, titles)
    if country in FAMILY_FIRST:
        family, given = words[0], " ".join(words[1:])
        return Name(name, given, family, f"{family}, {given}", titles)
    keys = [_key(w) for w in words]
    # The family name starts at the first particle after the given name (von der Leyen, al-Sudani,
    # Al Thani), otherwise it is the last word.
    start = len(words) - 1
    k = start - 1
    while k >= 1 and _is_particle(words[k]) and keys[k] not in NASAB:
        start = k
        k -= 1
    if keys[start - 1] in NASAB:
        # "Yusuf bin Alawi bin Abdallah": a chain of fathers' names, no family name.
        return Name(name, None, None, name, titles)
    family = " ".join(words[start:])
    given = " ".join(words[:start])
    return Name(name, given or None, family, f"{family}, {given}{suffix}" if given else family, titles)


def part_key(word: str) -> str:
    """A name part as names compare it: 'ibn', 'bn' and 'b' are 'bin' (son of); 'al-Saud',
    'Al-Saud' and 'al Saud' (as two parts) are 'saud', 'al' being a particle."""
    key = re.sub(r"^(?:al|el)-", "", _key(word).replace(" ", "-"))
    return "bin" if key in NASAB - {"bint", "binti"} else key


def ascii_words(text: str) -> list[str]:
    """The lower-case ASCII words of a text, any script transliterated: 'Сергей Лавров' ->
    ['sergey', 'lavrov']; apostrophes join ('O'Brien' -> 'obrien'), '&' is 'and'."""
    from anyascii import anyascii

    ascii_text = anyascii(text.replace("&", " and ")).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).split()


def text_id(text: str, limit: int = ID_LENGTH) -> str:
    """An id from any text, the one way ids are spelled: its ASCII words joined by hyphens, cut
    at a word to at most ``limit`` characters ('' when the text has no letter or digit)."""
    words = ascii_words(text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    if not out and words:
        out = words[0][:limit]
    return out


def bare(name: str) -> str:
    """A person's name as ids are made from it: without the honorifics and ranks before it, nor
    middle initials ('H.E. Sheikh Khalifa bin Hamad Al Thani' -> 'Khalifa bin Hamad Al Thani';
    'Mikhail S. Gorbachev' -> 'Mikhail Gorbachev')."""
    _titles, name = strip_titles(" ".join(name.split()))
    tokens = name.split()
    last = len(tokens) - 1
    return " ".join(t for i, t in enumerate(tokens) if not (0 < i < last and re.fullmatch(r"[A-Z]\.", t)))


def person_id(name: str, limit: int = ID_LENGTH) -> str:
    """The id of a person from their name, everywhere kb makes one (`kb new person`, every
    import): 'H.E. Sheikh Khalifa bin Hamad Al Thani' -> 'khalifa-bin-hamad-al-thani';
    'Сергей Лавров' -> 'sergey-lavrov'. Applied to its own result it gives it back."""
    return text_id(romanised(bare(name)), limit) or "person"


def org_id(name: str, limit: int = ID_LENGTH) -> str:
    """The id of an organisation from its name: every word kept ('Ministry of Foreign Affairs'
    -> 'ministry-of-foreign-affairs'; 'Crown Prince Court' keeps its 'Crown Prince')."""
    return text_id(name, limit) or "organisation"


def known_as(name: str, country: str | None = None) -> str:
    """The name a meeting's id is made from: the family name ('Al Thani', 'von der Leyen'), else
    the whole name without titles (a mononym, a regnal or a nasab-only name)."""
    parsed = parse(name, country)
    return parsed.family or parsed.name or name


def meeting_id(date: object, names: list[str]) -> str:
    """'2024-07-13-naqvi-blome': the date as far as known ('undated' when None), then the names
    (family names, as ``known_as`` gives them), at most 100 characters."""
    day = str(date).rstrip("~?") if date is not None else "undated"
    parts = [day] + [part for part in (text_id(romanised(bare(n)), 40) for n in names) if part]
    return "-".join(parts)[:100].rstrip("-")


# --- matching across scripts and spellings -------------------------------------------------------

_DIGRAPHS = (
    ("kh", "k"),
    ("gh", "g"),
    ("ch", "k"),
    ("sh", "s"),
    ("zh", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("bh", "b"),
    ("ck", "k"),
    ("ts", "s"),
    ("ks", "s"),
    ("x", "s"),
)
# One letter for sounds that scripts and spellings exchange: q/k/c, z/j/s (Hindi writes z as j),
# p/f/v/w/b, r/l (Japanese and Korean have one of them).
_CLASSES = str.maketrans({"q": "k", "c": "k", "z": "s", "j": "s", "p": "b", "f": "b", "v": "b", "w": "b", "r": "l"})
_DROP = re.compile(r"[aeiouyh]")
_IGNORED = NASAB | {
    "al",
    "el",
    "bn",
    "ibn",
    "von",
    "van",
    "der",
    "de",
    "da",
    "la",
    "le",
    "du",
    "di",
    "den",
    "syed",
    "sayed",
    "sayyid",
    "sheikh",
    "shaikh",
    "mian",
}
# Muhammad, written before the name by which a person is known ("Muhammad Ishaq Dar").
_MUHAMMAD = "md"


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


@lru_cache(maxsize=1 << 15)
def parts(text: str) -> tuple[str, ...]:
    """The name's parts that identify it, transliterated to lower-case ASCII: titles, particles
    and nasab words left out ('Sheikh Khalifa bin Hamad Al Thani' -> khalifa, hamad, thani)."""
    _titles, name = strip_titles(text)
    ascii_text = romanised(name)
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    words = [re.sub(r"^(al|el)(?=[a-z]{3})", "", w) if not _latin(name) else w for w in words]
    kept = [w for w in words if w not in _IGNORED and len(w) > 1]
    return tuple(kept or words)


def romanised(name: str) -> str:
    """A name in Latin letters (anyascii), apostrophes dropped; Chinese, Japanese or Korean
    written without spaces ('習近平' -> 'XiJinPing') is split after the family name: 'Xi JinPing'."""
    from anyascii import anyascii

    ascii_text = anyascii(name).replace("'", "").replace("’", "")
    if _cjk_joined(name) and len(re.split(r"[\s\-·・]+", ascii_text.strip())) == 1:
        syllables = re.findall(r"[A-Z][a-z]*", ascii_text)
        if len(syllables) > 1:
            ascii_text = f"{syllables[0]} {''.join(syllables[1:])}"
    return ascii_text


def _cjk_joined(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in text)


@lru_cache(maxsize=1 << 15)
def skeleton(part: str) -> str:
    """A part's consonant skeleton: transliteration variants meet ('naqvi', 'nakvi', 'nqwy' ->
    'nkb'; 'mohsin', 'mhsn', 'muhsin' -> 'msn')."""
    text = re.sub(r"(?<=[aeiou])j$", "y", part)  # Sergej, Siergiej
    text = re.sub(r"c(?=[eiy])", "s", text)  # a soft c: Cecilia; Tamil 'mohcin'
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    text = _DROP.sub("", text).translate(_CLASSES)
    return re.sub(r"(.)\1+", r"\1", text)


def _vowels(part: str) -> str:
    """The vowels of a Latin spelling in the classes transliterations exchange: a/e/i/y and
    o/u ('Mohsin', 'Muhsin', 'Mohsen'; 'Sergei', 'Sergey'), but not a and o ('Blame', 'Blome')."""
    text = re.sub(r"gu(?=[ei])", "g", part)  # French Serguei
    text = re.sub(r"ou", "u", text)
    return "".join("i" if c in "aeiy" else "u" for c in text if c in "aeiouy")


# Given names that are one name in two languages ('Yitzhak' is Hebrew for 'Isaac'): as near as a
# transliteration, a reason to propose a pair (kb dedupe), never to take one name for the other.
_ONE_NAME = {"yitzhak": "isaac", "yitzchak": "isaac", "itzhak": "isaac"}


def _part_score(a: str, b: str, across: bool) -> float:
    from rapidfuzz.distance import JaroWinkler

    sa, sb = skeleton(a), skeleton(b)
    if a != b and _ONE_NAME.get(a, a) == _ONE_NAME.get(b, b):
        return 0.9
    if not across:
        # Two Latin spellings: the same part, or a transliteration variant (the same consonant
        # skeleton and vowels that transliterations exchange), never a mere typo ('Blame').
        if a == b:
            return 1.0
        return JaroWinkler.similarity(a, b) if sa == sb and len(sa) >= 2 and _vowels(a) == _vowels(b) else 0.0
    if len(sa) < 2 or len(sb) < 2:
        return 1.0 if sa == sb else 0.0
    score = JaroWinkler.similarity(sa, sb)
    return max(score, 0.85) if score >= 0.9 else 0.0


_ABD = re.compile(r"^abd(?:[aeu]l)?(?=[a-z]{3})")


def joined_parts(words: list[str]) -> list[str]:
    """Name parts (lower-case ASCII words) with an Arabic 'servant of' name as one part, however
    it is split or joined: 'Abd al Aziz', 'Abd-al-Aziz', 'Abdul Aziz', 'Abdel Aziz' and 'Abdulaziz'
    are each ['abdaziz']; other words are kept as they are."""
    out: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        if word in ("abd", "abdul", "abdel", "abdal") and position + 1 < len(words):
            position += 1
            if word == "abd" and words[position] in ("al", "el", "ul") and position + 1 < len(words):
                position += 1
            word = "abd" + words[position]
        out.append(_ABD.sub("abd", word))
        position += 1
    return out


def part_alike(a: str, b: str) -> bool:
    """One name part written two ways: one letter apart ('Pitsuwa', 'Pitsuwan'; 'Said', 'Saud';
    'Mohamed', 'Mohammed'), two apart in parts of seven letters or more ('Liqiang', 'Keqiang'; not
    'Qiang', 'Keqiang'), or an article written joined ('Elaraby', 'al-Araby')."""
    from rapidfuzz.distance import Levenshtein

    if a == b:
        return True
    bare = [re.sub(r"^(?:al|el)(?=[a-z]{4})", "", x) for x in (a, b)]
    if bare[0] == bare[1]:
        return True
    shortest, distance = min(len(a), len(b)), Levenshtein.distance(a, b)
    return shortest >= 4 and (distance <= 1 or (distance <= 2 and shortest >= 7))


def score(a: str, b: str) -> float:
    """How surely two written names are one person's, 0 to 1. The first parts must match, the
    last parts must match, and every other part of the shorter name must match a part of the
    longer one in the same order (a longer name may have more middle names): so 'Mohsin Raza
    Naqvi' is 'Mohsin Naqvi', but 'Hamad bin Khalifa Al Thani' is not 'Khalifa bin Hamad Al
    Thani', and a name of one part (a surname alone) matches nothing."""
    pa, pb = parts(a), parts(b)
    if len(pa) > len(pb):
        pa, pb = pb, pa
    if len(pa) < 2 or len(pb) > len(pa) + 2:
        return 0.0
    across = not (_latin(a) and _latin(b))
    first = _part_score(pa[0], pb[0], across)
    # (Hamad has Muhammad's skeleton too, once its h is dropped: only an m-word is Muhammad)
    if not first and len(pb) > len(pa) and skeleton(pb[0]) == _MUHAMMAD and pb[0].startswith("m"):
        pb = pb[1:]
        first = _part_score(pa[0], pb[0], across)
    last = _part_score(pa[-1], pb[-1], across)
    if not first or not last:
        return 0.0
    total, position = first + last, 1
    for part in pa[1:-1]:
        for j in range(position, len(pb) - 1):
            found = _part_score(part, pb[j], across)
            if found:
                total, position = total + found, j + 1
                break
        else:
            return 0.0
    return total / len(pa)


def block_keys(text: str) -> frozenset[tuple[str, str]] | None:
    """Keys that a Latin name shares with every name ``score`` or ``starts`` could match it to:
    the skeletons of its first and last parts (and of the part after a leading Muhammad), since
    two Latin spellings match only part by part with the same skeleton. None when the name
    cannot be narrowed down so (another script, or a nasab chain that ``starts`` reads): compare
    it with every name. An empty set: a name of one part, which matches nothing by spelling."""
    if not _latin(text) or NASAB & {_key(w) for w in text.split()}:
        return None
    found = parts(text)
    if len(found) < 2:
        return frozenset()
    keys = {(skeleton(found[0]), skeleton(found[-1]))}
    if skeleton(found[0]) == _MUHAMMAD and len(found) > 2:
        keys.add((skeleton(found[1]), skeleton(found[-1])))
    return frozenset(keys)


def same(a: str, b: str, threshold: float = 0.85) -> bool:
    return score(a, b) >= threshold


def starts(query: str, name: str) -> bool:
    """A name given without its family name but with its father's ('Khalifa bin Hamad' for
    'Khalifa bin Hamad Al Thani'): the query's parts (two at least) begin the name's, in order."""
    if not NASAB & {_key(w) for w in query.split()}:
        return False
    pq, pn = parts(query), parts(name)
    across = not (_latin(query) and _latin(name))
    return 2 <= len(pq) < len(pn) and all(_part_score(q, n, across) for q, n in zip(pq, pn, strict=False))


def best_matches(query: str, named) -> list[str]:
    """The ids among ``named`` ((id, [names]) pairs) whose names ``query`` writes in another
    script or spelling, best first; ids tied for the best score all come back (the caller
    lists them as ambiguous)."""
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", query.strip()):
        return []  # an id, mistyped: suggested, never guessed
    scored: dict[str, float] = {}
    for ident, written in named:
        for name in written:
            found = score(query, name) or (0.86 if starts(query, name) else 0.0)
            if found >= 0.85 and found > scored.get(ident, 0.0):
                scored[ident] = found
    if not scored:
        return []
    top = max(scored.values())
    return sorted(i for i, s in scored.items() if s >= top - 0.02)
