"""Write a hub-shaped knowledge base of N meetings: a desk's own records, as a ministry keeps them.

Our side (Pakistan's Ministry of Interior, like the repository's own records) holds one post, the
Interior Minister, in turn: eight successive ministers, the current one Mohsin Naqvi, and the
Interior Secretary beside them in about half the meetings. One of them is in EVERY meeting. The
counterparts are the ambassadors of 60 countries in Islamabad, each post held in turn (a new
ambassador about every three years), now and then with their country's visiting foreign
minister, or a delegation recorded only by its organisation. Countries are met unevenly (a few
often, most seldom), as a real desk's are. Meetings are spread over the years up to today, so
that with many meetings our minister has several on one day, with different counterparts; one
counterpart is met at most every other day (whoever holds the post that day), and a country drawn
more often than that (its ambassador at 100,000 meetings) leaves the meeting to another.

Every record is rich, like the repository's own (about 6 KB): participants with titles, topics, a
summary, four outcomes with due dates and dated status updates, claims with figures, quotes, notes and
five sources. Names are synthetic. The clean variant passes `kb check` with no findings at any
size; the dirty one (``--dirty``) is as after a large import: every meeting has an overdue
commitment and a source listed twice (two warnings), and one in four follows a meeting id that
does not exist (an error with a "did you mean").

    python benchmarks/hub.py 10000 /tmp/kb-bench/hub-10000
    python benchmarks/hub.py 10000 /tmp/kb-bench/hub-dirty-10000 --dirty
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

TODAY = dt.date.today()
FIRST_DAY = dt.date(1996, 1, 1)
VERSION = 2  # of the records' shape: a knowledge base written by another version is written again
RETRIEVED = dt.date(2026, 11, 25)  # when the sources were read (a meeting after it: its own day)
TRIES = 60  # days tried for a meeting with one counterpart before another is drawn
OUR_SIDE, OUR_ORG, OUR_POST = "PK", "pk-ministry-of-interior", "pk-interior-minister"
SECRETARY_POST = "pk-interior-secretary"
MINISTERS = 8
AMBASSADOR_YEARS = 3
FOREIGN_MINISTER_YEARS = 4
# 60 countries with an embassy in Islamabad; met in this order of frequency (a Zipf-like weight).
COUNTRIES = [
    ("US", "United States"),
    ("CN", "China"),
    ("GB", "United Kingdom"),
    ("SA", "Saudi Arabia"),
    ("AE", "United Arab Emirates"),
    ("TR", "Türkiye"),
    ("DE", "Germany"),
    ("AF", "Afghanistan"),
    ("IR", "Iran"),
    ("QA", "Qatar"),
    ("FR", "France"),
    ("JP", "Japan"),
    ("IT", "Italy"),
    ("RU", "Russia"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("NL", "Netherlands"),
    ("KW", "Kuwait"),
    ("MY", "Malaysia"),
    ("ID", "Indonesia"),
    ("BH", "Bahrain"),
    ("OM", "Oman"),
    ("KR", "Korea"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("NO", "Norway"),
    ("DK", "Denmark"),
    ("BE", "Belgium"),
    ("CH", "Switzerland"),
    ("AT", "Austria"),
    ("PL", "Poland"),
    ("GR", "Greece"),
    ("PT", "Portugal"),
    ("EG", "Egypt"),
    ("JO", "Jordan"),
    ("IQ", "Iraq"),
    ("AZ", "Azerbaijan"),
    ("UZ", "Uzbekistan"),
    ("KZ", "Kazakhstan"),
    ("TM", "Turkmenistan"),
    ("TJ", "Tajikistan"),
    ("KG", "Kyrgyzstan"),
    ("LK", "Sri Lanka"),
    ("BD", "Bangladesh"),
    ("NP", "Nepal"),
    ("TH", "Thailand"),
    ("VN", "Viet Nam"),
    ("PH", "Philippines"),
    ("SG", "Singapore"),
    ("BR", "Brazil"),
    ("AR", "Argentina"),
    ("MX", "Mexico"),
    ("ZA", "South Africa"),
    ("NG", "Nigeria"),
    ("KE", "Kenya"),
    ("MA", "Morocco"),
    ("DZ", "Algeria"),
    ("TN", "Tunisia"),
    ("CZ", "Czechia"),
    ("HU", "Hungary"),
]
GIVEN = [
    "Adrian",
    "Beatrix",
    "Carlos",
    "Dalia",
    "Emil",
    "Farida",
    "Gustav",
    "Hana",
    "Ivo",
    "Jamila",
    "Karim",
    "Leonie",
    "Marek",
    "Nadia",
    "Oskar",
    "Parisa",
    "Quentin",
    "Rania",
    "Stefan",
    "Tamar",
    "Umar",
    "Vera",
    "Walid",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Anders",
    "Bushra",
    "Cyril",
    "Dina",
    "Elif",
    "Faisal",
    "Greta",
    "Hamid",
    "Ines",
    "Jonas",
    "Kenji",
    "Lina",
    "Mateo",
    "Noor",
]
FAMILY = [
    "Albrecht",
    "Bakirov",
    "Castell",
    "Dufresne",
    "Ekwueme",
    "Fontaine",
    "Grabowski",
    "Haddad",
    "Ishikawa",
    "Jansen",
    "Kovalenko",
    "Lindqvist",
    "Moreau",
    "Nakashima",
    "Okafor",
    "Petrov",
    "Quiroga",
    "Rahimi",
    "Sorensen",
    "Tanaka",
    "Urquhart",
    "Valdes",
    "Wieczorek",
    "Xu",
    "Yilmaz",
    "Zeller",
    "Abara",
    "Brandt",
    "Cerny",
    "Demir",
    "Esposito",
    "Farouk",
    "Gallo",
    "Horvath",
    "Iqbal",
    "Jovanovic",
    "Kimura",
    "Laine",
    "Mendez",
    "Novak",
    "Ortega",
    "Pires",
    "Renner",
]
PK_GIVEN = ["Aftab", "Rehman", "Chaudhry", "Zahid", "Tariq", "Saleem", "Imtiaz", "Khalid", "Asad", "Fawad"]
PK_FAMILY = ["Sherpao", "Malik", "Nisar", "Hamid", "Qureshi", "Bugti", "Durrani", "Jatoi", "Lodhi", "Rana"]
TOPICS = [
    ("counter-terrorism", "Counter-terrorism"),
    ("counter-narcotics", "Counter-narcotics"),
    ("illegal-migration", "Illegal migration"),
    ("border-security", "Border security"),
    ("intelligence-sharing", "Intelligence sharing"),
    ("police-training", "Police training"),
    ("visa-facilitation", "Visa facilitation"),
    ("extradition", "Extradition"),
    ("cyber-crime", "Cyber crime"),
    ("human-trafficking", "Human trafficking"),
    ("bilateral-relations", "Bilateral relations"),
    ("disaster-management", "Disaster management"),
    ("prisoner-transfer", "Prisoner transfer"),
    ("forensics", "Forensics"),
]
PUBLISHERS = [
    ("Dawn", "https://www.dawn.com/news/"),
    ("The Express Tribune", "https://tribune.com.pk/story/"),
    ("The News International", "https://www.thenews.com.pk/print/"),
    ("Associated Press of Pakistan", "https://www.app.com.pk/national/"),
    ("Pakistan Today", "https://www.pakistantoday.com.pk/"),
    ("ARY News", "https://arynews.tv/"),
]


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Holder:
    id: str
    name: str
    given: str
    family: str
    country: str
    title: str
    post: str
    org: str
    start: dt.date
    end: dt.date | None
    meetings: int = 0


@dataclass
class Plan:
    """The people and posts of the hub, and who held which post on which day."""

    ministers: list[Holder] = field(default_factory=list)
    secretaries: list[Holder] = field(default_factory=list)
    ambassadors: dict[str, list[Holder]] = field(default_factory=dict)
    foreign_ministers: dict[str, list[Holder]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    @property
    def everyone(self) -> list[Holder]:
        people = self.ministers + self.secretaries
        for code, _name in COUNTRIES:
            people += self.ambassadors[code] + self.foreign_ministers[code]
        return people


def holder_on(holders: list[Holder], day: dt.date) -> Holder:
    for holder in holders:
        if holder.start <= day and (holder.end is None or day <= holder.end):
            return holder
    return holders[-1]


def succession(
    rng,
    plan: Plan,
    count: int,
    years: float | None,
    country: str,
    title: str,
    post: str,
    org: str,
    given: list[str],
    family: list[str],
    first: tuple[str, str] | None = None,
) -> list[Holder]:
    """Holders of one post in turn from FIRST_DAY to today: ``count`` equal terms, or terms of ``years``."""
    span = (TODAY - FIRST_DAY).days
    if years:
        count = max(1, round(span / (365.25 * years)))
    length = span // count
    holders = []
    for number in range(count):
        start = FIRST_DAY + dt.timedelta(days=number * length)
        end = None if number == count - 1 else FIRST_DAY + dt.timedelta(days=(number + 1) * length - 1)
        if number == count - 1 and first:
            g, f = first
        else:
            for _attempt in range(1000):
                g, f = rng.choice(given), rng.choice(family)
                if f"{g} {f}" not in plan.names:
                    break
        plan.names.add(f"{g} {f}")
        pid = f"{g}-{f}".lower()
        holders.append(Holder(pid, f"{g} {f}", g, f, country, title, post, org, start, end))
    return holders


def make_plan(rng: random.Random) -> Plan:
    plan = Plan()
    plan.ministers = succession(
        rng,
        plan,
        MINISTERS,
        None,
        OUR_SIDE,
        "Interior Minister",
        OUR_POST,
        OUR_ORG,
        PK_GIVEN,
        PK_FAMILY,
        first=("Mohsin", "Naqvi"),
    )
    plan.secretaries = succession(
        rng, plan, 10, None, OUR_SIDE, "Interior Secretary", SECRETARY_POST, OUR_ORG, PK_GIVEN, PK_FAMILY
    )
    for code, name in COUNTRIES:
        c = code.lower()
        plan.ambassadors[code] = succession(
            rng,
            plan,
            0,
            AMBASSADOR_YEARS,
            code,
            f"Ambassador of {name} to Pakistan",
            f"{c}-ambassador-to-pakistan",
            f"{c}-embassy-islamabad",
            GIVEN,
            FAMILY,
        )
        plan.foreign_ministers[code] = succession(
            rng,
            plan,
            0,
            FOREIGN_MINISTER_YEARS,
            code,
            f"Foreign Minister of {name}",
            f"{c}-foreign-minister",
            f"{c}-foreign-ministry",
            GIVEN,
            FAMILY,
        )
    return plan


class Writer:
    def __init__(self, plan: Plan, rng: random.Random, dirty: bool):
        self.plan, self.rng, self.dirty = plan, rng, dirty
        self.busy: dict[str, set[int]] = {}
        self.ids: list[str] = []
        self.used: set[str] = set()

    def free(self, keys_on, day: dt.date) -> dt.date | None:
        """The first day from ``day`` on when none of the counterparts ``keys_on(day)`` (who
        hold their posts on that day) meets within a day (never in the future: then the days
        before are tried), asked again as the day moves (a post may change hands meanwhile).
        None when TRIES days are taken: a counterpart is met at most every other day, so one
        drawn more often than that leaves the meeting to another."""
        step = 2
        for _try in range(TRIES):
            if not any(
                self.busy.get(k, set()) & {day.toordinal() - 1, day.toordinal(), day.toordinal() + 1}
                for k in keys_on(day)
            ):
                for k in keys_on(day):
                    self.busy.setdefault(k, set()).add(day.toordinal())
                return day
            day += dt.timedelta(days=step)
            if day >= TODAY:
                day, step = day - dt.timedelta(days=30), -2
        return None

    def counterparts(self, day: dt.date, code: str, shape: str) -> list[Holder]:
        ambassador = holder_on(self.plan.ambassadors[code], day)
        visitor = holder_on(self.plan.foreign_ministers[code], day)
        return {"ambassador": [ambassador], "visit": [ambassador, visitor], "minister": [visitor], "delegation": []}[
            shape
        ]

    def meeting(self, day: dt.date, code: str, country: str, shape: str) -> tuple[str, str] | None:  # noqa: C901 -- one branch per meeting shape the hub benchmark draws
        rng, plan = self.rng, self.plan
        c = code.lower()
        free = self.free(lambda on: [h.id for h in self.counterparts(on, code, shape)] or [f"{c}-delegation"], day)
        if free is None:
            return None
        day = free
        theirs = self.counterparts(day, code, shape)
        minister = holder_on(plan.ministers, day)
        secretary = holder_on(plan.secretaries, day) if rng.random() < 0.5 else None
        for holder in [minister, secretary, *theirs]:
            if holder:
                holder.meetings += 1
        lead = theirs[0] if theirs else None
        base = f"{day.isoformat()}-{minister.family.lower()}-{(lead.family.lower() if lead else c + '-delegation')}"
        mid, n = base, 2
        while mid in self.used:
            mid, n = f"{base}-{n}", n + 1
        self.used.add(mid)
        mode = "visit" if shape in ("visit", "minister") else rng.choice(["hosted", "hosted", "hosted", "phone"])
        topics = rng.sample(TOPICS, 4)
        who = lead.name if lead else f"a delegation of {country}"
        lines = [
            "# yaml-language-server: $schema=../kb/schemas/meeting.schema.json",
            f"id: {mid}",
            f"title: {quote(f'Interior Minister {minister.family} meets {who}')}",
            f"date: {day.isoformat()}",
            "status: held",
            f"mode: {mode}",
        ]
        if mode != "phone":
            lines += ["location:", "  place: Islamabad", f"  country: {OUR_SIDE}", f"host: {OUR_ORG}"]
        lines += [
            "sensitivity: CLEAR",
            "participants:",
            f"  - person: {minister.id}",
            f"    org: {OUR_ORG}",
            f"    side: {OUR_SIDE}",
            "    title: Interior Minister",
            "    role: lead",
        ]
        if secretary:
            lines += [
                f"  - person: {secretary.id}",
                f"    org: {OUR_ORG}",
                f"    side: {OUR_SIDE}",
                "    title: Interior Secretary",
                "    role: delegation",
            ]
        for number, holder in enumerate(theirs):
            lines += [
                f"  - person: {holder.id}",
                f"    org: {holder.org}",
                f"    side: {code}",
                f"    title: {quote(holder.title)}",
                f"    role: {'lead' if number == 0 else 'delegation'}",
            ]
        lines += [
            f"  - org: {OUR_ORG}",
            f"    side: {OUR_SIDE}",
            "    title: Senior officials",
            "    role: delegation",
            f"  - org: {c}-embassy-islamabad",
            f"    side: {code}",
            "    title: Embassy officials",
            f"    role: {'lead' if not theirs else 'delegation'}",
        ]
        lines.append("topics:")
        lines += [f"  - {tid}" for tid, _label in topics]
        labels = [label.lower() for _tid, label in topics]
        lines.append("summary: >-")
        summary = (
            f"{who} called on the Interior Minister to review cooperation between Pakistan and {country} "
            f"on {labels[0]} and {labels[1]}. The two sides went over the progress made since their last "
            f"meeting, discussed {labels[2]} and agreed that officials would meet again on {labels[3]}. "
            f"The minister briefed the guest on recent operations and on the steps Pakistan has taken at "
            f"its borders and airports, and both sides said they would keep in close contact through the "
            f"embassy and the ministry's focal persons."
        )
        lines += wrap(summary, "  ")
        due = day + dt.timedelta(days=rng.randint(60, 200))
        lines.append("outcomes:")
        for tid, label in topics[:2]:
            open_ = due > TODAY
            lines += [
                f"  - id: {tid}-working-group",
                "    kind: commitment",
                f"    text: {quote(f'Set up a joint working group on {label.lower()} and hold its first session.')}",
                f"    by: [{OUR_SIDE}, {code}]",
                f"    owner: {OUR_ORG}",
                f"    due: {due.isoformat()[:7]}",
                f"    status: {'open' if open_ else 'fulfilled'}",
            ]
            started = day + dt.timedelta(days=21)
            if started <= TODAY:
                lines += [
                    "    updates:",
                    f"      - date: {started.isoformat()}",
                    "        status: in-progress",
                    f"        note: {quote(f'Both sides named their focal persons for {label.lower()}; the terms of reference are being drafted.')}",
                ]
            if not open_:
                lines += [
                    f"      - date: {due.isoformat()[:7]}",
                    "        status: fulfilled",
                    f"        note: {quote('The working group met for the first time, as agreed.')}",
                ]
            due += dt.timedelta(days=30)
        signed = day + dt.timedelta(days=rng.randint(90, 400))
        lines += [
            "  - id: memorandum-of-understanding",
            "    kind: agreement",
            f"    text: {quote(f'Negotiate a memorandum of understanding between the two interior ministries on {labels[1]}, including the exchange of information and training.')}",
            f"    by: [{OUR_SIDE}, {code}]",
            f"    owner: {OUR_ORG}",
            f"    due: {signed.isoformat()[:7]}",
            f"    status: {'open' if signed > TODAY else 'fulfilled'}",
        ]
        drafted = day + dt.timedelta(days=45)
        if drafted <= TODAY:
            lines += [
                "    updates:",
                f"      - date: {drafted.isoformat()}",
                "        status: in-progress",
                f"        note: {quote(f'A first draft was shared through the embassy of {country}; comments are awaited from the legal wing.')}",
            ]
        if signed <= TODAY:
            lines += [
                f"      - date: {signed.isoformat()[:7]}",
                "        status: fulfilled",
                f"        note: {quote('The memorandum was signed by the two secretaries.')}",
            ]
        if self.dirty:
            past = day + dt.timedelta(days=14)
            lines += [
                "  - id: exchange-of-lists",
                "    kind: request",
                f"    text: {quote(f'{country} asked for the list of its nationals held in Pakistan.')}",
                f"    by: [{code}]",
                f"    to: [{OUR_SIDE}]",
                f"    owner: {OUR_ORG}",
                f"    due: {min(past, TODAY - dt.timedelta(days=2)).isoformat()}",
                "    status: open",
            ]
        else:
            lines += [
                "  - id: joint-statement",
                "    kind: statement",
                f"    text: {quote('Both sides reaffirmed their resolve to work together against organised crime.')}",
                f"    by: [{OUR_SIDE}, {code}]",
            ]
        figures = [rng.randint(12, 4000), rng.randint(2, 90), rng.randint(100, 9000)]
        lines += [
            "claims:",
            f"  - text: {quote(f'{figures[0]} suspects were arrested in joint operations over the past year.')}",
            f"    by: {OUR_ORG}",
            f"    figures: [{quote(f'{figures[0]} suspects')}]",
            f"  - text: {quote(f'{figures[1]} nationals of {country} were repatriated under the agreement.')}",
            f"    by: {lead.id if lead else OUR_ORG}",
            f"    figures: [{quote(f'{figures[1]} nationals')}]",
            f"  - text: {quote(f'Visa applications processed rose to {figures[2]} a month.')}",
            f"    by: {OUR_ORG}",
            f"    figures: [{quote(f'{figures[2]} a month')}]",
        ]
        lines += [
            "quotes:",
            f"  - speaker: {minister.id}",
            f"    text: {quote(f'Pakistan values its long friendship with {country} and will keep our word.')}",
            "    source: 1",
        ]
        if lead:
            lines += [
                f"  - speaker: {lead.id}",
                f"    text: {quote(f'{country} stands with Pakistan against terrorism and drug trafficking.')}",
                "    source: 2",
            ]
        lines += [
            "notes:",
            f"  - text: {quote(f'The ministry press release and {PUBLISHERS[0][0]} differ on the length of the meeting; both agree on its outcomes.')}",
            f"  - text: {quote(f'Reports give the guest title in several forms; the record uses the title the embassy gives ({lead.title if lead else country}).')}",
            f"  - text: {quote(f'The ministry said the two sides also touched on {labels[2]} and {labels[3]}, which the press reports mention only in passing; the figures quoted were given by officials at the meeting and have not been checked against published data.')}",
        ]
        lines.append("sources:")
        for number, (publisher, site) in enumerate(rng.sample(PUBLISHERS, 5), 1):
            url = f"{site}{day.year}/{day.month:02d}/{mid}-{number}"
            lines += [
                f"  - url: {url}",
                f"    publisher: {quote(publisher)}",
                f"    title: {quote(f'Interior Minister, {who} discuss {labels[0]}')}",
                f"    published: {day.isoformat()}",
                f"    retrieved: {max(day, RETRIEVED).isoformat()}",
                f"    note: {quote('Reports the meeting on the day; names the participants and their titles.')}",
            ]
            if self.dirty and number == 1:
                lines += [
                    f"  - url: {url}",
                    f"    publisher: {quote(publisher)}",
                    f"    retrieved: {RETRIEVED.isoformat()}",
                ]
        if self.dirty and self.ids and rng.random() < 0.25:
            earlier = rng.choice(self.ids)
            lines += ["follows:", f"  - {misspell(earlier, rng)}"]
        self.ids.append(mid)
        return f"meetings/{mid}.yaml", "\n".join(lines) + "\n"


def misspell(ident: str, rng: random.Random) -> str:
    """An id with one letter of its slug changed, as a typo makes it."""
    head, tail = ident[:11], ident[11:]
    letters = [i for i, ch in enumerate(tail) if ch.isalpha()]
    i = rng.choice(letters)
    new = "q" if tail[i] != "q" else "z"
    return head + tail[:i] + new + tail[i + 1 :]


def wrap(text: str, indent: str, width: int = 100) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(indent) + len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([indent + line] if line else [])


def person_text(holder: Holder) -> str:
    lines = [
        "# yaml-language-server: $schema=../kb/schemas/person.schema.json",
        f"id: {holder.id}",
        f"name: {quote(holder.name)}",
        f"given_name: {quote(holder.given)}",
        f"family_name: {quote(holder.family)}",
        f"sort_name: {quote(holder.family + ', ' + holder.given)}",
        "aliases:",
        f"  - name: {quote(holder.family)}",
        "    kind: weak",
        f"country: {holder.country}",
        "roles:",
        f"  - title: {quote(holder.title)}",
        f"    post: {holder.post}",
        f"    org: {holder.org}",
        f"    country: {holder.country}",
        f"    start: {holder.start.isoformat()}",
    ]
    if holder.end:
        lines.append(f"    end: {holder.end.isoformat()}")
    return "\n".join(lines) + "\n"


def org_text(oid: str, name: str, kind: str, country: str, parent: str | None = None) -> str:
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


def generate(count: int, out: Path, dirty: bool = False, seed: int = 14) -> dict:
    """Write the knowledge base; returns what the benchmark needs to know about it."""
    rng = random.Random(seed)
    plan = make_plan(rng)
    writer = Writer(plan, rng, dirty)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(COUNTRIES))]
    span = (TODAY - FIRST_DAY).days - 2
    days = sorted(FIRST_DAY + dt.timedelta(days=rng.randrange(span)) for _ in range(count))
    files: dict[str, str] = {}
    for day in days:
        made = None
        while made is None:
            code, country = rng.choices(COUNTRIES, weights)[0]
            shape = rng.choices(["ambassador", "visit", "minister", "delegation"], [70, 12, 8, 10])[0]
            made = writer.meeting(day, code, country, shape)
        files[made[0]] = made[1]
    for holder in plan.everyone:
        files[f"people/{holder.id}.yaml"] = person_text(holder)
    files[f"orgs/{OUR_ORG}.yaml"] = org_text(OUR_ORG, "Ministry of Interior", "ministry", OUR_SIDE)
    for code, name in COUNTRIES:
        c = code.lower()
        files[f"orgs/{c}-foreign-ministry.yaml"] = org_text(
            f"{c}-foreign-ministry", f"Ministry of Foreign Affairs of {name}", "ministry", code
        )
        files[f"orgs/{c}-embassy-islamabad.yaml"] = org_text(
            f"{c}-embassy-islamabad", f"Embassy of {name} in Islamabad", "embassy", code, f"{c}-foreign-ministry"
        )
    files["topics.yaml"] = "topics:\n" + "".join(f"  - id: {tid}\n    label: {quote(label)}\n" for tid, label in TOPICS)
    files["kb.yaml"] = (
        f"name: {quote('Ministry of Interior (hub benchmark' + (', dirty' if dirty else '') + ')')}\n"
        f"our_side: {OUR_SIDE}\nour_org: {OUR_ORG}\ndefault_sensitivity: CLEAR\n"
    )
    for folder in ("meetings", "people", "orgs"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for relpath, text in files.items():
        with open(out / relpath, "w", encoding="utf-8") as handle:
            handle.write(text)
    counterparts = [h for code, _n in COUNTRIES for h in plan.ambassadors[code]]
    busiest = max(counterparts, key=lambda h: (h.meetings, h.id))
    minister = plan.ministers[-1]
    info = {
        "shape": "hub-dirty" if dirty else "hub",
        "meetings": count,
        "people": len(plan.everyone),
        "orgs": 1 + 2 * len(COUNTRIES),
        "hub": minister.id,
        "hub_meetings": minister.meetings,
        "busiest": busiest.id,
        "busiest_meetings": busiest.meetings,
        "busiest_country": busiest.country,
        "edit": min(r for r in files if r.startswith("meetings/")),
        "version": VERSION,
        "bytes_per_meeting": sum(len(t.encode()) for r, t in files.items() if r.startswith("meetings/")) // count,
    }
    (out / "benchmark.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def written(out: Path, count: int) -> dict | None:
    """What benchmark.json says of the hub in ``out`` if it holds ``count`` meetings of this shape."""
    try:
        info = json.loads((out / "benchmark.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if info.get("meetings") == count and info.get("version") == VERSION else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of meetings")
    parser.add_argument("out", type=Path, help="folder to write (must be empty or absent)")
    parser.add_argument("--dirty", action="store_true", help="as after a large import: about two warnings a meeting")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    started = time.perf_counter()
    info = generate(args.count, args.out, args.dirty, args.seed)
    print(
        f"wrote {info['meetings']:,} meetings ({info['bytes_per_meeting']:,} bytes each), {info['people']:,} people "
        f"to {args.out} in {time.perf_counter() - started:.1f} s; hub {info['hub']}, busiest counterpart "
        f"{info['busiest']} ({info['busiest_meetings']} meetings)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
