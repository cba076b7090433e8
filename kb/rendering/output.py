"""Where rendered output goes: standard output, the terminal (through rich), or a file written
atomically (a reader of the file never sees half a brief)."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from pathlib import Path

from kb.store import atomic

TEXT_WIDTH = 100


_CONTROL = None


def terminal_safe(text: str) -> str:
    """``text`` with every control character but newline and tab, and every bidirectional
    formatting character, shown as an escape (\\x1b, \\u202e): no record text can move the
    cursor, clear the screen, write to the clipboard or reorder a line. kb check rejects such
    records (KB204); this is the second line. Right-to-left names need none of them: a terminal
    shows their letters in their own order."""
    global _CONTROL
    if _CONTROL is None:
        import re

        from kb.model.scripts import BIDI_MARKS, BIDI_REORDERING

        _CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_REORDERING}{BIDI_MARKS}]")
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def is_terminal() -> bool:
    return sys.stdout.isatty()


def emit(text: str, path: str | None) -> None:
    """Write ``text`` to standard output, or to ``path``: a plain file (or none yet) is replaced
    atomically; a link the user named is followed and its target written; a FIFO, a device or
    another special file is written into, never replaced by a plain file."""
    if path:
        text = text if text.endswith("\n") else text + "\n"
        target = os.path.realpath(path)
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder; name a file", path)
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
            return
        atomic.write_text(Path(target), text)
    else:
        text = terminal_safe(text) if is_terminal() else text
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()


def console(stderr: bool = False):
    """The terminal, as rich writes to it: no colour under NO_COLOR, no guessing of markup."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, no_color="NO_COLOR" in os.environ)


def wants_pager(lines: int, height: int, terminal: bool) -> bool:
    """Page only what is shown on a terminal and does not fit on one screen; KB_PAGER=never (or
    PAGER=cat) turns it off."""
    if not terminal or os.environ.get("KB_PAGER", "").lower() in ("never", "0", "no", "off"):
        return False
    if os.environ.get("PAGER", None) == "cat":
        return False
    return lines >= height


def to_terminal(renderable, **options) -> None:
    """Print to the terminal through rich, through a pager (PAGER, else less with LESS=FRX as git
    does) when it is longer than the screen. Piped or redirected output is never paged."""
    terminal = console()
    if not terminal.is_terminal:
        terminal.print(renderable, **options)
        return
    with terminal.capture() as captured:
        terminal.print(renderable, **options)
    text = captured.get()
    if wants_pager(text.count("\n"), terminal.height, True):
        import click

        os.environ.setdefault("LESS", "FRX")  # as git does: colours pass, quit when it fits, no clearing
        click.echo_via_pager(text, color=terminal.color_system is not None)
    else:
        terminal.file.write(text)
        terminal.file.flush()


def markdown_to_terminal(markdown: str) -> None:
    from rich.markdown import Markdown

    # Links as "text (url)": a terminal without hyperlink support must not lose the address.
    to_terminal(Markdown(terminal_safe(markdown), hyperlinks=False))


def markdown_to_text(markdown: str, width: int = TEXT_WIDTH) -> str:
    """Markdown laid out as plain text, as the terminal shows it but without colours."""
    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False, emoji=False).print(
        Markdown(markdown, hyperlinks=False)
    )
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def markup_to_text(markup: str) -> str:
    """rich console markup ("[bold]...[/]") as the plain text a pipe gets from it."""
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, color_system=None, force_terminal=False, highlight=False, emoji=False).print(
        markup, soft_wrap=True
    )
    return buffer.getvalue()
