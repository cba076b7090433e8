"""Who met whom: people, organisations and countries, joined when they sat on different sides of
one meeting, each edge weighted by the number of such meetings.

An ego graph puts one country in the middle and its strongest neighbours on a circle round it,
fully determined by the data: nodes are ordered by weight (meetings in common) and then by id,
so the same records give the same SVG bytes. The whole knowledge base's map is drawn from the
counterparts alone and laid out by Graphviz (kb.site.counterparts). Every graph comes with its
edges as a table.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from markupsafe import Markup

from kb.model import countries
from kb.model.records import KnowledgeBase, interned
from kb.site import counterparts, svg

KINDS = {"person": "people", "org": "orgs", "country": "countries"}
FOLDER = {"person": "people", "org": "orgs", "country": "countries"}


class Graph:
    """Who met whom. ``known`` gives the pairs of some meetings already, by file (the build's
    cache, when neither they nor any name or id recorded changed); every meeting's are left in
    ``pairs`` by file, for the next build."""

    def __init__(self, kb: KnowledgeBase, known: dict[str, tuple[str, ...]] | None = None):
        self.kb = kb
        self.pairs: dict[str, tuple[str, ...]] = {}
        known = known or {}
        for meeting in kb.sorted_meetings:
            pairs = known.get(meeting.relpath)
            self.pairs[meeting.relpath] = pairs if pairs is not None else self._pairs(meeting)
        # Each pair counted in C, then each distinct edge once for the neighbours: a tenth of the
        # meetings' pairs at 10,000 hub meetings.
        self.edges: Counter = Counter(
            chain.from_iterable(zip(flat[::2], flat[1::2], strict=True) for flat in self.pairs.values())
        )
        self.neighbours: dict[str, Counter] = {}
        for (a, b), weight in self.edges.items():
            self.neighbours.setdefault(a, Counter())[b] = weight
            self.neighbours.setdefault(b, Counter())[a] = weight

    def _pairs(self, meeting) -> tuple[str, ...]:
        """The pairs (a < b) that sat on different sides of ``meeting``, sorted, one after the other
        in one tuple (a1, b1, a2, b2, ...) of strings interned: the site's state keeps a container
        and each name once a meeting, which loads several times faster than a list of each pair."""
        kb = self.kb
        by_side: dict[str, set[str]] = {}
        for p in meeting.participants:
            side = p.side
            found = by_side.setdefault(side, {f"country:{side}"})
            if p.person:
                found.add(f"person:{kb.resolve_id('person', p.person) or p.person}")
            if p.org:
                found.add(f"org:{kb.resolve_id('org', p.org) or p.org}")
        pairs = set()
        sides = sorted(by_side)
        for i, a_side in enumerate(sides):
            for b_side in sides[i + 1 :]:
                for a in by_side[a_side]:
                    for b in by_side[b_side]:
                        if a != b:
                            pairs.add((min(a, b), max(a, b)))
        return tuple(map(interned, chain.from_iterable(sorted(pairs))))

    def node(self, key: str) -> dict:
        kind, ident = key.split(":", 1)
        if kind == "person":
            person = self.kb.people.get(ident)
            label, known = (person.name if person else ident), person is not None
        elif kind == "org":
            org = self.kb.orgs.get(ident)
            label, known = ((org.abbreviation or org.name) if org else ident), org is not None
        else:
            name = countries.name(ident)
            label, known = name or ident, bool(name)
        href = f"{FOLDER[kind]}/{ident}.html" if known else None
        return {"id": key, "label": label, "kind": kind, "href": href}

    def _figure(self, ident, title, desc, keys, centre, base, size=560):
        chosen = set(keys)
        nodes = [self.node(k) for k in keys]
        drawn = [{**n, "href": base + n["href"] if n["href"] else None} for n in nodes]
        # the edges among the chosen, found through their neighbours (not a pass over every edge)
        edges = []
        ordered = sorted(chosen)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                weight = self.edges.get((a, b))
                if weight:
                    edges.append((a, b, weight))
        table = [
            {"a": self.node(a), "b": self.node(b), "weight": w}
            for a, b, w in sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
        ]
        return {
            "svg": Markup(svg.network(ident, title, desc, drawn, edges, centre=centre, size=size)),
            "edges": table,
            "nodes": len(nodes),
        }

    def whole(self, limit: int = counterparts.LIMIT, counterparts_of=None) -> dict | None:
        """The counterparts' map of the whole knowledge base (kb.site.counterparts): our own side
        left out, the ``limit`` met most often placed by Graphviz. ``counterparts_of(meeting)``
        gives a meeting's counterparts as (person, org, side) when they are known already."""
        return counterparts.whole_map(self.kb, self.node, limit, counterparts_of)

    def ego(self, kind: str, ident: str, limit: int = 24) -> dict | None:
        key = f"{kind}:{ident}"
        around = self.neighbours.get(key)
        if not around:
            return None
        ranked = sorted(around, key=lambda k: (-around[k], k))[:limit]
        keys = [key] + sorted(ranked, key=lambda k: (k.split(":")[0], k))
        left = len(around) - len(ranked)
        name = self.node(key)["label"]
        desc = (
            f"{name} in the middle, and the {len(ranked)} people, organisations and countries met "
            f"across the table most often; thicker lines for more meetings."
            + (f" {left} more are left out." if left else "")
        )
        return self._figure(f"ego-{kind}-{ident}", f"Who {name} met", desc, keys, key, "../")
