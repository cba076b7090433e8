"""Contexts to plain text, terminal tables and CSV: timelines and the agenda."""

from __future__ import annotations

import csv
import io
import textwrap

from kb.rendering.output import terminal_safe

CSV_COLUMNS = (
    "date",
    "date_human",
    "precision",
    "end_date",
    "time",
    "id",
    "title",
    "status",
    "mode",
    "place",
    "country",
    "with",
    "topics",
    "summary",
    "sensitivity",
    "sources",
)


def place(entry: dict) -> str:
    parts = [entry["place"], entry["country"]["name"] if entry["country"] else None]
    return ", ".join(p for p in parts if p)


def when(entry: dict) -> str:
    text = entry["date"]["human"]
    if entry["end_date"]:
        text += f" – {entry['end_date']['human']}"
    if entry["time"]:
        text += f", {entry['time']}"
    return text


# --- CSV -------------------------------------------------------------------------------------


def _cell(value) -> str:
    """A spreadsheet cell that is never a formula: text starting with = + - @ (or a tab or
    carriage return) is prefixed with an apostrophe, as OWASP advises against CSV injection."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def timeline_csv(context: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in context["entries"]:
        row = (
            e["date"]["value"],
            e["date"]["human"],
            e["date"]["precision"],
            e["end_date"]["value"] if e["end_date"] else "",
            e["time"],
            e["id"],
            e["title"],
            e["status"],
            e["mode"],
            e["place"],
            e["country"]["code"] if e["country"] else "",
            "; ".join(e["with"]),
            "; ".join(t["label"] for t in e["topics"]),
            e["summary"],
            e["sensitivity"],
            " ".join(s["url"] for s in e["sources"] if s["url"]),
        )
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


# --- terminal and plain text ----------------------------------------------------------------


def _heading(context: dict) -> str:
    span = ""
    if context["since"] or context["until"]:
        span = (
            f" ({context['since']['human'] if context['since'] else '…'} – "
            f"{context['until']['human'] if context['until'] else '…'})"
        )
    return f"Meetings with {context['subject']['name']}{span}: {context['count']}"


def timeline_table(context: dict):
    """A rich table. Record text is passed as Text objects, never parsed as rich markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(_heading(context)), caption=Text(context["audience"]["banner"]))
    table.add_column("Date", no_wrap=True)
    for column in ("Meeting", "With", "Place", "Status"):
        table.add_column(column)
    for e in context["entries"]:
        table.add_row(Text(when(e)), Text(e["title"]), Text("\n".join(e["with"])), Text(place(e)), Text(e["status"]))
    return table


def timeline_text(context: dict) -> str:
    """Plain text: one block per meeting, for pipes and files."""
    lines = [context["audience"]["banner"], _heading(context), ""]
    for e in context["entries"]:
        lines.append(f"{when(e)}  {e['title']}")
        details = [place(e), e["status"]] + (["with " + "; ".join(e["with"])] if e["with"] else [])
        lines.append("    " + " · ".join(d for d in details if d))
    if not context["entries"]:
        lines.append("No meetings recorded.")
    return "\n".join(lines) + "\n"


def whose(commitment: dict) -> str:
    """Whose move it is: 'ours', 'theirs' or 'both' (a request is for the side asked)."""
    return commitment.get("next_move") or "not recorded"


def move_counts(commitments: list[dict]) -> str:
    ours = sum(1 for c in commitments if c["ours"])
    theirs = sum(1 for c in commitments if c["theirs"])
    stale = sum(1 for c in commitments if c.get("stale"))
    return f"next move ours on {ours}, theirs on {theirs}" + (f"; {stale} stale" if stale else "")


def _state_words(c: dict) -> str:
    if c["overdue"]:
        return f"OVERDUE {c['days_overdue']} days"
    if c["due"]:
        return "due"
    return f"STALE since {c['last_change']['human']}" if c.get("stale") else "no due date"


