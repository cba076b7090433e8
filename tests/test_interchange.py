"""`kb export ftm` and `kb export popolo`: the repository's records as FollowTheMoney entities that
followthemoney's own command line reads back unchanged, and as Popolo JSON valid against the
Popolo schemas; both within --audience."""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft3Validator
from referencing import Registry
from referencing.jsonschema import DRAFT3

from kb.store.yamlread import parse_bytes

POPOLO_SCHEMAS = Path(__file__).parent / "data" / "popolo"
NCA = "2025-11-13-naqvi-biggar"
FTM_COUNTS = {
    "Article": 19,
    "Documentation": 19,
    "Event": 4,
    "Membership": 8,
    "Occupancy": 12,
    "Organization": 1,
    "Person": 8,
    "Position": 10,
    "PublicBody": 13,
}


def ftm_cli(*args) -> str:
    """followthemoney's own command line (`ftm`), run in this process: as a command of its own,
    importing followthemoney costs more CPU than all it does here (some 1.5 s a start)."""
    from click.testing import CliRunner
    from followthemoney.cli.cli import cli as ftm

    result = CliRunner().invoke(ftm, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def export_ftm(run_kb, root: Path, tmp_path: Path, *args) -> list[dict]:
    out = tmp_path / "kb.ftm.json"
    result = run_kb("export", "ftm", "-o", out, *args, kb=root)
    assert result.exit_code == 0, result.output
    return read_lines(out)


def test_ftm_entities_pass_followthemoney_unchanged(run_kb, repo, tmp_path):
    out = tmp_path / "kb.ftm.json"
    result = run_kb("export", "ftm", "-o", out, kb=repo)
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (19 Article, 19 Documentation, 4 Event, 8 Membership" in result.output
    ours = read_lines(out)
    # `ftm validate` re-parses every entity against the model and writes what it keeps;
    # `ftm aggregate` merges fragments by id: nothing is dropped, merged or changed by either
    validated = tmp_path / "validated.json"
    ftm_cli("validate", "-i", str(out), "-o", str(validated))
    aggregated = tmp_path / "aggregated.json"
    ftm_cli("aggregate", "-i", str(out), "-o", str(aggregated))
    for path in (validated, aggregated):
        theirs = {e["id"]: (e["schema"], e["properties"]) for e in read_lines(path)}
        assert theirs == {e["id"]: (e["schema"], e["properties"]) for e in ours}
    assert Counter(e["schema"] for e in ours) == FTM_COUNTS
    # every reference is to an entity of the export
    ids = {e["id"] for e in ours}
    for prop in ("involved", "organizer", "holder", "post", "organization", "member", "document", "entity"):
        assert {ref for e in ours for ref in e["properties"].get(prop, [])} <= ids, prop
    # and the CSV export of FtM's own tools reads it
    ftm_cli("export-csv", "-i", str(out), "-o", str(tmp_path / "csv"))
    assert len((tmp_path / "csv" / "Event.csv").read_text(encoding="utf-8").splitlines()) == 1 + 4

    entity = {e["id"]: e for e in ours}
    event = entity[f"kb-meeting-{NCA}"]["properties"]
    assert {k: v for k, v in event.items() if k not in ("summary", "notes")} == {
        "name": ["Interior Minister Naqvi meets UK National Crime Agency Director General Biggar"],
        "date": ["2025-11-13"],
        "country": ["pk"],
        "location": ["Islamabad"],
        "involved": [
            "kb-person-mohsin-naqvi",
            "kb-person-graeme-biggar",
            "kb-person-jane-marriott",
            "kb-org-pk-ministry-of-interior",
            "kb-org-uk-national-crime-agency",
            "kb-org-uk-high-commission-islamabad",
            "kb-org-pk-nacta",
            "kb-org-pk-nccia",
            "kb-org-pk-national-forensic-agency",
            "kb-org-pk-islamabad-capital-territory-administration",
            "kb-org-pk-islamabad-police",
        ],
        "organizer": ["kb-org-pk-ministry-of-interior"],
        "description": ["Meeting held (hosted)"],
        "keywords": [
            "Counter-terrorism",
            "Counter-narcotics",
            "Illegal migration",
            "Human trafficking",
            "Forensic science",
            "Law-enforcement training and police cooperation",
            "Online child exploitation",
            "Extradition",
        ],
    }
    assert event["summary"][0].startswith("Naqvi received the head of the UK National Crime Agency")
    assert len(event["notes"]) == 3
    assert entity["kb-role-donald-blome-1"] == {
        "id": "kb-role-donald-blome-1",
        "schema": "Occupancy",
        "properties": {
            "holder": ["kb-person-donald-blome"],
            "post": ["kb-post-us-chief-of-mission-pakistan"],
            "startDate": ["2022-05"],
            "endDate": ["2025-01-11"],
            "status": ["ended"],
            "description": ["Ambassador to Pakistan"],
        },
    }
    assert entity["kb-post-us-chief-of-mission-pakistan"]["properties"] == {
        "name": ["Ambassador to Pakistan"],
        "organization": ["kb-org-us-embassy-islamabad"],
        "country": ["us"],
    }
    assert entity["kb-org-pk-nacta"] == {
        "id": "kb-org-pk-nacta",
        "schema": "PublicBody",
        "properties": {
            "name": ["National Counter Terrorism Authority"],
            "abbreviation": ["NACTA"],
            "alias": ["Nacta"],
            "country": ["pk"],
            "website": ["https://nacta.gov.pk/"],
        },
    }
    assert entity["kb-parent-pk-nacta"]["properties"] == {
        "member": ["kb-org-pk-nacta"],
        "organization": ["kb-org-pk-ministry-of-interior"],
        "role": ["part of"],
    }
    assert entity["kb-org-pk-cricket-board"]["schema"] == "Organization"  # kind: other
    person = entity["kb-person-mohsin-naqvi"]["properties"]
    assert person["alias"] == ["Syed Mohsin Raza Naqvi", "Mohsin Raza Naqvi", "محسن نقوی"]
    assert person["weakAlias"] == ["Naqvi"]
    source = entity[f"kb-source-{NCA}-2"]["properties"]
    assert source["entity"] == [f"kb-meeting-{NCA}"] and source["role"] == ["source"]
    assert entity[source["document"][0]]["properties"] == {
        "title": ["Geo News"],
        "publisher": ["Geo News"],
        "publishedAt": ["2025-11-13"],
        "retrievedAt": ["2026-11-24"],
        "sourceUrl": [
            "https://www.geo.tv/latest/633465-terrorisms-roots-linked-to-our-neighbouring-country-security-czar-tells-uk-nca-chief"
        ],
    }


def test_the_same_records_give_the_same_ids_and_lines(run_kb, repo, tmp_path):
    first = (tmp_path / "a").mkdir() or export_ftm(run_kb, repo, tmp_path / "a")
    second = (tmp_path / "b").mkdir() or export_ftm(run_kb, repo, tmp_path / "b")
    assert first == second
    piped = run_kb("export", "ftm", kb=repo)
    assert [json.loads(line) for line in piped.stdout.splitlines()] == first


def mark(root: Path, meeting: str, **changes) -> None:
    path = root / "meetings" / f"{meeting}.yaml"
    record = parse_bytes(path.read_bytes(), path.name).data
    record.update(changes)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_audience_is_honoured(run_kb, repo, tmp_path):
    """A meeting above the audience is no Event, and its sources no Documentation; its id, title
    and the pages only it cites appear nowhere; a withheld alias and person notes neither."""
    mark(repo, NCA, sensitivity="RED")
    person = repo / "people" / "graeme-biggar.yaml"
    record = parse_bytes(person.read_bytes(), person.name).data
    record["aliases"].append({"name": "Graeme Quietname", "kind": "spelling", "sensitivity": "AMBER"})
    record["sensitivity"] = "AMBER"  # its notes follow it
    person.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")

    everything = export_ftm(run_kb, repo, tmp_path)
    assert any(NCA in e["id"] for e in everything)
    result = run_kb("export", "ftm", "--audience", "GREEN", kb=repo)
    assert result.exit_code == 0, result.output
    assert "items withheld" in result.stderr
    text = result.stdout
    for withheld in (NCA, "Director General Biggar", "servepak.com", "Quietname", "interim basis"):
        assert withheld not in text
    green = Counter(json.loads(line)["schema"] for line in text.splitlines())
    assert green == {**FTM_COUNTS, "Event": 3, "Article": 15, "Documentation": 15}
    popolo = run_kb("export", "popolo", "--audience", "GREEN", kb=repo)
    assert popolo.exit_code == 0, popolo.output
    for withheld in (NCA, "Director General Biggar", "Quietname"):
        assert withheld not in popolo.stdout
    assert len(json.loads(popolo.stdout)["events"]) == 3


def popolo_validators() -> dict[str, Draft3Validator]:
    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in POPOLO_SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), DRAFT3.create_resource(schema)) for schema in schemas.values()
    )
    return {name: Draft3Validator(schema, registry=registry) for name, schema in schemas.items()}


