"""kb import: drafts from the seed articles and from a year of the Office of the Historian's visits."""

import csv
import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SHARED, VISITS, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.importing import article, spreadsheet, text, when
from kb.importing.names import split_title
from kb.model.dates import PartialDate
from kb.store.loader import load

REPO = Path(__file__).resolve().parents[1]
SEEDS = SHARED / "seeds"

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed articles are not beside the repo ({SEEDS}; or set KB_SHARED)"
)
needs_visits = pytest.mark.skipif(
    not VISITS.is_dir(), reason=f"the visits data is not beside the repo ({VISITS}; or set KB_SHARED)"
)

# seed file prefix -> (publication date, the meeting it reports, who took part, the source url the record cites)
SEED_CASES = {
    "000": ("2025-12-06", "2025-12-06-naqvi-baker", {"mohsin-naqvi", "natalie-baker"}, "2025-12~"),
    "001": ("2026-01-24", "2026-01-24-naqvi-baker", {"mohsin-naqvi", "natalie-baker"}, "2026-01-24"),
    "002": ("2025-11-13", "2025-11-13-naqvi-biggar", {"mohsin-naqvi", "graeme-biggar", "jane-marriott"}, "2025-11-13"),
    "003": ("2024-07-14", "2024-07-13-naqvi-blome", {"mohsin-naqvi", "donald-blome"}, "2024-07~"),
    "004": ("2024-07-13", "2024-07-13-naqvi-blome", {"mohsin-naqvi", "donald-blome"}, "2024-07~"),
}


