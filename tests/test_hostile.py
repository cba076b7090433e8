"""Hostile records: every one gives a located finding, no traceback, bounded time and memory,
and no file changed. Unusual but valid input passes."""

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_kb

CORPUS = Path(__file__).parent / "hostile"

EXPECTED = {
    "alias-bomb.yaml": "KB108",
    "comments-only.yaml": "KB109",
    "control-character.yaml": "KB100",
    "deep-block-nesting.yaml": "KB108",
    "deep-flow-nesting.yaml": "KB108",
    "duplicate-keys.yaml": "KB102",
    "escape-sequence.yaml": "KB204",
    "empty.yaml": "KB109",
    "id-with-backslash.yaml": "KB203",
    "id-with-slash.yaml": "KB203",
    "impossible-date.yaml": "KB500",
    "invalid-utf8.yaml": "KB106",
    "merge-conflict.yaml": "KB105",
    "several-documents.yaml": "KB104",
    "tab-indent.yaml": "KB101",
    "top-level-list.yaml": "KB109",
    "top-level-scalar.yaml": "KB109",
    "undefined-alias.yaml": "KB100",
    "unsafe-tag-new.yaml": "KB103",
    "unsafe-tag.yaml": "KB103",
    "utf16.yaml": "KB106",
}
MEMORY_LIMIT = 3 * 1024**3
TIME_LIMIT = 60


def snapshot(root: Path) -> dict:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and not {".kb-cache", ".git"} & set(p.parts)
    }


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_kb(root: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(root), *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )


def located(result: subprocess.CompletedProcess, relpath: str, code: str, needs_line: bool = True) -> list:
    """The findings `kb check --format json` gave for ``relpath``: ``code`` among them, each at a
    line (``needs_line``), and no traceback."""
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1, result.stderr
    findings = [f for f in json.loads(result.stdout) if f["path"] == relpath]
    assert code in [f["code"] for f in findings], findings
    if needs_line:
        assert all(f["line"] >= 1 for f in findings), findings
    return findings


