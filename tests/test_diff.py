"""`kb diff`: the meaning of a change between two git revisions."""

import json
import subprocess

import pytest
from conftest import write_kb

from kb.authoring import changes as differ


def git(root, *args):
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=kb@example.org", "-c", "user.name=kb", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


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
    result = run_kb(
        "new",
        "meeting",
        "--date",
        "2024-08-01",
        "--with",
        "donald-blome",
        "--title",
        "Second meeting",
        "--source",
        "https://example.org/second",
        kb=root,
    )
    assert result.exit_code == 0, result.output
    git(root, "mv", "people/mohsin-naqvi.yaml", "people/mohsin-raza-naqvi.yaml")
    edit(
        root / "people/mohsin-raza-naqvi.yaml",
        "id: mohsin-naqvi\n",
        "id: mohsin-raza-naqvi\nformer_ids: [mohsin-naqvi]\n",
    )


def test_the_four_changes_exactly(repo, run_kb):
    make_the_four_changes(repo, run_kb)
    result = run_kb("diff", "HEAD", kb=repo)
    assert result.exit_code == 0, result.output
    added_details = [
        "      1 August 2024, held",
        "      participants: donald-blome (US, Ambassador to Pakistan, lead)",
        "      sources: https://example.org/second",
    ]
    assert result.output.splitlines() == (
        ["Changes from HEAD to the working tree:"]
        + [f"  {e}" for e in EXPECTED[:2]]
        + added_details
        + [f"  {e}" for e in EXPECTED[2:]]
    )

    as_json = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)
    assert [c["summary"] for c in as_json["changes"]] == EXPECTED
    status, added, alias, renamed = as_json["changes"]
    assert (status["change"], status["field"], status["old"], status["new"]) == (
        "status",
        "outcomes[dialogue].status",
        "fulfilled",
        "open",
    )
    assert (added["change"], added["record"], added["id"]) == ("added", "meeting", "2024-08-01-blome")
    assert added["details"] == [line.strip() for line in added_details]
    assert as_json["risks"] == []
    assert (alias["change"], alias["new"]) == ("item-added", {"name": "Don Blome", "kind": "spelling"})
    assert (renamed["change"], renamed["old"], renamed["new"]) == ("renamed", "mohsin-naqvi", "mohsin-raza-naqvi")


# every format, exactly, on a terminal, piped or in a file named for it


SUMMARY = "meeting 2024-07-13-naqvi-blome: commitment 'dialogue' moved from fulfilled to open"
DIFF_TEXT = f"Changes from HEAD to the working tree:\n  {SUMMARY}\n"
DIFF_MD = """\
### Records: 1 change in 1 record

From `HEAD` to the working tree.

- meeting `2024-07-13-naqvi-blome`: commitment 'dialogue' moved from fulfilled to open
"""
DIFF_DATA = {
    "base": "HEAD",
    "head": "the working tree",
    "changes": [
        {
            "record": "meeting",
            "id": "2024-07-13-naqvi-blome",
            "change": "status",
            "field": "outcomes[dialogue].status",
            "old": "fulfilled",
            "new": "open",
            "path": "meetings/2024-07-13-naqvi-blome.yaml",
            "old_path": "",
            "label": "commitment 'dialogue'",
            "summary": SUMMARY,
        }
    ],
    "risks": [],
    "unreadable": [],
    "audience": None,
    "withheld_records": 0,
}


def test_diff_in_each_format(repo, run_kb, tmp_path):
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "status: fulfilled", "status: open")
    assert run_kb("diff", kb=repo).stdout == DIFF_TEXT
    assert run_kb("diff", "--format", "md", kb=repo).stdout == DIFF_MD
    shown = run_kb("diff", "--format", "json", kb=repo).stdout
    assert shown == json.dumps(DIFF_DATA, indent=2, ensure_ascii=False) + "\n"
    for name, expected in (("changes.json", shown), ("changes.md", DIFF_MD), ("changes.txt", DIFF_TEXT)):
        result = run_kb("diff", "-o", tmp_path / name, kb=repo)
        assert (result.exit_code, result.stdout) == (0, "")
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


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
    edit(
        repo / "meetings/2024-07-13-naqvi-blome.yaml",
        "title: Interior Minister meets the US Ambassador",
        "title: Naqvi meets Blome",
    )
    git(repo, "commit", "-qam", "retitle")
    output = run_kb("diff", kb=repo).output
    assert "title changed from 'Interior Minister meets the US Ambassador' to 'Naqvi meets Blome'" in output
    base = git(repo, "merge-base", "HEAD", "main").strip()
    assert output.startswith(f"Changes from {base} to the working tree:")


