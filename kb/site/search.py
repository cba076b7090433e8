"""The site's search index, written as a script (``search-index.js``) so that search works from
``file://``, where a page cannot fetch.

Its items are those `kb search` ranks (each meeting, outcome, claim, quote, note and source, as
kb/store/index.py's ``documents()`` makes them), tokenised by SQLite itself as that index is
(kb/store/index.py's ``vocabulary()``): per item its length in tokens, per stemmed term its postings
in each column, and every word of the records as written with its stem. The browser (site.js)
ranks by the same bm25: FTS5's k1 and b, kb/query/search.py's column and kind weights, all written
here. It is built from the audience's copy of the records only, so its statistics are those of the
audience's own `kb search` index. People, organisations, countries and topics keep an entry each,
found by name (folded as kb.model.text.normalise folds names).

Numbers are written as base-32 digit strings (:func:`encode`), a third of the size of JSON arrays.

Format 3 (for results that read like results, and facets) adds to each meeting's entry: its
counterparts' names and the names of those met in person, as numbers into the index's ``names``;
its topics, as numbers into ``topics`` (labels); and per item (the meeting first) the text a
result's snippet is cut from (:func:`snippets`: an item's own words, at most SNIPPET
characters), each text its words (split at spaces) as numbers into ``words``, the most frequent
first, and the texts of a meeting joined by spaces (:func:`pack`): a quarter of the size of the
texts themselves. Countries' names are in ``countries``. All of it is read off the audience's copy.
"""

from __future__ import annotations

import json
from collections import Counter

from kb.model import countries
from kb.model.text import normalise
from kb.query import scope
from kb.site.pages import href

# A number is its base-32 digits, most significant first: the last digit from LAST, the others from MORE.
LAST = "0123456789abcdefghijklmnopqrstuv"
MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
FORMAT = 3
# The most of an item's text a result shows (the browser cuts a window around the first match).
SNIPPET = 240


def _digits(number: int) -> str:
    digits = [LAST[number & 31]]
    number >>= 5
    while number:
        digits.append(MORE[number & 31])
        number >>= 5
    return "".join(reversed(digits))


_SMALL = [_digits(number) for number in range(1 << 15)]


def encode(numbers) -> str:
    small = _SMALL
    return "".join(small[n] if n < 32768 else _digits(n) for n in numbers)


def _postings(pairs: list[tuple[int, int]]) -> str:
    """[(item, times), ...] in item order -> each as (item - previous item) * 2 + (times > 1),
    followed by times - 2 when times > 1."""
    numbers, previous = [], 0
    for item, times in pairs:
        numbers.append((item - previous) * 2 + (times > 1))
        if times > 1:
            numbers.append(times - 2)
        previous = item
    return encode(numbers)


