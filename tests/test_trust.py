"""Trust under attack (issue 18): kb fails closed on an unusable kb.yaml, every output honours
the audience, nothing outside the knowledge base is read or written through links, the cache is
never trusted, and no rewrite loses an edit made meanwhile."""

import json
import os
import textwrap

import pytest
from conftest import copy_repository

CONTENT_COMMANDS = [
    ("brief", "US"),
    ("timeline", "US"),
    ("list", "meetings"),
    ("list", "people"),
    ("show", "donald-blome"),
]


@pytest.mark.parametrize(
    "broken",
    [
        "defualt_sensitivity: RED\n",  # one misspelt field
        "brief_audience: PURPLE\n",  # a value the schema does not allow
        "brief_audience: [\n",  # not YAML at all
    ],
)
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


# -- the cache folder is never trusted ------------------------------------------------------------


@pytest.fixture
def own_key(tmp_path, monkeypatch):
    """A cache key of this test's own, in a user cache folder of its own."""
    from kb.store import cachekey

    def use(name: str):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
        cachekey.forget()

    use("user-a")
    yield use
    cachekey.forget()


def _kb_with_error(make_kb):
    from test_cache import SCHEMA_ERROR_MEETING, settle

    root = make_kb({"meetings/2024-09-01-broken.yaml": SCHEMA_ERROR_MEETING})
    settle(root)
    return root


def _expected(run_kb, root):
    return run_kb("--no-cache", "check", "--format", "json", kb=root).output


def _checks_as_without_cache(run_kb, root, expected):
    result = run_kb("check", "--format", "json", kb=root)
    assert result.exit_code == 1 and result.stdout == expected  # a refused snapshot is said on stderr
    assert [f["code"] for f in json.loads(result.stdout)] == ["KB500", "KB203"]


def test_a_damaged_shard_body_is_ignored_before_it_is_decoded(make_kb, run_kb, own_key, monkeypatch):
    import marshal

    root = _kb_with_error(make_kb)
    expected = _expected(run_kb, root)
    run_kb("check", kb=root)
    decoded = []
    real = marshal.loads
    monkeypatch.setattr(marshal, "loads", lambda data: decoded.append(1) or real(data))
    for shard in (root / ".kb-cache").glob("*.bin"):
        raw = bytearray(shard.read_bytes())
        raw[-11:] = b"\xff" * 11  # the 11-byte change that once crashed the interpreter
        shard.write_bytes(bytes(raw))
    _checks_as_without_cache(run_kb, root, expected)
    # nothing damaged was unmarshalled: every marshal.loads in the run was of bytes kb made in it
    assert len(decoded) <= len(list(root.glob("*/*.yaml"))) + 2


def test_a_cache_made_with_another_key_is_not_believed(make_kb, run_kb, own_key):
    """An attacker commits a .kb-cache in which the broken meeting is clean: with the attacker's
    own key it would hide the error; with the user's key it is ignored."""
    from kb.store import cache, files

    root = _kb_with_error(make_kb)
    expected = _expected(run_kb, root)
    own_key("attacker")
    run_kb("check", kb=root)
    store = cache.RecordCache.open(root)
    relpath = "meetings/2024-09-01-broken.yaml"
    number = cache.shard_of(relpath)
    entry = list(store.shards[number][relpath])
    entry[-1] = []  # no findings
    store.shards[number][relpath] = tuple(entry)
    store.dirty.add(number)
    store.save({relpath for relpath, _ in files.discover(root)})
    (root / ".kb-cache" / "check.bin").unlink()
    (root / ".kb-cache" / "meeting-findings.bin").unlink(missing_ok=True)
    (root / ".kb-cache" / "snapshot.bin").unlink()  # in front of the shards: without it they are read
    forged = run_kb("check", "--format", "json", kb=root)
    assert "KB203" not in forged.output  # the forgery works for whoever holds its key ...
    own_key("user-a")
    _checks_as_without_cache(run_kb, root, expected)  # ... and for nobody else


def test_a_planted_fmt_cache_does_not_pass_an_unformatted_file(make_kb, run_kb, own_key):
    """`kb fmt --check` believes its proofs only when they carry the user's own seal: a .kb-cache
    committed with an attacker's key that calls an unformatted file canonical is ignored."""
    root = make_kb({})
    assert run_kb("fmt", kb=root).exit_code == 0
    path = root / UNFORMATTED
    own_key("attacker")
    assert run_kb("fmt", kb=root).exit_code == 0  # the attacker's proofs, sealed with their key
    text = path.read_text()
    path.write_text(text.replace("\ntitle: ", "\ntitle:   ", 1))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 60 * 1_000_000_000))
    from kb.store import cachekey, fmtcache

    forged = fmtcache.FormattedCache(root)
    forged.entries[UNFORMATTED] = (path.stat().st_size, path.stat().st_mtime_ns, b"", "meeting")
    forged.dirty = True
    forged.save()
    assert run_kb("fmt", "--check", kb=root).exit_code == 0  # the forgery works for whoever holds its key ...
    own_key("user-a")
    assert cachekey.user_key() is not None
    result = run_kb("fmt", "--check", kb=root)
    assert result.exit_code == 1 and f"would reformat {UNFORMATTED}" in result.output  # ... and for nobody else


