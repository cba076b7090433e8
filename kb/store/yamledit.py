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
   nothing but the intended change can reach the disk;
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
    yaml.width = 4096  # never fold a long line: a folded line would change bytes the edit did not touch
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


def edit(path: str | Path, change: Callable[[Any], None], *, relpath: str | None = None,
         write: bool = True) -> Edited:
    """Apply ``change`` to the record at ``path`` and write it (unless ``write`` is false).

    ``change`` receives the record as a mapping and mutates it with plain dict and list
    operations (it is run twice: on the round-trip document and on a plain copy, see the module
    docstring). Raises EditError, with the reason, when the edit cannot be proved safe."""
    from kb.store.yamlread import parse_bytes

    path = Path(path)
    relpath = relpath or path.name
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
        raise EditError(f"{relpath} is not in kb's canonical layout, so editing it could change lines the edit "
                        f"does not touch; run `kb fmt {relpath}`, then try again")
    change(document)
    expected = copy.deepcopy(before.data)
    change(expected)
    new_text = dump(document)
    after = parse_bytes(new_text.encode("utf-8"), relpath)
    if after.data != expected or after.findings:
        raise EditError(f"{relpath}: the edit could not be written without changing more than intended; "
                        "nothing was written (make the change by hand)")
    new_text = new_text.replace("\n", newline)
    result = Edited(path, text, new_text)
    if write and result.changed:
        data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
        try:
            atomic.write_bytes(path, data, expect=stamp)
        except atomic.ChangedMeanwhile:
            raise EditError(f"{relpath} changed on disk after kb read it (an editor's save?); nothing was "
                            "written: run the command again") from None
    return result
