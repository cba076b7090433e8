"""`kb list` and `kb show` on the repository's own records: filters, backlinks, formats."""

import json

import pytest
from conftest import RECORDS


@pytest.fixture
def run(run_kb):
    def go(*args):
        result = run_kb(*args, kb=RECORDS)
        assert result.exit_code == 0, result.output
        return result.output

    return go


def test_list_meetings_in_date_order_as_tsv(run):
    lines = run("list", "meetings").splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["2024-07-13", "2024-07-13-naqvi-blome"],
        ["2025-11-13", "2025-11-13-naqvi-biggar"],
        ["2025-12-06", "2025-12-06-naqvi-baker"],
        ["2026-01-24", "2026-01-24-naqvi-baker"],
    ]
    assert lines[0].split("\t")[3] == "Donald Blome"


def test_filters(run):
    def ids(*args):
        return [line.split("\t")[1] for line in run("list", "meetings", *args).splitlines()]

    assert ids("--with", "Donald Bloom") == ["2024-07-13-naqvi-blome"]  # an alias
    assert ids("--with", "natalie-baker", "--since", "2026") == ["2026-01-24-naqvi-baker"]
    assert ids("--until", "2025-11") == ["2024-07-13-naqvi-blome", "2025-11-13-naqvi-biggar"]
    assert ids("--country", "GB") == ["2025-11-13-naqvi-biggar"]
    assert ids("--topic", "anti-narcotics") == ids("--topic", "counter-narcotics") != []
    assert ids("--status", "planned") == []


def test_open_commitments(run):
    rows = json.loads(run("list", "meetings", "--open", "--format", "json"))
    assert rows and all(row["open"] > 0 for row in rows)


def test_list_people_and_orgs(run):
    people = {row["id"]: row for row in json.loads(run("list", "people", "--format", "json"))}
    assert people["mohsin-naqvi"]["meetings"] == 4 and people["mohsin-naqvi"]["last_met"] == "2026-01-24"
    met_baker = [line.split("\t")[0] for line in run("list", "people", "--with", "natalie-baker").splitlines()]
    assert "mohsin-naqvi" in met_baker and "natalie-baker" not in met_baker
    orgs = [line.split("\t")[0] for line in run("list", "orgs", "--country", "GB").splitlines()]
    assert "uk-national-crime-agency" in orgs and all(o.startswith("uk-") for o in orgs)


def test_unknown_filter_value_is_a_clear_error(run_kb):
    result = run_kb("list", "meetings", "--with", "Donld Blome", kb=RECORDS)
    assert result.exit_code == 2 and "did you mean 'donald-blome'" in result.output
    result = run_kb("list", "orgs", "--open", kb=RECORDS)
    assert result.exit_code == 2


def test_show_person_by_alias_with_meetings_and_predecessor(run):
    output = run("show", "Donald Bloom")
    assert output.startswith("Donald Blome  US")
    assert "2024-07-13  2024-07-13-naqvi-blome" in output
    holders = output[output.index("Holders of us-chief-of-mission-pakistan") :]
    assert holders.index("Donald Blome") < holders.index("Natalie Baker")


def test_show_meeting_with_earlier_and_later(run):
    data = json.loads(run("show", "2026-01-24-naqvi-baker", "--format", "json"))
    assert [m["id"] for m in data["backlinks"]["earlier_meetings"]] == ["2025-12-06-naqvi-baker"]
    assert data["backlinks"]["later_meetings"] == []
    earlier = json.loads(run("show", "2025-12-06-naqvi-baker", "--format", "json"))
    assert {"id": "2026-01-24-naqvi-baker", "relation": "follows it"}.items() <= earlier["backlinks"]["referenced_by"][
        0
    ].items()


def test_show_org_people_and_commitments(run):
    data = json.loads(run("show", "pk-ministry-of-interior", "--format", "json"))
    assert "mohsin-naqvi" in {p["person"] for p in data["backlinks"]["people"]}
    assert any(
        c["outcome"] == "law-enforcement-dialogue" and c["as"] == "owner" for c in data["backlinks"]["commitments"]
    )


def test_show_unknown(run_kb):
    result = run_kb("show", "donald-blom", kb=RECORDS)
    assert result.exit_code == 2 and "did you mean 'donald-blome'" in result.output