def test_compiled_schemas_are_run_from_the_cache_only_under_the_users_seal(make_kb, run_kb, own_key, monkeypatch):
    """The schemas' compiled checks are stored in .kb-cache for the next process; code stored
    there is run only when it carries the user's own seal: a planted one that calls every record
    valid is refused, and the record's errors are reported as without a cache."""
    import marshal

    from kb.store import cache, reading, schemas

    root = _kb_with_error(make_kb)
    expected = _expected(run_kb, root)
    stored = root / cache.FOLDER / reading.SCHEMA_CODE

    def check_afresh():
        """A check in a new process: no compiled schema in memory, every record read again."""
        monkeypatch.setattr(schemas, "_CODES", {})
        schemas._fast_validator.cache_clear()
        for path in (root / cache.FOLDER).glob("*.bin"):
            if path != stored:
                path.unlink()
        return run_kb("check", "--format", "json", kb=root)

    assert check_afresh().output == expected
    assert stored.exists()
    assert schemas._CODES  # this run read them back
    assert check_afresh().output == expected

    def plant(key_owner: str):
        own_key(key_owner)
        accept_all = compile("_valid = lambda value: True", "<planted>", "exec")
        header = reading._SCHEMA_CODE_MAGIC + reading.schema_code_key() + b"\n"
        cache.write_sealed(stored, header, marshal.dumps(dict.fromkeys(schemas.KINDS, accept_all)))

    plant("user-a")  # sealed with the user's own key: believed (this is what makes it worth storing) ...
    assert "KB203" not in check_afresh().output
    plant("attacker")  # ... with anyone else's, refused, and stored again as compiled
    own_key("user-a")
    assert check_afresh().output == expected
    assert check_afresh().output == expected
    raw = bytearray(stored.read_bytes())
    raw[-1] ^= 1  # damaged or altered: refused
    stored.write_bytes(bytes(raw))
    assert check_afresh().output == expected


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "/dev/urandom"])
def test_cache_files_linked_to_devices_are_not_read(make_kb, run_kb, own_key, target):
    import subprocess
    import sys

    root = _kb_with_error(make_kb)
    expected = _expected(run_kb, root)
    folder = root / ".kb-cache"
    folder.mkdir()
    for number in range(32):
        (folder / f"records-{number:02d}.bin").symlink_to(target)
    (folder / "check.bin").symlink_to(target)
    (folder / "meeting-findings.bin").symlink_to(target)
    done = subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(root), "check", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.PIPE,
    )
    assert done.returncode == 1 and done.stdout == expected, done.stderr


LINKED_CACHE = (
    "kb: warning: .kb-cache is a symbolic link; kb's cache is neither read nor written through it; "
    "delete it (`rm .kb-cache`); kb makes its own cache folder, which git ignores\n"
)
BROKEN_LEFT_OUT = (
    "kb: warning: 1 file could not be read and is left out (first: meetings/2024-09-01-broken.yaml); "
    "run `kb check` for details\n"
)


@pytest.mark.parametrize(
    ("command", "after"),
    [
        (("check", "--format", "json"), ""),  # its report names the broken file itself
        (("list", "meetings"), BROKEN_LEFT_OUT),
        (("timeline", "PK"), BROKEN_LEFT_OUT),
        (("search", "ambassador"), BROKEN_LEFT_OUT),
        (("fmt", "--check"), "3 files would be reformatted, 4 unchanged\n"),  # the fixture's layout
    ],
    ids=lambda c: c[0] if isinstance(c, tuple) else "",
)
def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written_and_is_said_once(
    make_kb, run_kb, own_key, tmp_path, command, after
):
    """Every command that would read the cache says a linked .kb-cache in the same one line on
    standard error, once; `kb check` too, beside its report (it is no problem of a record)."""
    root = _kb_with_error(make_kb)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".kb-cache").symlink_to(elsewhere)
    for _ in range(2):
        result = run_kb(*command, kb=root)
        assert result.stderr == LINKED_CACHE + after
        if command[0] == "check":
            assert result.exit_code == 1
            found = [(f["path"], f["code"]) for f in json.loads(result.stdout)]
            assert found == [("meetings/2024-09-01-broken.yaml", code) for code in ("KB500", "KB203")]
    assert list(elsewhere.iterdir()) == []
    unused = run_kb("--no-cache", *command, kb=root)  # the cache is not read: nothing to say of it
    assert unused.stderr == after


