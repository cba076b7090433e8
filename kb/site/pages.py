"""A JSON-ready context for every page of the site, from the audience's copy of the knowledge base.

Pages link to each other by paths relative to the site's root (``meetings/<id>.html``); the
template puts the page's way back to the root (``base``) in front, so the site works from
``file://`` and from any folder of a web server.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import string
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cached_property
from urllib.parse import quote

from markupsafe import Markup

from kb.model import countries
from kb.model.dates import PartialDate
from kb.model.records import OPEN_STATUSES, KnowledgeBase, Meeting, Org, Person, interned
from kb.model.text import normalise
from kb.query import links, scope
from kb.query.audience import highest
from kb.site import counterparts, graph, paging, svg
from kb.views import describe

FOLDER = {
    "meeting": "meetings",
    "person": "people",
    "org": "orgs",
    "country": "countries",
    "topic": "topics",
    "post": "posts",
    "source": "sources",  # stored copies of source pages (kb sources archive)
}
MENTION_WORDS = 5


def href(kind: str, ident: str) -> str:
    return f"{FOLDER[kind]}/{ident if _UNRESERVED.issuperset(ident) else quote(ident, safe='')}.html"


# What ``quote`` leaves as it is (RFC 3986's unreserved characters): an id of these alone, as ids
# mostly are, is its own path.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "_.-~")


class Site:
    """The indexes every page shares, computed once per build."""

    # What each meeting's row reads of it, by file (kb.site.build's _row_digests): the meetings'
    # rows' keys (``meeting_key``).
    row_digests: dict[str, str]

    def __init__(
        self,
        kb: KnowledgeBase,
        today: dt.date,
        mentions: dict[str, list] | None = None,
        pairs: dict | None = None,
        words: dict[str, str] | None = None,
        opens: dict[str, tuple[int, ...]] | None = None,
        shares: Mapping[str, tuple] | None = None,
    ):
        self.kb = kb
        self.known_pairs = pairs or {}  # the counterparts' pairs of meetings already known (kb.site.graph)
        # Which of each meeting's outcomes are open on the day (their places in its outcomes), by
        # file: ``known_opens`` those the last build found that still hold (its file and the day
        # as then), ``opens`` those this build worked out (``_open_on_day``), both for the next.
        self.known_opens = opens or {}
        self.opens: dict[str, tuple[int, ...]] = {}
        # Each meeting's share of the commitments' index (``_commitment_share``), by file: those
        # the last build made that still hold (its file and what ids resolve to as then), and
        # this build's, both for the next.
        self.known_shares = shares if shares is not None else {}  # as given: a packed one is decoded when read
        self.shares: dict[str, tuple] = {}
        # What the home page's charts read (every meeting's outcomes and the rest of what other
        # pages show of it, the day: a digest of them, worked out when asked for, set by the
        # build's plan), and the charts the last build kept with the same (``[key, charts]``).
        self.charts_stamp: Callable[[], str] | None = None
        self.kept_charts: list = []
        # Each meeting's spans of years of its outcomes' statuses (kb.site.charts.meeting_spans),
        # by file, with the years' ends they were found for: ``[ends, {file: spans}]``, the last
        # build's (of the files as then) and this build's.
        self.known_spans: list = []
        self.spans: list = []
        self.row_digests = {}  # set by the build's plan: the meetings' rows' keys
        self.today = today
        self.meetings = kb.sorted_meetings
        self.archives: dict[str, dict] = {}  # stored copies the readers may see, by key (set by the build)
        self.position = {m.id: i for i, m in enumerate(self.meetings)}
        self.holders = kb.holders_by_post
        self._rows: dict[str, dict] = {}
        self._outcome_rows: dict[tuple[str, int, str | None], dict] = {}
        self._open: dict[tuple[str, str], list[tuple]] = {}  # open items and their keys by meeting and relation
        # The open items' rows' keys (kb.site.paging.Rows) and the links rows show, once a build.
        self._outcome_keys: dict[tuple[str, int, str | None], tuple] = {}
        self._open_on: dict[str, list[tuple]] = {}  # each meeting's items open on the day
        self._refs: dict[tuple[str, str], dict] = {}
        self._parties: dict[str, dict | None] = {}
        self._party_keys: dict[str, str] = {}
        self._markings: dict[str, frozenset[str]] = {}  # the markings each meeting uses, by id
        self._past: dict[str, bool] = {}  # whether each due date as written is past on the day
        # the meetings (by file) that may refer to each meeting, by id, when the build's plan knows
        # them (kb.site.deps.Reach): ``references`` then reads those alone
        self.referrers: dict[str, list[str]] | None = None
        self.hits: dict[str, list[tuple[str, str]]] = {}
        self.words: dict[str, str] = {}  # each meeting's words a mention may be of (``_meeting_mentions``)
        self.scanned = 0  # the meetings whose text was read for mentions in this build
        self.mentions = self._mentions(mentions or {}, words or {})
        self.mentions_in: dict[str, list[tuple[str, str]]] = {}
        for key, found in sorted(self.mentions.items()):
            for meeting, name in found:
                self.mentions_in.setdefault(meeting.id, []).append((key, name))

    @cached_property
    def charts_key(self) -> str | None:
        return self.charts_stamp() if self.charts_stamp is not None else None

    @cached_property
    def home_charts(self) -> list[dict]:
        """The home page's charts (kb.site.charts), the last build's when they read the same."""
        from kb.site import charts

        if self.kept_charts and self.kept_charts[0] == self.charts_key:
            return charts.unpacked(self.kept_charts[1])
        return charts.home_charts(self)

    def status_spans(self, ends: list[dt.date]) -> list:
        """Every meeting's ``charts.meeting_spans`` for ``ends``, the last build's where its file
        and the years' ends are as then."""
        from kb.site import charts

        marks = [day.isoformat() for day in ends]
        known = self.known_spans[1] if self.known_spans[:1] == [marks] else {}
        found = {}
        for meeting in self.meetings:
            spans = known.get(meeting.relpath)
            found[meeting.relpath] = spans if spans is not None else charts.meeting_spans(meeting, ends)
        self.spans = [marks, found]
        return list(found.values())

    def charts_to_keep(self) -> list:
        """``[key, charts]`` for the next build: those made or taken in this one, else those kept."""
        from kb.site import charts

        if "home_charts" in vars(self):
            return [self.charts_key, charts.packed(self.home_charts)] if self.charts_key is not None else []
        if not self.kept_charts:
            return []
        return self.kept_charts if self.kept_charts[0] == self.charts_key else []

    def forget_rows(self) -> None:
        """Let go of the rows kept for the pages (every meeting's, outcome's and open item's, a
        tenth of a cold build's memory at 10,000 meetings) once every page is made."""
        kept: tuple[dict, ...] = (self._rows, self._outcome_rows, self._open, self._open_on, self._outcome_keys)
        for each in (*kept, self._refs, self._parties, self._commitment_keys):
            each.clear()

    # -- shared indexes, each built when a page (or the build's plan) first reads it -----------
    # An edit re-renders a few pages: an index none of them reads is not built.

    @cached_property
    def references(self) -> dict[str, list] | References:
        """``links.references_index``: whole, or read per meeting asked for from ``referrers``."""
        return links.references_index(self.kb) if self.referrers is None else References(self, self.referrers)

    @cached_property
    def _scope(self) -> tuple[dict[str, list[Meeting]], dict[str, list[Meeting]]]:
        return scope.indexed(self.kb)  # open_with asks them per record

    @property
    def org_meetings(self) -> dict[str, list[Meeting]]:
        return self._scope[0]

    @property
    def country_meetings(self) -> dict[str, list[Meeting]]:
        return self._scope[1]

    @cached_property
    def people_by_country(self) -> dict[str | None, list]:
        found: dict[str | None, list] = {}
        for person in sorted(self.kb.people.values(), key=lambda p: (p.sort_name, p.id)):
            found.setdefault(person.country(), []).append(person)
        return found

    @cached_property
    def orgs_by_country(self) -> dict[str | None, list]:
        found: dict[str | None, list] = {}
        for org in sorted(self.kb.orgs.values(), key=lambda o: (o.name, o.id)):
            found.setdefault(org.country(), []).append(org)
        return found

    @cached_property
    def children(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for org in sorted(self.kb.orgs.values(), key=lambda o: (o.name, o.id)):
            parent = self.kb.resolve_id("org", org.parent) if org.parent else None
            if parent:
                found.setdefault(parent, []).append(org.id)
        return found

    @cached_property
    def roles_in_org(self) -> dict[str, list[tuple]]:
        found: dict[str, list[tuple]] = {}
        for person in self.kb.people.values():
            for role in person.roles:
                org_id = self.kb.resolve_id("org", role.org) if role.org else None
                if org_id:
                    found.setdefault(org_id, []).append((person, role))
        return found

    @cached_property
    def commitments(self) -> dict[str, list[tuple]]:
        return self._commitments()

    @cached_property
    def countries(self) -> list[str]:
        return self._countries()

    # -- references --------------------------------------------------------------------------

    def name_of(self, kind: str, ident: str) -> str:
        if kind == "person":
            person = self.kb.people.get(self.kb.resolve_id("person", ident) or ident)
            return person.name if person else ident
        if kind == "org":
            org = self.kb.orgs.get(self.kb.resolve_id("org", ident) or ident)
            return org.name if org else ident
        if kind == "country":
            return countries.name(ident) or ident
        if kind == "topic":
            topic = self.kb.topics.get(ident)
            return topic.label if topic else ident
        if kind == "meeting":
            meeting = self.kb.meetings.get(ident)
            return meeting.title if meeting else ident
        return ident

    def ref(self, kind: str, ident: str | None) -> dict | None:
        """A link to a record, or a plain label when there is no page for it (the same dict each
        time: templates only read it)."""
        if not ident:
            return None
        found = self._refs.get((kind, ident))
        if found is None:
            found = self._refs[(kind, ident)] = self._ref(kind, ident)
        return found

    def _ref(self, kind: str, ident: str) -> dict:
        if kind in ("person", "org"):
            current = self.kb.resolve_id(kind, ident)
            exists = current is not None
            ident = current or ident
        elif kind == "country":
            exists = ident in self.countries
        elif kind == "topic":
            exists = ident in self.kb.topics
        elif kind == "meeting":
            exists = ident in self.kb.meetings
        else:
            exists = True
        return {
            "kind": kind,
            "id": ident,
            "label": self.name_of(kind, ident),
            "href": href(kind, ident) if exists else None,
        }

    def party(self, ident: str) -> dict | None:
        """A `by`/`to`/`owner` of an outcome: a country, person or organisation (the same dict
        each time)."""
        if ident not in self._parties:
            self._parties[ident] = self._party(ident)
        return self._parties[ident]

    def _party(self, ident: str) -> dict | None:
        for kind in ("person", "org"):
            if self.kb.resolve_id(kind, ident):
                return self.ref(kind, ident)
        if countries.name(ident):
            return self.ref("country", ident)
        return {"kind": "other", "id": ident, "label": ident, "href": None}

    # -- rows ----------------------------------------------------------------------------------
    # A page's digest is made from its rows' keys (kb.site.paging.Rows), without making the rows:
    # two rows with the same key are the same row. A meeting's row is its own key (a few fields of
    # the meeting, made once a build). An outcome's row is made from its key alone: what it shows
    # of another record (a link) or of the day is in its key, and the row takes it from there.

    def meeting_rows(self, meetings: list[Meeting]) -> paging.Rows:
        return paging.Rows(meetings, [self.meeting_key(m) for m in meetings], self.meeting_row)

    def meeting_key(self, meeting: Meeting) -> tuple | dict:
        """The key of ``meeting_row(meeting)``, made without decoding the meeting: the digest of
        what the audience's copy holds of it but its outcomes and its own page's text
        (``row_digests``, made from the copy this build reads: the audience and kb.yaml's cuts are
        in it), or the row itself when it is not known. The row shows the meeting's own fields and
        a link to its country (a function of the code, which every page's digest holds)."""
        digest = self.row_digests.get(meeting.relpath)
        if digest is None:
            return self.meeting_row(meeting)
        return ("meeting", meeting.id, digest)

    def meeting_row(self, meeting: Meeting, note: str | None = None) -> dict:
        """A meeting as a line of a list; the same dict each time (templates only read it)."""
        if note is None and meeting.id in self._rows:
            return self._rows[meeting.id]
        mode, title, place = self.share(meeting)[2:5]  # not decoded when its share is known
        row = {
            "id": meeting.id,
            "href": href("meeting", meeting.id),
            "title": title,
            "date": str(meeting.date),
            "human_date": meeting.date.human(),
            "status": meeting.status,
            "mode": mode or "",
            "place": place or "",
            "country": self.ref("country", meeting.location_country),
            "note": note,
            "sensitivity": meeting.sensitivity,
        }
        if note is None:
            self._rows[meeting.id] = row
        return row

    # -- indexes -------------------------------------------------------------------------------

    def _commitments(self) -> dict[str, list[tuple]]:
        """Each party (person, org, country) to (meeting, the outcome's place in its outcomes,
        how) for the outcomes with a status made by, to or owned by it, the rule of
        kb.query.links.commitments_involving, in one pass; a meeting's outcomes are read only
        when its share is not known (``known_shares``)."""
        index: dict[str, list[tuple]] = {}
        for meeting in self.meetings:
            parties = self.share(meeting)[0]
            for at in range(0, len(parties), 3):
                place, party, how = parties[at : at + 3]
                index.setdefault(party, []).append((meeting, place, how))
        return index

    def share(self, meeting: Meeting) -> tuple:
        """``_commitment_share(meeting)`` (what the commitments' index, the rows and their keys and
        the home page's charts read of it), the last build's while its file and what ids resolve to are as
        then (``known_shares``)."""
        path = meeting.relpath
        found = self.known_shares.get(path) or self.shares.get(path)
        if found is None:
            found = self.shares[path] = self._commitment_share(meeting)
        return found

    def commitments_in(self, meeting: Meeting) -> list[tuple]:
        """(meeting, place, status, due as written, outcome id) of each outcome of ``meeting`` with a
        status, in order, read from its share (the meeting is not decoded when it is known)."""
        return [(meeting, *facts[:4]) for facts in self.share(meeting)[1]]

    def counterparts_of(self, meeting: Meeting) -> list[tuple[str | None, str | None, str]]:
        """``scope.counterparts(kb, meeting)`` as (person, org, side), from its share."""
        seated = self.share(meeting)[5]
        return list(zip(seated[::3], seated[1::3], seated[2::3], strict=True))

    def facet_parts(self, meeting: Meeting) -> tuple[tuple[str, ...], list[str]]:
        """The countries ``meeting`` belongs to (sorted) and its counterparts met in person, from
        its share (kb.site.facets.meeting_keys)."""
        share = self.share(meeting)
        seated = share[5]
        return share[6], list(dict.fromkeys(person for person in seated[::3] if person))

    def seats_of(self, meeting: Meeting) -> tuple:
        """``counterparts.seats(kb, meeting)``, from its share."""
        return self.share(meeting)[7]

    def mode_of(self, meeting: Meeting) -> str | None:
        """The meeting's mode, from its share (not decoded when the share is known)."""
        return self.share(meeting)[2]

    def is_overdue(self, status: str, due: str | None) -> bool:
        """``Outcome.overdue`` on the day, from the status and the due date as written."""
        return status in OPEN_STATUSES and due is not None and self._past_due(due)

    def _past_due(self, due: str) -> bool:
        past = self._past.get(due)
        if past is None:
            past = self._past[due] = PartialDate.parse(due).latest() < self.today
        return past

    def _commitment_share(self, meeting: Meeting) -> tuple:
        """((place, party, how, place, party, how, ...), facts): each party of each outcome of
        ``meeting`` with a status, the outcome by its place in the meeting's outcomes (flat: few
        objects to keep); and of each such outcome what its row's key reads of it (``commitment_key``):
        its place, status, due date as written, id, parties as written and the meetings its
        updates name, a digest of its data; the meeting's mode, title and place (its row, the
        home page's chart of modes); its counterparts (kb.query.scope.counterparts, flat: person,
        organisation, side of each) and the countries it belongs to, sorted (the counterparts' map,
        the meetings' facets); every participant's seat (kb.site.counterparts.seats: the
        neighbourhoods). All of them are read from the meeting's file and what ids resolve to."""
        share: list = []
        facts: list = []
        for place, outcome in enumerate(meeting.outcomes):
            if not outcome.status:
                continue
            named = tuple(ident for _index, ident in outcome.update_meetings())
            written = (outcome.status, outcome.due_written, outcome.id, *_parties(outcome), named)
            facts.append((place, *written, _digest(outcome.data)))
            hows: dict[str, list[str]] = {}
            for key, parties in (("by", outcome.by), ("to", outcome.to)):
                for party in parties:
                    hows.setdefault(self._party_key(party), []).append(key)
            if outcome.owner:
                hows.setdefault(self._party_key(outcome.owner), []).append("owner")
            for party, how in hows.items():
                share += [place, party, ", ".join(dict.fromkeys(how))]
        seated = tuple(
            map(interned, (v for c in scope.counterparts(self.kb, meeting) for v in (c.person, c.org, c.side)))
        )
        places = tuple(map(interned, sorted(scope.meeting_countries(self.kb, meeting))))
        seats = tuple(tuple(map(interned, seat)) for seat in counterparts.seats(self.kb, meeting))
        return tuple(share), tuple(facts), meeting.mode, meeting.title, meeting.place, seated, places, seats

    def _party_key(self, ident: str) -> str:
        found = self._party_keys.get(ident)
        if found is None:
            found = self._party_keys[ident] = next(
                (f"{kind}:{current}" for kind in ("person", "org") if (current := self.kb.resolve_id(kind, ident))),
                f"country:{ident}",
            )
        return found

    def _countries(self) -> list[str]:
        codes = set()
        for meeting in self.meetings:
            country = meeting.location_country
            if country:
                codes.add(country)
            codes |= meeting.sides()
        records: list[Person | Org] = [*self.kb.people.values(), *self.kb.orgs.values()]
        codes |= {code for record in records if (code := record.country())}
        return sorted(c for c in codes if countries.name(c))

    def _mentions(self, known: dict[str, list], words: dict[str, str]) -> dict[str, list[tuple[Meeting, str]]]:
        """Unlinked mentions: a recorded name or alias (weak ones aside) in a meeting's summary or
        notes, of a person or organisation that is not among its participants or host.
        "person:<id>" -> [(meeting, the name as written)]. ``known`` gives the mentions of some
        meetings already, and ``words`` their texts' words (the build's cache, for meetings whose
        mentions cannot have moved: kb.site.deps.Moved); every meeting's are left in ``hits``
        and ``words`` by file, for the next build."""
        names = self.kb.name_index
        written: dict[str, str] | None = None  # a folded name to the name as recorded
        starts: dict[str, int] = {}  # a name's first word to the most words a name so begun has
        found: dict[str, list[tuple[Meeting, str]]] = {}
        for meeting in self.meetings:
            hits, text = known.get(meeting.relpath), words.get(meeting.relpath)
            if hits is None or text is None:
                if written is None:
                    written, starts = written_names(self.kb), _name_starts(names)
                hits, text = self._meeting_mentions(meeting, (names, starts), written)
                self.scanned += 1
            self.hits[meeting.relpath], self.words[meeting.relpath] = hits, text
            for key, name in hits:
                found.setdefault(key, []).append((meeting, name))
        return found

    def _meeting_mentions(
        self, meeting: Meeting, index: tuple, written: dict[str, str]
    ) -> tuple[list[tuple[str, str]], str]:
        """The names of ``index`` (the name index, and ``_name_starts`` of it) in the meeting's
        text, longest first at each word (only words that begin a name are tried); and the
        text's words, each once, sorted and joined by spaces (a name whose every word is not
        among them is not in the text: kb.site.deps.Moved)."""
        names, starts = index
        texts = [meeting.summary or ""] + [n.text for n in meeting.notes]
        # The records the meeting names are linked already: what it mentions is the others.
        present = {("person", p) for p in scope.meeting_people(self.kb, meeting)}
        present |= {("org", o) for o in scope.meeting_orgs(self.kb, meeting)}
        seen = set()
        hits = []
        every: set[str] = set()
        for text in texts:
            words = normalise(text).split()
            every.update(words)
            for i, word in enumerate(words):
                longest = starts.get(word)
                if longest is None:  # no name begins with this word
                    continue
                for n in range(min(MENTION_WORDS, longest), 0, -1):
                    key = " ".join(words[i : i + n])
                    for hit in sorted(names.get(key, ())):
                        if hit not in present and hit not in seen:
                            seen.add(hit)
                            hits.append((f"{hit[0]}:{hit[1]}", written.get(key, key)))
        return hits, " ".join(sorted(every))

    @cached_property
    def graph(self) -> graph.Graph:
        """Who met whom (built when a page or the build's plan first asks)."""
        return graph.Graph(self.kb, self.known_pairs)

    @cached_property
    def whole_graph(self) -> dict | None:
        """The counterparts' map of the whole knowledge base (one layout for the page and its SVG)."""
        return self.graph.whole(counterparts_of=self.counterparts_of)

    def marking(self, meetings) -> str | None:
        levels: set[str] = set()
        known = self._markings
        for meeting in meetings:
            used = known.get(meeting.id)
            if used is None:
                used = known[meeting.id] = frozenset(meeting.markings_used())
            levels |= used
        return highest(levels)

    def _open_key(self, outcome) -> tuple:
        """The key of an open item's outcome row (its outcome a copy with its status on the day):
        its meeting's row, which outcome, what the audience's copy holds of it, whether it is
        overdue on the day and the links it shows (its meeting is decoded for the item anyway)."""
        memo = (outcome.meeting.id, outcome.index, outcome.status)
        found = self._outcome_keys.get(memo)
        if found is None:
            found = self._outcome_keys[memo] = (
                self.meeting_row(outcome.meeting),
                outcome.index,
                outcome.data,
                outcome.overdue(self.today),
                tuple(map(self.party, outcome.by)),
                tuple(map(self.party, outcome.to)),
                self.party(outcome.owner) if outcome.owner else None,
                tuple(self.ref("meeting", meeting) for _index, meeting in outcome.update_meetings()),
            )
        return found

    def commitment_key(self, meeting: Meeting, place: int, how: str | None = None) -> tuple:
        """The key of the row of the outcome at ``place`` in ``meeting`` (which has a status), made
        from the meeting's share without decoding it: its meeting's key, which outcome, a digest of
        what the audience's copy holds of it, whether it is overdue on the day, the
        links to its parties (the same dicts the row shows) and the key of each meeting its
        updates name (the link's label is that meeting's title)."""
        return (*self._commitment_key(meeting, place), how)

    @cached_property
    def _commitment_keys(self) -> dict[tuple[str, int], tuple]:
        return {}  # each outcome's ``commitment_key`` but how, by meeting's file and place, once a build

    def _commitment_key(self, meeting: Meeting, place: int) -> tuple:
        found = self._commitment_keys.get((meeting.relpath, place))
        if found is None:
            found = self._commitment_keys[(meeting.relpath, place)] = self._make_commitment_key(meeting, place)
        return found

    def _make_commitment_key(self, meeting: Meeting, place: int) -> tuple:
        for facts in self.share(meeting)[1]:
            if facts[0] == place:
                break
        _place, status, due, _id, by, to, owner, named, digest = facts
        meetings = self.kb.meetings
        return (
            self.meeting_key(meeting),
            place,
            digest,
            self.is_overdue(status, due),
            tuple(map(self.party, by)),
            tuple(map(self.party, to)),
            self.party(owner) if owner else None,
            tuple(ident and (ident, self.meeting_key(m) if (m := meetings.get(ident)) else None) for ident in named),
        )

    def commitment_rows(self, found: list[tuple]) -> paging.Rows:
        """The rows of outcomes given as (meeting, place, ...) (``commitments_in``)."""
        keys = [self.commitment_key(meeting, place) for meeting, place, *_rest in found]
        return paging.Rows(found, keys, self._found_row)

    def _found_row(self, found: tuple) -> dict:
        return self.outcome_row(found[0].outcomes[found[1]])

    def outcome_row(self, outcome, how: str | None = None) -> dict:
        # An open item's outcome is a copy with its status on the day: a row of its own, so that
        # no row depends on which page asked first (a build may look at only some pages).
        key = (outcome.meeting.id, outcome.index, outcome.status)
        row = self._outcome_rows.get(key)
        if row is None:
            row = self._outcome_rows[key] = self._outcome_row(outcome)
        return row if how is None else {**row, "how": how}

    def _outcome_row(self, outcome) -> dict:
        status = outcome.status
        how = None
        linked = [self.ref("meeting", meeting) for _index, meeting in outcome.update_meetings()]
        return {
            "meeting": self.meeting_row(outcome.meeting),
            "id": outcome.id,
            "anchor": f"o-{outcome.id}",
            "kind": outcome.kind,
            "text": outcome.text,
            "status": status or "",
            "due": str(outcome.due) if outcome.due else "",
            "overdue": outcome.overdue(self.today),
            "by": list(map(self.party, outcome.by)),
            "to": list(map(self.party, outcome.to)),
            "owner": self.party(outcome.owner) if outcome.owner else None,
            "how": how,
            "updates": [
                {"date": str(u.date), "status": u.status, "note": u.note or "", "meeting": meeting}
                for u, meeting in zip(outcome.updates, linked, strict=True)
            ],
            "sensitivity": outcome.sensitivity,
        }

    def open_with(self, kind: str, ident: str) -> paging.Rows:
        """What is open with a person, organisation or country (:func:`kb.query.scope.open_items`,
        the brief's list), each row with when it was made, whether it has gone stale and whose
        move it is. Not how many days it has been open: every page would then change every day.
        Each meeting's items are worked out once per relation, whichever pages list them (a
        country's meetings are in each of its people's lists); their rows only for a page shown."""
        found = [entry for meeting, relation in self.related(kind, ident) for entry in self._open_in(meeting, relation)]
        found.sort(key=lambda entry: entry[0].sort_key(self.today))  # as scope.open_items_in
        return paging.Rows(found, [key for _item, key in found], self._open_row)

    def related(self, kind: str, ident: str) -> list[tuple[Meeting, str]]:
        """(meeting, relation) of the meetings of a record by the brief's rules
        (``scope.meetings_for``) of which an outcome may be open on the day, looked for among those
        alone (a few hundred of 10,000 hub meetings), not among every meeting of the record, of its
        predecessors and of its country."""
        among = self._candidates_of
        found = scope.meetings_for(
            self.kb,
            kind,
            ident,
            self.today,
            related=True,
            only=self._may_be_open,
            among=lambda kind, ident: among[kind].get(ident, ()),
        )
        return [(s.meeting, s.relation) for s in found]

    @cached_property
    def _candidates_of(self) -> dict[str, dict[str, list[Meeting]]]:
        """Of each person, organisation and country, its meetings (the site's indexes, in order)
        among ``_candidates``."""
        candidates = {meeting.relpath for meeting in self._candidates}
        indexes = {
            "person": scope.person_meetings_index(self.kb),
            "org": self.org_meetings,
            "country": self.country_meetings,
        }
        return {
            kind: {
                ident: kept
                for ident, meetings in index.items()
                if (kept := [m for m in meetings if m.relpath in candidates])
            }
            for kind, index in indexes.items()
        }

    @cached_property
    def _candidates(self) -> list[Meeting]:
        """The meetings an outcome of which may be open on the day (``_may_be_open``), in order."""
        return [meeting for meeting in self.meetings if self._may_be_open(meeting)]

    def has_open(self, meeting: Meeting) -> bool:
        """Whether an outcome of ``meeting`` is open on the day (``_open_on_day``)."""
        return bool(self._open_on_day(meeting))

    def _may_be_open(self, meeting: Meeting) -> bool:
        """Whether an outcome of ``meeting`` may be open on the day: not when the last build found
        none open and neither its file nor the day moved since (``known_opens``)."""
        return self.known_opens.get(meeting.relpath) != ()

    def _open_in(self, meeting: Meeting, relation: str) -> list[tuple]:
        """(open item, its row's key) of each open item of ``meeting`` so related, in order. The
        key: its outcome's (with its status on the day), how the meeting is related, when the
        item last changed, whether it has gone stale and whose move it is."""
        key = (meeting.id, relation)
        found = self._open.get(key)
        if found is None:
            found = self._open[key] = [
                (dataclasses.replace(item, relation=relation), (outcome_key, relation, *facts))
                for item, outcome_key, facts in self._open_on_day(meeting)
            ]
        return found

    def _open_on_day(self, meeting: Meeting) -> list[tuple]:
        """(open item, its outcome's key, the facts its row shows of the day) of each outcome of
        ``meeting`` open on the day, whatever the meeting's relation (worked out once a build)."""
        found = self._open_on.get(meeting.id)
        if found is None:
            after = self.stale_after
            found = self._open_on[meeting.id] = []
            known = self.known_opens.get(meeting.relpath)
            if known == ():  # none open: the meeting's outcomes are not even decoded
                self.opens[meeting.relpath] = known
                return found
            outcomes = meeting.outcomes
            places = range(len(outcomes)) if known is None else known
            opens = []
            for place in places:
                item = scope.open_item(outcomes[place], "", self.today, after)
                if item is not None:
                    opens.append(place)
                    move = describe.moves(self.kb, outcomes[place])[2]
                    found.append((item, self._open_key(item.outcome), (str(item.last_change), item.stale, move)))
            self.opens[meeting.relpath] = tuple(opens)
        return found

    @cached_property
    def stale_after(self) -> tuple[int, str]:
        return scope.stale_after(self.kb)

    def _open_row(self, entry: tuple) -> dict:
        item, (outcome_key, relation, last_change, stale, move) = entry
        _meeting, _index, _data, overdue, *_links = outcome_key
        row = self.outcome_row(item.outcome)
        extra = {"status": item.outcome.status, "overdue": overdue, "ref": item.ref, "made": str(item.made)}
        extra |= {"last_change": last_change, "stale": stale, "next_move": move}
        return {**row, **extra, "relation": relation}

    def commitments_of(self, key: str) -> paging.Rows:
        found = self.commitments.get(key, [])
        keys = [self.commitment_key(meeting, place, how) for meeting, place, how in found]
        return paging.Rows(found, keys, self._commitment_row)

    def _commitment_row(self, found: tuple) -> dict:
        meeting, place, how = found
        return self.outcome_row(meeting.outcomes[place], how)

    def mentions_of(self, key: str) -> paging.Rows:
        found = self.mentions.get(key, [])
        return paging.Rows(found, [(self.meeting_key(m), name) for m, name in found], self._mention_row)

    def _mention_row(self, found: tuple) -> dict:
        meeting, name = found
        return {**self.meeting_row(meeting), "as": name}


class References:
    """``links.references_index`` of a site's meetings, worked out for each meeting asked for from
    the meetings that may refer to it (``referrers``, by id: their files), in the site's order."""

    def __init__(self, site: Site, referrers: dict[str, list[str]]):
        self.site = site
        self.referrers = referrers
        self.found: dict[str, list] = {}
        self.order: dict[str, tuple[int, Meeting]] | None = None

    def get(self, ident: str, default=None):
        if ident not in self.found:
            if self.order is None:
                self.order = {m.relpath: (n, m) for n, m in enumerate(self.site.meetings)}
            places = sorted(self.order[path] for path in self.referrers.get(ident, ()) if path in self.order)
            found = links.references_index(self.site.kb, [meeting for _n, meeting in places])
            self.found[ident] = found.get(ident, [])
        return self.found[ident] or default


def _digest(data) -> str:
    """A digest of decoded data (plain containers and scalars, in the file's order)."""
    return hashlib.blake2b(repr(data).encode("utf-8"), digest_size=16).hexdigest()


def _parties(outcome) -> tuple:
    """An outcome's parties as written: (by, to, owner)."""
    return tuple(outcome.by), tuple(outcome.to), outcome.owner


def _name_starts(names: dict[str, set]) -> dict[str, int]:
    """Each first word of a name in ``names`` (folded, words joined by one space) to the most
    words of a name that begins with it: a mention is looked for only where one may begin."""
    starts: dict[str, int] = {}
    for key in names:
        words = key.split(" ")
        starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


def written_names(kb: KnowledgeBase) -> dict[str, str]:
    """Each folded name or alias (weak ones aside) to the name as the first record has it."""
    written: dict[str, str] = {}
    records: list[Person | Org] = [*kb.people.values(), *kb.orgs.values()]
    for record in records:
        for name in record.matching_names():
            written.setdefault(normalise(name), name)
    return written


def _span(role) -> str:
    start = role.start.human() if role.start else "?"
    return f"{start} – {role.end.human()}" if role.end else f"since {start}"


def _fraction(date, end: bool = False) -> float:
    day = date.latest() if end else date.earliest()
    return day.year + (day.timetuple().tm_yday - (0 if end else 1)) / 366


# -- the pages ---------------------------------------------------------------------------------


def _source_rows(site: Site, meeting: Meeting) -> list[dict]:
    """A meeting's sources: a live link only to a web address, and its stored copy when there is one."""
    return [
        {
            "url": s.url if str(s.url or "").startswith(("https://", "http://")) else None,
            "label": s.title or s.publisher or s.url or s.document or "source",
            "publisher": s.publisher or "",
            "published": s.published_written or "",
            "document": s.document or "",
            "note": s.note or "",
            "archive": href("source", s.archive) if s.archive in site.archives else None,
            "archived": s.archived if str(s.archived or "").startswith("https://") else None,
        }
        for s in meeting.sources
    ]


def meeting_page(site: Site, meeting: Meeting) -> dict:
    kb = site.kb
    participants = [
        {
            "person": site.ref("person", p.person),
            "org": site.ref("org", p.org),
            "side": site.ref("country", p.side),
            "title": p.title or "",
            "role": p.role or "",
        }
        for p in meeting.participants
    ]
    people = set(scope.counterpart_people(kb, meeting))
    # meetings with any of the same counterparts, in date order (positions in the sorted list)
    by_person, position = scope.person_meetings_index(kb), site.position
    related = {other.id: other for person in people for other in by_person.get(person, ())}
    related.pop(meeting.id, None)
    ordered = sorted(related.values(), key=lambda m: position[m.id])
    own = position[meeting.id]
    earlier = [site.meeting_row(m) for m in ordered if position[m.id] < own]
    later = [site.meeting_row(m) for m in ordered if position[m.id] > own]
    mentioned = [
        {"ref": site.ref(*key.split(":", 1)), "as": name} for key, name in site.mentions_in.get(meeting.id, [])
    ]
    return {
        "kind": "meeting",
        "title": meeting.title,
        "meeting": site.meeting_row(meeting),
        "end_date": str(meeting.end_date) if meeting.end_date else "",
        "place": meeting.place or "",
        "country": site.ref("country", meeting.location_country),
        "host": site.ref("org", meeting.host),
        "participants": participants,
        "topics": [site.ref("topic", t) for t in meeting.topic_ids],
        "summary": meeting.summary or "",
        "outcomes": [site.outcome_row(o) for o in meeting.outcomes],
        "claims": [{"text": c.text, "by": site.party(c.by) if c.by else None} for c in meeting.claims],
        "quotes": [{"text": q.text, "speaker": site.ref("person", q.speaker)} for q in meeting.quotes],
        "notes": [n.text for n in meeting.notes],
        "sources": _source_rows(site, meeting),
        "referenced_by": [{**site.meeting_row(m), "how": how} for m, how in site.references.get(meeting.id, [])],
        "parent": site.ref("meeting", meeting.parent),
        "follows": [site.ref("meeting", f) for f in meeting.follows],
        "earlier": earlier,
        "later": later,
        "mentioned": mentioned,
        "path": meeting.relpath,
        "marking": site.marking([meeting]),
    }


def person_page(site: Site, person: Person) -> dict:  # long: the page's sections in order; the site is being rewritten
    kb = site.kb
    meetings = scope.person_meetings_index(kb).get(person.id, [])
    years = [r.start.year for r in person.roles if r.start] + [r.end.year for r in person.roles if r.end]
    years += [m.date.year for m in meetings]
    gantt = None
    dated = [r for r in person.roles if r.start]
    if dated:
        first, last = min(years), max(years + [site.today.year])
        bars = [
            (
                r.title + (" (acting)" if r.acting else ""),
                _fraction(r.start),
                _fraction(r.end, end=True) if r.end else float(last + 1),  # open: to the chart's end
                r.end is None,
            )
            for r in person.roles
            if r.start
        ]
        gantt = Markup(
            svg.gantt(
                f"roles-{person.id}",
                f"Roles of {person.name} over time",
                f"{len(bars)} role(s) from {first} to {last}; the same roles are listed in the table below.",
                bars,
                first,
                last,
            )
        )
    posts = []
    for post in dict.fromkeys(r.post for r in person.roles if r.post):
        holders = site.holders[post]
        if len(holders) < 2:
            continue
        posts.append(
            {
                "post": site.ref("post", post),
                "holders": [
                    {"person": site.ref("person", p.id), "title": r.title, "span": _span(r), "self": p.id == person.id}
                    for p, r in holders
                ],
            }
        )
    met: Counter = Counter()
    for meeting in meetings:
        for other in dict.fromkeys(meeting.person_ids()):
            other = kb.resolve_id("person", other) or other
            if other != person.id:
                met[other] += 1
    met_with = [
        {"person": site.ref("person", p), "count": n}
        for p, n in sorted(met.items(), key=lambda pn: (-pn[1], pn[0]))[:100]
    ]
    return {
        "kind": "person",
        "title": person.name,
        "person": {
            "name": person.name,
            "country": site.ref("country", person.country()),
            "native": describe.native_name(person),
            "aliases": [{"name": a.name, "kind": a.kind, "lang": a.lang} for a in person.aliases],
            "notes": person.notes or "",
        },
        "gantt": gantt,
        "roles": [
            {
                "title": r.title,
                "org": site.ref("org", r.org),
                "post": site.ref("post", r.post),
                "span": _span(r),
                "acting": r.acting,
            }
            for r in person.roles
        ],
        "posts": posts,
        "meetings": site.meeting_rows(meetings[::-1]),
        "open": site.open_with("person", person.id),
        "commitments": site.commitments_of(f"person:{person.id}"),
        "met_with": met_with,
        "met_with_total": len(met),
        "mentions": site.mentions_of(f"person:{person.id}"),
        "neighbourhood": neighbourhood(site, "person", person.id, meetings),
        "path": person.relpath,
        "marking": site.marking(meetings) if meetings else None,
    }


def neighbourhood(site: Site, kind: str, ident: str, meetings: list[Meeting]) -> dict | None:
    """Who sat across the table from a person or organisation (kb.site.counterparts)."""

    def node(key: str) -> dict | None:
        return site.ref(*key.split(":", 1))

    return counterparts.neighbourhood(site.kb, f"{kind}:{ident}", meetings, node, seats_of=site.seats_of)


def org_page(site: Site, org) -> dict:
    meetings = site.org_meetings.get(org.id, [])
    below: set[str] = set()
    todo = list(site.children.get(org.id, []))
    while todo:  # the organisations under it, at any depth (scope.org_family)
        child = todo.pop()
        if child not in below and child != org.id:
            below.add(child)
            todo += site.children.get(child, [])
    return {
        "kind": "org",
        "title": org.name,
        "org": {
            "name": org.name,
            "abbreviation": org.abbreviation or "",
            "kind": org.org_kind or "",
            "country": site.ref("country", org.country()),
            "parent": site.ref("org", org.parent),
            "aliases": list(org.aliases),
        },
        "below": [site.ref("org", o) for o in sorted(below)],
        "people": [
            {"person": site.ref("person", p.id), "title": r.title, "span": _span(r)}
            for p, r in sorted(
                site.roles_in_org.get(org.id, []),
                key=lambda pr: (pr[1].start.sort_key() if pr[1].start else (0,), pr[0].id),
            )
        ],
        "meetings": site.meeting_rows(meetings[::-1]),
        "open": site.open_with("org", org.id),
        "commitments": site.commitments_of(f"org:{org.id}"),
        "mentions": site.mentions_of(f"org:{org.id}"),
        "neighbourhood": neighbourhood(site, "org", org.id, meetings),
        "path": org.relpath,
        "marking": site.marking(meetings),
    }


def country_page(site: Site, code: str) -> dict:
    meetings = site.country_meetings.get(code, [])
    per_year = Counter(m.date.year for m in meetings)
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    name = countries.name(code) or code
    chart = None
    if years:
        chart = {
            "id": f"per-year-{code}",
            "title": f"Meetings with {name} per year",
            "svg": Markup(
                svg.stacked_bars(
                    f"per-year-{code}",
                    f"Meetings with {name} per year",
                    f"{len(meetings)} meetings from {years[0]} to {years[-1]}; the numbers are in the table beside.",
                    [str(y) for y in years],
                    ["meetings"],
                    {(str(y), "meetings"): per_year[y] for y in years},
                )
            ),
            "columns": ["Year", "Meetings"],
            "rows": [[str(y), per_year[y]] for y in years],
        }
    people = site.people_by_country.get(code, [])
    orgs = site.orgs_by_country.get(code, [])
    return {
        "kind": "country",
        "title": name,
        "code": code,
        "chart": chart,
        "people": [site.ref("person", p.id) for p in people],
        "orgs": [site.ref("org", o.id) for o in orgs],
        "open": site.open_with("country", code),
        "ours": site.kb.is_ours(code),
        "meetings": site.meeting_rows(meetings),
        "ego": site.graph.ego("country", code),
        "path": None,
        "marking": site.marking(meetings),
    }


def topic_page(site: Site, topic) -> dict:
    meetings = [m for m in site.meetings if scope.has_topic(m, topic.id)]
    return {
        "kind": "topic",
        "title": topic.label,
        "topic": {"id": topic.id, "synonyms": list(topic.synonyms)},
        "meetings": site.meeting_rows(meetings[::-1]),
        "path": "topics.yaml",
        "marking": site.marking(meetings),
    }


def post_page(site: Site, post: str) -> dict:
    holders = site.holders.get(post, [])
    return {
        "kind": "post",
        "title": f"Post: {post}",
        "post": post,
        "holders": [
            {
                "person": site.ref("person", p.id),
                "title": r.title,
                "span": _span(r),
                "org": site.ref("org", r.org),
                "acting": r.acting,
            }
            for p, r in holders
        ],
        "path": None,
        "marking": None,
    }


def all_posts(kb: KnowledgeBase) -> list[str]:
    return sorted({r.post for p in kb.people.values() for r in p.roles if r.post})
