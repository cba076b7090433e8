"""The site's search index, written as a script (``search-index.js``) so that search works from
``file://``, where a page cannot fetch.

Its items are those `kb search` ranks (each meeting, outcome, claim, quote, note and source, as
kb/store/index.py's ``documents()`` makes them), tokenised by SQLite itself as that index is
(kb/store/index.py's ``tokens()``, meeting by meeting: kb/site/searchshards.py): per item its
length in tokens, per stemmed term its postings in each column, and every word of the records as
written with its stem. The browser (site.js)
ranks by the same bm25: FTS5's k1 and b, kb/query/search.py's column and kind weights, all written
here. It is built from the audience's copy of the records only, so its statistics are those of the
audience's own `kb search` index. People, organisations, countries and topics keep an entry each,
found by name (folded as kb.model.text.normalise folds names).

Numbers are written as base-32 digit strings (kb.site.searchshards' ``encode``), a third of the size
of JSON arrays.

Format 3 (for results that read like results, and facets) adds to each meeting's entry: its
counterparts' names and the names of those met in person, as numbers into the index's ``names``;
its topics, as numbers into ``topics`` (labels); and per item (the meeting first) the text a
result's snippet is cut from (:func:`snippets`: an item's own words, at most SNIPPET
characters), each text its words (split at spaces) as numbers into ``words``, the most frequent
first, and the texts of a meeting joined by spaces (:func:`pack`): a quarter of the size of the
texts themselves. Countries' names are in ``countries``. All of it is read off the audience's copy.

A build after an edit does the work of the meetings that changed: what the index reads of each
meeting (:class:`Inputs`' facts) is kept by its file's content hash while nothing else it depends
on moved, the words' counts and each meeting's packed texts are kept (:func:`repack`), and the
vocabulary is merged from the meetings' shards (kb.site.searchshards). The bytes are those of a
build from nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from itertools import chain, islice

from kb.model import countries
from kb.model.text import normalise
from kb.query import scope
from kb.site.pages import href
from kb.site.searchshards import encode, numbers_in

FORMAT = 3
# The most of an item's text a result shows (the browser cuts a window around the first match).
SNIPPET = 240
# How many of a list's items (or a dict's keys) search-index.js is written in a part.
BATCH = 2048
# How many meetings' rows, read for their facts, are held for their shards (the first read).
READ = 256


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
    _counts, words, packed = _pack(texts_per_meeting)
    return words, packed


def _pack(texts_per_meeting: list[list[str]]) -> tuple[dict[str, int], list[str], list[str]]:
    # each text's words (no text holds two spaces in a row: ``_cut``), counted a text at a time:
    # every word of every text in one list would take a word object each
    counts = Counter(chain.from_iterable(text.split(" ") for texts in texts_per_meeting for text in texts if text))
    words = sorted(counts, key=lambda word: (-counts[word], word))
    code = {word: encode([n]) for n, word in enumerate(words)}.__getitem__
    packed = [
        " ".join("".join(map(code, text.split(" "))) if text else "" for text in texts) for texts in texts_per_meeting
    ]
    return dict(counts), words, packed


def repack(texts: dict[str, list[str] | None], fresh: set[str], last, old_texts) -> tuple[list[str], list[str], tuple]:
    """:func:`pack` of ``texts`` (by file, in order; None: as then) from ``last``: (every word's
    count, the words in order, each file's packed texts) as a build packed them, ``old_texts`` a
    file's texts then. The files in ``fresh`` are those whose texts may have changed since; the
    counts move by what they and the files gone held, and a file's texts are packed again only
    when they changed or a word in them has another number now. Returns (words, packed, what to
    keep next); KeyError or TypeError when a text as then is not to be had."""

    def text_of(path: str) -> list[str]:
        found = texts[path]
        return found if found is not None else old_texts(path)

    if last is None or any(path not in last[2] for path in texts.keys() - fresh):
        counts, words, packed = _pack([text_of(path) for path in texts])
        return words, packed, (counts, words, dict(zip(texts, packed, strict=True)))
    if texts.keys() == last[2].keys() and all(texts[path] == old_texts(path) for path in fresh):
        return last[1], [last[2][path] for path in texts], last  # no text changed: all as then, kept as it is
    counts = Counter(last[0])
    for path in (last[2].keys() - texts.keys()) | (fresh & last[2].keys()):
        counts.subtract(word for text in old_texts(path) if text for word in text.split(" "))
    counts.update(word for path in fresh for text in text_of(path) if text for word in text.split(" "))
    counts = Counter({word: count for word, count in counts.items() if count > 0})
    words = sorted(counts, key=lambda word: (-counts[word], word))
    before = {word: number for number, word in enumerate(last[1])}
    # the number then -> the number now of each word whose number moved: the texts of a file as
    # then are packed again by putting the one for the other
    moved = {
        encode([before[word]]): encode([number])
        for number, word in enumerate(words)
        if before.get(word, number) != number
    }
    code = {word: encode([n]) for n, word in enumerate(words)}.__getitem__
    packed = []
    for path in texts:
        if path in fresh:
            packed.append(" ".join("".join(map(code, text.split(" "))) if text else "" for text in text_of(path)))
        elif moved and not moved.keys().isdisjoint(numbers_in(last[2][path])):
            packed.append(_renumbered(last[2][path], moved))
        else:
            packed.append(last[2][path])
    return words, packed, (dict(counts), words, dict(zip(texts, packed, strict=True)))


def _renumbered(packed: str, moved: dict[str, str]) -> str:
    """A file's texts as packed, each number in ``moved`` put for the one it maps."""
    return " ".join("".join([moved.get(number, number) for number in numbers_in(text)]) for text in packed.split(" "))


def _written(word: str, stem: str) -> str | None:
    """A word as written, relative to its stem: how many of the stem's last characters it drops
    (one digit), then what follows ('happy' from 'happi': '1y'); None if it drops more than 9."""
    common, limit = 0, min(len(word), len(stem))
    while common < limit and word[common] == stem[common]:
        common += 1
    return f"{len(stem) - common}{word[common:]}" if len(stem) - common <= 9 else None


class Inputs:
    """Everything the index is made of but its vocabulary (a function of the rows of
    ``documents()`` of each meeting): the audience's meetings as listed, in the order `kb search`'s
    index holds them (by file), what the index reads of each (``facts``) and the pages found by
    name. ``known``: the facts of some meetings, by file, as an earlier build found them (for files
    as they are now, with everything else they depend on the same: the records of people and
    organisations, the meetings shown, kb.yaml, topics.yaml, the audience, kb's code). ``packed``:
    the snippets as that build packed them and a function of a file its texts then (``repack``)."""

    def __init__(self, site, known: dict[str, tuple] | None = None, packed: tuple | None = None):
        kb = site.kb
        self._packed = packed
        self.packing: tuple | None = None  # the snippets packed by :meth:`pack`, to keep
        self._kb = kb
        self._meetings = sorted(site.meetings, key=lambda m: m.relpath)
        self._names: dict | None = None
        self._read: dict[int, list[tuple]] = {}  # rows read for facts, held for the shard (``rows``)
        self.paths = [m.relpath for m in self._meetings]
        known = known or {}
        topic_numbers = {topic: number for number, topic in enumerate(kb.topics)}
        self.facts = {}  # each meeting's (``_facts``), by file
        self.fresh: set[str] = set()  # the files whose facts were worked out afresh
        for number, meeting in enumerate(self._meetings):
            found = known.get(meeting.relpath)
            if found is None:
                found = self._facts(number, topic_numbers)
                self.fresh.add(meeting.relpath)
            self.facts[meeting.relpath] = found
        facts = list(self.facts.values())
        self.keys = [fact[0] for fact in facts]  # each meeting's shard's (kb.site.searchshards)
        sort_rank = {value: number for number, value in enumerate(sorted({fact[1] for fact in facts}))}
        self.names: dict[str, int] = {}
        self.meetings = []
        for _key, sort, *shown, counterparts, met, topics, texts in facts:
            numbers = [
                [self.names.setdefault(name, len(self.names)) for name in names] for names in (counterparts, met)
            ]
            # title, the page (meetings/<this>.html), date, rank of its date (newer first among
            # equal scores, as `kb search` orders), its items after the meeting itself by kind, the
            # outcomes' ids (their anchors), its countries (kb.query.scope's rule), its counterparts'
            # names and those met in person (as numbers into ``names``), its topics, its texts
            self.meetings.append(
                [*shown[:3], sort_rank[sort], *shown[3:], *map(encode, numbers), encode(topics), texts]
            )
        self.topics = [topic.label for topic in kb.topics.values()]
        codes = sorted({code for entry in self.meetings for code in entry[6]})
        self.countries = {code: countries.name(code) or code for code in codes}
        self.pages = pages(site)

    def pack(self) -> tuple[list[str], list[str]]:
        """:func:`pack` of the meetings' texts, from those packed before when given."""
        texts = {path: entry[10] for path, entry in zip(self.paths, self.meetings, strict=True)}
        last, old_texts = self._packed or (None, None)
        try:
            words, packed, self.packing = repack(texts, self.fresh, last, old_texts)
        except (KeyError, TypeError, ValueError, IndexError):  # what was kept does not fit: all afresh
            for number, (path, found) in enumerate(texts.items()):
                if found is None:  # facts kept without their texts
                    texts[path] = snippets(self._meetings[number].data)
            words, packed, self.packing = repack(texts, self.fresh, None, None)
        self._packed = None  # the last build's packing, no longer needed
        return words, packed

    def forget_rows(self) -> None:
        """Let go of what the meetings' rows were read with (once the vocabulary is made)."""
        self._names = None
        self._read.clear()

    def rows(self, number: int) -> list[tuple]:
        """The rows of ``documents()`` of the meeting ``number`` (in ``paths``), read afresh each time
        they are asked for (for its facts, then for its shard), but those of the first meetings
        whose facts were read (READ), held for their shard once: every meeting's, held from one
        to the other, would be tens of megabytes, and reading them again costs little."""
        from kb.store.index import documents, names_of, rows_of_names

        found = self._read.pop(number, None)
        if found is not None:
            return found
        if self._names is None:
            self._names = names_of(rows_of_names(self._kb))
        meeting = self._meetings[number]
        return documents(meeting.relpath, meeting.data, self._names, self._kb.config.default_sensitivity)

    def _facts(self, number: int, topic_numbers: dict[str, int]) -> tuple:
        """What the index reads of a meeting: the key of its rows, their sort date, its title, page,
        date, items after itself by kind, outcomes' ids, countries, counterparts' names, the names
        of those met in person, its topics (as numbers into ``topics``) and ``snippets``."""
        from kb.site import searchshards
        from kb.store.index import KINDS
        from kb.views.describe import counterpart_names

        kb, meeting, rows = self._kb, self._meetings[number], self.rows(number)
        if len(self.fresh) < READ:  # an edit's meetings: their shards are likely to be made
            self._read[number] = rows
        met = [kb.people[p].name for p in scope.counterpart_people(kb, meeting) if p in kb.people]
        topics = [topic_numbers[t] for t in dict.fromkeys(meeting.topic_ids) if t in topic_numbers]
        return (
            searchshards.key(rows),
            rows[0][5],
            meeting.title,
            href("meeting", meeting.id).removeprefix("meetings/").removesuffix(".html"),
            str(meeting.date),
            "".join(str(KINDS.index(row[2])) for row in rows[1:]),
            [row[3] for row in rows if row[2] == "outcome"],
            sorted(scope.meeting_countries(kb, meeting)),
            counterpart_names(kb, meeting),
            met,
            topics,
            snippets(meeting.data),
        )

    def key(self) -> tuple:
        return (self.keys, self.meetings, self.pages, list(self.names), self.topics, self.countries)


def index_parts(inputs: Inputs, vocabulary=None) -> Iterator[bytes]:
    """``search-index.js`` of ``inputs`` in parts (UTF-8), joined the text of one ``json.dumps`` of
    the whole index (keys sorted, no spaces, ``</`` written ``<\\/``), never the whole of it in
    memory: each field, each batch of a list's items or a dict's keys, dumped on its own.
    ``vocabulary`` is the shard of all its meetings (kb.site.searchshards), made afresh when not
    given; its postings are used up as they are written."""
    from kb.site import searchshards

    if vocabulary is None:
        vocabulary = searchshards.vocabulary(inputs, None)[1]
    fields = _fields(inputs, vocabulary)
    yield b"window.KB_INDEX = {"
    for number, name in enumerate(sorted([*fields, "terms"])):
        yield f"{',' if number else ''}{_dumps(name)}:".encode()
        if name == "terms":
            yield from _batches(searchshards.terms(vocabulary), "{}")
        else:
            value = fields.pop(name)  # let go of each field once written
            if isinstance(value, dict):
                yield from _batches(sorted(value.items()), "{}")
            elif isinstance(value, list):
                yield from _batches(value, "[]")
            else:
                yield _dumps(value).encode("utf-8")
    yield b"};\n"


def _fields(inputs: Inputs, vocabulary) -> dict:
    """Every field of the index but its postings (``terms``)."""
    from kb.query.search import BM25_B, BM25_K1, KIND_WEIGHTS, WEIGHTS
    from kb.store.index import COLUMNS, KINDS

    words, packed = inputs.pack()
    written: dict[str, list[str]] = {}
    for word, stem in sorted(vocabulary[3].items()):
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
        "sizes": vocabulary[1],
        "written": {stem: " ".join(words) for stem, words in written.items()},
        "pages": inputs.pages,
    }


# json.dumps with these arguments makes an encoder each call: one, made once
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps(value) -> str:
    # "</" cannot end a script element that holds this text; JSON allows "<\/". A part is whole
    # values (with their separators), so no "</" spans two parts.
    return _JSON.encode(value).replace("</", "<\\/")


def _batches(items, brackets: str) -> Iterator[bytes]:
    """A list's items (or a dict's (key, value) pairs, in order) as JSON, BATCH at a time: each
    batch dumped in one go (a list of them, or a dict of the pairs: their keys in order, sorted
    again as they are), its brackets left out."""
    yield brackets[0].encode()
    pairs = brackets == "{}"
    items = iter(items)
    lead = ""
    while batch := list(islice(items, BATCH)):
        yield (lead + _dumps(dict(batch) if pairs else batch)[1:-1]).encode("utf-8")
        lead = ","
    yield brackets[1].encode()


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
