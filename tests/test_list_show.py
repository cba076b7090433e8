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
    # date, id, title, counterparts, status, open commitments
    assert run("list", "meetings").splitlines() == [
        "2024-07-13\t2024-07-13-naqvi-blome\tInterior Minister Naqvi meets US Ambassador Blome\tDonald Blome\theld\t2",
        "2025-11-13\t2025-11-13-naqvi-biggar\tInterior Minister Naqvi meets UK National Crime Agency Director General"
        " Biggar\tGraeme Biggar, Jane Marriott\theld\t4",
        "2025-12-06\t2025-12-06-naqvi-baker\tInterior Minister Naqvi meets US Chargé d'Affaires Baker on narcotics and"
        " illegal migration\tNatalie Baker\theld\t3",
        "2026-01-24\t2026-01-24-naqvi-baker\tInterior Minister Naqvi meets US Chargé d'Affaires Baker on visa fraud and"
        " illegal migration\tNatalie Baker\theld\t3",
    ]


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
    # Blome's meeting: the NYPD visit and the security cooperation (the dialogue lapsed)
    assert [(row["id"], row["open"]) for row in rows] == [
        ("2024-07-13-naqvi-blome", 2),
        ("2025-11-13-naqvi-biggar", 4),
        ("2025-12-06-naqvi-baker", 3),
        ("2026-01-24-naqvi-baker", 3),
    ]


def test_list_people_and_orgs(run):
    people = {row["id"]: row for row in json.loads(run("list", "people", "--format", "json"))}
    assert people["mohsin-naqvi"]["meetings"] == 4 and people["mohsin-naqvi"]["last_met"] == "2026-01-24"
    # id, name, country, current title, meetings, last met
    assert run("list", "people", "--with", "natalie-baker") == (
        "mohsin-naqvi\tMohsin Naqvi\tPK\tFederal Minister for Interior\t4\t2026-01-24\n"
    )
    orgs = [line.split("\t")[0] for line in run("list", "orgs", "--country", "GB").splitlines()]
    assert orgs == [
        "uk-high-commission-islamabad",
        "uk-foreign-commonwealth-development-office",
        "uk-national-crime-agency",
    ]


def test_unknown_filter_value_is_a_clear_error(run_kb):
    result = run_kb("list", "meetings", "--with", "Donld Blome", kb=RECORDS)
    assert result.exit_code == 2 and "did you mean 'donald-blome'" in result.output
    result = run_kb("list", "orgs", "--open", kb=RECORDS)
    assert result.exit_code == 2


def test_show_person_by_alias_with_meetings_and_predecessor(run):
    assert run("show", "Donald Bloom") == (
        "Donald Blome  US\n"
        "also written: Donald Armin Blome, Donald Bloom, Donald Blume, Blome\n"
        "\n"
        "Roles\n"
        "  Ambassador to Pakistan, May 2022 – 11 January 2025\n"
        "\n"
        "Holders of us-chief-of-mission-pakistan, in succession\n"
        "  Donald Blome ←, Ambassador to Pakistan, May 2022 – 11 January 2025\n"
        "  Natalie Baker, Chargé d'Affaires a.i., since January 2025\n"
        "\n"
        "Meetings\n"
        "  2024-07-13  2024-07-13-naqvi-blome  Interior Minister Naqvi meets US Ambassador Blome\n"
        "\n"
        "people/donald-blome.yaml\n"
    )


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
