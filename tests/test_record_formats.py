"""`kb show`, `kb dedupe`, `kb diff` and `kb check` write their formats through the shared option set
(kb.rendering.formats): each format's exact text, the format from the -o file's name, an unknown
suffix refused with nothing written, and --format and -o worded as every other command words them."""

import json
import subprocess

import pytest
from conftest import write_kb

OUTPUT_HELP = (
    "-o, --output FILE Write to FILE (atomically) instead of standard output; its suffix (.md, .ics, ...) "
    "names the format."
)

TWIN = """\
    id: don-blome
    name: Donald Blome
    country: US
    """


def _help(run_kb, *command: str) -> str:
    result = run_kb(*command, "--help", terminal_width=200)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


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


# kb show


SHOW_TEXT = """\
Ministry of Interior  PK

People
  Mohsin Naqvi — Interior Minister, since 11 March 2024

Meetings
  none

Commitments
  2024-07-13 2024-07-13-naqvi-blome#dialogue (owner, fulfilled): Hold a law enforcement dialogue.

orgs/pk-interior.yaml
"""

SHOW_DATA = {
    "kind": "org",
    "id": "pk-interior",
    "path": "orgs/pk-interior.yaml",
    "record": {"id": "pk-interior", "name": "Ministry of Interior", "country": "PK"},
    "backlinks": {
        "commitments": [
            {
                "meeting": "2024-07-13-naqvi-blome",
                "outcome": "dialogue",
                "text": "Hold a law enforcement dialogue.",
                "status": "fulfilled",
                "as": "owner",
            }
        ],
        "people": [
            {
                "person": "mohsin-naqvi",
                "name": "Mohsin Naqvi",
                "title": "Interior Minister",
                "start": "2024-03-11",
                "end": "",
            }
        ],
    },
}


def test_show_in_each_format(make_kb, run_kb, tmp_path):
    kb = make_kb()
    assert run_kb("show", "pk-interior", kb=kb).stdout == SHOW_TEXT
    assert run_kb("show", "pk-interior", "--format", "text", kb=kb).stdout == SHOW_TEXT
    shown = run_kb("show", "pk-interior", "--format", "json", kb=kb).stdout
    assert shown == json.dumps(SHOW_DATA, indent=2, ensure_ascii=False) + "\n"
    for name, expected in (("record.json", shown), ("record.txt", SHOW_TEXT)):
        result = run_kb("show", "pk-interior", "-o", tmp_path / name, kb=kb)
        assert (result.exit_code, result.stdout) == (0, "")
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


# kb dedupe

DEDUPE_TEXT = """\
1 pair of people that may be one record, best first:

0.75 strong   person donald-blome ~ don-blome
    donald-blome: Donald Blome (US; Ambassador to Pakistan; 1 meeting 2024-07-13)
    don-blome: Donald Blome (US; 0 meetings)
    + both are named 'Donald Blome'
    + both of US

Judge each pair: `kb merge KEEP GONE` makes one record of two (e.g. `kb merge donald-blome don-blome`); \
`kb decide different|unsure A B --why TEXT` records that they are not one, or that you cannot tell. \
Judged pairs are not proposed again.
"""

DEDUPE_DATA = {
    "format": "kb-dedupe",
    "version": "0.1.0",
    "kinds": ["person"],
    "audience": None,
    "count": 1,
    "pairs": [
        {
            "kind": "person",
            "ids": ["donald-blome", "don-blome"],
            "score": 0.75,
            "strength": "strong",
            "reasons": [
                {"code": "shared-name", "text": "both are named 'Donald Blome'", "weight": 0.6},
                {"code": "same-country", "text": "both of US", "weight": 0.15},
            ],
            "records": [
                {
                    "id": "donald-blome",
                    "name": "Donald Blome",
                    "country": "US",
                    "aliases": ["Donald Bloom"],
                    "title": "Ambassador to Pakistan",
                    "roles": ["Ambassador to Pakistan (2022-05–2024-10)"],
                    "meetings": 1,
                    "first_met": "2024-07-13",
                    "last_met": "2024-07-13",
                    "path": "people/donald-blome.yaml",
                },
                {
                    "id": "don-blome",
                    "name": "Donald Blome",
                    "country": "US",
                    "aliases": [],
                    "title": "",
                    "roles": [],
                    "meetings": 0,
                    "first_met": None,
                    "last_met": None,
                    "path": "people/don-blome.yaml",
                },
            ],
        }
    ],
}


def test_dedupe_in_each_format(make_kb, run_kb, tmp_path):
    kb = make_kb({"people/don-blome.yaml": TWIN})
    assert run_kb("dedupe", "--kind", "person", kb=kb).stdout == DEDUPE_TEXT
    shown = run_kb("dedupe", "--kind", "person", "--format", "json", kb=kb).stdout
    assert shown == json.dumps(DEDUPE_DATA, indent=2, ensure_ascii=False) + "\n"
    for name, expected in (("pairs.json", shown), ("pairs.txt", DEDUPE_TEXT)):
        result = run_kb("dedupe", "--kind", "person", "-o", tmp_path / name, kb=kb)
        assert (result.exit_code, result.stdout) == (0, "")
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


# kb diff


def _git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=kb@example.org", "-c", "user.name=kb", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def changed(tmp_path):
    """A knowledge base in git whose working tree moves one commitment from fulfilled to open."""
    root = write_kb(tmp_path / "kb", {})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "a knowledge base")
    meeting = root / "meetings/2024-07-13-naqvi-blome.yaml"
    meeting.write_text(meeting.read_text().replace("status: fulfilled", "status: open"))
    return root


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


