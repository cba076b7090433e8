"""The add-a-meeting form of `kb site serve`: a new meeting record, its people chosen with the
resolver, checked by `kb check` before it is written.

The participants are written one a line, counterparts and our own side apart, each line read by
the one resolver (kb.query.resolve, through kb.query.audience.resolve_for, so nothing above the
audience is matched or suggested): an id, a name or an alias, optionally followed by
``| title`` (their title at the meeting, when their record has no post on the day). A line
starting with ``new:`` proposes a person not yet recorded: ``new: Name | CC | Title``; the file
is made as `kb new person` makes it (:func:`kb.authoring.drafting.person`, the id by
:func:`kb.model.names.person_id`). A name that matches more than one person lists its
candidates and is never picked; one that matches nobody says so with the resolver's "did you
mean". With JavaScript, a search box asks the server (:data:`SUGGEST_PATH`) for the same
candidates, each with what the knowledge base says of them, and writes the chosen one's id.

"Check" composes the record in the layout `kb fmt` writes and runs every check of `kb check`
on the knowledge base as it would be with the new files (read in memory, nothing written),
showing the findings in the new files as the audience may read them. "Save" repeats all of it
and writes only when there is no error and nothing changed since the check was shown: the form
carries a seal (keyed with the run's token) of the records' state and of the text checked; a
file saved in between, or a field changed after the check, asks for a new check. The meeting
is written last and never over an existing file; if it cannot be written, the people files
this save made are removed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from kb.authoring import drafting
from kb.errors import KBError
from kb.model.findings import ERROR
from kb.model.records import SENSITIVITY_ORDER

ADD_PATH = "/_kb/add-meeting"
SUGGEST_PATH = "/_kb/suggest"
NEW = "new:"
FIELDS = (
    "title",
    "date",
    "place",
    "country",
    "counterparts",
    "ours",
    "topics",
    "summary",
    "sensitivity",
    "url",
    "publisher",
    "published",
)


class Problem(KBError):
    """What the form must change before the record can be checked; ``candidates`` (HTML) lists
    the people an ambiguous line could be."""

    def __init__(self, message: str, candidates: str = "", status: int = 400):
        super().__init__(message)
        self.candidates = candidates
        self.status = status


@dataclass(frozen=True)
class Attendee:
    """One participant as the record will list them; ``new``: the file of a proposed person."""

    id: str
    known_as: str  # the name the meeting's id is made from
    side: str | None
    title: str | None
    org: str | None = None
    new: drafting.Skeleton | None = None


@dataclass
class Proposal:
    """The files a filled form would write, and what `kb check` says of them."""

    meeting: drafting.Skeleton
    people: list[drafting.Skeleton] = field(default_factory=list)
    findings: list = field(default_factory=list)
    withheld: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    def files(self) -> list[drafting.Skeleton]:
        return [*self.people, self.meeting]


# --- reading the form ---------------------------------------------------------------------------


def compose(kb, readers, fields: dict[str, str], today: dt.date) -> Proposal:
    """The meeting (and new people) the form describes, in the canonical layout; Problem when a
    field cannot make one."""
    from kb.authoring.formatting import format_text
    from kb.model.dates import from_option

    title = _one_line(fields.get("title", ""))
    if not title:
        raise Problem("give the meeting a title (who met whom, about what)")
    if not fields.get("date", "").strip():
        raise Problem("give the date: YYYY-MM-DD, or YYYY-MM or YYYY if that is all that is known")
    when = from_option(fields["date"], "date")
    visible = _visible_kb(kb, readers)
    attendees = _participants(kb, readers, visible, fields, when)
    record_id = _free_id(kb, visible, when, attendees)
    draft = drafting.Skeleton("meeting", record_id, [drafting.schema_comment(kb.root, "meeting")])
    draft.add(0, "id", record_id)
    draft.add(0, "title", drafting.scalar(title))
    draft.add(0, "date", str(when))
    draft.add(0, "status", "planned" if when.earliest() > today else "held")
    _location(draft, fields)
    draft.add(0, "sensitivity", _sensitivity(kb, readers, fields.get("sensitivity", "")))
    _write_participants(draft, attendees)
    _topics(kb, draft, fields.get("topics", ""))
    summary = _one_line(fields.get("summary", ""))
    if summary:
        draft.add(0, "summary", drafting.scalar(summary))
    _source(draft, fields, today)
    draft.lines = format_text(draft.text(), "meeting", draft.relpath).rstrip("\n").split("\n")
    return Proposal(draft, [a.new for a in attendees if a.new is not None])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _visible_kb(kb, readers):
    from kb.query.audience import restrict

    return restrict(kb, readers)


def _participants(kb, readers, visible, fields: dict[str, str], when) -> list[Attendee]:
    attendees: list[Attendee] = []
    for key, ours in (("ours", True), ("counterparts", False)):
        for line in (raw.strip() for raw in fields.get(key, "").splitlines()):
            if line:
                attendees.append(_attendee(kb, readers, visible, line, ours, when))
    if not attendees:
        raise Problem("name at least one participant: a counterpart, or someone on our side")
    seen: set[str] = set()
    for attendee in attendees:
        if attendee.id in seen:
            raise Problem(f"{attendee.id} is named twice among the participants")
        seen.add(attendee.id)
    return attendees


def _attendee(kb, readers, visible, line: str, ours: bool, when) -> Attendee:
    from kb.query.audience import resolve_for
    from kb.query.resolve import AmbiguousCounterpart, CounterpartError

    if line.lower().startswith(NEW):
        return _proposed(kb, line[len(NEW) :], ours)
    name, _bar, title = (part.strip() for part in line.partition("|"))
    try:
        found = resolve_for(kb, name, readers, ("person",), visible)
    except AmbiguousCounterpart as error:
        raise Problem(f"'{name}' could be more than one person: choose one", candidates_html(visible, error)) from None
    except CounterpartError as error:
        raise Problem(f"{error}; or propose a new person with a line 'new: Name | CC | Title'") from None
    person = visible.people[found.id]
    roles = person.roles_on(when)
    side = kb.our_side if ours else next((r.country for r in reversed(roles) if r.country), None) or person.country()
    known = roles[-1].title if roles and not roles[-1].title.startswith(drafting.MARKER) else None
    org = roles[-1].org if roles else None
    return Attendee(person.id, kb.people[found.id].known_as, side, _one_line(title) or known, org)


def _proposed(kb, text: str, ours: bool) -> Attendee:
    """A person not yet recorded: 'Name | CC | Title', made as `kb new person` makes one."""
    name, country, title = ([_one_line(p) for p in text.split("|")] + ["", ""])[:3]
    if not name:
        raise Problem("a 'new:' line needs the person's name: new: Name | CC | Title")
    _plain_name(name)
    country = country.upper() or (kb.our_side if ours else "")
    if not country:
        raise Problem(f"give the country of {name}: new: {name} | CC | Title (CC: an ISO 3166 code such as GB)")
    from kb.model import names

    taken = kb.resolve_id("person", names.person_id(name))
    if taken:
        who = kb.people[taken].name if taken in kb.people else taken
        raise Problem(f"{who} is recorded already ({taken}): name them instead of proposing a new person")
    try:
        skeleton = drafting.person(kb, name=name, country=country, title=title or None)
    except drafting.DraftError as error:
        raise Problem(f"new person '{name}': {error}") from None
    side = kb.our_side if ours else country
    return Attendee(skeleton.id, names.known_as(name, country), side, title or None, new=skeleton)


def _plain_name(name: str) -> None:
    """Refuse a proposed name holding markup, a path or a control character (nothing is written)."""
    from kb.model import characters

    refused = characters.refusal({"name": name}, f"new person '{name.encode('unicode_escape').decode()}'")
    if refused is not None:
        raise Problem(refused)
    if any(mark in name for mark in ("<", ">", "/", "\\", "..")):
        raise Problem(
            f"new person '{name}': a name holds no markup (< >), no path (/ \\ ..); write the name as the "
            "sources give it, in plain words"
        )


def _free_id(kb, visible, when, attendees: list[Attendee]) -> str:
    from kb.model import names

    record_id = names.meeting_id(when, [a.known_as for a in attendees[:4]])
    if not (kb.resolve_id("meeting", record_id) or (Path(kb.root) / "meetings" / f"{record_id}.yaml").exists()):
        return record_id
    if visible.resolve_id("meeting", record_id):
        raise Problem(
            f"meetings/{record_id}.yaml already exists: a meeting of these people on {when} is recorded "
            "(its page is the one to edit), or change the date or the participants; nothing was written",
            status=409,
        )
    # a file this audience may not read, or cannot be read: say no more than that the id is taken
    raise Problem(f"the id {record_id} is taken; change the date or the participants; nothing was written", status=409)


def _location(draft: drafting.Skeleton, fields: dict[str, str]) -> None:
    place = _one_line(fields.get("place", ""))
    country = _one_line(fields.get("country", "")).upper()
    if place and not country:
        raise Problem(f"give the country where {place} is (an ISO 3166 code such as PK)")
    if country:
        draft.add(0, "location")
        if place:
            draft.add(2, "place", drafting.scalar(place))
        draft.add(2, "country", drafting.scalar(country))


def allowed_levels(kb, readers) -> list[str]:
    return [level for level in SENSITIVITY_ORDER if readers.allows(level)]


def _sensitivity(kb, readers, level: str) -> str:
    level = level.strip().upper() or kb.config.default_sensitivity
    if level not in allowed_levels(kb, readers):
        raise Problem(f"sensitivity '{level}': choose one of {', '.join(allowed_levels(kb, readers))}")
    return level


def _write_participants(draft: drafting.Skeleton, attendees: list[Attendee]) -> None:
    draft.add(0, "participants")
    leads: set[str | None] = set()
    for attendee in attendees:
        draft.add(2, "- person", attendee.id)
        if attendee.org:
            draft.add(4, "org", attendee.org)
        side = attendee.side or drafting.placeholder("ISO 3166 code of the side they represented")
        draft.add(4, "side", drafting.scalar(side))
        title = attendee.title or drafting.placeholder("their title at the time: write it after a '|' on their line")
        draft.add(4, "title", drafting.scalar(title))
        draft.add(4, "role", "lead" if attendee.side not in leads else "delegation")
        leads.add(attendee.side)


def _topics(kb, draft: drafting.Skeleton, text: str) -> None:
    wanted = [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]
    if not wanted:
        return
    unknown = [t for t in wanted if kb.topic_id(t) is None]
    if unknown:
        raise Problem(f"no topic {', '.join(repr(t) for t in unknown)} in topics.yaml; topics: {', '.join(kb.topics)}")
    draft.add(0, "topics")
    for topic in dict.fromkeys(kb.topic_id(t) for t in wanted):
        draft.lines.append(f"  - {topic}")


def _source(draft: drafting.Skeleton, fields: dict[str, str], today: dt.date) -> None:
    if not fields.get("url", "").strip():
        raise Problem("give a source: the address of a report of the meeting (https://...)")
    source = new_source(fields, today)
    draft.add(0, "sources")
    for number, (key, value) in enumerate(source.items()):
        draft.add(2, ("- " if number == 0 else "  ") + key, drafting.scalar(value))


def new_source(fields: dict[str, str], today: dt.date) -> dict:
    """The source a form describes, in the order `kb import` writes one."""
    from kb.model.dates import from_option
    from kb.store.schemas import is_url

    url = fields.get("url", "").strip()
    if not is_url(url):
        raise Problem(
            f"'{' '.join(url.split())}' is not a web address; give one starting with https:// or http://, "
            "with no space or line break"
        )
    source = {"url": url}
    publisher = " ".join(fields.get("publisher", "").split())
    if publisher:
        source["publisher"] = publisher
    published = fields.get("published", "").strip()
    if published:
        if from_option(published, "published").earliest() > today:
            raise Problem(f"published {published} is in the future")
        source["published"] = published
    return source


# --- checking and writing -----------------------------------------------------------------------


def check(root: Path, proposal: Proposal, readers, use_cache: bool) -> None:
    """`kb check`'s findings in the proposal's files, on the knowledge base as it would be with
    them (read in memory), as the audience may read them: set on ``proposal``."""
    from kb.checks import runner
    from kb.query.audience import Audience, screen_findings
    from kb.store import loader, reading
    from kb.store.files import discover, validate_bytes

    files = discover(root)
    results = reading.read_all(root, files, use_cache=use_cache, parallel=False)
    for draft in proposal.files():
        results.append(validate_bytes(draft.text().encode("utf-8"), draft.relpath, draft.kind))
    would_be = loader.build(root, results)
    new = {draft.relpath for draft in proposal.files()}
    findings = [f for f in runner.run(would_be) if f.path in new]
    audience = Audience(readers.level, readers.default, would_be)
    proposal.findings, proposal.withheld = screen_findings(would_be, audience, findings)


def seal(root: Path, proposal: Proposal, token: str) -> str:
    """What the check was made on: the records' state and the files' text, keyed with the token."""
    from kb.site.serve import snapshot

    state = sorted(snapshot(root).items())
    texts = [draft.text() for draft in proposal.files()]
    data = json.dumps([state, texts]).encode("utf-8")
    return hmac.new(token.encode("utf-8"), data, hashlib.sha256).hexdigest()


def save(root: Path, proposal: Proposal) -> None:
    """Write the new people, then the meeting; never over a file; on failure, remove what this made."""
    from kb.store import atomic

    for draft in proposal.files():
        if (root / draft.relpath).exists():
            raise Problem(f"{draft.relpath} already exists; nothing was written: check again")
    made: list[Path] = []
    try:
        for draft in proposal.files():
            made.append(drafting.write(root, draft))
    except (atomic.FileExists, KBError) as error:
        for path in made:
            path.unlink(missing_ok=True)
        message = str(error) if isinstance(error, KBError) else f"{error.filename or 'a file'} already exists"
        raise Problem(f"{message}; nothing was written") from None


# --- the page -----------------------------------------------------------------------------------


def candidates_html(kb, error) -> str:
    """The people an ambiguous name could be, each with what the knowledge base says of them."""
    items = "".join(_candidate(kb, c.id) for c in error.candidates if c.kind == "person" and c.id in kb.people)
    return f'<ul class="candidates">{items}</ul>' if items else ""


def _candidate(kb, person_id: str) -> str:
    person = kb.people[person_id]
    said = []
    role = person.roles[-1] if person.roles else None
    if role is not None and not role.title.startswith(drafting.MARKER):
        said.append(role.title + (f", {kb.orgs[role.org].name}" if role.org in kb.orgs else ""))
    if person.country():
        said.append(person.country())
    met = kb.meetings_by_person.get(person_id, [])
    if met:
        said.append(f"{len(met)} meeting{'s' if len(met) != 1 else ''}, last {met[-1].date}")
    return (
        f'<li><button type="button" class="pick" data-id="{escape(person_id)}">{escape(person.name)}</button> '
        f'<code>{escape(person_id)}</code> <span class="evidence">{escape("; ".join(said))}</span></li>'
    )


def suggestions(kb, readers, query: str) -> str:
    """The resolver's answer to ``query`` as an HTML fragment: the one person, the candidates, or why none."""
    from kb.query.audience import resolve_for
    from kb.query.resolve import AmbiguousCounterpart, CounterpartError

    visible = _visible_kb(kb, readers)
    try:
        found = resolve_for(kb, query, readers, ("person",), visible)
    except AmbiguousCounterpart as error:
        return f'<p class="hint">More than one person: choose one.</p>{candidates_html(visible, error)}'
    except CounterpartError as error:
        return f'<p class="hint">{escape(str(error))}. Not recorded? Propose a new person below.</p>'
    return f'<ul class="candidates">{_candidate(visible, found.id)}</ul>'


