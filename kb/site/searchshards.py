"""The search index's vocabulary in shards: one per meeting, kept between builds, merged into the
one index.

A meeting's shard is what SQLite's tokenizers (kb.store.index's ``tokens``, the only source of
tokens, so that the browser ranks as `kb search` does) make of its rows of ``documents()``: each
row's number of tokens (encoded), per column each term's postings in the meeting (its first row and
times, the rest encoded as the index writes them, its last row: row numbers counted from the
meeting's first row) and each word as written with its stem. A shard is kept by the hash of the
meeting's rows, so a build tokenises only the meetings whose rows changed.

Merging shards is linear and tokenises nothing: row numbers are shifted by the rows before, a
term's postings are joined with one number re-encoded at each join (the gap from the last row of
the shard before), and the words are united. Meetings are merged in blocks (a block ends at a
meeting whose path's CRC is a multiple of BLOCK, so a meeting added or removed moves no other
block's bounds), each block kept by its meetings' keys, and the blocks into the index: an edit
re-merges one block. Any way of merging gives the bytes of the index made in one go.
"""

from __future__ import annotations

import hashlib
import marshal
import zlib

from kb.site.search import _SMALL, _digits

BLOCK = 32
FORMAT = 1
COLUMNS = 4

# A shard: (rows, sizes encoded, per column {term: (first row, times, the rest encoded, last row)},
# {word as written: its stem}).
Shard = tuple[int, str, tuple[dict[str, tuple[int, int, str, int]], ...], dict[str, str]]


def version() -> str:
    """What every kept shard depends on but its rows: kb's code and SQLite's tokenizers."""
    import sqlite3

    from kb.store.cache import code_stamp

    return f"{FORMAT} {sqlite3.sqlite_version} {code_stamp()}"


def _number(n: int) -> str:
    return _SMALL[n] if n < 32768 else _digits(n)


def _gap(gap: int, times: int) -> str:
    """One posting as the index encodes it: its distance from the one before, and its times."""
    if times > 1:
        return _number(gap * 2 + 1) + _number(times - 2)
    return _number(gap * 2)


def tokenise(per_meeting: list[list[tuple]]) -> list[Shard]:
    """The shard of each meeting (its rows), SQLite tokenising them all in one go."""
    from kb.store import index

    rows = [row for rows in per_meeting for row in rows]
    starts: list[int] = []
    owner: list[int] = []
    for number, rows_of in enumerate(per_meeting):
        starts.append(len(owner))
        owner.extend([number] * len(rows_of))
    sizes, postings, written = index.tokens(rows, owner)
    stems = index.stems_of(list(written))
    columns: list[tuple[dict, ...]] = [tuple({} for _c in range(COLUMNS)) for _m in per_meeting]
    for term, per_column in postings.items():
        for column, pairs in enumerate(per_column):
            if pairs:
                _split(term, column, pairs, owner, starts, columns)
    words: list[dict[str, str]] = [{} for _m in per_meeting]
    for word, meetings in written.items():
        for meeting in meetings:
            words[meeting][word] = stems[word]
    return [
        (len(rows_of), _encode(sizes[starts[n] : starts[n] + len(rows_of)]), columns[n], words[n])
        for n, rows_of in enumerate(per_meeting)
    ]


def _split(term: str, column: int, pairs: list[tuple[int, int]], owner: list[int], starts: list[int], into) -> None:
    """A term's postings in a column ([(row, times)] by row) cut at the meetings' bounds, each part
    put into its meeting's shard (``into``) as a shard holds it."""
    small = _SMALL
    current = owner[pairs[0][0]]
    first, first_times = pairs[0]
    previous = first
    rest: list[str] = []
    for row, times in pairs[1:]:
        meeting = owner[row]
        if meeting != current:
            base = starts[current]
            into[current][column][term] = (first - base, first_times, "".join(rest), previous - base)
            current, first, first_times, rest = meeting, row, times, []
        else:
            n = (row - previous) * 2
            if times > 1:
                rest.append(_number(n + 1) + _number(times - 2))
            else:
                rest.append(small[n] if n < 32768 else _digits(n))
        previous = row
    base = starts[current]
    into[current][column][term] = (first - base, first_times, "".join(rest), previous - base)


def _encode(numbers: list[int]) -> str:
    return "".join(_number(n) for n in numbers)


