import atexit
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from kb.cli import cli

# The default run tries a quarter of each property's examples (at least ten), so that it stays
# quick; KB_PROPERTIES=full runs the full count, as the slow step of .ci/run does
# (`KB_PROPERTIES=full pytest -m "slow or hypothesis"`: every property test again, at full size).
FULL_PROPERTIES = os.environ.get("KB_PROPERTIES") == "full"


def examples(full: int) -> int:
    """How many examples a property test tries in this run: ``full`` under KB_PROPERTIES=full."""
    return full if FULL_PROPERTIES else max(min(full, 10), full // 4)


# Property tests check what holds, never how fast: on a loaded machine one example can take
# longer than hypothesis's default deadline of 200 ms. Those that set no count of examples try
# hypothesis's default of 100, scaled as above.
settings.register_profile("kb", deadline=None, max_examples=examples(100))
settings.load_profile("kb")


REPO = Path(__file__).resolve().parents[1]
# Data some tests read, kept outside the repository: the seed articles and the visits register.
# Beside the checkout by default (../shared); KB_SHARED names another folder (a git worktree's).
SHARED = Path(os.environ.get("KB_SHARED") or REPO.parent / "shared")
VISITS = SHARED / "data" / "visits"


def copy_repository(root: Path) -> None:
    """The repository's own records (kb.yaml, topics, meetings, people, organisations) into ``root``."""
    for name in ("kb.yaml", "topics.yaml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("meetings", "people", "orgs"):
        shutil.copytree(REPO / folder, root / folder)


def keep_named(root: Path) -> None:
    """Remove the people and organisations nothing in ``root`` names: neither a meeting nor a
    person or organisation kept (an id anywhere in their text is a name, so some are kept that
    need not be). The benchmarks' generators write some 2,000 of them at any count of meetings,
    which a test of a few hundred meetings would spend most of its time reading."""
    import re

    ident = re.compile(r"[a-z0-9][a-z0-9-]*")
    records = {path.stem: path for folder in ("people", "orgs") for path in (root / folder).glob("*.yaml")}
    found = [path.read_text(encoding="utf-8") for path in (root / "meetings").glob("*.yaml")]
    kept: set[str] = set()
    while found:
        named = {word for text in found for word in ident.findall(text)} & records.keys()
        found = [records[name].read_text(encoding="utf-8") for name in named - kept]
        kept |= named
    for name, path in records.items():
        if name not in kept:
            path.unlink()


def write_hub(root: Path, count: int, dirty: bool = False) -> dict:
    """benchmarks/hub.py's knowledge base of ``count`` meetings in ``root``, with only the people
    and organisations it names (keep_named): the generator writes every holder of every post over
    thirty years (1,098 people at any count). Returns what the generator says of it."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import hub
    finally:
        sys.path.pop(0)
    info = hub.generate(count, root, dirty=dirty)
    keep_named(root)
    return info


def temporary_folder() -> str:
    """Where the tests' temporary folders go: KB_TEST_TMP if set, else a RAM file system where the
    machine has one (/dev/shm), else the system's. A run creates some 100,000 small files
    (knowledge bases, their caches, sites) and pytest removes as many from an earlier run: in
    memory that costs about a third of the system time it costs on a disk."""
    chosen = os.environ.get("KB_TEST_TMP")
    if chosen:
        return chosen
    memory = Path("/dev/shm")
    return str(memory) if memory.is_dir() and os.access(memory, os.W_OK | os.X_OK) else tempfile.gettempdir()


# Set before pytest asks for its base folder, and for every worker process of pytest-xdist too; only
# the folders of failed tests are kept (setup.cfg's tmp_path_retention_policy), so little stays in memory.
tempfile.tempdir = temporary_folder()

# The repository's records, copied once per test process: tests that only read them run kb here,
# so that nothing (kb's cache included) is ever written into the checkout.
RECORDS = Path(tempfile.mkdtemp(prefix="kb-records-"))
copy_repository(RECORDS)
atexit.register(shutil.rmtree, RECORDS, True)

CHECKOUT = pytest.StashKey[list[str] | None]()
CHANGED = pytest.StashKey[list[str]]()

# What tests may leave in the checkout: the test tools' own caches, and Python's and pip's.
TOOL_CACHES = (".pytest_cache/", ".hypothesis/", "__pycache__/", ".egg-info/", ".venv/")


def checkout_state() -> list[str] | None:
    """`git status` of the checkout, ignored files included and the tools' caches left out; None
    outside a git checkout."""
    try:
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--ignored", "--untracked-files=all"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return [line for line in status.stdout.splitlines() if not any(cache in line for cache in TOOL_CACHES)]


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the outputs tests/test_golden.py compares into tests/golden/ instead of comparing them",
    )


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # once, in the process that collects the results
        session.config.stash[CHECKOUT] = checkout_state()


def pytest_sessionfinish(session):
    """A run that changed the checkout fails, naming what changed: tests write in tmp_path only."""
    before = session.config.stash.get(CHECKOUT, None)
    after = checkout_state() if before is not None else None
    changed: list[str] = []
    if after is not None and after != before:
        changed = sorted(set(after) ^ set(before))
        if session.config.getoption("update_golden"):  # the one run allowed to write: tests/golden/
            changed = [line for line in changed if not line[3:].startswith("tests/golden/")]
    if changed:
        session.config.stash[CHANGED] = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    changed = config.stash.get(CHANGED, None)
    if changed:
        terminalreporter.section("the tests changed the checkout", red=True)
        for line in changed:
            terminalreporter.line(line)


BASE_FILES = {
    "kb.yaml": """\
        name: Test knowledge base
        our_side: PK
        default_sensitivity: CLEAR
        """,
    "topics.yaml": """\
        topics:
          - id: counter-narcotics
            label: Counter-narcotics
            synonyms: [anti-narcotics, drug control]
          - id: extradition
            label: Extradition
        """,
    "orgs/pk-interior.yaml": """\
        id: pk-interior
        name: Ministry of Interior
        country: PK
        """,
    "people/donald-blome.yaml": """\
        id: donald-blome
        name: Donald Blome
        country: US
        aliases:
          - name: Donald Bloom
            kind: spelling
          - name: Blome
            kind: weak
        roles:
          - title: Ambassador to Pakistan
            post: us-chief-of-mission-pakistan
            start: 2022-05
            end: 2024-10
        """,
    "people/mohsin-naqvi.yaml": """\
        id: mohsin-naqvi
        name: Mohsin Naqvi
        country: PK
        roles:
          - title: Interior Minister
            post: pk-interior-minister
            org: pk-interior
            start: 2024-03-11
        """,
    "meetings/2024-07-13-naqvi-blome.yaml": """\
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        location:
          place: Islamabad
          country: PK
        participants:
          - person: mohsin-naqvi
            side: PK
            title: Interior Minister
            role: lead
          - person: donald-blome
            side: US
            title: Ambassador
            role: lead
        topics: [counter-narcotics]
        outcomes:
          - id: dialogue
            kind: commitment
            text: Hold a law enforcement dialogue.
            by: [PK, US]
            owner: pk-interior
            due: 2024-10
            status: fulfilled
        sources:
          - url: https://example.org/report
            publisher: Example
        """,
}


def write_kb(root: Path, files: dict[str, str | None]) -> Path:
    """Write a knowledge base: the base files, overridden (or removed, with None) by ``files``."""
    merged = {**BASE_FILES, **files}
    for relpath, text in merged.items():
        if text is None:
            continue
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_kb(tmp_path):
    def make(files: dict[str, str | None] | None = None) -> Path:
        return write_kb(tmp_path / "kb", files or {})

    return make


@pytest.fixture
def run_kb():
    """Run the CLI as a user would; returns the click Result."""

    def run(*args, kb: Path | None = None, **kwargs):
        prefix = ["--kb", str(kb)] if kb else []
        return CliRunner().invoke(cli, [*prefix, *map(str, args)], catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def check_json(run_kb):
    """The findings of `kb check --format json` and the exit code."""

    def check(kb: Path, *args):
        result = run_kb("check", "--format", "json", *args, kb=kb)
        return json.loads(result.output), result.exit_code

    return check


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    copy_repository(root)
    return root


# The tests that drive Chromium are marked `browser` by the fixture they ask for, so that no such
# test can be left unmarked: the default run leaves them out (setup.cfg), `pytest -m browser` runs
# them, and .ci/run does as a step of its own. Chromium's work is a fifth of a default run's CPU.
BROWSER_FIXTURES = frozenset({"browser", "chromium_session"})


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection reads the markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_session():
    """One headless Chromium for every browser test of a test process (tests/browser.py): starting
    one costs more CPU than most of the tests that drive it."""
    from browser import chromium, close

    driver = chromium()
    yield driver
    close(driver)


@pytest.fixture
def browser(chromium_session):
    """The session's Chromium, as a fresh one starts: a blank page, the usual window size, and no
    console messages of an earlier test left to read."""
    chromium_session.get("about:blank")
    chromium_session.set_window_size(1280, 1600)
    chromium_session.get_log("browser")
    return chromium_session
