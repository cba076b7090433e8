"""The search index's vocabulary in shards: one per block of meetings, kept between builds, merged
into the one index.

A shard is what SQLite's tokenizers (kb.store.index's ``tokens``, the only source of tokens, so
that the browser ranks as `kb search` does) make of some meetings' rows of ``documents()``: each
row's number of tokens (encoded), per column each term's postings (its first row and times, the
rest encoded as the index writes them, its last row: row numbers counted from the shard's first
row) and each word as written with its stem.

Merging shards is linear and tokenises nothing: row numbers are shifted by the rows before, a
term's postings are joined with one number re-encoded at each join (the gap from the last row of
the shard before), and the words are united. Meetings are held in blocks, and those in blocks
of blocks (a block ends at a meeting whose path's CRC is a multiple of LEVELS[level - 1], so a
meeting added or removed moves no other block's bounds), each block kept by the keys of what it
holds (a meeting's key is the hash of its rows), and the largest blocks are merged into the
index. A block of the first level not kept is made by tokenising its meetings' rows together (about
32 meetings); the others are merged from their blocks: an edit tokenises the meetings of the block
that holds its meeting and re-merges the blocks above it. Any way of merging gives the bytes of
the index made in one go.

``Kept`` also holds what search.Inputs read of each meeting and how it packed their texts, so that
a build after an edit reads only the changed meetings. It is kept, sealed with the user's key, by
kb.site.build's ``State``: a file that is not sealed, or written by another kb or SQLite, is not
read, and every meeting is tokenised again.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import zlib
from collections.abc import Iterable, Iterator

LEVELS = (32, 512)  # a block of level n ends at a meeting whose path's CRC is a multiple of LEVELS[n - 1]
FORMAT = 2
_HEAD = struct.Struct(">I")  # a kept file's head's length (Kept.parts)
_ENTRY = struct.Struct(">HI")  # a kept shard's key's length and its bytes'
FACTS = 1024  # how many meetings' facts are kept in one part of the kept file (Kept.parts)
TOKENISE = 256  # how many meetings' rows (at least: whole blocks) SQLite tokenises at once; its memory grows with them
COLUMNS = 4

# A number is its base-32 digits, most significant first: the last digit from LAST, the others from MORE.
LAST = "0123456789abcdefghijklmnopqrstuv"
MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def _digits(number: int) -> str:
    digits = [LAST[number & 31]]
    number >>= 5
    while number:
        digits.append(MORE[number & 31])
        number >>= 5
    return "".join(reversed(digits))


_SMALL = [_digits(number) for number in range(1 << 15)]


def encode(numbers) -> str:
    """Numbers as the index writes them (base-32 digit strings, kb.site.search)."""
    small = _SMALL
    return "".join(small[n] if n < 32768 else _digits(n) for n in numbers)


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
    """The shard of each of ``per_meeting`` (the rows of a meeting, or of a block's meetings one after
    the other), SQLite tokenising them all in one go."""
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


def merge(shards: Iterable[Shard]) -> Shard:
    """One shard of ``shards`` in order: the rows of each after those of the ones before (each let
    go of once merged, when they are made as they are merged)."""
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


def terms(shard: Shard) -> Iterator[tuple[str, str]]:
    """(term, its postings as the index writes them: per column from row 0, the columns joined by
    spaces, the trailing ones left out when empty), by term. The shard's postings are used up:
    each term's are let go of once given."""
    columns = shard[2]
    for term in sorted(set().union(*columns)):
        found = []
        for column in columns:
            posting = column.pop(term, None)
            found.append("" if posting is None else _gap(posting[0], posting[1]) + posting[2])
        yield term, " ".join(found).rstrip(" ")


def key(rows: list[tuple]) -> str:
    """A meeting's shard's key: the hash of its rows."""
    return hashlib.blake2b(marshal.dumps(rows, 2), digest_size=16).hexdigest()


def spans(crcs: list[int], start: int, end: int, every: int) -> list[tuple[int, int]]:
    """(start, end) of each block of the meetings from ``start`` to ``end``: a block ends at a
    meeting whose path's CRC (``crcs``) is a multiple of ``every``."""
    found = []
    for number in range(start, end):
        if crcs[number] % every == 0:
            found.append((start, number + 1))
            start = number + 1
    if start < end:
        found.append((start, end))
    return found


