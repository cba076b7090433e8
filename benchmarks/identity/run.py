"""Identity benchmark: how well `kb import trips --create-people` tells who is who.

Imports the Office of the Historian's register of secretaries of state's trips into a fresh
knowledge base, then scores what kb wrote against the hand-graded mentions in graded.csv:
false merges, false splits, dropped mentions, sides, international officials and places.
See README.md beside this file. Always exits 0 (it is a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
GRADED = HERE / "graded.csv"
RANDOM = HERE / "graded_random.csv"
HOLDOUT = HERE / "graded_holdout.csv"  # drawn and graded after the rules were written, scored as drawn
HOLDERS = HERE / "holders.csv"
DEFAULT_DATA = HERE.parent.parent.parent / "shared" / "data" / "travels"
SHARED_DATA = Path("/work/shared/data/travels")

# Organisation keys used in graded.csv's side column, and the names kb may give that body.
ORG_NAMES: dict[str, set[str]] = {
    "UN": {"un", "united nations", "united nations secretariat"},
    "NATO": {"nato", "north atlantic treaty organization", "north atlantic treaty organisation"},
    "EU": {"eu", "european union", "european commission", "european external action service", "eeas"},
    "ARAB-LEAGUE": {"arab league", "league of arab states", "arab-league"},
    "PLO": {"plo", "palestine liberation organization", "palestine liberation organisation"},
    "AU": {"au", "african union", "african union commission"},
    "ASEAN": {"asean", "association of southeast asian nations"},
    "OECD": {"oecd", "organisation for economic co-operation and development"},
    "QUARTET": {"quartet", "office of the quartet", "middle east quartet"},
    "IAEA": {"iaea", "international atomic energy agency"},
}
# Name particles and honorifics that say nothing about who someone is.
PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "la", "von", "der", "van", "the", "of"}
PARTICLES |= {"ii", "iii", "sheikh", "lady", "sir", "dr", "h", "e", "his", "majesty"}
DOC_RE = re.compile(r"^\s*(\S+\.xml)\s+trip\s+(\S+)\s*$")


@dataclass
class Row:
    cls: str
    file: str
    trip: str
    date: str
    mention: str
    name: str
    person: str
    side: str
    place: str


@dataclass
class KB:
    """What kb wrote, indexed for grading."""

    meetings: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)


def tokens(text: str) -> set[str]:
    """Name parts, folded: no accents, lower case, no particles or honorifics."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return {t for t in re.findall(r"[a-z0-9]+", folded) if t not in PARTICLES and not t.isdigit()}


def load_graded(path: Path = GRADED) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Row(cls=r.pop("class"), **{k: (v or "").strip() for k, v in r.items()}) for r in csv.DictReader(fh)]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's fast safe loader read as YAML 1.2: `NO` (Norway) is a string, not false."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _load_yaml_dir(folder: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        if isinstance(data, dict):
            out.append(data)
    return out


def load_kb(root: Path) -> KB:
    kb = KB()
    for meeting in _load_yaml_dir(root / "meetings"):
        for source in meeting.get("sources") or []:
            match = DOC_RE.match(str((source or {}).get("document", "")))
            if match:
                kb.meetings.setdefault((match[1], match[2]), []).append(meeting)
    kb.people = {str(p["id"]): p for p in _load_yaml_dir(root / "people") if "id" in p}
    kb.orgs = {str(o["id"]): o for o in _load_yaml_dir(root / "orgs") if "id" in o}
    return kb


def person_tokens(pid: str, person: dict[str, Any]) -> set[str]:
    """Every name part kb recorded for a person: names, aliases and the id itself."""
    texts = [pid] + [str(person.get(k) or "") for k in ("name", "given_name", "family_name", "sort_name")]
    texts += [str(a.get("name", "")) for a in person.get("aliases") or [] if isinstance(a, dict)]
    return set().union(*(tokens(t) for t in texts))


def _score(row: Row, part: dict[str, Any], kb: KB) -> tuple[int, int]:
    pid = str(part.get("person") or "")
    names = person_tokens(pid, kb.people.get(pid, {})) if pid else set()
    title_words = tokens(row.mention) - tokens(row.name)
    title = tokens(str(part.get("title") or ""))
    return len(tokens(row.name) & names), len(title_words & title)