def test_an_edit_that_keeps_size_and_mtime_is_seen(make_kb, run_kb, own_key):
    from test_cache import settle

    root = make_kb({})
    settle(root)
    assert run_kb("check", "--format", "json", kb=root).output.strip() == "[]"
    assert run_kb("check", "--format", "json", kb=root).output.strip() == "[]"  # from the cache
    path = root / "meetings/2024-07-13-naqvi-blome.yaml"
    before = path.stat()
    text = path.read_text()
    edited = text.replace("counter-narcotics]", "counter-narcoticz]")
    assert len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    result = run_kb("check", "--format", "json", kb=root)
    assert [f["code"] for f in json.loads(result.output)] == ["KB402"]


# -- never lose an edit ---------------------------------------------------------------------------

UNFORMATTED = "meetings/2024-07-13-naqvi-blome.yaml"


def test_fmt_leaves_a_file_saved_while_it_was_formatting_it(make_kb, run_kb, monkeypatch):
    from kb.authoring import formatting

    root = make_kb({})
    path = root / UNFORMATTED
    path.write_text(
        "title:   Spaced out\n" + path.read_text().replace("title: Interior Minister meets the US Ambassador\n", "")
    )
    saved = path.read_text().replace("Spaced out", "Saved by an editor meanwhile")
    real = formatting.format_text

    def slow_format(text, kind, relpath="<text>"):
        result = real(text, kind, relpath)
        if relpath == UNFORMATTED:
            path.write_text(saved)  # the editor's save lands while kb fmt works
        return result

    monkeypatch.setattr(formatting, "format_text", slow_format)
    result = run_kb("fmt", kb=root)
    assert result.exit_code == 1
    assert (
        f"kb: error: {UNFORMATTED} changed while kb fmt was formatting it, so it is left as it is; run kb fmt again"
    ) in result.output
    assert path.read_text() == saved
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("change", ["same-size-content", "replaced-file"])
def test_a_stamp_sees_every_kind_of_change(tmp_path, change):
    from kb.store import atomic

    path = tmp_path / "record.yaml"
    path.write_bytes(b"id: x\r\n")
    raw, stamp = atomic.Stamp.read(path)
    before = path.stat()
    if change == "same-size-content":
        path.write_bytes(b"id: y\r\n")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:
        other = tmp_path / "other"
        other.write_bytes(raw)
        os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
        other.replace(path)
    with pytest.raises(atomic.ChangedMeanwhile):
        atomic.write_bytes(path, b"id: z\n", expect=stamp)
    assert path.read_bytes() in (b"id: y\r\n", raw)


def test_fmt_keeps_windows_line_endings(make_kb, run_kb):
    root = make_kb({})
    path = root / UNFORMATTED
    text = "title:   Spaced out\n" + path.read_text().replace("title: Interior Minister meets the US Ambassador\n", "")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert run_kb("fmt", kb=root).exit_code == 0
    written = path.read_bytes()
    assert written.count(b"\r\n") == written.count(b"\n") > 10
    assert written.startswith(b"id: 2024-07-13-naqvi-blome\r\ntitle: Spaced out\r\n")
    assert run_kb("fmt", "--check", kb=root).exit_code == 0


# -- one audience rule for every output -----------------------------------------------------------

SECOND_MEETING = """\
    id: 2024-08-01-naqvi-blome
    title: Follow-up on the dialogue
    date: 2024-08-01
    status: held
    participants:
      - person: mohsin-naqvi
        side: PK
        role: lead
      - person: donald-blome
        side: US
        role: lead
    outcomes:
      - id: dialogue-dates
        kind: agreement
        text: Dates for the dialogue were agreed.
        by: [PK, US]
        status: fulfilled
        follows_up: 2024-07-13-naqvi-blome#redsecretoutcome
    sources:
      - url: https://example.org/second
    """


def _marked_kb(make_kb, config_audience=None):
    """The base knowledge base with its meeting marked RED, a second CLEAR meeting whose outcome
    follows up a RED outcome of ... the RED meeting made CLEAR but its outcome RED."""
    from conftest import BASE_FILES

    first = BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"]
    red = (
        first.replace("title: Interior Minister meets the US Ambassador", "title: Redacted zqredtitle")
        + "sensitivity: RED\n"
    )
    kb_yaml = BASE_FILES["kb.yaml"] + (f"brief_audience: {config_audience}\n" if config_audience else "")
    return make_kb({"kb.yaml": kb_yaml, "meetings/2024-07-13-naqvi-blome.yaml": red})


