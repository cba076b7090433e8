"""Fast, safe reading of one YAML record, with the position of every key and value.

libyaml composes the node tree (C speed); this module turns nodes into plain Python values
under the YAML 1.2 core schema (``NO`` is a string, ``010`` is ten, dates stay strings) and
records where each value sits so that every finding can point at a line and column. No tag
is ever constructed: an explicit tag other than the core ones is reported, not obeyed.
The round-trip loader (ruamel.yaml) is used only where a file is written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.model.findings import Finding, finding
from kb.model.positions import Positions, pack, where
from kb.store import yamlcodes  # noqa: F401 (registers the codes this module reports)

MAX_BYTES = 1_000_000  # a record is a few kilobytes; anything near a megabyte is not a record
MAX_NODES = 50_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 50  # records nest five or six levels
_BRACKETS_BEFORE_DEPTH_SCAN = 400

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_PLAIN = "?"  # tag _Loader gives untagged plain scalars (and a scalar tagged !<?>), resolved below

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")
# The first characters of every value above other than text ("" is the empty value, null).
_MAY_BE_OTHER = frozenset({"", "~", "n", "N", "t", "T", "f", "F", "-", "+", ".", *"0123456789"})
_DIGITS = frozenset("0123456789")
_INTERN_MAX = 40
_intern = sys.intern
_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})( |$)", re.M)
_DEPTH_WORDS = re.compile(r"depth|nesting|recursion", re.I)

# The codes this module reports, each with its documentation, are declared in kb.store.yamlcodes
# (imported above, so that they are registered whenever a file is read).


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


class _Composer(_Loader):
    """The loader parse_bytes composes with. libyaml's composer asks ``resolve`` for the tag of
    every node written without one (nearly all), and calls the path resolvers around every node,
    which records never use. As built-ins these calls cost no Python frame of their own (about a
    tenth of composing): ``slice`` only packs its arguments, so an untagged node's tag is
    ``slice(kind, value, implicit)``, whose ``step`` says whether a scalar was written plain.
    _Builder resolves from there."""

    resolve = staticmethod(slice)
    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)


def plain_scalar(text: str):
    """The YAML 1.2 core-schema value of an untagged plain scalar."""
    first = text[:1]
    if first not in _MAY_BE_OTHER:
        return text  # most values: only a number, null, true/false, .inf or .nan start otherwise
    if first in _DIGITS and "-" in text and "e" not in text and "E" not in text:
        return text  # a date: a number starting with a digit has a '-' only in its exponent
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text, 10)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


Path = tuple  # a path into a record: ("participants", 0, "person")


@dataclass
class Parsed:
    """One file as read: its data (None when unreadable), positions and problems."""

    data: Any = None
    # path -> (key line, key column, value line, value column), all 1-based
    positions: Mapping = field(default_factory=dict)
    findings: list = field(default_factory=list)

    def where(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """The closest known position of ``path``: the value, or the key when asked."""
        return where(self.positions, tuple(path), at_key)


class _TooComplex(Exception):
    pass


class _Builder:
    """Plain values from the node tree, noting the position of each value (four numbers) in the
    order kb.model.positions walks the data.

    Most values of a record are plain scalars under a mapping key (``title: ...``): those are
    built in the mapping's own loop, without a call of their own, which is most of what reading
    a file costs in Python."""

    def __init__(self, relpath: str, parsed: Parsed):
        self.relpath = relpath
        self.parsed = parsed
        self.marks: list[int] = []

    def problem(self, code: str, node, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.parsed.findings.append(finding(code, self.relpath, mark.line + 1, mark.column + 1, message, hint))

    def build(self, node, depth: int, key_mark=None):
        # Every node visited notes four numbers: their count bounds what aliases can expand to.
        if len(self.marks) >= _MAX_MARKS or depth > MAX_DEPTH:
            raise _TooComplex(node)
        mark = node.start_mark
        km = key_mark or mark
        self.marks += (km.line + 1, km.column + 1, mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag.__class__ is slice:  # no tag written (see _Composer)
            if node.id == "scalar":
                if tag.step[0]:
                    return _plain_value(node.value)
                value = node.value  # quoted, or a block: text
                return _intern(value) if len(value) <= _INTERN_MAX else value
        elif tag == _PLAIN:
            if node.id == "scalar":
                return _plain_value(node.value)
        elif tag not in _CORE_TAGS:
            self.problem(
                "KB103",
                node,
                f"the tag {tag!r} is not allowed in a record",
                "remove the tag; records hold plain strings, numbers, lists and mappings",
            )
            return None
        elif node.id == "scalar":
            if tag.endswith(":str"):
                value = node.value
                return _intern(value) if len(value) <= _INTERN_MAX else value
            return plain_scalar(node.value)  # an explicit core tag: !!int 3
        if node.id == "sequence":
            return [self.build(item, depth + 1) for item in node.value]
        return self._mapping(node, depth)

    def _mapping(self, node, depth: int) -> dict:
        result: dict = {}
        marks = self.marks
        inline = depth < MAX_DEPTH  # a value here is at depth + 1, still within the limit
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                self.problem("KB100", key_node, "a mapping key must be a plain word, not a list or mapping")
                continue
            text = key_node.value
            key: str | None = _intern(text) if not _plain(key_node.tag) else _KEYS.get(text)
            if key is None:
                key = _plain_key(text)
            if key == "<<":
                self.problem(
                    "KB100", key_node, "merge keys (<<) are not supported in records", "write the fields out in full"
                )
                continue
            if key in result:
                first = next(k for k, _v in node.value if k.id == "scalar" and _key_of(k) == key)
                self.problem(
                    "KB102",
                    key_node,
                    f"duplicate key {key!r} (first at line {first.start_mark.line + 1})",
                    "keep one of the two; YAML would silently drop the first",
                )
                continue
            tag = value_node.tag  # a plain scalar (_plain, written out: this runs for most values)
            if inline and value_node.id == "scalar" and (tag.step[0] if tag.__class__ is slice else tag == _PLAIN):
                if len(marks) >= _MAX_MARKS:
                    raise _TooComplex(value_node)
                km = key_node.start_mark
                mark = value_node.start_mark
                marks += (km.line + 1, km.column + 1, mark.line + 1, mark.column + 1)
                value = value_node.value
                if value[:1] not in _MAY_BE_OTHER:
                    result[key] = _intern(value) if len(value) <= _INTERN_MAX else value
                else:
                    result[key] = _plain_value(value)
            else:
                result[key] = self.build(value_node, depth + 1, key_node.start_mark)
        return result


_MAX_MARKS = 4 * MAX_NODES
# Mapping keys as read from plain scalars: the same few dozen words in every record.
_KEYS: dict[str, str] = {}
_KEYS_MAX = 10_000


def _plain_value(text: str):
    """A plain scalar's value, its text kept once when short (ids, codes and statuses repeat
    across thousands of records, and marshal then stores each once in the cache)."""
    value = plain_scalar(text)
    return _intern(value) if type(value) is str and len(value) <= _INTERN_MAX else value


def _plain_key(text: str) -> str:
    """The key a plain scalar makes (``1:`` is the key "1"), remembered for the next record."""
    value = plain_scalar(text)
    key = _intern(value if isinstance(value, str) else str(value))
    if len(_KEYS) < _KEYS_MAX and len(text) <= _INTERN_MAX:
        _KEYS[text] = key
    return key


def _plain(tag) -> bool:
    """Whether a scalar's tag (as _Composer leaves it) says it is read as a plain scalar."""
    return tag.step[0] if tag.__class__ is slice else tag == _PLAIN


