"""The forms of `kb site serve`: edit a meeting from its page, through kb's own writers.

Only the server shows them: a static `kb site build` writes the same bytes as ever, and the server
adds the forms to a meeting page as it sends it (:meth:`Editor.page`). Each form carries the
token of the server's run and a digest of the record's file as it was when the page was sent;
a POST must pass :meth:`kb.site.serve.Guard.allows_write` (token and same origin), and is refused
when the file has changed since (someone saved it in an editor: reload the page and try again).

Writing goes through the code the commands use: an outcome's status and note through
:func:`kb.authoring.progress.record` (`kb update`), a source through
:func:`kb.importing.existing.add_source` (`kb import`); both write with
:func:`kb.store.yamledit.edit` (comments, order and line endings kept, control characters refused,
written only if the file is still what was read). The answer shows the file's `kb check`
findings as the audience may read them.

The server serves one audience's site, and the forms keep to it: a meeting or an outcome above the
audience gets no form, and a POST naming one is answered as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from kb.authoring.progress import STATUSES
from kb.errors import KBError
from kb.model import dates

UPDATE_PATH = "/_kb/update"
SOURCE_PATH = "/_kb/source"
OPEN = ("open", "in-progress")
NO_REFERRER = '<meta name="referrer" content="no-referrer">'
PAGE = re.compile(r"^/meetings/([^/]+)\.html$")


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class Refused(KBError):
    """A form's request that cannot be carried out; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class Editor:
    """The forms of one server run: ``load(listing=None)`` gives (the knowledge base, the audience)
    as now; ``use_cache`` as for `kb check` (its findings are taken from its cache)."""

    def __init__(self, load: Callable, today: dt.date | None = None, use_cache: bool = True):
        self.load = load
        self.today = today
        self.use_cache = use_cache
        self.lock = threading.Lock()

    def digest(self, path: Path, token: str) -> str:
        """The file as read, keyed with the run's token (the page names no hash of hidden text)."""
        return hmac.new(token.encode("utf-8"), path.read_bytes(), hashlib.sha256).hexdigest()

    def page(self, url_path: str, body: bytes, token: str) -> bytes:
        """A meeting page with its forms; any other page as it is (one not in UTF-8, which kb did
        not write, as its bytes)."""
        try:
            text = _with_add_link(body.decode("utf-8"))
        except UnicodeDecodeError:
            return body
        found = PAGE.match(url_path)
        if not found:
            return text.encode("utf-8")
        kb, readers = self.load()
        meeting = _visible(kb, readers, found.group(1))
        if meeting is None:
            return text.encode("utf-8")
        digest = self.digest(Path(kb.root) / meeting.relpath, token)
        hidden = _hidden(token, meeting.id, digest)
        shown = readers.meeting(meeting, count=False)
        for outcome in shown.outcomes if shown else ():
            if outcome.status in OPEN and outcome.kind != "statement":
                text = _after_outcome(text, outcome.id, status_form(hidden, outcome, self._today()))
        # The site's pages send no referrer; with none, a browser sends "Origin: null" with a form,
        # which the guard refuses. Same-origin: the forms say where they come from, links out still do not.
        text = text.replace(NO_REFERRER, '<meta name="referrer" content="same-origin">', 1)
        return _before_path(text, source_form(hidden)).encode("utf-8")

    def form(self, url_path: str, token: str) -> bytes | None:
        """The page of a form of its own (the add-a-meeting form), or None for any other path."""
        from kb.site import addmeeting

        if url_path != addmeeting.ADD_PATH:
            return None
        kb, readers = self.load()
        return addmeeting.form_page(kb, readers, {}, token, addmeeting.Shown())

    def _today(self) -> dt.date:
        return self.today or dates.today()

    def post(self, url_path: str, fields: dict[str, str]) -> Answer:
        """Carry out one form (the caller has checked the token and origin)."""
        from kb.site.addmeeting import ADD_PATH, SUGGEST_PATH

        actions = {
            UPDATE_PATH: self._update,
            SOURCE_PATH: self._source,
            ADD_PATH: self._add,
            SUGGEST_PATH: self._suggest,
        }
        if url_path not in actions:
            return Answer(404, answer_page("Not found", "No form posts here.", None, []))
        try:
            with self.lock:
                return actions[url_path](fields)
        except Refused as error:
            return Answer(error.status, answer_page("Not saved", str(error), fields.get("meeting"), []))
        except KBError as error:
            return Answer(400, answer_page("Not saved", str(error), fields.get("meeting"), []))

    def _checked(self, fields: dict[str, str]):
        """(kb, audience, meeting) for a form whose file is still what the page showed."""
        kb, readers = self.load()
        meeting = _visible(kb, readers, fields.get("meeting", ""))
        if meeting is None:
            raise Refused(f"no meeting '{fields.get('meeting', '')}'", 404)
        path = Path(kb.root) / meeting.relpath
        token = fields.get("token", "")
        if not hmac.compare_digest(self.digest(path, token), fields.get("digest", "")):
            raise Refused(
                f"{meeting.relpath} changed after this page was shown (saved in an editor?); nothing was "
                "written: reload the page and try again",
                409,
            )
        return kb, readers, meeting

    def _update(self, fields: dict[str, str]) -> Answer:
        from kb.authoring import progress

        kb, readers, meeting = self._checked(fields)
        outcome_id = fields.get("outcome", "")
        shown = readers.meeting(meeting, count=False)
        if shown is None or outcome_id not in {o.id for o in shown.outcomes}:
            raise Refused(f"meeting {meeting.id} has no outcome '{outcome_id}'", 404)
        ref = f"{meeting.id}#{outcome_id}"
        done = progress.record(
            kb, ref, fields.get("status", ""), fields.get("note") or None, fields.get("date") or None, self._today()
        )
        moved = f"from {done.old_status} to {done.update['status']}"
        if done.old_status == done.update["status"]:
            moved = f"still {done.old_status}"
        message = f"Saved: {meeting.relpath}: {outcome_id} {moved} on {done.update['date']}."
        return Answer(200, answer_page("Saved", message, meeting.id, self._findings(meeting.relpath)))

    def _source(self, fields: dict[str, str]) -> Answer:
        from kb.importing import existing
        from kb.site.addmeeting import new_source

        kb, _readers, meeting = self._checked(fields)
        source = new_source(fields, self._today())
        number = existing.holds_url(meeting, source["url"])
        if number is not None:
            raise Refused(f"{source['url']} is already source {number} of {meeting.relpath}; nothing to do")
        existing.add_source(Path(kb.root) / meeting.relpath, source, meeting.relpath)
        message = f"Saved: source {len(meeting.sources) + 1} added to {meeting.relpath}."
        return Answer(200, answer_page("Saved", message, meeting.id, self._findings(meeting.relpath)))

    def _suggest(self, fields: dict[str, str]) -> Answer:
        from kb.site.addmeeting import suggestions

        kb, readers = self.load()
        return Answer(200, suggestions(kb, readers, fields.get("q", "")).encode("utf-8"))

    def _add(self, fields: dict[str, str]) -> Answer:
        """Check the meeting the form describes (findings shown, nothing written); with "Save", write
        it when the check found no error and nothing changed since the check was shown."""
        from kb.site import addmeeting

        kb, readers = self.load()
        root, token, shown = Path(kb.root), fields.get("token", ""), addmeeting.Shown()
        try:
            proposal = addmeeting.compose(kb, readers, fields, self._today())
        except addmeeting.Problem as problem:
            shown.message, shown.candidates = f"Not checked: {problem}", problem.candidates
            return Answer(problem.status, addmeeting.form_page(kb, readers, fields, token, shown))
        except KBError as error:
            shown.message = f"Not checked: {error}"
            return Answer(400, addmeeting.form_page(kb, readers, fields, token, shown))
        addmeeting.check(root, proposal, readers, self.use_cache)
        shown.proposal, shown.seal, status = proposal, addmeeting.seal(root, proposal, token), 200
        if fields.get("action") != "save":
            shown.message = f"Checked: {proposal.meeting.relpath} would be written; {_tally(proposal.findings)}."
        elif proposal.errors:
            shown.message, status = f"Not saved: {_tally(proposal.findings)}; fix the form and check again.", 400
        elif not hmac.compare_digest(shown.seal, fields.get("seal", "")):
            shown.message, status = (
                "Not saved: the records or the form changed after the check was shown; nothing was written. "
                "The check below is new: read it and save again.",
                409,
            )
        else:
            try:
                addmeeting.save(root, proposal)
            except addmeeting.Problem as problem:
                shown.message, shown.seal = f"Not saved: {problem}", ""
                return Answer(409, addmeeting.form_page(kb, readers, fields, token, shown))
            written = ", ".join(draft.relpath for draft in proposal.files())
            message = f"Saved: {written}."
            return Answer(200, answer_page("Saved", message, proposal.meeting.id, proposal.findings))
        return Answer(status, addmeeting.form_page(kb, readers, fields, token, shown))

    def _findings(self, relpath: str) -> list:
        """`kb check`'s findings in the file, as the audience may read them."""
        from kb.checks import runner
        from kb.query.audience import screen_findings

        kb, readers = self.load()
        everything, _read = runner.run_cached(
            Path(kb.root), lambda listing=None: self.load(listing)[0], use_cache=self.use_cache, today=self.today
        )
        return screen_findings(kb, readers, [f for f in everything if f.path == relpath])[0]


