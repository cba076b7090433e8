"""`kb export sqlite`: the knowledge base as relational tables (rows of plain values), within what
an audience may read, and the datasette metadata that describes them.

Every table has a primary key and its references are foreign keys; a date is kept as written
(``2024-07``) with the first and last day it may be (``date_start``, ``date_end``) for sorting and
ranges, never a made-up day.

``open_items`` holds what is open with every person, organisation and country on the day of the
export (kb.query.scope.open_items, the list brief, site and `kb due` give): one row per
counterpart and item, with when it was made, how long it has been open, when it last changed,
whether it has gone stale, its status and due date as on the day, and whose move it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kb.model import dates
from kb.model.dates import PartialDate
from kb.model.records import KnowledgeBase, Meeting
from kb.query.audience import Audience
from kb.views import describe

# table -> (columns with SQL types, primary key, foreign keys {column: (table, column)}, label column)
TABLES: dict[str, tuple[list[tuple[str, str]], str, dict[str, tuple[str, str]], str | None]] = {
    "organisations": (
        [
            ("id", "TEXT"),
            ("name", "TEXT"),
            ("abbreviation", "TEXT"),
            ("kind", "TEXT"),
            ("country", "TEXT"),
            ("parent", "TEXT"),
            ("url", "TEXT"),
        ],
        "id",
        {"parent": ("organisations", "id")},
        "name",
    ),
    "people": (
        [("id", "TEXT"), ("name", "TEXT"), ("country", "TEXT"), ("aliases", "TEXT"), ("notes", "TEXT")],
        "id",
        {},
        "name",
    ),
    "posts": ([("id", "TEXT"), ("label", "TEXT")], "id", {}, "label"),
    "roles": (
        [
            ("id", "TEXT"),
            ("person", "TEXT"),
            ("title", "TEXT"),
            ("post", "TEXT"),
            ("org", "TEXT"),
            ("country", "TEXT"),
            ("start", "TEXT"),
            ("end", "TEXT"),
            ("acting", "INTEGER"),
        ],
        "id",
        {"person": ("people", "id"), "post": ("posts", "id"), "org": ("organisations", "id")},
        "title",
    ),
    "topics": ([("id", "TEXT"), ("label", "TEXT")], "id", {}, "label"),
    "meetings": (
        [
            ("id", "TEXT"),
            ("title", "TEXT"),
            ("date", "TEXT"),
            ("date_start", "TEXT"),
            ("date_end", "TEXT"),
            ("year", "INTEGER"),
            ("status", "TEXT"),
            ("mode", "TEXT"),
            ("place", "TEXT"),
            ("country", "TEXT"),
            ("host", "TEXT"),
            ("counterparts", "TEXT"),
            ("topics", "TEXT"),
            ("summary", "TEXT"),
            ("sensitivity", "TEXT"),
        ],
        "id",
        {"host": ("organisations", "id")},
        "title",
    ),
    "meeting_topics": (
        [("id", "TEXT"), ("meeting", "TEXT"), ("topic", "TEXT")],
        "id",
        {"meeting": ("meetings", "id"), "topic": ("topics", "id")},
        None,
    ),
    "participants": (
        [
            ("id", "TEXT"),
            ("meeting", "TEXT"),
            ("person", "TEXT"),
            ("org", "TEXT"),
            ("side", "TEXT"),
            ("ours", "INTEGER"),
            ("title", "TEXT"),
            ("role", "TEXT"),
        ],
        "id",
        {"meeting": ("meetings", "id"), "person": ("people", "id"), "org": ("organisations", "id")},
        None,
    ),
    "outcomes": (
        [
            ("id", "TEXT"),
            ("meeting", "TEXT"),
            ("outcome", "TEXT"),
            ("kind", "TEXT"),
            ("text", "TEXT"),
            ("by_parties", "TEXT"),
            ("to_parties", "TEXT"),
            ("ours", "INTEGER"),
            ("theirs", "INTEGER"),
            ("owner_person", "TEXT"),
            ("owner_org", "TEXT"),
            ("due", "TEXT"),
            ("due_end", "TEXT"),
            ("status", "TEXT"),
            ("sensitivity", "TEXT"),
        ],
        "id",
        {"meeting": ("meetings", "id"), "owner_person": ("people", "id"), "owner_org": ("organisations", "id")},
        "text",
    ),
    "updates": (
        [("id", "TEXT"), ("outcome", "TEXT"), ("date", "TEXT"), ("status", "TEXT"), ("note", "TEXT")],
        "id",
        {"outcome": ("outcomes", "id")},
        None,
    ),
    "claims": (
        [
            ("id", "TEXT"),
            ("meeting", "TEXT"),
            ("by_person", "TEXT"),
            ("by_org", "TEXT"),
            ("text", "TEXT"),
            ("sensitivity", "TEXT"),
        ],
        "id",
        {"meeting": ("meetings", "id"), "by_person": ("people", "id"), "by_org": ("organisations", "id")},
        "text",
    ),
    "quotes": (
        [("id", "TEXT"), ("meeting", "TEXT"), ("speaker", "TEXT"), ("text", "TEXT"), ("sensitivity", "TEXT")],
        "id",
        {"meeting": ("meetings", "id"), "speaker": ("people", "id")},
        "text",
    ),
    "sources": (
        [
            ("id", "TEXT"),
            ("meeting", "TEXT"),
            ("url", "TEXT"),
            ("publisher", "TEXT"),
            ("title", "TEXT"),
            ("published", "TEXT"),
            ("document", "TEXT"),
        ],
        "id",
        {"meeting": ("meetings", "id")},
        "publisher",
    ),
    "open_items": (
        [
            ("id", "TEXT"),
            ("counterpart_kind", "TEXT"),
            ("counterpart", "TEXT"),
            ("counterpart_name", "TEXT"),
            ("outcome", "TEXT"),
            ("meeting", "TEXT"),
            ("relation", "TEXT"),
            ("kind", "TEXT"),
            ("text", "TEXT"),
            ("status", "TEXT"),
            ("due", "TEXT"),
            ("overdue", "INTEGER"),
            ("days_overdue", "INTEGER"),
            ("made", "TEXT"),
            ("days_open", "INTEGER"),
            ("open_for", "TEXT"),
            ("last_change", "TEXT"),
            ("stale", "INTEGER"),
            ("next_move", "TEXT"),
            ("movers", "TEXT"),
            ("ours", "INTEGER"),
            ("theirs", "INTEGER"),
        ],
        "id",
        {"outcome": ("outcomes", "id"), "meeting": ("meetings", "id")},
        "text",
    ),
}
# Full-text search (datasette finds <table>_fts and offers a search box).
FTS = {
    "meetings": ("title", "summary", "counterparts", "topics"),
    "outcomes": ("text",),
    "quotes": ("text",),
    "claims": ("text",),
}


def _span(value) -> tuple[str | None, str | None]:
    date = PartialDate.try_parse(value)
    return (date.earliest().isoformat(), date.latest().isoformat()) if date else (None, None)


def _person(kb: KnowledgeBase, ref) -> str | None:
    return (kb.resolve_id("person", ref) or None) if isinstance(ref, str) else None


def _org(kb: KnowledgeBase, ref) -> str | None:
    return (kb.resolve_id("org", ref) or None) if isinstance(ref, str) else None


def rows(kb: KnowledgeBase, audience: Audience, day: dt.date | None = None) -> dict[str, list[tuple]]:
    """Every table's rows (in TABLES' column order) within what ``audience`` may read; open items
    as on ``day`` (default today)."""
    tables: dict[str, list[tuple]] = {name: [] for name in TABLES}
    _directory_rows(kb, audience, tables)
    known = {m.id for m in kb.meetings.values() if audience.may_see(m)}
    visible = audience.meetings(kb.sorted_meetings, known)
    for m in visible:
        _meeting_rows(kb, m, tables)
        _outcome_rows(kb, m, tables)
        _record_rows(kb, m, tables)
    _open_item_rows(kb, {m.id: m for m in visible}, day or dates.today(), tables)
    return tables


def _open_item_rows(kb: KnowledgeBase, visible: dict[str, Meeting], day: dt.date, tables) -> None:
    """What is open with each person, organisation and country (kb.query.scope.open_items, as
    the audience sees the meetings), those with nothing open left out."""
    from kb.model import countries
    from kb.query import scope

    ours = {c for m in visible.values() for c in scope.meeting_countries(kb, m) if kb.is_ours(c)}
    codes = sorted({c for m in visible.values() for c in scope.meeting_countries(kb, m)} - ours)
    counterparts = [
        *(("person", p.id, p.name) for p in sorted(kb.people.values(), key=lambda r: r.id)),
        *(("org", o.id, o.name) for o in sorted(kb.orgs.values(), key=lambda r: r.id)),
        *(("country", code, countries.name(code) or code) for code in codes),
    ]
    scope.indexed(kb)  # every counterpart is asked about: their meetings from one pass
    kb.holders_by_post  # noqa: B018 (every post's holders at once: every person is asked about)
    for kind, ident, name in counterparts:
        for item in scope.open_items(kb, kind, ident, day, lambda m: visible.get(m.id)):
            info = describe.open_item_info(kb, item, day)
            tables["open_items"].append(
                (
                    f"{kind}:{ident}/{item.ref}",
                    kind,
                    ident,
                    name,
                    item.ref,
                    item.outcome.meeting.id,
                    item.relation,
                    info["kind"],
                    info["text"],
                    info["status"],
                    info["due"]["value"] if info["due"] else None,
                    int(info["overdue"]),
                    info["days_overdue"],
                    str(item.made),
                    item.days_open,
                    info["open_for"],
                    str(item.last_change),
                    int(item.stale),
                    info["next_move"],
                    "; ".join(info["movers"]),
                    int(info["ours"]),
                    int(info["theirs"]),
                )
            )


def _directory_rows(kb: KnowledgeBase, audience: Audience, tables: dict[str, list[tuple]]) -> None:
    """Organisations, people, their roles and posts, and topics."""
    for o in sorted(kb.orgs.values(), key=lambda r: r.id):
        tables["organisations"].append(
            (
                o.id,
                o.name,
                o.abbreviation,
                o.org_kind,
                o.country(),
                _org(kb, o.parent),
                o.url,
            )
        )
    posts: dict[str, str] = {}
    for p in sorted(kb.people.values(), key=lambda r: r.id):
        p = audience.person(p)
        aliases = "; ".join(a.name for a in p.aliases if not a.weak)
        tables["people"].append((p.id, p.name, p.country(), aliases, p.notes))
        for number, role in enumerate(p.get("roles", []), 1):
            if role.get("post"):
                posts.setdefault(role["post"], role["title"])
            tables["roles"].append(
                (
                    f"{p.id}/{number}",
                    p.id,
                    role["title"],
                    role.get("post"),
                    _org(kb, role.get("org")),
                    role.get("country"),
                    role.get("start"),
                    role.get("end"),
                    int(bool(role.get("acting"))),
                )
            )
    tables["posts"] = sorted(posts.items())
    tables["topics"] = [(t.id, t.label) for t in kb.topics.values()]


def _meeting_rows(kb: KnowledgeBase, m: Meeting, tables: dict[str, list[tuple]]) -> None:
    """The meeting's own row, its topics and its participants."""
    start, end = _span(m.date_written)
    counterparts = describe.counterpart_names(kb, m)
    topic_labels = [kb.topics[t].label if t in kb.topics else t for t in m.topic_ids]
    tables["meetings"].append(
        (
            m.id,
            m.title,
            str(m.date_written),
            start,
            end,
            m.date.year,
            m.status,
            m.mode,
            m.place,
            m.location_country,
            _org(kb, m.host),
            "; ".join(counterparts),
            "; ".join(topic_labels),
            m.summary,
            m.sensitivity,
        )
    )
    for topic in dict.fromkeys(m.topic_ids):
        tables["meeting_topics"].append((f"{m.id}/{topic}", m.id, topic if topic in kb.topics else None))
    for number, x in enumerate(m.participants, 1):
        tables["participants"].append(
            (
                f"{m.id}/{number}",
                m.id,
                _person(kb, x.person),
                _org(kb, x.org),
                x.side,
                int(kb.is_ours(x.side)),
                x.title,
                x.role or "delegation",
            )
        )


