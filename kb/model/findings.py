"""What a check reports: one problem at one place in one file, and the table of codes.

Every code is declared once, by the module that reports it (``code``), with its name and
severity; ``finding`` stamps a code's severity on a problem found."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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
class Code:
    code: str
    name: str
    severity: str
    summary: str  # one line, for --list


CODES: dict[str, Code] = {}


def code(code_: str, name: str, severity: str, summary: str) -> Code:
    if code_ in CODES:
        raise ValueError(f"check code {code_} registered twice")
    entry = Code(code_, name, severity, summary)
    CODES[code_] = entry
    return entry


def finding(code_: str, path: str, line: int, column: int, message: str, hint: str = "") -> Finding:
    return Finding(path, line, column, CODES[code_].severity, code_, message, hint)
