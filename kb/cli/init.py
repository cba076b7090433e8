"""`kb init`: make a new, empty knowledge base."""

from __future__ import annotations

import sys

import click

from kb.errors import KBError
from kb.model.records import SENSITIVITY_ORDER


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--our-side", metavar="CC", help="The country whose side the knowledge base keeps (ISO 3166, e.g. PK).")
@click.option("--name", help="The knowledge base's name (default: the folder's name).")
@click.option(
    "--sensitivity",
    "sensitivity",
    type=click.Choice(SENSITIVITY_ORDER),
    default="CLEAR",
    show_default=True,
    help="The TLP marking of content that carries none.",
)
@click.option(
    "--hooks-repo",
    metavar="URL",
    help="Use kb's pre-commit hooks from this repository (default: the kb installed locally).",
)
@click.option("--hooks-rev", metavar="REV", help="The tag or commit of --hooks-repo to pin.")
@click.option(
    "--install",
    metavar="REQUIREMENT",
    help="How the CI workflow installs kb: a pip requirement, such as a pinned git URL "
    "(default: diplomatic-kb==<this version>).",
)
@click.option("--git", is_flag=True, help="Also run `git init` unless the folder is already in a repository.")
@click.option(
    "--site-audience",
    type=click.Choice(SENSITIVITY_ORDER),
    metavar="LEVEL",
    help="Add a job to the workflow that publishes `kb site build --audience LEVEL` on GitHub Pages.",
)
def init(
    directory: str,
    our_side: str | None,
    name: str | None,
    sensitivity: str,
    hooks_repo: str | None,
    hooks_rev: str | None,
    install: str | None,
    git: bool,
    site_audience: str | None,
) -> None:
    """Make a new, empty knowledge base in DIRECTORY (default: here).

    Writes kb.yaml, topics.yaml, the meetings/, people/ and orgs/ folders, the JSON Schemas for
    editors (schemas/), a .gitignore for the cache, a .pre-commit-config.yaml and a GitHub Actions
    workflow (.github/workflows/kb.yml). Never overwrites a file.
    """
    from kb.authoring import scaffold
    from kb.checks.references import country_problem

    if our_side is None:
        if not sys.stdin.isatty():
            raise KBError("pass --our-side CC: the country whose side this knowledge base keeps (e.g. PK)")
        our_side = click.prompt("Whose side does this knowledge base keep? (ISO 3166 code, e.g. PK)")
    our_side = our_side.strip().upper()
    problem = (
        country_problem(our_side)
        if len(our_side) == 2 and our_side.isalpha()
        else (f"'{our_side}' is not an ISO 3166 country code", "use two letters, such as PK, US or GB")
    )
    if problem:
        raise KBError(f"--our-side: {problem[0]}; {problem[1]}")
    if hooks_rev and not hooks_repo:
        raise KBError("--hooks-rev needs --hooks-repo")
    try:
        created = scaffold.create(
            directory,
            our_side=our_side,
            name=name,
            sensitivity=sensitivity,
            hooks_repo=hooks_repo,
            hooks_rev=hooks_rev,
            install=install,
            git=git,
            site_audience=site_audience,
        )
    except scaffold.AlreadyAKnowledgeBase as error:
        raise KBError(f"{error}; nothing was written") from None
    for item in created:
        click.echo(f"{item.action:<10} {item.path}" if item.action == "created" else f"{item.action}: {item.path}")
    click.echo(
        f"\nA new knowledge base is ready in {directory}. Next: `kb new person`, `kb new meeting`, "
        "`kb check`; `pre-commit install` to check every commit."
    )
