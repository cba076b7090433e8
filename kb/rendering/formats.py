"""Every output format in one place: what each view (a brief, a timeline, the agenda) offers, how
each is written, and which file names ask for which.

A view's context is JSON-ready data; a renderer turns it into the text of one format. The command
line names the format with ``--format``, or lets the name of the ``-o`` file say it (``x.ics`` is
iCalendar); a suffix the view cannot write is refused before anything is loaded or written. With
neither, a terminal gets the view's terminal display and a pipe its ``piped`` format.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EnvironmentProblem, KBError
from kb.rendering import calendar, text
from kb.rendering.output import console, emit, markdown_to_terminal, markdown_to_text, to_terminal

# The file names each format is written under.
SUFFIXES = {
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "json": (".json",),
    "csv": (".csv",),
    "ics": (".ics",),
    "mermaid": (".mmd", ".mermaid"),
    "text": (".txt",),
    "tsv": (".tsv",),
    # FollowTheMoney entities, one JSON object a line (kb.ftm.json, as FtM's own tools name them)
    "ftm": (".json", ".ftm", ".jsonl", ".ndjson"),
}
TERMINAL = "terminal"  # the display on a terminal, when no format is named


@dataclass(frozen=True)
class Templates:
    """Where a knowledge base's templates are, for the renderers that go through them."""

    root: Path | None
    folder: str | None
    use_cache: bool = True

    def render(self, name: str, kind: str, context: dict) -> str:
        from kb.rendering import templates

        return templates.render(name, kind, context, self.root, self.folder, use_cache=self.use_cache)


Renderer = Callable[[dict, Templates], str]


@dataclass(frozen=True)
class View:
    """The formats one view offers (name -> renderer, in the order --help lists them), the one a
    pipe gets, and how a terminal shows it (``shown_as``: the format that means "the terminal
    display" when no file is named, TERMINAL when only the default does)."""

    name: str
    renderers: dict[str, Renderer]
    piped: str
    show: Callable[[dict, Templates], None]
    shown_as: str = TERMINAL

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.renderers)

    def choose(self, format_: str | None, path: str | None, terminal: bool) -> str:
        """The format to write: --format, else the one the -o file's name asks for, else the
        terminal display or the piped format."""
        chosen = format_ or from_path(path, self.formats)
        if chosen is None:
            chosen = self.shown_as if path is None and terminal else self.piped
        return chosen

    def write(self, format_: str, context: dict, templates: Templates | None = None, output: str | None = None) -> None:
        """``context`` in ``format_``, to the terminal display, standard output or the file
        ``output`` (atomically)."""
        templates = templates or Templates(None, None)
        if format_ == self.shown_as and output is None:
            self.show(context, templates)
            return
        written = self.renderers[format_](context, templates)
        if not written and output is None:
            return  # nothing found: no empty line on standard output
        try:
            emit(written, output)
        except OSError as error:
            raise EnvironmentProblem(f"cannot write {output}: {error.strerror or error}") from None


def from_path(path: str | None, formats: tuple[str, ...]) -> str | None:
    """The format an output file's name asks for: brief.html -> html; None for no file or a name
    without a suffix. A suffix the view cannot write (brief.pdf, x.xlsx, a brief to .csv) is
    refused rather than filled with another format."""
    if not path:
        return None
    suffix = Path(path).suffix.lower()
    if not suffix:
        return None
    for name in formats:
        if suffix in SUFFIXES.get(name, ()):
            return name
    known = ", ".join(sorted(s for name in formats for s in SUFFIXES.get(name, ())))
    pdf = " (for a PDF, write .html and print it from a browser)" if suffix == ".pdf" and "html" in formats else ""
    raise KBError(
        f"-o {path}: kb cannot write a {suffix} file here{pdf}; use one of {known}, "
        f"or give --format to write that format under any name"
    )


def as_json(context: dict, _templates: Templates) -> str:
    return json.dumps(context, indent=2, ensure_ascii=False)


def _template(name: str, kind: str) -> Renderer:
    return lambda context, templates: templates.render(name, kind, context)


def _brief_text(context: dict, templates: Templates) -> str:
    return markdown_to_text(templates.render("brief", "md", context))


def _show_brief(context: dict, templates: Templates) -> None:
    markdown_to_terminal(templates.render("brief", "md", context))


def _show_timeline(context: dict, _templates: Templates) -> None:
    to_terminal(text.timeline_table(context))


def _show_agenda(context: dict, templates: Templates) -> None:
    from rich.markdown import Markdown

    console().print(Markdown(templates.render("due", "md", context)))


def _plain(render: Callable[[dict], str]) -> Renderer:
    return lambda context, _templates: render(context)


BRIEF = View(
    "brief",
    {"md": _template("brief", "md"), "html": _template("brief", "html"), "json": as_json, "text": _brief_text},
    piped="md",
    show=_show_brief,
)
TIMELINE = View(
    "timeline",
    {
        "table": _plain(text.timeline_text),  # a table asked for in a file: its plain text
        "text": _plain(text.timeline_text),
        "md": _template("timeline", "md"),
        "html": _template("timeline", "html"),
        "json": as_json,
        "csv": _plain(text.timeline_csv),
        "ics": _plain(calendar.timeline_ics),
        "mermaid": _template("timeline", "mermaid"),
    },
    piped="text",
    show=_show_timeline,
    shown_as="table",
)
AGENDA = View(
    "due",
    {
        "table": _plain(text.agenda_text),
        "text": _plain(text.agenda_text),
        "md": _template("due", "md"),
        "json": as_json,
        "ics": _plain(calendar.agenda_ics),
    },
    piped="text",
    show=_show_agenda,
    shown_as="table",
)


def _show_records(context: dict, _templates: Templates) -> None:
    to_terminal(text.records_table(context))


def _show_hits(context: dict, _templates: Templates) -> None:
    console().print(text.hits_table(context))


RECORDS = View(
    "list",
    {"table": _plain(text.records_tsv), "tsv": _plain(text.records_tsv), "json": lambda c, t: as_json(c["rows"], t)},
    piped="tsv",
    show=_show_records,
    shown_as="table",
)
HITS = View(
    "search",
    {"table": _plain(text.hits_text), "text": _plain(text.hits_text), "json": lambda c, t: as_json(c["result"], t)},
    piped="text",
    show=_show_hits,
    shown_as="table",
)


def ftm_lines(context: dict) -> str:
    """FollowTheMoney entities as FtM's tools read them: one JSON object a line, keys sorted."""
    return "".join(json.dumps(entity, sort_keys=True, ensure_ascii=False) + "\n" for entity in context["entities"])


def _show_plain(render: Callable[[dict], str]) -> Callable[[dict, Templates], None]:
    return lambda context, _templates: emit(render(context), None)


# The interchange exports: the same text on a terminal, a pipe or in a file.
FTM = View("ftm", {"ftm": _plain(ftm_lines)}, piped="ftm", show=_show_plain(ftm_lines), shown_as="ftm")
POPOLO = View(
    "popolo",
    {"json": lambda c, t: as_json(c["popolo"], t)},
    piped="json",
    show=lambda c, t: emit(as_json(c["popolo"], t), None),
    shown_as="json",
)
