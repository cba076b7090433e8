"""`kb import uk-meetings`: the UK ministerial meetings transparency CSVs and their quirks, and
line endings and layout kept by every import source. The registers here are written for these
tests from the published format's documented shape; no real register's text is used."""

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kb.importing.registers import parse_date, split_cell

VISITS_QUIRKS = Path(__file__).parent / "data" / "visits" / "quirks.xml"
UK_KB = {
    "kb.yaml": "name: UK desk\nour_side: GB\ndefault_sensitivity: CLEAR\n",
    "people/jane-example.yaml": (
        "id: jane-example\nname: Jane Example\ncountry: GB\naliases:\n  - name: Jane Q. Example\n    kind: spelling\n"
    ),
    "orgs/example-trust.yaml": "id: example-trust\nname: Example Trust\nabbreviation: ETR\ncountry: GB\n",
}
# A register as a department publishes it: a title line and a blank line above the header, a
# byte-order mark, headings with stray spaces and case, empty columns at the end, the minister
# named once and filled down, nil returns, and each way of writing a date.
QUARTER = (
    "\ufeffDepartment for Examples: ministers' meetings with external organisations, July to September 2012,,,,\n"
    ",,,,,\n"
    " Minister , DATE,Name of Organisation or Individual ,Purpose of meeting,,\n"
    "The Rt Hon Jane Example MP,02/07/2012,Confederation of Example Industry (CEI),Introductory meeting,,\n"
    ',Jul-12,"Tesco, Asda and Morrisons",Supply chains,,\n'
    ",02-06 September 2012,Marks and Spencer,Visit to stores,,\n"
    ',2-6/9/12,"Department for Business, Energy and Industrial Strategy",Officials\' visit,,\n'
    ",15 August,Sir John Roe,Discussion of exports,,\n"
    ",September 2012,Alice Jones and Bob Brown; Example Trust,Roundtable,,\n"
    "Lord Sample of Testing,Nil return,,,,\n"
    "Ms Chris Minister MP,Nil Return,,,,\n"
    ",sometime,Acme Ltd,Anything,,\n"
    ",13/07/2012,,Nobody named,,\n"
    ",31/02/2012,Acme Ltd,Impossible day,,\n"
    ",Oct 2012,Acme Ltd,Trade,,\n"
)


