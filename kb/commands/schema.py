"""`kb schema`: print the JSON Schema of a record kind."""

from __future__ import annotations

import click


@click.command("schema")
@click.argument("kind", type=click.Choice(["meeting", "person", "org", "topics", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a record kind, shared definitions included."""
    import json

    from .. import schema as schemas

    click.echo(json.dumps(schemas.bundled(kind), indent=2, ensure_ascii=False))