def assert_located(root: Path, relpath: str, code: str, needs_line: bool = True):
    before = snapshot(root)
    findings = located(run_kb(root, "check", "--format", "json"), relpath, code, needs_line)
    assert snapshot(root) == before
    return findings


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.fixture(scope="module")
def hostile_checked(tmp_path_factory) -> dict:
    """Each hostile record alone in a knowledge base of its own, as a meeting and as a person,
    checked (`kb check --format json`) in one process under run_kb's limits of time and memory:
    (folder, name) -> the check's result, and the knowledge base's files before and after."""
    roots = {}
    for folder in ("meetings", "people"):
        for name in sorted(EXPECTED):
            root = write_kb(tmp_path_factory.mktemp("kb"), {})
            shutil.copyfile(CORPUS / name, root / folder / name)
            roots[folder, name] = root
    before = {case: snapshot(root) for case, root in roots.items()}
    results = run_several([["--kb", str(root), "check", "--format", "json"] for root in roots.values()])
    return {
        case: (result, before[case], snapshot(root))
        for (case, root), result in zip(roots.items(), results, strict=True)
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_record(name, hostile_checked):
    result, before, after = hostile_checked["meetings", name]
    located(result, f"meetings/{name}", EXPECTED[name])
    assert after == before
    assert not Path("/tmp/kb-pwned").exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_person_file_is_reported_in_people_too(name, hostile_checked):
    result, before, after = hostile_checked["people", name]
    # A meeting's fields are unknown to a person record: that is reported first.
    expected = "KB201" if name == "impossible-date.yaml" else EXPECTED[name]
    located(result, f"people/{name}", expected)
    assert after == before


def test_file_too_large(make_kb):
    root = make_kb()
    (root / "meetings" / "huge.yaml").write_text("id: huge\nnotes: |\n" + ("  padding line\n" * 200_000))
    findings = assert_located(root, "meetings/huge.yaml", "KB107", needs_line=False)
    assert "too large" in findings[0]["message"]


def test_directory_named_like_a_record(make_kb):
    root = make_kb()
    (root / "meetings" / "folder.yaml").mkdir()
    assert_located(root, "meetings/folder.yaml", "KB110", needs_line=False)


def test_symlink_out_of_the_knowledge_base_is_not_followed(make_kb, tmp_path):
    root = make_kb()
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\nname: Somebody Else\n")
    (root / "people" / "outside.yaml").symlink_to(outside)
    findings = assert_located(root, "people/outside.yaml", "KB110", needs_line=False)
    assert "outside the knowledge base" in findings[0]["message"]


def test_config_that_is_hostile_is_reported_not_crashed(make_kb):
    root = make_kb()
    shutil.copyfile(CORPUS / "alias-bomb.yaml", root / "kb.yaml")
    assert_located(root, "kb.yaml", "KB108")


UNUSUAL = {
    "people/mohsin-naqvi.yaml": "\ufeffid: mohsin-naqvi\r\nname: Mohsin Naqvi\r\naliases:\r\n"
    "  - name: محسن نقوی\r\n    kind: transliteration\r\n"
    "  - name: Мохсин Накви\r\n    kind: transliteration\r\ncountry: PK\r\n",
    "meetings/2024-09-01-oslo.yaml": "\ufeffid: 2024-09-01-oslo\r\ntitle: Meeting in Oslo — 会议\r\n"
    "date: 2024-09-01\r\nstatus: held\r\nlocation:\r\n  place: Oslo\r\n"
    "  country: NO\r\nparticipants:\r\n  - person: mohsin-naqvi\r\n"
    "    side: PK\r\nsources:\r\n  - url: https://example.org/oslo\r\n",
}


def test_unusual_but_valid_input_passes(make_kb):
    root = make_kb()
    for relpath, text in UNUSUAL.items():
        (root / relpath).write_bytes(text.encode("utf-8"))
    result = run_kb(root, "check", "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout) == []


READING_COMMANDS = [
    ("brief", "donald-blome"),
    ("brief", "donald-blome", "--format", "html"),
    ("timeline", "US"),
    ("timeline", "US", "--format", "ics"),
    ("list", "meetings"),
    ("show", "donald-blome"),
    ("fmt", "--check"),
    ("diff", "--format", "json"),
]


# Runs kb's entry point once for each command (argv lists, JSON on standard input) in one process,
# and prints what each wrote and how it ended: the same bounds as run_kb at a fraction of the start-ups.
SEVERAL = """
import contextlib, io, json, sys, traceback
from kb.cli import main
results = []
for argv in json.load(sys.stdin):
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (done.code is not None and 1)
        except BaseException:
            traceback.print_exc()
            code = 1
    results.append({"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(results, sys.__stdout__)
"""


def run_several(argvs: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """kb run with each of ``argvs`` (its --kb included), in one process under run_kb's limits of
    memory and time (TIME_LIMIT for each eight commands)."""
    done = subprocess.run(
        [sys.executable, "-c", SEVERAL],
        input=json.dumps(argvs),
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * -(-len(argvs) // 8),
        preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    return [
        subprocess.CompletedProcess(argv, **result) for argv, result in zip(argvs, json.loads(done.stdout), strict=True)
    ]


@pytest.fixture(scope="module")
def hostile_read(tmp_path_factory) -> dict:
    """Each hostile record as a meeting in a knowledge base of its own (a git repository), read by
    every one of READING_COMMANDS, all in one process under run_kb's limits: name -> the results
    and the knowledge base's files before and after."""
    roots = {}
    for name in sorted(EXPECTED):
        root = write_kb(tmp_path_factory.mktemp("kb"), {})
        shutil.copyfile(CORPUS / name, root / "meetings" / name)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "kb", "--allow-empty"],
            cwd=root,
            check=True,
        )
        roots[name] = root
    before = {name: snapshot(root) for name, root in roots.items()}
    results = iter(
        run_several([["--kb", str(root), *command] for root in roots.values() for command in READING_COMMANDS])
    )
    return {
        name: ([next(results) for _command in READING_COMMANDS], before[name], snapshot(root))
        for name, root in roots.items()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reading_commands_leave_a_hostile_record_out_and_say_so(name, hostile_read):
    results, before, after = hostile_read[name]
    for command, result in zip(READING_COMMANDS, results, strict=True):
        assert "Traceback" not in result.stderr + result.stdout, command
        assert result.returncode in (0, 1), (command, result.returncode, result.stderr)
        if command[0] in ("brief", "timeline", "list", "show"):
            assert result.returncode == 0, (command, result.stderr)
            assert f"meetings/{name}" in result.stderr or command[0] in ("fmt", "diff")
    assert after == before