def test_diff_in_each_format(changed, run_kb, tmp_path):
    assert run_kb("diff", kb=changed).stdout == DIFF_TEXT
    assert run_kb("diff", "--format", "md", kb=changed).stdout == DIFF_MD
    shown = run_kb("diff", "--format", "json", kb=changed).stdout
    assert shown == json.dumps(DIFF_DATA, indent=2, ensure_ascii=False) + "\n"
    for name, expected in (("changes.json", shown), ("changes.md", DIFF_MD), ("changes.txt", DIFF_TEXT)):
        result = run_kb("diff", "-o", tmp_path / name, kb=changed)
        assert (result.exit_code, result.stdout) == (0, "")
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


# kb check

WHERE = "people/donald-blome.yaml"
MESSAGE = "the name 'donald blome' belongs to don-blome, donald-blome"
HINT = (
    "if they are one person, `kb merge don-blome donald-blome`; if not, "
    "`kb decide different don-blome donald-blome --why ...` (`kb dedupe` lists such pairs)"
)
CHECK_TEXT = f"{WHERE}:2:7: warning[KB605] {MESSAGE}\n    hint: {HINT}\n7 files checked: 0 errors, 1 warning\n"
CHECK_DATA = [
    {"path": WHERE, "line": 2, "column": 7, "severity": "warning", "code": "KB605", "message": MESSAGE, "hint": HINT}
]
CHECK_GITHUB = f"::warning file={WHERE},line=2,col=7,title=KB605::{MESSAGE} ({HINT})\n"


def test_check_in_each_format(make_kb, run_kb, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    kb = make_kb({"people/don-blome.yaml": TWIN})
    assert run_kb("check", kb=kb).stdout == CHECK_TEXT
    shown = run_kb("check", "--format", "json", kb=kb).stdout
    assert shown == json.dumps(CHECK_DATA, indent=2, ensure_ascii=False) + "\n"
    assert run_kb("check", "--format", "github", kb=kb).stdout == CHECK_GITHUB
    for name, expected in (("findings.json", shown), ("findings.txt", CHECK_TEXT)):
        result = run_kb("check", "--strict", "-o", tmp_path / name, kb=kb)
        assert (result.exit_code, result.stdout) == (1, "")  # the exit code still says what was found
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


def test_check_speaks_to_github_actions_by_default(make_kb, run_kb, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    kb = make_kb({"people/don-blome.yaml": TWIN})
    assert run_kb("check", kb=kb).stdout == CHECK_GITHUB
    assert run_kb("check", "--format", "text", kb=kb).stdout == CHECK_TEXT
    assert run_kb("check", "-o", tmp_path / "findings.txt", kb=kb).exit_code == 0  # the file's name comes first
    assert (tmp_path / "findings.txt").read_text(encoding="utf-8") == CHECK_TEXT
    assert run_kb("check", kb=write_kb(tmp_path / "clean", {})).stdout == ""  # nothing found: nothing for the log


def test_check_codes_in_each_format(run_kb, tmp_path):
    from kb.checks import registry

    registry.load_all()
    codes = sorted(registry.CODES.values(), key=lambda c: c.code)
    text = "".join(f"{c.code}  {c.severity:<7}  {c.name:<22}  {c.summary}\n" for c in codes)
    data = [{"code": c.code, "severity": c.severity, "name": c.name, "summary": c.summary} for c in codes]
    assert run_kb("check", "--list").stdout == text
    assert run_kb("check", "--list", "--format", "json").stdout == json.dumps(data, indent=2) + "\n"
    table = run_kb("check", "--list", "--format", "markdown").stdout
    assert table == registry.markdown_table()
    assert table.splitlines()[:3] == [
        "| code | severity | name | what it finds |",
        "|---|---|---|---|",
        "| KB100 | error | yaml-syntax | The file is not valid YAML (the position is the parser's). |",
    ]
    assert len(table.splitlines()) == len(codes) + 2
    for name, expected in (("codes.md", table), ("codes.json", json.dumps(data, indent=2) + "\n")):
        assert run_kb("check", "--list", "-o", tmp_path / name).exit_code == 0
        assert (tmp_path / name).read_text(encoding="utf-8") == expected


def test_a_format_of_the_other_view_is_a_usage_error(make_kb, run_kb):
    kb = make_kb()
    result = run_kb("check", "--format", "markdown", kb=kb)
    assert result.exit_code == 2
    assert "Invalid value for '--format': markdown is not a format of kb check (it writes text, json, github)" in (
        result.stderr
    )
    result = run_kb("check", "--list", "--format", "github")
    assert result.exit_code == 2
    assert "github is not a format of kb check --list (it writes text, json, markdown)" in result.stderr


@pytest.mark.parametrize(
    "command, known",
    [
        (("show", "pk-interior"), ".json, .txt"),
        (("dedupe",), ".json, .txt"),
        (("diff",), ".json, .markdown, .md, .txt"),
        (("check",), ".json, .txt"),
        (("check", "--list"), ".json, .markdown, .md, .txt"),
    ],
)
def test_an_unknown_suffix_is_refused_and_nothing_written(changed, run_kb, tmp_path, command, known):
    target = tmp_path / "out.pdf"
    result = run_kb(*command, "-o", target, kb=changed)
    assert result.exit_code == 2
    assert result.stderr == (
        f"kb: error: -o {target}: kb cannot write a .pdf file here; use one of {known}, "
        "or give --format to write that format under any name\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"]