def _tally(findings: list) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    others = len(findings) - errors
    return f"kb check found {errors} error{'s' if errors != 1 else ''} and {others} other finding{'s' if others != 1 else ''}"


ADD_LINK = '<li><a href="/_kb/add-meeting">Add a meeting</a></li>'


def _with_add_link(text: str) -> str:
    """A served page's site menu with a link to the add-a-meeting form."""
    at = text.find("</ul>\n  </nav>")
    return text if at < 0 else text[:at] + ADD_LINK + text[at:]


def _visible(kb, readers, meeting_id: str):
    meeting = kb.meetings.get(meeting_id)
    return meeting if meeting is not None and readers.may_see(meeting) else None


def _hidden(token: str, meeting_id: str, digest: str) -> str:
    values = {"token": token, "meeting": meeting_id, "digest": digest}
    return "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in values.items())


def status_form(hidden: str, outcome, today: dt.date) -> str:
    options = "".join(f'<option value="{s}"{" selected" if s == outcome.status else ""}>{s}</option>' for s in STATUSES)
    return (
        f'<form class="kb-form" method="post" action="{UPDATE_PATH}" aria-label="Update {escape(outcome.id)}">'
        f'{hidden}<input type="hidden" name="outcome" value="{escape(outcome.id)}">'
        f'<label>Status <select name="status">{options}</select></label> '
        f'<label>Note <input name="note" size="40"></label> '
        f'<label>Date <input name="date" value="{today.isoformat()}" size="10"></label> '
        '<button type="submit">Record update</button></form>'
    )


