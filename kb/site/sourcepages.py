"""The site's pages of stored copies of sources (``sources/<key>.html``), linked next to the live url.

Only the copies cited by a meeting the readers see, and marked within their audience (a copy
takes the highest marking of the meetings citing it), get a page. The text is shown as kb kept
it: headings, list items and quotations by their Markdown marks, every other block a paragraph;
it is data, escaped like any record text.
"""

from __future__ import annotations

from pathlib import Path

from kb.views.describe import archived_copy


def stored_copies(kb, readers) -> dict[str, dict]:
    """The copies the readers may see, by key, among the sources of the meetings in ``kb``, each
    with its ``text``."""
    from kb.store import archives

    found: dict[str, dict] = {}
    if not (Path(kb.root) / archives.FOLDER).exists():
        return found  # no copy is stored: no meeting's sources need be read
    for meeting in kb.sorted_meetings:
        for source in meeting.sources:
            key = source.archive
            if key and key not in found:
                copy = archived_copy(kb.root, key, readers)
                stored = archives.read(kb.root, key) if copy is not None else None
                if copy is not None and stored is not None:
                    found[key] = {**copy, "text": stored.text}
    return found


def source_page(copy: dict) -> dict:
    """The context of one stored copy's page."""
    text = copy["text"]
    return {
        "kind": "source",
        "title": copy["title"] or copy["final_url"],
        "copy": copy,
        "blocks": [_block(block) for block in text.split("\n\n") if block.strip()],
        "marking": copy["sensitivity"],
    }


def _block(block: str) -> dict:
    marks = block.split(" ", 1)
    if len(marks) == 2 and set(marks[0]) == {"#"} and len(marks[0]) <= 6:
        return {"tag": f"h{min(len(marks[0]) + 1, 6)}", "text": marks[1]}
    if block.startswith(("- ", "> ")):
        return {"tag": "li" if block[0] == "-" else "blockquote", "text": block[2:]}
    return {"tag": "p", "text": block}