def match_row(row: Row, kb: KB) -> dict[str, Any] | None:
    """The participant a graded mention became: most name parts shared, then most title words.

    Falls back to the title alone when exactly one participant's title is the mention's title.
    """
    parts = [p for m in kb.meetings.get((row.file, row.trip), []) for p in m.get("participants") or []]
    parts = [p for p in parts if isinstance(p, dict) and p.get("person")]
    scored = sorted(((_score(row, p, kb), i, p) for i, p in enumerate(parts)), key=lambda s: (-s[0][0], -s[0][1], s[1]))
    if scored and scored[0][0][0] > 0:
        return scored[0][2]
    title_words = tokens(row.mention) - tokens(row.name)
    by_title = [p for (_, t), _, p in scored if title_words and t == len(title_words)]
    return by_title[0] if len(by_title) == 1 else None


def side_ok(expected: str, part: dict[str, Any], kb: KB) -> bool:
    if str(part.get("side") or "").upper() == expected.upper():
        return True
    names = ORG_NAMES.get(expected)
    org_id = str(part.get("org") or "")
    if not names or not org_id:
        return False
    org = kb.orgs.get(org_id, {})
    said = {org_id.lower(), org_id.replace("-", " ").lower()}
    said |= {str(org.get(k) or "").lower() for k in ("name", "abbreviation")}
    said |= {str(a.get("name", "")).lower() for a in org.get("aliases") or [] if isinstance(a, dict)}
    return bool(said & names)


def scored(row: Row) -> bool:
    """A mention is scored when its person is graded: not left unsure (no person) nor named but not met
    (class `...-not-met`, such as a President invited to a later summit or the late President at a funeral)."""
    return bool(row.mention and row.person) and not row.cls.endswith("not-met")


def _folded(text: str) -> set[str]:
    """Name parts as tokens() gives them, with the letters NFKD does not fold (Guðlaugur, Þór) folded."""
    return tokens(text.translate(str.maketrans({"ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ø": "o", "ł": "l"})))


def namesake(row: Row, part: dict[str, Any], kb: KB) -> bool:
    """Whether the person a mention became has given names none of which is the graded person's: it
    was taken for a namesake ('Foreign Minister Singh', Natwar Singh, taken for Manmohan Singh). A
    sample drawn at random rarely grades both namesakes, so this is its false merge."""
    given = _folded(str(kb.people.get(str(part.get("person")), {}).get("given_name") or ""))
    graded = _folded(row.person.split("(")[0])
    if not given or not graded:
        return False

    def alike(a: str, b: str) -> bool:
        return a.startswith(b) or b.startswith(a) or difflib.SequenceMatcher(None, a, b).ratio() >= 0.7

    return not any(alike(g, p) for g in given for p in graded)


def score(rows: list[Row], kb: KB) -> dict[str, Any]:
    """All the figures, from graded rows and what kb wrote."""
    people_rows = [r for r in rows if scored(r)]
    found: list[tuple[Row, dict[str, Any]]] = []
    dropped = []
    for row in people_rows:
        part = match_row(row, kb)
        if part is None:
            dropped.append(row)
        else:
            found.append((row, part))
    ids_of: dict[str, set[str]] = defaultdict(set)
    people_of: dict[str, set[str]] = defaultdict(set)
    for row, part in found:
        ids_of[row.person].add(str(part["person"]))
        people_of[str(part["person"])].add(row.person)
    merges = {pid: sorted(ps) for pid, ps in sorted(people_of.items()) if len(ps) > 1}
    namesakes = [
        _label(row, f": kb wrote {part['person']} ('{kb.people.get(str(part['person']), {}).get('name')}')")
        for row, part in found
        if namesake(row, part, kb)
    ]
    splits = {p: sorted(ids) for p, ids in sorted(ids_of.items()) if len(ids) > 1}
    return {
        "rows": len(rows),
        "mentions": len(people_rows),
        "left_out": len([r for r in rows if r.mention and not scored(r)]),
        "people": len({r.person for r in people_rows}),
        "found": len(found),
        "dropped": [_label(r) for r in dropped],
        "false_merges": merges,
        "namesakes": namesakes,
        "false_splits": splits,
        "people_of": {pid: sorted(ps) for pid, ps in sorted(people_of.items())},
        "split_base": len(ids_of),
        **_sides(found, kb),
        **_places([r for r in rows if r.place], kb),
    }