@pytest.mark.parametrize("command", ["timeline", "show", "brief"])
def test_a_meeting_above_the_audience_is_refused(make_kb, run_kb, command):
    root = _marked_kb(make_kb)
    result = run_kb(command, "2024-07-13-naqvi-blome", "--audience", "GREEN", "--format", "json", kb=root)
    assert result.exit_code == 2
    assert result.output == (
        "kb: error: meeting 2024-07-13-naqvi-blome is marked RED, above the audience "
        "GREEN: nothing about it is shown to that audience\n"
    )
    shown = run_kb(command, "2024-07-13-naqvi-blome", "--format", "json", kb=root)
    assert shown.exit_code == 0 and "zqredtitle" in shown.output


@pytest.mark.parametrize("command", [("brief",), ("timeline",), ("show",)])
def test_did_you_mean_never_names_a_withheld_meeting(make_kb, run_kb, command):
    root = _marked_kb(make_kb, "GREEN")
    result = run_kb(*command, "2024-07-13-naqvi-blom", kb=root)
    assert result.exit_code == 2
    assert "did you mean" in result.output and "2024-07-13" not in result.output.split("did you mean")[1]
    opened = run_kb(*command, "2024-07-13-naqvi-blom", "--audience", "RED", kb=root)
    assert "did you mean" in opened.output and "2024-07-13-naqvi-blome" in opened.output.split("did you mean")[1]


def test_a_withheld_outcome_does_not_show_through_follows_up(make_kb, run_kb):
    from conftest import BASE_FILES

    first = textwrap.dedent(BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"]).replace(
        "  - id: dialogue\n", "  - id: redsecretoutcome\n    sensitivity: RED\n"
    )
    root = make_kb(
        {"meetings/2024-07-13-naqvi-blome.yaml": first, "meetings/2024-08-01-naqvi-blome.yaml": SECOND_MEETING}
    )
    everything = run_kb("brief", "donald-blome", "--format", "json", kb=root)
    assert "redsecretoutcome" in everything.output  # the reference is there to be withheld
    for command in (
        ("brief", "donald-blome", "--format", "json"),
        ("timeline", "donald-blome", "--format", "json"),
        ("show", "2024-08-01-naqvi-blome", "--format", "json"),
        ("show", "2024-08-01-naqvi-blome"),
    ):
        result = run_kb(*command, "--audience", "GREEN", kb=root)
        assert result.exit_code == 0, result.output
        assert "redsecretoutcome" not in result.output, command
    assert (
        "Dates for the dialogue were agreed"
        in run_kb("show", "2024-08-01-naqvi-blome", "--audience", "GREEN", kb=root).output
    )


@pytest.mark.parametrize(
    "command",
    [
        ("list", "meetings"),
        ("list", "meetings", "--format", "json"),
        ("list", "people", "--format", "json"),
        ("list", "orgs", "--format", "json"),
        ("show", "donald-blome"),
        ("show", "donald-blome", "--format", "json"),
        ("show", "pk-interior"),
        ("show", "mohsin-naqvi", "--format", "json"),
    ],
)
def test_list_and_show_honour_brief_audience(make_kb, run_kb, command):
    root = _marked_kb(make_kb, "GREEN")
    result = run_kb(*command, kb=root)
    assert result.exit_code == 0, result.output
    assert "zqredtitle" not in result.output and "2024-07-13" not in result.output
    opened = run_kb(*command, "--audience", "RED", kb=root)
    if command[1] != "orgs":  # an organisation's row counts meetings, never names them
        assert "2024-07-13" in opened.output


def test_list_counts_only_visible_meetings(make_kb, run_kb):
    root = _marked_kb(make_kb, "GREEN")
    rows = json.loads(run_kb("list", "people", "--format", "json", kb=root).output)
    assert {row["id"]: (row["meetings"], row["last_met"]) for row in rows} == {
        "donald-blome": (0, ""),
        "mohsin-naqvi": (0, ""),
    }


def _git(root, *args):
    import subprocess

    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=kb", "-c", "user.email=kb@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("format_", ["text", "md", "json"])
def test_diff_honours_the_audience(make_kb, run_kb, format_):
    from conftest import BASE_FILES

    root = _marked_kb(make_kb, "GREEN")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    red = root / "meetings/2024-07-13-naqvi-blome.yaml"
    red.write_text(red.read_text().replace("zqredtitle", "zqredchanged"))
    (root / "meetings/2024-08-01-naqvi-blome.yaml").write_text(
        textwrap.dedent(SECOND_MEETING).replace("title: Follow-up", "title: zqredadded") + "sensitivity: AMBER\n"
    )
    (root / "meetings/2024-09-01-naqvi-blome.yaml").write_text(
        textwrap.dedent(SECOND_MEETING)
        .replace("2024-08-01", "2024-09-01")
        .replace("title: Follow-up", "title: zqgreenadded")
    )
    result = run_kb("diff", "HEAD", "--format", format_, kb=root)
    assert result.exit_code == 0, result.output
    assert "zqgreenadded" in result.output and "zqred" not in result.output
    assert "2024-07-13" not in result.output and "2024-08-01" not in result.output
    if format_ == "json":
        assert json.loads(result.output)["withheld_records"] == 2
    else:
        assert "2 records with changes withheld: marked above TLP:GREEN" in result.output
    everything = run_kb("diff", "HEAD", "--format", format_, "--audience", "RED", kb=root)
    assert "zqredchanged" in everything.output and "zqredadded" in everything.output
    assert BASE_FILES  # the base files are what was committed