# The form's script: the search box asks the server for the resolver's candidates (the same
# guarded POST as a save), and a chosen candidate or a proposed person becomes a line of the
# participants' box. Without it, the boxes are typed in and "Check" answers the same.
SCRIPT = """
(function () {
  var form = document.getElementById('add-meeting');
  function post(fields) {
    var body = new URLSearchParams(fields);
    body.set('token', form.elements.token.value);
    return fetch('@SUGGEST@', {method: 'POST', body: body, credentials: 'same-origin'}).then(function (r) { return r.text(); });
  }
  document.querySelectorAll('.finder').forEach(function (finder) {
    var box = form.elements[finder.dataset.box], input = finder.querySelector('input.find'),
        out = finder.querySelector('.suggestions');
    function add(line) { box.value = (box.value.replace(/\\s+$/, '') + '\\n' + line).replace(/^\\n/, ''); }
    var waiting = null;
    finder.querySelector('button.ask').addEventListener('click', function () {
      clearTimeout(waiting);
      post({q: input.value}).then(function (html) { out.innerHTML = html; });
    });
    input.addEventListener('input', function () {  // as one types: the resolver's answer after a pause
      clearTimeout(waiting);
      if (input.value.trim().length >= 3) { waiting = setTimeout(function () { finder.querySelector('button.ask').click(); }, 400); }
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') { event.preventDefault(); finder.querySelector('button.ask').click(); }
    });
    out.addEventListener('click', function (event) {
      var pick = event.target.closest('button.pick');
      if (pick) { add(pick.dataset.id); out.innerHTML = ''; input.value = ''; }
    });
    finder.querySelector('button.propose').addEventListener('click', function () {
      var parts = ['name', 'cc', 'title'].map(function (n) { return finder.querySelector('input.new-' + n).value.trim(); });
      if (parts[0]) { add('new: ' + parts.join(' | ')); finder.querySelectorAll('input[class^=new-]').forEach(function (i) { i.value = ''; }); }
    });
  });
})();
""".replace("@SUGGEST@", SUGGEST_PATH)