def test_reordering_is_no_change_and_fields_show_old_and_new(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    text = path.read_text()
    participants = text[text.index("  - person: mohsin-naqvi") : text.index("topics:")]
    first, second = participants.split("  - person: donald-blome")
    path.write_text(
        text.replace(participants, "  - person: donald-blome" + second + first).replace(
            "place: Islamabad", "place: Rawalpindi"
        )
    )
    changes = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("location.place", "Islamabad", "Rawalpindi")]


def test_removed_record_participant_and_source(repo, run_kb):
    (repo / "orgs/pk-interior.yaml").unlink()
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "sources:\n", "sources:\n  - url: https://example.org/other\n")
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


LONG_SUMMARY = (
    "The two sides agreed to widen their cooperation on drug interdiction and on the sharing of "
    "intelligence, and the minister set out the results of the year's campaign against smuggling."
)


def test_a_long_text_shows_the_words_that_changed_in_context(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    edit(path, "topics:", f"summary: {LONG_SUMMARY}\ntopics:")
    git(repo, "commit", "-qam", "summary")
    edit(path, "sides agreed to", "sides decided to")
    text = run_kb("diff", "HEAD", kb=repo).output
    assert text.splitlines()[1] == (
        "  meeting 2024-07-13-naqvi-blome: summary changed: The two sides [-agreed-]{+decided+} "
        "to widen their cooperation on drug …"
    )
    md = run_kb("diff", "HEAD", "--format", "md", kb=repo).output
    assert "summary changed: The two sides ~~agreed~~**decided** to widen their cooperation on drug …" in md
    words = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)["changes"][0]["words"]
    assert words == [
        {"op": "=", "text": "The two sides"},
        {"op": "-", "text": "agreed"},
        {"op": "+", "text": "decided"},
        {"op": "=", "text": "to widen their cooperation on drug …"},
    ]


def test_word_changes_keep_every_word_and_cut_only_unchanged_text():
    from hypothesis import given
    from hypothesis import strategies as st

    from kb.authoring import review

    words = st.lists(st.sampled_from(["a", "b", "c", "dialogue", "the"]), max_size=40)

    @given(words, words)
    def check(old, new):
        segments = review.word_changes(" ".join(old), " ".join(new), context=len(old) + len(new) + 1)
        assert " ".join(t for op, t in segments if op != "+").split() == old
        assert " ".join(t for op, t in segments if op != "-").split() == new

    check()


def test_every_value_is_escaped_in_markdown(repo, run_kb):
    edit(
        repo / "people/donald-blome.yaml",
        "aliases:\n",
        'aliases:\n  - name: "<!-- Don *Blome* [x](javascript:y)"\n    kind: spelling\n',
    )
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "place: Islamabad", 'place: "Islamabad <b>-->"')
    md = run_kb("diff", "HEAD", "--format", "md", kb=repo).output
    assert "<!--" not in md and "<b>" not in md and "-->" not in md.replace("--&gt;", "")
    assert (
        "- meeting `2024-07-13-naqvi-blome`: location.place changed from 'Islamabad' to 'Islamabad &lt;b&gt;--&gt;'"
    ) in md
    assert "- person `donald-blome`: alias '&lt;!-- Don \\*Blome\\* \\[x\\](javascript:y)' (spelling) added" in md


def risks_of(repo, run_kb):
    result = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)
    return [(r["flag"], r["id"], r["message"]) for r in result["risks"]]