def _label(row: Row, extra: str = "") -> str:
    text = f"{row.file} trip {row.trip} ({row.date}): '{row.mention or row.place}'"
    return f"{text} -> {row.person}{extra}" if row.person else text + extra


def _sides(found: list[tuple[Row, dict[str, Any]]], kb: KB) -> dict[str, Any]:
    graded = [(r, p) for r, p in found if r.side]
    wrong = [(r, p) for r, p in graded if not side_ok(r.side, p, kb)]
    intl = [(r, p) for r, p in graded if r.side in ORG_NAMES]
    intl_ok = [x for x in intl if side_ok(x[0].side, x[1], kb)]
    return {
        "side_graded": len(graded),
        "side_correct": len(graded) - len(wrong),
        "side_wrong": [_label(r, f": expected {r.side}, kb wrote {p.get('side')}") for r, p in wrong],
        "intl_graded": len(intl),
        "intl_correct": len(intl_ok),
    }


def _places(rows: list[Row], kb: KB) -> dict[str, Any]:
    wrong = []
    for row in rows:
        meetings = kb.meetings.get((row.file, row.trip), [])
        codes = {str((m.get("location") or {}).get("country") or "none") for m in meetings} or {"no meeting"}
        if codes != {row.place}:
            wrong.append(_label(row, f": expected {row.place}, kb wrote {', '.join(sorted(codes))}"))
    return {"place_graded": len(rows), "place_correct": len(rows) - len(wrong), "place_wrong": wrong}


def dedupe_figures(root: Path, fig: dict[str, Any]) -> dict[str, Any]:
    """What `kb dedupe` proposes for the graded people: of the people split over several ids, those
    with at least one pair of their ids proposed; and pairs of ids holding different graded people
    (a false proposal: two Kims, Hafez and Bashar al-Assad)."""
    result, _, _ = kb_run(["dedupe", "--kind", "person", "--format", "json"], root)
    try:
        pairs = {tuple(sorted(p["ids"])) for p in json.loads(result.stdout or "{}").get("pairs", [])}
    except json.JSONDecodeError:
        pairs = set()
    proposed = sorted(
        person
        for person, ids in fig["false_splits"].items()
        if any((a, b) in pairs for i, a in enumerate(ids) for b in ids[i + 1 :])
    )
    people_of = fig["people_of"]
    wrong = sorted(
        f"{a} ({'; '.join(people_of[a])}) / {b} ({'; '.join(people_of[b])})"
        for a, b in pairs
        if a in people_of and b in people_of and not set(people_of[a]) & set(people_of[b])
    )
    return {"dedupe_split_proposed": proposed, "dedupe_wrong": wrong}


