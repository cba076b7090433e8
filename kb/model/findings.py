"""What a check reports: one problem at one place in one file."""

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
