"""Full-text search over the index (kb/store/index.py): what the user typed -> ranked hits.

The query is a list of words (all must match, in any field) and "quoted phrases"; a word ending
in ``*`` matches as a prefix. Words are matched stemmed and without accents (``extradite`` finds
"extradition", ``Chargé`` finds "charge"), and ranked by bm25 with the title weighing most, then
the participants (their names and aliases), then the rest. When no item matches by words, the
terms are looked for as substrings (the trigram tables: part of a word, text in a script written
without spaces); terms of one or two characters (a two-character Chinese name) by a plain scan.

Only the FTS tables of the reader's level are queried: an item marked above it is not in them, so
it is never a hit, never counted, never quoted in a snippet and never weighs in the ranking.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from kb.errors import KBError
from kb.model.records import SENSITIVITY_ORDER
from kb.query.audience import rank
from kb.store.index import COLUMNS, KINDS

BM25_K1, BM25_B = 1.2, 0.75  # the constants of SQLite FTS5's bm25(), for a ranking computed elsewhere (the site's)
WEIGHTS = (10.0, 5.0, 4.0, 1.0)  # columns: title, participants, topics (a meeting's), body
# Kinds of item, most telling first: a meeting (its title, participants and summary) above its
# outcomes, claims and quotes, above notes, above sources. Scores are bm25's times these.
KIND_WEIGHTS = {"meeting": 4.0, "outcome": 2.0, "claim": 1.5, "quote": 1.5, "note": 1.0, "source": 0.5}
_KIND_CASE = "CASE d.kind " + " ".join(f"WHEN '{k}' THEN {w}" for k, w in KIND_WEIGHTS.items()) + " ELSE 1.0 END"
OPEN, CLOSE = "\x02", "\x03"  # around each matched word in a snippet, until the output marks it
SNIPPET_WORDS = 16


MAX_TERMS = 64  # every term must match: a longer query finds nothing, and FTS5 refuses deep ones
MAX_PHRASE_WORDS = 64


class QueryError(KBError, ValueError):
    """A search query that has nothing to look for."""


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


def terms(query: str) -> list[Term]:
    """'"law enforcement" extradit*' -> [Term('law enforcement'), Term('extradit', prefix=True)]."""
    found = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        if phrase:
            text, prefix = " ".join(phrase.split()), False
        else:
            prefix = word.endswith("*")
            # Only letters, digits and the joiners inside words; FTS5 syntax is never passed through.
            text = " ".join(re.findall(r"\w+", word))
        if text and Term(text, prefix) not in found:  # a word given twice is looked for once
            found.append(Term(text, prefix))
    if not found:
        raise QueryError(f"nothing to search for in '{query}'; give one or more words, e.g. kb search extradition")
    longest = max(len(term.text.split()) for term in found)
    if len(found) > MAX_TERMS or longest > MAX_PHRASE_WORDS:
        raise QueryError(
            f"the query has {len(found)} different words or phrases (the longest of {longest} words); kb "
            f"looks for at most {MAX_TERMS}, each of at most {MAX_PHRASE_WORDS} words, all of which must "
            'match: search for the few words that matter, or a short "quoted phrase"'
        )
    return found


def _quoted(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


@dataclass
class Hit:
    kind: str
    meeting: str
    item: str | None
    date: str
    title: str
    snippet: str  # with OPEN/CLOSE around the matched words
    score: float

    @property
    def ref(self) -> str:
        if self.kind == "meeting":
            return self.meeting
        return f"{self.meeting}#{self.item}" if self.kind == "outcome" else f"{self.meeting}#{self.kind}-{self.item}"


def level_of(audience: str | None) -> int:
    """The FTS tables a reader at ``audience`` searches: everything when there is no audience."""
    return rank(audience) if audience else len(SENSITIVITY_ORDER) - 1


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    audience: str | None = None,
    kinds=None,
    meetings: set[str] | None = None,
    limit: int = 20,
) -> tuple[list[Hit], int]:
    """The best ``limit`` hits and how many there are in all, within what ``audience`` may read,
    of the given ``kinds`` of item and (when given) in ``meetings``."""
    wanted = terms(query)
    level = level_of(audience)
    where, params = _restrictions(conn, kinds, meetings)
    found = _fts(conn, f"words{level}", " ".join(_quoted(t) for t in wanted), where, params, limit)
    if found[1]:
        return found
    if all(len(t.text) >= 3 for t in wanted):
        # Inside words: the trigram table finds the items, which are then ranked as the scan ranks
        # them (bm25 over a table shared by every level would weigh withheld items).
        match = " ".join(_quoted(Term(t.text)) for t in wanted)
        return _scan(
            conn,
            wanted,
            level,
            where + " AND d.rowid IN (SELECT rowid FROM grams WHERE grams MATCH ?)",
            params + [match],
            limit,
            verify=False,
        )
    return _scan(conn, wanted, level, where, params, limit)


def _restrictions(conn, kinds, meetings) -> tuple[str, list]:
    where, params = [], []
    if kinds:
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise QueryError(f"--kind: no kind '{unknown[0]}'; use one of {', '.join(KINDS)}")
        where.append(f"d.kind IN ({','.join('?' * len(kinds))})")
        params += list(kinds)
    if meetings is not None:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.wanted")
        conn.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", [(m,) for m in meetings])
        where.append("d.meeting IN (SELECT id FROM temp.wanted)")
    return "".join(f" AND {w}" for w in where), params


def _fts(conn, table, match, where, params, limit) -> tuple[list[Hit], int]:
    base = f"FROM {table} f JOIN docs d ON d.rowid = f.rowid WHERE {table} MATCH ?{where}"
    # Without restrictions the FTS table counts its matches alone, without a join.
    counting = base if where else f"FROM {table} WHERE {table} MATCH ?"
    try:
        total = conn.execute(f"SELECT count(*) {counting}", [match, *params]).fetchone()[0]
        if not total:
            return [], 0
        rows = conn.execute(
            f"SELECT d.rowid, d.kind, d.meeting, d.item, d.date, d.heading, "
            f"bm25({table}, {', '.join(map(str, WEIGHTS))}) * {_KIND_CASE} AS score "
            f"{base} ORDER BY score, d.sort DESC, d.rowid LIMIT ?",
            [match, *params, limit],
        ).fetchall()
        snippets = _snippets(conn, table, match, [row[0] for row in rows])
    except sqlite3.OperationalError as error:  # a query FTS5 cannot parse: treat as no match
        if "fts5" in str(error) or "syntax" in str(error):
            return [], 0
        raise
    return [
        Hit(kind, meeting, item, date, title, snippets.get(rowid, ""), round(-score, 3))
        for rowid, kind, meeting, item, date, title, score in rows
    ], total


# The field a snippet quotes, most telling first: what the item says (a meeting's summary, an
# outcome's text), then its title, then who took part; the topics' synonyms only when nothing else matched.
SNIPPET_COLUMNS = (3, 0, 1, 2)


def _snippets(conn, table: str, match: str, rowids: list[int]) -> dict[int, str]:
    """Each item's snippet (for the shown hits alone): the first field of SNIPPET_COLUMNS where a
    term matched, from the reader's own FTS table (it holds no item above the reader)."""
    if not rowids:
        return {}
    calls = ", ".join(f"snippet({table}, {c}, '{OPEN}', '{CLOSE}', '…', {SNIPPET_WORDS})" for c in SNIPPET_COLUMNS)
    rows = conn.execute(
        f"SELECT rowid, {calls} FROM {table} WHERE {table} MATCH ? AND rowid IN ({','.join('?' * len(rowids))})",
        [match, *rowids],
    ).fetchall()
    return {rowid: next((t for t in texts if t and OPEN in t), texts[0] or "") for rowid, *texts in rows}


