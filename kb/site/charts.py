"""The home page's charts, each an SVG with a title and description and its data as a table:
meetings per year per country, meetings by mode, topics by year, commitments by status over time."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter

from markupsafe import Markup

from kb.model import countries
from kb.query import scope
from kb.site import svg

TOP_COUNTRIES = 6
TOP_TOPICS = 12
STATUSES = ("open", "in-progress", "fulfilled", "lapsed", "superseded")


def _years(meetings) -> list[int]:
    years = sorted({m.date.year for m in meetings})
    return list(range(years[0], years[-1] + 1)) if years else []


def home_charts(site) -> list[dict]:  # long: the home page's charts one after another; the site is being rewritten
    meetings = site.meetings
    if not meetings:
        return []
    years = _years(meetings)
    labels = [str(y) for y in years]
    # Meetings per year per counterpart country (our own side is in every meeting).
    per_country: Counter = Counter()
    for meeting in meetings:
        for side in scope.counterpart_sides(site.kb, meeting):
            per_country[(str(meeting.date.year), side)] += 1
    totals: Counter = Counter()
    for (_year, side), n in per_country.items():
        totals[side] += n
    top = sorted(totals, key=lambda c: (-totals[c], c))[:TOP_COUNTRIES]
    others = set(totals) - set(top)
    series = [countries.name(c) or c for c in top] + (["other countries"] if others else [])
    values: Counter = Counter()
    for (year, side), n in per_country.items():
        values[(year, countries.name(side) or side if side in top else "other countries")] += n
    charts = [
        {
            "id": "chart-country-year",
            "title": "Meetings per year, by counterpart country",
            "svg": Markup(
                svg.stacked_bars(
                    "chart-country-year",
                    "Meetings per year, by counterpart country",
                    f"Stacked bars for {years[0]}–{years[-1]}: the {len(top)} countries met most often"
                    + (" and the others together" if others else "")
                    + ". A meeting with two countries counts for each.",
                    labels,
                    series,
                    values,
                )
            ),
            "columns": ["Year", *series],
            "rows": [[y, *[values.get((y, s), 0) for s in series]] for y in labels],
        }
    ]
    modes = Counter(site.mode_of(m) or "not recorded" for m in meetings)  # kept with each meeting's share
    rows = sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))
    charts.append(
        {
            "id": "chart-mode",
            "title": "Meetings by mode",
            "svg": Markup(
                svg.horizontal_bars(
                    "chart-mode", "Meetings by mode", f"{len(meetings)} meetings by how they were held.", rows
                )
            ),
            "columns": ["Mode", "Meetings"],
            "rows": [list(r) for r in rows],
        }
    )
    topic_year: Counter = Counter()
    topic_total: Counter = Counter()
    for meeting in meetings:
        for topic in dict.fromkeys(meeting.topic_ids):
            topic_year[(topic, str(meeting.date.year))] += 1
            topic_total[topic] += 1
    chosen = sorted(topic_total, key=lambda t: (-topic_total[t], t))[:TOP_TOPICS]
    names = [site.name_of("topic", t) for t in chosen]
    heat = {(site.name_of("topic", t), y): n for (t, y), n in topic_year.items() if t in chosen}
    if chosen:
        charts.append(
            {
                "id": "chart-topic-year",
                "title": "Topics by year",
                "svg": Markup(
                    svg.heat_map(
                        "chart-topic-year",
                        "Topics by year",
                        f"The {len(chosen)} most frequent topics (rows) by year (columns, the last "
                        "twenty); darker for more meetings.",
                        names,
                        labels,
                        heat,
                    )
                ),
                "columns": ["Topic", *labels[-20:]],
                "rows": [[n, *[heat.get((n, y), 0) for y in labels[-20:]]] for n in names],
            }
        )
    ends = [min(dt.date(year, 12, 31), site.today) for year in years]  # never decreasing
    spans = site.status_spans(ends)
    if any(found[0] for found in spans):
        status_year = _status_counts([found[at : at + 3] for found in spans for at in range(1, len(found), 3)], years)
        shown = [s for s in STATUSES if any(status_year.get((y, s)) for y in labels)]
        charts.append(
            {
                "id": "chart-commitments",
                "title": "Commitments by status over time",
                "svg": Markup(
                    svg.stacked_bars(
                        "chart-commitments",
                        "Commitments by status over time",
                        "For each year, the commitments made by its end and their status then (from their dated updates).",
                        labels,
                        shown,
                        status_year,
                    )
                ),
                "columns": ["Year", *shown],
                "rows": [[y, *[status_year.get((y, s), 0) for s in shown]] for y in labels],
            }
        )
    return charts


def packed(charts: list[dict]) -> list[dict]:
    """The charts as plain values (each SVG a str), to be kept between builds."""
    return [{**chart, "svg": str(chart["svg"])} for chart in charts]


def unpacked(kept: list[dict]) -> list[dict]:
    """The charts ``packed`` kept, as ``home_charts`` makes them."""
    return [{**chart, "svg": Markup(chart["svg"])} for chart in kept]


def meeting_spans(meeting, ends: list[dt.date]) -> tuple:
    """(how many outcomes of ``meeting`` have a status, first, last, status, first, last, status,
    ...): the spans of years (``_spans``) of each, for ``ends`` (each year's last day, or today);
    flat, few objects to keep."""
    outcomes = [o for o in meeting.outcomes if o.status]
    return (len(outcomes), *(part for outcome in outcomes for span in _spans(outcome, ends) for part in span))


def _status_counts(spans, years: list[int]) -> Counter:
    """(year, status) to how many outcomes had that status at the year's end (each year's last
    day, or today), from the year each was made: Outcome.status_on for each year, counted by the
    spans of years over which an outcome's status holds (``meeting_spans``)."""
    changes: dict[str, list[int]] = {}  # each status's count, as its changes from year to year
    for first, last, status in spans:
        change = changes.setdefault(status, [0] * (len(years) + 1))
        change[first] += 1
        change[last] -= 1
    counts: Counter = Counter()
    for status, change in changes.items():
        running = 0
        for index, year in enumerate(years):
            running += change[index]
            if running:
                counts[(str(year), status)] = running
    return counts


def _spans(outcome, ends: list[dt.date]):
    """(first year, the year after the last, status) of each span of years (by index) over which
    the outcome's status at the year's end is the same, from the year it was made."""
    first = bisect.bisect_left(ends, outcome.meeting.date.earliest())  # the years that end before it: none
    if not outcome.updates:
        if first < len(ends):
            yield first, len(ends), outcome.status
        return
    # each update, in date order, with the first year whose end is certainly on or after it
    known_from = [
        (bisect.bisect_left(ends, u.date.latest()), u.status)
        for u in sorted(outcome.updates, key=lambda u: u.date.sort_key())
    ]
    turns = sorted({first, *(since for since, _status in known_from if first < since < len(ends))})
    for start, end in zip(turns, [*turns[1:], len(ends)], strict=True):
        if start >= len(ends):
            break
        # the status of the last update (in date order) known by then, as Outcome.status_on
        yield start, end, next((status for since, status in reversed(known_from) if since <= start), "open")