def agenda_text(context: dict) -> str:
    lines = [
        context["audience"]["banner"],
        f"Due by {context['until']['human']} (as of {context['as_of']['human']})",
        "",
    ]
    commitments = context["commitments"]
    lines.append(f"Commitments: {len(commitments)}" + (f" ({move_counts(commitments)})" if commitments else ""))
    for c in commitments:
        owner = f" — owner {c['owner']['name']}" if c["owner"] else ""
        lines.append(f"  {c['due']['human'] if c['due'] else '-':<16} {_state_words(c):<28} {c['ref']}{owner}")
        lines.append(f"      {whose(c).capitalize()}: {c['text']}")
        lines += textwrap.wrap(c["brief"], 100, initial_indent="      ", subsequent_indent="      ")
    lines.append(f"Planned meetings: {len(context['planned'])}")
    for shown in context["planned"]:  # a meeting as the agenda shows it
        lines.append(f"  {shown['date']['human']:<16} {shown['id']}  {shown['title']}")
    lines.append(f"Counterparts to meet: {len(context['cadence'])}")
    for c in context["cadence"]:
        state = f"OVERDUE {c['days_overdue']} days" if c["overdue"] else "due"
        lines.append(
            f"  {c['due']['human']:<16} {state:<18} {c['id']} (every {c['cadence']}; last met {c['last_met']['human']})"
        )
    return "\n".join(lines) + "\n"


# --- lists of records and search hits ------------------------------------------------------


def records_tsv(context: dict) -> str:
    """`kb list` piped: one tab-separated line per record, control characters shown as escapes,
    and no cell a formula (`-o people.tsv` opens in a spreadsheet as a CSV does)."""
    columns = context["columns"]
    lines = ["\t".join(_cell(" ".join(str(row[c]).split())) for c in columns) for row in context["rows"]]
    return terminal_safe("\n".join(lines)) + "\n" if lines else ""


def records_table(context: dict):
    """`kb list` on a terminal. Record text is data, never rich markup: a title holding "[/]" is
    shown as written."""
    from rich.table import Table
    from rich.text import Text

    rows, columns = context["rows"], context["columns"]
    table = Table(title=f"{len(rows)} {context['what']}", title_justify="left")
    for column in columns:
        # ids are what a user copies into the next command: never cut them short
        table.add_column(
            column.replace("_", " "),
            overflow="fold" if column == "id" else "ellipsis",
            no_wrap=column in ("date", "last_met"),
        )
    for row in rows:
        table.add_row(*[Text(terminal_safe(str(row[c]))) for c in columns])
    return table


def _marked(hit: dict, open_: str, close: str) -> str:
    out, at = [], 0
    for start, end in hit["highlights"]:
        out += [hit["snippet"][at:start], open_, hit["snippet"][start:end], close]
        at = end
    out.append(hit["snippet"][at:])
    return "".join(out)


def _meeting_of(hit: dict) -> str:
    """'Title, with A, B': the meeting a hit belongs to."""
    who = ", ".join(hit["counterparts"])
    return hit["title"] + (f", with {who}" if who else "")


def hits_text(context: dict) -> str:
    """`kb search` piped: date, item, kind, the meeting (title and counterparts) and the snippet
    with its matches in «», tab-separated, control characters shown as escapes."""
    lines = [
        "\t".join(
            " ".join(field.split())
            for field in (hit["date"], hit["ref"], hit["kind"], _meeting_of(hit), _marked(hit, "«", "»"))
        )
        for hit in context["result"]["hits"]
    ]
    return terminal_safe("".join(line + "\n" for line in lines))


def hits_table(context: dict):
    """`kb search` on a terminal: the meeting (title, counterparts) above the snippet, the matches
    in bold. Record text is data, never rich markup."""
    from rich.table import Table
    from rich.text import Text

    result, level = context["result"], context["level"]
    shown = f"{result['count']} of {result['total']}" if result["total"] > result["count"] else str(result["total"])
    table = Table(
        title=f"{shown} hits for {context['query']!r}" + (f" (TLP:{level})" if level else ""), title_justify="left"
    )
    table.add_column("date", no_wrap=True)
    table.add_column("item", overflow="fold")
    table.add_column("kind")
    table.add_column("meeting and match", overflow="fold")
    for hit in result["hits"]:
        cell = Text()
        cell.append(terminal_safe(_meeting_of(hit)), style="bold")
        cell.append("\n")
        at = 0
        for start, end in hit["highlights"]:
            cell.append(terminal_safe(hit["snippet"][at:start]))
            cell.append(terminal_safe(hit["snippet"][start:end]), style="bold reverse")
            at = end
        cell.append(terminal_safe(hit["snippet"][at:]))
        table.add_row(hit["date"], terminal_safe(hit["ref"]), hit["kind"], cell)
    return table