def test_diff_fails_closed_on_an_invalid_kb_yaml(make_kb, run_kb):
    root = _marked_kb(make_kb, "GREEN")
    with open(root / "kb.yaml", "a") as handle:
        handle.write("brief_audiense: RED\n")
    result = run_kb("diff", "HEAD", kb=root)
    assert result.exit_code == 2 and "kb: error: kb.yaml:" in result.output


# -- -o writes into what the user named -----------------------------------------------------------


def test_output_into_a_fifo_is_written_not_replaced(make_kb, run_kb, tmp_path):
    import stat
    import threading

    root = make_kb({})
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = run_kb("timeline", "donald-blome", "--format", "csv", "-o", fifo, kb=root)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith("date,date_human,") and "2024-07-13-naqvi-blome" in received[0]


def test_output_to_dev_null_leaves_the_device(make_kb, run_kb):
    import stat

    root = make_kb({})
    before = os.stat("/dev/null")
    result = run_kb("brief", "donald-blome", "--format", "md", "-o", "/dev/null", kb=root)
    assert result.exit_code == 0, result.output
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_through_a_link_writes_its_target(make_kb, run_kb, tmp_path):
    root = make_kb({})
    target = tmp_path / "briefs" / "blome.md"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    result = run_kb("brief", "donald-blome", "--format", "md", "-o", link, kb=root)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Donald Blome" in target.read_text()


@pytest.mark.parametrize("case", ["name-too-long", "inside-a-file", "read-only"])
def test_environment_errors_are_clear_errors_with_exit_1(make_kb, run_kb, tmp_path, case, monkeypatch):
    root = make_kb({})
    if case == "name-too-long":
        output = tmp_path / ("x" * 300 + ".md")
    elif case == "inside-a-file":
        (tmp_path / "plain").write_text("")
        output = tmp_path / "plain" / "brief.md"
    else:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        output = folder / "brief.md"
        if os.geteuid() == 0:  # permissions do not bind root (as CI runs): the system refuses instead
            import errno

            from kb.store import atomic

            def refused(*args, **kwargs):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))

            monkeypatch.setattr(atomic, "_temporary", refused)  # where every write makes its file
    result = run_kb("brief", "donald-blome", "--format", "md", "-o", output, kb=root)
    assert result.exit_code == 1
    assert result.output.startswith(f"kb: error: cannot write {output}: "), result.output
    assert "bug" not in result.output


def test_a_full_disk_while_formatting_is_an_environment_error(make_kb, monkeypatch):
    """Errors of the machine that reach the top are said plainly, exit 1 (not 70, a kb bug)."""
    import errno
    import subprocess
    import sys

    root = make_kb({})
    path = root / UNFORMATTED
    path.write_text(
        "title:   Spaced out\n" + path.read_text().replace("title: Interior Minister meets the US Ambassador\n", "")
    )
    script = (
        "import errno, os, sys, kb.store.atomic as a\n"
        "def full(*args, **kwargs): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), 'x.tmp')\n"
        "a.write_bytes = full\n"
        "from kb.cli import main\nsys.argv = ['kb', '--kb', sys.argv[1], 'fmt']\nmain()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert f"kb: error: x.tmp: {os.strerror(errno.ENOSPC)}" in done.stderr and "bug" not in done.stderr


# -- which files are records: subfolders read, other names reported, links never followed --------


def test_records_in_subfolders_are_read(make_kb, run_kb, check_json):
    from conftest import BASE_FILES

    root = make_kb(
        {
            "meetings/2024-07-13-naqvi-blome.yaml": None,
            "meetings/2024/2024-07-13-naqvi-blome.yaml": BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"].replace(
                "status: held", "status:     held"
            ),
        }
    )
    findings, code = check_json(root)
    assert (findings, code) == ([], 0)
    listed = run_kb("list", "meetings", "--format", "tsv", kb=root).output
    assert listed.startswith("2024-07-13\t2024-07-13-naqvi-blome\t")
    assert "meetings/2024/2024-07-13-naqvi-blome.yaml" in run_kb("fmt", "--check", kb=root).output


