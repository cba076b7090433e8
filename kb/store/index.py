"""The search index: an SQLite database in the cache folder, with FTS5 tables over every
searchable item of every meeting (the meeting itself, its outcomes, claims, quotes, notes and
sources).

One row per item in ``docs`` (its text, its meeting, and its effective marking: the higher of its
own and its meeting's, the meeting's being ``default_sensitivity`` when it has none). The text is
indexed twice: with unicode61 (diacritics removed) and the Porter stemmer, for words, and with
the trigram tokenizer, for substrings and scripts without spaces between words. Ranking must not
depend on what a reader may not see (bm25 weighs a word by how many items hold it), so each of the
five TLP levels has its own pair of FTS tables holding only the items at or below it; the text
itself is stored once (external-content tables over ``docs``).

The index is kept in step with the files: each file's size and modification time are recorded,
and a search first compares them with the files on disk. A file modified less than two seconds
before it was indexed could change again within the same clock tick, keeping its size and time
("racy git"): the content hash of what was indexed is kept for such files, and searches compare it
with the file until the file has aged. Changed, new or removed meetings are
re-indexed one by one (only those files are read); a change to anything else the index depends
on (people, organisations, topics, kb.yaml, or kb's own code) rebuilds it from the record cache.
A damaged or foreign index file is rebuilt; a rebuild writes a new file and renames it into
place, so a concurrent search sees the old index or the new one.

The index is in the knowledge base (``.kb-cache/``), where anyone who can push can plant a file,
so it is never trusted by itself: after every write, kb seals the file's identity (device, inode,
size, modification and change times) in ``search.seal`` with the user's key, as the record cache
seals its shards. An index whose seal is absent, forged or stale (a committed, copied, damaged or
replaced file), one that is not a plain file, or one beside a journal kb did not leave, is rebuilt
before SQLite opens it; without a key or a usable cache folder the search runs on an index in
memory.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import stat as stat_
import struct
import time
from pathlib import Path
from stat import S_ISREG

from kb.model.records import SENSITIVITY_ORDER, rank

FILE = "search.sqlite"
FORMAT = "1"
LEVELS = range(len(SENSITIVITY_ORDER))
WORDS = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "participants", "topics", "body")
KINDS = ("meeting", "outcome", "claim", "quote", "note", "source")

_SCHEMA = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE names(kind TEXT, id TEXT, label TEXT, names TEXT, PRIMARY KEY(kind, id))",
    """CREATE TABLE docs(rowid INTEGER PRIMARY KEY, relpath TEXT NOT NULL, meeting TEXT NOT NULL,
       kind TEXT NOT NULL, item TEXT, date TEXT, sort TEXT, marking INTEGER NOT NULL, heading TEXT,
       title TEXT, participants TEXT, topics TEXT, body TEXT)""",
    "CREATE INDEX docs_relpath ON docs(relpath)",
    "CREATE INDEX docs_meeting ON docs(meeting)",
]
for _level in LEVELS:
    _SCHEMA.append(
        f"CREATE VIRTUAL TABLE words{_level} USING fts5(title, participants, topics, body, "
        f"content='docs', content_rowid='rowid', tokenize='{WORDS}')"
    )
# Substrings are found, not ranked by bm25 (kb/query/search.py): one trigram table serves every level.
_SCHEMA.append(
    "CREATE VIRTUAL TABLE grams USING fts5(title, participants, topics, body, "
    "content='docs', content_rowid='rowid', tokenize='trigram')"
)


SEAL = "search.seal"
SEAL_HEADER = b"kb-search-seal\n"
_IDENTITY = struct.Struct("=qqqqq")
# SQLite's companions of a database file: a journal left beside it is played into it on opening.
COMPANIONS = ("-journal", "-wal", "-shm")


def path_of(root: Path) -> Path:
    from kb.store.cache import FOLDER

    return Path(root) / FOLDER / FILE


def _identity(target: Path) -> bytes | None:
    """The packed identity of the index file, or None when it is not a plain file (a link)."""
    try:
        st = os.lstat(target)
    except OSError:
        return None
    if not stat_.S_ISREG(st.st_mode):
        return None
    return _IDENTITY.pack(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _seal(target: Path) -> None:
    """Record, under the user's key, that the index file as it is now is one kb wrote."""
    from kb.store.cache import write_sealed

    identity = _identity(target)
    if identity is None:
        return
    try:
        write_sealed(target.parent / SEAL, SEAL_HEADER, identity)
    except OSError:
        pass  # unsealed: the next search rebuilds it


