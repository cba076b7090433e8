"""`kb export`: the knowledge base for other tools."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.errors import KBError


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
@common.audience_option
@click.pass_obj
def sqlite(obj: Context, file, metadata_path, audience) -> None:
    """An SQLite database of every record, ready for datasette:

    \b
      kb export sqlite kb.db && datasette kb.db --metadata kb.metadata.json
    """
    from pathlib import Path

    from kb.rendering.database import metadata_json, write_sqlite
    from kb.views import dataset

    kb = obj.load()
    readers = common.audience(kb, audience)
    tables = dataset.rows(kb, readers)
    target = Path(file)
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
