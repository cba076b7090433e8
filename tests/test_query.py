"""One answer to "which meetings belong to X", whichever command asks."""

import json

import pytest
from conftest import REPO

from kb.store.loader import load

KB = load(REPO, use_cache=False)
RECORDS = [("person", i) for i in sorted(KB.people)] + [("org", i) for i in sorted(KB.orgs)]


def _ids(entries) -> list[str]:
    return sorted(entry["id"] for entry in entries)


@pytest.mark.parametrize(("kind", "record_id"), RECORDS, ids=[i for _k, i in RECORDS])
def test_every_command_agrees_on_the_meetings_of_a_record(run_kb, kind, record_id):
    listed = run_kb("list", "meetings", "--with", record_id, "--format", "json", kb=REPO)
    assert listed.exit_code == 0, listed.output
    shown = run_kb("show", record_id, "--format", "json", kb=REPO)
    assert shown.exit_code == 0, shown.output
    timeline = run_kb("timeline", record_id, "--format", "json", kb=REPO)
    assert timeline.exit_code == 0, timeline.output
    expected = _ids(json.loads(listed.stdout))
    assert _ids(json.loads(shown.stdout)["backlinks"].get("meetings", [])) == expected
    assert _ids(json.loads(timeline.stdout)["entries"]) == expected


def test_an_organisation_is_in_a_meeting_on_behalf_or_as_host_not_by_a_role_held():
    """The State Department takes part through its embassy (an organisation under it); the
    cricket board that the interior minister also chairs takes part in none of his meetings."""
    from kb.query.scope import org_meetings

    assert [m.id for m in org_meetings(KB, "us-department-of-state")] == [
        "2024-07-13-naqvi-blome", "2025-12-06-naqvi-baker", "2026-01-24-naqvi-baker"]
    assert org_meetings(KB, "pk-cricket-board") == []
    assert [m.id for m in org_meetings(KB, "uk-foreign-commonwealth-development-office")] == [
        "2025-11-13-naqvi-biggar"]
