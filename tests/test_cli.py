"""The command line as a user meets it: exit codes, formats, errors without tracebacks."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import BASE_FILES, RECORDS, REPO

from kb.checks import registry


def kb_command(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_version():
    result = kb_command("--version")
    assert result.returncode == 0 and result.stdout.startswith("kb ")


def test_clean_knowledge_base(make_kb, run_kb):
    result = run_kb("check", kb=make_kb())
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_text_format_names_file_line_column_code_and_hint(make_kb, run_kb):
    path = "meetings/2024-07-13-naqvi-blome.yaml"
    meeting = textwrap.dedent(BASE_FILES[path]).replace("person: donald-blome", "person: donald-bloom")
    result = run_kb("check", kb=make_kb({path: meeting}))
    assert result.exit_code == 1
    assert f"{path}:13:13: error[KB400] unknown person 'donald-bloom'" in result.output
    assert "hint: did you mean 'donald-blome'?" in result.output


def test_paths_limit_the_report(make_kb, check_json):
    root = make_kb({"meetings/bad.yaml": "id: bad\n"})
    everything, _ = check_json(root)
    assert any(f["path"] == "meetings/bad.yaml" for f in everything)
    only_people, code = check_json(root, str(root / "people"))
    assert only_people == [] and code == 0


def test_github_format_is_chosen_under_actions(make_kb):
    root = make_kb({"meetings/bad.yaml": "id: bad\n"})
    result = kb_command("--kb", str(root), "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert "::error file=meetings/bad.yaml,line=1,col=1,title=KB200::" in result.stdout


def test_not_a_knowledge_base_is_a_usage_error(tmp_path):
    result = kb_command("check", cwd=tmp_path, env={"KB_DIR": ""})
    assert result.returncode == 2
    assert "no kb.yaml" in result.stderr and "Traceback" not in result.stderr


def test_root_is_found_from_a_subfolder(make_kb):
    root = make_kb()
    result = kb_command("check", cwd=root / "meetings", env={"KB_DIR": ""})
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_option_is_a_usage_error():
    result = kb_command("check", "--no-such-option")
    assert result.returncode == 2 and "No such option" in result.stderr


def test_unexpected_error_prints_one_line_without_traceback(make_kb, monkeypatch):
    # Simulate a bug: a check that raises.
    from kb import cli

    def broken(kb):
        raise RuntimeError("boom")
        yield

    registry.load_all()  # the code table is filled when the checks are loaded, whatever ran before
    monkeypatch.setattr(registry, "KB_CHECKS", [(registry.CODES["KB300"], broken)])
    monkeypatch.setattr(registry, "load_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--kb", str(make_kb()), "check"])
    assert exit_info.value.code == cli.EXIT_INTERNAL
    with pytest.raises(RuntimeError):
        cli.main(["--kb", str(make_kb()), "--debug", "check"])


def test_norway_is_a_country_not_false(make_kb, check_json):
    root = make_kb()
    path = root / "meetings" / "2024-07-13-naqvi-blome.yaml"
    path.write_text(path.read_text().replace("country: PK", "country: NO"))
    findings, code = check_json(root)
    assert code == 0, findings


def test_list_codes_documents_every_code():
    result = kb_command("check", "--list")
    registry.load_all()
    for code in registry.CODES:
        assert code in result.stdout
    readme = (REPO / "README.md").read_text()
    for code, entry in registry.CODES.items():
        assert f"| {code} | {entry.severity} | {entry.name} |" in readme, code


@pytest.mark.parametrize("kind", ["meeting", "person", "org", "topics", "config"])
def test_schema_is_valid_json_schema(kind, tmp_path):
    result = kb_command("schema", kind)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(document)


def test_independent_validator_accepts_the_schema_and_every_meeting(tmp_path):
    schema_file = tmp_path / "meeting.json"
    schema_file.write_text(kb_command("schema", "meeting").stdout)
    meetings = sorted(str(p) for p in (REPO / "meetings").glob("*.yaml"))
    assert meetings
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--schemafile", str(schema_file), *meetings], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_paths_must_exist_inside_the_knowledge_base(make_kb, run_kb, tmp_path):
    root = make_kb()
    missing = run_kb("check", str(root / "meetings" / "nosuch.yaml"), kb=root)
    assert missing.exit_code == 2 and "does not exist" in missing.output
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: x\n")
    result = run_kb("check", str(outside), kb=root)
    assert result.exit_code == 2 and "outside the knowledge base" in result.output


def test_counts_are_in_the_right_number(make_kb, run_kb):
    path = "meetings/2024-07-13-naqvi-blome.yaml"
    meeting = textwrap.dedent(BASE_FILES[path]).replace("person: donald-blome", "person: donald-bloom")
    result = run_kb("check", kb=make_kb({path: meeting}))
    assert result.output.splitlines()[-1] == "6 files checked: 1 error, 0 warnings"


def test_a_mistyped_command_gets_did_you_mean(run_kb):
    result = kb_command("brif", "donald-blome")
    assert result.returncode == 2
    assert result.stderr.startswith("kb: error: no such command 'brif'. Did you mean 'brief'? Commands: brief, ")
    assert "Traceback" not in result.stderr
    nothing_close = kb_command("zzzz")
    assert nothing_close.returncode == 2 and "Did you mean" not in nothing_close.stderr


def test_the_pager_only_for_a_long_terminal_output(monkeypatch):
    from kb.rendering.output import wants_pager

    monkeypatch.delenv("KB_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    assert wants_pager(80, 24, terminal=True)
    assert not wants_pager(10, 24, terminal=True)
    assert not wants_pager(80, 24, terminal=False)  # piped or redirected: never
    monkeypatch.setenv("KB_PAGER", "never")
    assert not wants_pager(80, 24, terminal=True)


def test_piped_output_is_never_paged():
    result = kb_command("list", "meetings", cwd=RECORDS, env={"PAGER": "false", "LINES": "2"})
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 4
