"""`kb brief` and `kb timeline` on the repository's records, in every format they offer, compared
byte for byte with the outputs stored in tests/golden/.

The date is fixed (`--as-of`, and SOURCE_DATE_EPOCH for the calendar's DTSTAMP), so the outputs do
not change with the day the tests run. After a change to what kb writes, regenerate them with

    pytest tests/test_golden.py --update-golden

and review the difference (`git diff tests/golden`) before committing it.
"""

from pathlib import Path

import pytest
from conftest import RECORDS

GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2026-06-30"  # after every record: the whole history, as any later day shows it
EPOCH = "1782777600"  # 2026-06-30T00:00:00Z, the calendar's DTSTAMP

BRIEF_FORMATS = ("md", "html", "json", "text")
TIMELINE_FORMATS = ("table", "text", "md", "html", "json", "csv", "ics", "mermaid")
BRIEF_SUBJECTS = ("natalie-baker", "US", "uk-national-crime-agency")
TIMELINE_SUBJECTS = ("US", "natalie-baker")

CASES = [
    *[("brief", s, f, AS_OF) for s in BRIEF_SUBJECTS for f in BRIEF_FORMATS],
    *[("timeline", s, f, AS_OF) for s in TIMELINE_SUBJECTS for f in TIMELINE_FORMATS],
    # what was known at the end of 2024: one meeting, Natalie Baker not yet in post
    *[("brief", "US", f, "2024-12-31") for f in BRIEF_FORMATS],
    *[("timeline", "US", f, "2024-12-31") for f in ("text", "json")],
]


def golden_path(command: str, subject: str, format_: str, as_of: str) -> Path:
    return GOLDEN / command / f"{subject}-{as_of}.{format_}"


@pytest.mark.parametrize(("command", "subject", "format_", "as_of"), CASES, ids=["-".join(case) for case in CASES])
def test_output_is_exactly_the_golden_file(request, monkeypatch, run_kb, command, subject, format_, as_of):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("COLUMNS", "100")  # rich's table and text: the same width on any terminal
    for name in ("FORCE_COLOR", "NO_COLOR", "KB_DIR"):
        monkeypatch.delenv(name, raising=False)
    result = run_kb(command, subject, "--format", format_, "--as-of", as_of, kb=RECORDS)
    assert result.exit_code == 0, result.output
    path = golden_path(command, subject, format_, as_of)
    if request.config.getoption("update_golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8", newline="")
    assert path.is_file(), f"{path} is missing: run `pytest tests/test_golden.py --update-golden`"
    with path.open(encoding="utf-8", newline="") as stored:  # exactly: line endings too
        expected = stored.read()
    assert result.stdout == expected, f"{path} differs: if the change is meant, run with --update-golden"


def test_every_golden_file_is_compared():
    """A golden file no case writes any more is stale: regenerating leaves it, so it must go."""
    expected = {golden_path(*case) for case in CASES}
    assert sorted(p for p in GOLDEN.rglob("*") if p.is_file()) == sorted(expected)
