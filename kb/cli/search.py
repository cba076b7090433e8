"""`kb search`: ranked full-text search over meetings and their parts."""

from __future__ import annotations

import json
import sys

import click

from kb.cli import Context, common

KIND_CHOICES = ("meeting", "outcome", "claim", "quote", "note", "source")


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(KIND_CHOICES), help="Only items of this kind (repeatable)."
)
@click.option(
    "--with", "with_", metavar="WHO", help="Only meetings with this person or organisation (id, name or alias)."
)
@click.option("--topic", help="Only meetings on this topic (an id or a synonym).")
@click.option("--country", metavar="CC", help="Only meetings held in or with a side from this country.")
@common.since_until_options()
@click.option("--status", type=click.Choice(["planned", "held", "cancelled"]), help="Only meetings with this status.")
@click.option("--open", "open_only", is_flag=True, help="Only meetings with open or in-progress commitments.")
@common.audience_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most this many hits.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "text", "json"]),
    default=None,
    help="Default: a table on a terminal, text otherwise.",
)
@click.pass_obj
def search(
    obj: Context, query, kinds, with_, topic, country, since, until, status, open_only, audience, limit, format_
) -> None:
    """Search meetings, outcomes, claims, quotes, notes and sources, best match first.

    \b
    Every word must match (stemmed, ignoring case and accents); "a phrase" in quotes matches as
    one; extradit* matches as a prefix. Names match through the people's aliases.
    \b
      kb search extradition
      kb search "law enforcement" --with "Donald Bloom" --kind outcome
    """
    from kb.views import searching

    level = audience
    filters = None
    if any((with_, topic, country, since, until, status, open_only)):
        # only then is the whole knowledge base loaded (the filters are kb list's, on its model)
        from kb.views import listing

        filters = listing.Filters(with_, topic, country, since, until, status, open_only)
    text = " ".join(query)
    result = searching.results(
        obj.root,
        text,
        audience=level,
        kinds=list(kinds) or None,
        filters=filters,
        limit=limit,
        load=obj.load,
        use_cache=not obj.no_cache,
    )
    unreadable = result.pop("unreadable")
    if unreadable:
        click.echo(
            f"kb: warning: {len(unreadable)} file(s) could not be read and are left out "
            f"(first: {unreadable[0]}); run `kb check` for details",
            err=True,
        )
    format_ = format_ or ("table" if sys.stdout.isatty() else "text")
    if format_ == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    if format_ == "text":
        for hit in result["hits"]:
            click.echo("\t".join((hit["date"], hit["ref"], hit["kind"], " ".join(_marked(hit, "«", "»").split()))))
        if result["total"] > result["count"]:
            click.echo(f"({result['total'] - result['count']} more; raise --limit to see them)", err=True)
        return
    from rich.table import Table
    from rich.text import Text

    from kb.rendering.output import console

    shown = f"{result['count']} of {result['total']}" if result["total"] > result["count"] else str(result["total"])
    table = Table(title=f"{shown} hits for {text!r}" + (f" (TLP:{level})" if level else ""), title_justify="left")
    table.add_column("date", no_wrap=True)
    table.add_column("item", overflow="fold")
    table.add_column("kind")
    table.add_column("match")
    for hit in result["hits"]:
        snippet = Text()
        at = 0
        for start, end in hit["highlights"]:
            snippet.append(hit["snippet"][at:start])
            snippet.append(hit["snippet"][start:end], style="bold")
            at = end
        snippet.append(hit["snippet"][at:])
        table.add_row(hit["date"], hit["ref"], hit["kind"], snippet)
    console().print(table)


def _marked(hit: dict, open_: str, close: str) -> str:
    out, at = [], 0
    for start, end in hit["highlights"]:
        out += [hit["snippet"][at:start], open_, hit["snippet"][start:end], close]
        at = end
    out.append(hit["snippet"][at:])
    return "".join(out)