@dataclass
class Shown:
    """What the page shows above the form: a message, candidates, the check's findings."""

    message: str = ""
    candidates: str = ""
    proposal: Proposal | None = None
    seal: str = ""


def form_page(kb, readers, fields: dict[str, str], token: str, shown: Shown) -> bytes:
    """The add-meeting page: the form (filled with ``fields``) and what the last check found."""
    value = {name: escape(fields.get(name, "")) for name in FIELDS}
    chosen = fields.get("sensitivity") or kb.config.default_sensitivity
    levels = "".join(
        f"<option{' selected' if level == chosen else ''}>{level}</option>" for level in allowed_levels(kb, readers)
    )
    save = '<button type="submit" name="action" value="save">Save</button>' if _may_save(shown) else ""
    ours_label = f"Our side ({escape(kb.our_side or '')})"
    body = (
        f"{_report(shown)}"
        f'<form id="add-meeting" class="kb-form add-meeting" method="post" action="{ADD_PATH}">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        f'<input type="hidden" name="seal" value="{escape(shown.seal)}">'
        f'<p><label>Title <input name="title" required size="70" value="{value["title"]}"></label></p>'
        f'<p><label>Date <input name="date" required size="12" placeholder="YYYY-MM-DD" value="{value["date"]}">'
        "</label> <small>or YYYY-MM, YYYY when that is all that is known</small></p>"
        f'<p><label>Place <input name="place" size="30" value="{value["place"]}"></label> '
        f'<label>Country <input name="country" size="3" placeholder="CC" value="{value["country"]}"></label></p>'
        f"{_people_box('ours', ours_label, value['ours'])}"
        f"{_people_box('counterparts', 'Counterparts', value['counterparts'])}"
        f'<p><label>Topics <input name="topics" size="70" value="{value["topics"]}"></label> '
        f"<small>ids, labels or synonyms from topics.yaml, separated by commas</small></p>"
        f'<p><label>Summary<br><textarea name="summary" rows="4" cols="80">{value["summary"]}</textarea></label></p>'
        f'<p><label>Sensitivity <select name="sensitivity">{levels}</select></label></p>'
        f'<fieldset><legend>Source</legend><label>URL <input name="url" type="url" size="50" value="{value["url"]}">'
        f'</label> <label>Publisher <input name="publisher" size="24" value="{value["publisher"]}"></label> '
        f'<label>Published <input name="published" size="10" placeholder="YYYY-MM-DD" value="{value["published"]}">'
        "</label></fieldset>"
        f'<p><button type="submit" name="action" value="check">Check</button> {save}</p></form>'
        f"<script>{SCRIPT}</script>"
    )
    return _page("Add a meeting", body)


