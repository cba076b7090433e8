"""`kb sources archive`: keep a copy of every source page, once, and link it from its meetings.

For each source url (every meeting's, or the ones named) a page already archived is not fetched
again (unless ``refresh``): a source whose ``archive:`` names a stored copy, or a url some copy was
fetched for, is linked to that copy. Any other page is fetched (kb.importing.fetching, politely),
its readable text kept (kb.importing.readable), and written to ``sources/<hash>.md``
(kb.store.archives) marked with the highest marking of the meetings that cite it. Then each
citing source gets ``archive: <hash>`` through the one writer of edits (kb.store.yamledit), so
that comments and key order stay and a file saved meanwhile is never overwritten. A page that
fails is reported with its reason and nothing is written for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import Message
from pathlib import Path

from kb.errors import KBError
from kb.importing import fetching, readable
from kb.query.audience import highest, rank
from kb.store import archives, yamledit

# The source's keys in the schema's order (kb fmt's order): archive goes before the first of these.
AFTER_ARCHIVE = ("archived", "note")
_HTML = ("text/html", "application/xhtml+xml")


class ArchivingError(KBError):
    """The archiving cannot start; the message says why and what to do."""


@dataclass
class Target:
    """One url and every meeting source that cites it: (meeting, source index)."""

    url: str
    citations: list = field(default_factory=list)
    marking: str = "CLEAR"
    copy: archives.Copy | None = None


@dataclass(frozen=True)
class Outcome:
    url: str
    action: str  # "fetched", "kept", "would fetch", "failed"
    detail: str
    copy: archives.Copy | None = None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    linked: list[tuple[str, int, str]] = field(default_factory=list)  # (meeting file, source number, hash)
    edit_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.action == "failed" for o in self.outcomes) or bool(self.edit_errors)


def targets(kb, urls: tuple[str, ...] = (), refresh: bool = False) -> list[Target]:
    """The urls to archive, each with its citations, marking and the copy it already has."""
    found: dict[str, Target] = {}
    for meeting in kb.sorted_meetings:
        marking = meeting.sensitivity or kb.config.default_sensitivity
        for source in meeting.sources:
            if source.url:
                target = found.setdefault(source.url, Target(source.url, marking=marking))
                target.citations.append((meeting, source.index))
                target.marking = highest([target.marking, marking]) or marking
                if source.archive and target.copy is None:
                    target.copy = archives.read(kb.root, source.archive)
    unknown = [url for url in urls if url not in found]
    if unknown:
        raise ArchivingError(
            f"{unknown[0]} is not the url of any meeting's source; add it to a meeting's sources first "
            "(an archived copy takes the marking of the meetings that cite it)"
        )
    chosen = [found[url] for url in dict.fromkeys(urls)] if urls else list(found.values())
    by_url = archives.find(kb.root) if any(t.copy is None for t in chosen) else {}
    for target in chosen:
        target.copy = target.copy or by_url.get(target.url)
    return chosen


def archive(
    kb,
    urls: tuple[str, ...] = (),
    *,
    refresh: bool = False,
    dry_run: bool = False,
    fetcher: fetching.Fetcher | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> Report:
    """Archive the sources (all, or those at ``urls``) and link them; see the module docstring."""
    fetcher = fetcher or fetching.Fetcher()
    report = Report()
    links: dict[str, dict[int, str]] = {}
    for target in targets(kb, urls, refresh):
        outcome = _one(kb.root, target, fetcher, refresh, dry_run)
        report.outcomes.append(outcome)
        if progress:
            progress(outcome)
        if outcome.copy and not dry_run:
            for meeting, index in target.citations:
                if meeting.sources[index].archive != outcome.copy.key:
                    links.setdefault(meeting.relpath, {})[index] = outcome.copy.key
    for relpath, by_index in links.items():
        _link(kb.root, relpath, by_index, report)
    return report


def _one(root: Path, target: Target, fetcher: fetching.Fetcher, refresh: bool, dry_run: bool) -> Outcome:
    copy = target.copy
    if copy and not refresh:
        if rank(target.marking) > rank(copy.sensitivity) and not dry_run:
            copy = replace(copy, sensitivity=target.marking)  # a newly citing meeting marked higher
            archives.write(root, copy)
        return Outcome(target.url, "kept", f"already archived as {copy.relpath} ({copy.retrieved})", copy)
    if dry_run:
        return Outcome(target.url, "would fetch", "")
    page = fetcher.fetch(target.url)
    if isinstance(page, fetching.Failure):
        status = f" (HTTP {page.status})" if page.status and not page.reason.startswith("HTTP") else ""
        return Outcome(target.url, "failed", page.reason + status)
    marking = highest([target.marking, copy.sensitivity]) if copy else target.marking
    new = _store(root, stored_copy(page, marking or target.marking))
    kind = new.content_type.split(";")[0] or "no content type"
    return Outcome(target.url, "fetched", f"{new.relpath} ({new.status}, {kind}, {new.bytes:,} bytes)", new)


def _store(root: Path, new: archives.Copy) -> archives.Copy:
    """Write ``new``, unless the same body is stored already for another url (two urls, one page):
    that copy stays as it is (its marking raised if need be) and is the one linked."""
    existing = archives.read(root, new.key)
    if existing and existing.sha256 == new.sha256 and existing.url != new.url:
        if rank(new.sensitivity) <= rank(existing.sensitivity):
            return existing
        new = replace(existing, sensitivity=new.sensitivity)
    archives.write(root, new)
    return new


def stored_copy(page: fetching.Page, marking: str) -> archives.Copy:
    """The copy of ``page`` to store: its metadata, and its readable text when it is HTML or text."""
    digest = hashlib.sha256(page.body).hexdigest()
    kind, charset = _content_type(page.content_type)
    title, text, note = "", "", f"not extracted ({kind or 'no content type'})"
    if kind in _HTML or kind == "text/plain":
        decoded = page.body.decode(charset, "replace")
        if kind == "text/plain":
            text, note = decoded.strip(), "extracted"
        else:
            found = readable.extract(decoded)
            title, text, note = found.title, found.text, "extracted"
    return archives.Copy(
        digest[: archives.HASH_LENGTH],
        page.url,
        page.final_url,
        page.status,
        page.content_type,
        len(page.body),
        digest,
        page.retrieved,
        title,
        marking,
        note,
        text,
    )


def _content_type(header: str) -> tuple[str, str]:
    message = Message()
    message["content-type"] = header or "application/octet-stream"
    charset = message.get_content_charset() or "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        charset = "utf-8"
    return message.get_content_type() if header else "", charset


def _link(root: Path, relpath: str, by_index: dict[int, str], report: Report) -> None:
    """Set ``archive:`` on the sources ``by_index`` of one meeting file, in one edit."""

    def change(document) -> None:
        for index, key in by_index.items():
            yamledit.put(document["sources"][index], "archive", key, before=AFTER_ARCHIVE)

    try:
        edited = yamledit.edit(Path(root) / relpath, change, relpath=relpath)
    except yamledit.EditError as error:
        report.edit_errors.append(str(error))
        return
    if edited.changed:
        report.linked += [(relpath, index + 1, key) for index, key in sorted(by_index.items())]