def test_risk_flags_for_the_reviewer(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    edit(path, "date: 2024-07-13", "date: 2024-07")
    edit(path, "status: held", "status: held\nsensitivity: AMBER")
    edit(path, "status: fulfilled", "status: open")
    edit(path, "sources:\n", "sources:\n  - url: https://example.org/second\n")
    git(repo, "commit", "-qam", "a partial date, AMBER, an open commitment, a second source")
    assert risks_of(repo, run_kb) == []

    edit(path, "date: 2024-07", "date: 2024-07-13")
    edit(path, "sensitivity: AMBER", "sensitivity: GREEN")
    edit(path, "status: open", "status: fulfilled")
    edit(path, "  - url: https://example.org/second\n", "")
    text = path.read_text()
    path.write_text(text[: text.index("  - person: donald-blome")] + text[text.index("topics:") :])
    assert risks_of(repo, run_kb) == [
        (
            "date-more-precise",
            "2024-07-13-naqvi-blome",
            "date made more precise (2024-07 to 2024-07-13) without a new source: cite the report that gives it",
        ),
        (
            "marking-lowered",
            "2024-07-13-naqvi-blome",
            "marking lowered from AMBER to GREEN: check that the content may now be shown to GREEN readers",
        ),
        (
            "participant-removed",
            "2024-07-13-naqvi-blome",
            "participant donald-blome removed: check that they did not attend",
        ),
        (
            "closed-without-update",
            "2024-07-13-naqvi-blome",
            "commitment 'dialogue' moved to fulfilled without a new dated update saying when and how",
        ),
        (
            "source-removed",
            "2024-07-13-naqvi-blome",
            "source https://example.org/second removed: the facts it supported may now rest on no source",
        ),
    ]
    text = run_kb("diff", "HEAD", kb=repo).output
    assert "Risks for the reviewer (5):\n  ! meeting 2024-07-13-naqvi-blome: date made more precise" in text
    md = run_kb("diff", "HEAD", "--format", "md", kb=repo).output
    assert "**Risks for the reviewer (5):**" in md


def test_no_risk_when_the_change_carries_its_evidence(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    edit(path, "date: 2024-07-13", "date: 2024-07")
    edit(path, "status: fulfilled", "status: open")
    git(repo, "commit", "-qam", "partial date, open commitment")
    edit(path, "date: 2024-07", "date: 2024-07-13")
    edit(path, "sources:\n", "sources:\n  - url: https://example.org/dated\n")
    edit(
        path,
        "status: open",
        "status: fulfilled\n    updates:\n      - date: 2024-10-20\n"
        "        status: fulfilled\n        note: The dialogue was held.",
    )
    assert risks_of(repo, run_kb) == []


def test_the_audience_leaves_out_changes_marked_above_it(repo, run_kb):
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    edit(path, "status: held", "status: held\nsensitivity: AMBER")
    git(repo, "commit", "-qam", "marked AMBER")
    edit(path, "title: Interior Minister meets the US Ambassador", "title: Secret talks")
    edit(repo / "people/donald-blome.yaml", "aliases:\n", "aliases:\n  - name: Don Blome\n    kind: spelling\n")
    text = run_kb("diff", "HEAD", "--audience", "green", kb=repo).output
    assert text.splitlines() == [
        "Changes from HEAD to the working tree:",
        "  person donald-blome: alias 'Don Blome' (spelling) added",
        "  (1 record with changes withheld: marked above TLP:GREEN, the audience of this summary)",
    ]
    assert "Secret" not in run_kb("diff", "HEAD", "--format", "md", "--audience", "GREEN", kb=repo).output
    assert "Secret talks" in run_kb("diff", "HEAD", "--audience", "AMBER", kb=repo).output
    # kb.yaml's brief_audience is the default
    edit(repo / "kb.yaml", "default_sensitivity: CLEAR", "default_sensitivity: CLEAR\nbrief_audience: CLEAR")
    as_json = json.loads(run_kb("diff", "HEAD", "--format", "json", kb=repo).output)
    assert (as_json["audience"], as_json["withheld_records"]) == ("CLEAR", 1)
    assert "Secret" not in json.dumps(as_json)
    bad = run_kb("diff", "HEAD", "--audience", "purple", kb=repo)
    assert bad.exit_code == 2 and "--audience: 'purple' is not a TLP level" in bad.output


def test_an_added_meeting_keeps_its_whole_title_and_a_part_marking_lowered_is_named(repo, run_kb):
    title = "Interior Minister Naqvi receives the United States Ambassador for talks on narcotics, migration and visas"
    text = (repo / "meetings/2024-07-13-naqvi-blome.yaml").read_text()
    edit(
        repo / "meetings/2024-07-13-naqvi-blome.yaml",
        "    status: fulfilled",
        "    status: fulfilled\n    sensitivity: AMBER",
    )
    git(repo, "commit", "-qam", "an AMBER outcome")
    (repo / "meetings/2024-08-01-naqvi-blome.yaml").write_text(
        text.replace("2024-07-13", "2024-08-01").replace("Interior Minister meets the US Ambassador", title)
    )
    edit(repo / "meetings/2024-07-13-naqvi-blome.yaml", "    sensitivity: AMBER", "    sensitivity: GREEN")
    output = run_kb("diff", "HEAD", kb=repo).output
    assert f"meeting 2024-08-01-naqvi-blome added (meetings/2024-08-01-naqvi-blome.yaml): '{title}'" in output
    assert (
        "  ! meeting 2024-07-13-naqvi-blome: marking lowered from AMBER to GREEN (commitment 'dialogue'): check "
        "that the content may now be shown to GREEN readers [marking-lowered]"
    ) in output


def _parsed_blobs(monkeypatch) -> list[bytes]:
    """What kb diff parses from git (the files a change touched), recorded as it runs."""
    seen = []
    real = differ.parse_bytes
    monkeypatch.setattr(differ, "parse_bytes", lambda raw, relpath: seen.append(raw) or real(raw, relpath))
    return seen


def _outputs(run_kb, repo, *revisions):
    return [
        run_kb(*flags, "diff", *revisions, "--format", format_, kb=repo).output
        for flags in ((), ("--no-cache",))
        for format_ in ("text", "json")
    ]


def test_only_what_a_change_touched_is_parsed_and_the_result_is_the_same_without_the_cache(repo, run_kb, monkeypatch):
    make_the_four_changes(repo, run_kb)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "four changes")
    assert run_kb("check", kb=repo).exit_code in (0, 1)  # the record cache, as a user's check leaves it
    parsed = _parsed_blobs(monkeypatch)
    with_cache, _json, without, _json_without = _outputs(run_kb, repo, "HEAD~1", "HEAD")
    assert with_cache == without and _json == _json_without
    assert [line.strip() for line in with_cache.splitlines() if not line.startswith("      ")][1:] == EXPECTED
    parsed.clear()
    run_kb("diff", "HEAD~1", "HEAD", kb=repo)
    # the two sides of the three files that changed, and the one added: nothing else
    assert len(parsed) == 7, len(parsed)


def test_files_git_does_not_look_at_are_read_as_they_are(repo, run_kb):
    """A file marked assume-unchanged or skip-worktree is never taken for what git has of it."""
    meeting = "meetings/2024-07-13-naqvi-blome.yaml"
    git(repo, "update-index", "--assume-unchanged", meeting)
    edit(repo / meeting, "status: fulfilled", "status: open")
    assert "moved from fulfilled to open" in run_kb("diff", "HEAD", kb=repo).output
    git(repo, "update-index", "--no-assume-unchanged", meeting)
    git(repo, "checkout", "-q", "--", meeting)
    edit(repo / "people/donald-blome.yaml", "aliases:\n", "aliases:\n  - name: Don Blome\n    kind: spelling\n")
    git(repo, "commit", "-qam", "an alias")
    # unchanged between the two commits, broken on disk where git does not look
    git(repo, "update-index", "--skip-worktree", meeting)
    (repo / meeting).write_text("id: [\n")
    assert run_kb("check", kb=repo).exit_code in (0, 1)
    assert _outputs(run_kb, repo, "HEAD~1", "HEAD")[0] == (
        "Changes from HEAD~1 to HEAD:\n  person donald-blome: alias 'Don Blome' (spelling) added\n"
    )


def test_a_knowledge_base_in_a_subfolder_of_its_repository(tmp_path, run_kb):
    root = write_kb(tmp_path / "repo" / "kb", {})
    top = tmp_path / "repo"
    git(top, "init", "-q", "-b", "main")
    (top / "README.md").write_text("not a record\n")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "a knowledge base in a folder")
    edit(root / "meetings/2024-07-13-naqvi-blome.yaml", "status: fulfilled", "status: open")
    assert run_kb("check", kb=root).exit_code in (0, 1)
    expected = "  meeting 2024-07-13-naqvi-blome: commitment 'dialogue' moved from fulfilled to open\n"
    assert run_kb("diff", "HEAD", kb=root).output.endswith(expected)
    git(top, "commit", "-qam", "reopened")
    assert _outputs(run_kb, root, "HEAD~1", "HEAD")[0] == "Changes from HEAD~1 to HEAD:\n" + expected


