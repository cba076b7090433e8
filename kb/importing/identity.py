"""Who a mention is: the one resolver every import asks, from evidence and never a surname.

A mention is a name as written, the title written with it, the side it was met on (a country, or
an international body's id) and the year. It is taken for a person already recorded or already
proposed by this import only when the evidence agrees:

- a full name and a full name: the same family name and compatible given names (an initial may
  stand for a name; 'Keqiang' is not 'Qiang'), or one of the person's known names or aliases;
- a surname alone ('President Assad'): a recorded person of that surname who held a post then
  (their dated roles, e.g. loaded by ``kb import holders``), else the one person of that surname,
  side and era named in full; a surname many bear ('President Kim') only once they were seen in
  that post (a year's grace), as someone else may have held it before;
- a side that agrees (a side stated by the title, 'PLO Chairman', 'Omani Foreign Minister', rules
  out any other; a side taken from the host country does not) and an era that agrees (the years
  the person was seen or held a post).

A near spelling (Yushchenko, Hryshchenko) is a reason to propose a new person with a note, never
to merge; when several people fit, the mention gets a person of its own and the draft's
``unconfirmed`` names the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from kb.importing.draft import ERA_YEARS, ProposedPerson
from kb.model import names
from kb.model.text import normalise
from kb.query.duplicates import transliterated

# Two surname-only mentions with one title and side ('Foreign Minister Kim', KR) are one person
# while they are at most this many years apart: a minister's or a president's tenure rarely
# outlasts it (three four-year terms), and the next holder of a surname in one post (Kim,
# Papandreou, Assad) came later than that in the register's cases.
GAP_YEARS = 12
# A surname alone is taken for the one person of that surname named in full only when it is seen
# within this many years of them (one term of office): a father and a son in one post (Hafez and
# Bashar al-Assad) are otherwise taken for one.
LINK_YEARS = 4

# International bodies whose officials represent the body wherever they are met: id -> (name,
# abbreviation, the ways a title names it, normalised).
BODIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "un": ("United Nations", "UN", ("un", "u n", "united nations")),
    "nato": ("North Atlantic Treaty Organization", "NATO", ("nato", "north atlantic treaty organization")),
    "eu": (
        "European Union",
        "EU",
        ("eu", "european union", "european commission", "european council", "e u", "european community"),
    ),
    "arab-league": ("League of Arab States", "Arab League", ("arab league", "league of arab states")),
    "plo": ("Palestine Liberation Organization", "PLO", ("plo", "palestine liberation organization")),
    "au": ("African Union", "AU", ("au", "african union")),
    "oau": ("Organization of African Unity", "OAU", ("oau", "organization of african unity")),
    "asean": ("Association of Southeast Asian Nations", "ASEAN", ("asean",)),
    "oas": ("Organization of American States", "OAS", ("oas", "organization of american states")),
    "iaea": ("International Atomic Energy Agency", "IAEA", ("iaea", "international atomic energy agency")),
    "osce": ("Organization for Security and Co-operation in Europe", "OSCE", ("osce",)),
    "world-bank": ("World Bank", "World Bank", ("world bank",)),
    "imf": ("International Monetary Fund", "IMF", ("imf", "international monetary fund")),
    "oecd": ("Organisation for Economic Co-operation and Development", "OECD", ("oecd",)),
    "quartet": ("Office of the Quartet", "Quartet", ("quartet",)),
    "gcc": ("Gulf Cooperation Council", "GCC", ("gcc", "gulf cooperation council")),
}
# Titles that name the body without its name: 'Secretary-General' alone is the UN's only with it.
_MILITARY = {"general", "gen", "lt gen", "colonel", "col", "admiral", "brigadier", "field marshal", "marshal"}
# Titles that name a person by their given name (a monarch): 'King Abdullah', 'Emir Tamim'.
_REGNAL = {"king", "queen", "emir", "amir", "sultan", "prince", "crown prince", "sheikh", "emperor", "shah"}
_REGNAL |= {"duke", "duchess"}  # 'Grand Duchess Charlotte'
# One office written two ways, named one way in a post: 'Emir' and 'Amir' (of Kuwait, of Qatar).
_POST_SPELLINGS = {"emir": "amir"}


def is_body(side: str | None) -> bool:
    return bool(side) and side in BODIES


@dataclass
class Body:
    """An international body a side names, written with the people when not recorded."""

    id: str
    seen: str

    @property
    def name(self) -> str:
        return BODIES[self.id][0]

    def record(self) -> dict:
        name, abbreviation, _ = BODIES[self.id]
        return {"id": self.id, "name": name, "abbreviation": abbreviation, "kind": "international"}


def clean_title(title: str | None) -> str | None:
    """The title without honorifics and military ranks, which are not titles: 'Dr' -> None;
    'H.E. Foreign Minister' -> 'Foreign Minister'; 'and Dr' after a title is dropped."""
    if not title:
        return None
    words = [w for w in re.split(r"\s+", title.strip()) if w]
    kept = [w for w in words if names._key(w) not in names.HONORIFICS or names._key(w) == "the"]
    text = " ".join(kept)
    text = re.sub(r"(?:\s+and)+\s*$", "", re.sub(r"^(?:and\s+)+", "", text)).strip(" ,")
    if not text or names._key(text) in _MILITARY | {"the"}:
        return None
    return text


def represented(title: str | None, stated: str | None, host: str | None) -> tuple[str | None, bool]:
    """The side a person with ``title`` represents, and whether the title says so: the country
    before "'s" ("Pakistan's High Commissioner to the UK" is PK's), an international body the
    title names before any ' to ' ('UN Secretary-General', 'PLO Chairman'; 'US Ambassador to
    the UN' is not the UN's), the country read from the title (``stated``), else the host."""
    from kb.importing.places import country_code

    head = re.split(r"\s+to\s+", title or "", maxsplit=1)[0]
    possessive = re.match(r"^(?:the\s+)?(.+?)['’]s?\s", head)
    if possessive and (code := country_code(possessive.group(1), fuzzy=False)):
        return code, True
    key = f" {normalise(head.replace('-', ' ').replace('.', ' '))} "
    for body, (_name, _abbr, spelled) in BODIES.items():
        if any(f" {words} " in key for words in spelled):
            return body, True
    if stated:
        return stated, True
    return host, False


@lru_cache(maxsize=4096)  # a register repeats a few hundred titles thousands of times
def post_slug(title: str, side: str | None) -> str:
    """The post a title names, as roles name it: the side's code, then the title without the
    country's name ('President of Syria', SY -> 'sy-president')."""
    from kb.importing.places import country_code

    words = [w for w in re.split(r"[\s-]+", title) if w]
    kept = [w for w in words if not (side and country_code(w.strip("’'s,"), fuzzy=False) == side)]
    if len(kept) < len(words) and kept[:1] == ["Authority"]:
        kept = kept[1:]  # the Palestinian Authority's Prime Minister is the Palestinian Prime Minister
    text = " ".join(kept)
    if side and not is_body(side):
        text = re.sub(rf"\b(?:of|for)\s+(?:the\s+)?{re.escape(_country_name(side))}\b", "", text, flags=re.I)
    for body in BODIES.values():
        for spelled in body[2]:
            text = re.sub(rf"(?i)\b(?:of\s+the\s+|of\s+)?{re.escape(spelled)}\b", "", text)
    text = re.sub(r"(?i)\b(?:of|the|for)\s*$", "", text.strip()).strip()
    text = " ".join(_POST_SPELLINGS.get(w.lower(), w) for w in text.split())
    slug = names.text_id(text) or names.text_id(title)
    return f"{side.lower()}-{slug}" if side else slug


def _country_name(code: str) -> str:
    from kb.model.countries import name

    return name(code) or code


def _surname_key(text: str) -> str:
    """The last part of a family name, without particles: 'al-Assad' -> 'assad'."""
    words = names.ascii_words(re.sub(r"(?i)\b(?:al|el|ad|as|ash|ar)-", "", text))
    words = [w for w in words if w not in names.PARTICLES]
    return words[-1] if words else ""


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Each given name of the shorter list stands for one of the other's, in order; an initial
    stands for a name that starts with it."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    position = 0
    for word in short:
        while position < len(long) and not _same_given(word, long[position]):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def _full_names(given: list[str]) -> int:
    return len({word for word in given if len(word) > 1})


def _same_given(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


@dataclass
class Known:
    """A person this import may take a mention for: recorded, or proposed by the import."""

    id: str
    name: str
    given: list[str]
    family: str  # the surname key ('' for a mononym or a nasab-only name)
    side: str | None
    stated: bool  # the side is known (recorded, or said by a title), not taken from a host
    title: str | None = None
    years: set[int] = field(default_factory=set)
    proposal: ProposedPerson | None = None
    post: str | None = None  # a surname-only proposal's post key
    posts: dict[int, set[str]] = field(default_factory=dict)  # the posts it was seen in, by year
    sides: set[str] = field(default_factory=set)  # other sides its recorded roles represented
    stated_in: dict[str, set[int]] = field(default_factory=dict)  # side -> years a title said it
    seen_at: dict[int, str] = field(default_factory=dict)  # year -> where this import first met it that year

    def saw(self, year: int, post: str | None) -> None:
        self.years.add(year)
        if post:
            self.posts.setdefault(year, set()).add(post)

    def near(self, year: int, span: int) -> bool:
        return not self.years or min(abs(seen - year) for seen in self.years) <= span

    def gap(self, year: int) -> int:
        return min((abs(seen - year) for seen in self.years), default=0)


def _parts(name: str, side: str | None) -> tuple[list[str], str]:
    country = side if side and not is_body(side) else None
    parsed = names.parse(name, country)
    if parsed.family:
        given = [names.part_key(w) for w in names.ascii_words(parsed.given or "")]
        return [w for w in given if w not in names.PARTICLES], _surname_key(parsed.family)
    words = names.ascii_words(parsed.name)
    core = [w for w in words if w not in names.PARTICLES]
    if len(core) == 1:  # a surname alone, with its article or not ('al-Araby')
        return [], core[0]
    return words, ""


@dataclass
class Found:
    """What a mention was taken for: the person's id, whether proposed, and what to confirm."""

    person: str
    side: str | None
    proposal: ProposedPerson | None = None
    notes: list[str] = field(default_factory=list)
    body: str | None = None


class Identities:
    """The people of one import: recorded people and the ones it proposes, by surname key, and
    the one ``resolve`` of a mention to one of them (or to a new proposal)."""

    def __init__(self, kb, index=None):
        from kb.importing.names import PersonIndex

        self.kb = kb
        self.index = index if index is not None else PersonIndex.of(kb)
        self.by_family: dict[str, list[Known]] = {}
        self.by_id: dict[str, Known] = {}
        self.by_given: dict[str, list[Known]] = {}
        # the other parts of a reference person's name ('Somoza' of 'Anastasio Somoza García', a
        # father's surname before the mother's): a surname alone finds them only by post and date
        self.by_part: dict[str, list[Known]] = {}
        self.by_post: dict[str, set[str]] = {}  # a post -> who held it (a dated role) or was seen in it
        self.proposals: list[ProposedPerson] = []
        self.bodies: dict[str, Body] = {}
        self.in_post: dict[str, dict[int, set[str]]] = {}  # post -> year -> the people this import saw in it
        for person in kb.people.values():
            self._recorded(person)

    def _recorded(self, person) -> None:
        side = person.country()
        roles = [r for r in person.roles if r.country or r.org]
        if not side and roles and is_body(roles[-1].org):
            side = roles[-1].org
        given, family = _parts(person.name, side)
        if person.family_name:
            family = _surname_key(person.family_name)
        years = {m.date.year for m in self.kb.meetings_with(person.id)}
        known = Known(person.id, person.name, given, family, side, side is not None, years=years)
        for role in person.roles:
            known.sides |= {s for s in (role.country, role.org) if s and (is_body(s) or len(s) == 2)}
            span = [d.year for d in (role.start, role.end) if d is not None]
            for year in range(min(span), max(span) + 1) if span else ():
                known.saw(year, role.post)
            if span and role.post:
                self.by_post.setdefault(role.post, set()).add(person.id)
        self._add(known)
        if known.given and any(r.start or r.end for r in person.roles):
            for part in dict.fromkeys(known.given[1:]):
                if len(part) > 2:
                    self.by_part.setdefault(part, []).append(known)

    def _add(self, known: Known) -> None:
        self.by_id[known.id] = known
        if known.family:
            self.by_family.setdefault(known.family, []).append(known)
        if known.given:
            self.by_given.setdefault(known.given[0], []).append(known)

    # --- the one question ------------------------------------------------------------------

    def resolve(
        self, name: str, title: str | None, side: str | None, stated: bool, date, where: str, former: str | None = None
    ) -> Found:
        """The person ``name`` (written with ``title``, met on ``side``: ``stated`` when a title
        or the record says it, else the host's; ``former``, a title they no longer held) is, on
        ``date`` (a PartialDate)."""
        title = clean_title(title)
        name = " ".join(name.split())
        if not names.PEERAGE.match(name):  # a peer is known by the title: 'Lord Ahmad of Wimbledon'
            name = names.strip_titles(name)[1]
        given, family = _parts(name, side)
        once = clean_title(former) if former and not title and not given and family else None
        if once and (formerly := self._formerly(name, family, once, side, stated, date, where)):
            found = formerly
        elif not given and family:
            found = self._surname(name, family, title, side, stated, date, where)
        else:
            found = self._full(name, given, family, title, side, stated, date, where)
        known = self.by_id.get(found.person)
        if known is not None:
            for post in _posts(title, found.side):
                known.saw(date.year, post)
                self.by_post.setdefault(post, set()).add(known.id)
                self.in_post.setdefault(post, {}).setdefault(date.year, set()).add(known.id)
            known.saw(date.year, None)
            known.seen_at.setdefault(date.year, where)
            if stated and found.side == side and side:
                known.stated_in.setdefault(side, set()).add(date.year)
        body = found.side if found.side and is_body(found.side) else None
        if body and body not in self.kb.orgs and body not in self.bodies:
            self.bodies[body] = Body(body, where)
        return found

    def _full(self, name, given, family, title, side, stated, date, where) -> Found:
        year = date.year
        exact = {m.person for m in self.index.exact(name) if m.certain}
        pool = {k.id: k for k in self.by_family.get(family, [])} if family else {}
        pool.update({i: self.by_id[i] for i in exact if i in self.by_id})
        fits = [
            k
            for k in pool.values()
            if (k.id in exact or (family and k.family == family and k.given and self._given_fit(given, k, title, side)))
            and _sides_agree(k, side, stated, full=True)
        ]
        timely = [k for k in fits if k.near(year, ERA_YEARS) or _reigning(name, k, side)]
        named = [k for k in timely if k.id in exact]
        if (
            len(timely) == 1 or len(named) == 1
        ):  # the one written so ('Salman bin Hamad Al Khalifa', not 'Hamad Al Khalifa')
            chosen = (named or timely)[0]
            if (kin := self._held_by_kin(chosen, family, title, side, date)) is not None:
                if _names_kin(given, kin):
                    return self._kin_taken(kin, chosen, name, side, where, stated, date)
                note = (
                    f"{where}: '{name}' is the name of {chosen.id}, who held no post on this date, while {kin.id} "
                    f"('{kin.name}'), of that family, held the post its title names: kb cannot tell which is meant; "
                    "a person of its own is proposed: merge it (kb merge) with the one it is"
                )
                return self._propose(name, given, family, title, side, stated, year, where, [note])
            return self._taken(chosen, name, side, where, exact, stated, date)
        if (
            not fits
            and not exact
            and (spelled := self._spelling(name, given, family, title, side, stated, date, where))
        ):
            return spelled
        if len(timely) > 1 and (posted := self._one_in_post(timely, title, side, date)):
            known, evidence = posted
            found = self._taken(known, name, side, where, {known.id}, stated, date)
            found.notes.insert(
                0,
                f"{where}: '{name}' taken for {known.id} ('{known.name}'), of the {len(timely)} people its name fits "
                f"then the one in the post its title names: {evidence}; confirm",
            )
            return found
        notes = []
        if len(timely) > 1:
            notes.append(self._ambiguous(where, name, timely))
        for k in fits:
            if k not in timely:
                notes.append(
                    f"{where}: '{name}' has the name of {k.id}, who is otherwise seen {k.gap(year)} years from this "
                    "date: a person of their own is proposed; merge them (kb merge) if they are one"
                )
        if not fits:
            notes += self._resembling(where, name)
        return self._propose(name, given, family, title, side, stated, year, where, notes)

    def _held_by_kin(self, known: Known, family: str, title, side, date) -> Known | None:
        """The one other person of ``known``'s family who held the post ``title`` names on ``date``,
        when ``known``'s dated roles say they held none then: 'President Jose Figueres Ferrer' in
        1994, as the register writes his son José María Figueres Olsen, President then. Two
        people never hold one such post on one day, and the name says the other: no one is taken."""
        posts, roles = _posts(title, side), self._dated(known)
        if not posts or not roles or any(r.held_on(date) or _about_to_hold(r, date) for r in roles):
            return None
        parts = {family, *known.given[1:], known.family} - {""}
        pool = {k.id: k for part in parts for k in [*self.by_family.get(part, []), *self.by_part.get(part, [])]}
        kin = [
            k
            for k in pool.values()
            if k.id != known.id and any(r.post in posts and r.held_on(date) for r in self._dated(k))
        ]
        return kin[0] if len(kin) == 1 else None

    def _kin_taken(self, kin: Known, named: Known, name, side, where, stated, date) -> Found:
        """A name taken for the kinsman who held the post its title names (_names_kin), the draft
        naming the one it is written as."""
        found = self._taken(kin, name, side, where, {kin.id}, stated, date)
        found.notes.insert(
            0,
            f"{where}: '{name}' is the name of {named.id}, who held no post on this date, while {kin.id} "
            f"('{kin.name}'), of that family, held the post its title names and bears every name but the last "
            f"written: taken for {kin.id}; if {named.id} is meant, change the participant",
        )
        return found

    def _one_in_post(self, timely: list[Known], title, side, date) -> tuple[Known, str] | None:
        """Of several people a name fits in its era, the only one who held (or was seen in) a post its
        title names on the date: 'Prime Minister and Foreign Minister Hamad al-Thani' (June 2013) is
        Hamad bin Jassim al-Thani, seen in those posts that March, not the Emir Hamad bin Khalifa."""
        posts = _posts(title, side)
        held = [(k, evidence) for k in timely if posts and (evidence := self._in_post(k, posts, date))]
        return held[0] if len(held) == 1 else None

    def _given_fit(self, given: list[str], known: Known, title: str | None, side: str | None) -> bool:
        """Whether given names fit ``known``'s: compatible, and a mention with more of them than
        ``known`` has (initials aside) seen in a post ``known`` was seen in too, as names that
        hold another's are no evidence by themselves: 'Khaleda Ziaur Rahman', Prime Minister in
        1992, is not 'Ziaur Rahman', President in 1980 (her husband); 'Mohammed Nawaz Sharif' and
        'Nawaz Sharif', both Prime Minister, are one."""
        if not _given_compatible(given, known.given):
            return False
        if _full_names(given) <= _full_names(known.given):
            return True
        offices = {_office(p) for p in _posts(title, side)}
        return any(offices & {_office(p) for p in held} for held in known.posts.values())

    def _surname(self, name, family, title, side, stated, date, where) -> Found:
        year = date.year
        regnal = _is_regnal(title)
        pool = self.by_given.get(family, []) if regnal else self.by_family.get(family, [])
        if regnal:  # a monarch known by one name: 'Queen Beatrix'
            pool = pool + [k for k in self.by_family.get(family, []) if not k.given]
        candidates = [k for k in pool if _sides_agree(k, side, stated, full=False)]
        holding, other_office = self._holders(candidates, title, side, date)
        if not holding and not regnal:
            holding = self._holders_by_part(family, candidates, title, side, stated, date)
        if len(holding) == 1:
            return self._taken(holding[0], name, side, where, {holding[0].id}, stated, date)
        if len(holding) > 1:
            return self._surname_proposal(name, family, title, side, stated, year, where, holding)
        if not holding and (mistitled := self._mistitled(other_office, name, family, title, side, where, date)):
            return mistitled
        if not stated and not regnal and (away := self._away(pool, name, title, side, date, where)):
            return away
        # the reference gives the post to someone else that day: no one of this surname held it then
        named = (
            []
            if not regnal and self._in_post_then(title, side, date, family)
            else [
                k
                for k in candidates
                if k.proposal is None or k.post is None
                if (k.given or regnal) and k.near(year, LINK_YEARS) and not _held_other(self.kb, k, date)
                if regnal or not _house_named(k)
                if regnal or not title or not _only_other_posts(k, post_slug(title, side), side)
                if k not in other_office
            ]
        )
        # a shared surname ('President Kim') before someone was seen in the post is no evidence they held
        # it then, and no evidence against them either: with them among the candidates, kb does not pick
        later = [k for k in named if title and not regnal and _before(k, post_slug(title, side), year)]
        if later and (_shared(self, family) or self._held_by_surname(family, post_slug(title or "", side), side, year)):
            return self._surname_proposal(name, family, title, side, stated, year, where, named)
        if len(named) == 1:
            return self._taken(named[0], name, side, where, {named[0].id}, stated, date)
        royals = _royals(candidates, side, year) if regnal else []
        if len(royals) == 1:
            return self._taken(royals[0], name, side, where, set(), stated, date)
        if not pool and not regnal and (spelled := self._spelling(name, [], family, title, side, stated, date, where)):
            return spelled
        return self._surname_proposal(name, family, title, side, stated, year, where, named or other_office)

    def _mistitled(self, other_office: list[Known], name, family, title, side, where, date) -> Found | None:
        """A surname whose title names a post the reference gives to someone of another surname that
        day, while the one person of that surname and side held another post of it then: the title
        is wrong, not the person ('Prime Minister Abbas', Ramallah, June 2005: Ahmed Qurei was Prime
        Minister, Mahmoud Abbas President). Never when two people named in full bear the surname
        (Manmohan and Natwar Singh): the title is then what tells them apart."""
        if len(other_office) != 1 or not title or not side or _shared(self, family):
            return None
        known = other_office[0]
        others = self._in_post_then(title, side, date, family)
        if not others:
            return None
        found = self._taken(known, name, side, where, {known.id}, True, date)
        found.notes.insert(
            0,
            f"{where}: '{title} {name}' taken for {known.id} ('{known.name}'), the one of that surname who held a "
            f"post of {side} then; the post '{title}' names was {others[0].id}'s ('{others[0].name}'), so the "
            "title looks wrong; confirm",
        )
        return found

    def _in_post_then(self, title, side, date, family: str) -> list:
        """The people the reference places, by dated roles, in the post ``title`` names on ``date``,
        when none of them bears the surname ``family`` (else none: the surname may be theirs)."""
        if not title or not side:
            return []
        post = post_slug(title, side)
        holders = self.kb.holders_by_post.get(post, ())  # one index for the import, not a scan a mention
        held = [person for person, role in holders if (role.start or role.end) and role.held_on(date)]
        return [] if any(_surname_key(person.name) == family for person in held) else held

    def _formerly(self, name, family, former: str, side, stated, date, where) -> Found | None:
        """A surname alone written with a title no longer held ('former Secretary-General Annan',
        Nairobi, 2008): the one person of that surname, of a side that agrees, seen in (or recorded
        holding) a post of that office before the date; None when not exactly one was. The post and
        the date are the evidence: 'former President Bush' with two Presidents Bush seen is neither."""
        office = _office(post_slug(former, None))
        fits = []
        for known in self.by_family.get(family, []):
            if not _sides_agree(known, side, stated, full=False):
                continue
            seen = {p for y, held in known.posts.items() if y <= date.year for p in held}
            seen |= {r.post for r in self._dated(known) if r.post and r.start and r.start.certainly_before(date)}
            prefixes = {f"{s.lower()}-" for s in {known.side, *known.sides} if s}
            if any(_office(p) == office or any(p == f"{x}{office}" for x in prefixes) for p in seen):
                fits.append(known)
        if len(fits) != 1:
            return None
        found = self._taken(fits[0], name, side, where, {fits[0].id}, stated, date)
        found.notes.insert(
            0,
            f"{where}: 'former {former} {name}' taken for {fits[0].id} ('{fits[0].name}'), the one of that surname "
            f"seen as {former} before this date; confirm",
        )
        return found

    def _held_by_surname(self, family: str, post: str, side: str | None, year: int) -> bool:
        """Whether a surname-only proposal of ``family`` was seen in ``post`` of ``side`` within a year
        of ``year``: someone of that surname held the post then, before the one named in full was
        first seen in it ('President Assad' in 1995, then 'President Bashar Assad' from 2000: the
        'President Assad' of 1996 is no evidence of Bashar, the President Assad seen the year before
        held the post)."""
        return any(
            k.proposal is not None and not k.given and k.post == post and k.side == side
            for k in self.by_family.get(family, [])
            if any(abs(seen - year) <= 1 and post in held for seen, held in k.posts.items())
        )

    def _holders_by_part(self, family: str, candidates: list[Known], title, side, stated, date) -> list[Known]:
        """Reference people with ``family`` as another part of their name ('President Somoza',
        1939: Anastasio Somoza García) who held the office the title names on the date (or were
        about to, for a president-elect): the post and the date are the evidence, the name part
        only finds them."""
        others = [
            k for k in self.by_part.get(family, []) if k not in candidates and _sides_agree(k, side, stated, full=False)
        ]
        if not others or not title or not side:
            return []
        return self._holders(others, title, side, date)[0]

    def _holders(self, candidates: list[Known], title, side, date) -> tuple[list[Known], list[Known]]:
        """Recorded candidates who held a post on the date: the post the title names when one
        of them held it, else a post of that office on another side ('Chairman Arafat' met in
        Tunis: the PLO's Chairman), else, with no title, any post of their side; and those who
        held only posts of other offices then, whom a title naming another office cannot decide
        for ('Foreign Minister X' is no evidence of the President X)."""
        dated = []
        elect = bool(title) and _office(post_slug(title, None)) != post_slug(title, None)
        for known in candidates:
            person = self.kb.people.get(known.id)
            roles = [r for r in person.roles if r.start or r.end] if person is not None else []
            held = [r for r in roles if r.held_on(date) or (elect and _about_to_hold(r, date))]
            if held:
                dated.append((known, held))
        if title and side:
            post = post_slug(title, side)
            by_post = [k for k, held in dated if any(r.post == post for r in held)]
            if by_post:
                return by_post, []
        # A house name after a chain of fathers' names ('Abdullah bin Abdulaziz Al Saud') is shared
        # by a whole dynasty: 'Foreign Minister Saud' is no evidence of the King holding another post.
        dated = [(k, held) for k, held in dated if not _house_named(k)]
        if not title:
            return [k for k, _ in dated], []
        office = _office(post_slug(title, None))
        fits = [k for k, held in dated if any(_names_office(_bare_post(r), office) for r in held)]
        return fits, [k for k, _ in dated if k not in fits]

    def _post_side(self, known: Known, title: str, date) -> str | None:
        """The side on which ``known`` held the post ``title`` names on ``date``: a recorded dated
        role ('Prime Minister' held by Ehud Barak, IL, 1999-2001), or the post this import saw them
        in within a year of it; None when neither says so."""
        sides = sorted(s for s in {known.side, *known.sides} if s)
        posts = {post_slug(title, s): s for s in sides}
        person = self.kb.people.get(known.id)
        for role in person.roles if person is not None else ():
            if role.post in posts and (role.start or role.end) and role.held_on(date):
                return posts[role.post]
        for post, held in posts.items():
            years = [y for y, seen in known.posts.items() if post in seen]
            if years and min(years) - 1 <= date.year <= max(years) + 1:
                return held
        return None

    def _away(self, pool: list[Known], name, title, side, date, where) -> Found | None:
        """A surname met away from home, whose side nothing states: the one of that surname who held
        the post its title names then (a given name, 'King Abdullah', is shared by too many royals
        of other countries to be taken so: the caller leaves them out); with no title, the one a
        recorded role places in a post of another side then ('Generals Eisenhower and De Gaulle' in
        Algiers, 1943: a rank, no post). Never when someone of the host's side bears the surname."""
        if any(k.side == side for k in pool):
            return None
        if title:
            in_post = [(k, held) for k in pool if (held := self._post_side(k, title, date))]
            named_in_post = [(k, held) for k, held in in_post if k.given or k.post is None] or in_post
            if len(named_in_post) == 1:
                return self._by_post(*named_in_post[0], name, title, side, where)
            return None
        serving = [(k, held) for k in pool if side and (held := self._serving(k, date)) and held != side]
        return self._by_post(*serving[0], name, title, side, where) if len(serving) == 1 else None

    def _serving(self, known: Known, date) -> str | None:
        """The one side whose posts ``known``'s dated roles say they held on ``date``, or None."""
        sides = {r.country or r.org for r in self._dated(known) if r.held_on(date) and (r.country or r.org)}
        return sides.pop() if len(sides) == 1 else None

    def _by_post(self, known: Known, held: str, name, title, side, where) -> Found:
        """A mention met away from home taken for the one person who held the post its title names
        then: their side is the post's, not the host's ('Prime Minister Barak' met in Paris is IL's).
        A surname with no title (a rank: 'General Eisenhower', Algiers, 1943) is taken for the one
        person of that surname a recorded role places in a post of another side on that date, when
        no one of the host's side bears it."""
        found = self._taken(known, name, held, where, {known.id}, True, None)
        if held != side:
            what = f"'{title} {name}'" if title else f"'{name}' (no post named)"
            post = "that post" if title else "a post (a recorded role)"
            found.notes.append(
                f"{where}: {what} taken for {known.id} ('{known.name}'), who held {post} for {held} "
                "then: on that side, not the host's; confirm"
            )
        return found

    def _surname_proposal(self, name, family, title, side, stated, year, where, candidates) -> Found:
        post = post_slug(title or "", side) if title else (side or "")
        # another holder of the post between two sightings: the post changed hands ('President Bush'
        # in 1992 and in 2001, President Clinton between), so the surname is no evidence of one person
        between = {k.id: self._held_between(k, post, year) for k in self.by_family.get(family, [])}
        same = [
            k
            for k in self.by_family.get(family, [])
            if k.proposal is not None and k.post and k.side == side and k.near(year, GAP_YEARS)
            if _office(k.post) == _office(post) or _rose(k, post, side, year)
            if not between[k.id]
        ]
        notes = [self._ambiguous(where, name, candidates)] if candidates else []
        if same:
            known = min(same, key=lambda k: (_office(k.post) != _office(post), k.gap(year)))
            found = Found(known.id, known.side, known.proposal, notes)
            if _office(known.post) != _office(post):
                found.notes.append(
                    f"{where}: '{title} {name}' taken for {known.id}, seen as {known.title} in {_years(known.years)}: "
                    "the one of that surname and side at the head of its state or government then, in a later "
                    "post; confirm"
                )
            found.notes.append(_unknown(where, name, known.id))
            return found
        earlier = [k for k in self.by_family.get(family, []) if k.proposal is not None and k.post == post]
        notes += self._other_posts(name, family, title, side, year, where, post)
        for k in earlier:
            other = between.get(k.id)
            why = f"{other} held that post in between" if other else f"more than {GAP_YEARS} years apart"
            notes.append(
                f"{where}: '{title} {name}' was also seen {k.gap(year)} years from this date ({k.id}): {why}, so "
                "kb cannot tell whether they are one and takes it for another person; merge them (kb merge) if they "
                "are one, or load who held the post (kb import holders)"
            )
        return self._propose(name, [], family, title, side, stated, year, where, notes, post=post)

    def _other_posts(self, name, family, title, side, year, where, post) -> list[str]:
        """Notes for the surname-only proposals of that surname and side seen in another post within
        GAP_YEARS ('Foreign Minister Segni', 1961, and 'President Segni', 1962): a surname and a side
        are no evidence of one person (Foreign Minister Jaswant Singh, 2002, was not Prime Minister
        Manmohan Singh, 2004), so the draft says whom they may be."""
        return [
            f"{where}: '{title} {name}' has the surname of {k.id}, seen as {k.title} of that side in "
            f"{_years(k.years)}: a surname is no evidence, so kb takes it for another person; merge them (kb merge) "
            "if they are one, or load who held the posts (kb import holders)"
            for k in self.by_family.get(family, [])
            if k.proposal is not None and not k.given and k.post and k.post != post and k.title
            if k.side == side and k.near(year, GAP_YEARS) and _office(k.post) != _office(post)
        ]

    def _held_between(self, known: Known, post: str, year: int) -> str | None:
        """Someone of another name this import saw in ``post`` strictly between the year ``known``
        was seen nearest to ``year`` and ``year``, or None (one of the same name may be them)."""
        if not known.years:
            return None
        nearest = min(known.years, key=lambda seen: abs(seen - year))
        low, high = sorted((nearest, year))
        for seen in range(low + 1, high):
            for other in sorted(self.in_post.get(post, {}).get(seen, set())):
                other_known = self.by_id.get(other)
                if other_known and known.family not in (other_known.family, *other_known.given[:1]):
                    return other
        return None

    def _taken(self, known: Known, name, side, where, exact, stated=False, date=None) -> Found:
        notes = []
        if known.id not in exact:
            notes.append(
                f"{where}: '{name}' taken for {known.id} ('{known.name}'), the only one of that name, side and era; "
                "confirm, and add the name as an alias if right"
            )
        if known.proposal is not None:
            notes.append(_unknown(where, name, known.id))
        return Found(known.id, self._side_then(known, side, stated, date), known.proposal, notes)

    def _side_then(self, known: Known, side: str | None, stated: bool, date) -> str | None:
        """The side of a mention taken for ``known``: the one its title states; else the side of
        the post they held on the date (a dated role; a side titles gave them within a year of
        it); else, met away from their own country, the international body they were last seen
        for before it (Mogherini in Brussels, 2019); else their own side, unless that is a body
        they are known to have served only in other years (Ban Ki-moon, Foreign Minister in Seoul
        in 2005, is not yet the UN's); else the host's."""
        if (stated and side) or not side or date is None:
            return side or known.side
        then = sorted(self._sides_held(known, date))
        if then:
            return side if side in then else then[0]
        before = [
            (max(y for y in years if y < date.year), s)
            for s, years in known.stated_in.items()
            if min(years) < date.year
        ]
        bodies = [s for _year, s in sorted(before) if is_body(s)]
        if bodies and side not in {known.side, *known.sides} and not is_body(known.side):
            return bodies[-1]
        if known.side and is_body(known.side) and (known.stated_in.get(known.side) or self._dated(known)):
            return side
        return known.side if known.stated else side

    def _dated(self, known: Known) -> list:
        person = self.kb.people.get(known.id)
        return [r for r in person.roles if r.start or r.end] if person is not None else []

    def _sides_held(self, known: Known, date) -> set[str]:
        """The sides of the posts ``known`` held on ``date``: dated roles, and sides titles gave
        them within a year of it."""
        held = {r.country or r.org for r in self._dated(known) if r.held_on(date) and (r.country or r.org)}
        for seen, years in known.stated_in.items():
            if min(years) - 1 <= date.year <= max(years) + 1:
                held.add(seen)
        return held

    def _spelling(self, name, given, family, title, side, stated, date, where) -> Found | None:
        """A name no one is known by, taken for the one person who held the post its title names
        on the date (a dated role, or seen in it in this import within a year) and whose name it
        spells another way ('Xi Jingping' for Xi Jinping, President of China in 2015; 'Abdullah bin
        Zayed' for Abdullah bin Zayed Al Nahyan, Foreign Minister of the UAE): both must agree, a
        spelling alone never decides. The spelling is kept as their alias."""
        posts = _posts(title, side)
        pool = sorted({ident for post in posts for ident in self.by_post.get(post, ())})
        fits = []
        for ident in pool:
            known = self.by_id[ident]
            evidence = self._in_post(known, posts, date)
            if evidence and _spelled_alike(given, family, known):
                fits.append((known, evidence))
        if len(fits) != 1:
            return None
        known, evidence = fits[0]
        found = self._taken(known, name, side, where, {known.id}, stated, date)
        found.notes = [n for n in found.notes if "the only one of that name" not in n]
        keep = "kept as an alias of theirs" if known.proposal is not None else "add it to their aliases if right"
        found.notes.insert(
            0,
            f"{where}: '{name}' taken for {known.id} ('{known.name}'): another spelling of that name, and {evidence}; "
            f"confirm ({keep})",
        )
        if len(names.parts(name)) > 1:
            self.index.add(known.id, name)
            if known.proposal is not None and name not in known.proposal.spellings:
                known.proposal.spellings.append(name)
        return found

    def _in_post(self, known: Known, posts: set[str], date) -> str | None:
        """What says ``known`` held one of ``posts`` on ``date``: a dated role, or this import
        seeing them in it within a year of the date; None when nothing does."""
        for role in self._dated(known):
            if role.post in posts and role.held_on(date):
                until = f" to {role.end}" if role.end else ""
                return f"they held the post {role.post} then (a recorded role, from {role.start or '?'}{until})"
        years = sorted(y for y, seen in known.posts.items() if seen & posts)
        if years and years[0] - 1 <= date.year <= years[-1] + 1:
            return f"they were seen in the post {sorted(posts)[0]} in {_years(set(years))} in this import"
        return None

    def _ambiguous(self, where: str, name: str, candidates: list[Known]) -> str:
        listed = ", ".join(f"{k.id} ('{k.name}')" for k in candidates)
        return f"{where}: '{name}' could be any of {listed}: kb cannot tell; a person of its own is proposed"

    def _resembling(self, where: str, name: str) -> list[str]:
        return [
            f"{where}: '{name}' resembles {m.person} ('{m.via or self.index.primary.get(m.person)}', {m.how}): "
            "a person of their own is proposed; merge them (kb merge) if they are one"
            for m in self.index.fuzzy(name)[:2]
            if m.person in self.by_id
        ]

    def _propose(self, name, given, family, title, side, stated, year, where, notes, post=None) -> Found:
        from kb.importing.write import free_id

        country = side if side and not is_body(side) else None
        # every recorded person is in by_id (__init__): its keys, not a copy made for each proposal
        person_id = free_id(self.kb.root, "person", names.person_id(name), self.by_id.keys())
        proposal = ProposedPerson(person_id, name, title, country, where)
        known = Known(person_id, name, given, family, side, stated, title, {year}, proposal, post)
        self._add(known)
        self.index.add(person_id, name)
        self.proposals.append(proposal)
        return Found(person_id, side, proposal, [*notes, _unknown(where, name, person_id)])


def _posts(title: str | None, side: str | None) -> set[str]:
    """The posts a title names, each part of a joined title its own ('Crown Prince and Prime
    Minister', 'Crown Prince-Prime Minister')."""
    if not title:
        return set()
    parts = [p for p in re.split(r"\s+and\s+|-(?=[A-Z][a-z]+\s)", title) if p.strip()]
    return {post_slug(part.strip(), side) for part in parts} | {post_slug(title, side)}


def _names_kin(given: list[str], kin: Known) -> bool:
    """Whether a name written as one who held no post (_held_by_kin) bears, but for its last part,
    names of the kinsman who held the post then, in order: 'Jose Figueres Ferrer' (1994), the
    father's name, holds 'José' and 'Figueres' of José María Figueres Olsen, the President then (a
    son's given name and his father's surname). 'Hafez al-Assad' holds nothing of Bashar's."""
    return _full_names(given) >= 2 and len(given) <= len(kin.given) and _given_compatible(given, kin.given)


def _bare_post(role) -> str | None:
    """A role's post without its side: 'plo-chairman' -> 'chairman'."""
    side = (role.country or role.org or "").lower()
    return role.post.removeprefix(f"{side}-") if role.post and side else role.post


def _reigning(name: str, known: Known, side: str | None) -> bool:
    """Whether ``name`` carries a regnal number ('Carl XVI Gustaf') that ``known``, of that very
    side, carries too: the number exists to tell a monarch from every namesake, so any years
    apart are one reign (Carl XVI Gustaf of Sweden, 1976 and 2006)."""
    number = _regnal_number(name)
    return bool(number) and side is not None and known.side == side and _regnal_number(known.name) == number


def _regnal_number(name: str) -> str | None:
    """The regnal number a name carries ('Carl XVI Gustaf' -> 'XVI'); a lone 'I' may be an initial."""
    found = re.search(r"(?<![\w.])(I{2,3}|I?V|VI{0,3}|I?X|XI{0,3}|XI?V|XVI{0,3})(?![\w.])", name)
    return found.group(1) if found else None


def _names_office(post: str | None, office: str | None) -> bool:
    """Whether a role's post (without its side) is the office a title names: the same, or that
    office of a body ('President of the Provisional Government', de Gaulle's in 1945, is a
    presidency: 'President de Gaulle')."""
    held = _office(post)
    return bool(held) and bool(office) and (held == office or (held or "").startswith(f"{office}-of-"))


ELECT_DAYS = 366  # a president-elect takes office within a year of being named so


def _about_to_hold(role, date) -> bool:
    """Whether a role began within a year after ``date``: the post a president-elect was about to
    hold ('President-elect Machado', April 1925: President of Cuba from May 1925)."""
    if role.start is None or not date.certainly_before(role.start):
        return False
    return (role.start.earliest() - date.latest()).days <= ELECT_DAYS


def _office(post: str | None) -> str | None:
    """The office a post names: a president-elect is about to hold the presidency
    ('pa-president-elect' -> 'pa-president')."""
    return re.sub(r"-elect$", "", post) if post else post


# The posts at the head of a state or government one person moves up through: Prime Minister
# Nkrumah (1958) was President Nkrumah (1960); Chairman Park (1961), Acting President, President.
_HEADS = ("president", "prime-minister", "premier", "chairman", "acting-president")


def _rose(known: Known, post: str, side: str | None, year: int) -> bool:
    """Whether a surname alone in ``post`` may be ``known`` (a surname-only proposal of that side)
    in a later post at the head of the state or government: both posts are such, and every year
    ``known`` was seen in its own post came before this one (two posts in one year are two people,
    President and Prime Minister Kim in 1998)."""
    prefix = f"{side.lower()}-" if side else ""
    posts = [_office(p) or "" for p in (known.post, post)]
    if not all(p.startswith(prefix) and p[len(prefix) :] in _HEADS for p in posts):
        return False
    seen = [y for y, held in known.posts.items() if known.post in held]
    return bool(seen) and max(seen) < year


def _only_other_posts(known: Known, post: str, side: str | None) -> bool:
    """Whether ``known`` was seen in posts of ``side`` and never in ``post`` (its office) nor, when
    ``post`` is at the head of the state or government, at such a head: a Prime Minister named in full
    is no evidence for a surname alone seen as Foreign Minister of that very country ('Foreign Minister
    Singh', Natwar Singh, 2005, is not Prime Minister Manmohan Singh, 2009). Posts of another side
    say nothing of it ('Foreign Minister al-Araby', Egypt, 2011, became the Arab League's
    Secretary-General, 2012)."""
    prefix = f"{side.lower()}-" if side else ""
    seen = {_office(p) for held in known.posts.values() for p in held if p.startswith(prefix)}
    if not prefix or not seen or _office(post) in seen:
        return False
    heads = {f"{prefix}{head}" for head in _HEADS}
    return not (_office(post) in heads and seen & heads)


def _spelled_alike(given: list[str], family: str, known: Known) -> bool:
    """Whether a name is another spelling of ``known``'s: the same parts but for one written
    another way (names.part_alike) or transliterated another way ('Geidar', 'Heydar'), a family
    name left out ('Abdullah bin Zayed' for 'Abdullah bin Zayed Al Nahyan'), a patronymic written
    on one side only ('Abdullah II bin Al-Hussein' for 'Abdullah II'), an Arabic name split or
    joined ('Abd al Aziz', 'Abdulaziz'; names.joined_parts), the house named as a forebear ('bin
    Saud' for 'Al Saud'), or a surname alone spelt another way ('Pitsuwa')."""
    if _letters_apart(given, family, known):
        return True
    given, family = _house(names.joined_parts(given), family, known.family)
    mine, theirs = _cores(given, names.joined_parts(known.given))
    if not mine:
        return bool(family and known.family) and family != known.family and names.part_alike(family, known.family)
    if len(mine) != len(theirs):
        return False
    pairs = list(zip(mine, theirs, strict=True))
    if family and known.family:
        pairs.append((family, known.family))
    if not all(names.part_alike(a, b) or transliterated(a, b) for a, b in pairs):
        return False
    return sum(a != b for a, b in pairs) <= 1


# A whole name written a letter or a space away from another is a spelling of it only when the name
# is long enough for one letter not to make another name ('Abdullah bin Albdul Aziz', 17 letters).
LETTERS_APART_MIN = 12


def _letters_apart(given: list[str], family: str, known: Known) -> bool:
    """Whether a full name is ``known``'s written a letter or a space apart, its letters read as one
    word ('Abdullah bin Albdul Aziz' for 'Abdullah bin Abdulaziz', the house 'Al Saud' left out after
    'bin' as a full name may): a misspelling no rule of parts reads. The post and the date must
    agree as well (the callers ask): a spelling alone never decides."""
    from rapidfuzz.distance import Levenshtein

    if not given or not known.given:
        return False

    def letters(words: list[str]) -> str:
        return "".join(w for w in words if w not in names.PARTICLES | names.NASAB and names.part_key(w) != "bin")

    mine = letters([*given, family])
    theirs = {letters([*known.given, known.family])}
    if _house_named(known) and any(names.part_key(w) == "bin" for w in given):
        theirs.add(letters(known.given))
    return len(mine) >= LETTERS_APART_MIN and any(Levenshtein.distance(mine, t) <= 1 for t in theirs)


def _cores(mine: list[str], theirs: list[str]) -> tuple[list[str], list[str]]:
    """The parts two names are compared by, particles and 'bin' left out; when their numbers
    differ and only one name has a patronymic ('bin Al-Hussein'), that name up to it."""

    def core(words: list[str]) -> list[str]:
        return [w for w in words if w not in names.PARTICLES | names.NASAB and names.part_key(w) != "bin"]

    def nasab(words: list[str]) -> int | None:
        return next((i for i, w in enumerate(words) if i and names.part_key(w) == "bin"), None)

    a, b = core(mine), core(theirs)
    if len(a) != len(b) and (nasab(mine) is None) != (nasab(theirs) is None):
        a = core(mine[: nasab(mine)]) if nasab(mine) is not None else a
        b = core(theirs[: nasab(theirs)]) if nasab(theirs) is not None else b
    return a, b


def _house(given: list[str], family: str, theirs: str) -> tuple[list[str], str]:
    """A name without a family name that ends in 'bin X' where the other's family name is X ('Salman
    bin Abd al Aziz bin Saud' beside 'Salman bin Abdulaziz Al Saud'): the house named as a
    forebear, read as the family name."""
    if not family and theirs and len(given) > 2 and names.part_key(given[-2]) == "bin" and given[-1] == theirs:
        return given[:-2], theirs
    return given, family


def _house_named(known: Known) -> bool:
    """Whether ``known``'s family name is a house's, after a chain of fathers' names ('bin', 'ibn')."""
    return bool(known.family) and any(names.part_key(word) == "bin" for word in names.ascii_words(known.name))


def _unknown(where: str, name: str, person_id: str) -> str:
    return f"{where}: '{name}' is not a known person (proposed as {person_id}); confirm who this is"


def _sides_agree(known: Known, side: str | None, stated: bool, *, full: bool) -> bool:
    """A side stated on both sides must be the same; a side taken from the host rules out only a
    surname-only mention of someone of another country (a body's official travels)."""
    if not side or not known.side or known.side == side or side in known.sides:
        return True
    if stated and known.stated:
        return full and succeeded(known.side, side)
    if full:
        return True
    return is_body(known.side)  # a surname alone: the host's own people, or a body's official


def succeeded(a: str, b: str) -> bool:
    """Whether one side is a country of today and the other the former country it was part of
    (Czechoslovakia, CS, and Czechia, CZ: Vaclav Havel was president of both), so that one full
    name met under each is one person."""
    from kb.model.countries import SUCCESSIONS

    return any({a, b} == {current, former} for current, former, _first, _until in SUCCESSIONS)


def _royals(candidates: list[Known], side: str | None, year: int) -> list[Known]:
    """The royals a given name with a royal title may be ('Crown Prince Abdullah', SA): those of
    that given name named in full, of that very country, within an era (a royal's title changes,
    from crown prince to king, so neither the post nor the term of office is asked)."""
    return [k for k in candidates if k.given and k.family and side and k.side == side and k.near(year, ERA_YEARS)]


def _is_regnal(title: str | None) -> bool:
    return bool(title) and names._key((title or "").split()[-1]) in _REGNAL


def _held_other(kb, known: Known, date) -> bool:
    """A recorded person whose dated roles all lie away from the date."""
    person = kb.people.get(known.id)
    roles = [r for r in person.roles if r.start or r.end] if person is not None else []
    return bool(roles) and not any(r.held_on(date) for r in roles)


# --- the second pass: after every row is read ---------------------------------------------------


@dataclass
class Settled:
    """What the second pass decided: surname-only proposals taken for one person (proposal id ->
    person id, with the note saying why), and notes for the drafts naming a person."""

    joined: dict[str, tuple[str, str]] = field(default_factory=dict)
    # a proposal parted by year: (proposal id, year) -> the person that year's mentions are taken
    # for and the note saying why
    parted: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)  # a joined proposal met abroad -> the side of its post


def settle(identities: Identities) -> Settled:
    """Join each surname-only proposal to the one person of that surname, side, era and post named
    in full (recorded, or proposed by this import) when exactly one fits; say so when several do.
    Near spellings of one side and era ('Xi Jingping', 'Xi Jinping') are noted, never joined."""
    settled = Settled()
    for known in list(identities.by_id.values()):
        if known.proposal is None or known.given or not known.family or known.post is None:
            continue
        fits = _join_candidates(identities, known)
        where = known.proposal.seen
        if len(fits) == 1 and _weak(identities, known) and (early := _before_post(known, fits[0])):
            _part(identities, settled, known, fits[0], early)
        elif len(fits) == 1:
            person = fits[0]
            settled.joined[known.id] = (
                person.id,
                f"{where}: '{known.name}' taken for {person.id} ('{person.name}') after the whole import was read: "
                f"the only one named in full of that surname, side, era ({_years(known.years)}) and post; confirm, "
                "and add the name as an alias if right",
            )
        elif not fits:
            settled.notes.setdefault(known.id, []).extend(_too_far(identities, known))
        else:
            listed = ", ".join(f"{k.id} ('{k.name}')" for k in fits)
            settled.notes.setdefault(known.id, []).append(
                f"{where}: '{known.name}' ({known.id}) could be any of {listed}, each of that surname, side and era: "
                "kb cannot tell, so it stays a person of its own"
            )
    _join_surnames(identities, settled)
    _join_abroad(identities, settled)
    _join_spellings(identities, settled)
    for a, b in _near_spellings(identities):
        for one, other in ((a, b), (b, a)):
            if one.proposal is not None:
                settled.notes.setdefault(one.id, []).append(
                    f"{one.proposal.seen}: '{one.name}' ({one.id}) and '{other.name}' ({other.id}) are near spellings "
                    "of one side and era: kept as two people (a spelling is no evidence); if they are one, "
                    f"`kb merge {other.id} {one.id}` (`kb dedupe` proposes the pair)"
                )
    return settled


def _before_post(known: Known, person: Known) -> set[int]:
    """The years a surname-only proposal was seen before ``person``, named in full, was first seen
    in its post (or a recorded role places them in it): a surname alone then is no evidence that
    they held the post ('President Kim', 1996, is not Kim Dae-jung, seen as President from 2000:
    the knowledge base does not say who held the post in 1996)."""
    return {year for year in known.years if _before(person, known.post, year)}


def _before(person: Known, post: str | None, year: int) -> bool:
    """Whether ``year`` is more than a year before ``person`` was first seen in ``post``."""
    first = _first_in(person, post)
    return first is not None and year < first - 1


def _shared(identities: Identities, family: str) -> bool:
    """Whether two or more people named in full bear the surname ``family`` in this import
    (recorded or proposed, of any side: Kim Dae-jung and Kim Jong Il, Manmohan and Rajnath Singh):
    a surname alone is then weak evidence of any one of them. Given names spelt alike (Sergei and
    Sergey Lavrov) count once; a house named after a chain of fathers' names (al-Thani, Al Saud) is
    left to the rules of houses and posts."""
    firsts: list[str] = []
    for known in identities.by_family.get(family, []):
        if known.given and not _house_named(known) and not any(names.part_alike(known.given[0], s) for s in firsts):
            firsts.append(known.given[0])
    return len(firsts) >= 2


def _weak(identities: Identities, known: Known) -> bool:
    """Whether a surname-only proposal's surname is weak evidence once the whole import is read:
    borne by people named in full of any side (_shared) and by two or more other people of its own
    side, named in full or seen by surname alone in other offices (Kim Dae-jung, Foreign Minister Kim
    and Premier Kim of South Korea). A royal's given name ('Crown Prince Abdullah') is left to _royals."""
    if _is_regnal(known.title) or not _shared(identities, known.family):
        return False
    office = _office(known.post)
    kin = [
        k
        for k in identities.by_family.get(known.family, [])
        if k is not known and k.side == known.side and (k.given or _office(k.post) != office)
    ]
    return len(kin) >= 2


def _first_in(person: Known, post: str | None) -> int | None:
    office = _office(post)
    return min((y for y, held in person.posts.items() if office in {_office(p) for p in held}), default=None)


def _part(identities: Identities, settled: Settled, known: Known, person: Known, early: set[int]) -> None:
    """Settle a surname-only proposal seen in years before ``person`` (its one candidate) was first
    seen in its post: those years stay a person of their own, the draft naming the candidate; the
    later years are taken for them. As several people bear the surname (_weak: Kim, Park, Singh),
    the early years are not taken for one person either: one proposal a year."""
    first, late = _first_in(person, known.post), known.years - early
    kin = {k.id for k in identities.by_family.get(known.family, []) if k is not known and k.side == known.side}
    groups = [{year} for year in sorted(early)]
    posts, seen_at = dict(known.posts), dict(known.seen_at)
    if known.proposal is not None:
        known.proposal.seen = seen_at.get(min(groups[0]), known.proposal.seen)
    known.years, known.posts = set(groups[0]), {y: posts[y] for y in groups[0] if y in posts}
    for index, years in enumerate(groups):
        ident = known.id if index == 0 else _piece(identities, known, years, posts, seen_at)
        for year in years - groups[0]:
            settled.parted[(known.id, year)] = (ident, "")
        where = seen_at.get(min(years), "")
        settled.notes.setdefault(ident, []).append(
            f"{where}: '{known.title} {known.name}' ({ident}, {_years(years)}) has the surname of {person.id} "
            f"('{person.name}'), seen as {known.title} of that side only from {first}: a surname alone seen before "
            "that is no evidence that they held the post then (another may have), so kb takes it for another person; "
            "merge them (kb merge) if they are one, or load who held the post (kb import holders)"
        )
        if len(groups) > 1:
            settled.notes[ident].append(
                f"{where}: '{known.name}' is the surname of {len(kin) + 1} people of that side in this knowledge base: "
                f"the same surname as {known.title} in other years is no evidence of one person, so kb does not join them"
            )
    for year in sorted(late):
        settled.parted[(known.id, year)] = (
            person.id,
            f"{seen_at.get(year, '')}: '{known.name}' taken for {person.id} ('{person.name}') after the whole import "
            f"was read: the only one named in full of that surname, side, era ({year}) and post, seen in it from "
            f"{first}; confirm, and add the name as an alias if right",
        )


def _piece(identities: Identities, known: Known, years: set[int], posts: dict, seen_at: dict) -> str:
    """A new surname-only proposal for ``years`` of ``known``'s mentions."""
    from kb.importing.write import free_id

    where = seen_at.get(min(years), known.proposal.seen if known.proposal else "")
    ident = free_id(identities.kb.root, "person", names.person_id(known.name), identities.by_id.keys())
    country = known.proposal.country if known.proposal else None
    proposal = ProposedPerson(ident, known.name, known.title, country, where)
    piece = Known(ident, known.name, [], known.family, known.side, known.stated, known.title, set(years))
    piece.proposal, piece.post = proposal, known.post
    piece.posts = {y: set(posts[y]) for y in years if y in posts}
    identities._add(piece)
    identities.proposals.append(proposal)
    return ident


def _years(years: set[int]) -> str:
    return f"{min(years)}" if min(years) == max(years) else f"{min(years)}–{max(years)}"


def _join_surnames(identities: Identities, settled: Settled) -> None:
    """Join surname-only proposals of one surname, side and post seen within GAP_YEARS of each other,
    no one else seen in the post in the years between: the rule a surname alone meets when it is
    read (Identities._surname_proposal), asked again once every row is read, so that it does not
    hang on the order the rows came in ('President Assad', 1973–1978 in one traveller's file, read
    after 1983–2000 in others'). Proposals parted by year (a surname several people bear: the
    Presidents Kim) are left as they are."""
    parted = {old for old, _year in settled.parted} | {new for new, _why in settled.parted.values()}
    groups: dict[tuple, list[Known]] = {}
    for known in identities.by_id.values():
        if known.proposal is None or known.given or not known.family or not known.post or not known.years:
            continue
        if known.id not in settled.joined and known.id not in parted and not _is_regnal(known.title):
            groups.setdefault((known.family, known.side, _office(known.post)), []).append(known)
    for members in groups.values():
        members.sort(key=lambda k: min(k.years))
        for earlier, later in pairwise(members):
            root = settled.joined.get(earlier.id, (earlier.id, ""))[0]
            last, first = max(earlier.years), min(later.years)
            if last >= first or first - last > GAP_YEARS or _seen_between(identities, later, {earlier.id, root}, last):
                continue
            settled.joined[later.id] = (
                root,
                f"{later.proposal.seen if later.proposal else ''}: '{later.title} {later.name}' taken for {root} "
                f"after the whole import was read: the same surname seen as {later.title} of that side in "
                f"{_years(earlier.years)}, {first - last} years before, and no one else seen in that post between; "
                "confirm",
            )


def _seen_between(identities: Identities, known: Known, ours: set[str], since: int) -> bool:
    """Whether anyone but ``known`` and ``ours`` was seen in ``known``'s post in the years strictly
    between ``since`` and the first year ``known`` was seen."""
    post = known.post or ""
    return any(
        ident not in ours and ident != known.id
        for year in range(since + 1, min(known.years))
        for ident in identities.in_post.get(post, {}).get(year, ())
    )


def _join_abroad(identities: Identities, settled: Settled) -> None:
    """Join a surname-only proposal met away from home ('Prime Minister Fayyad' in Jerusalem,
    2008, on the host's side as nothing said otherwise) to the one person of that surname named in
    full whom the whole import saw in the post its title names, on another side, in years around
    it (Salam Fayyad, Palestinian Prime Minister 2008–2013): on that post's side."""
    for known in list(identities.by_id.values()):
        if known.id in settled.joined or known.proposal is None or known.given or known.stated:
            continue
        if not known.family or not known.title or not known.side or is_body(known.side):
            continue
        family = identities.by_family.get(known.family, [])
        if any(k.side == known.side and k is not known for k in family):
            continue  # a person of the host's own of that surname: they may be the one
        fits = [(k, held) for k in family if k.given and (held := _seen_abroad(identities, settled, k, known))]
        if len(fits) != 1:
            continue
        person, held = fits[0]
        settled.joined[known.id] = (
            person.id,
            f"{known.proposal.seen}: '{known.title} {known.name}' taken for {person.id} ('{person.name}') after the "
            f"whole import was read: the only one of that surname seen as {known.title} ({held}) in the years around "
            f"{_years(known.years)}; on that side, not the host's; confirm",
        )
        settled.sides[known.id] = held


def _join_spellings(identities: Identities, settled: Settled) -> None:
    """Join a proposal whose name no one else is written with to the one person, spelt alike, whom
    the whole import saw (or a dated role places) in a post it was seen in, in a year it was seen
    ('Crown Prince Mohamed bin Zayed Al Nahyan', March 2013, read before the register's 'Mohammed
    bin Zayed Al Nahyan' as Crown Prince, 2013–2019): the rule of Identities._spelling, asked
    again once every row is read. The person seen in fewer years is the one joined."""
    targets = {to for to, _why in settled.joined.values()}
    proposed = [k for k in identities.by_id.values() if k.proposal is not None and k.posts]
    for known in sorted(proposed, key=lambda k: (len(k.years), k.id)):
        proposal = known.proposal
        if proposal is None or known.id in settled.joined or known.id in targets or not (known.given or known.family):
            continue
        fits, held_by_another = _spelling_fits(identities, settled, known)
        fits = {ident: why for ident, why in fits.items() if ident not in held_by_another}
        if len(fits) != 1:
            continue
        (ident, evidence), other = next(iter(fits.items())), identities.by_id[next(iter(fits))]
        settled.joined[known.id] = (
            ident,
            f"{proposal.seen}: '{known.name}' taken for {ident} ('{other.name}') after the whole import was "
            f"read: another spelling of that name, and {evidence}; confirm (kept as an alias of theirs)"
            if other.proposal is not None
            else f"{proposal.seen}: '{known.name}' taken for {ident} ('{other.name}') after the whole import "
            f"was read: another spelling of that name, and {evidence}; confirm, and add it to their aliases if right",
        )
        targets.add(ident)
        if other.proposal is not None and len(names.parts(known.name)) > 1:
            other.proposal.spellings.append(known.name)


def _spelling_fits(identities: Identities, settled: Settled, known: Known) -> tuple[dict[str, str], set[str]]:
    """The people spelt alike whom something says held a post ``known`` was seen in, in a year it
    was seen (person -> that evidence), and those of them whose post a dated role gives to someone
    else in another year ``known`` was seen in it ('King Abdullah bin Albdul Aziz' in 1999, when
    Fahd was King, is not the King Abdullah of 2008)."""
    from kb.model.dates import PartialDate

    fits: dict[str, str] = {}
    unproven: dict[int, set[str]] = {}
    for year, posts in sorted(known.posts.items()):
        date = PartialDate.parse(str(year))
        for ident in sorted({i for post in posts for i in identities.by_post.get(post, ())} - {known.id}):
            other = identities.by_id[ident]
            if ident in settled.joined or not _spelled_alike(known.given, known.family, other):
                continue
            if not (evidence := identities._in_post(other, posts, date)):
                unproven.setdefault(year, set()).add(ident)
            elif ident not in fits:
                fits[ident] = evidence
    if not fits:
        fits = _heir_crowned(identities, known)
    held_by_another = set()
    for year, idents in unproven.items():
        date, posts = PartialDate.parse(str(year)), known.posts[year]
        holders = {i for post in posts for i in identities.by_post.get(post, ())} - idents - {known.id}
        if any(r.post in posts and r.held_on(date) for i in holders for r in identities._dated(identities.by_id[i])):
            held_by_another |= idents
    return fits, held_by_another


# An heir's post and the thrones it leads to, and how soon after the heir was seen the throne counts
# ('Heir Apparent Tamim bin Hammad', March 2013, Amir from June 2013).
HEIRS = ("heir-apparent", "crown-prince")
THRONES = ("amir", "king", "queen", "sultan", "emperor", "grand-duke", "grand-duchess")
SUCCESSION_YEARS = 10


def _heir_crowned(identities: Identities, known: Known) -> dict[str, str]:
    """The one person spelt alike whom the import saw (or a dated role places) on the throne of
    the side whose heir ``known`` was seen as, first within SUCCESSION_YEARS after, never before:
    the heir's post leads to that throne, and the name says which holder (person -> that evidence)."""
    found: dict[str, str] = {}
    for year, posts in sorted(known.posts.items()):
        for post in posts:
            side = next((post.removesuffix(f"-{heir}") for heir in HEIRS if post.endswith(f"-{heir}")), None)
            thrones = {f"{side}-{throne}" for throne in THRONES} if side else set()
            for ident in sorted({i for throne in thrones for i in identities.by_post.get(throne, ())} - {known.id}):
                other = identities.by_id[ident]
                crowned = [y for y, seen in other.posts.items() if seen & thrones]
                crowned += [r.start.earliest().year for r in identities._dated(other) if r.post in thrones and r.start]
                if (
                    crowned
                    and year <= min(crowned) <= year + SUCCESSION_YEARS
                    and _spelled_alike(known.given, known.family, other)
                ):
                    found[ident] = f"the heir of that side in {year}, they were seen on its throne from {min(crowned)}"
    return found if len(found) == 1 else {}


def _seen_abroad(identities: Identities, settled: Settled, person: Known, known: Known) -> str | None:
    """The side (not ``known``'s host) on which ``person``, or a proposal joined to them, was seen
    in the post ``known``'s title names, in years spanning every year ``known`` was seen (one
    either side); None when there is none."""
    merged = [person] + [identities.by_id[p] for p, (to, _why) in settled.joined.items() if to == person.id]
    sides = {s for k in merged for s in (k.side, *k.sides) if s and s != known.side}
    for side in sorted(sides):
        post = post_slug(known.title or "", side)
        years = sorted(y for k in merged for y, seen in k.posts.items() if post in seen)
        if years and all(years[0] - 1 <= y <= years[-1] + 1 for y in known.years):
            return side
    return None


def _too_far(identities: Identities, known: Known) -> list[str]:
    """Notes for a surname-only proposal left alone whose surname a person named in full of that
    side was seen with in the very post, further than LINK_YEARS from it ('President Putin',
    2001–2008, and 'President Vladimir Putin', 2013–2021): the gap is no evidence either way."""
    if known.proposal is None or not known.years or _is_regnal(known.title):
        return []
    notes = []
    for other in identities.by_family.get(known.family, []):
        if other is known or not other.given or not other.years or other.side != known.side:
            continue
        seen = {y for y, posts in other.posts.items() if known.post in posts}
        if not seen:
            continue
        gap = min(abs(a - b) for a in seen for b in known.years)
        if gap <= LINK_YEARS:
            continue
        notes.append(
            f"{known.proposal.seen}: '{known.name}' ({known.id}, {_years(known.years)}) has the surname of "
            f"{other.id} ('{other.name}'), seen as {known.title} of that side in {_years(seen)}, {gap} years "
            f"apart: more than {LINK_YEARS}, so kb cannot tell whether they are one; merge them (kb merge) if they "
            "are, or load who held the post (kb import holders)"
        )
    return notes


def _join_candidates(identities: Identities, known: Known) -> list[Known]:
    """The people named in full whom a surname-only proposal may be: the same surname, a side
    that agrees, every year it was seen within LINK_YEARS of the years they were seen, and no
    year in which both were seen in different posts."""
    if _is_regnal(known.title):
        royals = [k for k in identities.by_given.get(known.family, []) if k is not known]
        years = sorted(known.years)
        found = [k for k in _royals(royals, known.side, years[0]) if k.near(years[-1], ERA_YEARS)] if years else []
        return found + [k for k in royals if k not in found and _reign_of(identities, known, k)]
    fits = []
    for other in identities.by_family.get(known.family, []):
        if other is known or not other.given or not other.years:
            continue
        if not _sides_agree(other, known.side, known.stated, full=False):
            continue
        low, high = min(other.years) - LINK_YEARS, max(other.years) + LINK_YEARS
        if not all(low <= year <= high for year in known.years):
            continue
        if any(other.posts.get(year) and not (posts & other.posts[year]) for year, posts in known.posts.items()):
            continue
        if known.title and known.post and _only_other_posts(other, known.post, known.side):
            continue
        fits.append(other)
    return fits


# The posts of an heir, who becomes the monarch: 'Crown Prince Abdullah' of Jordan (January 1999),
# 'King Abdullah II' from February 1999.
_HEIRS = ("crown-prince", "heir-apparent")


def _numbered(name: str) -> bool:
    """Whether a name of a monarch ends in a regnal number, 'I' too ('Hussein I', 'Abdullah II')."""
    words = name.split()
    return len(words) >= 2 and bool(re.fullmatch(r"[IVX]{1,5}\.?", words[-1]))


def _reign_of(identities: Identities, known: Known, monarch: Known) -> bool:
    """Whether a monarch's given name alone ('King Hussein', 'Crown Prince Abdullah': a regnal
    proposal of one side) is ``monarch``, named with a regnal number ('Hussein I', 'Abdullah II'),
    of that side: in the very post they were seen in, every year within GAP_YEARS of theirs (a
    regnal number names one reign, as a full name one person), or in an heir's post only before
    they were first seen in theirs and within LINK_YEARS of it; and no one else seen in their post
    in the years between. The post and the date decide, not the name: the
    'Crown Prince Hussein' seen years after King Hussein I is not him."""
    if not _numbered(monarch.name) or monarch.side != known.side or not known.side or not monarch.posts:
        return False
    reign = {post for held in monarch.posts.values() for post in held}
    mine = {post for held in known.posts.values() for post in held}
    first = min(monarch.posts)
    if mine and mine <= reign:
        seen, span = set(monarch.posts), GAP_YEARS
    elif mine and all(post.removeprefix(f"{known.side.lower()}-") in _HEIRS for post in mine):
        seen, span = ({first} if max(known.years) <= first else set()), LINK_YEARS
    else:
        return False
    if not seen or any(min(abs(year - other) for other in seen) > span for year in known.years):
        return False
    low, high = sorted((max(known.years), first)) if max(known.years) < first else (first, first)
    return not any(
        ident not in (known.id, monarch.id)
        for post in reign
        for year in range(low + 1, high)
        for ident in identities.in_post.get(post, {}).get(year, ())
    )


def _near_spellings(identities: Identities) -> list[tuple[Known, Known]]:
    """Pairs of people named in full, one of them proposed by this import, whose names match by
    spelling (kb.model.names.score) but not by evidence, of one side and overlapping years."""
    blocks: dict[str, list[Known]] = {}
    for known in identities.by_id.values():
        if known.given and known.family:
            blocks.setdefault(names.skeleton(known.family), []).append(known)
    pairs = []
    for members in blocks.values():
        for index, a in enumerate(members):
            for b in members[index + 1 :]:
                if (a.proposal is None and b.proposal is None) or a.side != b.side:
                    continue
                if a.family == b.family and _given_compatible(a.given, b.given):
                    continue
                if not a.years or not b.years or not any(b.near(year, LINK_YEARS) for year in a.years):
                    continue
                if names.score(a.name, b.name) >= 0.85:
                    pairs.append((a, b))
    return pairs


def rewrite(drafts: list, settled: Settled) -> None:
    """The drafts as the second pass leaves them: participants of a joined proposal name the person
    it was taken for (and their notes say so); each person's notes go on the first draft naming
    them."""
    pending = dict(settled.notes)
    for draft in drafts:
        notes = draft.meeting.get("unconfirmed", [])
        for entry in draft.meeting.get("participants", []):
            old = entry.get("person")
            part = settled.parted.get((old, _draft_year(draft)))
            if part is not None:
                new, why = part
                entry["person"] = new
                notes = [why if why and f"(proposed as {old})" in note else _renamed(note, old, new) for note in notes]
            elif old in settled.joined:
                new, why = settled.joined[old]
                entry["person"] = new
                entry["side"] = settled.sides.get(old, entry.get("side"))
                notes = [why if f"(proposed as {old})" in note else _renamed(note, old, new) for note in notes]
            notes += pending.pop(entry.get("person"), [])
        if notes:
            draft.meeting["unconfirmed"] = list(dict.fromkeys(notes))


def _draft_year(draft) -> int:
    """The year of a draft's date, as every date in kb is read (0 when it has none)."""
    from kb.model.dates import DateError, PartialDate

    try:
        return PartialDate.parse(draft.meeting.get("date")).year
    except DateError:
        return 0


def _renamed(note: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, note)
