"""`kb import`: draft records from a news article or a spreadsheet."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import click

from kb.cli import Context, one_line
from kb.errors import KBError


def _echo(message: object = "", **options) -> None:
    """click.echo for what an import prints: it quotes outside data (a register's cells, an
    article) before that is cleaned, so a control character is shown as its escape, never sent."""
    from kb.model.characters import shown

    click.echo(shown(str(message)), **options)


@click.group("import")
def import_() -> None:
    """Draft records from a news article's text, a spreadsheet (CSV), the Office of the Historian's
    visits and travels registers (XML), and the UK's and the European Commission's registers of ministers' meetings (CSV).

    Drafts list what a person must confirm under `unconfirmed`; `kb check` reports each entry
    until it is removed. Nothing is ever overwritten.
    """


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from kb.model.dates import from_option

    date = from_option(value, "--published")
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
@click.option("--create-orgs", is_flag=True, help="Also write a draft orgs/<id>.yaml for each unknown organisation.")
@click.pass_obj
def article(
    obj: Context,
    file,
    url: str | None,
    published: str | None,
    publisher: str | None,
    dry_run: bool,
    create_people: bool,
    create_orgs: bool,
) -> None:
    """Draft a meeting from a news article's plain text (FILE, or - for standard input).

    Finds the date, place, people (known ones by name and alias, misspellings fuzzily, unknown
    ones next to a title), countries, organisations, topics and stated commitments. When the
    knowledge base already holds the meeting, proposes the article as a new source of it.

    \b
      kb import article report.txt --url https://... --published 2024-07-14 --dry-run
    """
    from kb.importing import article, write
    from kb.importing.draft import yaml_text
    from kb.store.schemas import is_url

    if url and not is_url(url):
        raise KBError(f"--url {one_line(url)}: give the article's http(s) address, with no space or line break")
    try:
        text = file.read()
    except UnicodeDecodeError:
        raise KBError(
            f"{getattr(file, 'name', 'standard input')} is not UTF-8 text; save the article as UTF-8 plain text"
        ) from None
    if not text.strip():
        raise KBError(f"{getattr(file, 'name', 'standard input')}: the article is empty")
    kb = obj.load()
    name = getattr(file, "name", "<stdin>")
    name = "standard input" if name == "<stdin>" else click.format_filename(name)
    draft = article.draft(
        kb, text, url=url, published=_published(published), publisher=publisher, source_name=f"article text {name}"
    )
    comment = "# " if dry_run else ""
    for message in draft.messages:
        _echo(f"{comment}{message}")

    if _already_reported(kb, draft, url, dry_run):
        return
    if dry_run:
        for folder, proposed in (("people", draft.people), ("orgs", draft.orgs)):
            for record in proposed:
                _echo(f"# proposed {folder}/{record.id}.yaml:")
                for line in yaml_text(record.record()).splitlines():
                    _echo(f"#   {line}")
        _echo(yaml_text(draft.meeting).rstrip())
        return
    if not draft.meeting["participants"]:
        raise KBError(
            "found no known person and no named official in the article, so there is no meeting to "
            "draft; try --dry-run to see what was found"
        )
    if "date" not in draft.meeting:
        raise KBError(
            "the article gives no date and no --published date was given: pass --published "
            "YYYY-MM-DD (the day it was published), or try --dry-run to see the draft"
        )
    relpath = write.write_new(kb.root, "meeting", draft.meeting, say=_warn)
    _echo(f"wrote {relpath} ({len(draft.meeting.get('unconfirmed', []))} entries to confirm; `kb check` lists them)")
    _people(kb.root, draft.people, create_people)
    _orgs(kb.root, draft.orgs, create_orgs)


def _orgs(root, orgs, create: bool) -> None:
    from kb.importing import write

    for org in orgs:
        if create:
            _echo(f"wrote {write.write_new(root, 'org', org.record(), say=_warn)}: draft of '{org.name}'")
        else:
            _echo(f"proposed new organisation, not written (pass --create-orgs): {org.id} '{org.name}'")


def _already_reported(kb, draft, url: str | None, dry_run: bool) -> bool:
    """Whether the article's meeting is already recorded: said so when the article is already
    one of its sources, else the article proposed (``dry_run``) or added as a new source of it."""
    from kb.importing import existing
    from kb.importing.draft import yaml_text

    comment = "# " if dry_run else ""
    recorded = next((m for m in kb.sorted_meetings if existing.holds_url(m, url)), None)
    found = draft.existing
    if recorded is not None and (found is None or found.meeting is not recorded):
        _echo(
            f"{comment}already recorded: {url} is source {existing.holds_url(recorded, url)} of "
            f"{recorded.relpath}; nothing to do"
        )
        return True
    if found is not None:
        meeting = found.meeting
        if found.already:
            what = url or found.source.get("document")
            _echo(
                f"{comment}already recorded: {what} is source {existing.holds_source(meeting, found.source)} "
                f"of {meeting.relpath}; nothing to do"
            )
            return True
        _echo(
            f"{comment}this article reports {meeting.relpath} ({meeting.date}, "
            f"{', '.join(meeting.person_ids())}): proposing it as a new source, not a new meeting"
        )
        if found.also_named:
            _echo(
                f"{comment}the article also names {', '.join(found.also_named)}, whom the record "
                "does not list: add them by hand if they attended"
            )
        number = len(meeting.sources) + 1
        if dry_run:
            _echo(f"# source {number} of {meeting.relpath}:")
            _echo(yaml_text({"sources": [found.source]}).rstrip())
            return True
        existing.add_source(kb.root / meeting.relpath, found.source, meeting.relpath)
        _echo(f"added source {number} to {meeting.relpath}")
        return True
    return False


def _warn(line: str) -> None:
    _echo(f"kb: warning: {line}", err=True)


def _people(root, people, create: bool) -> None:
    from kb.importing import write

    for person in people:
        title = f" ({person.title})" if person.title else ""
        if create:
            relpath = write.write_new(root, "person", person.record(), say=_warn)
            _echo(f"wrote {relpath}: draft of '{person.name}'{title}")
        else:
            _echo(f"proposed new person, not written (pass --create-people): {person.id} '{person.name}'{title}")


@import_.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Which column holds a field: date, with or remarks (required), end_date, title, country, place, "
    "purpose, minister, url. Repeat for each.",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A YAML file of FIELD: COLUMN pairs (--map options override it).",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="How to read dates such as 03/04/2024 (needed only when the day could be the month).",
)
@click.option("--publisher", help="Who published the spreadsheet, recorded with each row's source.")
@click.option("--dry-run", is_flag=True, help="Print the drafts and the proposals; write nothing.")
@click.option("--create-people", is_flag=True, help="Also write a draft people/<id>.yaml for each unknown person.")
@click.pass_obj
def csv_(
    obj: Context,
    file: str,
    pairs: tuple[str, ...],
    mapping_file: str | None,
    date_order: str | None,
    publisher: str | None,
    dry_run: bool,
    create_people: bool,
) -> None:
    """Draft one meeting per row of a spreadsheet (CSV with a header row).

    Rows that cannot be read are reported with their row number (the header is row 1) and
    nothing is drafted for them; the exit status is then 1.

    \b
      kb import csv meetings.csv --map date=Date --map with="Name of organisation or individual" \\
          --map purpose="Purpose of meeting" --map minister=Minister --dry-run
    """
    import csv
    from pathlib import Path

    from kb.importing import spreadsheet

    try:
        mapping = spreadsheet.parse_mapping(pairs, _mapping_file(mapping_file) if mapping_file else None)
    except spreadsheet.MappingError as error:
        raise KBError(str(error)) from None
    kb = obj.load()
    try:
        result = spreadsheet.read(kb, Path(file), mapping, date_order=date_order, publisher=publisher)
    except spreadsheet.MappingError as error:
        raise KBError(str(error)) from None
    except UnicodeDecodeError:
        raise KBError(f"{file} is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    except csv.Error as error:
        raise KBError(f"{file}: not readable as CSV ({error})") from None
    create = {"person": create_people}
    if result.orgs:  # the international bodies met, and the organisations named, as the registers write them
        create["org"] = create_people
    _report(kb, result, dry_run=dry_run, create=create, files=1, unit="row", skipped="already recorded")


def _mapping_file(path: str) -> dict:
    from pathlib import Path

    from kb.store.yamlread import parse_bytes

    parsed = parse_bytes(Path(path).read_bytes(), path)
    if parsed.data is None or parsed.findings:
        problem = parsed.findings[0] if parsed.findings else None
        where = f":{problem.line}:{problem.column}" if problem else ""
        raise KBError(
            f"{path}{where}: {problem.message if problem else 'not a mapping'}; "
            "write one 'field: Column heading' per line"
        )
    return parsed.data


def _register_options(publisher: str | None = None, orgs: bool = True):
    """FILES, --dry-run and --create-people of every register preset; --publisher (its help
    ``publisher``) and --create-orgs where the register names them (the Office of the Historian's
    name neither)."""

    def decorate(command):
        options: list[Callable] = [click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))]
        if publisher is not None:
            options.append(click.option("--publisher", help=publisher))
        options += [
            click.option("--dry-run", is_flag=True, help="Print the drafts and the proposals; write nothing."),
            click.option(
                "--create-people", is_flag=True, help="Also write a draft people/<id>.yaml for each unknown person."
            ),
        ]
        if orgs:
            options.append(
                click.option(
                    "--create-orgs",
                    is_flag=True,
                    help="Also write a draft orgs/<id>.yaml for each unknown organisation.",
                )
            )
        options.append(click.pass_obj)
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@import_.command("visits")
@_register_options(orgs=False)
def visits(obj: Context, files: tuple[str, ...], dry_run: bool, create_people: bool) -> None:
    """Draft one meeting per visit of the Office of the Historian's "Visits by Foreign Leaders"
    XML (FILES: the yearly files, or a folder of them).

    Visitors become participants on the side of the country they came from (former countries
    by their ISO 3166-3 code: SU, YU, CS, DD, ZR), or of the international body whose official
    they were; who each one is, is the identity resolver's (name parts, country, era; a surname
    alone through the post and the date of `kb import holders`), and unknown people are
    proposed once. Visits already imported are skipped.

    \b
      kb import visits visits/1990.xml --dry-run
      kb import visits visits/ --create-people
    """
    from kb.importing.visits import read

    _historian(obj, files, dry_run, create_people, read, "visit")


@import_.command("trips")
@_register_options(orgs=False)
def trips(obj: Context, files: tuple[str, ...], dry_run: bool, create_people: bool) -> None:
    """Draft one meeting per trip of the Office of the Historian's travels of presidents and
    secretaries of state (FILES: a traveller's XML file, or a folder of them).

    The traveller leads our side; the remarks name the people met, with their titles (several in
    one sentence, each once), and the events attended (a multilateral meeting). Each person met
    is resolved from evidence, never a name alone: compatible given names, the side, the era,
    and for a surname alone the post and the date (`kb import holders`); an unknown person is proposed once, and where the evidence cannot decide, the
    draft's `unconfirmed` names the candidates. Trips already imported are skipped.

    \b
      kb import trips secretary-travels/acheson-dean-gooderham.xml --dry-run
    """
    from kb.importing.trips import read

    _historian(obj, files, dry_run, create_people, read, "trip")


def _paths(files: tuple[str, ...], suffix: str) -> list:
    """The files named, and the files ending in ``suffix`` in the folders named."""
    from pathlib import Path

    paths: list[Path] = []
    for name in files:
        path = Path(name)
        paths += sorted(path.glob(f"*{suffix}")) if path.is_dir() else [path]
    if not paths:
        raise KBError(f"no {suffix} file in {', '.join(files)}")
    return paths


def _historian(obj: Context, files: tuple[str, ...], dry_run: bool, create_people: bool, read, unit: str) -> None:
    """The Office of the Historian's XML registers: visits and trips."""
    paths = _paths(files, ".xml")
    kb = obj.load()
    result = read(kb, paths)
    create = {"person": create_people}
    if getattr(result, "orgs", None):  # the international bodies whose officials were met
        create["org"] = create_people
    _report(
        kb,
        result,
        dry_run=dry_run,
        create=create,
        files=len(paths),
        unit=unit,
        skipped="already imported",
    )


@import_.command("uk-meetings")
@_register_options("The department that published the register, recorded with each row's source.")
def uk_meetings(
    obj: Context, files: tuple[str, ...], publisher: str | None, dry_run: bool, create_people: bool, create_orgs: bool
) -> None:
    """Draft one meeting per row of UK ministerial meetings registers (the quarterly
    transparency CSVs; FILES: the files, or folders of them).

    Reads the header variants ('Name of organisation or individual', 'Name of Organisation',
    special advisers' 'Name of senior media figure'), fills the minister down, counts 'Nil
    return' rows, keeps month-only dates ('Oct-12') at month precision, reads day ranges
    ('02-06 September 2012') and dd/mm/yyyy (UK order), and splits cells naming several
    organisations or people. Rows already imported are skipped.

    \b
      kb import uk-meetings ministers-meetings-2012-q3.csv --publisher "Cabinet Office" --dry-run
      kb import uk-meetings registers/ --create-people --create-orgs
    """
    from kb.importing.registers import read_uk

    _register(obj, read_uk, files, publisher, dry_run, create_people, create_orgs)


@import_.command("ec-meetings")
@_register_options("Recorded with each row's source (default: European Commission).")
def ec_meetings(
    obj: Context, files: tuple[str, ...], publisher: str | None, dry_run: bool, create_people: bool, create_orgs: bool
) -> None:
    """Draft one meeting per row of the European Commission's register of meetings with
    interest representatives (CSV; FILES: the files, or folders of them).

    The Commission's representatives (several in a cell, with their titles) are on our side;
    each interest representative is an organisation, its transparency register ID and the
    cabinet noted with the source; the location gives the place and its country.

    \b
      kb import ec-meetings ec-meetings.csv --dry-run
    """
    from kb.importing.registers import read_ec

    _register(obj, read_ec, files, publisher, dry_run, create_people, create_orgs)


def _register(
    obj: Context,
    read,
    files: tuple[str, ...],
    publisher: str | None,
    dry_run: bool,
    create_people: bool,
    create_orgs: bool,
) -> None:
    """Read registers (files, or folders of .csv files) and write or print what they give."""
    paths = _paths(files, ".csv")
    kb = obj.load()
    result = read(kb, paths, publisher=publisher)
    for note in result.notes:
        _echo(f"{'# ' if dry_run else ''}{note}", err=True)
    _report(
        kb,
        result,
        dry_run=dry_run,
        create={"person": create_people, "org": create_orgs},
        files=len(paths),
        unit="row",
        skipped="already recorded",
        nil_returns=result.nil_returns,
    )


def _report(
    kb,
    result,
    *,
    dry_run: bool,
    create: dict[str, bool],
    files: int,
    unit: str,
    skipped: str,
    nil_returns: int | None = None,
) -> None:
    """Print or write what an import of a spreadsheet or register drafted: each draft's messages,
    then its text (``dry_run``) or the file it was written to; the proposed people (and
    organisations, when ``create`` names them), written when ``create`` says so; the rows
    skipped or unreadable; a summary. Exit 1 when a row could not be read."""
    from kb.importing import write
    from kb.model.text import plural

    proposals = {"person": result.people, "org": getattr(result, "orgs", [])}
    written = (
        []
        if dry_run
        else write.write_many(
            kb.root,
            [("meeting", draft.meeting) for draft in result.drafts]
            + [(kind, proposal.record()) for kind in create if create[kind] for proposal in proposals[kind]],
            say=_warn,
        )
    )
    _report_drafts(result.drafts, written, dry_run)
    _report_proposals(proposals, create, written[len(result.drafts) :], dry_run)
    comment = "# " if dry_run else ""
    for line in result.skipped + result.problems:
        _echo(f"{comment}{line}", err=True)
    counts = _report_counts(result, proposals, dry_run=dry_run, create=create, files=files, nil_returns=nil_returns)
    counts += [f"{plural(len(result.skipped), unit)} {skipped}", f"{plural(len(result.problems), unit)} unreadable"]
    _echo(comment + ", ".join(counts), err=True)
    if result.problems:
        sys.exit(1)


def _report_drafts(drafts, written: list, dry_run: bool) -> None:
    """Each draft's messages, then its text (``dry_run``) or the file it was written to."""
    from kb.importing.draft import yaml_text

    for number, draft in enumerate(drafts):
        for message in draft.messages:
            _echo(f"{'# ' if dry_run else ''}{message}")
        if dry_run:
            _echo("---")
            _echo(yaml_text(draft.meeting).rstrip())
        else:
            _echo(f"{draft.meeting['sources'][0]['document']}: wrote {written[number]}")


def _report_proposals(proposals: dict, create: dict[str, bool], written: list, dry_run: bool) -> None:
    """Each proposed person or organisation: the file written for it, or how to write it."""
    from kb.model.records import FOLDERS

    written = list(written)
    for kind in create:
        folder = FOLDERS[kind]
        for proposal in proposals[kind]:
            if dry_run or not create[kind]:
                also = "" if dry_run else f"; pass --create-{folder} to write it"
                _echo(f"# proposed {folder}/{proposal.id}.yaml (first seen in {proposal.seen}){also}")
            else:
                _echo(f"wrote {written.pop(0)}: draft of '{proposal.name}'")


def _report_counts(result, proposals: dict, *, dry_run: bool, create: dict, files: int, nil_returns) -> list[str]:
    """The summary's counts of meetings, new people and organisations, and nil returns."""
    from kb.model.text import plural

    counts = [
        f"{plural(len(result.drafts), 'meeting')} {'drafted' if dry_run else 'written'} from {plural(files, 'file')}"
    ]
    for kind in create:
        what = (
            plural(len(proposals[kind]), "new person", "new people")
            if kind == "person"
            else plural(len(proposals[kind]), "new organisation")
        )
        counts.append(f"{what} {'written' if create[kind] and not dry_run else 'proposed'}")
    if nil_returns is not None:
        counts.append(plural(nil_returns, "nil return"))
    return counts


@import_.command("holders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the people it would create and the changes; write nothing.")
@click.pass_obj
def holders(obj: Context, file: str, dry_run: bool) -> None:
    """Record who held which post and when, from an office-holders reference (FILE): a CSV with
    the columns person, post, country, start, end (and optionally wikidata), or FollowTheMoney
    Person/Position/Occupancy entities as JSON lines (as OpenSanctions publishes them).

    Each person gets dated roles with a post and `identifiers: {wikidata: Q…}`; a recorded person
    is found by Wikidata id, else by full name and country (never by a surname), and gets the
    roles they lack. Load it before `kb import trips`: "President Assad" in 1975 is then whoever
    held the post. The README ("Who is who") gives the Wikidata query that makes the CSV.

    \b
      kb import holders heads-of-state.csv --dry-run
      kb import holders opensanctions-peps.json
    """
    from pathlib import Path

    from kb.importing import holders, write
    from kb.importing.draft import yaml_text
    from kb.model.text import plural
    from kb.store import yamledit

    kb = obj.load()
    planned = holders.plan(kb, holders.read(Path(file)))
    comment = "# " if dry_run else ""
    edits = {
        p: (kb.root / kb.people[p].relpath, holders.change(*u), kb.people[p].relpath)
        for p, u in planned.updates.items()
    }
    proven = {
        p: yamledit.edit(path, change, relpath=relpath, write=False) for p, (path, change, relpath) in edits.items()
    }
    for kind, drafts in (("org", planned.bodies), ("person", planned.new)):
        for drafted in drafts:
            if dry_run:
                _echo(f"# would create {'orgs' if kind == 'org' else 'people'}/{drafted['id']}.yaml:")
                _echo(yaml_text(drafted).rstrip())
            else:
                _echo(f"wrote {write.write_new(kb.root, kind, drafted)}")
    added = 0
    for person_id, (roles, wikidata) in planned.updates.items():
        path, change, relpath = edits[person_id]  # each edit was proved before any file was written
        done = proven[person_id] if dry_run else yamledit.edit(path, change, relpath=relpath)
        added += len(roles)
        what = ", ".join(
            filter(None, [plural(len(roles), "role") if roles else None, wikidata and f"Wikidata {wikidata}"])
        )
        _echo(f"{comment}{'would add' if dry_run else 'added'} {what} to {relpath}")
        if dry_run:
            _echo(done.diff(relpath).rstrip())
    for problem in planned.problems:
        _echo(f"{comment}{problem}; nothing written for this person", err=True)
    counts = [
        f"{plural(len(planned.new), 'person', 'people')} {'to create' if dry_run else 'created'}",
        f"{plural(len(planned.updates), 'person', 'people')} {'to update' if dry_run else 'updated'} "
        f"({plural(added, 'role')} added)",
        plural(len(planned.problems), "person", "people") + " not placed",
    ]
    _echo(comment + ", ".join(counts), err=True)
    if planned.problems:
        sys.exit(1)
