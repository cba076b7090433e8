"""Write a realistic knowledge base of N meetings for the benchmarks.

Built from the U.S. Office of the Historian's record of visits by foreign leaders to the United
States (../shared/data/visits/*.xml, public domain): every visitor becomes a person with the
titles the record gives them as dated roles, every visit a meeting on its real date with its real
description as the summary. To reach N meetings the visits are replayed as follow-up calls and
meetings with the same counterpart, spaced so that no two look like one meeting reported twice.
Each country gets its government, foreign ministry and embassy, and a foreign minister per decade
whose name is recombined from that country's visitors, so that there are about 2,000 people.
The records pass `kb check` (no findings); the data itself is read in place, never copied.

    python benchmarks/generate.py 10000 /tmp/kb-bench/meetings-10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VISITS = Path(__file__).resolve().parents[2] / "shared" / "data" / "visits"
TODAY = dt.date.today()
SPACING_DAYS = 9  # between replayed meetings of one visit: far apart enough never to be a duplicate
RETRIEVED = "2026-11-24"
SOURCE = "https://history.state.gov/departmenthistory/visits/"
PUBLISHER = "U.S. Department of State, Office of the Historian"

# Countries the record names by a former name: their ISO 3166 successor.
SUCCESSORS = {
    "yugoslavia": "RS",
    "czechoslovakia": "CZ",
    "russia": "RU",
    "german-democratic-republic": "DE",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "turkey": "TR",
    "taiwan": "TW",
    "somoa": "WS",
    "cape-verde": "CV",
    "korea-south": "KR",
    "congo-democratic-republic": "CD",
    "congo-republic": "CG",
    "cote-divoire": "CI",
    "china": "CN",
    "bosnia-herzegovina": "BA",
    "yemen": "YE",
    "saint-kitts-nevis": "KN",
    "saint-vincent-grenadines": "VC",
    "saint-lucia": "LC",
}
TITLE_WORDS = {
    "president",
    "prime",
    "minister",
    "king",
    "queen",
    "chancellor",
    "foreign",
    "emperor",
    "empress",
    "crown",
    "prince",
    "princess",
    "sultan",
    "amir",
    "emir",
    "premier",
    "grand",
    "duke",
    "duchess",
    "sheikh",
    "shah",
    "chairman",
    "governor",
    "general",
    "vice",
    "secretary",
    "state",
    "of",
    "the",
    "head",
    "supreme",
    "leader",
    "council",
    "federal",
    "taoiseach",
    "regent",
    "pope",
    "his",
    "holiness",
    "acting",
    "interim",
    "provisional",
    "first",
    "deputy",
    "presidential",
    "chief",
    "executive",
    "military",
    "government",
    "national",
    "president-elect",
    "prime-minister-elect",
    "revolutionary",
    "premiere",
    "field",
    "marshal",
    "lord",
}
TOPICS = [
    ("bilateral-relations", "Bilateral relations", ["bilateral ties"], ()),
    ("trade", "Trade", ["commerce"], ("trade", "commerc", "tariff", "export")),
    ("economic-cooperation", "Economic cooperation", ["economic ties"], ("economic", "loan", "financ", "invest")),
    ("development-aid", "Development aid", ["foreign aid", "assistance"], ("aid", "assistance", "relief")),
    (
        "security-cooperation",
        "Security cooperation",
        ["defence cooperation"],
        ("security", "defense", "military", "arms"),
    ),
    ("nato", "NATO", ["north atlantic alliance"], ("nato", "north atlantic")),
    ("peace-process", "Peace process", ["peace talks"], ("peace", "negotiat", "cease")),
    ("nuclear-non-proliferation", "Nuclear non-proliferation", ["non-proliferation"], ("nuclear", "atomic")),
    ("united-nations", "United Nations", ["un"], ("u.n.", "united nations", "general assembly")),
    ("treaties", "Treaties and agreements", ["agreements"], ("treaty", "agreement", "signed", "accord")),
    ("state-ceremony", "State ceremony", ["state dinner"], ("state visit", "dinner", "ceremon", "funeral", "inaugura")),
    ("multilateral-summits", "Multilateral summits", ["summits"], ("summit", "conference", "g-7", "g-20", "g7", "g20")),
    ("energy", "Energy", ["oil"], ("energy", "oil", "petroleum")),
    ("health", "Health", ["public health"], ("health", "hiv", "aids", "pandemic")),
    ("education", "Education", ["universities"], ("universit", "college", "degree", "school", "lecture")),
    ("counter-terrorism", "Counter-terrorism", ["terrorism"], ("terror",)),
    ("counter-narcotics", "Counter-narcotics", ["drug control"], ("narcotic", "drug")),
    ("migration", "Migration", ["refugees"], ("refugee", "migra", "immigra")),
    ("climate", "Climate", ["climate change"], ("climate", "environment")),
    ("space", "Space", ["space cooperation"], ("space", "nasa", "astronaut")),
    ("human-rights", "Human rights", ["rights"], ("human rights", "democra")),
    ("regional-security", "Regional security", ["regional stability"], ("crisis", "war", "conflict")),
]
KINDS = [
    ("hosted", "met"),
    ("phone", "spoke by phone with"),
    ("video", "held a video call with"),
    ("hosted", "received"),
]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def folded(name: str) -> str:
    """A name as kb compares names: case, accents and punctuation folded."""
    from kb.model.text import normalise

    return normalise(name)


def quote(text: str) -> str:
    """A YAML double-quoted scalar: always safe, whatever the text holds."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Visit:
    start: dt.date
    end: dt.date
    title: str
    name: str
    country: str
    country_name: str
    country_slug: str
    description: str