def _outcome_rows(kb: KnowledgeBase, m: Meeting, tables: dict[str, list[tuple]]) -> None:
    """The meeting's outcomes and their updates."""
    for o in m.outcomes:
        ref = f"{m.id}#{o.id}"
        # the sides it is by, as briefs and `kb due` give them (describe.party_side: the seat the party took)
        sides = {side for side in (describe.party_side(kb, m, party) for party in o.by) if side}
        _start, due_end = _span(o.due_written)
        tables["outcomes"].append(
            (
                ref,
                m.id,
                o.id,
                o.kind,
                o.text,
                "; ".join(o.by),
                "; ".join(o.to),
                int(any(kb.is_ours(s) for s in sides)),
                int(any(not kb.is_ours(s) for s in sides)),
                _person(kb, o.owner),
                _org(kb, o.owner),
                o.due_written,
                due_end,
                o.status,
                o.sensitivity,
            )
        )
        for number, update in enumerate(o.updates, 1):
            tables["updates"].append((f"{ref}/{number}", ref, str(update.date), update.status, update.note))


def _record_rows(kb: KnowledgeBase, m: Meeting, tables: dict[str, list[tuple]]) -> None:
    """The meeting's claims, quotes and sources."""
    for number, claim in enumerate(m.claims, 1):
        tables["claims"].append(
            (
                f"{m.id}/claim-{number}",
                m.id,
                _person(kb, claim.by),
                _org(kb, claim.by),
                claim.text,
                claim.sensitivity,
            )
        )
    for number, quote in enumerate(m.quotes, 1):
        tables["quotes"].append(
            (f"{m.id}/quote-{number}", m.id, _person(kb, quote.speaker), quote.text, quote.sensitivity)
        )
    for number, source in enumerate(m.sources, 1):
        tables["sources"].append(
            (
                f"{m.id}/source-{number}",
                m.id,
                source.url,
                source.publisher,
                source.title,
                source.published_written,
                source.document,
            )
        )