def _may_save(shown: Shown) -> bool:
    return shown.proposal is not None and shown.proposal.errors == 0 and bool(shown.seal)


def _people_box(name: str, label: str, value: str) -> str:
    return (
        f'<fieldset class="people"><legend>{label}</legend>'
        f'<div class="finder" data-box="{name}"><label>Find a person <input class="find" size="30"></label> '
        '<button type="button" class="ask">Suggest</button><div class="suggestions" aria-live="polite"></div>'
        '<p class="propose">Or propose someone new: <input class="new-name" placeholder="Name" size="24"> '
        '<input class="new-cc" placeholder="CC" size="3"> <input class="new-title" placeholder="Title" size="30"> '
        '<button type="button" class="propose">Propose</button></p></div>'
        f'<label>One per line: an id or a name, then "| title" if needed; "new: Name | CC | Title" for someone new'
        f'<br><textarea name="{name}" rows="3" cols="80">{value}</textarea></label></fieldset>'
    )


def _report(shown: Shown) -> str:
    parts = [f'<p class="message" role="status">{escape(shown.message)}</p>' if shown.message else "", shown.candidates]
    if shown.proposal is not None:
        parts.append(_findings_html(shown.proposal))
    return "".join(parts)


def _findings_html(proposal: Proposal) -> str:
    items = "".join(
        f'<li class="{escape(f.severity)}"><code>{escape(f.path)}:{f.line}:{f.column}</code> '
        f"{escape(f.severity)}[{escape(f.code)}] {escape(f.message)}{' (' + escape(f.hint) + ')' if f.hint else ''}</li>"
        for f in proposal.findings
    )
    listed = f'<ul class="findings">{items}</ul>' if items else '<p class="findings">No findings in the new files.</p>'
    if proposal.withheld:
        listed += f"<p>{proposal.withheld} finding(s) left out: they name what this audience may not read.</p>"
    files = "".join(f"<h3><code>{escape(d.relpath)}</code></h3><pre>{escape(d.text())}</pre>" for d in proposal.files())
    return f'<section class="check"><h2>kb check</h2>{listed}<details><summary>The files</summary>{files}</details></section>'


def _page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="same-origin">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="/site.css"></head>'
        f'<body><main id="main"><p><a href="/index.html">The site</a></p><h1>{escape(title)}</h1>{body}</main></body></html>'
    ).encode()
