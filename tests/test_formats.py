"""Formats and shared options in one place: the -o file's suffix names the format, a suffix a view
cannot write is refused before anything is written, and every command words --audience, --since,
--until and --as-of the same way."""

import re

import pytest

AUDIENCE_HELP = (
    "--audience LEVEL TLP level of the readers (CLEAR, GREEN, AMBER, AMBER+STRICT, RED): nothing marked "
    "above it is shown, named or suggested, and what is left out is counted. Default: brief_audience in "
    "kb.yaml."
)
SINCE_HELP = "--since DATE Leave out meetings certainly before DATE (2025, 2025-06 or a day)."
UNTIL_HELP = "--until DATE Leave out meetings certainly after DATE (2025 means to its end)."
AS_OF_HELP = "--as-of DATE Only what was known then: later meetings, sources and status updates left out."
OUTPUT_HELP = (
    "-o, --output FILE Write to FILE (atomically) instead of standard output; its suffix (.md, .ics, ...) "
    "names the format."
)


def _help(run_kb, *command: str) -> str:
    result = run_kb(*command, "--help", terminal_width=200)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    "command",
    [
        ("brief",),
        ("timeline",),
        ("due",),
        ("list",),
        ("search",),
        ("show",),
        ("dedupe",),
        ("diff",),
        ("export", "sqlite"),
        ("site", "build"),
        ("site", "serve"),
    ],
)
def test_every_command_words_the_audience_the_same(run_kb, command):
    shown = _help(run_kb, *command)
    assert AUDIENCE_HELP in shown
    for option, wording in (("--since", SINCE_HELP), ("--until", UNTIL_HELP), ("--as-of", AS_OF_HELP)):
        if re.search(rf"{option} DATE", shown):
            assert wording in shown, (command, option)


@pytest.mark.parametrize(
    "command, wording",
    [
        ("show", "--format [text|json] text, json. Default: from the -o file's name; else text."),
        ("dedupe", "--format [text|json] text, json. Default: from the -o file's name; else text."),
        ("diff", "--format [text|md|json] text, md, json. Default: from the -o file's name; else text."),
        (
            "check",
            "--format [text|json|github|markdown] text, json, github, markdown. Default: from the -o file's name; "
            "github under GitHub Actions; else text. markdown only with --list.",
        ),
    ],
)
def test_format_and_output_are_worded_as_everywhere(run_kb, command, wording):
    shown = _help(run_kb, command)
    assert wording in shown
    assert OUTPUT_HELP in shown
    assert OUTPUT_HELP in _help(run_kb, "timeline")  # the same words as the commands that had them first


def test_the_date_options_are_where_they_belong(run_kb):
    for command in (("timeline",), ("list",), ("search",)):
        assert SINCE_HELP in _help(run_kb, *command) and UNTIL_HELP in _help(run_kb, *command)
    for command in (("brief",), ("timeline",)):
        assert AS_OF_HELP in _help(run_kb, *command)


@pytest.mark.parametrize(
    "command",
    [("timeline", "US"), ("due", "--on", "2025-01-01")],
)
def test_an_ics_file_gets_icalendar(run_kb, repo, tmp_path, monkeypatch, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    target = tmp_path / "agenda.ics"
    written = run_kb(*command, "-o", target, kb=repo)
    assert written.exit_code == 0, written.output
    shown = run_kb(*command, "--format", "ics", kb=repo)
    assert target.read_bytes() == shown.stdout_bytes
    assert shown.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nEND:VCALENDAR\r\n" in shown.stdout_bytes


@pytest.mark.parametrize(
    "command, known",
    [
        (("brief", "US"), ".htm, .html, .json, .markdown, .md, .txt"),
        (("timeline", "US"), ".csv, .htm, .html, .ics, .json, .markdown, .md, .mermaid, .mmd, .txt"),
        (("due",), ".ics, .json, .markdown, .md, .txt"),
        (("list", "meetings"), ".json, .tsv"),
        (("search", "security"), ".json, .txt"),
        (("show", "pk-interior"), ".json, .txt"),
        (("dedupe",), ".json, .txt"),
        (("diff",), ".json, .markdown, .md, .txt"),
        (("check",), ".json, .txt"),
        (("check", "--list"), ".json, .markdown, .md, .txt"),
    ],
)
def test_an_unknown_suffix_is_refused_and_nothing_written(run_kb, repo, tmp_path, command, known):
    target = tmp_path / "out.unknownsuffix"
    result = run_kb(*command, "-o", target, kb=repo)
    assert result.exit_code == 2
    assert result.stderr == (
        f"kb: error: -o {target}: kb cannot write a .unknownsuffix file here; use one of {known}, "
        "or give --format to write that format under any name\n"
    )
    assert list(tmp_path.iterdir()) == [repo]


def test_a_named_format_writes_under_any_name(run_kb, repo, tmp_path):
    target = tmp_path / "meetings.unknownsuffix"
    assert run_kb("timeline", "US", "--format", "csv", "-o", target, kb=repo).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("date,date_human,precision,end_date,")


def test_a_bad_date_or_level_is_refused_before_the_knowledge_base_is_read(run_kb, tmp_path):
    missing = tmp_path / "nowhere"
    for args, message in (
        (("timeline", "US", "--since", "2025-13"), "kb: error: --since: "),
        (("brief", "US", "--as-of", "soon"), "kb: error: --as-of: "),
        (("list", "meetings", "--until", "x"), "kb: error: --until: "),
        (("due", "--audience", "ambr"), "kb: error: --audience: 'ambr' is not a TLP level; did you mean AMBER?"),
    ):
        result = run_kb("--kb", missing, *args)
        assert result.exit_code == 2 and result.stderr.startswith(message), (args, result.stderr)


@pytest.mark.parametrize(
    "command, name",
    [(("list", "meetings"), "meetings.tsv"), (("list", "people"), "people.json"), (("search", "security"), "hits.txt")],
)
def test_lists_and_hits_go_to_a_file_in_the_format_its_name_says(run_kb, repo, tmp_path, command, name):
    target = tmp_path / name
    assert run_kb(*command, "-o", target, kb=repo).exit_code == 0
    shown = run_kb(*command, "--format", name.rsplit(".", 1)[1].replace("txt", "text"), kb=repo)
    assert target.read_bytes() == shown.stdout_bytes and shown.stdout_bytes.count(b"\n") > 1