def _trusted(target: Path) -> bool:
    """Whether the index file is the one kb last sealed, with no journal beside it."""
    from kb.store.cache import read_sealed

    identity = _identity(target)
    if identity is None or any(os.path.lexists(f"{target}{suffix}") for suffix in COMPANIONS):
        return False
    return read_sealed(target.parent / SEAL, SEAL_HEADER) == identity


def _discard(target: Path) -> None:
    """Remove the companions of an index about to be replaced, and anything but a plain file in
    its place (a link is removed, never followed)."""
    doomed: tuple[str, ...] = COMPANIONS
    if os.path.lexists(target) and _identity(target) is None:
        doomed = ("", *COMPANIONS)
    for path in (f"{target}{suffix}" for suffix in doomed):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            import shutil

            shutil.rmtree(path, ignore_errors=True)


def _stamp() -> str:
    import sys

    from kb.store.cache import code_stamp

    return f"{FORMAT}:{sqlite3.sqlite_version}:{sys.version_info[:2]}:{code_stamp()}"


def _stats(root: Path, listing=None) -> dict[str, tuple[str, int, int]]:
    """relpath -> (kind, size, mtime_ns) of every file the knowledge base holds, as
    kb.store.files.walk finds them for every command (records in subfolders too), but the
    decisions file and stray files, which the index never reads; (kind, -1, -1) when it is not a
    plain file (it is then never read, and counts as changed until it is one). ``listing``: the
    cache.Listing this run took of ``root``, when it has one."""
    from kb.store.cache import Listing
    from kb.store.files import STRAY

    listing = listing if listing is not None else Listing(root)
    with memoryview(listing.stamps) as view, view.cast("q") as fields:
        modes, sizes, mtimes = fields[0::5].tolist(), fields[1::5].tolist(), fields[2::5].tolist()
    return {
        relpath: (kind, sizes[number], mtimes[number])
        if modes[number] >= 0 and S_ISREG(modes[number])
        else (kind, -1, -1)
        for number, (relpath, kind) in enumerate(listing.walked)
        if kind not in (STRAY, "decisions")
    }


# ---- items of a meeting -----------------------------------------------------------------------


def _text(*parts) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