@dataclass
class Person:
    id: str
    name: str
    country: str
    roles: dict = field(default_factory=dict)  # title -> [first day, last day]
    org: str | None = None
    meetings: int = 0

    def met(self, title: str, day: dt.date) -> None:
        span = self.roles.setdefault(title, [day, day])
        span[0], span[1] = min(span[0], day), max(span[1], day)
        self.meetings += 1


def country_code(name: str, slug_: str) -> str | None:
    import pycountry

    if slug_ in SUCCESSORS:
        return SUCCESSORS[slug_]
    inside = re.findall(r"\((.*?)\)", name)
    for candidate in (re.sub(r"\s*\(.*\)", "", name), *inside, slug_.replace("-", " ")):
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None


def split_visitor(visitor: str) -> tuple[str, str]:
    """'Prime Minister Ehud Barak' -> ('Prime Minister', 'Ehud Barak'); the first of several visitors."""
    visitor = re.split(r"\s+and\s+|;|,", visitor)[0].strip()
    words = visitor.split()
    cut = 0
    while cut < len(words) - 1 and words[cut].lower().strip(".") in TITLE_WORDS:
        cut += 1
    return " ".join(words[:cut]) or "Head of Delegation", " ".join(words[cut:])


def read_visits(folder: Path) -> list[Visit]:
    visits = []
    codes: dict[str, str | None] = {}
    for path in sorted(folder.glob("*.xml")):
        for element in ET.parse(path).getroot():
            text = {child.tag: " ".join((child.text or "").split()) for child in element}
            origin = element.find("from")
            key = origin.get("id") or slug(text["from"])
            if key not in codes:
                codes[key] = country_code(text["from"], key)
            code = codes[key]
            if not code or code == "US" or not text.get("visitor"):
                continue
            title, name = split_visitor(text["visitor"])
            if not slug(name):
                continue
            start = dt.date.fromisoformat(text["start-date"])
            end = dt.date.fromisoformat(text.get("end-date") or text["start-date"])
            visits.append(
                Visit(
                    start,
                    max(start, end),
                    title,
                    name,
                    code,
                    text["from"],
                    key,
                    text.get("description") or f"Visit of {text['visitor']}.",
                )
            )
    return visits


