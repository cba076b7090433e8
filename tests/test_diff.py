"""`kb diff`: the meaning of a change between two git revisions."""

import json
import subprocess

import pytest
from conftest import write_kb

from kb.authoring import changes as differ


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), "-c", "user.email=kb@example.org", "-c", "user.name=kb", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    root = write_kb(tmp_path / "kb", {})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a knowledge base")
    return root


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


EXPECTED = [
    "meeting 2024-07-13-naqvi-blome: commitment 'dialogue' moved from fulfilled to open",
    "meeting 2024-08-01-blome added (meetings/2024-08-01-blome.yaml): 'Second meeting'",
    "person donald-blome: alias 'Don Blome' (spelling) added",
    "person mohsin-naqvi renamed to mohsin-raza-naqvi (people/mohsin-naqvi.yaml -> people/mohsin-raza-naqvi.yaml)",
]


def make_the_four_changes(root, run_kb):
    edit(root / "meetings/2024-07-13-naqvi-blome.yaml", "status: fulfilled", "status: open")
    edit(root / "people/donald-blome.yaml", "aliases:\n", "aliases:\n  - name: Don Blome\n    kind: spelling\n")
    result = run_kb("new", "meeting", "--date", "2024-08-01", "--with", "donald-blome", "--title", "Second meeting",
                    "--source", "https://example.org/second", kb=root)
    assert result.exit_code == 0, result.output
    git(root, "mv", "people/mohsin-naqvi.yaml", "people/mohsin-raza-naqvi.yaml")
    edit(root / "people/mohsin-raza-naqvi.yaml", "id: mohsin-naqvi\n",
         "id: mohsin-raza-naqvi\nformer_ids: [mohsin-naqvi]\n")


def test_the_four_changes_exactly(repo, run_kb):
    make_the_four_changes(repo, run_kb)
    result = run_kb("diff", "HEAD", kb=repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Changes from HEAD to the working tree:"] + [f"  {e}" for e in EXPECTED]

    as_json = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)
    assert [c["summary"] for c in as_json["changes"]] == EXPECTED
    status, added, alias, renamed = as_json["changes"]
    assert (status["change"], status["field"], status["old"], status["new"]) == (
        "status", "outcomes[dialogue].status", "fulfilled", "open")
    assert (added["change"], added["record"], added["id"]) == ("added", "meeting", "2024-08-01-blome")
    assert (alias["change"], alias["new"]) == ("item-added", {"name": "Don Blome", "kind": "spelling"})
    assert (renamed["change"], renamed["old"], renamed["new"]) == ("renamed", "mohsin-naqvi", "mohsin-raza-naqvi")


def test_committed_revisions_and_markdown(repo, run_kb):
    make_the_four_changes(repo, run_kb)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "four changes")
    assert "No changes to the records" in run_kb("diff", "HEAD", kb=repo).output
    md = run_kb("diff", "HEAD~1", "HEAD", "--format", "md", kb=repo).output
    assert md.startswith("### Records: 4 changes in 4 records\n")
    assert "- person `donald-blome`: alias 'Don Blome' (spelling) added" in md


def test_default_base_is_the_merge_base_with_main(repo, run_kb):
    git(repo, "checkout", "-qb", "topic")
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "title: Interior Minister meets the US Ambassador",
         "title: Naqvi meets Blome")
    git(repo, "commit", "-qam", "retitle")
    output = run_kb("diff", kb=repo).output
    assert "title changed from 'Interior Minister meets the US Ambassador' to 'Naqvi meets Blome'" in output
    base = git(repo, "merge-base", "HEAD", "main").strip()
    assert output.startswith(f"Changes from {base} to the working tree:")


def test_reordering_is_no_change_and_fields_show_old_and_new(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    text = path.read_text()
    participants = text[text.index("  - person: mohsin-naqvi"):text.index("topics:")]
    first, second = participants.split("  - person: donald-blome")
    path.write_text(text.replace(participants, "  - person: donald-blome" + second + first)
                    .replace("place: Islamabad", "place: Rawalpindi"))
    changes = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("location.place", "Islamabad", "Rawalpindi")]


def test_removed_record_participant_and_source(repo, run_kb):
    (repo / "orgs/pk-interior.yaml").unlink()
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "sources:\n",
         "sources:\n  - url: https://example.org/other\n")
    summaries = [c.sentence() for c in differ.diff(repo, "HEAD").changes]
    assert "meeting 2024-07-13-naqvi-blome: source https://example.org/other added" in summaries
    assert "org pk-interior removed (orgs/pk-interior.yaml)" in summaries


def test_unknown_revision_is_a_clear_error(repo, run_kb):
    result = run_kb("diff", "no-such-branch", kb=repo)
    assert result.exit_code == 2
    assert "'no-such-branch' is not a revision" in result.output


def test_outside_git_is_a_clear_error(make_kb, run_kb):
    result = run_kb("diff", kb=make_kb())
    assert result.exit_code == 2
    assert "kb diff:" in result.output