def test_popolo_is_valid_against_the_popolo_schemas(run_kb, repo, tmp_path):
    out = tmp_path / "kb.popolo.json"
    result = run_kb("export", "popolo", "-o", out, kb=repo)
    assert result.exit_code == 0, result.output
    assert "(8 persons, 14 organizations, 10 posts, 12 memberships, 4 events)" in result.output
    popolo = json.loads(out.read_text(encoding="utf-8"))
    validators = popolo_validators()
    for collection, schema in (
        ("persons", "person"),
        ("organizations", "organization"),
        ("posts", "post"),
        ("memberships", "membership"),
        ("events", "event"),
    ):
        assert popolo[collection], collection
        for item in popolo[collection]:
            errors = [e.message for e in validators[schema].iter_errors(item)]
            assert errors == [], (item["id"], errors)
            # what the specification names as each class's essentials
            assert item["id"] and (item.get("name") or item.get("label") or item.get("person_id")), item
    # the draft-3 validator is no empty net: a wrong type and a bad date are refused
    assert list(validators["membership"].iter_errors({"start_date": "13 July 2024"}))
    assert list(validators["person"].iter_errors({"name": 7}))

    ids = {c: {item["id"] for item in popolo[c]} for c in popolo}
    for membership in popolo["memberships"]:
        assert membership["person_id"] in ids["persons"] and membership["post_id"] in ids["posts"]
        assert membership.get("organization_id", "kb-org-pk-ministry-of-interior") in ids["organizations"]
    for event in popolo["events"]:
        assert event["organization_id"] in ids["organizations"]
        assert {a["id"] for a in event["attendees"]} <= ids["persons"]
    for org in popolo["organizations"]:
        assert org.get("parent_id", org["id"]) in ids["organizations"]
    # the ids are those of the FtM export
    ftm_ids = {e["id"] for e in export_ftm(run_kb, repo, tmp_path)}
    assert set().union(*ids.values()) <= ftm_ids

    membership = next(m for m in popolo["memberships"] if m["id"] == "kb-role-graeme-biggar-1")
    assert membership == {
        "id": "kb-role-graeme-biggar-1",
        "label": "Interim Director General of the National Crime Agency (acting)",
        "role": "Interim Director General of the National Crime Agency",
        "person_id": "kb-person-graeme-biggar",
        "organization_id": "kb-org-uk-national-crime-agency",
        "post_id": "kb-post-uk-nca-director-general",
        "start_date": "2021-10",
        "end_date": "2022-08",
    }
    event = next(e for e in popolo["events"] if e["id"] == f"kb-meeting-{NCA}")
    assert {k: event[k] for k in ("start_date", "location", "status", "organization_id", "identifiers")} == {
        "start_date": "2025-11-13",
        "location": "Islamabad, Pakistan",
        "status": "held",
        "organization_id": "kb-org-pk-ministry-of-interior",
        "identifiers": [{"scheme": "kb", "identifier": NCA}],
    }
    assert [a["name"] for a in event["attendees"]] == ["Mohsin Naqvi", "Graeme Biggar", "Jane Marriott"]
    assert len(event["sources"]) == 4