@pytest.mark.parametrize(
    "name",
    ["2024-08-01-x.YAML", "2024-08-01-x.Yml", "2024-08-01-x", "notes.txt", ".2024-07-13-naqvi-blome.yaml.k2j4h1x9.tmp"],
)
def test_files_kb_does_not_read_are_reported(make_kb, run_kb, check_json, name):
    root = make_kb({f"meetings/{name}": "id: whatever\n"})
    findings, code = check_json(root)
    assert code == 0  # a warning
    assert [(f["path"], f["code"], f["severity"]) for f in findings] == [(f"meetings/{name}", "KB111", "warning")]
    named = run_kb("check", "--format", "json", "--strict", root / "meetings" / name, kb=root)
    assert named.exit_code == 1 and json.loads(named.output)[0]["code"] == "KB111"
    message = findings[0]["message"] + " " + findings[0]["hint"]
    assert (
        ("temporary file" in message)
        if name.endswith(".tmp")
        else ("rename it to 2024-08-01-x.yaml" in message or "rename it to notes.yaml" in message)
    )


@pytest.mark.parametrize("linked", ["orgs", "meetings/2024"])
def test_a_linked_record_folder_is_not_followed(make_kb, run_kb, check_json, tmp_path, linked):
    from conftest import BASE_FILES

    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "pk-interior.yaml"
    secret.write_text(
        textwrap.dedent(BASE_FILES["orgs/pk-interior.yaml"]).replace(
            "name: Ministry of Interior", "name:    zqoutsidesecret"
        )
    )
    before = secret.read_bytes()
    root = make_kb({"orgs/pk-interior.yaml": None} if linked == "orgs" else {})
    if linked == "orgs":
        assert not (root / "orgs").exists()
    else:
        (root / "meetings").mkdir(exist_ok=True)
    (root / linked).symlink_to(outside, target_is_directory=True)
    findings, code = check_json(root)
    assert code == 1
    assert (linked, "KB110") in [(f["path"], f["code"]) for f in findings]
    assert "a folder that is a symbolic link; it is not followed" in json.dumps(findings)
    for command in (("check",), ("check", "--format", "github"), ("list", "orgs"), ("show", "pk-interior"), ("fmt",)):
        result = run_kb(*command, kb=root)
        assert "zqoutsidesecret" not in result.output, command
    assert secret.read_bytes() == before
    assert b"zqoutsidesecret" not in b"".join(p.read_bytes() for p in (root / ".kb-cache").glob("*.bin"))


def test_a_record_linked_out_of_the_knowledge_base_is_not_formatted(make_kb, run_kb, tmp_path):
    from conftest import BASE_FILES

    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title:   zq\n" + textwrap.dedent(BASE_FILES["orgs/pk-interior.yaml"]))
    before = outside.read_bytes()
    root = make_kb({"orgs/pk-interior.yaml": None})
    (root / "orgs").mkdir()
    (root / "orgs/pk-interior.yaml").symlink_to(outside)
    result = run_kb("fmt", kb=root)
    assert result.exit_code == 1
    assert "kb: error: cannot format orgs/pk-interior.yaml: not a plain file" in result.output
    assert outside.read_bytes() == before and (root / "orgs/pk-interior.yaml").is_symlink()


# -- templates: never through links, bounded in time and size -------------------------------------


