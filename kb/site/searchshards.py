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
index. A block of the first level (about 32 meetings) is kept with what it holds, by its files'
names: each meeting's key and number of rows, and which of its meetings each word is in. One not
kept whose files are those of a block kept is made again from that block's shard: the runs of
meetings whose rows are as they were are cut from it (``cut``: ``merge`` undone, postings across
runs decoded and cut at their bounds), and only the others are tokenised, then all are merged in
order; a block of other files (a meeting added or removed) is made by tokenising its meetings'
rows together. The blocks of the other levels are merged from their blocks: an edit tokenises
its meeting alone and re-merges the blocks above it. Any way of merging or cutting gives the bytes
of the index made in one go.

``Kept`` also holds what search.Inputs read of each meeting and how it packed their texts, so that
a build after an edit reads only the changed meetings. It is kept, sealed with the user's key, by
kb.site.build's ``State``: a file that is not sealed, or written by another kb or SQLite, is not
read, and every meeting is tokenised again.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import re
import struct
import zlib
from collections.abc import Iterable, Iterator

LEVELS = (32, 512)  # a block of level n ends at a meeting whose path's CRC is a multiple of LEVELS[n - 1]
FORMAT = 3
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


def encode(numbers: list[int]) -> str:
    """Numbers as the index writes them (base-32 digit strings, kb.site.search)."""
    try:
        return "".join(map(_SMALL.__getitem__, numbers))  # each below 32,768, as nearly all are
    except IndexError:
        return "".join(_number(n) for n in numbers)


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


def tokenise(pieces: list[list[list[tuple]]]) -> list[tuple[Shard, dict[str, int]]]:
    """The shard of each of ``pieces`` (the rows of each of some meetings, one after the other: a
    run of a block's meetings) with the meetings of the piece each word is in (``{word: mask}``,
    bit n for its meeting n), SQLite tokenising them all in one go."""
    from kb.store import index

    rows: list[tuple] = []
    owner: list[int] = []  # each row's piece
    groups: list[int] = []  # each row's meeting, numbered across the pieces
    starts: list[int] = []  # each piece's first row
    first: list[int] = []  # each piece's first meeting
    piece_of: list[int] = []  # each meeting's piece
    for number, meetings in enumerate(pieces):
        starts.append(len(rows))
        first.append(len(piece_of))
        for rows_of in meetings:
            groups.extend([len(piece_of)] * len(rows_of))
            piece_of.append(number)
            rows.extend(rows_of)
        owner.extend([number] * (len(rows) - starts[-1]))
    sizes, postings, written = index.tokens(rows, groups)
    stems = index.stems_of(list(written))
    columns: list[tuple[dict, ...]] = [tuple({} for _c in range(COLUMNS)) for _p in pieces]
    for term, per_column in postings.items():
        for column, pairs in enumerate(per_column):
            if pairs:
                _split(term, column, pairs, owner, starts, columns)
    words: list[dict[str, str]] = [{} for _p in pieces]
    masks: list[dict[str, int]] = [{} for _p in pieces]
    for word, found_in in written.items():
        for meeting in found_in:
            piece = piece_of[meeting]
            words[piece][word] = stems[word]
            masks[piece][word] = masks[piece].get(word, 0) | 1 << (meeting - first[piece])
    ends = [*starts[1:], len(rows)]
    return [
        ((ends[n] - starts[n], encode(sizes[starts[n] : ends[n]]), columns[n], words[n]), masks[n])
        for n in range(len(pieces))
    ]