def _key_of(key_node) -> str:
    if not _plain(key_node.tag):
        return key_node.value
    value = plain_scalar(key_node.value)
    return value if isinstance(value, str) else str(value)


def _syntax_finding(relpath: str, error: yaml.MarkedYAMLError, text: str) -> Finding:
    lines = text.splitlines()
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "found character '\\t'" in problem:
        return finding(
            "KB101",
            relpath,
            line,
            column,
            "a tab is used for indentation; YAML allows only spaces there",
            "replace each tab at the start of the line with spaces",
        )
    message = problem
    if error.context:
        message = f"{error.context}: {problem}"
    return finding(
        "KB100",
        relpath,
        line,
        column,
        f"YAML syntax error: {message}",
        "fix the YAML at this position; a quote or indent is often the cause",
    )


def _is_depth_error(error: BaseException) -> bool:
    """Whether a parser gave up because of nesting, whatever its version words it.

    Newer libyaml builds refuse deep nesting themselves ("exceeded maximum nesting depth"), and
    may do so in their scanner before any event reaches our own depth scan; the pure-Python
    parser runs out of stack instead."""
    if isinstance(error, RecursionError):
        return True
    words = " ".join(str(part) for part in (getattr(error, "problem", ""), getattr(error, "context", "")))
    return bool(_DEPTH_WORDS.search(words or str(error)))