def documents(relpath: str, data: dict, names: dict, default_sensitivity: str) -> list[tuple]:  # long: field by field
    """The rows of ``docs`` for one meeting's data (without rowid). ``names`` maps ("person", id),
    ("org", id) and ("topic", id) to the text a search finds them by (names and aliases)."""
    from kb.model.dates import PartialDate

    meeting = data["id"]
    date = str(data.get("date", ""))
    parsed = PartialDate.try_parse(data.get("date"))
    sort = "-".join(f"{n:04d}" for n in parsed.sort_key()) if parsed else ""
    meeting_rank = rank(data.get("sensitivity") or default_sensitivity)
    title = data.get("title", "")

    def who(ref) -> str:
        if not isinstance(ref, str):
            return ""
        return names.get(("person", ref)) or names.get(("org", ref)) or ref

    participants = []
    for participant in data.get("participants", []):
        participants.append(
            _text(
                who(participant.get("person")),
                who(participant.get("org")),
                participant.get("title"),
                participant.get("name"),
            )
        )
    location = data.get("location") or {}
    agenda = " ".join(str(a) for a in data.get("agenda", []) if isinstance(a, str))
    topics = " ".join(names.get(("topic", t), t) for t in data.get("topics", []))
    rows = [
        (
            relpath,
            meeting,
            "meeting",
            None,
            date,
            sort,
            meeting_rank,
            title,
            title,
            " ; ".join(participants),
            topics,
            _text(data.get("summary"), agenda, location.get("place"), who(data.get("host"))),
        )
    ]

    def add(kind, item, own, party_text, body):
        marking = max(meeting_rank, rank(own) if own else meeting_rank)
        rows.append((relpath, meeting, kind, item, date, sort, marking, title, "", party_text, "", body))

    for outcome in data.get("outcomes", []):
        parties = [who(r) for key in ("by", "to") for r in outcome.get(key, [])]
        parties.append(who(outcome.get("owner")))
        updates = " ".join(_text(u.get("status"), u.get("note")) for u in outcome.get("updates", []))
        # The parties' names weigh as body text: an owner named in every outcome must not outrank
        # what the outcome says.
        add(
            "outcome",
            outcome.get("id"),
            outcome.get("sensitivity"),
            "",
            _text(outcome.get("text"), updates, outcome.get("kind"), *parties),
        )
    for number, claim in enumerate(data.get("claims", []), 1):
        add("claim", str(number), claim.get("sensitivity"), who(claim.get("by")), _text(claim.get("text")))
    for number, quote in enumerate(data.get("quotes", []), 1):
        add("quote", str(number), quote.get("sensitivity"), who(quote.get("speaker")), _text(quote.get("text")))
    for number, note in enumerate(data.get("notes", []), 1):
        add("note", str(number), note.get("sensitivity"), "", _text(note.get("text")))
    for number, source in enumerate(data.get("sources", []), 1):
        add(
            "source",
            str(number),
            None,
            "",
            _text(
                source.get("publisher"),
                source.get("title"),
                source.get("url"),
                source.get("document"),
                source.get("note"),
            ),
        )
    return rows


def names_of(name_rows: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], str]:
    """The ``names`` argument of :func:`documents`, from :func:`rows_of_names`."""
    return {(kind, ident): text for kind, ident, _label, text in name_rows}


def rows_of_names(kb) -> list[tuple[str, str, str, str]]:
    """(kind, id, label, the text a search finds it by) of every person, organisation and topic."""
    rows = []
    for person in kb.people.values():
        # an alias marked above CLEAR finds nothing: the index serves readers of every level (an
        # alias without a marking is read as the name is, by everyone: kb.query.audience's rule)
        aliases = [a.name for a in person.aliases if rank(a.sensitivity or "CLEAR") == 0]
        rows.append(("person", person.id, person.name, _text(person.name, *aliases)))
    for org in kb.orgs.values():
        rows.append(("org", org.id, org.name, _text(*org.matching_names())))
    for topic in kb.topics.values():
        rows.append(("topic", topic.id, topic.label, _text(topic.label, *topic.synonyms)))
    return rows


# ---- the vocabulary, for a search run elsewhere (the site's) -------------------------------------


def tokens(
    rows: list[tuple], groups: list[int]
) -> tuple[list[int], dict[str, list[list[tuple[int, int]]]], dict[str, list[int]]]:
    """What bm25 needs of ``rows`` (of :func:`documents`) as this index tokenises them: each row's
    number of tokens; each term (stemmed, as a search matches it) with its postings in each
    column, [(row number, times), ...] by row; and each word as written (folded, not stemmed) with
    the ``groups`` it is in (``groups`` holds each row's), in no order (:func:`stems_of` gives each
    its term). All come from SQLite's own tokenizers: they are the words a search finds. The
    tables keep no copy of the text (``content=''``), nor each row's size (``columnsize=0``: the
    sizes are counted from the postings), and the words as written keep no column or position
    (``detail=none``): only their vocabularies are read."""
    conn = sqlite3.connect(":memory:")
    try:
        sizes, postings = _postings(conn, rows)
        written = _written(conn, rows, groups)
    finally:
        conn.close()
    return sizes, postings, written