def test_an_approximate_date_is_written_without_its_qualifier(run_kb, repo, tmp_path):
    mark(repo, NCA, date="2025-11~")
    entities = {e["id"]: e for e in export_ftm(run_kb, repo, tmp_path)}
    assert entities[f"kb-meeting-{NCA}"]["properties"]["date"] == ["2025-11"]
    popolo = json.loads(run_kb("export", "popolo", kb=repo).stdout)
    assert next(e for e in popolo["events"] if e["id"] == f"kb-meeting-{NCA}")["start_date"] == "2025-11"


def test_without_followthemoney_the_export_says_how_to_install_it(run_kb, repo, monkeypatch):
    monkeypatch.setitem(sys.modules, "followthemoney", None)  # its import fails
    result = run_kb("export", "ftm", kb=repo)
    assert result.exit_code == 2
    assert "pip install 'diplomatic-kb[ftm]'" in result.output


@pytest.mark.parametrize("command", ["ftm", "popolo"])
def test_a_file_name_the_export_cannot_write_is_refused(run_kb, repo, tmp_path, command):
    result = run_kb("export", command, "-o", tmp_path / "kb.csv", kb=repo)
    assert result.exit_code == 2 and "cannot write a .csv file" in result.output
    assert not (tmp_path / "kb.csv").exists()