def _too_deep(text: str) -> bool:
    """libyaml composes recursively and can exhaust the C stack on absurd nesting; a cheap
    event scan, only for files that could be that deep, keeps it from ever seeing one."""
    if text.count("[") + text.count("{") + text.count("- ") < _BRACKETS_BEFORE_DEPTH_SCAN:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except (yaml.YAMLError, RecursionError) as error:
        if _is_depth_error(error):
            return True
        # Any other syntax error is reported, with its position, by the full parse.
    return False


class _Refused(Exception):
    """A file the fast reader refuses: the finding's code, message, hint, line and column, or
    the finding itself (``found``)."""

    def __init__(self, *args, found: Finding | None = None):
        super().__init__(*args)
        self.found = found

    def finding(self, relpath: str) -> Finding:
        if self.found is not None:
            return self.found
        code, message, hint, *where = self.args
        line, column = (*where, 1, 1)[:2]
        return finding(code, relpath, line, column, message, hint)


_TOO_DEEP = ("KB108", f"nesting is deeper than {MAX_DEPTH} levels", "a record nests a few levels; this is not a record")


def parse_bytes(raw: bytes, relpath: str) -> Parsed:
    """Read one record file's bytes. Never raises for bad input: problems become findings."""
    parsed = Parsed()
    try:
        root = _top_mapping(_composed(_decoded(raw), relpath))
    except _Refused as refused:
        parsed.findings.append(refused.finding(relpath))
        return parsed
    builder = _Builder(relpath, parsed)
    try:
        parsed.data = builder.build(root, 0)
    except _TooComplex as error:
        node = error.args[0]
        parsed.findings = [f for f in parsed.findings if f.code != "KB103"]
        parsed.findings.append(
            finding(
                "KB108",
                relpath,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "the record expands to too many values (nested too deeply, or an alias expanded again and again)",
                "remove the anchors (&) and aliases (*) and write the values out",
            )
        )
        return parsed
    parsed.positions = Positions(parsed.data, pack(builder.marks))
    return parsed


def _decoded(raw: bytes) -> str:
    """The file's text; refused when too large, not UTF-8, or left with merge-conflict markers."""
    if len(raw) > MAX_BYTES:
        raise _Refused(
            "KB107",
            f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})",
            "a record is a few kilobytes: split it or remove pasted material",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _Refused(
            "KB106", f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x})", "save the file as UTF-8", line, column
        ) from None
    # The markers' own bytes are looked for first: much cheaper than the pattern over every line.
    conflict = (b"<<<<<<<" in raw or b"=======" in raw or b">>>>>>>" in raw) and _CONFLICT.search(raw)
    if conflict:
        raise _Refused(
            "KB105",
            "Git merge-conflict marker left in the file",
            "resolve the conflict: keep the right lines and delete the <<<<<<<, ======= and >>>>>>> markers",
            raw[: conflict.start()].count(b"\n") + 1,
        )
    return text


def _composed(text: str, relpath: str):
    """The text's one YAML document as a node tree (None when empty); refused when nested too
    deeply, holding more than one document, or not YAML."""
    try:
        if _too_deep(text):
            raise _Refused(*_TOO_DEEP)
        loader = _Composer(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except RecursionError:
        raise _Refused(*_TOO_DEEP) from None
    except yaml.composer.ComposerError as error:
        if "single document" in str(error.context):
            mark = error.problem_mark
            raise _Refused(
                "KB104",
                "the file holds more than one YAML document",
                "keep one record per file; remove the '---' separator and what follows",
                *((mark.line + 1, mark.column + 1) if mark else ()),
            ) from None
        raise _Refused(found=_syntax_finding(relpath, error, text)) from None
    except yaml.MarkedYAMLError as error:
        if _is_depth_error(error):
            mark = error.problem_mark or error.context_mark
            raise _Refused(*_TOO_DEEP, *((mark.line + 1, mark.column + 1) if mark else ())) from None
        raise _Refused(found=_syntax_finding(relpath, error, text)) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        char = error.character if isinstance(error.character, int) else ord(error.character)
        raise _Refused(
            "KB100",
            f"control character U+{char:04X} is not allowed in YAML",
            "delete the character (it is often invisible: retype the line)",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        raise _Refused("KB100", f"YAML error: {error}", "fix the YAML") from None


def _top_mapping(root):
    """The document's top node; refused when the file is empty or its top is not a mapping."""
    if root is None:
        raise _Refused(
            "KB109", "the file is empty (or holds only comments)", "write the record's fields, or delete the file"
        )
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise _Refused(
            "KB109",
            f"the top level is {kind}, not a mapping of fields",
            "a record starts with fields such as 'id:' at the left margin",
            root.start_mark.line + 1,
            root.start_mark.column + 1,
        )
    return root
