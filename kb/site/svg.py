"""Server-side SVG: bar charts, a heat map, a Gantt of roles and network graphs.

Everything is computed from sorted inputs with fixed geometry, so the same data give the same
bytes (a change to a chart or graph can be reviewed in a pull request). Each figure carries a
<title> and <desc> (role="img", aria-labelledby) and is drawn with a small fixed palette that the
stylesheet may override; text is escaped for XML.
"""

from __future__ import annotations

import math
from html import escape

PALETTE = ("#1f5f8b", "#c45a1a", "#2e7d4f", "#8b3a8f", "#b08900", "#5a6b7b", "#a33b3b", "#3a8f8b")


def _e(text) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """Coordinates with at most one decimal, never '-0.0': stable text for stable bytes."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(ident: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-figure" id="{_e(ident)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{_e(ident)}-title {_e(ident)}-desc">',
        f'<title id="{_e(ident)}-title">{_e(title)}</title>',
        f'<desc id="{_e(ident)}-desc">{_e(desc)}</desc>',
    ]


def stacked_bars(
    ident: str, title: str, desc: str, categories: list[str], series: list[str], values: dict[tuple[str, str], int]
) -> str:
    """Vertical bars, one per category (a year), stacked by series, with a legend."""
    width, height, left, bottom, top = 560, 260, 36, 30, 14
    legend_width = 150
    plot_w = width - left - legend_width - 10
    plot_h = height - top - bottom
    totals = [sum(values.get((c, s), 0) for s in series) for c in categories]
    peak = max(totals, default=0) or 1
    out = _open(ident, width, height, title, desc)
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis" stroke="#444"/>'
    )
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * tick / peak
        out.append(f'<text x="{left - 4}" y="{_num(y + 4)}" text-anchor="end" font-size="10">{tick}</text>')
    slot = plot_w / max(len(categories), 1)
    bar = max(min(slot * 0.7, 40), 1)
    label_every = max(1, math.ceil(len(categories) / 12))
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for j, name in enumerate(series):
            value = values.get((category, name), 0)
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar)}" height="{_num(h)}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{_e(category)}, {_e(name)}: {value}</title></rect>'
            )
        if i % label_every == 0:
            out.append(
                f'<text x="{_num(x + bar / 2)}" y="{height - bottom + 14}" text-anchor="middle" '
                f'font-size="10">{_e(category)}</text>'
            )
    for j, name in enumerate(series):
        y = top + 14 * j
        out.append(
            f'<rect x="{width - legend_width}" y="{y}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
        )
        out.append(f'<text x="{width - legend_width + 14}" y="{y + 9}" font-size="10">{_e(name[:24])}</text>')
    out.append("</svg>")
    return "\n".join(out)


def horizontal_bars(ident: str, title: str, desc: str, rows: list[tuple[str, int]]) -> str:
    width, row_h, label_w = 560, 18, 170
    height = max(len(rows), 1) * row_h + 10
    peak = max((v for _, v in rows), default=0) or 1
    out = _open(ident, width, height, title, desc)
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        w = (width - label_w - 50) * value / peak
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="11">{_e(label[:28])}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{_num(w)}" height="{row_h - 5}" fill="{PALETTE[0]}"/>')
        out.append(f'<text x="{_num(label_w + w + 4)}" y="{y + 12}" font-size="11">{value}</text>')
    out.append("</svg>")
    return "\n".join(out)


def heat_map(
    ident: str, title: str, desc: str, rows: list[str], columns: list[str], values: dict[tuple[str, str], int]
) -> str:
    cell, label_w, top = 30, 190, 30
    columns_shown = columns[-20:]
    width = label_w + cell * max(len(columns_shown), 1) + 10
    height = top + cell * max(len(rows), 1) + 6
    peak = max(values.values(), default=0) or 1
    out = _open(ident, width, height, title, desc)
    for j, column in enumerate(columns_shown):
        out.append(
            f'<text x="{label_w + cell * j + cell / 2:.0f}" y="{top - 8}" text-anchor="middle" '
            f'font-size="9">{_e(column)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + cell * i
        out.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="11">{_e(short(row, 30))}</text>')
        for j, column in enumerate(columns_shown):
            value = values.get((row, column), 0)
            shade = 0.08 + 0.92 * value / peak if value else 0.0
            out.append(
                f'<rect x="{label_w + cell * j}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{PALETTE[0]}" fill-opacity="{shade:.2f}" stroke="#ccc" stroke-width="0.5">'
                f"<title>{_e(row)}, {_e(column)}: {value}</title></rect>"
            )
    out.append("</svg>")
    return "\n".join(out)


def gantt(
    ident: str, title: str, desc: str, bars: list[tuple[str, float, float, bool]], first_year: int, last_year: int
) -> str:
    """Roles over time: (label, start as a fractional year, end, open-ended)."""
    width, row_h, label_w = 620, 20, 250
    height = len(bars) * row_h + 26
    span = max(last_year + 1 - first_year, 1)
    scale = (width - label_w - 24) / span
    out = _open(ident, width, height, title, desc)
    step = max(1, math.ceil(span / 10))
    for year in range(first_year, last_year + 2, step):
        x = label_w + (year - first_year) * scale
        out.append(f'<line x1="{_num(x)}" y1="0" x2="{_num(x)}" y2="{height - 16}" stroke="#ddd"/>')
        out.append(f'<text x="{_num(x)}" y="{height - 4}" text-anchor="middle" font-size="10">{year}</text>')
    faded = ' fill-opacity="0.6"'
    for i, (label, start, end, open_ended) in enumerate(bars):
        y = 4 + i * row_h
        x = label_w + (start - first_year) * scale
        w = max((end - start) * scale, 2)
        out.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="11">{_e(short(label, 38))}</text>'
        )
        out.append(
            f'<rect x="{_num(x)}" y="{y + 2}" width="{_num(w)}" height="{row_h - 6}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"{faded if open_ended else ""}>'
            f"<title>{_e(label)}</title></rect>"
        )
    out.append("</svg>")
    return "\n".join(out)


def network(
    ident: str,
    title: str,
    desc: str,
    nodes: list[dict],
    edges: list[tuple[str, str, int]],
    centre: str | None = None,
    size: int = 560,
) -> str:
    """A graph with a deterministic circular layout: ``nodes`` (dicts with id, label, kind, href)
    in the order given round the circle, or with ``centre`` in the middle and the others round it.
    Edges are drawn with a width growing with their weight (the meetings in common)."""
    radius = size / 2 - 145
    cx = cy = size / 2
    ring = [n for n in nodes if n["id"] != centre]
    places = {}
    for i, node in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(ring), 1)
        places[node["id"]] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    if centre is not None:
        places[centre] = (cx, cy, 0.0)
    peak = max((w for _, _, w in edges), default=1)
    out = _open(ident, size, size, title, desc)
    out.append('<g class="edges" stroke="#8a99a8" stroke-opacity="0.7">')
    for a, b, weight in edges:
        if a not in places or b not in places:
            continue
        (x1, y1, _), (x2, y2, _) = places[a], places[b]
        out.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke-width="{_num(0.8 + 4 * weight / peak)}"><title>{weight} meeting'
            f"{'' if weight == 1 else 's'}</title></line>"
        )
    out.append("</g>")
    colours = {"person": PALETTE[0], "org": PALETTE[2], "country": PALETTE[1]}
    for node in nodes:
        if node["id"] not in places:
            continue
        x, y, angle = places[node["id"]]
        r = 9 if node["id"] == centre else 6
        shape = (
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{r}" fill="{colours.get(node["kind"], PALETTE[5])}">'
            f"<title>{_e(node['label'])} ({_e(node['kind'])})</title></circle>"
        )
        if node["id"] == centre:
            anchor, lx, ly = "middle", x, y - 14
        else:
            right = math.cos(angle) >= -1e-9
            anchor = "start" if right else "end"
            lx = x + (10 if right else -10) * 1
            ly = y + 4
        label = (
            f'<text x="{_num(lx)}" y="{_num(ly)}" text-anchor="{anchor}" font-size="10" '
            f'direction="ltr" unicode-bidi="plaintext">{_e(short(node["label"]))}</text>'
        )
        if node.get("href"):
            out.append(f'<a href="{_e(node["href"])}">{shape}{label}</a>')
        else:
            out.append(shape + label)
    out.append("</svg>")
    return "\n".join(out)


def laid_out_network(
    ident: str,
    title: str,
    desc: str,
    nodes: list[dict],
    edges: list[dict],
    at: dict[str, tuple[float, float]],
    box: tuple,
) -> str:
    """A graph whose places were computed elsewhere (kb.site.layout): ``nodes`` (dicts with id,
    label, kind, href, colour, meetings, years) as labelled boxes centred on ``at``, ``edges``
    (a, b, weight, years) as lines thicker for more meetings. ``box`` is (width of a label,
    height): the boxes the layout kept apart. Nodes and lines carry ``data-years`` for a filter."""
    width_of, height = box
    margin = 12
    right = max((at[n["id"]][0] + width_of(n["label"]) / 2 for n in nodes), default=0) + margin
    bottom = max((at[n["id"]][1] + height / 2 for n in nodes), default=0) + margin
    shift_x = min((at[n["id"]][0] - width_of(n["label"]) / 2 for n in nodes), default=0) - margin
    shift_y = min((at[n["id"]][1] - height / 2 for n in nodes), default=0) - margin
    width, tall = math.ceil(right - shift_x), math.ceil(bottom - shift_y)
    at = {key: (x - shift_x, y - shift_y) for key, (x, y) in at.items()}
    out = _open(ident, width, tall, title, desc)
    out.append('<g class="edges" stroke="#8a99a8" stroke-opacity="0.75">')
    peak = max((e["weight"] for e in edges), default=1)
    label = {n["id"]: n["label"] for n in nodes}
    for e in edges:
        (x1, y1), (x2, y2) = at[e["a"]], at[e["b"]]
        count = e["weight"]
        out.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke-width="{_num(1 + 5 * count / peak)}" data-years="{e["years"]}">'
            f"<title>{_e(label[e['a']])} and {_e(label[e['b']])}: {count} meeting{'' if count == 1 else 's'}"
            "</title></line>"
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for n in nodes:
        out.append(_box(n, at[n["id"]], width_of(n["label"]), height))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _box(node: dict, at: tuple[float, float], width: float, height: float) -> str:
    """One node: a box the size of its label (rounder for people, outlined for countries)."""
    x, y = at
    country = node["kind"] == "country"
    fill, ink = ("#ffffff", "#1b1b1b") if country else (node["colour"], "#ffffff")
    stroke = f' stroke="{node["colour"]}" stroke-width="2"' if country else ""
    radius = 9 if node["kind"] == "person" else 2
    count = node["meetings"]
    shape = (
        f'<rect x="{_num(x - width / 2)}" y="{_num(y - height / 2)}" width="{_num(width)}" height="{_num(height)}" '
        f'rx="{radius}" fill="{fill}"{stroke}/>'
    )
    text = (
        f'<text x="{_num(x)}" y="{_num(y + 4)}" text-anchor="middle" font-size="11" fill="{ink}" '
        f'direction="ltr" unicode-bidi="plaintext">{_e(node["label"])}</text>'
    )
    tip = f"<title>{_e(node['label'])} ({_e(node['kind'])}): {count} meeting{'' if count == 1 else 's'}</title>"
    body = f"{tip}{shape}{text}"
    if node.get("href"):
        body = f'<a href="{_e(node["href"])}">{body}</a>'
    return f'<g class="node" data-years="{node["years"]}">{body}</g>'


def sparkline(ident: str, title: str, counts: list[int], first_year: int) -> str:
    """Meetings per year as a row of small bars; the description gives every year's number."""
    step = 4 if len(counts) <= 30 else 2
    width, height = max(len(counts), 1) * step, 16
    peak = max(counts, default=0) or 1
    desc = ", ".join(f"{first_year + i}: {count}" for i, count in enumerate(counts) if count)
    out = _open(ident, width, height, title, desc)
    out[0] = out[0].replace('class="kb-figure"', 'class="spark"')
    for i, count in enumerate(counts):
        if count:
            h = max(height * count / peak, 1.5)
            out.append(
                f'<rect x="{i * step}" y="{_num(height - h)}" width="{step - 1}" height="{_num(h)}" fill="{PALETTE[0]}"/>'
            )
    out.append(f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" stroke="#bbb" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)