def test_a_template_linked_out_of_the_knowledge_base_is_refused(make_kb, run_kb, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("zqenvironsecret\n")
    root = make_kb({"templates/brief.md.j2": "{% include 'leak.j2' %}\n"})
    (root / "templates/leak.j2").symlink_to(secret)
    result = run_kb("brief", "donald-blome", "--format", "md", kb=root)
    assert result.exit_code == 2
    assert "zqenvironsecret" not in result.output
    assert "template leak.j2 is a symbolic link" in result.output
    (root / "templates/other.j2").symlink_to("/proc/self/environ")
    (root / "templates/brief.md.j2").write_text("{% include 'other.j2' %}\n")
    result = run_kb("brief", "donald-blome", "--format", "md", kb=root)
    assert result.exit_code == 2 and "PATH=" not in result.output


def test_a_templates_folder_linked_elsewhere_is_refused(make_kb, run_kb, tmp_path):
    elsewhere = tmp_path / "their-templates"
    elsewhere.mkdir()
    (elsewhere / "brief.md.j2").write_text("zqforeign\n")
    root = make_kb({})
    (root / "templates").symlink_to(elsewhere)
    result = run_kb("brief", "donald-blome", "--format", "md", kb=root)
    assert result.exit_code == 2 and "zqforeign" not in result.output
    assert "the templates folder is a symbolic link or outside the knowledge base" in result.output


# A runaway template spends the whole time bound by design: a fifth of a second in the tests (kb's
# own is TIME_LIMIT_S, 30 s), enough to show that the bound stops it and names it.
RUNAWAY_BOUND = 0.2


@pytest.mark.parametrize(
    "template, message",
    [
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "took longer than 0.2 s of CPU time",
        ),
        ("{% for a in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "wrote more than 1,000,000 characters"),
        ("{{ 'x' * 10**10 }}", "a repeated value that large is not allowed"),
        ("{{ 7 ** 100000000 }}", "a power that large is not allowed"),
    ],
)
def test_templates_are_bounded(make_kb, run_kb, monkeypatch, template, message):
    from kb.rendering import templates

    monkeypatch.setattr(templates, "TIME_LIMIT_S", RUNAWAY_BOUND)
    monkeypatch.setattr(templates, "OUTPUT_LIMIT", 1_000_000)
    root = make_kb({"templates/brief.md.j2": template + "\n"})
    result = run_kb("--no-cache", "brief", "donald-blome", "--format", "md", kb=root)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("kb: error: ") and message in result.output, result.output


RUNAWAY = {
    "loop": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "{where}.j2 took longer than 0.2 s of CPU time: it was stopped; fix the template",
    ),
    "range": (
        "{% for i in range(10**10) %}{{ i }}{% endfor %}",
        "{where}.j2:2: template error: OverflowError: Range too big.",
    ),
    "recursion": (
        "{% macro deeper(n) %}{{ deeper(n + 1) }}{% endmacro %}{{ deeper(0) }}",
        "{where}.j2:2: template error: it calls itself without end",
    ),
    "memory": (
        "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{where}.j2:2: template error: it ran out of memory",
    ),
    "division": ("{{ 1 // 0 }}", "{where}.j2:2: template error: ZeroDivisionError: integer division or modulo by zero"),
}
WHERE = {
    "brief": ("brief.md.j2", ("brief", "donald-blome", "--format", "md")),
    "timeline": ("timeline.md.j2", ("timeline", "donald-blome", "--format", "md")),
    "agenda": ("due.md.j2", ("due", "--format", "md")),
    "site page": ("site/topic.html.j2", ("site", "build", "-o", "{out}")),
}


@pytest.mark.parametrize("runaway", RUNAWAY)
@pytest.mark.parametrize("command", WHERE)
def test_a_runaway_template_stops_within_the_bound_and_names_itself(
    make_kb, run_kb, monkeypatch, tmp_path, command, runaway
):
    """Briefs, timelines, agendas and every page of the site run their templates one way: bounded
    in time, and a runtime error is the template's (exit 2, its file and line), never kb's."""
    import time

    from kb.rendering import templates

    # the loop meets the time bound; the rest stop on their own, well within a longer one
    monkeypatch.setattr(templates, "TIME_LIMIT_S", RUNAWAY_BOUND if runaway == "loop" else 20)
    monkeypatch.setattr(templates, "MEMORY_LIMIT", 64 * 1024**2)
    name, args = WHERE[command]
    body, message = RUNAWAY[runaway]
    root = make_kb({f"templates/{name}": "Header\n" + body + "\n"})
    started = time.monotonic()
    result = run_kb("--no-cache", *(a.format(out=tmp_path / "site") for a in args), kb=root)
    assert time.monotonic() - started < 20
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("kb: error: "), result.stderr
    assert message.format(where=name.removesuffix(".j2")) in result.stderr, result.stderr
    assert str(root / "templates" / name) in result.stderr or runaway == "loop"
    assert "Traceback" not in result.output


# -- control characters and markup in record text -------------------------------------------------


def test_escape_sequences_are_a_finding_and_never_reach_the_terminal(make_kb, run_kb, check_json):
    from conftest import BASE_FILES

    evil = textwrap.dedent(BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"]).replace(
        "title: Interior Minister meets the US Ambassador", 'title: "Clip \\e]52;c;ZXZpbA==\\a board"'
    )
    root = make_kb({"meetings/2024-07-13-naqvi-blome.yaml": evil})
    findings, code = check_json(root)
    assert code == 1
    assert [(f["code"], f["line"], f["message"]) for f in findings] == [
        ("KB204", 2, "title holds the control character U+001B")
    ]
    for command in (
        ("list", "meetings", "--format", "table"),
        ("show", "2024-07-13-naqvi-blome"),
        ("timeline", "donald-blome", "--format", "text"),
        ("brief", "donald-blome", "--format", "text"),
    ):
        assert "\x1b]52" not in run_kb(*command, kb=root).output, command


def test_terminal_output_escapes_control_characters(monkeypatch, capsys):
    from kb.rendering import output

    monkeypatch.setattr(output, "is_terminal", lambda: True)
    output.emit("a\x1b]52;c;x\x07b\x9b\tc", None)
    assert capsys.readouterr().out == "a\\x1b]52;c;x\\x07b\\x9b\tc\n"


