"""`kb show`, `kb dedupe` and `kb check` write their formats through the shared option set
(kb.rendering.formats): each format's exact text and the format from the -o file's name. (`kb
diff`'s formats: tests/test_diff.py; the help's wording and unknown suffixes, for every command:
tests/test_formats.py.)"""

import json

from conftest import write_kb

TWIN = """\
    id: don-blome
    name: Donald Blome
    country: US
    """


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
