"""Findings as text (for people), JSON (for programs) and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections import Counter

from kb.model.findings import Finding


def as_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False)


def _github_escape(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        props = f"file={_github_escape(f.path, True)}"
        if f.line:
            props += f",line={f.line}"
        if f.column:
            props += f",col={f.column}"
        props += f",title={_github_escape(f.code, True)}"
        message = f.message + (f" ({f.hint})" if f.hint else "")
        lines.append(f"::{level} {props}::{_github_escape(message)}")
    return "\n".join(lines)


def location(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}" if f.line else f.path


def print_text(findings: list[Finding], console, files_checked: int) -> None:
    from rich.markup import escape

    for f in findings:
        colour = "red" if f.severity == "error" else "yellow"
        console.print(
            f"[bold]{escape(location(f))}[/]: [{colour}]{f.severity}[/][[cyan]{f.code}[/]] {escape(f.message)}",
            highlight=False, soft_wrap=True,
        )
        if f.hint:
            console.print(f"    [dim]hint:[/] {escape(f.hint)}", highlight=False, soft_wrap=True)
    counts = Counter(f.severity for f in findings)
    from kb.model.text import plural

    summary = (f"{plural(files_checked, 'file')} checked: {plural(counts['error'], 'error')}, "
               f"{plural(counts['warning'], 'warning')}")
    if findings:
        console.print(summary, style="bold", highlight=False)
    else:
        console.print(f"{summary}. All good.", style="green", highlight=False)