def _postings(conn: sqlite3.Connection, rows: list[tuple]) -> tuple[list[int], dict[str, list[list[tuple[int, int]]]]]:
    """Each row's number of tokens and each term's postings in each column (see :func:`tokens`),
    by term. A table of one column per column of the index: its vocabulary, grouped by term alone,
    comes in the order the table holds it (term, row, position), where one table of every column
    grouped by term and column was sorted again (three times as long). Each term's rows once per
    token."""
    from collections import Counter

    sizes = [0] * len(rows)
    postings: dict[str, list[list[tuple[int, int]]]] = {}
    for number, column in enumerate(COLUMNS):
        conn.execute(f"CREATE VIRTUAL TABLE {column} USING fts5(text, tokenize='{WORDS}', content='', columnsize=0)")
        conn.executemany(
            f"INSERT INTO {column}(rowid, text) VALUES (?,?)", ((n, row[8 + number]) for n, row in enumerate(rows))
        )
        conn.execute(f"CREATE VIRTUAL TABLE temp.{column}_terms USING fts5vocab(main, {column}, 'instance')")
        for term, found in conn.execute(f"SELECT term, group_concat(doc, ' ') FROM temp.{column}_terms GROUP BY term"):
            pairs = sorted(Counter(map(int, found.split())).items())
            for row, times in pairs:
                sizes[row] += times
            postings.setdefault(term, [[] for _c in COLUMNS])[number] = pairs
    return sizes, {term: postings[term] for term in sorted(postings)}


def _written(conn: sqlite3.Connection, rows: list[tuple], groups: list[int]) -> dict[str, list[int]]:
    """Each word as written (folded, not stemmed) with the groups it is in (see :func:`tokens`): the
    text of every row of a group, its columns one after the other with a space between (a
    separator to the tokenizer: no token is made of two texts), is one row of a table that keeps
    no column or position, so that its vocabulary gives each word's groups directly, in the
    table's order."""
    texts: dict[int, list[str]] = {}
    for row, group in zip(rows, groups, strict=True):
        texts.setdefault(group, []).extend(text for text in row[8:12] if text)
    plain = WORDS.removeprefix("porter ")
    conn.execute(
        f"CREATE VIRTUAL TABLE plain USING fts5(text, tokenize='{plain}', content='', columnsize=0, detail=none)"
    )
    conn.executemany(
        "INSERT INTO plain(rowid, text) VALUES (?,?)", ((group, " ".join(found)) for group, found in texts.items())
    )
    conn.execute("CREATE VIRTUAL TABLE temp.written USING fts5vocab(main, plain, 'instance')")
    return {
        term: list(map(int, found.split(",")))
        for term, found in conn.execute("SELECT term, group_concat(doc) FROM temp.written GROUP BY term")
    }


def stems_of(words: list[str]) -> dict[str, str]:
    """Each word (as the index folds it: one token) -> its term, through this index's stemmer."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE stems USING fts5(word, tokenize='{WORDS}')")
        conn.executemany("INSERT INTO stems(rowid, word) VALUES (?,?)", enumerate(words))
        conn.execute("CREATE VIRTUAL TABLE temp.stemmed USING fts5vocab(main, stems, 'instance')")
        return {words[row]: term for term, row in conn.execute("SELECT term, doc FROM temp.stemmed")}
    finally:
        conn.close()


# ---- writing ----------------------------------------------------------------------------------


def _tables(marking: int) -> list[str]:
    """The FTS tables an item with this marking belongs in."""
    return [f"words{level}" for level in range(marking, len(SENSITIVITY_ORDER))] + ["grams"]


def _save_files(conn: sqlite3.Connection, stats: dict, digests: dict[str, bytes | None]) -> None:
    """The stamps of the files indexed: one marshalled row, read back in a millisecond or two; and
    the content hashes of those that are too recent for their stamp to be trusted."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('files', ?)", (marshal.dumps(stats),))
    since = _racy_since()  # one clock reading for every file (taken first: a file at the edge is racy)
    _save_racy(conn, {relpath: digests.get(relpath) for relpath, stamp in stats.items() if stamp[2] >= since})


def _save_racy(conn: sqlite3.Connection, racy: dict[str, bytes | None]) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('racy', ?)", (marshal.dumps(racy),))


def _is_racy(stamp: tuple[str, int, int]) -> bool:
    return stamp[2] >= _racy_since()


def _racy_since() -> int:
    """The mtime (nanoseconds) from which a file is too recent for its stamp to be trusted."""
    from kb.store.cache import RACY_NS

    return max(time.time_ns() - RACY_NS + 1, 0)