def merge(shards: list[Shard]) -> Shard:
    """One shard of ``shards`` in order: the rows of each after those of the ones before."""
    base = 0
    sizes: list[str] = []
    words: dict[str, str] = {}
    merged: list[dict[str, list]] = [{} for _c in range(COLUMNS)]
    for rows, encoded, columns, written in shards:
        sizes.append(encoded)
        words.update(written)
        for column, terms in zip(merged, columns, strict=True):
            for term, (first, times, rest, last) in terms.items():
                found = column.get(term)
                if found is None:
                    column[term] = [first + base, times, [rest], last + base]
                else:
                    found[2].append(_gap(first + base - found[3], times))
                    found[2].append(rest)
                    found[3] = last + base
        base += rows
    columns = tuple(
        {term: (first, times, "".join(rest), last) for term, (first, times, rest, last) in column.items()}
        for column in merged
    )
    return base, "".join(sizes), columns, words


def postings(shard: Shard) -> dict[str, str]:
    """Each term's postings as the index writes them: per column from row 0, the columns joined by
    spaces (the trailing ones left out when empty)."""
    found: dict[str, list[str]] = {}
    for column, terms in enumerate(shard[2]):
        for term, (first, times, rest, _last) in terms.items():
            found.setdefault(term, [""] * COLUMNS)[column] = _gap(first, times) + rest
    return {term: " ".join(columns).rstrip(" ") for term, columns in found.items()}


def key(rows: list[tuple]) -> str:
    """A meeting's shard's key: the hash of its rows."""
    return hashlib.blake2b(marshal.dumps(rows, 2), digest_size=16).hexdigest()


def blocks(paths: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each block of meetings (by their files, in the index's order)."""
    found, start = [], 0
    for number, path in enumerate(paths):
        if zlib.crc32(path.encode("utf-8")) % BLOCK == 0:
            found.append((start, number + 1))
            start = number + 1
    if start < len(paths):
        found.append((start, len(paths)))
    return found


class Kept:
    """The shards of a build, by key: each meeting's (marshalled and compressed) and each block's
    (marshalled). ``State`` keeps them, sealed, in a file of their own (:meth:`dump`)."""

    def __init__(self, meetings: dict[str, bytes] | None = None, blocks: dict[str, bytes] | None = None):
        self.meetings = meetings or {}
        self.blocks = blocks or {}
        self.tokenised: list[str] = []  # the files of the meetings this build tokenised

    def dump(self) -> bytes:
        return marshal.dumps((version(), self.meetings, self.blocks))

    @classmethod
    def load(cls, body) -> Kept:
        """The shards of ``body`` (authenticated: this user's kb wrote it), none when written by
        another version of kb or SQLite, or not readable."""
        try:
            written, meetings, blocks = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return cls()
        ok = written == version() and isinstance(meetings, dict) and isinstance(blocks, dict)
        return cls(meetings, blocks) if ok else cls()

    def whole(self, paths: list[str], per_meeting: list[list[tuple]], keys: list[str]) -> tuple[Kept, Shard]:
        """(what to keep for the next build, the shard of every meeting: its files ``paths``, their
        rows and the rows' ``keys``), from the shards kept where the rows are as they were."""
        spans = [(start, end, _block_key(keys[start:end])) for start, end in blocks(paths)]
        needed = sorted(
            {n for start, end, block in spans if block not in self.blocks for n in range(start, end)}
            - {n for n, k in enumerate(keys) if k in self.meetings}
        )
        made = dict(zip(needed, tokenise([per_meeting[n] for n in needed]), strict=True))
        blobs = {n: zlib.compress(marshal.dumps(shard), 1) for n, shard in made.items()}
        now = Kept()
        now.tokenised = [paths[n] for n in needed]
        parts = []
        for start, end, block in spans:
            if block in self.blocks:
                now.blocks[block] = self.blocks[block]
                now.meetings.update(
                    (keys[n], self.meetings[keys[n]]) for n in range(start, end) if keys[n] in self.meetings
                )
                parts.append(marshal.loads(self.blocks[block]))
                continue
            shards = []
            for n in range(start, end):
                shard = made.get(n)
                if shard is None:
                    shard = marshal.loads(zlib.decompress(self.meetings[keys[n]]))
                    now.meetings[keys[n]] = self.meetings[keys[n]]
                else:
                    now.meetings[keys[n]] = blobs[n]
                shards.append(shard)
            part = merge(shards)
            now.blocks[block] = marshal.dumps(part)
            parts.append(part)
        return now, merge(parts)


def vocabulary(inputs, kept: Kept | None) -> tuple[Kept, Shard]:
    """(what to keep, the shard of every meeting) of a search.Inputs, from the shards ``kept``;
    kept shards that cannot be read are not used."""
    try:
        return (kept or Kept()).whole(inputs.paths, inputs.per_meeting, inputs.keys)
    except (ValueError, TypeError, KeyError, IndexError, EOFError, zlib.error):
        return Kept().whole(inputs.paths, inputs.per_meeting, inputs.keys)


def _block_key(keys: list[str]) -> str:
    return hashlib.blake2b(" ".join(keys).encode("ascii"), digest_size=16).hexdigest()
