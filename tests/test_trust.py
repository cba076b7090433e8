"""Trust under attack (issue 18): kb fails closed on an unusable kb.yaml, every output honours
the audience, nothing outside the knowledge base is read or written through links, the cache is
never trusted, and no rewrite loses an edit made meanwhile."""


import pytest
from test_sensitivity import copy_repository

CONTENT_COMMANDS = [
    ("brief", "US"),
    ("timeline", "US"),
    ("list", "meetings"),
    ("list", "people"),
    ("show", "donald-blome"),
]


@pytest.mark.parametrize("broken", [
    "defualt_sensitivity: RED\n",          # one misspelt field
    "brief_audience: PURPLE\n",            # a value the schema does not allow
    "brief_audience: [\n",                 # not YAML at all
])
@pytest.mark.parametrize("command", CONTENT_COMMANDS, ids=lambda c: " ".join(c))
def test_an_invalid_kb_yaml_fails_closed(tmp_path, run_kb, broken, command):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    with open(root / "kb.yaml", "a", encoding="utf-8") as handle:
        handle.write(broken)
    result = run_kb(*command, kb=root)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("kb: error: kb.yaml:"), result.output
    assert "no record is shown until it is valid" in result.output
    assert "Naqvi" not in result.output and "Blome" not in result.output


def test_check_still_reports_an_invalid_kb_yaml(tmp_path, check_json):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    with open(root / "kb.yaml", "a", encoding="utf-8") as handle:
        handle.write("defualt_sensitivity: RED\n")
    findings, code = check_json(root)
    assert code == 1
    assert [(f["path"], f["code"]) for f in findings] == [("kb.yaml", "KB201")]
