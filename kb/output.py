"""Where rendered output goes: standard output, the terminal (through rich), or a file written
atomically (a reader of the file never sees half a brief)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from . import atomic

TEXT_WIDTH = 100


def is_terminal() -> bool:
    return sys.stdout.isatty()


def emit(text: str, path: str | None) -> None:
    if path:
        atomic.write_text(Path(path), text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()


def format_from_path(path: str | None, suffixes: dict[str, str]) -> str | None:
    """The format an output file's name asks for: brief.html -> html."""
    if not path:
        return None
    return suffixes.get(Path(path).suffix.lower())


def markdown_to_terminal(markdown: str) -> None:
    from rich.markdown import Markdown

    from .cli import console

    console().print(Markdown(markdown))


def markdown_to_text(markdown: str, width: int = TEXT_WIDTH) -> str:
    """Markdown laid out as plain text, as the terminal shows it but without colours."""
    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False,
            emoji=False).print(Markdown(markdown))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
