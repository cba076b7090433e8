"""`kb sources archive`: keep a stored copy of every source page and link it from its meeting."""

from __future__ import annotations

import click

from kb.cli import Context


@click.group("sources")
def sources() -> None:
    """Work with the meetings' sources."""


@sources.command("archive")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--refresh", is_flag=True, help="Fetch again pages that are already archived.")
@click.option("--dry-run", is_flag=True, help="List what would be fetched; fetch and write nothing.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to one host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds allowed for one response.",
)
@click.option(
    "--max-size", type=click.FloatRange(min=0.001), default=5.0, show_default=True, help="Largest page to keep, in MB."
)
@click.pass_obj
def archive(obj: Context, urls, refresh, dry_run, delay, timeout, max_size) -> None:
    """Fetch each source page once and keep its readable text in sources/<hash>.md.

    \b
      kb sources archive                 every meeting's sources not archived yet
      kb sources archive URL...          only these (each must be a meeting's source)
      kb sources archive --dry-run       what would be fetched

    Each copy records the retrieval time, the final url after redirects, the HTTP status, the
    content type and the body's sha256; its file is named by the hash, and every meeting source
    with that url gets `archive: <hash>` (nothing else in the file changes). A page already
    archived is not fetched again unless --refresh. Requests are polite: one a second per host,
    a User-Agent naming kb, robots.txt honoured, only http(s), at most 5 redirects. A page that
    fails is reported with its reason and nothing is written for it; the exit status is then 1.
    """
    from kb.importing import archiving, fetching

    policy = fetching.Policy(delay=delay, timeout=timeout, max_bytes=int(max_size * 1024 * 1024))

    def show(outcome: archiving.Outcome) -> None:
        click.echo(f"{outcome.action}: {outcome.url}" + (f": {outcome.detail}" if outcome.detail else ""))

    report = archiving.archive(
        obj.load(), tuple(urls), refresh=refresh, dry_run=dry_run, fetcher=fetching.Fetcher(policy), progress=show
    )
    for relpath, number, key in report.linked:
        click.echo(f"{relpath}: source {number}: archive: {key}")
    for error in report.edit_errors:
        click.echo(f"kb: error: {error}", err=True)
    counts = {
        action: sum(o.action == action for o in report.outcomes)
        for action in ("fetched", "kept", "would fetch", "failed")
    }
    summary = ", ".join(f"{n} {action}" for action, n in counts.items() if n) or "no sources with a url"
    click.echo(summary + (" (dry run: nothing fetched or written)" if dry_run else ""))
    if report.failed:
        raise SystemExit(1)
