"""The one writer of edits to existing records: only the intended change reaches the disk."""

import difflib
import shutil

import pytest
from conftest import REPO, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.store import yamledit
from kb.store.yamlread import parse_bytes

RECORDS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "meetings").glob("*.yaml"))
SOURCE = {"url": "https://example.org/a-later-report", "publisher": "Example News", "published": "2024-07-15"}


def _add_source(record):
    record.setdefault("sources", []).append(dict(SOURCE))


@pytest.mark.parametrize("relpath", RECORDS)
def test_an_edit_only_adds_its_lines(tmp_path, relpath):
    path = tmp_path / "record.yaml"
    shutil.copyfile(REPO / relpath, path)
    before = path.read_text()
    yamledit.edit(path, _add_source)
    after = path.read_text()
    ops = {tag for tag, *_ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()}
    assert ops == {"equal", "insert"}
    assert parse_bytes(after.encode(), "x").data["sources"][-1] == SOURCE
    assert (
        "  - url: https://example.org/a-later-report\n    publisher: Example News\n    published: 2024-07-15\n" in after
    )


def test_line_endings_and_byte_order_mark_are_kept(tmp_path):
    path = tmp_path / "record.yaml"
    original = (REPO / RECORDS[0]).read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + original)
    yamledit.edit(path, _add_source)
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf" + original)
    assert b"\n" not in written.replace(b"\r\n", b"")


def test_a_record_in_another_layout_is_refused_untouched(tmp_path):
    path = tmp_path / "record.yaml"
    text = "id: x\ntitle: T\nsources: [{url: 'https://example.org'}]   # flow style\n"
    path.write_text(text)
    with pytest.raises(yamledit.EditError, match="kb fmt"):
        yamledit.edit(path, _add_source)
    assert path.read_text() == text


def test_a_broken_record_is_refused_with_its_place(tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text("id: x\ntitle: [unclosed\n")
    with pytest.raises(yamledit.EditError, match=r"record.yaml:3:1: .*kb check"):
        yamledit.edit(path, _add_source, relpath="record.yaml")


def test_a_save_made_while_editing_is_never_overwritten(tmp_path):
    path = tmp_path / "record.yaml"
    shutil.copyfile(REPO / RECORDS[0], path)
    saved = path.read_text().replace("status: held", "status: held  # checked by hand")

    def change_and_meanwhile_someone_saves(record):
        _add_source(record)
        path.write_text(saved)

    with pytest.raises(yamledit.EditError, match=r"changed on disk.*nothing was"):
        yamledit.edit(path, change_and_meanwhile_someone_saves)
    assert path.read_text() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]  # no temporary file left


def test_check_mode_writes_nothing(tmp_path):
    path = tmp_path / "record.yaml"
    shutil.copyfile(REPO / RECORDS[0], path)
    before = path.read_bytes()
    result = yamledit.edit(path, _add_source, write=False)
    assert result.changed and path.read_bytes() == before


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60))
def test_any_note_reads_back_as_written(tmp_path, note):
    path = tmp_path / "record.yaml"
    shutil.copyfile(REPO / RECORDS[0], path)
    before = path.read_bytes()

    def add(record):
        record["sources"].append({"url": "https://example.org/x", "note": note})

    try:
        yamledit.edit(path, add)
    except yamledit.EditError:
        assert path.read_bytes() == before  # refused: then nothing was written
        return
    assert parse_bytes(path.read_bytes(), "x").data["sources"][-1]["note"] == note


def test_a_year_alone_and_digits_stay_strings_when_written():
    """Unquoted, YAML 1.2 reads 2024 or 0000 as a number: they keep their quotes; dates do not need them."""
    record = {"date": "2024", "code": "0000", "due": "2024-10", "when": "2024-07-13~"}
    text = yamledit.dump(record)
    assert text == "date: '2024'\ncode: '0000'\ndue: 2024-10\nwhen: 2024-07-13~\n"
    assert parse_bytes(text.encode(), "x").data == record


RECORD = """id: x
items:
  - name: a
    status: open  # checked
  # above b
  - name: b
    list:
      - one
    # above the key after it
    last: z
# the end
"""


def test_put_and_append_keep_every_comment_where_it_stood(tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text(RECORD)

    def change(record):
        yamledit.put(record["items"][0], "status", "closed")
        yamledit.put(record["items"][0], "added", ["new"])
        yamledit.append(record["items"][1]["list"], "two")
        yamledit.put(record["items"][1], "middle", {"k": "v"}, before=("last",))
        yamledit.append(record["items"], {"name": "c"})

    yamledit.edit(path, change)
    assert (
        path.read_text()
        == """id: x
items:
  - name: a
    status: closed  # checked
    added:
      - new
  # above b
  - name: b
    list:
      - one
      - two
    middle:
      k: v
    # above the key after it
    last: z
  - name: c
# the end
"""
    )


def test_an_edit_that_would_drop_or_move_a_comment_is_refused(tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text(RECORD)

    def drop(record):
        del record["items"][1]["last"]

    def move(record):
        record["items"][0]["added"] = "here"  # a plain assignment lands after "# above b"

    for change in (drop, move):
        with pytest.raises(yamledit.EditError, match="changing more than intended"):
            yamledit.edit(path, change)
        assert path.read_text() == RECORD
