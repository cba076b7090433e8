"""Graph layout by Graphviz's ``neato`` (Debian's ``graphviz`` package), run as a program.

Each node is a box the size of its label, so Graphviz's overlap removal (``overlap=prism`` with a
margin, ``sep``) keeps every label clear of every other; disconnected groups are laid out apart and
packed (``pack``). Stress majorization from a fixed start (``start=1``) over inputs in sorted order:
the same graph gives the same positions with the same Graphviz, so the version is part of the
site's input stamp. Without ``neato`` on the PATH ``positions`` returns None and the caller says so.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from kb.errors import KBError

PROGRAM = "neato"
TIMEOUT = 120
POINTS = 72.0  # Graphviz speaks inches; the SVG, points (one point a pixel)


@functools.cache
def version() -> str | None:
    """``neato -V``'s line, or None when Graphviz is not installed."""
    found = shutil.which(PROGRAM)
    if found is None:
        return None
    try:
        run = subprocess.run([found, "-V"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return (run.stderr or run.stdout).strip() or None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_source(boxes: list[tuple[str, float, float]], edges: list[tuple[str, str, float]]) -> str:
    """The graph for neato: boxes (id, width, height in points), edges (a, b, preferred length
    in points), both in the order given."""
    lines = [
        "graph kb {",
        '  graph [start=1, mode=major, overlap=prism, overlap_scaling=-4, sep="+8", pack=16, '
        "splines=false, outputorder=edgesfirst];",
        '  node [shape=box, fixedsize=true, label=""];',
    ]
    for ident, width, height in boxes:
        lines.append(f"  {_quote(ident)} [width={width / POINTS:.3f}, height={height / POINTS:.3f}];")
    for a, b, length in edges:
        lines.append(f"  {_quote(a)} -- {_quote(b)} [len={length / POINTS:.3f}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def positions(
    boxes: list[tuple[str, float, float]], edges: list[tuple[str, str, float]]
) -> dict[str, tuple[float, float]] | None:
    """The centre of every box in points, y downwards, the whole shifted to start at (0, 0); None
    without Graphviz."""
    found = shutil.which(PROGRAM)
    if found is None or not boxes:
        return None
    try:
        run = subprocess.run(
            [found, "-Tplain"],
            input=dot_source(boxes, edges),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise KBError(f"{found}: could not lay out the graph ({error}); reinstall graphviz") from error
    if run.returncode != 0:
        raise KBError(f"{found}: could not lay out the graph: {run.stderr.strip()[:300]}; reinstall graphviz")
    return _parse_plain(run.stdout, {ident for ident, _, _ in boxes})


def _parse_plain(text: str, wanted: set[str]) -> dict[str, tuple[float, float]]:
    height = 0.0
    found: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        if line.startswith("graph "):
            height = float(line.split()[3]) * POINTS
        elif line.startswith("node "):
            ident, rest = _first_field(line[5:])
            x, y = rest.split()[:2]
            if ident in wanted:
                found[ident] = (float(x) * POINTS, height - float(y) * POINTS)
    return found


def _first_field(text: str) -> tuple[str, str]:
    """The node name of a ``-Tplain`` line (quoted when it is not a plain word) and the rest."""
    if not text.startswith('"'):
        name, _, rest = text.partition(" ")
        return name, rest
    out, i = [], 1
    while text[i] != '"':
        if text[i] == "\\" and text[i + 1] in '"\\':
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out), text[i + 2 :]