def load_sources(text: str) -> list:
    from kb.store.yamlread import parse_bytes

    return parse_bytes(text.encode(), "x.yaml").data["sources"]


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def repo_kb(tmp_path):
    """A copy of the repository's own knowledge base."""
    root = tmp_path / "repo-kb"
    root.mkdir()
    for name in ("kb.yaml", "topics.yaml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("meetings", "people", "orgs"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def empty_kb(tmp_path):
    root = tmp_path / "empty-kb"
    root.mkdir()
    (root / "kb.yaml").write_text("name: Foreign leaders' visits\nour_side: US\n")
    (root / "topics.yaml").write_text("topics: []\n")
    return root


# --- articles -------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_each_seed_is_recognised_as_the_meeting_already_recorded(prefix, repo_kb, run_kb):
    published, meeting_id, people, date = SEED_CASES[prefix]
    kb = load(repo_kb)
    draft = article.draft(
        kb, seed(prefix).read_text(), published=dt.date.fromisoformat(published), url=f"https://example.org/{prefix}"
    )
    assert {p["person"] for p in draft.meeting["participants"]} == people
    assert draft.meeting["date"] == date
    assert draft.existing is not None and draft.existing.meeting.id == meeting_id
    assert not draft.existing.already

    result = run_kb(
        "import",
        "article",
        seed(prefix),
        "--published",
        published,
        "--url",
        f"https://example.org/{prefix}",
        "--dry-run",
        kb=repo_kb,
    )
    assert result.exit_code == 0, result.output
    assert f"this article reports meetings/{meeting_id}.yaml" in result.output
    assert f"url: https://example.org/{prefix}" in result.output
    assert "id:" not in result.output  # a source is proposed, not a meeting


def test_a_person_named_by_an_article_decades_after_they_were_seen_is_flagged(empty_kb, run_kb, tmp_path):
    (empty_kb / "people").mkdir()
    (empty_kb / "people/anton-weber.yaml").write_text(
        "id: anton-weber\nname: Anton Weber\ncountry: AT\nroles:\n- title: Chancellor\n  start: '1961'\n  end: '1966'\n"
    )
    text = tmp_path / "story.txt"
    text.write_text(
        "VIENNA, May 5 - Chancellor Anton Weber met Secretary of State Jane Roe on Monday to discuss trade.\n"
    )
    result = run_kb("import", "article", text, "--published", "2024-05-06", "--dry-run", kb=empty_kb)
    assert result.exit_code == 0, result.output
    assert (
        "participant: 'Anton Weber' was taken for anton-weber, who is otherwise seen 58 years from this date: "
        "confirm it is the same person, else give this participant a person of their own"
    ) in result.output


@needs_seeds
def test_the_misspelt_ambassador_is_matched_through_his_alias(repo_kb, run_kb):
    result = run_kb("import", "article", seed("003"), "--published", "2024-07-14", "--dry-run", kb=repo_kb)
    assert "matched 'Donald Bloom' to donald-blome (known alias)" in result.output


@needs_seeds
def test_without_the_alias_the_misspelling_is_proposed_as_a_fuzzy_match(repo_kb):
    person = repo_kb / "people/donald-blome.yaml"
    person.write_text(person.read_text().replace("  - name: Donald Bloom\n", "  - name: Donald Bloomfield-Unused\n"))
    kb = load(repo_kb)
    draft = article.draft(kb, seed("003").read_text(), published=dt.date(2024, 7, 14))
    assert "matched 'Donald Bloom' to donald-blome (fuzzy, 92% like 'Donald Blome')" in draft.messages
    assert any(e.startswith("participant donald-blome: matched 'Donald Bloom'") for e in draft.meeting["unconfirmed"])


@needs_seeds
def test_dates_have_the_precision_the_text_supports(repo_kb):
    kb = load(repo_kb)
    on_saturday = article.draft(kb, seed("001").read_text(), published=dt.date(2026, 1, 26))
    assert on_saturday.meeting["date"] == "2026-01-24"  # the Saturday before a Monday edition
    assert any("'on Saturday'" in e for e in on_saturday.meeting["unconfirmed"])
    undated = article.draft(kb, seed("001").read_text())
    assert "date" not in undated.meeting
    assert any(e.startswith("date:") and "--published" in e for e in undated.meeting["unconfirmed"])


@needs_seeds
def test_a_seed_draft_names_titles_as_written_topics_and_commitments(tmp_path, repo_kb):
    kb = load(repo_kb)
    draft = article.draft(kb, seed("003").read_text(), published=dt.date(2024, 7, 14))
    record = draft.meeting
    titles = {p["person"]: p.get("title") for p in record["participants"]}
    assert titles == {"mohsin-naqvi": "Interior Minister", "donald-blome": "US Ambassador to Pakistan"}
    assert record["location"] == {"place": "Islamabad", "country": "PK"}
    assert {"counter-terrorism", "counter-narcotics", "minority-rights"} <= set(record["topics"])
    dialogue = next(o for o in record["outcomes"] if "dialogue" in o["text"])
    assert dialogue["due"] == "2024-10"
    delegation = next(o for o in record["outcomes"] if "New York" in o["text"])
    assert "due" not in delegation
    assert any("'soon': no due date stated" in e for e in record["unconfirmed"])
    assert record["quotes"][0]["speaker"] == "mohsin-naqvi"
    assert "ago" not in json.dumps(record)  # the news ticker is gone


@needs_seeds
def test_shortly_has_no_due_date_and_claims_keep_their_figures(repo_kb):
    kb = load(repo_kb)
    mous = article.draft(kb, seed("002").read_text(), published=dt.date(2025, 11, 13)).meeting
    outcome = next(o for o in mous["outcomes"] if "Memorandums" in o["text"])
    assert "due" not in outcome and "shortly" in outcome["text"]
    narcotics = article.draft(kb, seed("000").read_text(), published=dt.date(2025, 12, 6)).meeting
    figures = [f for claim in narcotics["claims"] for f in claim["figures"]]
    assert "134 tonnes" in figures and "$12.797 billion" in figures
    assert "Scroll to Top" not in json.dumps(narcotics) and "Also Read" not in json.dumps(narcotics)


@needs_seeds
def test_seed_003_adds_one_source_to_the_meeting_seed_004_recorded(repo_kb, run_kb):
    path = repo_kb / "meetings/2024-07-13-naqvi-blome.yaml"
    original = path.read_text()
    # The knowledge base holds the meeting from seed 004 but not seed 003's report of it.
    lines = original.splitlines(keepends=True)
    mention = next(i for i, line in enumerate(lines) if "seed article 003" in line)
    start = max(i for i in range(mention + 1) if lines[i].startswith("  - "))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - "))
    without_003 = "".join(lines[:start] + lines[end:])
    path.write_text(without_003)
    url = "https://gnnhd.tv/news/36856/pakistan-us-agree-to-enhance-cooperation"

    dry = run_kb(
        "import",
        "article",
        seed("003"),
        "--published",
        "2024-07-14",
        "--url",
        url,
        "--publisher",
        "GNN",
        "--dry-run",
        kb=repo_kb,
    )
    assert "proposing it as a new source, not a new meeting" in dry.output
    assert path.read_text() == without_003

    result = run_kb(
        "import", "article", seed("003"), "--published", "2024-07-14", "--url", url, "--publisher", "GNN", kb=repo_kb
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (repo_kb / "meetings").iterdir()) == sorted(
        p.name for p in (REPO / "meetings").iterdir()
    )
    after = path.read_text()
    assert after.startswith(without_003.rstrip("\n") + "\n")  # every existing line, comments included, untouched
    added = after[len(without_003.rstrip("\n")) + 1 :]
    assert added == f"  - url: {url}\n    publisher: GNN\n    published: 2024-07-14\n"
    assert "# yaml-language-server" in after
    before = load_sources(without_003)
    assert load(repo_kb).meetings["2024-07-13-naqvi-blome"].get("sources") == before + [
        {"url": url, "publisher": "GNN", "published": "2024-07-14"}
    ]

    again = run_kb("import", "article", seed("003"), "--published", "2024-07-14", "--url", url, kb=repo_kb)
    assert "already recorded" in again.output and path.read_text() == after


@needs_seeds
def test_a_new_meeting_is_written_as_a_draft_that_kb_check_lists(repo_kb, run_kb, check_json):
    shutil.rmtree(repo_kb / "meetings")
    (repo_kb / "meetings").mkdir()
    result = run_kb(
        "import", "article", seed("002"), "--published", "2025-11-13", "--url", "https://example.org/biggar", kb=repo_kb
    )
    assert result.exit_code == 0, result.output
    assert "wrote meetings/2025-11-13-naqvi-biggar.yaml" in result.output
    findings, _code = check_json(repo_kb)
    assert {f["code"] for f in findings} == {"KB607"}
    assert any("'on Thursday'" in f["message"] for f in findings)
    second = run_kb("import", "article", seed("002"), "--published", "2025-11-13", kb=repo_kb)
    assert "this article reports meetings/2025-11-13-naqvi-biggar.yaml" in second.output


def test_an_unknown_official_next_to_a_title_is_proposed(make_kb, run_kb):
    root = make_kb()
    story = (
        "ISLAMABAD: Interior Minister Mohsin Naqvi met Australian High Commissioner Neil Hawkins on "
        "Tuesday. The two sides agreed to hold talks on visas in March.\nLeave a Reply\nName *\n"
    )
    result = run_kb("import", "article", "-", "--published", "2024-12-05", "--dry-run", kb=root, input=story)
    assert "proposed new person: neil-hawkins 'Neil Hawkins' (Australian High Commissioner)" in result.output
    assert "date: 2024-12-03 from 'on Tuesday'" in result.output
    assert "side: AU" in result.output and "due: 2025-03" in result.output
    assert "Name *" not in result.output

    listed = run_kb("import", "article", "-", "--published", "2024-12-05", kb=root, input=story)
    assert "proposed new person, not written (pass --create-people): neil-hawkins" in listed.output
    assert not (root / "people/neil-hawkins.yaml").exists()
    (root / "meetings/2024-12-03-naqvi-hawkins.yaml").unlink()

    # A file already holds the id (another meeting): the draft takes the next free id, never overwriting.
    taken = (
        (root / "meetings/2024-07-13-naqvi-blome.yaml")
        .read_text()
        .replace("2024-07-13-naqvi-blome", "2024-12-03-naqvi-hawkins")
        .replace("date: 2024-07-13", "date: 2024-12-03")
    )
    (root / "meetings/2024-12-03-naqvi-hawkins.yaml").write_text(taken)
    created = run_kb("import", "article", "-", "--published", "2024-12-05", "--create-people", kb=root, input=story)
    assert "wrote meetings/2024-12-03-naqvi-hawkins-2.yaml" in created.output, created.output
    assert "wrote people/neil-hawkins.yaml" in created.output
    assert (root / "meetings/2024-12-03-naqvi-hawkins.yaml").read_text() == taken
    assert "name: Neil Hawkins" in (root / "people/neil-hawkins.yaml").read_text()

    again = run_kb("import", "article", "-", "--published", "2024-12-05", kb=root, input=story)
    assert (
        "already recorded: article text standard input is source 1 of meetings/2024-12-03-naqvi-hawkins-2.yaml"
        in again.output
    )


def test_import_article_usage_errors(make_kb, run_kb):
    root = make_kb()
    bad = run_kb("import", "article", "-", "--published", "2024-07", kb=root, input="Some text.")
    assert bad.exit_code == 2 and "give the full day" in bad.output
    undated = run_kb("import", "article", "-", kb=root, input="Mohsin Naqvi met Donald Blome.")
    assert undated.exit_code == 2 and "pass --published" in undated.output


def test_boilerplate_and_tickers_are_dropped():
    cleaned = text.clean(
        "Headline here\nBody sentence one.\nAlso Read: other story\nSome ticker item\n- 10 hours ago\nScroll to Top"
    )
    assert cleaned.headline == "Headline here"
    assert cleaned.paragraphs == ["Body sentence one."]


@pytest.mark.parametrize(
    "sentence,due",
    [
        ("It was agreed to hold a dialogue in October.", "2024-10"),
        ("A review will follow in March.", "2025-03"),
        ("They will meet again in July 2026.", "2026-07"),
        ("Five MoUs will shortly be finalised.", None),
    ],
)
def test_due_dates(sentence, due):
    found, _note = when.due_date(sentence, PartialDate(2024, 7, 13))
    assert (str(found) if found else None) == due


# --- spreadsheets --------------------------------------------------------------------------


def visits_csv(tmp_path: Path, year: str) -> Path:
    """The visits of one year as a CSV, as a desk officer's spreadsheet would hold them."""
    path = tmp_path / f"visits-{year}.csv"
    decade = VISITS / f"{year[:3]}0.xml"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Start date", "End date", "Visitor", "Country", "Description"])
        for visit in ET.parse(decade).getroot():
            if visit.findtext("start-date", "").startswith(year):
                writer.writerow(
                    [
                        visit.findtext("start-date"),
                        visit.findtext("end-date"),
                        visit.findtext("visitor").strip(),
                        visit.findtext("from"),
                        visit.findtext("description"),
                    ]
                )
    return path


VISIT_MAP = [
    "--map",
    "date=Start date",
    "--map",
    "end_date=End date",
    "--map",
    "with=Visitor",
    "--map",
    "country=Country",
    "--map",
    "purpose=Description",
]


@needs_visits
def test_a_year_of_visits_imports_and_check_reports_only_what_needs_a_person(tmp_path, empty_kb, run_kb, check_json):
    path = visits_csv(tmp_path, "2019")
    rows = list(csv.DictReader(path.open()))
    result = run_kb("import", "csv", path, *VISIT_MAP, "--create-people", kb=empty_kb)
    assert result.exit_code == 0, result.output
    meetings = sorted((empty_kb / "meetings").glob("*.yaml"))
    assert len(meetings) == len(rows) == 39
    findings, code = check_json(empty_kb)
    # KB610: a row names the visitor, never who received them for our side; a person must add it.
    assert code == 0 and {f["code"] for f in findings} == {"KB607", "KB610"}
    assert len([f for f in findings if f["code"] == "KB610"]) == len(rows)
    # Every row's meeting names a new person to confirm, located by its row.
    messages = sorted(f["message"] for f in findings if f["code"] == "KB607")
    assert len(messages) == len(rows)
    assert any("visits-2019.csv row 4: 'Liu He' is not a known person" in m for m in messages)
    liu = (empty_kb / "meetings/2019-02-22-liu-he.yaml").read_text()
    assert "title: Vice Premier" in liu and "side: CN" in liu and "document: visits-2019.csv row 4" in liu
    assert (empty_kb / "meetings/2019-04-10-moon-jae-in.yaml").read_text().count("side: KR") == 1
    assert len(list((empty_kb / "people").glob("*.yaml"))) == len({r["Visitor"].strip() for r in rows})

    again = run_kb("import", "csv", path, *VISIT_MAP, kb=empty_kb)
    assert again.exit_code == 0 and "0 meetings written from 1 file, 0 new people proposed" in again.output
    assert "row 4: already imported as meetings/2019-02-22-liu-he.yaml" in again.output


@needs_visits
def test_without_create_people_check_reports_the_unknown_people(tmp_path, empty_kb, run_kb, check_json):
    path = visits_csv(tmp_path, "2019")
    run_kb("import", "csv", path, *VISIT_MAP, kb=empty_kb)
    findings, code = check_json(empty_kb)
    assert code == 1 and {f["code"] for f in findings} == {"KB400", "KB607", "KB610"}


def test_unreadable_rows_are_reported_by_number_and_skipped(tmp_path, make_kb, run_kb):
    root = make_kb()
    path = tmp_path / "ministers.csv"
    path.write_text(
        "Minister,Date,Name of organisation or individual,Purpose\n"
        "Mohsin Naqvi,13/07/2024,Donald Blome,Security cooperation\n"
        "Mohsin Naqvi,sometime,Donald Blome,Anything\n"
        "Mohsin Naqvi,,Donald Blome,Anything\n"
        "Mohsin Naqvi,03/04/2024,Donald Blome,Ambiguous\n"
        "Mohsin Naqvi,2024-08-01,Donald Blume,Misspelt\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("date: Date\nwith: Name of organisation or individual\npurpose: Purpose\nminister: Minister\n")
    result = run_kb("import", "csv", path, "--mapping", mapping, "--dry-run", kb=root)
    assert result.exit_code == 1
    assert "row 3: 'sometime' in column 'Date' is not a date with a year" in result.output
    assert "row 4: column 'Date' (date) is empty" in result.output
    assert "row 5: '03/04/2024' in column 'Date' could be day/month or month/day" in result.output
    assert "ministers.csv row 2: already" not in result.output
    assert "row 2: probably already recorded as meetings/2024-07-13-naqvi-blome.yaml" in result.output
    # a near spelling is a reason to propose, never to merge
    assert "'Donald Blume' resembles donald-blome ('Donald Blome', fuzzy, 92%)" in result.output
    assert "id: 2024-08-01-naqvi-donald-blume" in result.output  # a proposed person: the name as written

    written = run_kb("import", "csv", path, "--mapping", mapping, "--date-order", "dmy", kb=root)
    assert "row 5: wrote meetings/2024-04-03-naqvi-blome.yaml" in written.output
    assert (root / "meetings/2024-08-01-naqvi-donald-blume.yaml").exists()


def test_mapping_errors_are_usage_errors(tmp_path, make_kb, run_kb):
    root = make_kb()
    path = tmp_path / "x.csv"
    path.write_text("Date,Visitor\n2024-01-01,Someone Else\n")
    typo = run_kb("import", "csv", path, "--map", "dat=Date", "--map", "with=Visitor", kb=root)
    assert typo.exit_code == 2 and "did you mean 'date'?" in typo.output
    column = run_kb("import", "csv", path, "--map", "date=Dates", "--map", "with=Visitor", kb=root)
    assert column.exit_code == 2 and "no column 'Dates'" in column.output and "did you mean 'Date'?" in column.output
    missing = run_kb("import", "csv", path, "--map", "date=Date", kb=root)
    assert missing.exit_code == 2 and "must name the column of with" in missing.output


@pytest.mark.parametrize(
    "cell,title,name",
    [
        ("Prime Minister Dr. Hubert A. Minnis", "Prime Minister", "Hubert A. Minnis"),
        ("Amir Tamim bin Hamad al-Thani", "Amir", "Tamim bin Hamad al-Thani"),
        ("Vice Premier Liu He", "Vice Premier", "Liu He"),
        ("Donald Blome", None, "Donald Blome"),
    ],
)
def test_titles_are_split_from_names(cell, title, name):
    assert split_title(cell) == (title, name)


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("2024-07-13", "2024-07-13"),
        ("2024-07", "2024-07"),
        ("13 July 2024", "2024-07-13"),
        ("July 2024", "2024-07"),
        ("25/12/2024", "2024-12-25"),
    ],
)
def test_spreadsheet_dates(cell, expected):
    assert str(spreadsheet.cell_date(cell, None, "Date")) == expected


