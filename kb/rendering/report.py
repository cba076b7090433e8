"""Findings as text (for people), JSON (for programs) and GitHub workflow annotations."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

from kb.model.findings import Finding
from kb.model.scripts import BIDI_MARKS, BIDI_REORDERING


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


# Control characters in record text (a YAML "\e" is an escape character) must not reach a
# terminal as commands: each is shown as its escape, as Python writes it.
_CONTROL = {c: repr(chr(c))[1:-1] for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) != "\t"}
# and the bidirectional formatting characters (kb.model.scripts), which repr leaves as they are
_CONTROL.update({ord(c): f"\\u{ord(c):04x}" for c in BIDI_REORDERING + BIDI_MARKS})
_STYLES = {
    "bold": "\x1b[1m",
    "red": "\x1b[31m",
    "yellow": "\x1b[33m",
    "cyan": "\x1b[36m",
    "dim": "\x1b[2m",
    "green": "\x1b[32m",
    "reset": "\x1b[0m",
}


def wants_colour(stream) -> bool:
    """Colour only on a terminal, and never under NO_COLOR (https://no-color.org); FORCE_COLOR
    asks for it anyway."""
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def print_text(findings: list[Finding], files_checked: int, stream=None, colour: bool | None = None) -> None:
    """Findings for people, one line each with its hint below, then a count; written directly
    (thousands of findings print in about the time they take to format as JSON)."""
    stream = stream or sys.stdout
    colour = wants_colour(stream) if colour is None else colour
    s = _STYLES if colour else dict.fromkeys(_STYLES, "")
    bold, reset, dim, cyan = s["bold"], s["reset"], s["dim"], s["cyan"]
    lines = []
    for f in findings:
        sev = s["red"] if f.severity == "error" else s["yellow"]
        lines.append(
            f"{bold}{location(f).translate(_CONTROL)}{reset}: {sev}{f.severity}{reset}[{cyan}{f.code}{reset}] "
            f"{f.message.translate(_CONTROL)}"
        )
        if f.hint:
            lines.append(f"    {dim}hint:{reset} {f.hint.translate(_CONTROL)}")
    counts = Counter(f.severity for f in findings)
    from kb.model.text import plural

    summary = (
        f"{plural(files_checked, 'file')} checked: {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}"
    )
    if findings:
        lines.append(f"{bold}{summary}{reset}")
    else:
        lines.append(f"{s['green']}{summary}. All good.{reset}")
    stream.write("\n".join(lines) + "\n")
    stream.flush()
