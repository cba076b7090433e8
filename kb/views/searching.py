"""`kb search`: the index brought up to date, the filters of `kb list`, the reader's audience ->
a JSON-ready result."""

from __future__ import annotations

from kb.query import search


def results(
    root,
    query: str,
    *,
    audience: str | None,
    kinds=None,
    filters=None,
    limit: int = 20,
    load=None,
    use_cache: bool = True,
) -> dict:
    """Search the knowledge base at ``root``. ``audience`` is the level given (None: kb.yaml's
    ``brief_audience``, else no restriction); ``filters`` (a listing.Filters, or None) are those of
    `kb list`; ``load`` loads the whole knowledge base (or, given ``meetings``, only those
    meetings), needed for them, without the cache, and to name the counterparts of the hits."""
    from kb.store import index
    from kb.store.cache import Listing

    kb = None
    listing = None
    if use_cache:
        listing = Listing(root)  # one walk of the files for the index and the records read
        conn = index.open_index(root, listing)
    else:
        kb = load()
        conn = index.build_memory(kb)
    try:
        if audience is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'brief_audience'").fetchone()
            audience = row[0] if row and row[0] else None
        meetings = None
        if filters is not None:
            from kb.query.audience import Audience, restrict
            from kb.views.listing import matching_meetings

            kb = kb or load(listing=listing)
            # the filters name only what the audience may see: --with matches no alias above it
            readers = Audience(audience, kb.config.default_sensitivity, kb)
            meetings = {m.id for m in matching_meetings(restrict(kb, readers), filters)}
        hits, total = search.search(conn, query, audience=audience, kinds=kinds, meetings=meetings, limit=limit)
        unreadable = index.broken(conn) if kb is None else None  # a loaded knowledge base said so itself
    finally:
        conn.close()
    if hits and kb is None:
        # The counterparts of the meetings hit: the people and organisations, and those meetings
        # alone. It says itself which files it left out.
        kb = load(meetings={hit.meeting for hit in hits}, listing=listing)
        unreadable = None
    sides = _counterparts(kb, audience, {hit.meeting for hit in hits}) if hits else {}
    return {
        "format": "kb-search",
        "version": 1,
        "query": query,
        "audience": audience,
        "count": len(hits),
        "total": total,
        "hits": [_hit(hit, *sides.get(hit.meeting, ([], []))) for hit in hits],
        # files left out of the index because they cannot be read (the caller says so; not output)
        "unreadable": unreadable or [],
    }


def _counterparts(kb, audience: str | None, meetings: set[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Meeting id -> (its counterparts' names, the ids of those named in person), as the audience
    may see them (a withheld participant is neither named nor counted)."""
    from kb.query.audience import Audience, restrict
    from kb.query.scope import counterpart_people
    from kb.views.describe import counterpart_names

    readers = Audience(audience, kb.config.default_sensitivity)
    if not kb.duplicates:
        # Participants carry no marking and names are read by everyone: a meeting the audience
        # may see names the same counterparts in the knowledge base as in its copy for the
        # audience, so only the meetings hit are looked at, not every meeting copied.
        return {
            ident: (counterpart_names(kb, meeting), counterpart_people(kb, meeting))
            for ident in meetings
            if (meeting := kb.meetings.get(ident)) is not None and readers.may_see(meeting)
        }
    seen = restrict(kb, Audience(audience, kb.config.default_sensitivity, kb))
    found = {}
    for ident in meetings:
        meeting = seen.meetings.get(ident)
        if meeting is not None:
            found[ident] = (counterpart_names(seen, meeting), counterpart_people(seen, meeting))
    return found


def _hit(hit: search.Hit, counterparts: list[str], people: list[str]) -> dict:
    """The hit with its meeting's counterparts, its snippet as plain text, the matched spans as
    [start, end) offsets, and the snippet with each match in [brackets]."""
    plain, spans, at, start = [], [], 0, None
    for char in hit.snippet:
        if char == search.OPEN:
            start = at
        elif char == search.CLOSE:
            if start is not None:
                spans.append([start, at])
            start = None
        else:
            plain.append(char)
            at += 1
    return {
        "ref": hit.ref,
        "kind": hit.kind,
        "meeting": hit.meeting,
        "item": hit.item,
        "date": hit.date,
        "title": hit.title,
        "counterparts": counterparts,
        "counterpart_people": people,
        "snippet": "".join(plain),
        "highlights": spans,
        "marked": hit.snippet.replace(search.OPEN, "[").replace(search.CLOSE, "]"),
        "score": hit.score,
    }
