"""One answer per question, where two commands used to give two: a peer's name parts and the
name a meeting's id is made from are the model's (kb.model.names), in `kb new` and in the
register imports alike."""

import json

import pytest

PEER = "people/sample-of-testing.yaml"
# A peer recorded by hand, with no family_name: the id of a meeting with them is made from the
# name after the rank, whichever command makes it.
RECORDED_PEER = "id: sample-of-testing\nname: Lord Sample of Testing\ncountry: GB\n"
REGISTER = "Minister,Date,Name of organisation,Purpose of meeting\nLord Sample of Testing,04/07/2012,Acme Ltd,Talks\n"


@pytest.fixture
def run(run_kb, repo):
    def go(*args):
        result = run_kb(*args, kb=repo)
        assert result.exit_code == 0, result.output
        return result.output

    return go


def test_kb_new_person_parts_a_peer_as_the_register_import_does(run, repo):
    run("new", "person", "--name", "Lord Sample of Testing", "--country", "GB")
    made = (repo / PEER).read_text(encoding="utf-8").split("\n", 1)[1]
    assert made.startswith(
        "id: sample-of-testing\nname: Lord Sample of Testing\nfamily_name: Sample\n"
        "sort_name: Sample of Testing, Lord\ncountry: GB\n"
    )


@pytest.mark.parametrize(
    ("written", "made"),
    [
        ("Lord Sample of Testing", "sample-of-testing"),
        ("Baroness Sample of Testing", "sample-of-testing"),
        ("Viscountess Sample", "sample"),
        ("Earl Anthony Sample", "earl-anthony-sample"),  # 'Earl' may be a given name: kept
    ],
)
def test_every_peerage_rank_is_left_out_of_the_id_by_kb_new_as_by_the_imports(run, repo, written, made):
    from kb.model.names import person_id

    assert run("new", "person", "--name", written, "--country", "GB").splitlines()[0] == f"created people/{made}.yaml"
    assert person_id(written) == made


def test_a_meeting_with_a_recorded_peer_is_named_alike_by_kb_new_and_the_import(run, repo):
    (repo / PEER).write_text(RECORDED_PEER, encoding="utf-8")
    (repo / "register.csv").write_text(REGISTER, encoding="utf-8")
    imported = run("import", "uk-meetings", str(repo / "register.csv"), "--dry-run")
    assert "\nid: 2012-07-04-sample-acme-ltd\n" in imported
    created = run("new", "meeting", "--with", "sample-of-testing", "--with", "mohsin-naqvi", "--date", "2012-07-04")
    assert created.splitlines()[0] == "created meetings/2012-07-04-sample-naqvi.yaml"


HOSTED = """\
id: 2025-02-02-naqvi-reception
title: Interior Minister Naqvi at a reception
date: 2025-02-02
status: held
location: {place: Islamabad, country: PK}
host: us-embassy-islamabad
participants:
  - {person: mohsin-naqvi, side: PK, role: lead}
  - {person: natalie-baker, side: US}
sources:
  - url: https://example.org/reception
"""


@pytest.mark.parametrize("record", ["us-embassy-islamabad", "natalie-baker"])
def test_list_timeline_search_and_show_give_one_answer_for_a_record(run, repo, record):
    """The meetings of a person or organisation (an organisation that only hosts one, too) are
    kb.query.scope's, whichever command asks."""
    (repo / "meetings/2025-02-02-naqvi-reception.yaml").write_text(HOSTED, encoding="utf-8")
    listed = sorted(line.split("\t")[1] for line in run("list", "meetings", "--with", record).splitlines())
    timeline = sorted(e["id"] for e in json.loads(run("timeline", record, "--format", "json"))["entries"])
    shown = sorted(m["id"] for m in json.loads(run("show", record, "--format", "json"))["backlinks"]["meetings"])
    found = run("search", "reception", "--with", record).splitlines()
    assert listed == timeline == shown
    assert "2025-02-02-naqvi-reception" in listed
    assert [line.split("\t")[1] for line in found if "\tmeeting\t" in line] == ["2025-02-02-naqvi-reception"]
