"""`kb new meeting|person|org`: write a valid skeleton record, from options or prompts."""

from __future__ import annotations

import sys

import click

from kb.cli import Context
from kb.errors import KBError


def interactive() -> bool:
    """Prompt only when a person is at the keyboard; scripts and CI get an error instead."""
    return sys.stdin.isatty()


def _ask(value, question: str, option: str, required: bool = True, default=None):
    if value:
        return value
    if interactive():
        answer = click.prompt(
            question,
            default=default if default is not None else ("" if not required else None),
            show_default=default is not None,
        )
        return answer.strip() or None
    if required:
        raise KBError(f"pass {option} (or run kb new on a terminal to be asked)")
    return None


def _write(obj: Context, kb, build) -> None:
    from kb.authoring import drafting
    from kb.checks.placeholders import MARKER
    from kb.store import atomic

    try:
        draft = build()
        path = drafting.write(kb.root, draft)
    except drafting.DraftError as error:
        raise KBError(str(error)) from None
    except atomic.FileExists:
        raise KBError(f"{draft.relpath} already exists; kb new never overwrites a file") from None
    todo = draft.text().count(MARKER + ":")
    click.echo(f"created {path.relative_to(kb.root).as_posix()}")
    if todo:
        click.echo(f"fill in its {todo} TODO placeholder{'s' if todo > 1 else ''}; `kb check` lists them until you do")
    if draft.kind == "meeting":
        from kb.model.records import Meeting
        from kb.store.yamlread import parse_bytes

        written = Meeting("meeting", draft.relpath, parse_bytes(draft.text().encode(), draft.relpath).data or {})
        if not kb.ours_present(written):  # KB610's rule, asked of the model as `kb check` asks it
            click.echo(
                f"nobody on our side ({kb.our_side}) takes part: add who did (`kb check` warns, KB610, until then)"
            )


@click.group("new")
def new() -> None:
    """Write a new record: a valid skeleton at the right path with the right id.

    Values kb cannot know are written as "TODO: ..." placeholders, which `kb check` reports
    (KB606) until they are filled in. An existing file is never overwritten.
    """


@new.command("meeting")
@click.option("--date", help="When it took place: YYYY-MM-DD, or YYYY-MM / YYYY if that is all that is known.")
@click.option(
    "--with",
    "people",
    multiple=True,
    metavar="PERSON",
    help="A participant: a person's id, name or alias (repeat for each). The first of each side leads.",
)
@click.option("--title", help="A one-line title.")
@click.option("--slug", help="The id after the date (default: the participants' family names).")
@click.option("--id", "record_id", help="The whole id, instead of <date>-<slug>.")
@click.option("--place", help="The city or venue.")
@click.option("--country", metavar="CC", help="The country where it took place (ISO 3166).")
@click.option(
    "--status",
    type=click.Choice(["planned", "held", "cancelled"]),
    help="Default: planned for a future date, else held.",
)
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="A topic id from topics.yaml (repeatable).")
@click.option("--source", "sources", multiple=True, metavar="URL", help="The address of a report of it (repeatable).")
@click.pass_obj
def new_meeting(obj: Context, date, people, title, slug, record_id, place, country, status, topics, sources) -> None:
    """A meeting: meetings/<date>-<slug>.yaml."""
    from kb.authoring import drafting

    kb = obj.load()
    date = _ask(date, "Date (YYYY-MM-DD, or YYYY-MM)", "--date")
    if not people:
        answer = _ask(None, "Who took part (ids, names or aliases, separated by commas)", "--with PERSON")
        people = [p.strip() for p in answer.split(",") if p.strip()]
    title = _ask(title, "Title (blank: a TODO placeholder)", "--title", required=False)
    _write(
        obj,
        kb,
        lambda: drafting.meeting(
            kb,
            date=date,
            people=list(people),
            title=title,
            slug=slug,
            record_id=record_id,
            place=place,
            country=country,
            status=status,
            topics=list(topics),
            sources=list(sources),
        ),
    )


@new.command("person")
@click.option("--name", help="The name as the person is usually written.")
@click.option("--id", "record_id", help="The id (default: from the name, e.g. donald-blome).")
@click.option("--country", metavar="CC", help="Their country (ISO 3166).")
@click.option("--title", help="The post they hold, as the sources give it.")
@click.option(
    "--post", help="A slug for the post, shared by everyone who holds it (e.g. us-chief-of-mission-pakistan)."
)
@click.option("--org", help="The organisation of that post (an id).")
@click.option("--start", help="When they took up the post.")
@click.pass_obj
def new_person(obj: Context, name, record_id, country, title, post, org, start) -> None:
    """A person: people/<id>.yaml."""
    from kb.authoring import drafting

    kb = obj.load()
    name = _ask(name, "Name", "--name")
    country = _ask(country, "Country (ISO 3166 code; blank if unknown)", "--country", required=False)
    title = _ask(title, "Post held (blank: a TODO placeholder)", "--title", required=False)
    _write(
        obj,
        kb,
        lambda: drafting.person(
            kb, name=name, record_id=record_id, country=country, title=title, post=post, org=org, start=start
        ),
    )


@new.command("org")
@click.option("--name", help="The organisation's name.")
@click.option("--id", "record_id", help="The id (default: from the name).")
@click.option("--abbreviation", help="Its abbreviation, e.g. NCA.")
@click.option("--country", metavar="CC", help="Its country (ISO 3166).")
@click.option(
    "--kind", type=click.Choice(["ministry", "agency", "embassy", "police", "government", "international", "other"])
)
@click.option("--parent", help="The organisation it belongs to (an id).")
@click.pass_obj
def new_org(obj: Context, name, record_id, abbreviation, country, kind, parent) -> None:
    """An organisation: orgs/<id>.yaml."""
    from kb.authoring import drafting

    kb = obj.load()
    name = _ask(name, "Name", "--name")
    _write(
        obj,
        kb,
        lambda: drafting.org(
            kb, name=name, record_id=record_id, abbreviation=abbreviation, country=country, kind=kind, parent=parent
        ),
    )
