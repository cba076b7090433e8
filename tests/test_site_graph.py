"""The site's graph of who met whom, laid out by Graphviz's neato, and the neighbourhood table of a
person or organisation: on the repository's records and on a generated hub-shaped knowledge base."""

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

# Without Graphviz these are skipped, except under CI=true, where they run and fail (as the browser tests).
pytestmark = pytest.mark.skipif(
    shutil.which("neato") is None and os.environ.get("CI") != "true", reason="no Graphviz: apt-get install graphviz"
)

FONT = 11


def build(run_kb, kb, out):
    result = run_kb("site", "build", "-o", out, kb=kb)
    assert result.exit_code == 0, result.output
    return out


def label_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Each node label of the graph as (text, left, top, right, bottom): centred text, its width
    estimated as 0.6 em a character, from the baseline up 0.8 em and down 0.2 em."""
    boxes = []
    for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle"[^>]*>([^<]*)</text>', svg):
        text = unescape(text)
        half = len(text) * FONT * 0.6 / 2
        boxes.append((text, float(x) - half, float(y) - 0.8 * FONT, float(x) + half, float(y) + 0.2 * FONT))
    return boxes


def overlapping(boxes):
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def test_the_repository_graph_leaves_our_side_out_no_label_overlaps_and_two_builds_match(run_kb, repo, tmp_path):
    first = build(run_kb, repo, tmp_path / "one")
    second = build(run_kb, repo, tmp_path / "two")
    svg = (first / "graph.svg").read_text()
    assert svg == (second / "graph.svg").read_text()
    assert (first / "graph.html").read_bytes() == (second / "graph.html").read_bytes()
    boxes = label_boxes(svg)
    assert sorted(b[0] for b in boxes) == [
        "British High Commission Islamabad",
        "Donald Blome",
        "Embassy of the United States, Islamabad",
        "Graeme Biggar",
        "Jane Marriott",
        "NCA",
        "Natalie Baker",
        "United Kingdom",
        "United States",
    ]
    assert overlapping(boxes) == []
    page = (first / "graph.html").read_text()
    assert "<strong>Pakistan, our own side, is left out</strong>" in page
    assert "All 9 are drawn." in page
    # a line for each pair of counterparts in one meeting: the five of the British one (10 pairs);
    # the US, its embassy, Blome and Baker (5: Blome and Baker never met together)
    assert svg.count("<line ") == 10 + 5
    assert (
        'data-years="2024:1 2025:1 2026:1"><title>United States and Embassy of the United States, Islamabad: 3 meetings'
        in svg
    )


def test_the_neighbourhood_of_a_person_is_who_sat_across_the_table(run_kb, repo, tmp_path):
    out = build(run_kb, repo, tmp_path / "site")
    page = (out / "people/mohsin-naqvi.html").read_text()
    section = page[
        page.index('<section class="neighbourhood"') : page.index("</section>", page.index("neighbourhood-h"))
    ]
    rows = re.findall(
        r'<tr><td><a href="\.\./([^"]+)"[^>]*>([^<]+)</a></td><td>(\d+)</td><td class="date">([^<]+)</td>', section
    )
    assert rows == [
        ("people/natalie-baker.html", "Natalie Baker", "2", "2026-01-24"),
        ("orgs/us-embassy-islamabad.html", "Embassy of the United States, Islamabad", "1", "2025-12-06"),
        ("people/graeme-biggar.html", "Graeme Biggar", "1", "2025-11-13"),
        ("people/jane-marriott.html", "Jane Marriott", "1", "2025-11-13"),
        ("people/donald-blome.html", "Donald Blome", "1", "2024-07-13"),
    ]
    assert "Per year, 2024–2026" in section
    # Natalie Baker's sparkline: nothing in 2024, one meeting in 2025 and one in 2026
    assert section.count('<rect x="4" y="0" width="3" height="16"') == 4
    # the other way round: a counterpart's table has our minister, once per meeting
    baker = (out / "people/natalie-baker.html").read_text()
    assert re.search(r'>Mohsin Naqvi</a></td><td>2</td><td class="date">2026-01-24</td>', baker)
    org = (out / "orgs/uk-national-crime-agency.html").read_text()
    assert re.search(r'>Mohsin Naqvi</a></td><td>1</td><td class="date">2025-11-13</td>', org)


def test_without_graphviz_the_page_says_so_and_keeps_its_tables(repo, tmp_path):
    kb_script = Path(sys.executable).parent / "kb"
    out = tmp_path / "site"
    result = subprocess.run(
        [str(kb_script), "--kb", str(repo), "site", "build", "-o", str(out)],
        env={"PATH": str(kb_script.parent), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "graph.html").read_text()
    assert "No drawing: Graphviz's <code>neato</code> was not found" in page
    assert "<svg" not in page.split('<main id="main">')[1]
    assert not (out / "graph.svg").exists()
    assert ">Natalie Baker</a></td><td>US</td><td>2</td>" in page


def test_a_hub_knowledge_base_draws_its_top_60_counterparts_without_our_minister(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import hub
    finally:
        sys.path.pop(0)
    from kb.site.graph import Graph
    from kb.store.loader import load

    hub.generate(2000, tmp_path / "hub")
    kb = load(tmp_path / "hub", use_cache=False)
    counterparts = set()
    for meeting in kb.meetings.values():
        for p in meeting.participants:
            if p.side != "PK":
                counterparts |= {f"country:{p.side}", f"person:{p.person}", f"org:{p.org}"}
    counterparts -= {"person:None", "org:None"}
    whole = Graph(kb).whole()
    svg = str(whole["svg"])
    assert svg.count('<g class="node"') == 60
    assert f"{len(counterparts) - 60} less often met counterparts are left out." in svg
    assert whole["left_out"] == len(counterparts) - 60 > 500
    labels = [b[0] for b in label_boxes(svg)]
    assert "Pakistan" not in labels and not any("Naqvi" in label for label in labels)
    assert overlapping(label_boxes(svg)) == []
    assert str(Graph(kb).whole()["svg"]) == svg