# datasette's canned queries
QUERIES = {
    "open_commitments": {
        "title": "Open commitments, overdue first",
        "sql": (
            "SELECT o.id, o.kind, o.text, o.status, o.due, o.ours, o.theirs, "
            "coalesce(p.name, g.name) AS owner, m.title AS meeting, m.date "
            "FROM outcomes o JOIN meetings m ON m.id = o.meeting "
            "LEFT JOIN people p ON p.id = o.owner_person LEFT JOIN organisations g ON g.id = o.owner_org "
            "WHERE o.kind IN ('agreement', 'commitment', 'request') AND o.status IN ('open', 'in-progress') "
            "ORDER BY o.due_end IS NULL, o.due_end, m.date_start"
        ),
    },
    "open_with": {
        "title": "What is open with a counterpart (a person's, organisation's id or a country code)",
        "sql": (
            "SELECT outcome, kind, text, status, due, overdue, made, open_for, last_change, stale, "
            "next_move, relation FROM open_items WHERE counterpart = :counterpart ORDER BY rowid"
        ),
    },
    "meetings_by_year_and_country": {
        "title": "Meetings by year and country",
        "sql": (
            "SELECT m.year, p.side AS country, count(DISTINCT m.id) AS meetings "
            "FROM meetings m JOIN participants p ON p.meeting = m.id WHERE p.ours = 0 "
            "GROUP BY m.year, p.side ORDER BY m.year DESC, meetings DESC"
        ),
    },
    "people_met_most": {
        "title": "Counterparts met most often",
        "sql": (
            "SELECT pe.id, pe.name, pe.country, count(DISTINCT pa.meeting) AS meetings, "
            "max(m.date_start) AS last_met FROM participants pa JOIN people pe ON pe.id = pa.person "
            "JOIN meetings m ON m.id = pa.meeting WHERE pa.ours = 0 GROUP BY pe.id ORDER BY meetings DESC"
        ),
    },
}