def cut(shard: Shard, starts: list[int]) -> list[Shard]:
    """The shards of the runs of ``shard``'s rows that begin at ``starts`` (the first at 0), their
    words left out: a term's postings within a run are moved whole, those across runs decoded and
    cut at the runs' bounds (the shards tokenising each run would make: ``merge`` undone)."""
    rows, sizes, columns, _words = shard
    ends = [*starts[1:], rows]
    owner = [number for number, (start, end) in enumerate(zip(starts, ends, strict=True)) for _r in range(start, end)]
    into: list[tuple[dict, ...]] = [tuple({} for _c in range(COLUMNS)) for _s in starts]
    for column, terms in enumerate(columns):
        for term, posting in terms.items():
            first, times, rest, last = posting
            run = owner[first]
            if owner[last] == run:
                base = starts[run]
                into[run][column][term] = (first - base, times, rest, last - base)
            else:
                _cut_postings(term, column, posting, owner, starts, into)
    numbers = _NUMBERS.findall(sizes)  # each row's
    return [
        (end - start, "".join(numbers[start:end]), into[n], {})
        for n, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]


_NUMBERS = re.compile(r"[w-zA-Z_\-]*[0-9a-v]")  # a number as ``encode`` writes it
_VALUES = {text: number for number, text in enumerate(_SMALL)}


def _value(text: str) -> int:
    found = _VALUES.get(text)
    if found is not None:
        return found
    number = 0
    for digit in text[:-1]:
        number = number * 32 + MORE.index(digit)
    return number * 32 + LAST.index(text[-1])


def numbers_in(text: str) -> list[str]:
    """The numbers of ``text`` (made by ``encode``), each as written."""
    return _NUMBERS.findall(text)


def unpack(packed: str, words: list[str]) -> list[str]:
    """A meeting's texts as kb.site.search packed them: each text its words as numbers into
    ``words``, the texts joined by spaces."""
    return [" ".join([words[number] for number in map(_value, _NUMBERS.findall(text))]) for text in packed.split(" ")]


