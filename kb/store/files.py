"""The files of a knowledge base: where it is, which files are records of which kind, and reading
one file into a FileResult (its data, the position of every value, its findings)."""

from __future__ import annotations

import functools
import os
import stat
import struct
from collections.abc import Mapping
from pathlib import Path

from kb.errors import KBError
from kb.model import characters
from kb.model.findings import ERROR, WARNING, code, finding
from kb.model.records import FOLDERS, LazyData
from kb.store.atomic import digest

CONFIG_FILE = "kb.yaml"
TOPICS_FILE = "topics.yaml"
DECISIONS_FILE = "decisions.yaml"
SUFFIXES = (".yaml", ".yml")

# The codes this module reports, each with its documentation (see kb/model/findings.py).
code(
    "KB110",
    "unreadable",
    ERROR,
    """The path cannot be read as a record (a folder, a link out of the knowledge base, a pipe, no permission).

    Everything under meetings/, people/ and orgs/ named `*.yaml` or `*.yml` is a record. A folder
    with such a name, a symbolic link pointing outside the knowledge base, a pipe, socket or device,
    or a file kb may not read is none: rename or remove it, replace the link with the file, or fix
    the permissions.

    Failing, described: a folder named orgs/pk-foreign-office.yaml (a folder is not text).

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)
code(
    "KB111",
    "not-a-record-name",
    WARNING,
    """A file in a record folder that is not read: its name does not end in .yaml or .yml, or it is a temporary file left by an interrupted write.

    kb reads `*.yaml` and `*.yml` files under meetings/, people/ and orgs/ (and their subfolders).
    A record saved as `.YAML`, `.Yml` or without an extension would otherwise drop out of every
    brief in silence: rename it. A `.NAME.tmp` file is what an interrupted write leaves; delete it
    after checking the record beside it.

    Failing: meetings/2024-08-01-x.YAML
        id: 2024-08-01-x

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)

