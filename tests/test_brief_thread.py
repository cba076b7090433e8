"""Briefs in every format carry a commitment's dated update notes, the thread of follow-ups
between meetings, and every source's address; print keeps the marking on every page; an output
file kb cannot write is refused."""

import re

import html5lib
import pytest
from conftest import RECORDS

BAKER_1 = (
    "6 December 2025 — Interior Minister Naqvi meets US Chargé d'Affaires Baker on narcotics and illegal migration"
)
BAKER_2 = (
    "24 January 2026 — Interior Minister Naqvi meets US Chargé d'Affaires Baker on visa fraud and illegal migration"
)
LAPSED = (
    "24 November 2026: lapsed — No report found that the dialogue was held in October 2024 or later "
    "(searched 2026-11-24); treated as lapsed until a source shows it took place."
)

SECOND = """\
    id: 2024-11-02-naqvi-blome
    title: Naqvi and Blome take stock
    date: 2024-11-02
    status: held
    follows: [2024-07-13-naqvi-blome]
    participants:
      - person: mohsin-naqvi
        side: PK
        title: Interior Minister
        role: lead
      - person: donald-blome
        side: US
        title: Ambassador to Pakistan
        role: lead
    outcomes:
      - id: dialogue-date
        kind: commitment
        text: Fix a new date for the dialogue.
        by: [PK, US]
        follows_up: 2024-07-13-naqvi-blome#dialogue
        status: fulfilled
        updates:
          - date: 2024-12-01
            status: fulfilled
            note: A date in January was agreed by letter.
    sources:
      - url: https://example.org/stock-take
        publisher: Example
    """


def test_markdown_shows_update_notes_and_the_thread(run_kb):
    md = run_kb("brief", "natalie-baker", "--format", "md", kb=RECORDS).stdout
    assert f"**Follows:** {BAKER_1}\n" in md
    assert f"**Followed by:** {BAKER_2}\n" in md
    assert f"— lapsed, due October 2024\n  - {LAPSED}\n" in md


def test_follow_ups_of_outcomes_in_every_format(make_kb, run_kb):
    root = make_kb({"meetings/2024-11-02-naqvi-blome.yaml": SECOND})
    assert run_kb("check", kb=root).exit_code == 0
    md = run_kb("brief", "donald-blome", "--format", "md", kb=root).stdout
    assert (
        "- **commitment** (Pakistan, United States): Fix a new date for the dialogue. — fulfilled\n"
        "  - follows up 'dialogue' of 13 July 2024 — Interior Minister meets the US Ambassador\n"
        "  - 1 December 2024: fulfilled — A date in January was agreed by letter.\n"
    ) in md
    assert "**Followed by:** 2 November 2024 — Naqvi and Blome take stock\n" in md

    html = run_kb("brief", "donald-blome", "--format", "html", kb=root).stdout
    html5lib.HTMLParser(strict=True).parse(html)
    assert (
        '<li>follows up ‘dialogue’ of <a href="#m-2024-07-13-naqvi-blome">13 July 2024 — Interior Minister '
        "meets the US Ambassador</a></li>"
    ) in html
    assert "<li>1 December 2024: fulfilled — A date in January was agreed by letter.</li>" in html
    assert (
        '<strong>Follows:</strong> <a href="#m-2024-07-13-naqvi-blome">13 July 2024 — Interior Minister meets '
        "the US Ambassador</a>"
    ) in html

    text = run_kb("brief", "donald-blome", "--format", "text", kb=root).stdout
    assert "follows up 'dialogue' of 13 July 2024 — Interior Minister meets the US Ambassador" in text
    assert "1 December 2024: fulfilled — A date in January was agreed by letter." in text
    assert "Followed by: 2 November 2024 — Naqvi and Blome take stock" in text


def test_text_shows_every_source_url(run_kb):
    md = run_kb("brief", "US", "--format", "md", kb=RECORDS).stdout
    urls = set(re.findall(r"\]\((https?://[^)]+)\)", md))
    assert len(urls) > 5
    text = run_kb("brief", "US", "--format", "text", kb=RECORDS).stdout
    flat = "".join(text.split())  # a long address may wrap across lines
    assert [url for url in sorted(urls) if url not in flat] == []


def test_printed_html_keeps_the_marking_on_every_page_and_rows_together(make_kb, run_kb):
    html = run_kb("brief", "donald-blome", "--format", "html", "--audience", "GREEN", kb=RECORDS).stdout
    assert (
        '<style media="print">@page { @top-right { content: "TLP:GREEN"; } @bottom-right { content: "TLP:GREEN"; } }'
        "</style>" in html
    )
    css = html[html.index("@media print") :]
    assert "@page { margin: 16mm 14mm;" in css
    assert "tr, li, blockquote, dl.facts, p.meta, p.thread-links { break-inside: avoid-page; }" in css
    assert "h1, h2, h3 { break-after: avoid-page;" in css
    assert "thead { display: table-header-group; }" in css


@pytest.mark.parametrize(
    ("command", "name", "message"),
    [
        ("brief", "brief.pdf", "kb cannot write a .pdf file here (for a PDF, write .html and print it from a browser)"),
        ("brief", "x.xlsx", "kb cannot write a .xlsx file here; use one of .htm, .html, .json, .markdown, .md, .txt"),
        ("brief", "x.csv", "kb cannot write a .csv file here"),
        ("timeline", "x.xlsx", "kb cannot write a .xlsx file here; use one of .csv, .htm, .html, .ics"),
    ],
)
def test_an_output_suffix_kb_cannot_write_is_refused(run_kb, tmp_path, command, name, message):
    result = run_kb(command, "donald-blome", "-o", tmp_path / name, kb=RECORDS)
    assert result.exit_code == 2
    assert message in result.output and result.output.startswith("kb: error: -o ")
    assert list(tmp_path.iterdir()) == []
    forced = run_kb(command, "donald-blome", "-o", tmp_path / name, "--format", "json", kb=RECORDS)
    assert forced.exit_code == 0 and (tmp_path / name).read_text().startswith("{")