def _cut_postings(term: str, column: int, posting: tuple, owner: list[int], starts: list[int], into) -> None:
    """A term's postings in a column as a shard holds them (first row, times, the rest encoded,
    last row) cut at the runs' bounds (``owner``: each row's run), each part put into its run's
    shard (``into``): the numbers of the rest after a run's first posting, to its last, are its
    own as they are written, and those of the last run are not read."""
    first, times, rest, last = posting
    digits = _NUMBERS.findall(rest)
    values, final = _VALUES, owner[last]
    run, begin, row, at = owner[first], 0, first, 0
    bound = starts[run + 1]  # the next run's first row
    while run != final:
        number = values.get(digits[at])
        if number is None:
            number = _value(digits[at])
        step = 2 if number & 1 else 1
        following = row + (number >> 1)
        if following >= bound:
            base = starts[run]
            into[run][column][term] = (first - base, times, "".join(digits[begin:at]), row - base)
            run, first, begin = owner[following], following, at + step
            times = _value(digits[at + 1]) + 2 if step == 2 else 1
            bound = starts[run + 1] if run != final else 0
        row = following
        at += step
    base = starts[run]
    into[run][column][term] = (first - base, times, "".join(digits[begin:]), last - base)


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
    """The shards of a build's blocks, by key (marshalled and compressed), and of each block of the
    first level what it holds (by its files' names: :meth:`_Merge._held`). ``State`` keeps them,
    sealed, in a file of their own (:meth:`parts`)."""

    def __init__(self, blocks: dict[str, bytes] | None = None):
        self.blocks = blocks or {}
        self.tokenised: list[str] = []  # the files of the meetings this build tokenised
        # what the index reads of each meeting (search.Inputs' facts), by file with its content
        # hash, for a build whose ``context`` (all else they depend on) is this one's
        self.context = ""
        self.facts: dict[str, tuple] = {}
        self.packing: tuple | None = None  # the snippets packed (search.repack's)
        # the parts of facts and the packing as read (:meth:`load`), each with its bytes: written
        # again as they were when they hold the same (:meth:`parts`)
        self.stored: list[tuple[list, bytes]] = []
        self.stored_packing: tuple[tuple | None, bytes] | None = None

    def facts_for(self, context: str, hashes: dict) -> dict[str, tuple]:
        """The facts kept of the meetings whose files have the content ``hashes`` say, when the
        context is ``context``."""
        if not context or context != self.context:
            return {}
        return {path: fact for path, (digest, fact) in self.facts.items() if digest and digest == hashes.get(path)}

    def packed_for(self, context: str) -> tuple | None:
        """(the snippets packed, a file's texts then: unpacked) for search.Inputs, in the same
        context."""
        if not context or context != self.context or self.packing is None:
            return None
        packing = self.packing
        return packing, lambda path: unpack(packing[2][path], packing[1])

    def keep_facts(self, context: str, hashes: dict, inputs) -> None:
        """Keep what ``inputs`` (search.Inputs) read of each meeting, but its snippets' texts (nine
        tenths of it: the packing holds them, ``packed_for``), and how it packed their texts."""
        self.context = context
        self.facts = {
            path: (hashes.get(path), fact if fact[-1] is None else (*fact[:-1], None))
            for path, fact in inputs.facts.items()
            if hashes.get(path)
        }
        self.packing = inputs.packing if len(self.facts) == len(inputs.facts) else None

    def parts(self) -> list[bytes]:
        """The kept file's body in parts, to be sealed and written one after the other (never
        joined, nor any large part made: the shards are written as they are held): its head's
        length and the head (the version, the context, how many parts of facts and how many
        blocks' shards follow), then each of those as its name's and bytes' lengths with its name,
        and its bytes: the snippets' packing, the facts FACTS meetings at a time, and the blocks'
        shards by key, each marshalled and compressed (a part read that holds the same, the
        same objects, as it was read)."""
        facts = list(self.facts.items())
        stored = self.stored_packing
        made = [stored[1] if stored is not None and stored[0] is self.packing else _packed(self.packing)]
        for number, start in enumerate(range(0, len(facts), FACTS)):
            part = facts[start : start + FACTS]
            same = number < len(self.stored) and _same(self.stored[number][0], part)
            made.append(self.stored[number][1] if same else _packed(part))
        head = marshal.dumps((version(), self.context, len(made), len(self.blocks)))
        found = [_HEAD.pack(len(head)), head]
        for key, blob in [*(("", blob) for blob in made), *self.blocks.items()]:
            name = key.encode("ascii")
            found += (_ENTRY.pack(len(name), len(blob)) + name, blob)
        return found

    @classmethod
    def load(cls, body) -> Kept:
        """The shards of ``body`` (authenticated: this user's kb wrote it, :meth:`parts` joined),
        none when written by another version of kb or SQLite, or not readable. Plain values made
        in their hundreds of thousands, never a cycle: the cycle collector is kept from walking
        them as they are made, and they are moved out of its sight once made (``gc.freeze``, as
        the loader does with a large model: they live as long as the build's search index, and
        its passes walked them again and again; each is freed when no longer referenced)."""
        view = memoryview(body)
        collecting = gc.isenabled()
        gc.disable()
        try:
            (length,) = _HEAD.unpack_from(view, 0)
            written, context, made, count = marshal.loads(view[_HEAD.size : _HEAD.size + length])
            if written != version() or not isinstance(context, str) or made < 1:
                return cls()
            entries = _entries(view, _HEAD.size + length, made + count)
            packing = marshal.loads(zlib.decompress(entries[0][1]))
            stored = [(marshal.loads(zlib.decompress(blob)), blob) for _name, blob in entries[1:made]]
        except (EOFError, ValueError, TypeError, struct.error, zlib.error):
            return cls()
        finally:
            if collecting:
                gc.freeze()
                gc.enable()
        kept = cls(dict(entries[made:]))
        kept.context = context
        for part, _blob in stored:
            kept.facts.update(part)
        kept.packing = packing if isinstance(packing, tuple) and len(packing) == 3 else None
        kept.stored, kept.stored_packing = stored, (kept.packing, entries[0][1])
        return kept

    def whole(self, paths: list[str], keys: list[str], rows_of) -> tuple[Kept, Shard]:
        """(what to keep for the next build, the shard of every meeting: its files ``paths``, the
        keys of their rows, ``rows_of`` a meeting's number its rows), from the shards kept where
        the rows are as they were."""
        collecting = gc.isenabled()
        gc.disable()  # as in :meth:`load`: the shards are plain values
        try:
            return _Merge(self, paths, keys, rows_of).whole()
        finally:
            if collecting:
                gc.enable()


