"""Reading one record file: the bytes read are the whole file, even when it grew after its stat."""

import os

from kb.store import files


def test_a_file_that_grew_after_its_stat_is_read_whole_and_not_cached(tmp_path, monkeypatch):
    (tmp_path / "orgs").mkdir()
    record = tmp_path / "orgs/pk-foreign-office.yaml"
    record.write_text("id: pk-foreign-office\nname: Ministry of Foreign Affairs\n")
    stale = os.lstat(record)
    record.write_text("id: pk-foreign-office\nname: Ministry of Foreign Affairs\naliases: [Foreign Office]\n")
    monkeypatch.setattr(files, "regular_stat", lambda name: stale)
    result, st, raw_digest = files.read_file_stamped(tmp_path, "orgs/pk-foreign-office.yaml", "org")
    assert result.data == {
        "id": "pk-foreign-office",
        "name": "Ministry of Foreign Affairs",
        "aliases": ["Foreign Office"],
    }
    assert st is None and raw_digest is None  # changed while read: not cached


def test_a_plain_file_is_read_with_its_stamp(tmp_path):
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs/pk-foreign-office.yaml").write_text("id: pk-foreign-office\nname: Ministry of Foreign Affairs\n")
    result, st, raw_digest = files.read_file_stamped(tmp_path, "orgs/pk-foreign-office.yaml", "org")
    assert result.valid and st is not None and st.st_size == 56 and raw_digest == result.digest