class World:
    """People, organisations and meetings derived from the visits."""

    def __init__(self, visits: list[Visit], rng: random.Random):
        self.rng = rng
        self.people: dict[str, Person] = {}
        self.by_name: dict[str, str] = {}
        self.orgs: dict[str, tuple[str, str, str, str | None]] = {}  # id -> (name, kind, country, parent)
        self.country_names = {}
        self.busy: dict[str, set[int]] = defaultdict(set)  # person -> days (ordinal) with a meeting
        self.ministers: dict[tuple[str, int], str] = {}
        name_parts = defaultdict(lambda: ([], []))
        for visit in visits:
            self.country_names.setdefault(visit.country, re.sub(r"\s*\(.*\)", "", visit.country_name))
            self.person_for(visit)
            words = visit.name.split()
            if len(words) >= 2:
                name_parts[visit.country][0].append(words[0])
                name_parts[visit.country][1].append(words[-1])
        self.name_parts = name_parts
        self.orgs["us-white-house"] = ("The White House", "government", "US", None)
        self.orgs["us-department-of-state"] = ("U.S. Department of State", "ministry", "US", None)
        for code, name in self.country_names.items():
            c = code.lower()
            self.orgs[f"{c}-government"] = (f"Government of {name}", "government", code, None)
            self.orgs[f"{c}-foreign-ministry"] = (
                f"Ministry of Foreign Affairs of {name}",
                "ministry",
                code,
                f"{c}-government",
            )
            self.orgs[f"{c}-embassy-washington"] = (
                f"Embassy of {name} in Washington",
                "embassy",
                code,
                f"{c}-foreign-ministry",
            )

    def person_for(self, visit: Visit) -> Person:
        key = folded(visit.name)
        if key in self.by_name:
            return self.people[self.by_name[key]]
        base = slug(visit.name)
        pid = base if base not in self.people else f"{base}-{visit.country.lower()}"
        n = 2
        while pid in self.people:
            pid, n = f"{base}-{n}", n + 1
        person = Person(pid, visit.name, visit.country, org=f"{visit.country.lower()}-government")
        self.people[pid] = person
        self.by_name[key] = pid
        return person

    def minister_for(self, country: str, day: dt.date) -> Person | None:
        """The country's foreign minister in that decade: a name recombined from its visitors."""
        key = (country, day.year // 10)
        if key not in self.ministers:
            given, family = self.name_parts.get(country, ([], []))
            if not given:
                return None
            rng = random.Random(f"{country}{key[1]}")
            for _attempt in range(20):
                name = f"{rng.choice(given)} {rng.choice(family)}"
                if folded(name) not in self.by_name:
                    break
            else:
                return None
            visit = Visit(day, day, "Foreign Minister", name, country, "", "", "")
            person = self.person_for(visit)
            person.org = f"{country.lower()}-foreign-ministry"
            self.ministers[key] = person.id
        return self.people[self.ministers[key]]

    def free_day(self, person_ids: list[str], day: dt.date) -> dt.date:
        """The first day from ``day`` on when none of them has a meeting within a day either side."""
        while any(self.busy[p] & {day.toordinal() - 1, day.toordinal(), day.toordinal() + 1} for p in person_ids):
            day += dt.timedelta(days=2)
        for p in person_ids:
            self.busy[p].add(day.toordinal())
        return day


def topics_for(description: str, rng: random.Random) -> list[str]:
    text = description.lower()
    found = [tid for tid, _label, _syn, words in TOPICS if any(w in text for w in words)]
    found = found or ["bilateral-relations"]
    extra = rng.choice(TOPICS)[0]
    if extra not in found:
        found.append(extra)
    return found[:4]


def meeting_text(world: World, visit: Visit, round_: int, used_ids: set[str]) -> tuple[str, str]:
    rng = world.rng
    visitor = world.person_for(visit)
    if round_ == 0:
        mode, verb = "hosted", "visited Washington and met"
        day = visit.start
    else:
        mode, verb = KINDS[round_ % len(KINDS)]
        day = visit.start + dt.timedelta(days=round_ * SPACING_DAYS)
    minister = world.minister_for(visit.country, day) if round_ % 3 == 1 else None
    people = [visitor.id] + ([minister.id] if minister and minister.id != visitor.id else [])
    day = world.free_day(people, day)
    end = day + (visit.end - visit.start) if round_ == 0 else day
    visitor.met(visit.title, day)
    if len(people) > 1:
        minister.met("Foreign Minister", day)
    status = "held" if day <= TODAY else "planned"
    country = world.country_names[visit.country]
    base = f"{day.isoformat()}-{slug(visitor.name)[:40].rstrip('-')}"
    mid, n = base, 2
    while mid in used_ids:
        mid, n = f"{base}-{n}", n + 1
    used_ids.add(mid)
    counterpart = rng.choice(
        [
            "President of the United States",
            "Secretary of State",
            "Deputy Secretary of State",
            "National Security Advisor",
        ]
    )
    host_org = "us-white-house" if counterpart.endswith(("States", "Advisor")) else "us-department-of-state"
    lines = [
        "# yaml-language-server: $schema=../kb/schemas/meeting.schema.json",
        f"id: {mid}",
        f"title: {quote(f'{visit.title} {visitor.name} of {country} {verb} the {counterpart}')}",
        f"date: {day.isoformat()}",
    ]
    if end != day:
        lines.append(f"end_date: {end.isoformat()}")
    lines += [f"status: {status}", f"mode: {mode}"]
    if mode == "hosted":
        lines += ["location:", "  place: Washington, D.C.", "  country: US", f"host: {host_org}"]
    lines += [
        "sensitivity: CLEAR",
        "participants:",
        f"  - person: {visitor.id}",
        f"    org: {visitor.org}",
        f"    side: {visit.country}",
        f"    title: {quote(visit.title)}",
        "    role: lead",
    ]
    if len(people) > 1:
        lines += [
            f"  - person: {minister.id}",
            f"    org: {minister.org}",
            f"    side: {visit.country}",
            "    title: Foreign Minister",
            "    role: delegation",
        ]
    lines += [f"  - org: {host_org}", "    side: US", f"    title: {quote(counterpart)}", "    role: lead", "topics:"]
    lines += [f"  - {t}" for t in topics_for(visit.description, rng)]
    lines.append(f"summary: {quote(visit.description)}")
    due = day + dt.timedelta(days=60)
    outcome_status = "fulfilled" if status == "held" else "open"
    lines += [
        "outcomes:",
        "  - id: follow-up",
        "    kind: commitment",
        f"    text: {quote(f'Continue the discussion with {country} through the embassy.')}",
        f"    by: [US, {visit.country}]",
        "    owner: us-department-of-state",
        f"    due: {due.isoformat()[:7]}",
        f"    status: {outcome_status}",
    ]
    if outcome_status == "fulfilled":
        lines += [
            "    updates:",
            f"      - date: {due.isoformat()[:7]}",
            "        status: fulfilled",
            "        note: Followed up by the embassy.",
        ]
    if rng.random() < 0.3:
        lines += [
            "quotes:",
            f"  - speaker: {visitor.id}",
            f"    text: {quote('We value our partnership with the United States.')}",
        ]
    lines += [
        "sources:",
        f"  - url: {SOURCE}{visit.country_slug}",
        f"    publisher: {quote(PUBLISHER)}",
        f"    title: {quote(f'Visits by Foreign Leaders of {country}')}",
        f"    retrieved: {RETRIEVED}",
    ]
    return f"meetings/{mid}.yaml", "\n".join(lines) + "\n"


def person_text(world: World, person: Person, names_taken: set[str]) -> str:
    words = person.name.split()
    if words and re.fullmatch(r"[IVX]+|Jr\.?|Sr\.?", words[-1]):
        words = words[:1]  # 'Abdullah II': a regnal name, not a given and a family name
    lines = [
        "# yaml-language-server: $schema=../kb/schemas/person.schema.json",
        f"id: {person.id}",
        f"name: {quote(person.name)}",
    ]
    if len(words) >= 2:
        given = " ".join(words[:-1])
        lines += [
            f"given_name: {quote(given)}",
            f"family_name: {quote(words[-1])}",
            f"sort_name: {quote(words[-1] + ', ' + given)}",
        ]
    aliases = []
    if len(words) >= 2:
        initials = words[0][0] + ". " + " ".join(words[1:])
        kind = "spelling" if folded(initials) not in names_taken else "weak"
        names_taken.add(folded(initials))
        aliases.append((initials, kind))
        aliases.append((words[-1], "weak"))
    ascii_name = unicodedata.normalize("NFKD", person.name).encode("ascii", "ignore").decode()
    if ascii_name != person.name and folded(ascii_name) not in names_taken:
        names_taken.add(folded(ascii_name))
        aliases.append((ascii_name, "transliteration"))
    if aliases:
        lines.append("aliases:")
        for name, kind in aliases:
            lines += [f"  - name: {quote(name)}", f"    kind: {kind}"]
    lines.append(f"country: {person.country}")
    if person.roles:
        lines.append("roles:")
        for title, (first, last) in sorted(person.roles.items(), key=lambda item: item[1][0]):
            lines += [
                f"  - title: {quote(title)}",
                f"    post: {person.country.lower()}-{slug(title)}",
                f"    org: {person.org}",
                f"    country: {person.country}",
                f"    start: {first.isoformat()}",
                f"    end: {last.isoformat()}",
            ]
    return "\n".join(lines) + "\n"


def org_text(oid: str, name: str, kind: str, country: str, parent: str | None) -> str:
    lines = [
        "# yaml-language-server: $schema=../kb/schemas/org.schema.json",
        f"id: {oid}",
        f"name: {quote(name)}",
        f"kind: {kind}",
        f"country: {country}",
    ]
    if parent:
        lines.append(f"parent: {parent}")
    return "\n".join(lines) + "\n"


def topics_text() -> str:
    lines = ["topics:"]
    for tid, label, synonyms, _words in TOPICS:
        lines += [
            f"  - id: {tid}",
            f"    label: {quote(label)}",
            f"    synonyms: [{', '.join(quote(s) for s in synonyms)}]",
        ]
    return "\n".join(lines) + "\n"


def generate(count: int, out: Path, visits_folder: Path = DEFAULT_VISITS, seed: int = 5) -> dict:
    """Write the knowledge base; returns what the benchmark needs to know about it."""
    rng = random.Random(seed)
    visits = read_visits(visits_folder)
    if not visits:
        raise SystemExit(f"generate.py: no visits found in {visits_folder}; pass --visits DIR")
    rng.shuffle(visits)
    world = World(visits, rng)
    files: dict[str, str] = {}
    used_ids: set[str] = set()
    for i in range(count):
        relpath, text = meeting_text(world, visits[i % len(visits)], i // len(visits), used_ids)
        files[relpath] = text
    names_taken = {folded(p.name) for p in world.people.values()}
    for person in world.people.values():
        files[f"people/{person.id}.yaml"] = person_text(world, person, names_taken)
    for oid, spec in world.orgs.items():
        files[f"orgs/{oid}.yaml"] = org_text(oid, *spec)
    files["topics.yaml"] = topics_text()
    files["kb.yaml"] = (
        "name: Visits by foreign leaders (benchmark)\nour_side: US\n"
        "our_org: us-department-of-state\ndefault_sensitivity: CLEAR\n"
    )
    for folder in ("meetings", "people", "orgs"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for relpath, text in files.items():
        with open(out / relpath, "w", encoding="utf-8") as handle:
            handle.write(text)
    busiest = max(world.people.values(), key=lambda p: (p.meetings, p.id))
    some_meeting = min(relpath for relpath in files if relpath.startswith("meetings/"))
    info = {
        "meetings": count,
        "people": len(world.people),
        "orgs": len(world.orgs),
        "busiest": busiest.id,
        "busiest_meetings": busiest.meetings,
        "busiest_country": busiest.country,
        "edit": some_meeting,
        "bytes_per_meeting": sum(len(t.encode()) for r, t in files.items() if r.startswith("meetings/")) // count,
    }
    (out / "benchmark.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of meetings")
    parser.add_argument("out", type=Path, help="folder to write (must be empty or absent)")
    parser.add_argument("--visits", type=Path, default=DEFAULT_VISITS, help=f"visits data (default: {DEFAULT_VISITS})")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    started = time.perf_counter()
    info = generate(args.count, args.out, args.visits, args.seed)
    print(
        f"wrote {info['meetings']:,} meetings, {info['people']:,} people, {info['orgs']:,} organisations "
        f"to {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
