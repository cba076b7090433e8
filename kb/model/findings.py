"""What a check reports: one problem at one place in one file, and the table of codes.

Every code is declared once, by the module that reports it (``code``), with its name, severity
and documentation; ``finding`` stamps a code's severity on a problem found.

A code's documentation (a check's docstring, or the ``doc`` of a ``code(...)`` declaration) is
plain text in this form, parsed by ``parse_doc`` into a summary, a text and examples::

    One-sentence summary: the first paragraph, shown by `kb check --list` and the README.

    Any further paragraphs: why it matters and how to fix it.

    Failing: meetings/2024-07-14-naqvi-blome.yaml
        id: 2024-07-14-naqvi-blome
        ...the record, indented by four spaces...
    With: people/extra-person.yaml
        ...another file the example needs (optional, any number)...

    Passing: meetings/2024-07-14-naqvi-blome.yaml
        ...

    Failing, described: words, for an example that cannot be written as text.

Every example sits inside the small knowledge base of tests/conftest.py (``BASE_FILES``):
a failing example makes `kb check` report exactly its code in its first file, a passing example
leaves the knowledge base clean (tests/test_check_docs.py).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # relative to the knowledge base root, with forward slashes
    line: int  # 1-based; 0 when the problem belongs to the whole file
    column: int  # 1-based; 0 when unknown
    severity: str
    code: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Example:
    """A failing or passing example: record files (relative path, YAML text), the first being the
    file the example is about, or, when it cannot be written as text, a description in words."""

    failing: bool
    files: tuple[tuple[str, str], ...] = ()
    described: str = ""

    @property
    def path(self) -> str:
        return self.files[0][0] if self.files else ""


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str
    summary: str  # one line, for --list
    text: str = ""  # the paragraphs after the summary: why it matters, how to fix it
    examples: tuple[Example, ...] = field(default=())

    def example(self, failing: bool) -> Example | None:
        return next((e for e in self.examples if e.failing == failing), None)


CODES: dict[str, Code] = {}

_HEADER = re.compile(r"^(Failing|Passing|With)(, described)?: (.+)$")
_INDENT = "    "


def _dedent(doc: str) -> list[str]:
    """A docstring's lines without their common indent, like ``inspect.cleandoc`` but keeping tabs
    (an example may need one)."""
    lines = doc.splitlines() or [""]
    rest = [line for line in lines[1:] if line.strip()]
    margin = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
    lines = [lines[0].strip(), *(line[margin:].rstrip(" ") for line in lines[1:])]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def parse_doc(doc: str) -> tuple[str, str, tuple[Example, ...]]:
    """(summary, text, examples) of a code's documentation in the form described above."""
    lines = _dedent(doc or "")
    start = next((i for i, line in enumerate(lines) if _HEADER.match(line)), len(lines))
    paragraphs = [" ".join(p.split()) for p in "\n".join(lines[:start]).split("\n\n") if p.strip()]
    summary = paragraphs[0] if paragraphs else ""
    text = "\n\n".join(paragraphs[1:])
    examples: list[dict] = []
    block: list[str] | None = None  # the lines of the file or description being read
    for line in lines[start:]:
        header = _HEADER.match(line)
        if header:
            kind, described, rest = header.groups()
            if kind == "With":
                if not examples or examples[-1]["described"] is not None or described:
                    raise ValueError(f"'With:' must follow a file example: {line!r}")
                block = []
                examples[-1]["files"].append((rest.strip(), block))
            elif described:
                block = [rest]
                examples.append({"failing": kind == "Failing", "files": [], "described": block})
            else:
                block = []
                examples.append({"failing": kind == "Failing", "files": [(rest.strip(), block)], "described": None})
        elif examples and examples[-1]["described"] is block and block is not None:
            block.append(line)
        elif line.startswith(_INDENT) or not line.strip():
            if block is None:
                raise ValueError(f"text after the examples: {line!r}")
            block.append(line[len(_INDENT) :])
        else:
            raise ValueError(f"text after the examples must be indented by four spaces: {line!r}")
    parsed = tuple(
        Example(
            e["failing"],
            tuple((path, "\n".join(body).strip("\n") + "\n") for path, body in e["files"]),
            " ".join(" ".join(e["described"] or []).split()),
        )
        for e in examples
    )
    return summary, text, parsed


def code(code_: str, name: str, severity: str, doc: str) -> Code:
    """Declare a code; ``doc`` is its documentation (see the module's docstring)."""
    if code_ in CODES:
        raise ValueError(f"check code {code_} registered twice")
    summary, text, examples = parse_doc(doc)
    entry = Code(code_, name, severity, summary, text, examples)
    CODES[code_] = entry
    return entry


def finding(code_: str, path: str, line: int, column: int, message: str, hint: str = "") -> Finding:
    return Finding(path, line, column, CODES[code_].severity, code_, message, hint)
