"""`kb import`: draft records from a news article or a spreadsheet."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..cli import Context, KBError


@click.group("import")
def import_() -> None:
    """Draft records from a news article's text or a spreadsheet (CSV).

    Drafts list what a person must confirm under `unconfirmed`; `kb check` reports each entry
    until it is removed. Nothing is ever overwritten.
    """


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from ..dates import DateError, PartialDate

    try:
        date = PartialDate.parse(value)
    except DateError as error:
        raise KBError(f"--published: {error}") from None
    if date.precision != "day" or date.qualifier:
        raise KBError(f"--published {value}: give the full day the article was published, YYYY-MM-DD")
    return date.earliest()


@import_.command("article")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--url", help="The article's address, recorded as its source.")
@click.option("--published", metavar="DATE", help="The day it was published (YYYY-MM-DD): places 'on Saturday'.")
@click.option("--publisher", help="Who published it, e.g. 'Dawn'.")
@click.option("--dry-run", is_flag=True, help="Print the draft and the proposals; write nothing.")
@click.option("--create-people", is_flag=True, help="Also write a draft people/<id>.yaml for each unknown person.")
@click.pass_obj
def article(obj: Context, file, url: str | None, published: str | None, publisher: str | None,
            dry_run: bool, create_people: bool) -> None:
    """Draft a meeting from a news article's plain text (FILE, or - for standard input).

    Finds the date, place, people (known ones by name and alias, misspellings fuzzily, unknown
    ones next to a title), countries, organisations, topics and stated commitments. When the
    knowledge base already holds the meeting, proposes the article as a new source of it.

    \b
      kb import article report.txt --url https://... --published 2024-07-14 --dry-run
    """
    from ..importing import article as core
    from ..importing import existing, write
    from ..importing.draft import yaml_text

    if url and not url.startswith(("http://", "https://")):
        raise KBError(f"--url {url}: give the article's http(s) address")
    text = file.read()
    if not text.strip():
        raise KBError(f"{file.name}: the article is empty")
    kb = obj.load()
    name = "standard input" if file.name == "<stdin>" else click.format_filename(file.name)
    draft = core.draft(kb, text, url=url, published=_published(published), publisher=publisher,
                       source_name=f"article text {name}")
    comment = "# " if dry_run else ""
    for message in draft.messages:
        click.echo(f"{comment}{message}")

    recorded = next((m for m in kb.sorted_meetings if existing.holds_url(m, url)), None)
    found = draft.existing
    if recorded is not None and (found is None or found.meeting is not recorded):
        click.echo(f"{comment}already recorded: {url} is source {existing.holds_url(recorded, url)} of "
                   f"{recorded.relpath}; nothing to do")
        return
    if found is not None:
        meeting = found.meeting
        if found.already:
            click.echo(f"{comment}already recorded: {url} is source {existing.holds_url(meeting, url)} of "
                       f"{meeting.relpath}; nothing to do")
            return
        click.echo(f"{comment}this article reports {meeting.relpath} ({meeting.date}, "
                   f"{', '.join(meeting.person_ids())}): proposing it as a new source, not a new meeting")
        if found.also_named:
            click.echo(f"{comment}the article also names {', '.join(found.also_named)}, whom the record "
                       "does not list: add them by hand if they attended")
        number = len(meeting.get("sources", [])) + 1
        if dry_run:
            click.echo(f"# source {number} of {meeting.relpath}:")
            click.echo(yaml_text({"sources": [found.source]}).rstrip())
            return
        try:
            existing.add_source(kb.root / meeting.relpath, found.source)
        except existing.EditFailed as error:
            raise KBError(str(error)) from None
        click.echo(f"added source {number} to {meeting.relpath}")
        return

    if dry_run:
        for person in draft.people:
            click.echo(f"# proposed people/{person.id}.yaml:")
            for line in yaml_text(person.record()).splitlines():
                click.echo(f"#   {line}")
        click.echo(yaml_text(draft.meeting).rstrip())
        return
    if "date" not in draft.meeting:
        raise KBError("the article gives no date and no --published date was given: pass --published "
                      "YYYY-MM-DD (the day it was published), or try --dry-run to see the draft")
    relpath = write.write_new(kb.root, "meeting", draft.meeting)
    click.echo(f"wrote {relpath} ({len(draft.meeting.get('unconfirmed', []))} entries to confirm; `kb check` lists them)")
    _people(kb.root, draft.people, create_people)


def _people(root, people, create: bool) -> None:
    from ..importing import write

    for person in people:
        title = f" ({person.title})" if person.title else ""
        if create:
            relpath = write.write_new(root, "person", person.record())
            click.echo(f"wrote {relpath}: draft of '{person.name}'{title}")
        else:
            click.echo(f"proposed new person, not written (pass --create-people): {person.id} "
                       f"'{person.name}'{title}")
