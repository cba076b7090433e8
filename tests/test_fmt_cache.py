"""`kb fmt` reuses its proofs: a file found canonical and unchanged since is not formatted again."""

import os

import pytest

from kb.authoring import formatting

M = "meetings/2024-07-13-naqvi-blome.yaml"


@pytest.fixture
def formatted(monkeypatch):
    """The relpaths kb fmt formats, in order."""
    seen = []
    real = formatting.format_file

    def counting(path, relpath, kind):
        seen.append(relpath)
        return real(path, relpath, kind)

    monkeypatch.setattr(formatting, "format_file", counting)
    return seen


def age(root, seconds=60):
    """Every record's modification time moved into the past, as files that have settled."""
    for folder in ("meetings", "people", "orgs", "."):
        for path in (root / folder).glob("*.yaml"):
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def test_unchanged_files_are_not_formatted_again(make_kb, run_kb, formatted):
    root = make_kb()
    assert run_kb("fmt", kb=root).exit_code == 0
    age(root)
    formatted.clear()
    assert run_kb("fmt", "--check", kb=root).exit_code == 0  # proofs of files touched since: by hash
    assert len(formatted) == 0
    assert (root / ".kb-cache" / "fmt.bin").is_file()
    formatted.clear()
    result = run_kb("fmt", "--check", kb=root)
    assert result.exit_code == 0 and formatted == []
    assert result.stderr == "0 files would be reformatted, 6 unchanged\n"


def test_an_edited_file_is_formatted_again_and_reported(make_kb, run_kb, formatted):
    root = make_kb()
    assert run_kb("fmt", kb=root).exit_code == 0
    age(root)
    path = root / M
    path.write_text(path.read_text().replace("status: held\n", "status:    held\n"), encoding="utf-8")
    formatted.clear()
    result = run_kb("fmt", "--check", kb=root)
    assert result.exit_code == 1
    assert formatted == [M]
    assert result.stdout == f"would reformat {M}\n"


def test_a_touched_file_is_known_by_its_hash(make_kb, run_kb, formatted):
    root = make_kb()
    assert run_kb("fmt", kb=root).exit_code == 0
    age(root)
    run_kb("fmt", "--check", kb=root)
    os.utime(root / M)  # a checkout or touch: new time, same content
    formatted.clear()
    assert run_kb("fmt", "--check", kb=root).exit_code == 0
    assert formatted == []


def test_no_cache_formats_everything(make_kb, run_kb, formatted):
    root = make_kb()
    assert run_kb("fmt", kb=root).exit_code == 0
    age(root)
    run_kb("fmt", "--check", kb=root)
    formatted.clear()
    assert run_kb("--no-cache", "fmt", "--check", kb=root).exit_code == 0
    assert len(formatted) == 6
