"""Which pages read which records, so that an edit re-renders those pages and no others.

Each meeting, person and organisation the audience sees has *keys*: what in its own content ties
it to other pages (the people, organisations, countries, topics and meetings it names, its
counterparts, the names its text mentions; a person's ids, posts, organisations and country; an
organisation's ids, parent and country). Keys are kept with the record's content hash and worked
out again when the record or the names and ids recorded change. A record changed when its hash or its keys differ from the last
build's; the pages to render again are those its old keys and its new keys lead to, each key
followed through the indexes of *this* build (``Site``). That is enough: a page showed the old
record through a chain of records, and every link of that chain either is unchanged (so today's
indexes still hold it) or is a changed record itself (so its own pages are rendered again).

A page that reads everything (the home page, the lists, the commitments, the graph) is looked at
whenever any record changed in what it shows of it (all but ``LOCAL``), the search index
whenever any record changed; a change to what only a meeting's own page shows (its summary, notes,
claims, quotes, sources) looks at that page alone.
What other pages show of a meeting is digested in three parts (``shared_digest``): its title, its
outcomes and the rest (with every marking it uses and the names it mentions). When only the title
or the outcomes moved, its keys are followed to the pages that list meetings or commitments, never
to those that draw the graph (``across``: the graphs read participants and sides, never a title or
an outcome), and an outcome alone to no topic's page (they list meetings, not their outcomes); of
the pages that read everything only those that show the part that moved are looked at
(``ASPECTS``). The argument above holds for each part: a page that shows a meeting's title or
outcomes reads them through the same chain of keys as the rest.
A meeting is on some pages only among what is open with a record (``Site.open_with``): a
successor's in a post lists what is open from a predecessor's meetings, a person's what is open
with their country. Those pages show the meeting only through its outcomes open on the day, so
they are not looked at for a meeting with none open in the last build (``State.opens``, for its
file then and that build's day) and none open now (``closed``): they showed nothing of it then and
show nothing of it now. A meeting that only names a changed record (its keys hold a reference to
it, or to the changed meeting) is followed the same way, by its own outcomes.
A long page cut into pages (kb.site.paging) is looked at as one, by its first page's path: each of
its pages has a digest of its own, so only those whose rows moved are rendered.
What is not a meeting, person or organisation (kb.yaml, topics.yaml, the templates, kb's code,
the audience, the stored copies, the year) is in the build's stamp: when it moves every page is
looked at.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence

from kb.model import countries, dates
from kb.model.records import KnowledgeBase, Meeting, Org, Person
from kb.query import scope
from kb.site.pages import MENTION_WORDS, Site, href, written_names

AGGREGATES = (
    "index.html",
    "meetings.html",
    "people.html",
    "orgs.html",
    "countries.html",
    "topics.html",
    "commitments.html",
    "graph.html",
    "search.html",
)


# What of a person's or an organisation's file is a name (or an alias, found in the text of meetings:
# those whose mentions move are followed as such). When nothing else in it changed, the pages
# that read every record show it otherwise only where they name it (``NAMED``, by the record's
# folder: a person is a facet of the meetings' list, an organisation of none) or, in their rows,
# link to its page (``LINKED``: the parties to outcomes, on the home page and the commitments).
NAME_FIELDS = frozenset({"name", "given_name", "family_name", "sort_name", "aliases", "abbreviation"})
NAMED = {
    "people/": ("meetings.html", "people.html", "graph.html", "graph.svg"),
    "orgs/": ("orgs.html", "graph.html", "graph.svg"),
}
LINKED = ("index.html", "commitments.html")


def record_digests(site: Site, changed: set[str] | None, known: dict[str, str]) -> dict[str, str]:
    """Each visible person's and organisation's file's digest of all but its names
    (``NAME_FIELDS``), by file: worked out for those ``changed`` (all when None), the others' as
    ``known``."""
    found = {}
    for record in (*site.kb.people.values(), *site.kb.orgs.values()):
        path = record.relpath
        if changed is None or path in changed or path not in known:
            found[path] = _digest({key: value for key, value in record.data.items() if key not in NAME_FIELDS})
        else:
            found[path] = known[path]
    return found


def names_stamp(kb: KnowledgeBase) -> str:
    """What every meeting's mentions depend on besides its own content: the names and aliases
    recorded and the former ids that lead to current ones."""
    names = sorted((key, sorted(hits)) for key, hits in kb.name_index.items())
    written = sorted(written_names(kb).items())
    former = {kind: sorted(kb.former_to_current(kind).items()) for kind in ("person", "org")}
    parts = [names, written, former, sorted(kb.people), sorted(kb.orgs)]
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).hexdigest()


def lookup(kb: KnowledgeBase) -> dict:
    """What a meeting's keys, mentions and counterparts' pairs read of the people and
    organisations besides their files: the names a mention is found by (``name_index``, each
    name's records as sorted "kind:id"), the names as written (``written_names``) and, per kind,
    what each id a reference may use (current or former) resolves to (``resolve_id``) and each
    former id's record (``former_to_current``: a person's and an organisation's keys)."""
    names = {key: sorted(f"{kind}:{ident}" for kind, ident in hits) for key, hits in kb.name_index.items()}
    former = {kind: dict(kb.former_to_current(kind)) for kind in ("person", "org")}
    ids = {kind: {**former[kind], **{ident: ident for ident in kb.table(kind)}} for kind in ("person", "org")}
    return {"names": names, "written": written_names(kb), "ids": ids, "former": former}


class Moved:
    """What moved in ``lookup`` between two builds, and which meetings it reaches: ``refs``, the
    references that resolve otherwise (to another record or to none); ``resolved``, the meetings
    (by file) holding one of them (their keys, mentions and pairs read them); ``rescan``, those
    and the meetings whose text holds every word of a name whose records or written form moved
    (their mentions may differ: the others' are those found before)."""

    def __init__(self, before: dict, now: dict, keys: dict[str, list[str]], words: dict[str, str]):
        self.refs: set[str] = set()
        for table in ("ids", "former"):
            for kind in ("person", "org"):
                old, new = before.get(table, {}).get(kind, {}), now[table][kind]
                self.refs |= {ref for ref in old.keys() | new.keys() if old.get(ref) != new.get(ref)}
        self.resolved = referring(keys, self.refs)
        names = set()
        for table in ("names", "written"):
            old, new = before[table], now[table]
            names |= {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
        wanted = [[f" {word} " for word in name.split(" ")] for name in names if name.count(" ") < MENTION_WORDS]
        self.rescan = set(self.resolved)
        for path, text in words.items() if wanted else ():
            padded = f" {text} "
            if any(all(word in padded for word in name) for name in wanted):
                self.rescan.add(path)


def referring(keys: dict[str, list[str]], refs: set[str]) -> set[str]:
    """The records (by file) whose ``keys`` hold a reference as written to one of ``refs``."""
    if not refs:
        return set()
    wanted = {f"ref:{ref}" for ref in refs}
    return {path for path, found in keys.items() if not wanted.isdisjoint(found)}


# What of a meeting no page but its own (and the search index) shows; what it mentions is kept apart.
LOCAL = frozenset({"summary", "notes", "claims", "quotes", "sources"})
# What of a meeting only the lists of meetings (its title) and of commitments and open items (its
# outcomes) show: no graph, no facet and no list of people, organisations, countries or topics
# reads either (``ASPECTS``).
PARTS = ("title", "outcomes")


def shared_digest(site: Site, meeting: Meeting) -> str:
    """Digests of what other pages may read of a meeting, in three parts of ``PART`` characters
    each (one string: a few MB fewer objects in the build's state): its title, its outcomes and
    the rest but ``LOCAL``, with every marking it uses (a part's marking is in the rest) and the
    names its text mentions (the pages of those named list it)."""
    data = meeting.data
    rest = {key: value for key, value in data.items() if key not in LOCAL and key not in PARTS}
    marked = [rest, sorted(meeting.markings_used()), site.hits.get(meeting.relpath, [])]
    return "".join(_digest(part) for part in (data.get("title"), data.get("outcomes"), marked))


PART = 32  # the hexadecimal digits of each part of a ``shared_digest``


def _digest(value) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode("utf-8"), digest_size=16).hexdigest()


def aspect(before, now) -> str:
    """Which pages can show a moved meeting otherwise, from its ``shared_digest`` in the last
    build (``before``) and in this one (``now``): "listed" when only its title moved (and maybe its
    outcomes), "outcomes" when only its outcomes did, "all" otherwise (or when either is unknown)."""
    if not isinstance(before, str) or not isinstance(now, str) or before[2 * PART :] != now[2 * PART :]:
        return "all"
    return "listed" if before[:PART] != now[:PART] else "outcomes"


# The pages that read every record and can show each aspect of a change otherwise: a title is in
# the home page's lists, the meetings' list and the commitments' rows; an outcome in the home page
# (its charts and what is overdue) and the commitments. The other lists, the graph and the search
# page read the rest alone (counts, facets, pairs, markings).
ASPECTS = {
    "all": (*AGGREGATES, "graph.svg"),
    "listed": ("index.html", "meetings.html", "commitments.html"),
    "outcomes": ("index.html", "commitments.html"),
}


def record_keys(site: Site, known: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every visible meeting's, person's and organisation's keys, by file; ``known`` gives those
    of some files already (the last build's, for files and names as they were then: keys are a
    function of the record, the names and ids recorded, and kb.yaml). Each key is interned: one
    string however many records hold it, so the state (``marshal``) keeps it once and loads it once."""
    keys: dict[str, list[str]] = {}
    for meeting in site.meetings:
        found = known.get(meeting.relpath)
        keys[meeting.relpath] = found if found is not None else _sorted_interned(_meeting_keys(site, meeting))
    for person in site.kb.people.values():
        found = known.get(person.relpath)
        keys[person.relpath] = found if found is not None else _sorted_interned(_person_keys(site, person))
    for org in site.kb.orgs.values():
        found = known.get(org.relpath)
        keys[org.relpath] = found if found is not None else _sorted_interned(_org_keys(site, org))
    return keys


def _sorted_interned(keys: set[str]) -> list[str]:
    return [sys.intern(key) for key in sorted(keys)]


def _party(site: Site, ref: str | None, found: set[str]) -> None:
    """A reference to a person, organisation or country in a meeting, as keys: what it resolves
    to now, and the reference as written (``ref:``: a record that takes that id later turns it
    into a link)."""
    if not ref:
        return
    found.add(f"ref:{ref}")
    for kind in ("person", "org"):
        current = site.kb.resolve_id(kind, ref)
        if current:
            found.add(f"{kind}:{current}")
    if countries.name(ref):
        found.add(f"country:{ref}")


def _meeting_keys(site: Site, meeting: Meeting) -> set[str]:
    kb = site.kb
    found = {f"meeting:{meeting.id}"}
    for participant in meeting.participants:
        for ref in (participant.person, participant.org, participant.side):
            _party(site, ref, found)
    for ref in (meeting.host, meeting.location_country, *sorted(meeting.sides())):
        _party(site, ref, found)
    for ref in [q.speaker for q in meeting.quotes] + [c.by for c in meeting.claims]:
        _party(site, ref, found)
    for outcome in meeting.outcomes:
        for ref in (*outcome.by, *outcome.to, outcome.owner):
            _party(site, ref, found)
        targets = [outcome.fulfilled_by, *outcome.revisited_in, *(t for _, t in outcome.update_meetings())]
        targets.append((outcome.follows_up or "").partition("#")[0] or None)
        found |= {f"meeting:{t}" for t in targets if isinstance(t, str) and t}
    found |= {f"meeting:{t}" for t in (meeting.parent, *meeting.follows) if isinstance(t, str) and t}
    found |= {f"person:{p}" for p in scope.meeting_people(kb, meeting)}
    found |= {f"org:{o}" for o in scope.meeting_orgs(kb, meeting)}
    found |= {f"country:{c}" for c in scope.meeting_countries(kb, meeting)}
    found |= {f"counterpart:{p}" for p in scope.counterpart_people(kb, meeting)}
    found |= {f"topic:{t}" for t in meeting.topic_ids}
    found |= {key for key, _name in site.hits.get(meeting.relpath, ())}
    return found


def _person_keys(site: Site, person: Person) -> set[str]:
    kb = site.kb
    found = {f"self:person:{person.id}", f"id:{person.id}", f"place:{person.country()}"}
    found |= {f"id:{old}" for old, new in kb.former_to_current("person").items() if new == person.id}
    for role in person.roles:
        if role.post:
            found.add(f"post:{role.post}")
        if role.org:
            found.add(f"roleorg:{role.org}")
            current = kb.resolve_id("org", role.org)
            if current:
                found.add(f"roleorg:{current}")
    return found


def _org_keys(site: Site, org: Org) -> set[str]:
    kb = site.kb
    found = {f"self:org:{org.id}", f"id:{org.id}", f"place:{org.country()}"}
    found |= {f"id:{old}" for old, new in kb.former_to_current("org").items() if new == org.id}
    if org.parent:
        found.add(f"parent:{org.parent}")
        current = kb.resolve_id("org", org.parent)
        if current:
            found.add(f"parent:{current}")
    return found


INDEXED = ("ref:", "counterpart:", "roleorg:", "parent:")
# The keys of each kind indexed, as bounds of a sorted list (";" follows ":"), in their sorted order.
SLICES = [(kind, kind[:-1] + ";") for kind in sorted(INDEXED)]


# The pages that show a person or organisation named in a meeting they list only with a link to
# its page (a neighbour, a party to an outcome: ``Site.ref``, ``Site.party``, a graph's node),
# and pick what they show of it by counts, dates and ids, never by its name: a page that did not
# link to a record renamed since cannot show it (``Reach.links``).
NAMES = ("people/", "orgs/")


class Reach:
    """The pages a record's keys lead to, through this build's indexes. ``shut`` tells of a
    meeting (by file) whether it is on no page through an open item, in the last build nor in
    this one (``shut``): the pages that show a meeting only among what is open with a record
    (a successor's in a post, the people of its countries) are not looked at for it."""

    def __init__(
        self,
        site: Site,
        keys: dict[str, list[str]],
        shut: Callable[[str], bool] | None = None,
        links: Callable[[str, tuple[str, ...]], bool] | None = None,
    ):
        self.site = site
        self.keys = keys
        self.shut = shut if shut is not None else (lambda relpath: False)
        # Whether a page, as the last build left it, links to one of these pages (``NAMES``)
        self.links = links if links is not None else (lambda page, targets: True)
        own = {m.relpath: f"meeting:{m.id}" for m in site.meetings}
        self.page = _Pages(own, site.kb)
        self.index: dict[str, list[str]] = {}
        # The meetings that refer to each meeting (``links.references_index``: the "meeting:" keys
        # a meeting has of others), by id: the site's pages ask for those of the meetings they show.
        self.referrers: dict[str, list[str]] = {}
        left = bisect.bisect_left
        for relpath, found in keys.items():  # each record's keys are sorted: each kind is a slice of them
            for first, end in SLICES:
                start = left(found, first)
                for key in found[start : left(found, end, start)]:
                    self.index.setdefault(key, []).append(relpath)
            mine = own.get(relpath)
            if mine is not None:
                start = left(found, "meeting:")
                for key in found[start : left(found, "meeting;", start)]:
                    if key != mine:
                        self.referrers.setdefault(key[8:], []).append(relpath)
        site.referrers = self.referrers
        self._near: dict[str, set[str]] | None = None  # each graph node's country pages (``across``)
        # the pages each key leads to, by aspect and whether the record is shut (``pages``)
        self._followed: dict[tuple[str, bool], dict[str, set[str]]] = {}
        self._aspect = "all"  # the aspect the key being followed is followed for
        self._shut = False  # whether the record followed is on no page through an open item
        self.posts_of: dict[str, set[str]] = {}
        for post, holders in site.holders.items():
            for person, _role in holders:
                self.posts_of.setdefault(person.id, set()).add(post)
        self._above: dict[str, list[str]] = {}

    def of_record(self, keys: Iterable[str], aspect: str = "all", shut: bool = False) -> set[str]:
        """The pages that read a record with these keys, of those that can show ``aspect`` of
        it otherwise (``ASPECTS``: a meeting's title or outcomes alone are drawn by no graph, and
        its outcomes alone are on no topic's page), and of those only pages that list it among
        what is open with them when it is not ``shut``. A meeting that names it, or a record
        that names it by an id, is followed as itself shut or not (their open items' rows show
        its title, its name)."""
        keys = list(keys)
        found = self.pages(keys, aspect, shut)
        for key in keys:
            kind, _colon, ident = key.partition(":")
            if kind == "meeting":  # meetings that name it show its title (and their rows do, elsewhere)
                for other in self.referrers.get(ident, ()):
                    found |= self.pages(self.keys.get(other, ()), aspect, self.shut(other))
            elif kind == "id":  # records that name it by this id show its name and link to it
                named: set[str] = set()
                for relpath in self.index.get(f"ref:{ident}", ()):
                    named |= self.pages(self.keys.get(relpath, ()), "named", self.shut(relpath))
                targets = (href("person", ident), href("org", ident))
                found |= {page for page in named if not page.startswith(NAMES) or self.links(page, targets)}
                for relpath in self.index.get(f"roleorg:{ident}", ()):  # the roles' holders and posts
                    found |= self.pages(k for k in self.keys.get(relpath, ()) if k.startswith(("self:", "post:")))
                found |= {self.page[r] for r in self.index.get(f"parent:{ident}", ()) if r in self.page}
        return found

    def pages(self, keys: Iterable[str], aspect: str = "all", shut: bool = False) -> set[str]:
        """The pages that show what these keys name (of those that can show ``aspect``, and
        none that shows a record only among what is open with it when ``shut``)."""
        found: set[str] = set()
        followed = self._followed.setdefault((aspect, shut), {})
        for key in keys:
            pages = followed.get(key)
            if pages is None:  # each key once: the meetings a change reaches share most of theirs
                kind, _colon, ident = key.partition(":")
                follow = getattr(self, f"_{kind}", None)
                self._aspect, self._shut = aspect, shut
                pages = followed[key] = follow(ident) if follow is not None else set()
            found |= pages
        return found

    def _self(self, ident: str) -> set[str]:
        kind, _colon, ident = ident.partition(":")
        found = {href(kind, ident), *self.across(f"{kind}:{ident}")}
        if kind == "org":
            found |= {href("org", o) for o in self.above(ident)}
        return found

    def _meeting(self, ident: str) -> set[str]:
        return {href("meeting", ident)}

    def _topic(self, ident: str) -> set[str]:
        return {href("topic", ident)} if self._aspect not in ("outcomes", "named") else set()

    def _person(self, ident: str) -> set[str]:
        found = {href("person", ident), *self.across(f"person:{ident}")}
        for post in self.posts_of.get(ident, ()) if not self._shut else ():  # a successor's page
            found |= self._post(post)  # lists what is open from it
        if self._aspect != "named":  # the meetings with this person as counterpart list the meetings they attended
            found |= {self.page[r] for r in self.index.get(f"counterpart:{ident}", ()) if r in self.page}
        return found

    def _org(self, ident: str) -> set[str]:
        return {*(href("org", o) for o in self.above(ident)), *self.across(f"org:{ident}")}

    def _country(self, ident: str) -> set[str]:
        if self._aspect == "named" and self._shut:  # its page shows a name only in what is open with it
            return set()
        found = {href("country", ident), *self.across(f"country:{ident}")}
        if not self._shut and not self.site.kb.is_ours(ident):  # their people's pages list what is open with it
            found |= {href("person", p.id) for p in self.site.people_by_country.get(ident, [])}
        return found

    def _roleorg(self, ident: str) -> set[str]:
        """The organisation's page lists who holds a role in it."""
        current = self.site.kb.resolve_id("org", ident)
        return {href("org", current)} if current else set()

    def _place(self, ident: str) -> set[str]:
        return {href("country", ident)} if ident in self.site.countries else set()

    def _post(self, ident: str) -> set[str]:
        return {href("post", ident), *(href("person", p.id) for p, _role in self.site.holders.get(ident, []))}

    def across(self, key: str) -> set[str]:
        """The country pages whose graph may draw ``key`` (kb.site.graph's ``ego``): its own, and
        those of the countries it is a neighbour of (its own alone for a title or outcomes: no
        graph draws them)."""
        found = {href("country", key.split(":", 1)[1])} if key.startswith("country:") else set()
        if self._aspect != "all":
            return found
        if self._near is None:
            self._near = {}
            for node, others in self.site.graph.neighbours.items():
                if node.startswith("country:"):
                    page = href("country", node.split(":", 1)[1])
                    for other in others:
                        self._near.setdefault(other, set()).add(page)
        return found | self._near.get(key, set())

    def above(self, org_id: str) -> list[str]:
        """The organisation and every one above it (their pages list its meetings)."""
        if org_id not in self._above:
            chain: list[str] = []
            current: str | None = org_id
            while current is not None and current not in chain:
                chain.append(current)
                org = self.site.kb.orgs.get(current)
                parent = org.parent if org is not None else None
                current = self.site.kb.resolve_id("org", parent) if parent else None
            self._above[org_id] = chain
        return self._above[org_id]


def closed(site: Site, opens: dict[str, tuple[int, ...]]) -> Callable[[str], bool]:
    """Whether a meeting (by file) had no outcome open in the last build (``opens``: the places of
    each meeting's outcomes open on that build's day, for its file then; a meeting it did not ask
    is not known to have none) and has none open now (``Site.has_open``, asked for those alone)."""
    meetings = {m.relpath: m for m in site.meetings}

    def shut(relpath: str) -> bool:
        meeting = meetings.get(relpath)
        return meeting is not None and opens.get(relpath) == () and not site.has_open(meeting)

    return shut


class _Pages:
    """Each visible meeting's, person's and organisation's own page, by file (``href``), made when
    first asked for: a plan asks for those of the records that changed alone."""

    def __init__(self, meetings: dict[str, str], kb: KnowledgeBase):
        self.meetings = meetings  # by file, "meeting:" and the id
        self.records = {r.relpath: r for table in (kb.people, kb.orgs) for r in table.values()}
        self.made: dict[str, str] = {}

    def __contains__(self, relpath: str) -> bool:
        return relpath in self.meetings or relpath in self.records

    def __getitem__(self, relpath: str) -> str:
        page = self.made.get(relpath)
        if page is None:
            key = self.meetings.get(relpath)
            if key is not None:
                page = href("meeting", key[8:])
            else:
                record = self.records[relpath]
                page = href(record.kind, record.id)
            self.made[relpath] = page
        return page


SLACK = dt.timedelta(days=2)  # partial dates and "before"/"on or before": a day either side, and one more


def event_days(kb: KnowledgeBase, known: dict[str, list[int]]) -> dict[str, list[int]]:
    """Each meeting's event days (``_event_days`` of its outcomes, as ordinals, each once, in
    order), by file; ``known`` gives those of some files already (the last build's, for files as
    they were then and the same kb.yaml: they are a function of the meeting and ``stale_after``)."""
    after = scope.stale_after(kb)
    found = {}
    for meeting in kb.sorted_meetings:
        days = known.get(meeting.relpath)
        if days is None:
            days = sorted({day.toordinal() for outcome in meeting.outcomes for day in _event_days(outcome, after)})
        found[meeting.relpath] = days
    return found


def day_moved(kb: KnowledgeBase, before: dt.date, now: dt.date, events: dict[str, list[int]]) -> set[str]:
    """The meetings and people (by file) that a page shows differently on ``now`` than on
    ``before``: a meeting one of whose outcomes reads otherwise (``day_reading``), a person whose
    predecessors or successors in a post differ (what is open with them follows). Only the
    meetings with an event day (``events``, ``event_days``) between the two days can differ,
    and only those are read on both days; only the people one of whose roles, or one of whose
    posts' holders' roles, begins or ends between them (``_roles_between``)."""
    after = scope.stale_after(kb)
    low, high = _window(before, now)
    found = set()
    for meeting in kb.sorted_meetings:
        if _quiet(events.get(meeting.relpath, []), low, high):
            continue
        if any(day_reading(o, before, after) != day_reading(o, now, after) for o in meeting.outcomes):
            found.add(meeting.relpath)
    holders = kb.holders_by_post
    moving = {
        post for post, held in holders.items() if len(held) > 1 and _roles_between((r for _p, r in held), low, high)
    }
    for person in kb.people.values():  # one alone in their posts has neither, on any day
        posts = [role.post for role in person.roles if role.post]
        if not any(len(holders.get(post, ())) > 1 for post in posts):
            continue
        if not moving.intersection(posts) and not _roles_between(person.roles, low, high):
            continue  # nothing its tenures read (scope.tenures) is on one side of the two days alone
        if _tenures(kb, person, before) != _tenures(kb, person, now):
            found.add(person.relpath)
    return found


def _roles_between(roles: Iterable, low: int, high: int) -> bool:
    """Whether one of ``roles`` begins or ends on a day (earliest or latest, as an ordinal) in
    [``low``, ``high``]: all that scope.tenures reads of a day is whether a role had begun
    (``start.earliest()``) or not yet ended (``end.latest()``) by then."""
    for role in roles:
        for mark in (role.start, role.end):
            if mark and (low <= mark.earliest().toordinal() <= high or low <= mark.latest().toordinal() <= high):
                return True
    return False


def _window(before: dt.date, now: dt.date) -> tuple[int, int]:
    """The days (ordinals) between two days, with ``SLACK`` either side."""
    first, last = sorted([before, now])
    return (first - SLACK).toordinal(), (last + SLACK).toordinal()


def _quiet(days: Sequence[int], low: int, high: int) -> bool:
    """Whether none of a meeting's event days (in order) is between ``low`` and ``high``."""
    at = bisect.bisect_left(days, low)
    return at == len(days) or days[at] > high


def still_holding(found: dict, events: dict[str, list[int]], before: dt.date, now: dt.date) -> dict:
    """Of what was ``found`` of each meeting (by file) on ``before`` as its outcomes read that day
    (which are open, their spans of statuses), what holds on ``now``: that of the meetings with no
    event day between the two days (``events``), whose outcomes read alike on both
    (``day_reading``, as ``day_moved`` has it)."""
    low, high = _window(before, now)
    return {path: value for path, value in found.items() if _quiet(events.get(path, []), low, high)}


def still_spans(marks: list[str], spans: dict, events: dict[str, list[int]], before: dt.date, now: dt.date):
    """(the years' ends, each meeting's spans of statuses on them: kb.site.charts) made on ``before``,
    as they are on ``now``: the same ends but the day, which ends the year it is in, and the spans
    of the meetings with no event day between the two days (no date of theirs moves from one year
    to another); none when the day did not end the ends."""
    if not marks or marks[-1] != before.isoformat():
        return [], {}
    return [*marks[:-1], now.isoformat()], still_holding(spans, events, before, now)


def day_reading(outcome, day: dt.date, after: tuple[int, str]) -> tuple:
    """All that a page shows of an outcome that depends on the day: its status then, whether it is
    overdue, whether it was made by then (the home page's chart), and as an open item when it was
    made, when it last changed and whether it has gone stale (never how many days it is open)."""
    if not outcome.status:
        return ()
    status = outcome.status_on(day)
    item = scope.open_item(outcome, "direct", day, after)
    held = item and (item.outcome.status, str(item.made), str(item.last_change), item.stale)
    made = outcome.meeting.date.earliest() <= day
    return (status, outcome.overdue(day), outcome.overdue(day, status), made, held)


def _tenures(kb: KnowledgeBase, person: Person, day: dt.date) -> list[tuple]:
    return [(t.person.id, t.post, t.relation, t.role.title, str(t.role.start)) for t in scope.tenures(kb, person, day)]


def day_window(kb: KnowledgeBase, today: dt.date, events: dict[str, list[int]]) -> tuple[str, str]:
    """The days [first, last] around ``today`` on which every outcome reads as on ``today``:
    overdue or not, open or not, stale or not, as its updates had it, and every post has the
    same holders (the site's one use of the date). ``events``: each meeting's ``event_days``."""
    slack = SLACK.days
    first, last = (dt.date.min + SLACK).toordinal(), (dt.date.max - SLACK).toordinal()
    day = today.toordinal()
    marks = set().union(*events.values())  # each day once: the same bounds
    marks.update(mark.toordinal() for mark in _role_days(kb))
    for mark in marks:
        if mark - slack <= day:
            first = max(first, mark + slack)
        if mark + slack > day:
            last = min(last, mark - slack - 1)
    if first > day or last < day:
        return today.isoformat(), today.isoformat()
    return dt.date.fromordinal(first).isoformat(), dt.date.fromordinal(last).isoformat()


def _event_days(outcome, after: tuple[int, str]) -> list[dt.date]:
    """The days about which an outcome may start to read differently: its meeting's date and its
    updates' (made, status changed), those plus the span after which it is stale, its due date."""
    if not outcome.status:
        return []
    marks = [outcome.meeting.date, *(u.date for u in outcome.updates)]
    days = [d for mark in marks for d in (mark.earliest(), mark.latest())]
    days += [_plus(mark.latest(), after) for mark in marks]
    if outcome.due is not None:
        days += [outcome.due.earliest(), outcome.due.latest()]
    return days


def _role_days(kb: KnowledgeBase) -> list[dt.date]:
    """The days about which a role in a post begins or ends: a person's predecessors and
    successors (what is open with them) are read on the day (scope.tenures)."""
    days = []
    for person in kb.people.values():
        for role in person.roles:
            if role.post:
                days += [d for mark in (role.start, role.end) if mark for d in (mark.earliest(), mark.latest())]
    return days


def _plus(day: dt.date, span: tuple[int, str]) -> dt.date:
    return min(dates.add_span(day, span), dt.date.max - SLACK)