def metadata(kb: KnowledgeBase, database: str, audience: Audience) -> dict:
    """datasette's metadata: titles, label columns, facets, sort orders and canned queries."""
    level = audience.level
    description = f"Exported by kb on {dates.today().isoformat()}; " + (
        f"only what TLP:{level} may read." if level else "no audience set: everything, at every marking."
    )
    tables: dict[str, dict[str, Any]] = {}
    for name, (_columns, _key, _foreign, label) in TABLES.items():
        tables[name] = {"label_column": label} if label else {}
    tables["meetings"].update(
        {"title": "Meetings", "sort_desc": "date_start", "facets": ["year", "country", "status", "mode", "sensitivity"]}
    )
    tables["outcomes"].update(
        {
            "title": "Outcomes: agreements, commitments, requests, statements",
            "facets": ["kind", "status", "ours", "theirs"],
        }
    )
    tables["participants"].update({"facets": ["side", "role"]})
    tables["open_items"].update(
        {
            "title": "What is open with each person, organisation and country",
            "facets": ["counterpart_kind", "relation", "stale", "next_move", "overdue"],
        }
    )
    tables["people"].update({"facets": ["country"]})
    tables["organisations"].update({"facets": ["country", "kind"]})
    return {
        "title": kb.config.name,
        "description": description,
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
