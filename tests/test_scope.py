"""One answer per question: the meetings of a country are the same in `kb list` and `kb timeline`,
and a meeting's counterparts are the participants not on our side, never our own people."""

import json
import re
import sqlite3
import textwrap

import pytest

EMBASSY = """\
    id: 2025-03-04-naqvi-us-embassy
    title: Interior Minister Naqvi visits the US Embassy
    date: 2025-03-04
    status: held
    location: {place: Islamabad, country: PK}
    host: us-embassy-islamabad
    participants:
      - {person: mohsin-naqvi, org: pk-ministry-of-interior, side: PK, role: lead}
      - {org: us-embassy-islamabad, side: US}
    sources:
      - url: https://example.org/embassy
    """

LONDON = """\
    id: 2025-06-10-naqvi-marriott-london
    title: Interior Minister Naqvi meets High Commissioner Marriott in London
    date: 2025-06-10
    status: held
    location: {place: London, country: GB}
    participants:
      - {person: mohsin-naqvi, org: pk-ministry-of-interior, side: PK, role: lead}
      - {person: jane-marriott, side: GB}
    sources:
      - url: https://example.org/london
    """


@pytest.fixture
def kb(repo):
    """The repository's records, with a meeting at the US Embassy (its other side an organisation
    alone) and one held in London."""
    for text in (EMBASSY, LONDON):
        text = textwrap.dedent(text)
        ident = text.split("\n", 1)[0].removeprefix("id: ")
        (repo / "meetings" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return repo


@pytest.fixture
def run(run_kb, kb):
    def go(*args):
        result = run_kb(*args, kb=kb)
        assert result.exit_code == 0, result.output
        return result.output

    return go


def listed(run, *args) -> list[str]:
    return [line.split("\t")[1] for line in run("list", "meetings", *args).splitlines()]


def timeline(run, counterpart: str) -> list[str]:
    return [entry["id"] for entry in json.loads(run("timeline", counterpart, "--format", "json"))["entries"]]


# Our own side (PK) takes part in every meeting: its meetings are those held in it, so the
# meeting in London is GB's and not PK's. Every other country: a side in the meeting, or its place.
COUNTRIES = {
    "PK": [
        "2024-07-13-naqvi-blome",
        "2025-03-04-naqvi-us-embassy",
        "2025-11-13-naqvi-biggar",
        "2025-12-06-naqvi-baker",
        "2026-01-24-naqvi-baker",
    ],
    "GB": ["2025-06-10-naqvi-marriott-london", "2025-11-13-naqvi-biggar"],
    "US": [
        "2024-07-13-naqvi-blome",
        "2025-03-04-naqvi-us-embassy",
        "2025-12-06-naqvi-baker",
        "2026-01-24-naqvi-baker",
    ],
}


@pytest.mark.parametrize("code", sorted(COUNTRIES))
def test_list_and_timeline_give_one_answer_for_a_country(run, code):
    assert listed(run, "--country", code) == COUNTRIES[code]
    assert timeline(run, code) == COUNTRIES[code]
    assert listed(run, "--country", code.lower()) == COUNTRIES[code]


def test_search_filters_by_the_same_rule(run):
    found = json.loads(run("search", "Naqvi", "--country", "PK", "--format", "json"))
    assert {hit["meeting"] for hit in found["hits"]} == set(COUNTRIES["PK"])


def test_an_embassy_meeting_has_the_embassy_as_counterpart_not_our_minister(run):
    rows = [line.split("\t") for line in run("list", "meetings").splitlines()]
    assert [(row[1], row[3]) for row in rows] == [
        ("2024-07-13-naqvi-blome", "Donald Blome"),
        ("2025-03-04-naqvi-us-embassy", "Embassy of the United States, Islamabad"),
        ("2025-06-10-naqvi-marriott-london", "Jane Marriott"),
        ("2025-11-13-naqvi-biggar", "Graeme Biggar, Jane Marriott"),
        # the embassy's officials beside the chargée, who represents it, add no name
        ("2025-12-06-naqvi-baker", "Natalie Baker"),
        ("2026-01-24-naqvi-baker", "Natalie Baker"),
    ]


def test_an_embassy_meeting_is_related_to_no_meeting_of_our_minister(run):
    shown = json.loads(run("show", "2025-03-04-naqvi-us-embassy", "--format", "json"))
    # Its counterpart is named in no other meeting; our minister, in all of them, relates none.
    assert shown["backlinks"]["earlier_meetings"] == shown["backlinks"]["later_meetings"] == []


def test_the_dataset_names_the_same_counterparts(run, kb, tmp_path):
    out = tmp_path / "kb.sqlite"
    run("export", "sqlite", out)
    with sqlite3.connect(out) as db:
        rows = db.execute("SELECT id, counterparts FROM meetings ORDER BY id").fetchall()
    assert rows == [
        ("2024-07-13-naqvi-blome", "Donald Blome"),
        ("2025-03-04-naqvi-us-embassy", "Embassy of the United States, Islamabad"),
        ("2025-06-10-naqvi-marriott-london", "Jane Marriott"),
        ("2025-11-13-naqvi-biggar", "Graeme Biggar; Jane Marriott"),
        ("2025-12-06-naqvi-baker", "Natalie Baker"),
        ("2026-01-24-naqvi-baker", "Natalie Baker"),
    ]


def test_the_site_gives_each_country_the_same_meetings(run, tmp_path):
    out = tmp_path / "site"
    run("site", "build", "-o", out)
    index = (out / "search-index.js").read_text(encoding="utf-8")
    meetings = json.loads(index.removeprefix("window.KB_INDEX = ").rstrip().removesuffix(";"))["meetings"]
    for code, expected in COUNTRIES.items():
        page = (out / "countries" / f"{code}.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="\.\./meetings/([^"#]+)\.html"', page))
        assert linked == set(expected), code
        # the search page's country filter
        assert sorted(m[1] for m in meetings if code in m[6]) == expected, code
