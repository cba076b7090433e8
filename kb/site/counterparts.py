"""Who meets whom, seen from our desk: the counterparts' map of the whole knowledge base and the
neighbourhood of one person or organisation.

Our own side is in nearly every meeting (the hub): drawn like any counterpart it would join
everything to itself and make a star. The map therefore leaves our side out and is drawn from
the counterparts alone: their people, organisations and countries, each sized by the meetings
with us it attended, and joined by the meetings they attended together. Only the ``LIMIT`` met
most often are drawn (the page says how many were left out); Graphviz's ``neato`` places them
(kb.site.layout), each country's people beside their country, no label over another. Every node
and line carries the years of its meetings, for the page's time filter.

A neighbourhood is the other side of the table: the people (or, when a participant has no
person, the organisations) who sat on another side of a meeting of the record, with how often and
when they met last, and the meetings per year as a sparkline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import combinations, repeat
from typing import Any

from markupsafe import Markup

from kb.model import countries
from kb.model.records import KnowledgeBase, Meeting
from kb.query import scope
from kb.site import layout, svg

LIMIT = 60
NEIGHBOURS = 15
FONT = 11
BOX_HEIGHT = 20.0


def label_width(text: str, size: float = FONT) -> float:
    """A label's width in the SVG, a little over what a sans-serif font takes (0.62 em a
    character) plus the box's padding; the tests measure with the same rule."""
    return round(len(text) * size * 0.62 + 12, 1)


class Counterparts:
    """The counterparts (never our side) of every meeting, with their years and pairs.
    ``counterparts_of(meeting)`` gives a meeting's as (person, org, side), as
    kb.query.scope.counterparts names them, when they are known already (kb.site.pages.Site)."""

    def __init__(self, kb: KnowledgeBase, counterparts_of=None):
        self.kb = kb
        self.counterparts_of = counterparts_of or (
            lambda meeting: [(c.person, c.org, c.side) for c in scope.counterparts(kb, meeting)]
        )
        # Each meeting's (key, year), (key, side) and ((key, key), year), counted in C at the end:
        # a hub's meetings make hundreds of thousands of pairs.
        years: list[tuple[str, int]] = []
        sides: list[tuple[str, str]] = []
        pairs: list[tuple[tuple[str, str], int]] = []
        last: dict[str, Meeting] = {}
        for meeting in kb.sorted_meetings:
            found = self._keys(meeting, sides)
            year = meeting.date.year
            years += zip(found, repeat(year))
            last.update(zip(found, repeat(meeting)))  # meetings come in date order
            if len(found) > 1:
                pairs += zip(combinations(sorted(found), 2), repeat(year))
        self.years: dict[str, dict[int, int]] = _grouped(years)
        self.sides: dict[str, dict[str, int]] = _grouped(sides)
        self.pairs: dict[tuple[str, str], dict[int, int]] = _grouped(pairs)
        self.last = {key: str(meeting.date) for key, meeting in last.items()}

    def _keys(self, meeting: Meeting, sides: list[tuple[str, str]]) -> set[str]:
        """The meeting's counterparts (kb.query.scope.counterparts, as every page names them), each
        as a country, a person and an organisation key; each key's side added to ``sides``."""
        found: set[str] = set()
        for person, org, side in self.counterparts_of(meeting):
            keys = [f"country:{side}"]
            if person:
                keys.append(f"person:{person}")
            if org:
                keys.append(f"org:{org}")
            found.update(keys)
            sides += zip(keys, repeat(side))
        return found

    def country_of(self, key: str) -> str:
        kind, ident = key.split(":", 1)
        if kind == "country":
            return ident
        sides = self.sides[key]
        return min(sides, key=lambda s: (-sides[s], s))

    def ranked(self) -> list[str]:
        return sorted(self.years, key=lambda k: (-sum(self.years[k].values()), k))


def _grouped(pairs: list[tuple]) -> dict:
    """{a: {b: how many times (a, b) is in ``pairs``}}."""
    found: dict = {}
    for (a, b), times in Counter(pairs).items():
        found.setdefault(a, {})[b] = times
    return found


def years_attribute(years: Mapping[int, int]) -> str:
    """``2023:2 2024:1``: the meetings of each year, for the page's time filter."""
    return " ".join(f"{year}:{years[year]}" for year in sorted(years))


def whole_map(kb: KnowledgeBase, node, limit: int = LIMIT, counterparts_of=None) -> dict | None:
    """The counterparts' map: the figure (None without Graphviz), its nodes and lines as tables,
    how many were left out. ``node(key)`` gives a key's label, kind and link; ``counterparts_of``
    a meeting's counterparts (``Counterparts``)."""
    seen = Counterparts(kb, counterparts_of)
    ranked = seen.ranked()
    if not ranked:
        return None
    chosen = sorted(ranked[:limit])
    nodes: list[dict[str, Any]] = []
    for key in chosen:
        years = seen.years[key]
        nodes.append(
            {
                **node(key),
                "meetings": sum(years.values()),
                "last": seen.last[key],
                "country": seen.country_of(key),
                "years": years_attribute(years),
            }
        )
    inside = set(chosen)
    edges: list[dict[str, Any]] = [
        {"a": a, "b": b, "weight": sum(years.values()), "years": years_attribute(years)}
        for (a, b), years in sorted(seen.pairs.items())
        if a in inside and b in inside
    ]
    all_years = sorted({year for key in chosen for year in seen.years[key]})
    figure = _figure(nodes, edges, len(ranked) - len(chosen), kb)
    by_id = {n["id"]: n for n in nodes}
    return {
        **figure,
        "nodes": sorted(nodes, key=lambda n: (-n["meetings"], n["id"])),
        "edges": [
            {**e, "a": by_id[e["a"]], "b": by_id[e["b"]]}
            for e in sorted(edges, key=lambda e: (-e["weight"], e["a"], e["b"]))
        ],
        "left_out": len(ranked) - len(chosen),
        "total": len(ranked),
        "first_year": all_years[0],
        "last_year": all_years[-1],
        "our_side": countries.name(kb.our_side) or kb.our_side,
    }