def _content_digest(root: Path, relpath: str) -> bytes | None:
    """The hash of a plain file's bytes (never through a link), or None if it cannot be read."""
    from kb.store.atomic import digest

    try:
        descriptor = os.open(os.path.join(root, relpath), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return None


def _racy_changes(conn: sqlite3.Connection, root: Path, stats: dict) -> dict[str, tuple]:
    """Files whose stamp is unchanged but whose content is not what was indexed; forgets the
    hashes of files that have aged since."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
    racy = marshal.loads(row[0]) if row else {}
    if not racy:
        return {}
    changed = {
        relpath: stats[relpath]
        for relpath, known in racy.items()
        if relpath in stats and (known is None or _content_digest(root, relpath) != known)
    }
    still = {relpath: known for relpath, known in racy.items() if relpath in stats and _is_racy(stats[relpath])}
    if not changed and still != racy:
        try:
            _save_racy(conn, still)
            _seal(path_of(root))
        except sqlite3.OperationalError:
            pass  # read-only or busy: compared again next time
    return changed


def _save_broken(conn: sqlite3.Connection, paths: set[str]) -> None:
    """The files that could not be read (and so are not in the index), for the search to say so."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('broken', ?)", ("\n".join(sorted(paths)),))


def broken(conn: sqlite3.Connection) -> list[str]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'broken'").fetchone()
    return row[0].split("\n") if row and row[0] else []


