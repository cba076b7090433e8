"""`kb update`: a commitment's progress recorded in place, every other byte kept."""

import json

import pytest
from conftest import copy_repository, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.store.yamlread import parse_bytes

NCA = "2025-11-13-naqvi-biggar"
BLOME = "2024-07-13-naqvi-blome"


def test_first_update_of_an_outcome(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    before = path.read_text(encoding="utf-8")
    result = run_kb(
        "update",
        f"{NCA}#five-mous",
        "in-progress",
        "--note",
        "Two of the five: initialled",
        "--date",
        "2026-02-10",
        kb=repo,
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"meetings/{NCA}.yaml: five-mous from open to in-progress on 2026-02-10\n"
    expected = before.replace(
        "    owner: pk-ministry-of-interior\n    status: open\n  - id: training-cooperation",
        "    owner: pk-ministry-of-interior\n    status: in-progress\n    updates:\n      - date: 2026-02-10\n"
        '        status: in-progress\n        note: "Two of the five: initialled"\n  - id: training-cooperation',
        1,
    )
    assert expected != before
    assert path.read_text(encoding="utf-8") == expected
    assert run_kb("check", kb=repo).exit_code == 0
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0


def test_a_later_update_is_appended_and_briefs_show_it(run_kb, repo):
    path = repo / "meetings" / f"{BLOME}.yaml"
    before = path.read_text(encoding="utf-8")
    run_kb("brief", "donald-blome", "--format", "json", kb=repo)  # the record cache, warm
    result = run_kb(
        "update",
        f"{BLOME}#law-enforcement-dialogue",
        "fulfilled",
        "--note",
        "Held in Islamabad",
        "--date",
        "2026-11-25",
        kb=repo,
    )
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after == before.replace(
        "    status: lapsed\n    updates:", "    status: fulfilled\n    updates:", 1
    ).replace(
        "          treated as lapsed until a source shows it took place.\n",
        "          treated as lapsed until a source shows it took place.\n"
        "      - date: 2026-11-25\n        status: fulfilled\n        note: Held in Islamabad\n",
        1,
    )
    brief = json.loads(run_kb("brief", "donald-blome", "--format", "json", "--as-of", "2026-11-26", kb=repo).output)
    assert "law-enforcement-dialogue" not in [c["id"] for c in brief["commitments"]]  # fulfilled: no longer open
    assert run_kb("check", kb=repo).exit_code == 0


def test_line_endings_and_comments_are_kept(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    text = path.read_text(encoding="utf-8").replace("  - id: five-mous\n", "  # the MoUs\n  - id: five-mous\n", 1)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert run_kb("update", f"{NCA}#five-mous", "lapsed", "--date", "2026-06", kb=repo).exit_code == 0
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b"  # the MoUs\r\n  - id: five-mous\r\n" in raw
    assert b"    status: lapsed\r\n    updates:\r\n      - date: 2026-06\r\n        status: lapsed\r\n" in raw


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "open"], "'x' names no outcome; give MEETING#OUTCOME"),
        ([f"{NCA}#five-mou", "open"], f"meeting {NCA} has no outcome 'five-mou'; did you mean 'five-mous'?"),
        (["2025-11-13-naqvi-bigar#five-mous", "open"], f"no meeting '2025-11-13-naqvi-bigar'; did you mean '{NCA}'?"),
        ([f"{NCA}#five-mous", "open", "--date", "2025-02-30"], "--date:"),
        ([f"{NCA}#five-mous", "open", "--date", "2999-01-01"], "--date 2999-01-01 is in the future"),
        (
            [f"{BLOME}#law-enforcement-dialogue", "open", "--date", "2025-01"],
            "--date 2025-01 is before the outcome's update",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_written(run_kb, repo, args, message):
    before = {p: p.read_bytes() for p in (repo / "meetings").iterdir()}
    result = run_kb("update", *args, kb=repo)
    assert result.exit_code == 2
    assert result.output.startswith(f"kb: error: {message}"), result.output
    assert {p: p.read_bytes() for p in (repo / "meetings").iterdir()} == before


def test_a_statement_has_no_status(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("kind: commitment\n    text: Increase mutual", "kind: statement\n    text: Increase mutual"),
        encoding="utf-8",
    )
    result = run_kb("update", f"{NCA}#extradition-support", "fulfilled", kb=repo)
    assert result.exit_code == 2
    assert "is a statement, which has no status" in result.output


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip))
def test_any_note_reads_back_as_written(tmp_path_factory, run_kb, note):
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    result = run_kb("update", f"{NCA}#five-mous", "in-progress", "--note", note, "--date", "2026-01", kb=root)
    assert result.exit_code == 0, result.output
    data = parse_bytes((root / "meetings" / f"{NCA}.yaml").read_bytes(), "x.yaml").data
    outcome = next(o for o in data["outcomes"] if o["id"] == "five-mous")
    assert outcome["updates"] == [{"date": "2026-01", "status": "in-progress", "note": " ".join(note.split())}]


