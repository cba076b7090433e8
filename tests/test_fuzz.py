"""Bounded fuzzing of reading and checking: whatever the bytes, kb reports, it never crashes."""

import textwrap
from pathlib import Path

import yaml
from conftest import BASE_FILES, examples, write_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.checks import runner as check
from kb.store import loader

MEETING_PATH = "meetings/2024-07-13-naqvi-blome.yaml"
SEED = textwrap.dedent(BASE_FILES[MEETING_PATH]).encode()
FUZZ = settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_bytes(root: Path, raw: bytes) -> list:
    (root / MEETING_PATH).write_bytes(raw)
    kb = loader.load(root)
    findings = check.run(kb)
    for finding in findings:
        assert finding.path and finding.code and finding.message
    return findings


@st.composite
def mutated(draw):
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.sampled_from(
                [
                    b"\t",
                    b":",
                    b"- ",
                    b"[",
                    b"{",
                    b"&a ",
                    b"*a",
                    b"!!",
                    b"\n",
                    b"  ",
                    b"'",
                    b'"',
                    b"#",
                    b"---\n",
                    b"\xff",
                    b"\x00",
                    b"2025-02-30",
                    b"~",
                    b"?",
                ]
            )
            | st.binary(max_size=4)
        )
        if action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        else:
            data[position : position + len(chunk)] = chunk
    return bytes(data)


@FUZZ
@given(raw=mutated())
def test_mutated_records_never_crash(tmp_path_factory, raw):
    root = write_kb(tmp_path_factory.mktemp("kb"), {})
    check_bytes(root, raw)


ids = st.sampled_from(["mohsin-naqvi", "donald-blome", "donald-bloom", "pk-interior", "nobody", "x"])
dates = st.one_of(
    st.sampled_from(
        ["2024", "2024-07", "2024-07-13", "2024-07-13~", "2024-07?", "2025-02-30", "2024-13", "1999-12-31"]
    ),
    st.integers(1000, 9999),
)
countries = st.sampled_from(["PK", "US", "GB", "UK", "NO", "ZZ"])
status = st.sampled_from(["held", "planned", "cancelled", "open", "hold"])
outcome_status = st.sampled_from(["open", "in-progress", "fulfilled", "lapsed", "superseded"])


@st.composite
def meetings(draw):
    outcomes = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(["a", "b"]),
                    "kind": st.sampled_from(["commitment", "agreement"]),
                    "text": st.text(min_size=1, max_size=20),
                    "status": outcome_status,
                },
                optional={
                    "due": dates,
                    "by": st.lists(st.one_of(ids, countries), max_size=2),
                    "owner": ids,
                    "follows_up": st.sampled_from(["2024-07-13-naqvi-blome#dialogue", "x#y"]),
                    "updates": st.lists(st.fixed_dictionaries({"date": dates, "status": outcome_status}), max_size=2),
                },
            ),
            max_size=3,
        )
    )
    return draw(
        st.fixed_dictionaries(
            {
                "id": st.just("2024-07-13-naqvi-blome"),
                "title": st.text(min_size=1, max_size=30),
                "date": dates,
                "status": status,
                "participants": st.lists(
                    st.fixed_dictionaries(
                        {"side": countries},
                        optional={"person": ids, "org": ids, "title": st.text(min_size=1, max_size=20)},
                    ),
                    min_size=1,
                    max_size=4,
                ),
                "sources": st.lists(
                    st.fixed_dictionaries(
                        {}, optional={"url": st.just("https://example.org/x"), "published": dates, "retrieved": dates}
                    ),
                    min_size=1,
                    max_size=3,
                ),
            },
            optional={
                "end_date": dates,
                "topics": st.lists(st.sampled_from(["counter-narcotics", "anti-narcotics", "x"]), max_size=3),
                "outcomes": st.just(outcomes),
                "follows": st.lists(ids, max_size=2),
                "location": st.fixed_dictionaries({"country": countries}),
            },
        )
    )


@FUZZ
@given(record=meetings())
def test_generated_records_never_crash(tmp_path_factory, record):
    root = write_kb(tmp_path_factory.mktemp("kb"), {})
    check_bytes(root, yaml.safe_dump(record, allow_unicode=True).encode())


# -- every command, hostile arguments, hostile knowledge bases: never a crash -----------------------
#
# The commands are found as `kb --help` lists them (and their subcommands), so a command added
# later is fuzzed too. Each example builds a knowledge base, makes it hostile in a few ways (a
# decisions file that does not validate, junk or links in the cache folder, control characters
# in a record, a damaged git repository), and runs one command with arguments drawn from the
# command's own options, real ids and hostile text, in any order. Whatever happens, kb must say
# so: an exit code of 0, 1 or 2 and never a traceback or exit 70 (an internal error).

import os  # noqa: E402
import subprocess  # noqa: E402

import click  # noqa: E402
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from kb.cli import cli  # noqa: E402