def _insert(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Add rows to ``docs`` and each to the FTS tables of the levels that may see it."""
    for row in rows:
        cursor = conn.execute(
            "INSERT INTO docs(relpath, meeting, kind, item, date, sort, marking, heading, title, participants, topics, body)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            row,
        )
        rowid, marking, text = cursor.lastrowid, row[6], row[8:12]
        for table in _tables(marking):
            conn.execute(
                f"INSERT INTO {table}(rowid, title, participants, topics, body) VALUES (?,?,?,?,?)", (rowid, *text)
            )


def _remove(conn: sqlite3.Connection, relpath: str) -> None:
    old = conn.execute(
        "SELECT rowid, marking, title, participants, topics, body FROM docs WHERE relpath = ?", (relpath,)
    ).fetchall()
    for rowid, marking, *text in old:
        for table in _tables(marking):
            conn.execute(
                f"INSERT INTO {table}({table}, rowid, title, participants, topics, body) "
                "VALUES ('delete', ?, ?, ?, ?, ?)",
                (rowid, *text),
            )
    conn.execute("DELETE FROM docs WHERE relpath = ?", (relpath,))


def _fill(conn: sqlite3.Connection, kb, stats: dict) -> None:
    """Everything, from a loaded knowledge base, into an empty index."""
    name_rows = rows_of_names(kb)
    names = names_of(name_rows)
    conn.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows)
    meetings = list(kb.meetings.values()) + [b for _a, b in kb.duplicates if b.kind == "meeting"]
    default = kb.config.default_sensitivity
    rows = [row for m in meetings for row in documents(m.relpath, m.data, names, default)]
    conn.executemany(
        "INSERT INTO docs(relpath, meeting, kind, item, date, sort, marking, heading, title, participants, topics, body)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    for level in LEVELS:
        conn.execute(
            f"INSERT INTO words{level}(rowid, title, participants, topics, body) "
            "SELECT rowid, title, participants, topics, body FROM docs WHERE marking <= ?",
            (level,),
        )
    conn.execute("INSERT INTO grams(grams) VALUES ('rebuild')")
    _save_files(conn, stats, kb.digests)
    from kb.model.findings import ERROR

    _save_broken(conn, {f.path for f in kb.load_findings if f.severity == ERROR})
    meta = {
        "stamp": _stamp(),
        "default_sensitivity": default,
        "brief_audience": kb.config.brief_audience or "",
        "our_side": kb.our_side,
    }
    conn.executemany("INSERT INTO meta VALUES (?,?)", list(meta.items()))


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        conn.execute(statement)


def build_memory(kb) -> sqlite3.Connection:
    """An index of ``kb`` in memory, written nowhere (for --no-cache)."""
    conn = sqlite3.connect(":memory:")
    _create(conn)
    _fill(conn, kb, {})
    conn.commit()
    return conn


def rebuild(root: Path, stats: dict | None = None, kb=None) -> None:
    """Write a new index file from the record cache and rename it into place."""
    import tempfile

    from kb.store.cache import cache_folder
    from kb.store.loader import load

    root = Path(root)
    if stats is None:
        stats = _stats(root)  # taken before reading, so an edit made meanwhile is seen next time
    if kb is None:
        kb = load(root, use_cache=True)

    if cache_folder(root) is None:
        raise OSError("the cache folder cannot be used")  # the caller searches in memory
    target = path_of(root)
    descriptor, temporary = tempfile.mkstemp(prefix=".search.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            _create(conn)
            _fill(conn, kb, stats)
            conn.commit()
        finally:
            conn.close()
        _discard(target)  # and any journal beside it, which SQLite would play into the new file
        os.replace(temporary, target)
        _seal(target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _update(conn: sqlite3.Connection, root: Path, changed: dict, gone: list[str], stats: dict) -> None:
    """Re-index changed or new meetings and drop removed ones, in one transaction."""
    from kb.store import files
    from kb.store.reading import load_compiled_schemas

    if changed:
        load_compiled_schemas(root)  # the schemas' checks as stored, not compiled again for one file
    names = {(kind, ident): text for kind, ident, text in conn.execute("SELECT kind, id, names FROM names")}
    default = conn.execute("SELECT value FROM meta WHERE key = 'default_sensitivity'").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        unreadable = set(broken(conn)) - set(gone) - set(changed)
        row = conn.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
        digests = marshal.loads(row[0]) if row else {}
        for relpath in gone:
            _remove(conn, relpath)
        for relpath, (kind, _size, _mtime) in changed.items():
            _remove(conn, relpath)
            result, _st, digests[relpath] = files.read_file_stamped(root, relpath, kind)
            if result.valid and result.data is not None:
                _insert(conn, documents(relpath, result.data, names, default))
            else:
                unreadable.add(relpath)
        _save_broken(conn, unreadable)
        _save_files(conn, stats, digests)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _seal(path_of(root))


def open_index(root: Path, listing=None) -> sqlite3.Connection:
    """The index of the knowledge base at ``root``, brought up to date with its files."""
    root = Path(root)
    target = path_of(root)
    stats = _stats(root, listing)  # taken before reading, as rebuild's
    for _attempt in range(3):
        conn = _connect(target)
        if conn is not None:
            try:
                stamp = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
                known = marshal.loads(conn.execute("SELECT value FROM meta WHERE key = 'files'").fetchone()[0])
            except (sqlite3.DatabaseError, TypeError, ValueError, EOFError):
                stamp, known = None, {}
            if stamp and stamp[0] == _stamp():
                changed = _racy_changes(conn, root, stats)
                if known == stats and not changed:  # the usual case, compared in C
                    return conn
                changed.update((relpath, now) for relpath, now in stats.items() if known.get(relpath) != now)
                gone = [relpath for relpath in known if relpath not in stats]
                if not changed and not gone:
                    return conn
                if all(now[0] == "meeting" for now in changed.values()) and all(
                    known[relpath][0] == "meeting" for relpath in gone
                ):
                    try:
                        _update(conn, root, changed, gone, stats)
                        return conn
                    except sqlite3.OperationalError:
                        pass  # locked or damaged: rebuild below
            conn.close()
        try:
            rebuild(root, stats)
        except OSError:
            break  # a read-only knowledge base, a full disk: search an index in memory instead
    from kb.store.loader import load

    return build_memory(load(root, use_cache=True))


def _connect(target: Path) -> sqlite3.Connection | None:
    """A connection to the index file, when it is the one kb sealed; None otherwise."""
    from kb.store.cache import cache_folder

    if cache_folder(target.parent.parent, create=False) is None or not _trusted(target):
        return None
    try:
        conn = sqlite3.connect(target, timeout=10, isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError:
        return None
