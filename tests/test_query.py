"""One answer to "which meetings belong to X", whichever command asks."""

import json

import pytest
from conftest import RECORDS, REPO

from kb.store.loader import load

KB = load(REPO, use_cache=False)
SUBJECTS = [("person", i) for i in sorted(KB.people)] + [("org", i) for i in sorted(KB.orgs)]


def _ids(entries) -> list[str]:
    return sorted(entry["id"] for entry in entries)


@pytest.mark.parametrize(("kind", "record_id"), SUBJECTS, ids=[i for _k, i in SUBJECTS])
def test_every_command_agrees_on_the_meetings_of_a_record(run_kb, kind, record_id):
    listed = run_kb("list", "meetings", "--with", record_id, "--format", "json", kb=RECORDS)
    assert listed.exit_code == 0, listed.output
    shown = run_kb("show", record_id, "--format", "json", kb=RECORDS)
    assert shown.exit_code == 0, shown.output
    timeline = run_kb("timeline", record_id, "--format", "json", kb=RECORDS)
    assert timeline.exit_code == 0, timeline.output
    expected = _ids(json.loads(listed.stdout))
    assert _ids(json.loads(shown.stdout)["backlinks"].get("meetings", [])) == expected
    assert _ids(json.loads(timeline.stdout)["entries"]) == expected


def test_an_organisation_is_in_a_meeting_on_behalf_or_as_host_not_by_a_role_held():
    """The State Department takes part through its embassy (an organisation under it); the
    cricket board that the interior minister also chairs takes part in none of his meetings."""
    from kb.query.scope import org_meetings

    assert [m.id for m in org_meetings(KB, "us-department-of-state")] == [
        "2024-07-13-naqvi-blome",
        "2025-12-06-naqvi-baker",
        "2026-01-24-naqvi-baker",
    ]
    assert org_meetings(KB, "pk-cricket-board") == []
    assert [m.id for m in org_meetings(KB, "uk-foreign-commonwealth-development-office")] == ["2025-11-13-naqvi-biggar"]


def test_the_one_pass_indexes_agree_with_the_scope_of_each_record():
    """The site's indexes of meetings per organisation and per country are the rule of
    org_meetings and country_meetings, on every organisation and country of the repository."""
    from kb.query import scope
    from kb.store.loader import load

    kb = load(REPO, use_cache=False)
    orgs = scope.org_meetings_index(kb)
    for org_id in kb.orgs:
        assert [m.id for m in orgs.get(org_id, [])] == [m.id for m in scope.org_meetings(kb, org_id)], org_id
    assert orgs["pk-ministry-of-interior"]  # the ministry, through its own participants and those under it
    places = scope.country_meetings_index(kb)
    codes = {p.side for m in kb.meetings.values() for p in m.participants} | {"GB", "FR"}
    for code in codes:
        assert [m.id for m in places.get(code, [])] == [m.id for m in scope.country_meetings(kb, code)], code
