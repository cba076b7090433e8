"""One canonical layout for records: what `kb fmt` writes.

- keys in the order of the record's JSON Schema (nested mappings in the order of their
  definition), unknown keys after them in the order written;
- two-space indentation, list items indented under their key (``key:`` / ``  - item``), block
  style for every non-empty list and mapping;
- a quoted string loses its quotes when a plain one reads back the same everywhere (dates are
  written plain); otherwise the user's own quotes are kept;
- every comment is kept, re-indented with the entry it stands before; a blank line between
  entries is kept (runs become one), none at the start of a block.

Every value is written from its source text, never re-serialised, so a value cannot change: the
layout changes around it. As a guarantee, the result is read back with kb's reader and must hold
the same data and the same comments; otherwise the file is left untouched (FormatError).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kb.errors import KBError
from kb.store import atomic
from kb.store.yamlread import _Loader, parse_bytes
from kb.store.yamlstyle import can_be_plain

INDENT = 2


class FormatError(KBError):
    """The file cannot be formatted (it does not parse, or uses YAML that records never need)."""


@cache
def _schema(kind: str) -> dict | None:
    from kb.store import schemas

    try:
        return schemas.bundled(kind)
    except FileNotFoundError:
        return None


def _resolve(document: dict | None, node: dict | None) -> dict | None:
    while isinstance(node, dict) and "$ref" in node and document:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            return None
        node = document.get("$defs", {}).get(ref.rsplit("/", 1)[-1])
    return node if isinstance(node, dict) else None


@dataclass
class _Trivia:
    blank: bool
    text: str = ""


class _Formatter:
    def __init__(self, text: str, kind: str | None):
        self.text = text
        self.document = _schema(kind) if kind else None
        self.lines: list[str] = text.split("\n")
        self.line_starts = [0]
        for line in self.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.out: list[str] = []
        self.block_start = True

    # -- reading ---------------------------------------------------------------------------------
    def compose(self):
        for token in yaml.scan(self.text, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken)):
                raise FormatError(
                    f"line {token.start_mark.line + 1}: anchors, aliases and tags are not "
                    "formatted; write the values out (kb check reports tags)"
                )
            if isinstance(token, yaml.KeyToken) and self.text[token.start_mark.index] == "?":
                raise FormatError(f"line {token.start_mark.line + 1}: complex keys ('? ') are not formatted")
        root = yaml.compose(self.text, Loader=_Loader)
        if not isinstance(root, yaml.MappingNode):
            raise FormatError("the top level is not a mapping of fields")
        return root

    def survey(self, root) -> None:
        """Find scalar spans, comments, entries and the trivia (comments, blank lines) each owns."""
        self.spans: dict[int, tuple[int, int]] = {}
        entries: list[tuple[int, int, int]] = []  # (line, depth, node id)
        mask = bytearray(len(self.text) + 1)
        scalar_lines: set[int] = set()

        def visit(node, depth):
            if isinstance(node, yaml.ScalarNode):
                start, end = node.start_mark.index, self._scalar_end(node)
                self.spans[id(node)] = (start, end)
                mask[start:end] = b"\x01" * (end - start)
                scalar_lines.update(range(node.start_mark.line, self._line_of(max(start, end - 1)) + 1))
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    entries.append((self._item_line(item), depth, id(item)))
                    visit(item, depth + 1)
            else:
                for key, value in node.value:
                    if not isinstance(key, yaml.ScalarNode):
                        raise FormatError(f"line {key.start_mark.line + 1}: a key that is a list or mapping")
                    entries.append((key.start_mark.line, depth, id(key)))
                    visit(key, depth + 1)
                    visit(value, depth + 1)

        visit(root, 0)
        entries.sort()
        entry_lines = [line for line, _, _ in entries]
        self.trivia: dict[int | str | None, list[_Trivia]] = {}
        self.eol: dict[int, list[str]] = {}
        for number, line in enumerate(self.lines):
            start = self.line_starts[number]
            comment = self._comment_in(line, start, mask)
            stripped = line.strip()
            if comment is not None and line[:comment].strip() and number in scalar_lines:
                self.eol.setdefault(number, []).append(line[comment:].rstrip())
                continue
            if comment is not None:
                item = _Trivia(False, line[comment:].rstrip())
            elif not stripped and not mask[start]:
                item = _Trivia(True)
            else:
                continue
            at = bisect.bisect_right(entry_lines, number)
            # Comments above the first field head the file (a schema modeline, a note on the record)
            # and stay at the top, whichever field comes first after formatting.
            owner = "head" if at == 0 else entries[at][2] if at < len(entries) else None
            self.trivia.setdefault(owner, []).append(item)

    def _comment_in(self, line: str, start: int, mask: bytearray) -> int | None:
        position = line.find("#")
        while position >= 0:
            if not mask[start + position] and (position == 0 or line[position - 1] in " \t"):
                return position
            position = line.find("#", position + 1)
        return None

    def _line_of(self, index: int) -> int:
        return bisect.bisect_right(self.line_starts, index) - 1

    def _scalar_end(self, node) -> int:
        """Where the scalar's own text ends: a block scalar's trailing blank lines are not part of
        its value unless it keeps them (|+), so they stay blank lines between entries."""
        end = node.end_mark.index
        if node.style in ("|", ">"):
            header = self.lines[node.start_mark.line][node.start_mark.column :]
            if "+" not in header.split("#")[0]:
                body = self.text[node.start_mark.index : end]
                trimmed = body.rstrip(" \t\n")
                # keep trailing spaces of the last content line: in a literal they are content
                last_break = body.find("\n", len(trimmed))
                end = node.start_mark.index + (last_break if last_break >= 0 else len(body))
        return end

    def _item_line(self, item) -> int:
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] in " \t\n":
            index -= 1
        if index >= 0 and self.text[index] == "-":
            return self._line_of(index)
        return item.start_mark.line

    # -- writing ---------------------------------------------------------------------------------
    def emit(self, text: str, sources=(), opens_block: bool = False) -> None:
        before = []
        comment = ""
        for line in sources:
            for found in self.eol.pop(line, []):
                if comment:
                    before.append(found)
                else:
                    comment = found
        indent = " " * (len(text) - len(text.lstrip(" ")))
        for extra in before:
            self.out.append(indent + extra)
        self.out.append(text + ("  " + comment if comment else ""))
        self.block_start = opens_block

    def emit_trivia(self, owner, indent: int) -> None:
        pending = False
        for item in self.trivia.pop(owner, []):
            if item.blank:
                pending = True
                continue
            if pending and not self.block_start:
                self.out.append("")
            pending = False
            self.out.append(" " * indent + item.text)
            self.block_start = False
        if pending and not self.block_start:
            self.out.append("")

    def mapping(self, node, indent: int, schema: dict | None, first_prefix: str | None = None) -> None:
        properties = list((schema or {}).get("properties", {}))
        rank = {key: i for i, key in enumerate(properties)}
        pairs = sorted(enumerate(node.value), key=lambda p: (rank.get(p[1][0].value, len(rank)), p[0]))
        for position, (_, (key, value)) in enumerate(pairs):
            first = first_prefix if position == 0 else None
            # a comment above the first field of a list item stands above its dash
            self.emit_trivia(id(key), len(first) - INDENT if first is not None else indent)
            prefix = first if first is not None else " " * indent
            child = _resolve(self.document, (schema or {}).get("properties", {}).get(key.value))
            self.value(prefix + self.inline_scalar(key) + ":", value, indent, child, key.start_mark.line)

    def sequence(self, node, indent: int, schema: dict | None, first_prefix: str | None = None) -> None:
        child = _resolve(self.document, (schema or {}).get("items"))
        for position, item in enumerate(node.value):
            first = first_prefix if position == 0 else None
            self.emit_trivia(id(item), len(first) - INDENT if first is not None else indent)
            dash = (first if first is not None else " " * indent) + "- "
            if isinstance(item, yaml.MappingNode) and item.value:
                self.mapping(item, indent + INDENT, child, first_prefix=dash)
            elif isinstance(item, yaml.SequenceNode) and item.value:
                self.sequence(item, indent + INDENT, child, first_prefix=dash)
            else:
                self.value(dash.rstrip(), item, indent, child, self._item_line(item), in_sequence=True)

    def value(
        self, head: str, node, indent: int, schema: dict | None, head_line: int, in_sequence: bool = False
    ) -> None:
        if isinstance(node, yaml.MappingNode):
            if not node.value:
                self.emit(head + " {}", (head_line, node.start_mark.line))
                return
            self.emit(head, (head_line,), opens_block=True)
            self.mapping(node, indent + INDENT, schema)
        elif isinstance(node, yaml.SequenceNode):
            if not node.value:
                self.emit(head + " []", (head_line, node.start_mark.line))
                return
            self.emit(head, (head_line,), opens_block=True)
            self.sequence(node, indent + INDENT, schema)
        else:
            start, end = self.spans[id(node)]
            if start == end:  # an empty value: `key:`
                self.emit(head, (head_line,))
                return
            lines = self.scalar_lines(node, indent + INDENT)
            first_line = node.start_mark.line
            self.emit(f"{head} {lines[0]}", (head_line, first_line))
            for offset, line in enumerate(lines[1:], start=1):
                self.emit(line, (first_line + offset,))

    def inline_scalar(self, node) -> str:
        start, end = self.spans[id(node)]
        source = self.text[start:end]
        if "\n" in source:
            raise FormatError(f"line {node.start_mark.line + 1}: a key written over several lines")
        if node.style in ("'", '"') and can_be_plain(node.value):
            return node.value
        return source

    def scalar_lines(self, node, content_indent: int) -> list[str]:
        start, end = self.spans[id(node)]
        source = self.text[start:end]
        if "\n" not in source:
            return [self.inline_scalar(node)]
        parts = source.split("\n")
        if node.style in ("|", ">"):
            return [parts[0].rstrip()] + self._block_body(node, parts[1:], content_indent)
        # Flow scalars over several lines: the indentation of continuation lines is not part of
        # the value, so they are simply indented under their key.
        keep = parts[0] if node.style else parts[0].rstrip()
        result = [keep]
        for part in parts[1:]:
            body = part.lstrip(" \t") if node.style else part.strip(" \t")
            result.append(" " * content_indent + body if body else "")
        return result

    def _block_body(self, node, body: list[str], content_indent: int) -> list[str]:
        header = self.lines[node.start_mark.line][node.start_mark.column :]
        explicit = re.match(r"^[|>][-+]?([1-9])", header)
        if explicit:
            # An explicit indentation counts from the parent's indentation: move with the parent.
            old_parent = self._parent_column(node)
            old = old_parent + int(explicit.group(1))
            new = old + (content_indent - INDENT) - old_parent
        else:
            filled = [line for line in body if line.strip()]
            old = min((len(line) - len(line.lstrip(" ")) for line in filled[:1]), default=content_indent)
            new = content_indent
        result = []
        for line in body:
            spaces = len(line) - len(line.lstrip(" "))
            if not line.strip() and spaces <= old:
                result.append("")
            else:
                result.append(" " * (spaces - old + new) + line[spaces:])
        return result

    def _parent_column(self, node) -> int:
        """The column of the key or dash that a block scalar belongs to."""
        index = node.start_mark.index - 1
        while index >= 0 and self.text[index] in " \t":
            index -= 1
        line = self._line_of(max(index, 0))
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def run(self) -> str:
        root = self.compose()
        self.survey(root)
        schema = _resolve(self.document, self.document)
        self.emit_trivia("head", 0)
        self.block_start = True
        self.mapping(root, 0, schema)
        tail = self.trivia.pop(None, [])
        for leftover in list(self.trivia.values()) + [[_Trivia(False, c) for cs in self.eol.values() for c in cs]]:
            tail.extend(leftover)
        for item in tail:
            if not item.blank:
                self.out.append(item.text)
        while self.out and not self.out[-1].strip():
            self.out.pop()
        return "\n".join(self.out) + "\n"


def comments(text: str) -> Counter:
    """Every comment in ``text``, as written (for the guarantee that none is lost)."""
    formatter = _Formatter(text, None)
    root = formatter.compose()
    formatter.survey(root)
    found = Counter(c for cs in formatter.eol.values() for c in cs)
    found.update(item.text for items in formatter.trivia.values() for item in items if not item.blank)
    return found


def _normalise_input(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def format_text(text: str, kind: str | None, relpath: str = "<text>") -> str:
    """The canonical form of one record's text. Raises FormatError when it cannot be formatted
    safely; the caller then leaves the file as it is."""
    source = _normalise_input(text)
    parsed = parse_bytes(source.encode("utf-8"), relpath)
    if parsed.data is None:
        problem = next((f for f in parsed.findings), None)
        where = f"line {problem.line}: " if problem and problem.line else ""
        raise FormatError(f"{where}{problem.message if problem else 'cannot be read'}; fix it first (kb check)")
    try:
        result = _Formatter(source, kind).run()
    except yaml.YAMLError as error:  # pragma: no cover - parse_bytes accepted the text
        raise FormatError(f"cannot be read: {error}") from None
    after = parse_bytes(result.encode("utf-8"), relpath)
    if after.data != parsed.data or comments(result) != comments(source):
        raise FormatError(
            "could not be formatted without changing a value or a comment, so it is left "
            "as it is; please report this as a bug in kb fmt"
        )
    return result


@dataclass
class Outcome:
    relpath: str
    before: str
    after: str | None  # None when the file could not be formatted
    error: str | None = None
    stamp: atomic.Stamp | None = None  # atomic.Stamp of the file as read: a rewrite checks it still holds

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                (self.after or "").splitlines(keepends=True),
                fromfile=f"a/{self.relpath}",
                tofile=f"b/{self.relpath}",
            )
        )


def format_file(path: Path, relpath: str, kind: str | None) -> Outcome:
    try:
        raw, stamp = atomic.Stamp.read(path)
        before = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Outcome(relpath, "", None, f"cannot be read: {error}")
    try:
        after = format_text(before, kind, relpath)
    except FormatError as error:
        return Outcome(relpath, before, None, str(error), stamp)
    refused = _refused(raw, relpath)
    if refused is not None:
        return Outcome(relpath, before, None, refused, stamp)
    if "\r\n" in before and before.count("\r\n") >= before.count("\n") - before.count("\r\n"):
        after = after.replace("\n", "\r\n")  # the file's own line endings are kept
    return Outcome(relpath, before, after, None, stamp)


def _refused(raw: bytes, relpath: str) -> str | None:
    """Why a file holding a character the one rule refuses is not rewritten (kb.model.characters)."""
    from kb.model import characters
    from kb.store.yamlread import parse_bytes

    if not characters.may_hold(raw):
        return None
    problem = characters.refusal(parse_bytes(raw, relpath).data, relpath)
    return problem and problem.replace("nothing was written", "it was not formatted")


def now_holds(path: Path, outcome: Outcome) -> bool:
    """Whether the file now holds exactly the formatted text (written by another run of kb fmt
    after this one read it): then nothing is lost and nothing is left to do."""
    try:
        return outcome.after is not None and path.read_bytes() == outcome.after.encode("utf-8")
    except OSError:
        return False


def write(path: Path, outcome: Outcome) -> None:
    """Replace the file atomically: a failure at any point leaves the original as it was, and so
    does an edit made to it since it was read (atomic.ChangedMeanwhile)."""
    if outcome.after is None:
        raise ValueError(f"{outcome.relpath}: nothing to write ({outcome.error})")
    atomic.write_text(path, outcome.after, expect=outcome.stamp)
