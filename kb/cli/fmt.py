"""`kb fmt`: rewrite records in the one canonical layout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kb.cli import Context
from kb.errors import KBError


def _targets(obj: Context, paths: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(path, relpath, kind) of every record to format. Files that are not records of a knowledge
    base (a workflow, .pre-commit-config.yaml) are skipped, so a hook may pass any YAML file."""
    from kb.store.files import STRAY, NotAKnowledgeBase, discover, find_root, kind_of

    if not paths:
        # Joined as strings: a Path for each of tens of thousands of files costs more than its stat.
        base = os.path.join(os.fspath(obj.root), "")
        return [(base + relpath, relpath, kind) for relpath, kind in discover(obj.root) if kind != STRAY]
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise KBError(f"{given}: no such file or folder")
    targets = []
    for path in files:
        try:
            root = obj.root if obj.kb_dir else find_root(start=path.resolve().parent)
        except NotAKnowledgeBase:
            continue
        try:
            relpath = path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        kind = kind_of(relpath)
        if kind:
            targets.append((str(path), relpath, kind))
    return targets


def _proved(obj: Context, targets, paths: tuple[str, ...]):
    """The cache of files proved canonical, when every target lies in the knowledge base at hand
    (as every record it lists does) and caching is on (a hook may pass files of several knowledge
    bases: then none is used)."""
    from kb.store.files import NotAKnowledgeBase
    from kb.store.fmtcache import FormattedCache

    if obj.no_cache or not targets:
        return None
    try:
        root = obj.root.resolve()
    except (NotAKnowledgeBase, KBError, OSError):
        return None
    if paths:
        for path, relpath, _kind in targets:
            if Path(path).resolve() != root / relpath:
                return None
    obj.warn_cache()
    return FormattedCache(root)


CHANGED, FAILED, UNCHANGED = "changed", "failed", "unchanged"


def _format_one(name: str, relpath: str, kind: str, shown: str, proved, check: bool, show_diff: bool) -> str:
    """Format one record (or say how it would change); CHANGED, FAILED or UNCHANGED. ``proved``
    (a FormattedCache or None) skips a file found canonical before and learns the ones found now."""
    from kb.authoring import formatting
    from kb.store.files import regular_stat

    st = regular_stat(name)
    if st is None:
        click.echo(
            f"kb: error: cannot format {shown}: not a plain file (a link or a folder); kb fmt never "
            "writes through links (kb check reports it)",
            err=True,
        )
        return FAILED
    if proved and proved.canonical(relpath, name, kind, st):
        return UNCHANGED  # unchanged since kb fmt found it canonical
    path = Path(name)
    outcome = formatting.format_file(path, relpath, kind)
    if outcome.error:
        click.echo(f"kb: error: cannot format {shown}: {outcome.error}", err=True)
        return FAILED
    if not outcome.changed:
        if proved:
            proved.record(relpath, path, kind)
        return UNCHANGED
    if show_diff:
        diff = outcome.diff()
        click.echo(diff, nl=not diff.endswith("\n"))
    elif check:
        click.echo(f"would reformat {shown}")
    else:
        from kb.store import atomic

        try:
            formatting.write(path, outcome)
        except atomic.ChangedMeanwhile:
            if formatting.now_holds(path, outcome):  # another kb fmt wrote the same text meanwhile
                if proved:
                    proved.record(relpath, path, kind)
                return UNCHANGED
            click.echo(
                f"kb: error: {shown} changed while kb fmt was formatting it, so it is left as it is; run kb fmt again",
                err=True,
            )
            return FAILED
        if proved:
            proved.record(relpath, path, kind)
        click.echo(f"reformatted {shown}")
    return CHANGED


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would change as a unified diff.")
@click.pass_obj
def fmt(obj: Context, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite records in the canonical layout: key order of the schema, two-space indentation,
    block lists, plain dates, quotes only where needed. Every comment and value is kept.

    Without PATHS, formats every record of the knowledge base. Exit 0 when nothing is (or would
    be) changed, 1 when --check or --diff finds files to change or a file cannot be formatted.
    """
    targets = _targets(obj, paths)
    proved = _proved(obj, targets, paths)
    results = [
        _format_one(name, relpath, kind, name if paths else relpath, proved, check, show_diff)
        for name, relpath, kind in targets
    ]
    changed, failed = results.count(CHANGED), results.count(FAILED)
    if proved:
        proved.save()
    unchanged = len(targets) - changed - failed
    verb = "would be reformatted" if (check or show_diff) else "reformatted"
    summary = f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged"
    if failed:
        summary += f", {failed} could not be formatted"
    click.echo(summary, err=True)
    sys.exit(1 if failed or (changed and (check or show_diff)) else 0)