def source_form(hidden: str) -> str:
    return (
        '<section class="kb-form" aria-labelledby="add-source-h"><h2 id="add-source-h">Add a source</h2>'
        f'<form method="post" action="{SOURCE_PATH}">{hidden}'
        '<label>URL <input name="url" type="url" required size="50"></label> '
        '<label>Publisher <input name="publisher" size="24"></label> '
        '<label>Published <input name="published" placeholder="YYYY-MM-DD" size="10"></label> '
        '<button type="submit">Add source</button></form></section>'
    )


def _after_outcome(text: str, outcome_id: str, form: str) -> str:
    """``form`` placed at the end of the outcome's item on the page (unplaced: the page as it is)."""
    start = text.find(f'<li id="o-{escape(outcome_id)}"')
    if start < 0:
        return text
    ends = [at for at in (text.find('\n  <li id="o-', start + 1), text.find("\n</ul>", start)) if at >= 0]
    end = text.rfind("</li>", start, min(ends)) if ends else -1
    return text if end < 0 else text[:end] + form + text[end:]


def _before_path(text: str, form: str) -> str:
    for marker in ('<p class="path">', "</main>"):
        at = text.find(marker)
        if at >= 0:
            return text[:at] + form + "\n" + text[at:]
    return text


def answer_page(title: str, message: str, meeting_id: str | None, findings: list) -> bytes:
    """The page a form's POST answers with: what happened, the file's findings, a way back."""
    back = f'<p><a href="/meetings/{escape(meeting_id)}.html">Back to the meeting</a></p>' if meeting_id else ""
    if findings:
        items = "".join(
            f"<li><code>{escape(f.path)}:{f.line}:{f.column}</code> {escape(f.severity)}[{escape(f.code)}] "
            f"{escape(f.message)}{' (' + escape(f.hint) + ')' if f.hint else ''}</li>"
            for f in findings
        )
        checked = f'<h2>kb check</h2><ul class="findings">{items}</ul>'
    else:
        checked = '<h2>kb check</h2><p class="findings">No findings in this file.</p>' if title == "Saved" else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main>"
        f'<h1>{escape(title)}</h1><p class="message" role="status">{escape(message)}</p>{checked}{back}'
        "</main></body></html>"
    ).encode()
