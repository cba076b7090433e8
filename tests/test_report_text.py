"""`kb check`'s text output: written directly, colour only on a terminal, record text inert."""

import io

from kb.model.findings import Finding
from kb.rendering.report import print_text

FINDINGS = [
    Finding("meetings/a.yaml", 4, 7, "warning", "KB601", "probably the same meeting", "merge the two"),
    Finding("meetings/b.yaml", 0, 0, "error", "KB402", "unknown topic 'x\x1b[2Jy\r'", ""),
]


def text(colour):
    stream = io.StringIO()
    print_text(FINDINGS, 12, stream, colour=colour)
    return stream.getvalue()


def test_plain_text_when_piped(make_kb, run_kb):
    root = make_kb(
        {
            "meetings/2024-07-13-naqvi-blome.yaml": None,
            "meetings/2024-07-14-x.yaml": "id: 2024-07-14-x\ntitle: X\ndate: 2024-07-14\nstatus: held\n"
            "participants:\n  - person: mohsin-naqvi\n    side: PK\n"
            "topics: [narcotics]\nsources:\n  - url: https://example.org\n",
        }
    )
    result = run_kb("check", kb=root)
    assert result.exit_code == 1
    assert result.output == (
        "meetings/2024-07-14-x.yaml:8:10: error[KB402] unknown topic 'narcotics'\n"
        "    hint: did you mean 'counter-narcotics'?\n"
        "6 files checked: 1 error, 0 warnings\n"
    )


def test_findings_as_text():
    assert text(False) == (
        "meetings/a.yaml:4:7: warning[KB601] probably the same meeting\n"
        "    hint: merge the two\n"
        "meetings/b.yaml: error[KB402] unknown topic 'x\\x1b[2Jy\\r'\n"
        "12 files checked: 1 error, 1 warning\n"
    )


def test_colour_codes_only_for_a_terminal(monkeypatch):
    coloured = text(True)
    assert coloured.splitlines()[0] == (
        "\x1b[1mmeetings/a.yaml:4:7\x1b[0m: \x1b[33mwarning\x1b[0m[\x1b[36mKB601\x1b[0m] probably the same meeting"
    )
    # the record's own escape character is still shown, not obeyed
    assert "'x\\x1b[2Jy\\r'" in coloured and "\x1b[2J" not in coloured
    stream = io.StringIO()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    print_text([], 3, stream)
    assert stream.getvalue() == "\x1b[32m3 files checked: 0 errors, 0 warnings. All good.\x1b[0m\n"
    monkeypatch.setenv("NO_COLOR", "1")
    stream = io.StringIO()
    print_text([], 3, stream)
    assert stream.getvalue() == "3 files checked: 0 errors, 0 warnings. All good.\n"