def _cut(text) -> str:
    text = " ".join(str(text or "").split())
    if len(text) <= SNIPPET:
        return text
    cut = text.rfind(" ", 0, SNIPPET)
    return text[: cut if cut > SNIPPET // 2 else SNIPPET] + "…"


def snippets(data: dict) -> list[str]:
    """Per item of a meeting's data, in the order of ``documents()``' rows (the meeting, its
    outcomes, claims, quotes, notes, sources), the text a result's snippet is cut from: the
    meeting's summary, an item's own text, a source's publisher and title; at most SNIPPET
    characters, cut at a word."""
    found = [_cut(data.get("summary"))]
    for key in ("outcomes", "claims", "quotes", "notes"):
        found.extend(_cut(item.get("text")) for item in data.get(key, []))
    for source in data.get("sources", []):
        found.append(_cut(" ".join(str(source.get(k)) for k in ("publisher", "title") if source.get(k))))
    return found


def pack(texts_per_meeting: list[list[str]]) -> tuple[list[str], list[str]]:
    """(the words of the texts, most frequent first, then by word; per meeting its texts, each as
    the numbers of its words, joined by spaces)."""
    counts = Counter(word for texts in texts_per_meeting for text in texts if text for word in text.split(" "))
    words = sorted(counts, key=lambda word: (-counts[word], word))
    number = {word: n for n, word in enumerate(words)}
    packed = [
        " ".join(encode(number[word] for word in text.split(" ")) if text else "" for text in texts)
        for texts in texts_per_meeting
    ]
    return words, packed


def _written(word: str, stem: str) -> str | None:
    """A word as written, relative to its stem: how many of the stem's last characters it drops
    (one digit), then what follows ('happy' from 'happi': '1y'); None if it drops more than 9."""
    common, limit = 0, min(len(word), len(stem))
    while common < limit and word[common] == stem[common]:
        common += 1
    return f"{len(stem) - common}{word[common:]}" if len(stem) - common <= 9 else None


class Inputs:
    """Everything the index is made of but its vocabulary (a function of ``rows``): the
    audience's meetings as listed, in the order `kb search`'s index holds them (by file); the rows
    of ``documents()`` of each; and the pages found by name."""

    def __init__(self, site):
        from kb.store.index import KINDS, documents, names_of, rows_of_names

        kb = site.kb
        names = names_of(rows_of_names(kb))
        meetings = sorted(site.meetings, key=lambda m: m.relpath)
        per_meeting = [documents(m.relpath, m.data, names, kb.config.default_sensitivity) for m in meetings]
        self.rows = [row for rows in per_meeting for row in rows]
        sort_rank = {value: number for number, value in enumerate(sorted({row[5] for row in self.rows}))}
        self.meetings = []
        self.names: dict[str, int] = {}
        topic_numbers = {topic: number for number, topic in enumerate(kb.topics)}
        self.topics = [topic.label for topic in kb.topics.values()]
        for meeting, rows in zip(meetings, per_meeting, strict=True):
            link = href("meeting", meeting.id)
            self.meetings.append(
                [
                    # title, the page (meetings/<this>.html), date, rank of its date (newer first among
                    # equal scores, as `kb search` orders), its items after the meeting itself by kind,
                    # the outcomes' ids (their anchors), its countries (kb.query.scope's rule)
                    meeting.title,
                    link.removeprefix("meetings/").removesuffix(".html"),
                    str(meeting.date),
                    sort_rank[rows[0][5]],
                    "".join(str(KINDS.index(row[2])) for row in rows[1:]),
                    [row[3] for row in rows if row[2] == "outcome"],
                    sorted(scope.meeting_countries(kb, meeting)),
                    *self._facts(kb, meeting, topic_numbers),
                    snippets(meeting.data),
                ]
            )
        codes = sorted({code for entry in self.meetings for code in entry[6]})
        self.countries = {code: countries.name(code) or code for code in codes}
        self.pages = pages(site)

    def _facts(self, kb, meeting, topic_numbers: dict[str, int]) -> list[str]:
        """The meeting's counterparts' names, the names of those met in person, its topics:
        each as numbers (into ``names``, ``topics``)."""
        from kb.views.describe import counterpart_names

        met = [kb.people[p].name for p in scope.counterpart_people(kb, meeting) if p in kb.people]
        numbers = [
            [self.names.setdefault(name, len(self.names)) for name in names]
            for names in (counterpart_names(kb, meeting), met)
        ]
        topics = [topic_numbers[t] for t in dict.fromkeys(meeting.topic_ids) if t in topic_numbers]
        return [encode(numbers[0]), encode(numbers[1]), encode(topics)]

    def key(self) -> tuple:
        return (self.rows, self.meetings, self.pages, list(self.names), self.topics, self.countries)


def index(inputs: Inputs) -> dict:
    from kb.query.search import BM25_B, BM25_K1, KIND_WEIGHTS, WEIGHTS
    from kb.store.index import COLUMNS, KINDS, vocabulary

    sizes, postings, stems = vocabulary(inputs.rows, _postings)
    words, packed = pack([entry[10] for entry in inputs.meetings])
    written: dict[str, list[str]] = {}
    for word, stem in sorted(stems.items()):
        relative = _written(word, stem) if word != stem else None
        if relative is not None:
            written.setdefault(stem, []).append(relative)
    return {
        "format": FORMAT,
        "k1": BM25_K1,
        "b": BM25_B,
        "columns": list(COLUMNS),
        "weights": list(WEIGHTS),
        "kinds": list(KINDS),
        "kindWeights": [KIND_WEIGHTS.get(kind, 1.0) for kind in KINDS],
        "meetings": [[*entry[:10], packed[n]] for n, entry in enumerate(inputs.meetings)],
        "words": words,
        "names": list(inputs.names),
        "topics": inputs.topics,
        "countries": inputs.countries,
        "sizes": encode(sizes),
        "terms": {term: " ".join(columns).rstrip(" ") for term, columns in sorted(postings.items())},
        "written": {stem: " ".join(words) for stem, words in written.items()},
        "pages": inputs.pages,
    }


def pages(site) -> list[dict]:
    """An entry per person, organisation, country and topic: its name(s) folded ("n") and what
    else finds it ("x": roles, country)."""
    kb = site.kb
    found = []
    for person in sorted(kb.people.values(), key=lambda p: p.id):
        names = [person.name, *(a.name for a in person.aliases if not a.weak)]
        text = " ".join([*names, *(r.title for r in person.roles), countries.name(person.country()) or ""])
        found.append(
            {
                "k": "person",
                "t": person.name,
                "u": href("person", person.id),
                "n": " ".join(normalise(n) for n in names),
                "x": normalise(text),
                "c": [person.country()] if person.country() else [],
            }
        )
    for org in sorted(kb.orgs.values(), key=lambda o: o.id):
        names = org.matching_names()
        found.append(
            {
                "k": "org",
                "t": org.name,
                "u": href("org", org.id),
                "n": " ".join(normalise(n) for n in names),
                "x": normalise(" ".join(names)),
                "c": [org.country()] if org.country() else [],
            }
        )
    for code in site.countries:
        name = countries.name(code) or code
        found.append(
            {
                "k": "country",
                "t": name,
                "u": href("country", code),
                "n": normalise(f"{name} {code}"),
                "x": normalise(f"{name} {code}"),
                "c": [code],
            }
        )
    for topic in kb.topics.values():
        found.append(
            {
                "k": "topic",
                "t": topic.label,
                "u": href("topic", topic.id),
                "n": normalise(topic.label),
                "x": normalise(" ".join([topic.label, *topic.synonyms])),
                "c": [],
            }
        )
    return found


def index_script(inputs: Inputs) -> str:
    data = json.dumps(index(inputs), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot end a script element that holds this text; JSON allows "<\/".
    return "window.KB_INDEX = " + data.replace("</", "<\\/") + ";\n"