def test_rich_markup_in_a_title_is_shown_as_written(make_kb, run_kb):
    from conftest import BASE_FILES

    marked = textwrap.dedent(BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"]).replace(
        "title: Interior Minister meets the US Ambassador", 'title: "Talks [/] [bold]closed[/bold] [link=x]"'
    )
    root = make_kb({"meetings/2024-07-13-naqvi-blome.yaml": marked})
    for command in (
        ("list", "meetings", "--format", "table"),
        ("show", "2024-07-13-naqvi-blome"),
        ("timeline", "donald-blome", "--format", "table"),
    ):
        result = run_kb(*command, kb=root, env={"COLUMNS": "400"})
        assert result.exit_code == 0, (command, result.output)
        assert "[/]" in result.output and "[bold]closed[/bold]" in result.output, command


# -- check hints name nothing above brief_audience ------------------------------------------------


@pytest.mark.parametrize("audience", [None, "GREEN"])
def test_check_hints_do_not_name_withheld_meetings_or_outcomes(make_kb, check_json, audience):
    from conftest import BASE_FILES

    first = textwrap.dedent(BASE_FILES["meetings/2024-07-13-naqvi-blome.yaml"])
    second = (
        textwrap.dedent(SECOND_MEETING).replace("#redsecretoutcome", "#no-such-outcome")
        + "follows: [2024-07-13-naqvi-blom]\n"
    )
    kb_yaml = BASE_FILES["kb.yaml"] + (f"brief_audience: {audience}\n" if audience else "")
    marked = first.replace("  - id: dialogue\n", "  - id: dialogue\n    sensitivity: RED\n")
    root = make_kb(
        {
            "kb.yaml": kb_yaml,
            "meetings/2024-07-13-naqvi-blome.yaml": marked,
            "meetings/2024-08-01-naqvi-blome.yaml": second,
        }
    )
    findings, _ = check_json(root)
    hints = {f["code"]: f["hint"] for f in findings}
    if audience:
        assert "dialogue" not in hints["KB406"]
        marked_red = first + "sensitivity: RED\n"
        (root / "meetings/2024-07-13-naqvi-blome.yaml").write_text(marked_red)
        findings, _ = check_json(root)
        assert "2024-07-13-naqvi-blome" not in {f["code"]: f["hint"] for f in findings}["KB404"]
    else:
        assert hints["KB406"] == "its outcomes are: dialogue"
        assert "2024-07-13-naqvi-blome" in hints["KB404"]


def test_a_csv_with_two_columns_of_one_name_is_refused(tmp_path, run_kb):
    root = tmp_path / "kb"
    root.mkdir()
    (root / "kb.yaml").write_text("name: Visits\nour_side: US\n")
    (root / "topics.yaml").write_text("topics: []\n")
    path = tmp_path / "visits.csv"
    path.write_text("Date,Visitor,Country,Visitor\n2019-03-01,Jane Roe,GB,John Doe\n")
    result = run_kb(
        "import", "csv", path, "--map", "date=Date", "--map", "with=Visitor", "--map", "country=Country", kb=root
    )
    assert result.exit_code == 2
    assert (
        "visits.csv has 2 columns named 'Visitor' (columns 2, 4), mapped to with: kb would not know which to "
        "read; rename one of them in the header row"
    ) in result.output
    assert not (root / "meetings").exists() or not list((root / "meetings").iterdir())


def test_kb_new_never_writes_through_a_linked_record_folder(make_kb, run_kb, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_kb({"people/donald-blome.yaml": None, "people/mohsin-naqvi.yaml": None})
    (root / "people").symlink_to(outside, target_is_directory=True)
    result = run_kb("new", "person", "--name", "Jane Roe", "--country", "GB", kb=root)
    assert result.exit_code == 2
    assert (
        "people/jane-roe.yaml: people is a symbolic link, and kb never writes records through links" in result.output
    ), result.output
    assert list(outside.iterdir()) == []


def test_a_site_template_linked_out_of_the_knowledge_base_is_refused(make_kb, run_kb, tmp_path):
    """Read for the site's stamp without Jinja2 (kb.rendering.templates.sources), and refused as
    Jinja2's loader refuses it: a usage error naming it, its text nowhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("zqsitesecret\n")
    root = make_kb({"templates/site/.keep": ""})
    (root / "templates/site/base.html.j2").symlink_to(secret)
    result = run_kb("site", "build", "-o", tmp_path / "out", kb=root)
    assert result.exit_code == 2
    assert "zqsitesecret" not in result.output
    assert "template site/base.html.j2 is a symbolic link" in result.output