def test_the_base_tree_is_the_head_tree_with_what_git_diff_names_put_back(tmp_path):
    """Between two commits only the head's tree is listed: the base's is the head's with what
    `git diff` names as different (added, removed, edited, made executable, made a link, made a
    submodule) as it was; in a knowledge base at the top of its repository and in a folder of it."""
    for root, top in ((tmp_path / "top", tmp_path / "top"), (tmp_path / "repo" / "kb", tmp_path / "repo")):
        write_kb(root, {})
        git(top, "init", "-q", "-b", "main")
        (root / "meetings/notes.txt").write_text("not a record\n")
        (root / "meetings/2024-01-01-gone.yaml").write_text("id: 2024-01-01-gone\n")
        (root / "meetings/2024-01-02-link.yaml").write_text("id: 2024-01-02-link\n")
        git(top, "add", "-A")
        git(top, "commit", "-qm", "base")
        (root / "meetings/2024-01-01-gone.yaml").unlink()
        (root / "meetings/2024-01-03-new.yaml").write_text("id: 2024-01-03-new\n")
        edit(root / "people/donald-blome.yaml", "name: Donald Blome", "name: Don Blome")
        (root / "orgs/pk-interior.yaml").chmod(0o755)
        (root / "meetings/2024-01-02-link.yaml").unlink()
        (root / "meetings/2024-01-02-link.yaml").symlink_to("2024-01-03-new.yaml")
        (root / "meetings/notes.txt").write_text("still not a record\n")
        git(top, "add", "-A")
        commit = git(top, "rev-parse", "HEAD").strip()
        git(
            top,
            "update-index",
            "--add",
            "--cacheinfo",
            f"160000,{commit},{root.relative_to(top) / 'meetings/sub.yaml'}"
            if root != top
            else f"160000,{commit},meetings/sub.yaml",
        )
        git(top, "commit", "-qm", "head")
        prefix, (base, head) = differ._commits(root, "HEAD~1", "HEAD")
        assert prefix == ("" if root == top else "kb/")
        head_tree = differ._tree(root, head, prefix)
        assert differ._base_tree(root, base, head, head_tree) == differ._tree(root, base, prefix)
        assert "meetings/2024-01-01-gone.yaml" not in head_tree and "meetings/sub.yaml" not in head_tree