def _figure(nodes: list[dict], edges: list[dict], left_out: int, kb: KnowledgeBase) -> dict:
    """The SVG of the map laid out by Graphviz, or the reason there is none."""
    version = layout.version()
    if version is None:
        return {"svg": None, "layout": None}
    labels = {n["id"]: svg.short(n["label"], 48) for n in nodes}
    boxes = [(f"n{i}", label_width(labels[n["id"]]), BOX_HEIGHT) for i, n in enumerate(nodes)]
    name = {n["id"]: f"n{i}" for i, n in enumerate(nodes)}
    lengths = [(name[e["a"]], name[e["b"]], 40.0) for e in edges]
    places = layout.positions(boxes, lengths) or {}
    at = {n["id"]: places[name[n["id"]]] for n in nodes}
    colours = _colours(nodes)
    ours = countries.name(kb.our_side) or kb.our_side
    desc = (
        f"{len(nodes)} counterparts (people, organisations, countries) met most often, placed by "
        f"Graphviz; a line joins two that attended meetings together, thicker for more. {ours}, "
        "our own side, is in nearly every meeting and is left out."
        + (f" {left_out} less often met counterparts are left out." if left_out else "")
    )
    drawn = [{**n, "label": labels[n["id"]], "colour": colours.get(n["country"], svg.PALETTE[5])} for n in nodes]
    text = svg.laid_out_network("who-met-whom", "Who met whom", desc, drawn, edges, at, (label_width, BOX_HEIGHT))
    return {"svg": Markup(text), "layout": version, "legend": _legend(colours)}


def _colours(nodes: list[dict]) -> dict[str, str]:
    """A colour for each of the countries met most often among the drawn nodes (grey for the others)."""
    weight: Counter = Counter()
    for n in nodes:
        weight[n["country"]] += n["meetings"]
    top = sorted(weight, key=lambda c: (-weight[c], c))[: len(svg.PALETTE) - 1]
    palette = [c for i, c in enumerate(svg.PALETTE) if i != 5]  # 5, the grey, is for the rest
    return {code: palette[i] for i, code in enumerate(top)}


def _legend(colours: dict[str, str]) -> list[dict]:
    return [{"country": countries.name(code) or code, "colour": colour} for code, colour in colours.items()]


def seats(kb: KnowledgeBase, meeting: Meeting) -> tuple[tuple[str, str | None, str | None], ...]:
    """(side, person key, organisation key) of each participant of ``meeting``, by current ids
    (None where the participant names none), read from its head when it has one."""
    refs = meeting.participant_refs()
    return tuple(
        (
            side,
            f"person:{kb.resolve_id('person', person) or person}" if person else None,
            f"org:{kb.resolve_id('org', org) or org}" if org else None,
        )
        for person, org, side in zip(refs[::3], refs[1::3], refs[2::3], strict=True)
    )


def neighbourhood(
    kb: KnowledgeBase,
    key: str,
    meetings: list[Meeting],
    node,
    limit: int = NEIGHBOURS,
    seats_of=None,
) -> dict | None:
    """Who sat across the table from ``key`` in ``meetings``: the ``limit`` met most often, with
    their meetings, the last date and a sparkline of meetings per year. Ties go to the latest met.
    ``seats_of(meeting)`` gives a meeting's ``seats`` when they are known already
    (kb.site.pages.Site.seats_of)."""
    seats_of = seats_of or (lambda meeting: seats(kb, meeting))
    person = key.startswith("person:")
    met: list[tuple[str, int]] = []  # (who, year) of each meeting, counted in C at the end
    last: dict[str, Meeting] = {}
    for meeting in sorted(meetings, key=Meeting.sort_key):  # date order, then id (kept per meeting)
        places = seats_of(meeting)
        own = {side for side, who, org in places if (who if person else org) == key}  # the sides it sat on
        if not own:
            continue
        found = {who or org for side, who, org in places if side not in own and (who or org)}
        met += zip(found, repeat(meeting.date.year))
        last.update(zip(found, repeat(meeting)))
    years: dict[str, dict[int, int]] = _grouped(met)
    if not years:
        return None
    # most meetings first, then the latest met, then by id (a stable sort, reversed, keeps that order)
    ranked = sorted(sorted(years), key=lambda k: (sum(years[k].values()), last[k].date.sort_key()), reverse=True)
    span = sorted({y for c in years.values() for y in c})
    first, final = span[0], span[-1]
    rows = []
    for i, other in enumerate(ranked[:limit]):
        counts = [years[other].get(y, 0) for y in range(first, final + 1)]
        who = node(other)
        spark = svg.sparkline(f"spark-{i + 1}", f"Meetings with {who['label']} per year", counts, first)
        rows.append(
            {
                "who": who,
                "meetings": sum(counts),
                "last": str(last[other].date),
                "spark": Markup(spark),
            }
        )
    return {"rows": rows, "total": len(ranked), "first_year": first, "last_year": final}
