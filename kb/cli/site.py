"""`kb site build` and `kb site serve`: the knowledge base as a static web site."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.model import dates

output_dir_option = click.option(
    "-o",
    "--output",
    "output",
    metavar="DIR",
    default="_site",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The folder to build into (made if missing).",
)
today_option = click.option(
    "--today",
    "today",
    metavar="DATE",
    help="The day the site is built for (YYYY-MM-DD; what is overdue). Default: KB_TODAY, else the clock.",
)


def _day(value: str | None):
    """The site's date: --today, else kb's today (KB_TODAY, else the clock)."""

    return common.parse_day(value, "--today") or dates.today()


@click.group()
def site() -> None:
    """A static web site of the knowledge base: pages, charts, graphs and search.

    \b
      kb site build -o _site --audience GREEN
      kb site serve
    """


@site.command()
@output_dir_option
@common.audience_option
@today_option
@click.pass_obj
def build(obj: Context, output: str, audience: str | None, today: str | None) -> None:
    """Build the site into DIR; only the files that changed are rewritten."""
    from pathlib import Path

    from kb.site.build import build_site

    kb = obj.load()
    readers = common.audience(kb, audience)
    report = build_site(kb, Path(output), readers, today=_day(today), reuse=not obj.no_cache)
    obj.warn_cache(report.notes)
    click.echo(_summary(report, output), err=True)


def _summary(report, output: str) -> str:
    text = f"kb: site in {output}: {report.total} files, {len(report.written)} written, {report.unchanged} unchanged"
    if report.removed:
        text += f", {len(report.removed)} removed"
    if report.looked or report.written:
        text += f" ({len(report.looked)} looked at)"
    if report.level:
        text += f"; audience TLP:{report.level}, {report.withheld} meeting(s) withheld"
    return text


@site.command()
@output_dir_option
@common.audience_option
@today_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port (0: any free one).",
)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; one that is not loopback needs --allow-remote.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Let --bind name an address others can reach: they can then read the whole site.",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=1.0,
    show_default=True,
    help="Seconds between looks for changed records.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Serve the pages without their forms (they edit records only on a loopback address).",
)
@click.option(
    "--max-rebuilds",
    type=click.IntRange(0),
    default=None,
    hidden=True,
    help="Stop after this many rebuilds (for tests).",
)
@click.pass_obj
def serve(
    obj: Context,
    output: str,
    audience: str | None,
    today: str | None,
    port: int,
    bind: str,
    allow_remote: bool,
    interval: float,
    read_only: bool,
    max_rebuilds: int | None,
) -> None:
    """Build the site, serve it on 127.0.0.1 and rebuild when a record is saved (Ctrl-C stops).

    A meeting page served here carries forms: record an open outcome's progress (as `kb update`
    does) and add a source (as `kb import` does); /_kb/add-meeting adds a meeting, checked by
    `kb check` before it is saved. They write only with this run's token, from the site's own
    pages, and only if the records are unchanged since the page (or the check) was shown.
    """
    from pathlib import Path

    from kb.site.forms import Editor
    from kb.site.serve import serve_site

    def audience_kb(listing=None):
        kb = obj.load(listing=listing)
        return kb, common.audience(kb, audience)

    def rebuild():
        from kb.site.build import build_site

        kb = obj.load()
        readers = common.audience(kb, audience)
        return build_site(kb, Path(output), readers, today=_day(today), reuse=not obj.no_cache)

    serve_site(
        obj.root,
        Path(output),
        port,
        interval,
        rebuild,
        lambda line: click.echo(line, err=True),
        max_rebuilds=max_rebuilds,
        describe=lambda report: _summary(report, output),
        bind=bind,
        allow_remote=allow_remote,
        editor=None if read_only else Editor(audience_kb, _day(today) if today else None, not obj.no_cache),
    )
