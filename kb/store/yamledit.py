"""The one writer of edits to existing records: ruamel.yaml's round-trip mode, proved.

Reading for checks and briefs uses the fast reader (yamlread); this slower loader is used only
for files that are about to be changed. Every edit (adding a source, recording a commitment's
progress, merging people) goes through ``edit``:

1. the file is read once (bytes, stat and hash) and must be a valid record;
2. unchanged, it must round-trip byte for byte: that is what guarantees that the lines the edit
   does not touch (comments, key order, quoting, blank lines) stay as they were. A file in
   another layout is refused with a pointer to `kb fmt`, never rewritten wholesale;
3. the change is applied to the round-trip document, and the same change to a plain copy of the
   record as kb reads it; the new text, read back with kb's own reader, must equal that copy, so
   nothing but the intended change can reach the disk; every comment must still be there, each
   full-line comment still above the line it stood above (``put`` and ``append`` add a key or a
   list item after the comments that closed the block, where a plain assignment would put it
   before them);
4. line endings and a byte-order mark are kept, and the file is written atomically only if it is
   still, just before the rename, what was read (an editor's save in between is never lost).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import KBError
from kb.model import characters
from kb.store import atomic

# Dates are strings in kb's YAML 1.2 reading; ruamel quotes what looks like a YAML 1.1 timestamp.
# A year alone ("2024") stays quoted: unquoted, YAML 1.2 reads it as a number.
_QUOTED_DATE = re.compile(r"^(\s*(?:- )?[a-z_]+: )'([0-9]{4}(?:(?:-[0-9]{2}){1,2}[~?]?|[~?]))'$", re.MULTILINE)


class EditError(KBError):
    """The record cannot be edited safely; the message says why and what to do."""


def round_trip():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = None
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # kb fmt's layout
    # Never fold a long line, however long (a cell of 5,000 characters, a pasted article): a folded
    # line would change bytes the edit did not touch, and `kb fmt` keeps every value on its line.
    yaml.width = 1 << 30
    return yaml


def dump(data) -> str:
    """``data`` as YAML in the records' own style, dates unquoted."""
    stream = io.StringIO()
    round_trip().dump(data, stream)
    return _QUOTED_DATE.sub(r"\1\2", stream.getvalue())


@dataclass(frozen=True)
class Edited:
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, relpath: str) -> str:
        """The change as a unified diff (``a/relpath``, ``b/relpath``)."""
        import difflib

        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{relpath}",
                tofile=f"b/{relpath}",
            )
        )


def edit(path: str | Path, change: Callable[[Any], None], *, relpath: str | None = None, write: bool = True) -> Edited:
    """Apply ``change`` to the record at ``path`` and write it (unless ``write`` is false).

    ``change`` receives the record as a mapping and mutates it with plain dict and list
    operations (it is run twice: on the round-trip document and on a plain copy, see the module
    docstring). Raises EditError, with the reason, when the edit cannot be proved safe."""
    from kb.store.yamlread import parse_bytes

    path = Path(path)
    relpath = relpath or path.name
    _refuse_links(path, relpath)
    try:
        raw, stamp = atomic.Stamp.read(path)
    except OSError as error:
        raise EditError(f"{relpath}: cannot read the file: {error.strerror or error}") from None
    before = parse_bytes(raw, relpath)
    if before.data is None or any(f.severity == "error" for f in before.findings):
        where = before.findings[0] if before.findings else None
        at = f":{where.line}:{where.column}: {where.message}" if where else ""
        raise EditError(f"{relpath}{at}; fix the record first (`kb check {relpath}`)")
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    text_lf = text.replace("\r\n", "\n")

    yaml = round_trip()
    document = yaml.load(text_lf)
    if dump(document) != text_lf:
        raise EditError(
            f"{relpath} is not in kb's canonical layout, so editing it could change lines the edit "
            f"does not touch; run `kb fmt {relpath}`, then try again"
        )
    comments = _comments(document)
    change(document)
    expected = copy.deepcopy(before.data)
    change(expected)
    refused = characters.refusal(expected, relpath)
    if refused is not None:
        raise EditError(refused)
    new_text = dump(document)
    after = parse_bytes(new_text.encode("utf-8"), relpath)
    if (
        after.data != expected
        or after.findings
        or _comments(yaml.load(new_text)) != comments
        or _placed(new_text) != _placed(text_lf)
    ):
        raise EditError(
            f"{relpath}: the edit could not be written without changing more than intended; "
            "nothing was written (make the change by hand)"
        )
    new_text = new_text.replace("\n", newline)
    result = Edited(path, text, new_text)
    if write and result.changed:
        data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
        try:
            atomic.write_bytes(path, data, expect=stamp)
        except atomic.ChangedMeanwhile:
            raise EditError(
                f"{relpath} changed on disk after kb read it (an editor's save?); nothing was "
                "written: run the command again"
            ) from None
    return result


