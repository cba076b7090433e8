"""The README's example records are records: they read, check and are already in `kb fmt`'s layout."""

import re
import shutil

import pytest
from conftest import REPO

from kb.store.yamlread import parse_bytes


def readme_records():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
    records = [block for block in blocks if re.match(r"id: ", block)]
    assert records, "the README shows no example record"
    return records


def _folder(data: dict) -> str:
    return "meetings" if "date" in data else "people" if "roles" in data or "aliases" in data else "orgs"


@pytest.mark.parametrize("block", readme_records())
def test_a_readme_example_passes_fmt_check_and_check(block, tmp_path, run_kb):
    root = tmp_path / "kb"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".kb-cache", "tests", "kb", "*.egg-info"))
    data = parse_bytes(block.encode(), "README.md").data
    path = root / _folder(data) / f"{data['id']}.yaml"
    path.write_text(block, encoding="utf-8")
    formatted = run_kb("fmt", "--check", str(path), kb=root)
    assert formatted.exit_code == 0, formatted.output
    checked = run_kb("check", "--strict", "--format", "json", str(path), kb=root)
    assert checked.exit_code == 0, checked.output