def test_two_commits_are_compared_with_six_git_processes(repo, run_kb, monkeypatch):
    make_the_four_changes(repo, run_kb)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "four changes")
    assert run_kb("check", kb=repo).exit_code in (0, 1)
    asked = []
    real = differ._git
    monkeypatch.setattr(
        differ, "_git", lambda root, *args, **kwargs: asked.append(args[0]) or real(root, *args, **kwargs)
    )
    output = run_kb("diff", "HEAD~1", "HEAD", kb=repo).output
    assert [line.strip() for line in output.splitlines() if not line.startswith("      ")][1:] == EXPECTED
    assert asked == ["rev-parse", "ls-tree", "diff", "diff", "ls-files", "cat-file"]


@pytest.mark.parametrize(
    "revisions", [("HEAD", "no-such-branch"), ("no-such-branch", "HEAD"), ("--all", "HEAD"), ("HEAD", "README.md")]
)
def test_a_revision_that_names_no_commit_is_named_in_the_error(repo, run_kb, revisions):
    (repo / "README.md").write_text("a file, not a revision\n")
    result = run_kb("diff", "--", *revisions, kb=repo)
    bad = next(r for r in revisions if r != "HEAD")
    assert result.exit_code == 2
    assert f"'{bad}' is not a revision of this repository" in result.output


def test_a_linked_cache_folder_is_said_as_every_command_says_it(repo, run_kb, tmp_path):
    from test_trust import LINKED_CACHE

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".kb-cache").symlink_to(elsewhere)
    result = run_kb("diff", "--format", "json", kb=repo)
    assert (result.exit_code, result.stderr) == (0, LINKED_CACHE)
    assert list(elsewhere.iterdir()) == []
