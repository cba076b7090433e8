"""`kb diff`: what changed in the records between two git revisions."""

from __future__ import annotations

import click

from kb.authoring.changes import DIFF
from kb.cli import Context, common, keep
from kb.errors import KBError


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@common.format_options(DIFF)
@common.audience_option
@click.pass_obj
def diff(
    obj: Context, base: str | None, head: str | None, format_: str, output: str | None, audience: str | None
) -> None:
    """What changed in the records from BASE to HEAD, as meaning rather than lines: records
    added, removed or renamed, fields changed (old and new value), participants, outcomes,
    aliases, roles and sources added or removed, a commitment's status moving.

    BASE defaults to the merge base with the default branch (origin/HEAD, main or master), or
    HEAD on that branch itself; HEAD defaults to the working tree, uncommitted files included.
    The md format is for a pull request comment or a job summary.
    """
    from kb.authoring import changes
    from kb.query.audience import Audience, LevelError
    from kb.store.loader import read_config

    config = read_config(obj.root)  # fails closed: the markings' defaults must be known
    level = audience if audience is not None else config.brief_audience
    try:
        report = changes.diff(
            obj.root, base, head, Audience(level, config.default_sensitivity), use_cache=not obj.no_cache
        )
    except changes.GitError as error:
        raise KBError(f"kb diff: {error}") from None
    except LevelError as error:
        raise KBError(f"--audience: {error}") from None
    keep(report)  # both sides' records: not freed one by one at the end
    if not obj.no_cache:
        obj.warn_cache()  # the working tree's records come from the record cache
    DIFF.write(format_, report, output=output)