def _scan(
    conn, wanted: list[Term], level: int, where: str, params: list, limit: int, verify: bool = True
) -> tuple[list[Hit], int]:
    """Items holding every term as a substring of a field (``verify``; else ``where`` already says
    which), ranked by where the first term is (title, participants, topics, elsewhere), then by
    kind of item (as for words), newest first."""
    clauses, values = ["1"], []
    for term in wanted if verify else ():
        pattern = "%" + term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(" + " OR ".join(f"d.{c} LIKE ? ESCAPE '\\'" for c in COLUMNS) + ")")
        values += [pattern] * len(COLUMNS)
    first = wanted[0].text.lower()
    base = f"FROM docs d WHERE d.marking <= ? AND {' AND '.join(clauses)}{where}"
    total = conn.execute(f"SELECT count(*) {base}", [level, *values, *params]).fetchone()[0]
    rows = conn.execute(
        f"SELECT d.kind, d.meeting, d.item, d.date, d.heading, d.title, d.participants, d.topics, d.body, "
        f"(instr(lower(d.title), ?) > 0) * 8 + (instr(lower(d.participants), ?) > 0) * 4 "
        f"+ (instr(lower(d.topics), ?) > 0) * 2 AS weight "
        f"{base} ORDER BY weight DESC, {_KIND_CASE} DESC, d.sort DESC, d.rowid LIMIT ?",
        [first, first, first, level, *values, *params, limit],
    ).fetchall()
    hits = []
    for kind, meeting, item, date, heading, *fields, weight in rows:
        # the body first, as for words (SNIPPET_COLUMNS)
        fields = [fields[c] for c in SNIPPET_COLUMNS]
        text = next((t for t in fields if t and wanted[0].text.casefold() in t.casefold()), fields[0] or "")
        hits.append(Hit(kind, meeting, item, date, heading, _mark(text, [t.text for t in wanted]), float(weight)))
    return hits, total


def _mark(text: str, needles: list[str]) -> str:
    """A window of ``text`` around the first needle, every needle marked."""
    folded = text.casefold()
    at = min((folded.find(n.casefold()) for n in needles if n.casefold() in folded), default=0)
    start = max(0, at - 40)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    window = text[start : at + 80]
    for needle in sorted(set(needles), key=len, reverse=True):
        window = re.sub(re.escape(needle), lambda m: OPEN + m.group(0) + CLOSE, window, flags=re.IGNORECASE)
    return ("…" if start else "") + window + ("…" if at + 80 < len(text) else "")
