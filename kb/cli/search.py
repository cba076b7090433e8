"""`kb search`: ranked full-text search over meetings and their parts."""

from __future__ import annotations

import click

from kb.cli import Context, common
from kb.rendering.formats import HITS

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
@click.option(
    "--country", metavar="CC", help="Only meetings held in or with a side from this country (our own side: held in it)."
)
@common.since_until_options()
@click.option("--status", type=click.Choice(["planned", "held", "cancelled"]), help="Only meetings with this status.")
@click.option("--open", "open_only", is_flag=True, help="Only meetings with open or in-progress commitments.")
@common.audience_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most this many hits.")
@common.format_options(HITS)
@click.pass_obj
def search(
    obj: Context, query, kinds, with_, topic, country, since, until, status, open_only, audience, limit, format_, output
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
    if not obj.no_cache:
        obj.warn_cache()  # the index is read from the cache, and may have been read without loading
    obj.warn_left_out(sorted(result.pop("unreadable")))
    in_table = format_ == HITS.shown_as and output is None  # its title says "20 of 31"
    if format_ != "json" and not in_table and result["total"] > result["count"]:
        click.echo(f"({result['total'] - result['count']} more; raise --limit to see them)", err=True)
    context = {"query": text, "level": level, "result": result}
    HITS.write(format_, context, output=output)
