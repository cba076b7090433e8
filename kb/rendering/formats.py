"""Every output format in one place: what each view (a brief, a timeline, the agenda) offers, how
each is written, and which file names ask for which.

A view's context is JSON-ready data (for the views written straight from records, a record, the
findings of a check, the pairs of a dedupe: what their writers take); a renderer turns it into the
text of one format. The command
line names the format with ``--format``, or lets the name of the ``-o`` file say it (``x.ics`` is
iCalendar); a suffix the view cannot write is refused before anything is loaded or written. With
neither, a terminal gets the view's terminal display and a pipe its ``piped`` format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import EnvironmentProblem, KBError
from kb.rendering import calendar, report, text
from kb.rendering.output import (
    console,
    emit,
    markdown_to_terminal,
    markdown_to_text,
    markup_to_text,
    terminal_safe,
    to_terminal,
)

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
    "github": (),  # workflow commands, for a GitHub Actions log
    "markdown": (".md", ".markdown"),
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


Renderer = Callable[[Any, Templates], str]


def _no_preference() -> str | None:
    return None


@dataclass(frozen=True)
class View:
    """The formats one view offers (name -> renderer, in the order --help lists them), the one a
    pipe gets, and how a terminal shows it (``shown_as``: the format that means "the terminal
    display" when no file is named, TERMINAL when only the default does). ``preferred`` names a
    format that, where it applies, comes before the terminal and piped defaults (``when`` says
    where, in --help)."""

    name: str
    renderers: dict[str, Renderer]
    piped: str
    show: Callable[[Any, Templates], None]
    shown_as: str = TERMINAL
    preferred: Callable[[], str | None] = _no_preference
    when: str = ""

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.renderers)

    def choose(self, format_: str | None, path: str | None, terminal: bool) -> str:
        """The format to write: --format, else the one the -o file's name asks for, else the
        preferred one where it applies, else the terminal display or the piped format."""
        chosen = format_ or from_path(path, self.formats) or self.preferred()
        if chosen is None:
            chosen = self.shown_as if path is None and terminal else self.piped
        return chosen

    def write(self, format_: str, context: Any, templates: Templates | None = None, output: str | None = None) -> None:
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


def as_json(context: Any, _templates: Templates) -> str:
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


def _plain(render: Callable[[Any], str]) -> Renderer:
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


def _show_plain(render: Callable[[Any], str]) -> Callable[[Any, Templates], None]:
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


# Views written straight from records: `kb show`, `kb dedupe`, `kb check` (`kb diff`'s is
# kb.authoring.changes.DIFF, beside the report it writes).


def _record_markup(context: dict) -> str:
    from kb.views import record

    return record.as_text(context["kb"], context["kind"], context["id"], context["limit"])


def _show_record(context: dict, _templates: Templates) -> None:
    to_terminal(terminal_safe(_record_markup(context)), highlight=False, soft_wrap=True)


def _record_json(context: dict, templates: Templates) -> str:
    from kb.views import record

    return as_json(record.as_data(context["kb"], context["kind"], context["id"]), templates)


# context: {"kb", "kind", "id", "limit"}: the record and how many meetings a list shows in text
RECORD = View(
    "show",
    {"text": lambda c, _t: markup_to_text(_record_markup(c)), "json": _record_json},
    piped="text",
    show=_show_record,
    shown_as="text",
)


def _pairs_text(context: dict) -> str:
    from kb.views import duplicates

    return duplicates.as_text(context["kb"], context["found"], context["kinds"])


def _pairs_json(context: dict, templates: Templates) -> str:
    from kb.views import duplicates

    data = duplicates.as_data(context["kb"], context["found"], context["kinds"], context["level"])
    return as_json(data, templates)


# context: {"kb", "found", "kinds", "level"}: the candidate pairs, of which kinds, for which readers
PAIRS = View(
    "dedupe",
    {"text": _plain(_pairs_text), "json": _pairs_json},
    piped="text",
    show=_show_plain(_pairs_text),
    shown_as="text",
)


def _findings_text(context: dict) -> str:
    import io

    buffer = io.StringIO()
    report.print_text(context["findings"], context["files_read"], buffer, colour=False)
    return buffer.getvalue()


def _under_github_actions() -> str | None:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else None


# context: {"findings", "files_read"}
FINDINGS = View(
    "check",
    {
        "text": _plain(_findings_text),
        "json": lambda c, _t: report.as_json(c["findings"]),
        "github": lambda c, _t: report.as_github(c["findings"]) if c["findings"] else "",
    },
    piped="text",
    show=lambda c, _t: report.print_text(c["findings"], c["files_read"]),
    shown_as="text",
    preferred=_under_github_actions,
    when="github under GitHub Actions",
)


def _codes_text(codes: list) -> str:
    return "".join(f"{c.code}  {c.severity:<7}  {c.name:<22}  {c.summary}\n" for c in codes)


def _codes_json(codes: list, templates: Templates) -> str:
    return as_json(
        [{"code": c.code, "severity": c.severity, "name": c.name, "summary": c.summary} for c in codes], templates
    )


def _codes_markdown(_codes: list) -> str:
    from kb.checks import registry

    return registry.markdown_table()


# context: the check codes, in order (kb.checks.registry.CODES)
CODES = View(
    "check --list",
    {"text": _plain(_codes_text), "json": _codes_json, "markdown": _plain(_codes_markdown)},
    piped="text",
    show=_show_plain(_codes_text),
    shown_as="text",
)