def _register(
    tmp_path: Path, text: str, name: str = "examples-2012-q3.csv", newline: str = "\n", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def _meetings(root: Path) -> dict[str, dict]:
    """Imported meetings by their source document (the base fixture's own meeting has none)."""
    found = {}
    for path in (root / "meetings").glob("*.yaml"):
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        if record["sources"][0].get("document"):
            found[record["sources"][0]["document"]] = record
    return found


def _errors(run_kb, root: Path) -> list[dict]:
    result = run_kb("check", "--format", "json", kb=root)
    return [f for f in json.loads(result.stdout) if f["severity"] == "error"]


def test_a_register_is_drafted_row_by_row_with_its_quirks(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    assert run_kb("fmt", kb=root).exit_code == 0  # the fixture's own records in kb's layout
    path = _register(tmp_path, QUARTER)
    result = run_kb(
        "import",
        "uk-meetings",
        path,
        "--publisher",
        "Department for Examples",
        "--create-people",
        "--create-orgs",
        kb=root,
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        "7 meetings written from 1 file, 4 new people written, 7 new organisations written, 2 nil returns, "
        "0 rows already recorded, 3 rows unreadable"
    )
    assert (
        "examples-2012-q3.csv row 12: 'sometime' is not a date kb can read; write it as 13/07/2012, "
        "13 July 2012, July 2012 or 02-06 September 2012; nothing drafted for this row"
    ) in result.stderr
    assert (
        "examples-2012-q3.csv row 13: column 'Name of Organisation or Individual' is empty; "
        "nothing drafted for this row"
    ) in result.stderr
    assert (
        "examples-2012-q3.csv row 14: '31/02/2012' is not a date (no day 31 in month 2); nothing drafted for this row"
    ) in result.stderr

    # The exact draft of the first row: the minister found through the resolver, the
    # organisation's abbreviation kept, our side GB, the row as the source.
    first = (root / "meetings/2012-07-02-example-cei.yaml").read_text(encoding="utf-8")
    assert first == (
        "id: 2012-07-02-example-cei\n"
        "title: Jane Example meets Confederation of Example Industry\n"
        "date: 2012-07-02\n"
        "status: held\n"
        "participants:\n"
        "  - person: jane-example\n"
        "    side: GB\n"
        "    role: lead\n"
        "  - org: confederation-of-example-industry\n"
        "    side: GB\n"
        "    role: lead\n"
        "summary: Introductory meeting\n"
        "sources:\n"
        "  - document: examples-2012-q3.csv row 4\n"
        "    publisher: Department for Examples\n"
        "unconfirmed:\n"
        "  - \"examples-2012-q3.csv row 4: organisation 'Confederation of Example Industry' is not known (proposed as "
        'orgs/confederation-of-example-industry.yaml); confirm it, its country and which side it represented"\n'
    )
    assert (root / "orgs/confederation-of-example-industry.yaml").read_text(encoding="utf-8") == (
        "id: confederation-of-example-industry\nname: Confederation of Example Industry\nabbreviation: CEI\n"
    )

    meetings = _meetings(root)
    row = {n: meetings[f"examples-2012-q3.csv row {n}"] for n in (5, 6, 7, 8, 9, 15)}
    # The minister is filled down; a month alone stays a month, never a day.
    assert row[5]["date"] == "2012-07" and "end_date" not in row[5]
    assert row[5]["participants"][0] == {"person": "jane-example", "side": "GB", "role": "lead"}
    assert [p["org"] for p in row[5]["participants"][1:]] == ["tesco", "asda", "morrisons"]
    assert [p["role"] for p in row[5]["participants"][1:]] == ["lead", "delegation", "delegation"]
    # Day ranges in words and in numbers.
    assert (row[6]["date"], row[6]["end_date"]) == ("2012-09-02", "2012-09-06")
    assert (row[7]["date"], row[7]["end_date"]) == ("2012-09-02", "2012-09-06")
    # Names with 'and' and commas in them stay whole.
    assert [p.get("org") for p in row[6]["participants"]] == [None, "marks-and-spencer"]
    assert [p.get("org") for p in row[7]["participants"]] == [
        None,
        "department-for-business-energy-and-industrial-strategy",
    ]
    # A date without a year takes the year the rest of the file settles, and says so.
    assert row[8]["date"] == "2012-08-15"
    assert (
        "examples-2012-q3.csv row 8: the register gives no year for '15 August'; read as 2012 from the file's "
        "other dates; confirm the year"
    ) in row[8]["unconfirmed"]
    # People and organisations in one cell; a recorded organisation is found by its name.
    assert [(p.get("person"), p.get("org")) for p in row[9]["participants"][1:]] == [
        ("alice-jones", None),
        ("bob-brown", None),
        (None, "example-trust"),
    ]
    assert row[8]["participants"][1]["person"] == "john-roe"
    # After the nil returns the minister filled down is the last one named.
    assert row[15]["participants"][0]["person"] == "chris-minister"
    assert row[15]["date"] == "2012-10"
    chris = yaml.safe_load((root / "people/chris-minister.yaml").read_text(encoding="utf-8"))
    assert (chris["name"], chris["country"]) == ("Chris Minister", "GB")

    assert _errors(run_kb, root) == []
    assert run_kb("fmt", "--check", kb=root).exit_code == 0

    # Importing again drafts nothing new.
    again = run_kb("import", "uk-meetings", path, kb=root)
    assert again.stderr.splitlines()[-1] == (
        "0 meetings written from 1 file, 0 new people proposed, 0 new organisations proposed, 2 nil returns, "
        "7 rows already recorded, 3 rows unreadable"
    )
    assert (
        "examples-2012-q3.csv row 4: already imported as meetings/2012-07-02-example-cei.yaml; nothing drafted"
        in again.stderr
    )


@pytest.mark.parametrize(
    "heading,cell,expected",
    [
        ("Name of organisation or individual", "Jane Roe", {"person": "jane-roe"}),
        ("Name of organisation or individual", "Roe Holdings", {"org": "roe-holdings"}),
        ("Name of Individual or Organisation", "Dr Jane Roe", {"person": "jane-roe"}),
        ("Name of organisation or individual", '"Jane Roe, MP"', {"person": "jane-roe"}),
        ("Name of organisation or individual", "Sir John Roe CBE", {"person": "john-roe"}),
        ("Name of organisation or individual", "Acme (UK) Ltd", {"org": "acme-uk-ltd"}),
        ("Name of Organisation", "Jane Roe", {"org": "jane-roe"}),
        ("name  of organisation", "Example Trust", {"org": "example-trust"}),
    ],
)
def test_header_variants_say_whether_a_name_is_an_organisation_or_a_person(
    tmp_path, make_kb, run_kb, heading, cell, expected
):
    root = make_kb(UK_KB)
    path = _register(tmp_path, f"Minister,Date,{heading},Purpose of meeting\nJane Example,03/07/2012,{cell},Talks\n")
    result = run_kb("import", "uk-meetings", path, kb=root)
    assert result.exit_code == 0, result.output
    (meeting,) = _meetings(root).values()
    assert {k: v for k, v in meeting["participants"][1].items() if k in ("person", "org")} == expected


def test_special_advisers_media_figures_are_people_of_their_organisation(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    path = _register(
        tmp_path,
        "Special adviser,Date,Name of senior media figure,Name of organisation,Purpose of meeting\n"
        "Sam Adviser,Oct-12,Pat Writer,The Daily Example,General discussion\n"
        ",Nov-12,Lee Editor (Editor),Example Broadcasting,Lunch\n",
        name="spads.csv",
    )
    result = run_kb("import", "uk-meetings", path, "--dry-run", kb=root)
    assert result.exit_code == 0, result.output
    drafts = list(yaml.load_all(result.stdout.split("---", 1)[1], Loader=yaml.BaseLoader))
    assert drafts[0]["participants"][1] == {
        "person": "pat-writer",
        "org": "the-daily-example",
        "side": "GB",
        "role": "lead",
    }
    assert drafts[1]["participants"][1] == {
        "person": "lee-editor",
        "org": "example-broadcasting",
        "side": "GB",
        "title": "Editor",
        "role": "lead",
    }
    assert drafts[0]["participants"][0]["person"] == drafts[1]["participants"][0]["person"] == "sam-adviser"
    assert "# proposed people/sam-adviser.yaml (first seen in spads.csv row 2)" in result.stdout
    assert result.stdout.count("proposed new person sam-adviser") == 1  # proposed once for both rows


def test_the_minister_is_found_by_alias_and_an_unknown_one_is_proposed_once(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    path = _register(
        tmp_path,
        "Minister,Date,Name of organisation,Purpose of meeting\n"
        "Rt Hon Jane Q. Example MP,03/07/2012,Acme Ltd,Talks\n"
        "Lord Sample of Testing,04/07/2012,Acme Ltd,Talks\n"
        "Lord Sample of Testing,05/07/2012,Example Trust,Talks\n",
    )
    result = run_kb("import", "uk-meetings", path, "--create-people", "--create-orgs", kb=root)
    assert result.exit_code == 0, result.output
    meetings = _meetings(root)
    assert meetings["examples-2012-q3.csv row 2"]["participants"][0]["person"] == "jane-example"
    assert {meetings[f"examples-2012-q3.csv row {n}"]["participants"][0]["person"] for n in (3, 4)} == {
        "sample-of-testing"
    }
    peer = (root / "people/sample-of-testing.yaml").read_text(encoding="utf-8")
    assert peer.startswith(
        "id: sample-of-testing\nname: Lord Sample of Testing\nfamily_name: Sample\n"
        "sort_name: Sample of Testing, Lord\ncountry: GB\n"
    )
    assert sorted(p.name for p in (root / "orgs").glob("*.yaml")) == [
        "acme-ltd.yaml",
        "example-trust.yaml",
        "pk-interior.yaml",
    ]
    assert _errors(run_kb, root) == []


def test_a_namesake_of_someone_seen_decades_earlier_is_a_person_of_their_own(tmp_path, make_kb, run_kb):
    root = make_kb(
        {
            **UK_KB,
            "people/john-roe.yaml": (
                "id: john-roe\nname: John Roe\ncountry: GB\nroles:\n"
                "- title: Trade envoy\n  start: '1975'\n  end: '1979'\n"
            ),
        }
    )
    path = _register(
        tmp_path,
        "Minister,Date,Name of Individual,Purpose of meeting\n"
        "Rt Hon Jane Example MP,03/07/2012,John Roe,Talks\n"
        ",04/07/2012,John Roe,More talks\n",
    )
    result = run_kb("import", "uk-meetings", path, "--create-people", "--create-orgs", kb=root)
    assert result.exit_code == 0, result.output
    meetings = _meetings(root)
    rows = [meetings[f"examples-2012-q3.csv row {n}"] for n in (2, 3)]
    assert [r["participants"][1]["person"] for r in rows] == ["john-roe-2", "john-roe-2"]  # one namesake, both rows
    assert [[u for u in r["unconfirmed"] if "otherwise seen" in u] for r in rows] == [
        [
            "examples-2012-q3.csv row 2: 'John Roe' has the name of john-roe, who is otherwise seen 33 years from "
            "this date: a person of their own is proposed; merge them (kb merge) if they are one"
        ],
        [],
    ]
    assert yaml.safe_load((root / "people/john-roe-2.yaml").read_text(encoding="utf-8"))["name"] == "John Roe"


@pytest.mark.parametrize(
    "cell,names",
    [
        ("Tesco, Asda and Morrisons", ["Tesco", "Asda", "Morrisons"]),
        ("Tesco, Asda, and Morrisons", ["Tesco", "Asda", "Morrisons"]),
        ("Acme Ltd; Example plc", ["Acme Ltd", "Example plc"]),
        ("CEI and TUC", ["CEI", "TUC"]),
        ("Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Department for Education and Acme Ltd", ["Department for Education", "Acme Ltd"]),
        (
            "Confederation of Example Industry (CEI), TUC and Acme Ltd",
            ["Confederation of Example Industry", "TUC", "Acme Ltd"],
        ),
        # Names that must stay whole.
        ("Marks and Spencer", ["Marks and Spencer"]),
        ("Ernst and Young", ["Ernst and Young"]),
        (
            "Department for Business, Energy and Industrial Strategy",
            ["Department for Business, Energy and Industrial Strategy"],
        ),
        ("Department for Digital, Culture, Media and Sport", ["Department for Digital, Culture, Media and Sport"]),
        ("Department of Health and Social Care", ["Department of Health and Social Care"]),
        (
            "National Farmers Union, Country Land and Business Association",
            ["National Farmers Union", "Country Land and Business Association"],
        ),
        ("Procter & Gamble and Unilever", ["Procter & Gamble and Unilever"]),
        ("Acme, Ltd", ["Acme, Ltd"]),
        ("Jane Roe, Chief Executive, Acme Ltd", ["Jane Roe"]),
    ],
)
def test_a_cell_naming_several_is_split_conservatively(cell, names):
    assert [n.text for n in split_cell(cell)] == names


def test_a_recorded_name_is_never_split():
    assert [n.text for n in split_cell("Tesco, Marks and Spencer")] == ["Tesco", "Marks", "Spencer"]
    known = {"marks and spencer"}.__contains__
    assert [n.text for n in split_cell("Tesco, Marks and Spencer", lambda t: known(t.lower()))] == [
        "Tesco",
        "Marks and Spencer",
    ]


def test_a_person_with_title_and_organisation():
    (named,) = split_cell("Jane Roe, Chief Executive, Acme Ltd")
    assert (named.text, named.title, named.org) == ("Jane Roe", "Chief Executive", "Acme Ltd")
    (named,) = split_cell("Jane Roe (Editor, The Daily Example)")
    assert (named.text, named.title, named.org) == ("Jane Roe", "Editor", "The Daily Example")


@pytest.mark.parametrize(
    "cell,days",
    [
        ("Oct-12", [(2012, 10, None)]),
        ("October 2012", [(2012, 10, None)]),
        ("Oct 2012", [(2012, 10, None)]),
        ("Sept 2012", [(2012, 9, None)]),
        ("02-06 September 2012", [(2012, 9, 2), (2012, 9, 6)]),
        ("2 – 6 Sept 2012", [(2012, 9, 2), (2012, 9, 6)]),
        ("2-6/9/12", [(2012, 9, 2), (2012, 9, 6)]),
        ("30 September - 2 October 2012", [(2012, 9, 30), (2012, 10, 2)]),
        ("30 December - 2 January 2013", [(2012, 12, 30), (2013, 1, 2)]),
        ("03/04/2012 - 05/04/2012", [(2012, 4, 3), (2012, 4, 5)]),
        ("03/04/2012", [(2012, 4, 3)]),  # UK order: the 3rd of April
        ("3/4/12", [(2012, 4, 3)]),
        ("13.07.2012", [(2012, 7, 13)]),
        ("13-Jul-12", [(2012, 7, 13)]),
        ("Tuesday 3rd July 2012", [(2012, 7, 3)]),
        ("July 13, 2012", [(2012, 7, 13)]),
        ("2012-07-13", [(2012, 7, 13)]),
        ("02-06 September", [(None, 9, 2), (None, 9, 6)]),
        ("2012", [(2012, None, None)]),
    ],
)
def test_register_dates(cell, days):
    assert parse_date(cell) == days


@pytest.mark.parametrize("cell", ["07/13/2012", "31/02/2012", "sometime", "Q3 2012", "2012-13", "3 Sepember 2012"])
def test_dates_that_cannot_be_read_are_refused(cell):
    from kb.importing.registers import RowError

    with pytest.raises(RowError):
        parse_date(cell)


@given(st.dates(min_value=__import__("datetime").date(2000, 1, 1), max_value=__import__("datetime").date(2099, 12, 31)))
def test_every_day_written_the_uk_way_reads_back(day):
    for written in (day.strftime("%d/%m/%Y"), day.strftime("%d-%b-%y"), f"{day.day} {day.strftime('%B %Y')}"):
        assert parse_date(written) == [(day.year, day.month, day.day)]
    assert parse_date(day.strftime("%b-%y")) == [(day.year, day.month, None)]


def test_a_year_the_file_does_not_settle_is_refused(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    path = _register(
        tmp_path, "Minister,Date,Name of organisation,Purpose of meeting\nJane Example,15 August,Acme Ltd,Talks\n"
    )
    result = run_kb("import", "uk-meetings", path, kb=root)
    assert result.exit_code == 1
    assert (
        "examples-2012-q3.csv row 2: '15 August' gives no year and the file's other dates do not settle it; "
        "add the year; nothing drafted for this row"
    ) in result.stderr
    assert not list((root / "meetings").glob("2012*"))


def test_a_windows_1252_register_with_crlf_lines_is_read(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    path = _register(
        tmp_path,
        "Minister,Date,Name of organisation,Purpose of meeting\n"
        "Jane Example,03/07/2012,Café Société Ltd,Talks on the £\n",
        newline="\r\n",
        encoding="cp1252",
    )
    result = run_kb("import", "uk-meetings", path, "--create-orgs", kb=root)
    assert result.exit_code == 0, result.output
    assert "is not UTF-8 (byte 83); read as Windows-1252" in result.stderr
    (meeting,) = _meetings(root).values()
    assert meeting["summary"] == "Talks on the £" and meeting["participants"][1]["org"] == "cafe-societe-ltd"


def test_a_file_that_is_not_a_register_is_a_usage_error(tmp_path, make_kb, run_kb):
    root = make_kb(UK_KB)
    path = _register(tmp_path, "Name,Amount\nA,1\n", name="gifts.csv")
    result = run_kb("import", "uk-meetings", path, kb=root)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "gifts.csv: no header row found in its first 30 lines" in result.stderr
    assert not list((root / "meetings").glob("*.yaml"))[1:]


def test_the_presets_are_in_kb_import_help(run_kb):
    result = run_kb("import", "--help")
    assert "uk-meetings" in result.output and "ec-meetings" in result.output


# --- the European Commission's register ----------------------------------------------------

EC_KB = {
    "kb.yaml": "name: Commission desk\nour_side: BE\ndefault_sensitivity: CLEAR\n",
    "people/ana-example.yaml": "id: ana-example\nname: Ana Example\ncountry: BE\n",
}
EC_REGISTER = (
    "Name of cabinet,Name of EC representative,Title of EC representative,Name of interest representative,"
    "Transparency register ID,Date of meeting,Location,Subject of the meeting\n"
    'Cabinet of Commissioner Example,"Ana Example, Ben Sample","Commissioner, Member of Cabinet",'
    'Example Industry Association,123456789012-34,14/03/2023,"Brussels, Belgium",Trade rules\n'
    'Cabinet of Commissioner Example,Ana Example,Commissioner,Acme Europe; Sample Foundation,"111, 222",'
    "15/03/2023,Strasbourg,Energy\n"
)


def test_the_commissions_register_is_drafted_with_its_representatives_on_our_side(tmp_path, make_kb, run_kb):
    root = make_kb(EC_KB)
    path = _register(tmp_path, EC_REGISTER, name="ec-2023.csv")
    result = run_kb("import", "ec-meetings", path, "--create-people", "--create-orgs", kb=root)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "2 meetings written from 1 file, 1 new person written, 3 new organisations written, 0 nil returns, "
        "0 rows already recorded, 0 rows unreadable"
    )
    first = (root / "meetings/2023-03-14-example-example-industry-association.yaml").read_text(encoding="utf-8")
    assert first == (
        "id: 2023-03-14-example-example-industry-association\n"
        "title: Ana Example meets Example Industry Association\n"
        "date: 2023-03-14\n"
        "status: held\n"
        "location:\n"
        "  place: Brussels, Belgium\n"
        "  country: BE\n"
        "participants:\n"
        "  - person: ana-example\n"
        "    side: BE\n"
        "    title: Commissioner\n"
        "    role: lead\n"
        "  - person: ben-sample\n"
        "    side: BE\n"
        "    title: Member of Cabinet\n"
        "    role: delegation\n"
        "  - org: example-industry-association\n"
        "    side: BE\n"
        "    role: lead\n"
        "summary: Trade rules\n"
        "sources:\n"
        "  - document: ec-2023.csv row 2\n"
        "    publisher: European Commission\n"
        "    note: 'Cabinet: Cabinet of Commissioner Example; Transparency register ID: 123456789012-34'\n"
        "unconfirmed:\n"
        "  - \"ec-2023.csv row 2: 'Ben Sample' is not a known person (proposed as "
        'ben-sample); confirm who this is"\n'
        "  - \"ec-2023.csv row 2: organisation 'Example Industry Association' is not known (proposed as "
        'orgs/example-industry-association.yaml); confirm it, its country and which side it represented"\n'
    )
    second = _meetings(root)["ec-2023.csv row 3"]
    assert second["location"] == {"place": "Strasbourg", "country": "FR"}
    assert [p.get("org") for p in second["participants"]] == [None, "acme-europe", "sample-foundation"]
    assert _errors(run_kb, root) == []
    again = run_kb("import", "ec-meetings", path, kb=root)
    assert again.exit_code == 0 and "0 meetings written" in again.stderr


def test_a_file_that_is_not_the_commissions_register_is_a_usage_error(tmp_path, make_kb, run_kb):
    root = make_kb(EC_KB)
    path = _register(tmp_path, QUARTER)
    result = run_kb("import", "ec-meetings", path, kb=root)
    assert result.exit_code == 2
    assert "no header row found in its first 30 lines: the European Commission's register" in result.stderr


# --- line endings and layout, for every import source --------------------------------------

STORY = (
    "ISLAMABAD: Interior Minister Mohsin Naqvi met US Ambassador Donald Blome on Saturday to discuss "
    "counter-narcotics cooperation.\n"
)


def _crlf_kb(make_kb, run_kb, files: dict) -> tuple[Path, dict[Path, bytes]]:
    """A knowledge base in kb's layout whose every file has CRLF line endings."""
    root = make_kb(files)
    assert run_kb("fmt", kb=root).exit_code == 0
    before = {}
    for path in root.rglob("*.yaml"):
        data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        path.write_bytes(data)
        before[path] = data
    return root, before


IMPORTS = {
    "article": (lambda tmp: ["article", "-", "--published", "2024-07-14", "--url", "https://example.org/a"], STORY, {}),
    "csv": (
        lambda tmp: [
            "csv",
            _register(tmp, "Date,Visitor,Country\n13/07/2025,Liu Example,China\n"),
            "--map",
            "date=Date",
            "--map",
            "with=Visitor",
            "--map",
            "country=Country",
            "--date-order",
            "dmy",
            "--create-people",
        ],
        None,
        {},
    ),
    "visits": (
        lambda tmp: ["visits", VISITS_QUIRKS, "--create-people"],
        None,
        {"kb.yaml": "name: Visits\nour_side: US\ndefault_sensitivity: CLEAR\n"},
    ),
    "uk-meetings": (
        lambda tmp: ["uk-meetings", _register(tmp, QUARTER), "--create-people", "--create-orgs"],
        None,
        UK_KB,
    ),
    "ec-meetings": (
        lambda tmp: ["ec-meetings", _register(tmp, EC_REGISTER), "--create-people", "--create-orgs"],
        None,
        EC_KB,
    ),
}


@pytest.mark.parametrize("source", sorted(IMPORTS))
def test_every_import_keeps_line_endings_and_writes_what_kb_fmt_and_kb_check_accept(source, tmp_path, make_kb, run_kb):
    arguments, stdin, files = IMPORTS[source]
    root, before = _crlf_kb(make_kb, run_kb, files)
    result = run_kb("import", *arguments(tmp_path), kb=root, input=stdin)
    assert "Traceback" not in result.output
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    for path in changed:  # an edited record (a source added) stays CRLF throughout
        data = path.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") and data.startswith(before[path].rstrip(b"\r\n"))
    assert changed == ([root / "meetings/2024-07-13-naqvi-blome.yaml"] if source == "article" else [])
    written = [p for p in root.rglob("*.yaml") if p not in before]
    assert written or source == "article"
    fmt = run_kb("fmt", "--check", kb=root)
    assert fmt.exit_code == 0, fmt.output
    assert _errors(run_kb, root) == []


# --- the resolver's narrowing of names by spelling (what makes a register of thousands quick) ---

GOLD = yaml.safe_load((Path(__file__).parent / "data" / "names_gold.yaml").read_text(encoding="utf-8"))["people"]
LATIN_NAME = st.lists(
    st.sampled_from(
        [
            "Mohsin",
            "Muhsin",
            "Mohsen",
            "Muhammad",
            "Mohammad",
            "Naqvi",
            "Nakvi",
            "Raza",
            "bin",
            "Hamad",
            "Khalifa",
            "Sergei",
            "Sergey",
            "Lavrov",
            "Al",
            "Thani",
            "Jo",
            "Ellis",
            "Elis",
            "Syed",
            "Abdullah",
            "Abdallah",
        ]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


def _could_match(a: str, b: str) -> bool:
    from kb.model import names

    keys_a, keys_b = names.block_keys(a), names.block_keys(b)
    return keys_a is None or keys_b is None or bool(keys_a & keys_b)


def test_narrowing_never_drops_a_match_of_the_gold_set():
    from kb.model import names

    everyone = [p["name"] for p in GOLD] + [d for p in GOLD for d in p["distractors"]]
    for person in GOLD:
        for form in [person["name"], *person["forms"]]:
            for known in everyone:
                if names.score(form, known) or names.starts(form, known):
                    assert _could_match(form, known), (form, known)


@given(LATIN_NAME, LATIN_NAME)
def test_narrowing_never_drops_a_match_between_latin_spellings(a, b):
    from kb.model import names

    if names.score(a, b) or names.starts(a, b):
        assert _could_match(a, b)


DATE_LIKE = st.one_of(
    st.text(max_size=30),
    st.from_regex(
        r"(mon |tuesday )?[0-3]?[0-9](st|th)?[ -/.]{1,3}([01]?[0-9]|jan|sept|sepember|june|oct)[ -/.]{0,3}(19|20)?[0-9]{2}",
        fullmatch=True,
    ),
)


@given(DATE_LIKE)
def test_any_date_cell_is_read_or_refused_with_a_reason(cell):
    from kb.importing.registers import RowError, resolve_dates

    try:
        days = parse_date(cell)
        resolve_dates(days, cell, ((2012, 1), (2012, 12)))
    except RowError as error:
        assert str(error)


@given(st.text(max_size=60))
def test_any_cell_splits_into_names_without_losing_text(cell):
    for named in split_cell(cell):
        assert named.text.strip() and named.text in " ".join(cell.split())
