"""`kb check`: validate the records and their cross-references."""

from __future__ import annotations

import sys

import click

from kb.cli import Context, common
from kb.rendering.formats import CODES, FINDINGS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@common.format_options(FINDINGS, CODES)
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
    obj: Context,
    paths: tuple[str, ...],
    format_: str | None,
    output: str | None,
    strict: bool,
    list_codes: bool,
    explain: str | None,
) -> None:
    """Validate the records and their cross-references.

    Reports every problem in one run as PATH:LINE:COL: SEVERITY[CODE] message, with a hint.
    With PATHS, reports only problems in those files or folders (references are still checked
    against the whole knowledge base). Exit 0 when clean, 1 when problems were found (errors, or
    warnings with --strict), 2 on a usage error.
    """
    from kb.checks import registry, runner

    if explain:
        try:
            click.echo(registry.explain(registry.lookup(explain)), nl=False)
        except registry.UnknownCode as error:
            raise click.BadParameter(str(error), param_hint="'--explain'") from None
        return
    if list_codes:
        format_ = common.chosen(CODES, format_, output)
        registry.load_all()
        CODES.write(format_, sorted(registry.CODES.values(), key=lambda c: c.code), output=output)
        return
    format_ = common.chosen(FINDINGS, format_, output)
    everything, files_read = runner.run_cached(
        obj.root, lambda listing=None: obj.load(warn_unreadable=False, listing=listing), use_cache=not obj.no_cache
    )
    findings = runner.select(everything, obj.root, paths)
    FINDINGS.write(format_, {"findings": findings, "files_read": files_read}, output=output)
    sys.exit(runner.exit_code(findings, strict))