code(
    "KB204",
    "control-character",
    ERROR,
    """A value holds a control character (written as an escape such as \\e or \\x1b) or a bidirectional override: it could rewrite a reader's terminal or reorder what they read.

    YAML lets a double-quoted string carry any character as an escape; an escape sequence in a
    title or summary reaches the terminal of everyone who lists or briefs on the record (it can
    clear the screen or write to the clipboard). Unicode's bidirectional embeddings, overrides and
    isolates (U+202A to U+202E, U+2066 to U+2069) make the text after them read in another order
    than it is written; names in Arabic or Urdu script need none of them. Remove them.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: "Ministry of Foreign Affairs\\e]52;c;aGk=\\a"

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)

STRAY = "stray"  # the kind discover() gives a file in a record folder that is not read as a record


class NotAKnowledgeBase(KBError):
    """No kb.yaml in the given folder or any folder above it."""


def find_root(start: str | os.PathLike | None = None, explicit: str | None = None) -> Path:
    """The knowledge base root: ``--kb``/``KB_DIR`` if given, else the nearest folder upwards
    from ``start`` holding kb.yaml, as git finds .git."""
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / CONFIG_FILE).is_file():
            raise NotAKnowledgeBase(f"{root} has no {CONFIG_FILE}; run `kb init {explicit}` to make one")
        return root
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise NotAKnowledgeBase(
        f"no {CONFIG_FILE} in {here} or any folder above it; run kb inside a knowledge base, "
        "pass --kb DIR (or set KB_DIR), or make one with `kb init`"
    )


class FileResult(LazyData):
    """What reading one file produced; plain data, so that it can be cached and sent between
    processes. From the cache, a valid meeting's data is a blob decoded when read, with its head
    (see kb.model.records.Meeting)."""

    __slots__ = ("blob", "data", "digest", "findings", "head", "ident", "kind", "positions", "relpath")

    def __init__(
        self,
        relpath: str,
        kind: str,
        data: dict | None = None,
        positions: Mapping | None = None,
        findings: list | None = None,
        digest: bytes | None = None,
        *,
        blob: bytes | None = None,
        head: tuple | bytes | None = None,
        ident: str | None = None,
    ):
        self.relpath = relpath
        self.kind = kind
        if blob is None:
            self.data = data
        self.blob = blob
        self.head = head  # packed (bytes) from the snapshot, with the record's id in ``ident``
        self.ident = ident
        self.positions = {} if positions is None else positions  # a dict, or a kb.model.positions.Positions
        self.findings = [] if findings is None else findings
        self.digest = digest  # of the file's bytes, when it is a plain file read whole

    @property
    def valid(self) -> bool:
        return (self.blob is not None or self.data is not None) and (
            not self.findings or not any(f.severity == ERROR for f in self.findings)
        )


_NAMED = {CONFIG_FILE: "config", TOPICS_FILE: "topics", DECISIONS_FILE: "decisions"}
_KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


@functools.cache  # asked again and again of the same paths (both sides of a diff)
def kind_of(relpath: str) -> str | None:
    if named := _NAMED.get(relpath):
        return named
    folder, _, name = relpath.partition("/")
    kind = _KIND_OF_FOLDER.get(folder)
    if kind is None or not name.endswith(SUFFIXES) or name.rpartition("/")[2].startswith("."):
        return None
    return kind


def discover(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every record file, sorted, in the record folders and the folders
    under them (meetings/2024/...). Links are listed, never followed: a record folder or a
    subfolder that is a link is listed as a record (its reading reports KB110). Other files in
    record folders (another extension, a temporary file left by a write) are listed with the kind
    STRAY, and reported (KB111), never skipped in silence; hidden files (.gitkeep) and folders are."""
    return sorted(files_of(walk(root)))


# The lstat of a listed file, packed: its mode, size, mtime and ctime (to the nanosecond) and
# inode; -1 in every field when it could not be taken (the file went away meanwhile).
STAMP = struct.Struct("=qqqqq")
NO_STAMP = STAMP.pack(-1, -1, -1, -1, -1)
MAX_DEPTH = (
    8  # folders under a record folder; deeper ones are not read (and a loop cannot form: links are not followed)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)

# What walk() finds: (prefix, kind, names), each file's relative path being prefix + name.
Segment = tuple[str, str, list[str]]


def files_of(segments: list[Segment]) -> list[tuple[str, str]]:
    """(relpath, kind) of every file of walk()'s segments, in their order."""
    return [(prefix + name, kind) for prefix, kind, names in segments for name in names]


def walk(root: Path, stamps: bytearray | None = None) -> list[Segment]:
    """The files discover() lists, as segments of names that share a folder and a kind, in the
    order the folders list them. With ``stamps``, the STAMP of each file is appended to it in the
    same order: the whole state of the knowledge base's files in one lstat each, taken relative
    to their folder (no path walked again for each file). Without, only the names that may be
    folders are looked at."""
    found: list[Segment] = []
    try:
        top = os.open(root, _FOLDER_FLAGS & ~_NOFOLLOW)  # the root may be reached through a link
    except OSError:
        return found
    try:
        for name, kind in _NAMED.items():
            if (st := _lstat(top, name)) is not None:
                _list(found, "", kind, name, st, stamps)
        for kind, folder in FOLDERS.items():
            st = _lstat(top, folder)
            if st is not None and stat.S_ISLNK(st.st_mode):
                _list(found, "", kind, folder, st, stamps)
            elif st is not None and stat.S_ISDIR(st.st_mode):
                _walk(top, "", folder, kind, found, stamps, 0)
    finally:
        os.close(top)
    return found


def _lstat(folder: int, name: str) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return None


def _list(
    found: list[Segment], prefix: str, kind: str, name: str, st: os.stat_result | None, stamps: bytearray | None
) -> None:
    found.append((prefix, kind, [name]))
    if stamps is not None:
        stamps += STAMP.pack(st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st else NO_STAMP


def _walk(
    parent: int, prefix: str, name: str, kind: str, found: list[Segment], stamps: bytearray | None, depth: int
) -> None:
    try:
        folder = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except OSError:
        _list(found, prefix, kind, name, _lstat(parent, name), stamps)  # reported when read: no permission
        return
    try:
        try:
            names = os.listdir(folder)
        except OSError:
            _list(found, prefix, kind, name, _lstat(parent, name), stamps)
            return
        prefix += name + "/"
        # Names only decide what is a record: what each one is (a file, a folder, a link) is
        # found out when it is read.
        records = [name for name in names if name.endswith(SUFFIXES) and name[0] != "."]
        found.append((prefix, kind, records))
        if stamps is not None:
            _stamp(folder, records, stamps)
        if len(records) < len(names):
            _walk_others(folder, names, prefix, kind, found, stamps, depth)
    finally:
        os.close(folder)


def _stamp(folder: int, records: list[str], stamps: bytearray) -> None:
    """Each record's stat, packed, in order (NO_STAMP for one that cannot be stat'ed)."""
    pack = STAMP.pack
    for name in records:
        try:
            record = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError:
            stamps += NO_STAMP
        else:
            stamps += pack(record.st_mode, record.st_size, record.st_mtime_ns, record.st_ctime_ns, record.st_ino)


def _walk_others(
    folder: int, names: list[str], prefix: str, kind: str, found: list[Segment], stamps: bytearray | None, depth: int
) -> None:
    """The names in a folder that are not records: folders walked (to MAX_DEPTH), a leftover of an
    interrupted write and anything else listed as stray, a link listed to be refused when read,
    hidden names passed over."""
    for name in names:
        if name.endswith(SUFFIXES) and name[0] != ".":
            continue
        if _is_leftover(name):
            _list(found, prefix, STRAY, name, _lstat(folder, name) if stamps is not None else None, stamps)
            continue
        if name[0] == ".":
            continue
        st = _lstat(folder, name)
        if st is not None and stat.S_ISDIR(st.st_mode):
            if depth < MAX_DEPTH:
                _walk(folder, prefix, name, kind, found, stamps, depth + 1)
            continue
        _list(found, prefix, kind if st is not None and stat.S_ISLNK(st.st_mode) else STRAY, name, st, stamps)


def _is_leftover(name: str) -> bool:
    """A temporary file of kb.store.atomic (.NAME.PROCESS-NUMBER.tmp, or .NAME.XXXXXXXX.tmp) that an
    interrupted write left."""
    return name.startswith(".") and name.endswith(".tmp") and any(s + "." in name for s in SUFFIXES)


def read_file_stamped(root: Path, relpath: str, kind: str) -> tuple[FileResult, os.stat_result | None, bytes | None]:
    """The file's result, with its stat and content hash when it is a plain file that was read
    whole (what the cache keys its entry on), else None for both."""
    from kb.store.yamlread import MAX_BYTES  # the YAML reader loads only when a file is read, not on a warm run

    result = FileResult(relpath, kind)
    if kind == STRAY:
        result.findings.append(finding("KB111", relpath, 0, 0, *_stray(relpath)))
        return result, None, None
    name = os.path.join(root, relpath)  # a Path is made only when the file is not a plain one
    st = regular_stat(name)
    problem = None if st else _unreadable(root, Path(name))
    if problem:
        result.findings.append(finding("KB110", relpath, 0, 0, *problem))
        return result, None, None
    try:
        size = st.st_size if st else os.stat(name).st_size
        if size > MAX_BYTES:
            result.findings.append(
                finding(
                    "KB107",
                    relpath,
                    0,
                    0,
                    f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
                    "a record is a few kilobytes: split it or remove pasted material",
                )
            )
            return result, None, None
        with open(name, "rb") as handle:
            # As many bytes as the file had, and one more to see that it grew: a buffer of the
            # record's size, not of the largest a record may be (that costs more than the read).
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(MAX_BYTES + 1 - len(raw))
    except OSError as error:
        result.findings.append(
            finding("KB110", relpath, 0, 0, f"cannot read the file: {error.strerror}", "check the file's permissions")
        )
        return result, None, None
    result = validate_bytes(raw, relpath, kind)
    if st is None or len(raw) != st.st_size:
        return result, None, None  # changed while we read it: do not cache what we may have half-seen
    result.digest = digest(raw)
    return result, st, result.digest


def validate_bytes(raw: bytes, relpath: str, kind: str) -> FileResult:
    """Parse and schema-validate one file's content."""
    from kb.store import schemas  # loads only when a file is read, not on a warm run
    from kb.store.yamlread import parse_bytes

    result = FileResult(relpath, kind)
    parsed = parse_bytes(raw, relpath)
    result.findings.extend(parsed.findings)
    if parsed.data is None:
        return result
    result.positions = parsed.positions
    # A value refused for its tag (KB103) is read as nothing: not also a wrong type (no cascade).
    refused = {(f.line, f.column) for f in parsed.findings if f.code == "KB103"}
    result.findings.extend(
        f for f in schemas.validate(kind, parsed.data, relpath, parsed.where) if (f.line, f.column) not in refused
    )
    if characters.may_hold(raw):  # an escape in a quoted string, or a raw C1 or bidi character
        result.findings.extend(_control_characters(parsed.data, relpath, parsed.where))
    result.data = parsed.data
    return result


def _control_characters(data, relpath: str, where) -> list:
    found = []
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
            stack.extend(((*path, key), key) for key in value if isinstance(key, str))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and (match := characters.REFUSED.search(value)):
            line, column = where(path, False)
            shown = ".".join(str(part) for part in path) or "a key"
            found.append(
                finding(
                    "KB204",
                    relpath,
                    line,
                    column,
                    f"{shown} holds the control character U+{ord(match.group()):04X}",
                    "remove it (written as an escape in a quoted string, or pasted in); control "
                    "characters can rewrite the terminal of whoever reads the record, and "
                    "bidirectional overrides reorder what they read",
                )
            )
    return sorted(found, key=lambda f: (f.line, f.column))


def _stray(relpath: str) -> tuple[str, str]:
    name = relpath.rsplit("/", 1)[-1]
    if _is_leftover(name):
        return (
            "a temporary file left by an interrupted write; it is not a record",
            "delete it, after checking that the record beside it holds what you expect",
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (
        f"'{name}' is not read: record files end in .yaml or .yml (lower case)",
        f"rename it to {stem}.yaml if it is a record, or move it out of the record folder",
    )


def _unreadable(root: Path, path: Path) -> tuple[str, str] | None:
    if path.is_symlink() and path.is_dir():
        return (
            "a folder that is a symbolic link; it is not followed",
            "move the records into the knowledge base instead of linking a folder to them",
        )
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return (
                "a symbolic link that points outside the knowledge base; it is not followed",
                "copy the record into the knowledge base instead of linking to it",
            )
    if path.is_dir():
        return ("a folder is named like a record file", "rename the folder; records are files")
    if not path.exists():
        return ("a link to a file that does not exist", "remove the broken link")
    if not path.is_file():  # reading a pipe would wait for a writer that never comes
        return ("not a plain file (a pipe, socket or device); it is not read", "remove it: records are plain files")
    return None


class WriteThroughLink(KBError):
    """A record would be written through a symbolic link."""


def refuse_links(root: Path, relpath: str) -> None:
    """Raise WriteThroughLink when a folder on the way to ``relpath`` (or the file itself) is a
    symbolic link: kb writes records inside the knowledge base only, never through a link."""
    current = Path(root)
    for part in Path(relpath).parts:
        current = current / part
        if current.is_symlink() and current == Path(root) / relpath:
            raise WriteThroughLink(
                f"{relpath} is a symbolic link, and kb never writes records through links: replace the link "
                "with the file it points to"
            )
        if current.is_symlink():
            raise WriteThroughLink(
                f"{relpath}: {current.relative_to(root)} is a symbolic link, and kb never writes "
                "records through links (kb check reports it: KB110); replace the link with a "
                "folder"
            )


def regular_stat(path: str | os.PathLike) -> os.stat_result | None:
    """The file's stat when it is a plain file (not a link, folder or missing): only those are cached."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None
