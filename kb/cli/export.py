"""`kb export`: the knowledge base for other tools."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.errors import KBError
from kb.model import dates
from kb.rendering.formats import FTM, POPOLO


@click.group("export")
def export() -> None:
    """Export the knowledge base for other tools (within --audience, like every output)."""


@export.command("sqlite")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--metadata",
    "metadata_path",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Where to write datasette's metadata (default: FILE with .metadata.json in place of its suffix).",
)
@click.option("--on", "on", metavar="DATE", help="The day open items are counted on (default: today).")
@common.audience_option
@click.pass_obj
def sqlite(obj: Context, file, metadata_path, on, audience) -> None:
    """An SQLite database of every record, ready for datasette:

    \b
      kb export sqlite kb.db && datasette kb.db --metadata kb.metadata.json

    Its table open_items holds what is open with every person, organisation and country on the
    day (--on), as `kb brief` and `kb due` list it: age, staleness and whose move it is.
    """
    from pathlib import Path

    from kb.rendering.database import metadata_json, write_sqlite
    from kb.views import dataset

    target = Path(file)
    if not target.name or target.name in (".", ".."):
        raise KBError(f"FILE {file!r} names no file: give the database's file name, e.g. kb export sqlite kb.db")
    day = common.parse_day(on, "--on") or dates.today()
    kb = obj.load()
    readers = common.audience(kb, audience)
    tables = dataset.rows(kb, readers, day)
    metadata_file = Path(metadata_path) if metadata_path else target.with_suffix(".metadata.json")
    if metadata_file.resolve() == target.resolve():
        metadata_file = target.with_name(target.name + ".metadata.json")
    try:
        write_sqlite(target, tables, dataset.TABLES, dataset.FTS)
    except OSError as error:
        raise KBError(f"cannot write {file}: {error.strerror or error}") from None
    common.write(metadata_json(dataset.metadata(kb, target.stem, readers)), str(metadata_file))
    withheld = readers.summary()["withheld_total"]
    counts = ", ".join(f"{len(tables[t])} {t}" for t in ("meetings", "people", "organisations", "outcomes"))
    click.echo(
        f"wrote {file} ({counts}) and {metadata_file}" + (f"; {withheld} items withheld" if withheld else ""), err=True
    )


def _interchange(obj: Context, audience, build, view, format_, output) -> dict:
    """Load, build the context for the readers, write it through ``view``; the context."""
    kb = obj.load()
    readers = common.audience(kb, audience)
    context = build(kb, readers)
    view.write(format_, context, output=output)
    return context


def _said(context: dict, output: str | None, counts: str) -> None:
    withheld = context["audience"]["withheld_total"]
    where = f"wrote {output}" if output else "exported"
    click.echo(f"{where} ({counts})" + (f"; {withheld} items withheld" if withheld else ""), err=True)


@export.command("ftm")
@common.format_options(FTM)
@common.audience_option
@click.pass_obj
def ftm(obj: Context, format_, output, audience) -> None:
    """Every record as FollowTheMoney entities, one JSON object a line, for Aleph and OpenAleph:

    \b
      kb export ftm -o kb.ftm.json && ftm validate -i kb.ftm.json -o checked.ftm.json

    People (Person), organisations (PublicBody for government bodies, else Organization), posts
    and roles over time (Position, Occupancy), meetings (Event: involved, organizer) and their
    sources (Article, Documentation). Ids are kb's: kb-person-<id>, kb-meeting-<id>...
    Needs the followthemoney library (pip install 'diplomatic-kb[ftm]').
    """
    from kb.views import ftm

    context = _interchange(obj, audience, ftm.entities, FTM, format_, output)
    for refused in context["refused"]:
        click.echo(f"kb: warning: FollowTheMoney refused a value, left out: {refused}", err=True)
    _said(context, output, ", ".join(f"{n} {schema}" for schema, n in context["counts"].items()))


@export.command("popolo")
@common.format_options(POPOLO)
@common.audience_option
@click.pass_obj
def popolo(obj: Context, format_, output, audience) -> None:
    """People, organisations, posts, memberships and meetings (events) as one Popolo JSON document:

    \b
      kb export popolo -o kb.popolo.json

    Ids are those of kb export ftm (kb-person-<id>, kb-org-<id>, kb-post-<post>, kb-role-<person>-<n>,
    kb-meeting-<id>); every record also carries its kb id as an identifier of scheme "kb".
    """
    from kb.views import popolo

    context = _interchange(obj, audience, popolo.document, POPOLO, format_, output)
    _said(context, output, ", ".join(f"{len(items)} {name}" for name, items in context["popolo"].items()))
