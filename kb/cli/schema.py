"""`kb schema`: print the JSON Schema of a record kind, or write them all into a knowledge base."""

from __future__ import annotations

import click

from kb.cli import Context
from kb.errors import KBError
from kb.model.records import FILE_KINDS


@click.command("schema")
@click.argument("kind", type=click.Choice(FILE_KINDS), required=False)
@click.option(
    "--write",
    "write_dir",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR]",
    help="Write every kind's schema to DIR/schemas/ (default: the knowledge base's root).",
)
@click.pass_obj
def schema(obj: Context, kind: str | None, write_dir: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a record kind, shared definitions included.

    With --write, write the schema of every kind into the knowledge base's schemas/ folder, where
    the `# yaml-language-server: $schema=...` comment of each record points editors.
    """
    import json
    from pathlib import Path

    from kb.store import schemas

    if write_dir is not None:
        if kind:
            raise KBError("--write writes every kind's schema; leave out KIND")
        root = Path(write_dir) if write_dir else obj.root
        if not root.is_dir():
            raise KBError(f"{root} is not a folder")
        written = schemas.write_all(root)
        folder = root / schemas.SCHEMA_FOLDER
        click.echo(
            f"{len(written)} schema files written to {folder}"
            if written
            else f"the schema files in {folder} are up to date"
        )
        return
    if not kind:
        raise KBError("name a record kind (" + ", ".join(FILE_KINDS) + "), or pass --write")
    click.echo(json.dumps(schemas.bundled(kind), indent=2, ensure_ascii=False))
