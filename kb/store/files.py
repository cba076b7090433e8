"""The files of a knowledge base: where it is, which files are records of which kind, and reading
one file into a FileResult (its data, the position of every value, its findings)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.model.findings import ERROR, code, finding
from kb.model.records import FOLDERS
from kb.store.atomic import digest

CONFIG_FILE = "kb.yaml"
TOPICS_FILE = "topics.yaml"
SUFFIXES = (".yaml", ".yml")

# The codes this module reports, each with its documentation (see kb/model/findings.py).
code("KB110", "unreadable", ERROR, """The path cannot be read as a record (a folder, a link out of the knowledge base, no permission).

    Everything under meetings/, people/ and orgs/ named `*.yaml` or `*.yml` is a record. A folder
    with such a name, a symbolic link pointing outside the knowledge base, or a file kb may not
    read is none: rename it, replace the link with the file, or fix the permissions.

    Failing, described: a folder named orgs/pk-foreign-office.yaml (a folder is not text).

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """)


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


@dataclass(slots=True)
class FileResult:
    """What reading one file produced; plain data, so that it can be cached and sent between processes."""

    relpath: str
    kind: str
    data: dict | None = None
    positions: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    digest: bytes | None = None  # of the file's bytes, when it is a plain file read whole

    @property
    def valid(self) -> bool:
        return self.data is not None and (not self.findings or not any(f.severity == ERROR for f in self.findings))


def kind_of(relpath: str) -> str | None:
    if relpath == CONFIG_FILE:
        return "config"
    if relpath == TOPICS_FILE:
        return "topics"
    folder, _, name = relpath.partition("/")
    if "/" in name or not name.endswith(SUFFIXES):
        return None
    for kind, kind_folder in FOLDERS.items():
        if folder == kind_folder:
            return kind
    return None


def discover(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every record file, sorted. Links are listed, not followed here."""
    found: list[tuple[str, str]] = []
    for name, kind in ((CONFIG_FILE, "config"), (TOPICS_FILE, "topics")):
        if (root / name).exists() or (root / name).is_symlink():
            found.append((name, kind))
    for kind, folder in FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        prefix = folder + "/"
        # Names only (listdir, not scandir): what each one is, is found out when it is read.
        found += [(prefix + name, kind) for name in os.listdir(directory)
                  if name.endswith(SUFFIXES) and not name.startswith(".")]
    return sorted(found)


def read_file_stamped(root: Path, relpath: str, kind: str) -> tuple[FileResult, os.stat_result | None, bytes | None]:
    """The file's result, with its stat and content hash when it is a plain file that was read
    whole (what the cache keys its entry on), else None for both."""
    from kb.store.yamlread import MAX_BYTES  # the YAML reader loads only when a file is read, not on a warm run

    result = FileResult(relpath, kind)
    path = root / relpath
    st = regular_stat(path)
    problem = None if st else _unreadable(root, path)
    if problem:
        result.findings.append(finding("KB110", relpath, 0, 0, *problem))
        return result, None, None
    try:
        size = st.st_size if st else path.stat().st_size
        if size > MAX_BYTES:
            result.findings.append(finding(
                "KB107", relpath, 0, 0, f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
                "a record is a few kilobytes: split it or remove pasted material"))
            return result, None, None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        result.findings.append(finding("KB110", relpath, 0, 0, f"cannot read the file: {error.strerror}",
                                             "check the file's permissions"))
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
    result.findings.extend(f for f in schemas.validate(kind, parsed.data, relpath, parsed.where)
                           if (f.line, f.column) not in refused)
    result.data = parsed.data
    return result


def _unreadable(root: Path, path: Path) -> tuple[str, str] | None:
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return ("a symbolic link that points outside the knowledge base; it is not followed",
                    "copy the record into the knowledge base instead of linking to it")
    if path.is_dir():
        return ("a folder is named like a record file", "rename the folder; records are files")
    if not path.exists():
        return ("a link to a file that does not exist", "remove the broken link")
    return None




def regular_stat(path: str | os.PathLike) -> os.stat_result | None:
    """The file's stat when it is a plain file (not a link, folder or missing): only those are cached."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None
