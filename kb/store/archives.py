"""Stored copies of sources: ``sources/<hash>.md`` in the knowledge base, one per page archived.

A copy is Markdown with a YAML header: what was asked for and what came back (``url``,
``final_url``, ``status``, ``content_type``, ``bytes``, ``sha256`` of the body, ``retrieved`` in
UTC), the page's ``title``, its ``sensitivity`` (the highest marking of the meetings that cite
it, so that a copy is never shown to a reader who may not see every meeting it came from) and
``text`` (``extracted``, or why not); then the readable text. The file is named by the first 16
hex digits of the body's sha256, the ``archive:`` a meeting's source links it by. Every header
value is written as a JSON scalar, which is YAML too, so that no title can break the header.
Files are written atomically; kb reads them only through :func:`read` and :func:`find`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from kb.store import atomic

FOLDER = "sources"
HASH_LENGTH = 16
_NAME = re.compile(r"^[0-9a-f]{16}\.md$")
_KEYS = ("url", "final_url", "status", "content_type", "bytes", "sha256", "retrieved", "title", "sensitivity", "text")


class ArchiveError(KBError):
    """A stored copy that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Copy:
    """A stored copy's header (and its text when read in full)."""

    key: str  # the file name's hash: sources/<key>.md
    url: str
    final_url: str
    status: int
    content_type: str
    bytes: int
    sha256: str
    retrieved: str
    title: str
    sensitivity: str
    text_note: str  # "extracted", or why the text was not
    text: str = ""

    @property
    def relpath(self) -> str:
        return f"{FOLDER}/{self.key}.md"

    def render(self) -> str:
        values = dict(zip(_KEYS, self.header_values(), strict=True))
        header = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
        return f"---\n{header}---\n" + (f"\n{self.text.rstrip()}\n" if self.text.strip() else "")

    def header_values(self) -> tuple:
        return (
            self.url,
            self.final_url,
            self.status,
            self.content_type,
            self.bytes,
            self.sha256,
            self.retrieved,
            self.title,
            self.sensitivity,
            self.text_note,
        )


def path_of(root: Path, key: str) -> Path:
    return Path(root) / FOLDER / f"{key}.md"


MAX_COPY_BYTES = 64 * 1024 * 1024  # a stored copy is text of at most the fetch limit; far below this


def _folder(root: Path) -> Path:
    """``sources/`` when it is a real folder of the knowledge base (or absent); a link or a file
    there is refused: kb never reads or writes stored copies through a link out of the knowledge base."""
    folder = Path(root) / FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ArchiveError(f"{FOLDER}: is a link or not a folder; kb keeps stored copies only in a real folder")
    return folder


def write(root: Path, copy: Copy) -> None:
    """Write ``copy`` atomically (a reader never sees half a file)."""
    _folder(root).mkdir(exist_ok=True)
    atomic.write_text(path_of(root, copy.key), copy.render())


def read(root: Path, key: str) -> Copy | None:
    """The copy ``sources/<key>.md``, or None when there is no such file."""
    if not re.fullmatch(r"[0-9a-f]{16}", key or ""):
        return None
    from kb.store.cachekey import read_plain

    path = _folder(root) / f"{key}.md"
    if not path.is_symlink() and not path.exists():
        return None
    raw = read_plain(path, MAX_COPY_BYTES)  # never through a link at its end
    try:
        if raw is None:
            raise OSError("not a plain file of a readable size (a link, a folder or a device)")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ArchiveError(f"{FOLDER}/{key}.md: cannot read the stored copy: {error}") from None
    return parse(key, text)


def parse(key: str, text: str) -> Copy:
    relpath = f"{FOLDER}/{key}.md"
    head, sep, body = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        raise ArchiveError(f"{relpath}:1: the stored copy has no '---' header; archive it again with --refresh")
    values: dict = {}
    for number, line in enumerate(head.splitlines(), start=2):
        key_, _, value = line.partition(": ")
        try:
            values[key_] = json.loads(value)
        except ValueError:
            raise ArchiveError(
                f"{relpath}:{number}: '{line}' is not 'key: value' as kb writes it; archive it again with --refresh"
            ) from None
    missing = [k for k in _KEYS if k not in values]
    if missing:
        raise ArchiveError(f"{relpath}: the header lacks {', '.join(missing)}; archive it again with --refresh")
    fields = {("text_note" if k == "text" else k): values[k] for k in _KEYS}
    return Copy(key=key, text=body.strip("\n"), **fields)


def find(root: Path) -> dict[str, Copy]:
    """Every stored copy by the url it was fetched for (the newest retrieval wins)."""
    folder = _folder(root)
    found: dict[str, Copy] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if _NAME.match(path.name):
            copy = read(root, path.stem)
            if copy and (copy.url not in found or found[copy.url].retrieved < copy.retrieved):
                found[copy.url] = copy
    return found