LARGE = os.environ.get("KB_FUZZ") == "large"  # KB_FUZZ=large pytest -m slow tests/test_fuzz.py
COMMANDS_FUZZ = settings(
    max_examples=examples(250),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COMMANDS_FUZZ_LARGE = settings(COMMANDS_FUZZ, max_examples=1500)
NEVER = {"serve"}  # it serves until stopped: fuzzed with --max-rebuilds 0 added


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _leaves(command, (*path, name))
        elif command is not None:
            found.append(((*path, name), command))
    return found


LEAVES = _leaves(cli)
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "-",
        "--",
        "-x",
        "--format",
        "--audience",
        "RED",
        "PURPLE",
        "\x1b[2J\x07",
        "\u202eevil",
        "a\nb",
        "<!--",
        "{{ 7*7 }}",
        "[/]",
        "'",
        '"',
        "*",
        "../../etc/passwd",
        "2024-02-30",
        "9999-99-99",
        "0",
        "-1",
        "99999999999999999999",
        "nan",
        "\u0645\u062d\u0633\u0646",
        "x" * 5000,
        " ".join(["word"] * 700),
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ]
)
REAL = st.sampled_from(
    [
        "mohsin-naqvi",
        "donald-blome",
        "pk-interior",
        "2024-07-13-naqvi-blome",
        "2024-07-13-naqvi-blome#dialogue",
        "US",
        "PK",
        "extradition",
        "HEAD",
        "HEAD~1",
        "md",
        "json",
        "html",
        "csv",
        "fulfilled",
        "same",
        "different",
        "meetings",
        "people",
        "out/site",
        "out/file",
    ]
)


@st.composite
def arguments(draw, command: click.Command) -> list[str]:
    options = [name for param in command.params for name in getattr(param, "opts", []) if name.startswith("-")]
    words = st.one_of(REAL, HOSTILE_TEXT, st.text(max_size=12), st.sampled_from(options or ["--help"]))
    return draw(st.lists(words, max_size=7))


HOSTILE_STATES = {
    "decisions-number": {"decisions.yaml": "decisions: 5\n"},
    "decisions-no-why": {
        "decisions.yaml": "decisions:\n  - kind: person\n    ids: [donald-blome, mohsin-naqvi]\n"
        "    judgement: different\n    by: R\n    date: 2026-11-26\n"
    },
    "control-characters": {
        "orgs/pk-interior.yaml": 'id: pk-interior\nname: "Ministry \\e]52;c;aGk=\\a of \u202eInterior"\ncountry: PK\n'
    },
    "former-id-cycle": {
        "people/mohsin-naqvi.yaml": "id: mohsin-naqvi\nname: Mohsin Naqvi\ncountry: PK\nformer_ids: [donald-blome]\n",
    },
    "bad-kb-yaml": {"kb.yaml": "name: [\n"},
}


def _make_hostile(root: Path, states: list[str]) -> None:
    write_kb(root, {k: v for state in states if state in HOSTILE_STATES for k, v in HOSTILE_STATES[state].items()})
    cache = root / ".kb-cache"
    if "cache-junk" in states:
        cache.mkdir(exist_ok=True)
        for name in ("search.sqlite", "search.seal", "records-00.bin", "check.bin", "fmt.bin"):
            (cache / name).write_bytes(b"kb-cache\n" + bytes(range(256)) * 3)
    if "cache-link" in states and not cache.exists():
        cache.symlink_to(root.parent, target_is_directory=True)
    if "git" in states or "git-damaged" in states:
        git = ["git", "-c", "user.email=f@example.org", "-c", "user.name=F", "-C", str(root)]
        subprocess.run([*git, "init", "-q"], check=True, capture_output=True)
        subprocess.run([*git, "add", "-A"], check=True, capture_output=True)
        subprocess.run([*git, "commit", "-qm", "one"], check=True, capture_output=True)
        if "git-damaged" in states:
            for obj in (root / ".git/objects").glob("??/*"):
                obj.chmod(0o644)
                obj.write_bytes(obj.read_bytes()[:20] + b"\xff" * 11)


STATES = st.lists(st.sampled_from([*HOSTILE_STATES, "cache-junk", "cache-link", "git", "git-damaged"]), max_size=3)


def _run_one(root: Path, path: tuple[str, ...], args: list[str]) -> None:
    from kb.errors import environment_problem

    if path[-1] in NEVER:
        args = [*args, "--max-rebuilds", "0", "--port", "0"]
    argv = ["--kb", str(root), *path, *args]
    result = CliRunner().invoke(cli, argv, catch_exceptions=True)
    error = result.exception
    if isinstance(error, OSError) and environment_problem(error) is not None:
        return  # said as `kb: error: ...` with exit 1 by the entry point
    assert error is None or isinstance(error, SystemExit), (argv, repr(error))
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    assert "Traceback" not in result.output


def _fuzz_commands(tmp_path_factory, monkeypatch, data) -> None:
    base = tmp_path_factory.mktemp("fuzz")
    monkeypatch.chdir(base)
    (base / "out").mkdir()
    root = base / "kb"
    root.mkdir()
    _make_hostile(root, data.draw(STATES))
    path, command = data.draw(st.sampled_from(LEAVES), label="command")
    _run_one(root, path, data.draw(arguments(command), label="arguments"))


@COMMANDS_FUZZ
@given(data=st.data())
def test_no_command_crashes_on_hostile_input(tmp_path_factory, monkeypatch, data):
    _fuzz_commands(tmp_path_factory, monkeypatch, data)


@pytest.mark.slow
@pytest.mark.skipif(not LARGE, reason="the large fuzz profile runs with KB_FUZZ=large")
@COMMANDS_FUZZ_LARGE
@given(data=st.data())
def test_no_command_crashes_on_hostile_input_at_length(tmp_path_factory, monkeypatch, data):
    _fuzz_commands(tmp_path_factory, monkeypatch, data)


def test_the_fuzzed_commands_are_every_command():
    names = {" ".join(path) for path, _command in LEAVES}
    assert {"check", "search", "site build", "site serve", "diff", "merge", "decide", "update", "fmt"} <= names
    assert {"import csv", "new person", "export sqlite"} <= names