def check_data(rows: list[Row], trips: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    """Graded rows that do not agree with the register (a typo in graded.csv)."""
    bad = []
    for row in rows:
        trip = trips.get((row.file, row.trip))
        if trip is None:
            bad.append(_label(row, ": no such trip"))
        elif trip[0] != row.date:
            bad.append(_label(row, f": the trip starts on {trip[0]}"))
        elif row.mention and row.mention not in trip[1]:
            bad.append(_label(row, ": the mention is not in the remarks"))
    return bad


def parse_floor(data: Path) -> tuple[dict[tuple[str, str], tuple[str, str]], float, float]:
    """Parse every file with ElementTree (timed: the floor), then index the trips (untimed)."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    trees = [(path.name, ET.parse(path)) for path in sorted(data.glob("*.xml"))]
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    trips = {}
    for name, tree in trees:
        for trip in tree.getroot().iter("trip"):
            text = " ".join((trip.findtext("remarks") or "").split())
            trips[(name, (trip.findtext("id") or "").strip())] = ((trip.findtext("start-date") or "").strip(), text)
    return trips, cpu, wall


def kb_run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run kb; return the result, its wall time and the CPU time of kb and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.perf_counter()
    # the kb of the Python running this script, whatever is on PATH; -P: a folder named kb in cwd
    # (the knowledge base itself) is not taken for the package
    command = (
        [sys.executable, "-P", "-m", "kb", *args]
        if sys.version_info >= (3, 11)
        else [sys.executable, "-m", "kb", *args]
    )
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, wall, cpu


def kb_health(root: Path) -> dict[str, Any]:
    """`kb check` errors and `kb fmt --check` failures on what the import wrote."""
    check, _, _ = kb_run(["check", "--format", "json"], root)
    try:
        findings = json.loads(check.stdout or "[]")
    except json.JSONDecodeError:
        findings = [{"severity": "error", "code": "unparsable", "message": check.stdout[-300:]}]
    errors = [f for f in findings if f.get("severity") == "error"]
    codes: dict[str, int] = defaultdict(int)
    for f in errors:
        codes[str(f.get("code"))] += 1
    fmt, _, _ = kb_run(["fmt", "--check"], root)
    said = re.search(r"(\d+) files? would be reformatted", fmt.stdout + fmt.stderr)
    failures = int(said[1]) if said else (0 if fmt.returncode == 0 else -1)
    return {"check_errors": len(errors), "check_error_codes": dict(codes), "fmt_failures": failures}


def import_register(data: Path, root: Path, holders: Path | None = None) -> dict[str, Any]:
    init, _, _ = kb_run(["init", "--our-side", "US", str(root)], root.parent)
    if init.returncode != 0:
        raise SystemExit(f"kb init {root} failed (exit {init.returncode}): {init.stderr.strip()[-500:]}")
    if holders is not None:
        kb_run(["import", "holders", str(holders)], root)
    result, wall, cpu = kb_run(["import", "trips", "--create-people", str(data)], root)
    said = [line for line in (result.stdout + result.stderr).splitlines() if "meetings written" in line]
    summary = said[-1].strip() if said else f"(no summary line; exit {result.returncode})"
    return {"import_wall": wall, "import_cpu": cpu, "import_exit": result.returncode, "import_summary": summary}


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _identity_lines(fig: dict[str, Any]) -> list[str]:
    """The figures both blocks print, from false merges to sides."""
    return [
        f"  false merges           {len(fig['false_merges'])} ids hold 2+ graded people",
        f"  taken for a namesake   {len(fig['namesakes'])} mentions became a person of other given names",
        f"  false splits           {len(fig['false_splits'])} of {fig['split_base']} people found "
        f"({pct(len(fig['false_splits']), fig['split_base'])}) are spread over 2+ ids",
        f"  mentions dropped       {len(fig['dropped'])} of {fig['mentions']} ({pct(len(fig['dropped']), fig['mentions'])})",
        f"  side accuracy          {fig['side_correct']}/{fig['side_graded']} ({pct(fig['side_correct'], fig['side_graded'])})",
        f"  intl officials on org  {fig['intl_correct']}/{fig['intl_graded']} ({pct(fig['intl_correct'], fig['intl_graded'])})",
    ]


def _dedupe_line(fig: dict[str, Any]) -> str:
    return (
        f"  kb dedupe              proposes a pair for {len(fig['dedupe_split_proposed'])} of the "
        f"{len(fig['false_splits'])} split people; {len(fig['dedupe_wrong'])} pairs of two graded people"
    )


def _listed(lines: list[str], sections: list[tuple[str, list]]) -> str:
    """``lines``, then each non-empty section with its items."""
    for title, items in sections:
        if items:
            lines += ["", f"{title} ({len(items)}):"] + [f"  - {item}" for item in items]
    return "\n".join(lines)


def _found(fig: dict[str, Any]) -> list[tuple[str, list]]:
    return [
        ("False merges (id: graded people)", [f"{k}: {'; '.join(v)}" for k, v in fig["false_merges"].items()]),
        ("Taken for a namesake", fig["namesakes"]),
        ("False splits (person: ids)", [f"{k}: {', '.join(v)}" for k, v in fig["false_splits"].items()]),
        ("Mentions dropped", fig["dropped"]),
    ]


def report(fig: dict[str, Any]) -> str:
    lines = [
        "Identity benchmark (travels register)",
        f"  import                 {fig['import_wall']:.1f} s wall, {fig['import_cpu']:.1f} s CPU (exit {fig['import_exit']})",
        f"  floor (ElementTree)    {fig['floor_wall']:.2f} s wall, {fig['floor_cpu']:.2f} s CPU",
        f"  kb said                {fig['import_summary']}",
        f"  graded rows            {fig['rows']} ({fig['mentions']} mentions of {fig['people']} people, "
        f"{fig['place_graded']} places)",
        *_identity_lines(fig),
        f"  place accuracy         {fig['place_correct']}/{fig['place_graded']} "
        f"({pct(fig['place_correct'], fig['place_graded'])})",
        _dedupe_line(fig),
        f"  kb check errors        {fig['check_errors']} {fig['check_error_codes'] or ''}",
        f"  kb fmt --check         {fig['fmt_failures']} files would be reformatted",
    ]
    if fig["grading_errors"]:
        lines.append(f"  graded.csv disagrees with the register on {len(fig['grading_errors'])} rows (listed below)")
    return _listed(
        lines,
        [
            *_found(fig),
            (
                "Split people kb dedupe proposes no pair for",
                sorted(set(fig["false_splits"]) - set(fig["dedupe_split_proposed"])),
            ),
            ("kb dedupe pairs of two graded people", fig["dedupe_wrong"]),
            ("Wrong sides", fig["side_wrong"]),
            ("Wrong places", fig["place_wrong"]),
            ("graded.csv rows that disagree with the register", fig["grading_errors"]),
        ],
    )


def report_sample(name: str, fig: dict[str, Any]) -> str:
    """The second block: the same identity figures on a sample drawn at random (see README.md)."""
    lines = [
        f"Random sample ({name})",
        f"  graded rows            {fig['rows']} ({fig['mentions']} mentions of {fig['people']} people; "
        f"{fig['left_out']} left out: unsure or named but not met)",
        *_identity_lines(fig),
        _dedupe_line(fig),
    ]
    if fig["grading_errors"]:
        lines.append(f"  {name} disagrees with the register on {len(fig['grading_errors'])} rows (listed below)")
    return _listed(
        lines,
        [
            *_found(fig),
            ("kb dedupe pairs of two graded people", fig["dedupe_wrong"]),
            ("Wrong sides", fig["side_wrong"]),
            (f"{name} rows that disagree with the register", fig["grading_errors"]),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA if DEFAULT_DATA.is_dir() else SHARED_DATA)
    parser.add_argument("--graded", type=Path, default=GRADED)
    parser.add_argument(
        "--random",
        type=Path,
        action="append",
        help=f"a sample drawn at random, scored as a block of its own (repeatable; default {RANDOM.name} and "
        f"{HOLDOUT.name}; '' for none)",
    )
    parser.add_argument("--keep", type=Path, help="import into this new directory and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--holders",
        nargs="?",
        type=Path,
        const=HOLDERS,
        help=f"also run with this office-holders reference loaded first (default {HOLDERS.name}); print both",
    )
    args = parser.parse_args(argv)
    rows = load_graded(args.graded)
    chosen = args.random if args.random is not None else [RANDOM, HOLDOUT]
    samples = {path.name: load_graded(path) for path in chosen if str(path) not in ("", ".")}  # by file name
    runs = [None, args.holders.resolve()] if args.holders else [None]
    for holders in runs:
        if holders is not None:
            print("\nWith the office-holders reference " + str(holders) + " loaded first (kb import holders):\n")
        _run(args, rows, samples, holders)
    return 0


def _run(args: argparse.Namespace, rows: list[Row], samples: dict[str, list[Row]], holders: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="kb-identity-") as tmp:
        root = (args.keep.resolve() / ("with-holders" if holders else "without")) if args.keep else Path(tmp) / "kb"
        root.parent.mkdir(parents=True, exist_ok=True)
        figures = import_register(args.data.resolve(), root, holders)
        trips, floor_cpu, floor_wall = parse_floor(args.data)
        figures |= {"floor_cpu": floor_cpu, "floor_wall": floor_wall}
        kb = load_kb(root)
        figures |= score(rows, kb)
        figures |= dedupe_figures(root, figures)
        figures |= kb_health(root)
        drawn = {
            name: score(sample, kb) | {"grading_errors": check_data(sample, trips)} for name, sample in samples.items()
        }
        for fig in drawn.values():
            fig |= dedupe_figures(root, fig)
            fig.pop("people_of")
    figures["grading_errors"] = check_data(rows, trips)
    figures.pop("people_of")
    if args.json:
        blocks = {name.removeprefix("graded_").removesuffix(".csv"): fig for name, fig in drawn.items()}
        print(json.dumps(figures | blocks, indent=2))  # graded_random.csv's figures under "random"
        return
    print(report(figures))
    for name, fig in drawn.items():
        print("\n" + report_sample(name, fig))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