def _refuse_links(path: Path, relpath: str) -> None:
    """EditError when the file, or a folder of ``relpath`` on the way to it, is a symbolic link
    (kb.store.files.refuse_links): kb edits a record in place, never through a link."""
    from kb.store.files import WriteThroughLink, refuse_links

    parts = Path(relpath).parts
    inside = path.parts[-len(parts) :] == parts
    try:
        refuse_links(Path(*path.parts[: -len(parts)]) if inside else path.parent, relpath if inside else path.name)
    except WriteThroughLink as error:
        raise EditError(str(error)) from None


def put(mapping, key: str, value, before: tuple[str, ...] = ()) -> None:
    """Set ``mapping[key]``: a key it has keeps its end-of-line comment (two spaces after the new
    value); a new key goes before the first of the keys ``before`` it has (the schema's order),
    else last, and in a round-trip document the full-line comments that followed the entry it
    comes after stay after it (they stood above what comes next). A plain dict just gets the key,
    so that a ``change`` given to :func:`edit` can use it on both of its runs."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(mapping, CommentedMap):
        mapping[key] = value
        return
    if key in mapping:
        mapping[key] = value
        entry = mapping.ca.items.get(key)
        token = entry[2] if entry else None
        if token is not None and token.value.startswith("#"):
            token.start_mark.column = 0  # kb fmt's two spaces before it, whatever the new value's length
            token.value = " " + token.value
        return
    keys = list(mapping)
    position = min((keys.index(k) for k in before if k in mapping), default=len(keys))
    tail = _detach_tail(mapping, keys[position - 1]) if position else None
    value = _commented(value)
    mapping.insert(position, key, value)
    _attach_tail(mapping, key, tail)


def append(sequence, item) -> None:
    """Append ``item`` to ``sequence``, after the comments that closed the list in a round-trip
    document (see :func:`put`)."""
    from ruamel.yaml.comments import CommentedSeq

    if not isinstance(sequence, CommentedSeq) or not sequence:
        sequence.append(item)
        return
    tail = _detach_tail(sequence, len(sequence) - 1)
    sequence.append(_commented(item))
    _attach_tail(sequence, len(sequence) - 1, tail)


def _commented(value):
    """``value`` with every mapping and list a round-trip one, which can hold comments."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _last_slot(node, key):
    """(container, key, slot) of the comment that follows entry ``key`` of ``node``: after its
    value, or after the last scalar inside it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = node[key]
    if isinstance(value, CommentedMap) and value:
        return _last_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value:
        return _last_slot(value, len(value) - 1)
    return node, key, 2 if isinstance(node, dict) else 0


def _detach_tail(node, key) -> str | None:
    """Remove and return the full-line comments after entry ``key`` of ``node`` (its end-of-line
    comment stays)."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    holder, slot_key, slot = _last_slot(node, key)
    entry = holder.ca.items.get(slot_key)
    token = entry[slot] if entry else None
    if token is None:
        return None
    if isinstance(holder[slot_key], (FoldedScalarString, LiteralScalarString)):
        entry[slot] = None  # after a block scalar every comment is a full line
        return " " * token.column + token.value
    end_of_line, newline, rest = token.value.partition("\n")
    if not rest:
        return None
    token.value = end_of_line + newline
    return rest


def _attach_tail(node, key, tail: str | None) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if tail is None:
        return
    holder, slot_key, slot = _last_slot(node, key)
    entry = holder.ca.items.setdefault(slot_key, [None, None, None, None])
    entry[slot] = CommentToken("\n" + tail, CommentMark(0), None)


def comments_in(path: Path) -> list[str]:
    """The comment lines of a record file, in file order ([] when it cannot be read)."""
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        document = round_trip().load(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    found = set(_comments(document))
    return [line.strip() for line in text.split("\n") if line.strip() in found] or sorted(found)


def _comments(document) -> list[str]:
    """Every comment line in a round-trip document, stripped and sorted (for the proof that none
    was lost)."""
    found: list[str] = []

    def walk(node) -> None:
        ca = getattr(node, "ca", None)
        if ca is not None:
            tokens = [ca.comment, *ca.items.values(), getattr(ca, "end", None)]
            while tokens:
                token = tokens.pop()
                if isinstance(token, list):
                    tokens.extend(token)
                elif token is not None and hasattr(token, "value"):
                    found.extend(line.strip() for line in token.value.splitlines() if line.strip())
        for value in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
            walk(value)

    walk(document)
    return sorted(found)


def _placed(text: str) -> list[tuple[str, str]]:
    """Each full-line comment with the key (or list dash) of the line it stands above."""
    placed, pending = [], []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
        elif stripped:
            anchor = line.partition(": ")[0] if ": " in line else line.rstrip()
            placed += [(comment, anchor) for comment in pending]
            pending = []
    return placed + [(comment, "") for comment in pending]