def test_a_save_made_while_updating_is_never_overwritten(run_kb, repo, monkeypatch):
    from kb.store import atomic

    path = repo / "meetings" / f"{NCA}.yaml"
    saved = path.read_text(encoding="utf-8").replace("status: held", "status: held  # checked", 1)
    real_write = atomic.write_bytes

    def write_after_someone_saves(*args, **kwargs):
        path.write_text(saved, encoding="utf-8")  # an editor's save between the read and the write
        return real_write(*args, **kwargs)

    monkeypatch.setattr(atomic, "write_bytes", write_after_someone_saves)
    result = run_kb("update", f"{NCA}#five-mous", "in-progress", "--date", "2026-02-10", kb=repo)
    assert result.exit_code == 2
    assert result.output == (
        f"kb: error: meetings/{NCA}.yaml changed on disk after kb read it (an editor's save?); "
        "nothing was written: run the command again\n"
    )
    assert path.read_text(encoding="utf-8") == saved


def test_comments_stay_where_they_stood(run_kb, repo):
    """A comment above the next outcome stays above it, and an end-of-line comment stays on the
    status line, two spaces after the new value."""
    path = repo / "meetings" / f"{NCA}.yaml"
    before = path.read_text(encoding="utf-8")
    text = before.replace(
        "    owner: pk-ministry-of-interior\n    status: open\n  - id: training-cooperation",
        "    owner: pk-ministry-of-interior\n    status: open  # as of the meeting\n"
        "  # the next one\n  - id: training-cooperation",
        1,
    )
    assert text != before
    path.write_text(text, encoding="utf-8")
    result = run_kb("update", f"{NCA}#five-mous", "in-progress", "--date", "2026-02-10", kb=repo)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == text.replace(
        "    status: open  # as of the meeting\n",
        "    status: in-progress  # as of the meeting\n    updates:\n      - date: 2026-02-10\n"
        "        status: in-progress\n",
        1,
    )
    assert run_kb("fmt", "--check", kb=repo).exit_code == 0


def test_a_new_updates_list_goes_before_the_keys_after_it(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    status: open\n  - id: training-cooperation",
        "    status: open\n    # cut for the wider audience\n    sensitivity: GREEN\n  - id: training-cooperation",
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert run_kb("update", f"{NCA}#five-mous", "lapsed", "--date", "2026-06", kb=repo).exit_code == 0
    assert path.read_text(encoding="utf-8") == text.replace(
        "    status: open\n    # cut",
        "    status: lapsed\n    updates:\n      - date: 2026-06\n        status: lapsed\n    # cut",
        1,
    )


def test_byte_order_mark_and_crlf_are_kept(run_kb, repo):
    path = repo / "meetings" / f"{BLOME}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_kb("update", f"{BLOME}#law-enforcement-dialogue", "fulfilled", "--date", "2026-11-25", kb=repo)
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    assert b"\r\n      - date: 2026-11-25\r\n        status: fulfilled\r\n" in raw


def test_dry_run_prints_the_change_and_writes_nothing(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    before = path.read_bytes()
    result = run_kb(
        "update",
        f"{NCA}#five-mous",
        "in-progress",
        "--note",
        "Two initialled",
        "--date",
        "2026-02-10",
        "--dry-run",
        kb=repo,
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    lines = result.output.splitlines()
    assert lines[:2] == [f"--- a/meetings/{NCA}.yaml", f"+++ b/meetings/{NCA}.yaml"]
    assert [line for line in lines if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-    status: open",
        "+    status: in-progress",
        "+    updates:",
        "+      - date: 2026-02-10",
        "+        status: in-progress",
        "+        note: Two initialled",
    ]
    assert (
        lines[-1] == f"meetings/{NCA}.yaml: five-mous from open to in-progress on 2026-02-10 (dry run: nothing written)"
    )


def test_a_record_in_another_layout_is_refused_untouched(run_kb, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    text = path.read_text(encoding="utf-8").replace("status: held", "status:   held", 1)
    path.write_text(text, encoding="utf-8")
    result = run_kb("update", f"{NCA}#five-mous", "in-progress", "--date", "2026-02-10", kb=repo)
    assert result.exit_code == 2
    assert result.output.startswith(f"kb: error: meetings/{NCA}.yaml is not in kb's canonical layout")
    assert f"run `kb fmt meetings/{NCA}.yaml`" in result.output
    assert path.read_text(encoding="utf-8") == text
