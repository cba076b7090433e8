"""Long histories summarised: what a brief or a record page shows of the meetings it does not
show in full.

Whatever the history, a brief is read before a meeting: the newest meetings are shown in full,
the older ones as one line each (up to :data:`TABLE_FACTOR` times as many), and every meeting
is counted by year with its topics, so that nothing is silently dropped. The split is said in
the context (``summarised``) so that a reader of the JSON knows what is left out.
"""

from __future__ import annotations

from collections import Counter

from kb.model import countries
from kb.model.records import OPEN_STATUSES, KnowledgeBase, Meeting
from kb.views import describe

DEFAULT_LIMIT = 10  # meetings shown in full
TABLE_FACTOR = 10  # older meetings listed one line each: this many times the limit
TOPICS_PER_YEAR = 3


def split(items: list, limit: int | None) -> tuple[list, list, int]:
    """(in full, in the table, counted only) of ``items`` ordered newest first."""
    if limit is None:
        return items, [], 0
    table = items[limit : limit + limit * TABLE_FACTOR]
    return items[:limit], table, max(0, len(items) - limit - len(table))


def summarised(limit: int | None, total: int, full: int, table: int, counted: int) -> dict:
    return {
        "limit": limit,
        "all": limit is None,
        "total": total,
        "in_full": full,
        "in_table": table,
        "counted_only": counted,
    }


def line(kb: KnowledgeBase, meeting: Meeting, relation: str, via: str | None) -> dict:
    """One meeting in one line: when, where, with whom, and how much it settled."""
    outcomes = meeting.outcomes
    return {
        **describe.meeting_ref(meeting),
        "place": meeting.place,
        "country": countries.describe(meeting.location_country),
        "with": describe.counterpart_names(kb, meeting),
        "relation": relation,
        "via": describe.person_ref(kb, via),
        "outcomes": len(outcomes),
        "open": sum(1 for o in outcomes if o.status in OPEN_STATUSES),
    }


def by_year(kb: KnowledgeBase, items: list[tuple[Meeting, str]], relations: tuple[str, ...]) -> list[dict]:
    """Meetings counted by year (newest first), by relation, with each year's main topics."""
    years: dict[int, dict] = {}
    topics: dict[int, list[str]] = {}  # each year's topics, one a meeting naming it, counted at once
    for meeting, relation in items:
        year = meeting.order[0]  # the date's year (the order made once, not the date)
        row = years.get(year)
        if row is None:  # made once a year, not once a meeting
            row = years[year] = {"year": year, "meetings": 0, **{r: 0 for r in relations}}
            topics[year] = []
        row["meetings"] += 1
        row[relation] += 1
        if topic_ids := meeting.topic_ids:
            topics[year] += topic_ids
    result = []
    for year in sorted(years, reverse=True):
        top = sorted(Counter(topics[year]).items(), key=lambda pair: (-pair[1], pair[0]))[:TOPICS_PER_YEAR]
        result.append({**years[year], "topics": [{**describe.topic_ref(kb, t), "count": n} for t, n in top]})
    return result