class Kept:
    """The shards of a build's blocks, by key (marshalled and compressed). ``State`` keeps them,
    sealed, in a file of their own (:meth:`parts`)."""

    def __init__(self, blocks: dict[str, bytes] | None = None):
        self.blocks = blocks or {}
        self.tokenised: list[str] = []  # the files of the meetings this build tokenised
        # what the index reads of each meeting (search.Inputs' facts), by file with its content
        # hash, for a build whose ``context`` (all else they depend on) is this one's
        self.context = ""
        self.facts: dict[str, tuple] = {}
        self.packing: tuple | None = None  # the snippets packed (search.repack's)

    def facts_for(self, context: str, hashes: dict) -> dict[str, tuple]:
        """The facts kept of the meetings whose files have the content ``hashes`` say, when the
        context is ``context``."""
        if not context or context != self.context:
            return {}
        return {path: fact for path, (digest, fact) in self.facts.items() if digest and digest == hashes.get(path)}

    def packed_for(self, context: str) -> tuple | None:
        """(the snippets packed, a file's texts then) for search.Inputs, in the same context."""
        if not context or context != self.context or self.packing is None:
            return None
        facts = self.facts  # not the shards, which a build lets go of once merged
        return self.packing, lambda path: facts[path][1][-1]

    def keep_facts(self, context: str, hashes: dict, inputs) -> None:
        """Keep what ``inputs`` (search.Inputs) read of each meeting and how it packed their texts."""
        self.context = context
        self.facts = {path: (hashes.get(path), fact) for path, fact in inputs.facts.items() if hashes.get(path)}
        self.packing = inputs.packing if len(self.facts) == len(inputs.facts) else None

    def parts(self) -> list[bytes]:
        """The kept file's body in parts, to be sealed and written one after the other (never
        joined, nor any large part made: the shards are written as they are held): its head's
        length and the head (the version, the context, how many parts of facts and how many
        blocks' shards follow), then each of those as its name's and bytes' lengths with its name,
        and its bytes: the snippets' packing, the facts FACTS meetings at a time, and the blocks'
        shards by key, each marshalled and compressed."""
        facts = list(self.facts.items())
        made = [zlib.compress(marshal.dumps(self.packing), 1)]
        made += [zlib.compress(marshal.dumps(facts[n : n + FACTS]), 1) for n in range(0, len(facts), FACTS)]
        head = marshal.dumps((version(), self.context, len(made), len(self.blocks)))
        found = [_HEAD.pack(len(head)), head]
        for key, blob in [*(("", blob) for blob in made), *self.blocks.items()]:
            name = key.encode("ascii")
            found += (_ENTRY.pack(len(name), len(blob)) + name, blob)
        return found

    @classmethod
    def load(cls, body) -> Kept:
        """The shards of ``body`` (authenticated: this user's kb wrote it, :meth:`parts` joined),
        none when written by another version of kb or SQLite, or not readable."""
        view = memoryview(body)
        try:
            (length,) = _HEAD.unpack_from(view, 0)
            written, context, made, count = marshal.loads(view[_HEAD.size : _HEAD.size + length])
            if written != version() or not isinstance(context, str) or made < 1:
                return cls()
            entries = _entries(view, _HEAD.size + length, made + count)
            packing = marshal.loads(zlib.decompress(entries[0][1]))
            facts: dict[str, tuple] = {}
            for _name, blob in entries[1:made]:
                facts.update(marshal.loads(zlib.decompress(blob)))
        except (EOFError, ValueError, TypeError, struct.error, zlib.error):
            return cls()
        kept = cls(dict(entries[made:]))
        kept.context, kept.facts = context, facts
        kept.packing = packing if isinstance(packing, tuple) and len(packing) == 3 else None
        return kept

    def whole(self, paths: list[str], keys: list[str], rows_of) -> tuple[Kept, Shard]:
        """(what to keep for the next build, the shard of every meeting: its files ``paths``, the
        keys of their rows, ``rows_of`` a meeting's number its rows), from the shards kept where
        the rows are as they were."""
        return _Merge(self, paths, keys, rows_of).whole()


def _entries(view: memoryview, at: int, count: int) -> list[tuple[str, bytes]]:
    """The (name, bytes) of the ``count`` parts from ``at`` in a kept file's body (Kept.parts),
    which they must end; ValueError when they do not."""
    found: list[tuple[str, bytes]] = []
    for _n in range(count):
        length, size = _ENTRY.unpack_from(view, at)
        at += _ENTRY.size
        key = str(view[at : at + length], "ascii")
        if len(key) != length or at + length + size > len(view):
            raise ValueError("a kept part is cut short")
        at += length
        found.append((key, bytes(view[at : at + size])))
        at += size
    if at != len(view):
        raise ValueError("a kept file holds more than its parts")
    return found