WORDS = st.sampled_from(
    [
        "Interior",
        "Minister",
        "Mohsin",
        "Naqvi",
        "met",
        "US",
        "Ambassador",
        "Donald",
        "Bloom",
        "on",
        "Saturday",
        "agreed",
        "to",
        "hold",
        "talks",
        "in",
        "October",
        "ISLAMABAD:",
        "“We",
        "will",
        "act,”",
        "he",
        "said.",
        "Also Read:",
        "- 3 hours ago",
        "\n",
        "High",
        "Commissioner",
        "Jane",
        "Marriot",
        "134",
        "tonnes",
        ",",
        ".",
        "the",
        "British",
        "Chargé",
        "d’Affaires",
        "Natalie",
        "Baker",
        "13",
        "July",
        "2024",
        "shortly",
    ]
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(WORDS, max_size=60), day=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
def test_any_text_gives_a_draft_that_fits_the_schema(words, day, make_kb):
    """Whatever the text, a draft naming anyone is a schema-valid record, dated no later than
    publication, with every uncertain reading listed for confirmation."""
    from kb.store import schemas as schema

    kb = load(make_kb())
    draft = article.draft(kb, " ".join(words), published=day, url="https://example.org/a")
    record = draft.meeting
    if not record["participants"]:
        return
    assert schema.validate("meeting", record, "m.yaml", lambda *path, **kw: (1, 1)) == []
    assert PartialDate.parse(record["date"]).earliest() <= day
    assert record["unconfirmed"]
