"""`kb check`: validate the records and their cross-references."""

from __future__ import annotations

import json
import os
import sys

import click

from kb.cli import Context


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default=None,
    help="Output format (default: text; github under GitHub Actions; markdown only with --list).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--list", "list_codes", is_flag=True, help="List every check code and exit (--format markdown: the README's table)."
)
@click.option(
    "--explain",
    "explain",
    metavar="CODE",
    help="Print a code's documentation, with a failing and a passing example, and exit.",
)
@click.pass_obj
def check(
    obj: Context, paths: tuple[str, ...], format_: str | None, strict: bool, list_codes: bool, explain: str | None
) -> None:
    """Validate the records and their cross-references.

    Reports every problem in one run as PATH:LINE:COL: SEVERITY[CODE] message, with a hint.
    With PATHS, reports only problems in those files or folders (references are still checked
    against the whole knowledge base). Exit 0 when clean, 1 when problems were found (errors, or
    warnings with --strict), 2 on a usage error.
    """
    from kb.checks import registry, runner
    from kb.rendering import report

    if explain:
        try:
            click.echo(registry.explain(registry.lookup(explain)), nl=False)
        except registry.UnknownCode as error:
            raise click.BadParameter(str(error), param_hint="'--explain'") from None
        return
    if list_codes:
        registry.load_all()
        entries = sorted(registry.CODES.values(), key=lambda c: c.code)
        if format_ == "markdown":
            click.echo(registry.markdown_table(), nl=False)
        elif format_ == "json":
            click.echo(
                json.dumps(
                    [{"code": e.code, "severity": e.severity, "name": e.name, "summary": e.summary} for e in entries],
                    indent=2,
                    ensure_ascii=False,
                )
            )
        else:
            for entry in entries:
                click.echo(f"{entry.code}  {entry.severity:<7}  {entry.name:<22}  {entry.summary}")
        return
    if format_ == "markdown":
        raise click.BadParameter("markdown is only for --list", param_hint="'--format'")
    if format_ is None:
        format_ = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    everything, files_read = runner.run_cached(
        obj.root, lambda listing=None: obj.load(warn_unreadable=False, listing=listing), use_cache=not obj.no_cache
    )
    findings = runner.select(everything, obj.root, paths)
    if format_ == "json":
        click.echo(report.as_json(findings))
    elif format_ == "github":
        if findings:
            click.echo(report.as_github(findings))
    else:
        report.print_text(findings, files_read)
    sys.exit(runner.exit_code(findings, strict))