def _packed(value) -> bytes:
    return zlib.compress(marshal.dumps(value), 1)


def _same(stored: list, part: list) -> bool:
    """Whether a part of facts as read holds what ``part`` does: the same files and hashes, and
    each meeting's facts the very ones read (those of a meeting read again are new)."""
    return len(stored) == len(part) and all(
        path == path_then and digest == then[0] and fact is then[1]
        for (path, (digest, fact)), (path_then, then) in zip(part, stored, strict=True)
    )


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
    reused whole, the others merged from their parts. A block of level 1 not kept is made of runs
    of its meetings: where the block of the same files was kept (what it held is kept beside it,
    by its files' names: :meth:`_held`), the runs of meetings whose rows are as they were are cut
    from its shard, and only the others tokenised; else all of them are tokenised, as one run."""

    def __init__(self, old: Kept, paths: list[str], keys: list[str], rows_of):
        self.old, self.keys, self.paths, self.rows_of = old, keys, paths, rows_of
        self.crcs = [zlib.crc32(path.encode("utf-8")) for path in paths]
        self.node_keys: dict[tuple[int, int], str] = {}
        self.now = Kept()
        self.now.stored, self.now.stored_packing = old.stored, old.stored_packing  # written again where the same
        self.needed: list[tuple[int, int]] = []  # the blocks of level 1 to make, in the order merged
        self.made: dict[int, Shard] = {}  # the shards of the next of them, made, by their first meeting

    def whole(self) -> tuple[Kept, Shard]:
        top = len(LEVELS)
        tops = spans(self.crcs, 0, len(self.paths), LEVELS[-1])
        for start, end in tops:
            self._needed(top, start, end, self.needed)
        self.needed.reverse()  # taken from the end as they are merged
        shard = merge(self._shard(top, start, end) for start, end in tops)
        for start, end in spans(self.crcs, 0, len(self.paths), LEVELS[0]):  # what the blocks kept hold
            name = self._held(start, end)
            if name not in self.now.blocks and self._key(1, start, end) in self.now.blocks and name in self.old.blocks:
                self.now.blocks[name] = self.old.blocks[name]
        return self.now, shard

    def _held(self, start: int, end: int) -> str:
        """The name under which what the block of level 1 of these meetings holds is kept: its
        block's key, and its meetings' keys, numbers of rows and, per word of its shard (in order),
        which of them it is in (bit n for meeting n)."""
        files = "\n".join(self.paths[start:end]).encode("utf-8")
        return "=" + hashlib.blake2b(files, digest_size=16).hexdigest()

    def _made(self, start: int) -> Shard:
        """The shard of the block of level 1 from meeting ``start``, one to make: the blocks are
        merged in the order they are needed, so they are made as they come, the meetings to
        tokenise at least TOKENISE at a time, and no more of them held at once."""
        if start not in self.made and self.needed and self.needed[-1][0] == start:
            plans: list[tuple[int, int, tuple | None, list[tuple[int, int, bool]]]] = []
            count = 0
            while self.needed and count < TOKENISE:
                plans.append(self._plan(*self.needed.pop()))
                count += sum(end - first for first, end, fresh in plans[-1][3] if fresh)
            runs = [range(first, end) for *_b, runs in plans for first, end, fresh in runs if fresh]
            self.now.tokenised += [self.paths[number] for run in runs for number in run]
            rows = {number: self.rows_of(number) for run in runs for number in run}
            made = iter(tokenise([[rows[number] for number in run] for run in runs]))
            self.made = {plan[0]: self._assemble(*plan, made, rows) for plan in plans}
        return self.made.pop(start)  # held by the block it goes into, no longer here

    def _plan(self, start: int, end: int) -> tuple[int, int, tuple | None, list[tuple[int, int, bool]]]:
        """(start, end, what the block of the same files held when kept, its runs of meetings:
        (first, end, whether to tokenise them))."""
        blob = self.old.blocks.get(self._held(start, end))
        held = marshal.loads(zlib.decompress(blob)) if blob is not None else None
        if held is None or len(held[1]) != end - start or held[0] not in self.old.blocks:
            return start, end, None, [(start, end, True)]
        runs: list[tuple[int, int, bool]] = []
        for number in range(start, end):
            fresh = self.keys[number] != held[1][number - start]
            if runs and runs[-1][2] == fresh:
                runs[-1] = (runs[-1][0], number + 1, fresh)
            else:
                runs.append((number, number + 1, fresh))
        return start, end, held, runs

    def _assemble(self, start: int, end: int, held: tuple | None, runs: list, made: Iterator, rows: dict) -> Shard:
        """The shard of a block of level 1 from its runs, in order: those tokenised (``made``),
        the others cut from the block's shard as kept (``held``: :meth:`_held`); and what it holds,
        kept beside it."""
        cuts: dict[int, tuple[Shard, dict[str, int]]] = {}
        if held is not None and not all(fresh for *_r, fresh in runs):
            cuts = _cuts(marshal.loads(zlib.decompress(self.old.blocks[held[0]])), held, start, runs)
        pieces = [next(made) if fresh else cuts[first] for first, _end, fresh in runs]
        shard = pieces[0][0] if len(pieces) == 1 else merge(piece[0] for piece in pieces)
        masks: dict[str, int] = {}
        for (first, _end, _fresh), (_shard, piece) in zip(runs, pieces, strict=True):
            for word, mask in piece.items():
                masks[word] = masks.get(word, 0) | mask << (first - start)
        counts = held[2] if held is not None else []  # a meeting's rows: as tokenised, or as held
        sizes = [len(rows[n]) if n in rows else counts[n - start] for n in range(start, end)]
        key = self._key(1, start, end)
        self.now.blocks[self._held(start, end)] = _packed(
            (key, self.keys[start:end], sizes, [*map(masks.get, shard[3])])
        )
        return shard

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
        """The blocks of level 1 to make under a block: those not kept, nor in a block kept."""
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
        self.now.blocks[key] = _packed(shard)
        return shard

    def _carry(self, level: int, start: int, end: int) -> None:
        """Keep for the next build what was kept of a block and of the blocks it holds."""
        found = self.old.blocks.get(self._key(level, start, end))
        if found is not None:
            self.now.blocks[self._key(level, start, end)] = found
        if level > 1:
            for span in self._children(level, start, end):
                self._carry(level - 1, *span)


def _cuts(shard: Shard, held: tuple, start: int, runs: list) -> dict[int, tuple[Shard, dict[str, int]]]:
    """The shards of the runs of a block's meetings cut from its shard as kept (``held``: what it
    held), each with its words and which of its meetings each is in, by their first meeting."""
    _key, _keys, sizes, masks = held
    bounds = [0]
    for rows in sizes:
        bounds.append(bounds[-1] + rows)
    shards = cut(shard, [bounds[first - start] for first, _end, _fresh in runs])
    found = {}
    for (first, end, fresh), piece in zip(runs, shards, strict=True):
        if fresh:
            continue
        run = ((1 << (end - first)) - 1) << (first - start)
        words, piece_masks = piece[3], {}
        for (word, stem), mask in zip(shard[3].items(), masks, strict=True):
            if mask & run:
                words[word] = stem
                piece_masks[word] = (mask & run) >> (first - start)
        found[first] = (piece, piece_masks)
    return found


def vocabulary(inputs, kept: Kept | None) -> tuple[Kept, Shard]:
    """(what to keep, the shard of every meeting) of a search.Inputs, from the shards ``kept``;
    kept shards that cannot be read are not used."""
    try:
        return (kept or Kept()).whole(inputs.paths, inputs.keys, inputs.rows)
    except (ValueError, TypeError, KeyError, IndexError, EOFError, zlib.error):
        return Kept().whole(inputs.paths, inputs.keys, inputs.rows)