class _Merge:
    """One build's merge: a tree of blocks over the meetings (a block of level 1 holds meetings, one
    of level 2 blocks of level 1), each kept by the keys of what it holds; a block kept is
    reused whole, the others merged from their parts, and a block of level 1 not kept is made by
    tokenising its meetings' rows together (as one run of rows: the shard merging theirs makes)."""

    def __init__(self, old: Kept, paths: list[str], keys: list[str], rows_of):
        self.old, self.keys, self.paths, self.rows_of = old, keys, paths, rows_of
        self.crcs = [zlib.crc32(path.encode("utf-8")) for path in paths]
        self.node_keys: dict[tuple[int, int], str] = {}
        self.now = Kept()
        self.needed: list[tuple[int, int]] = []  # the blocks of level 1 to tokenise, in the order merged
        self.made: dict[int, Shard] = {}  # the shards of the next of them, tokenised, by their first meeting

    def whole(self) -> tuple[Kept, Shard]:
        top = len(LEVELS)
        tops = spans(self.crcs, 0, len(self.paths), LEVELS[-1])
        for start, end in tops:
            self._needed(top, start, end, self.needed)
        self.now.tokenised = [self.paths[n] for start, end in self.needed for n in range(start, end)]
        self.needed.reverse()  # taken from the end as they are merged
        return self.now, merge(self._shard(top, start, end) for start, end in tops)

    def _made(self, start: int) -> Shard:
        """The shard of the block of level 1 from meeting ``start``, one to tokenise: the blocks
        are merged in the order they are needed, so they are tokenised as they come, at least
        TOKENISE meetings at a time, and no more of them held at once."""
        if start not in self.made and self.needed and self.needed[-1][0] == start:
            batch: list[tuple[int, int]] = []
            while self.needed and sum(end - first for first, end in batch) < TOKENISE:
                batch.append(self.needed.pop())
            rows = [[row for number in range(*block) for row in self.rows_of(number)] for block in batch]
            self.made = dict(zip((first for first, _end in batch), tokenise(rows), strict=True))
        return self.made.pop(start)  # held by the block it goes into, no longer here

    def _children(self, level: int, start: int, end: int) -> list[tuple[int, int]]:
        if level == 1:
            return [(number, number + 1) for number in range(start, end)]
        return spans(self.crcs, start, end, LEVELS[level - 2])

    def _key(self, level: int, start: int, end: int) -> str:
        if level == 0:
            return self.keys[start]
        found = self.node_keys.get((level, start))
        if found is None:
            parts = [self._key(level - 1, *span) for span in self._children(level, start, end)]
            found = hashlib.blake2b(f"{level} {' '.join(parts)}".encode("ascii"), digest_size=16).hexdigest()
            self.node_keys[(level, start)] = found
        return found

    def _needed(self, level: int, start: int, end: int, found: list[tuple[int, int]]) -> None:
        """The blocks of level 1 to tokenise under a block: those not kept, nor in a block kept."""
        if self._key(level, start, end) in self.old.blocks:
            return
        if level == 1:
            found.append((start, end))
        else:
            for span in self._children(level, start, end):
                self._needed(level - 1, *span, found)

    def _shard(self, level: int, start: int, end: int) -> Shard:
        key = self._key(level, start, end)
        blob = self.old.blocks.get(key)
        if blob is not None:
            self._carry(level, start, end)
            return marshal.loads(zlib.decompress(blob))
        if level == 1:
            shard = self._made(start)
        else:
            shard = merge(self._shard(level - 1, *span) for span in self._children(level, start, end))
        self.now.blocks[key] = zlib.compress(marshal.dumps(shard), 1)
        return shard

    def _carry(self, level: int, start: int, end: int) -> None:
        """Keep for the next build what was kept of a block and of the blocks it holds."""
        found = self.old.blocks.get(self._key(level, start, end))
        if found is not None:
            self.now.blocks[self._key(level, start, end)] = found
        if level > 1:
            for span in self._children(level, start, end):
                self._carry(level - 1, *span)


def vocabulary(inputs, kept: Kept | None) -> tuple[Kept, Shard]:
    """(what to keep, the shard of every meeting) of a search.Inputs, from the shards ``kept``;
    kept shards that cannot be read are not used."""
    try:
        return (kept or Kept()).whole(inputs.paths, inputs.keys, inputs.rows)
    except (ValueError, TypeError, KeyError, IndexError, EOFError, zlib.error):
        return Kept().whole(inputs.paths, inputs.keys, inputs.rows)
