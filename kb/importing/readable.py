"""The readable text of an HTML page: its headings and paragraphs, without the page's furniture.

Built on the standard library's :class:`html.parser.HTMLParser` (see the README, "Archiving
sources", for why not trafilatura or readability-lxml). What is left out: scripts, styles,
forms, frames, and navigation, headers, footers, asides and menus (by element, by ARIA role,
or by a class or id that names them), plus a few lines of news-site boilerplate ("Scroll to
Top", "Leave a Reply"). When the page marks its content (``<article>`` or ``<main>``), only that
is kept. Headings become Markdown headings (``#``), list items ``- `` lines, quotations ``> ``
lines; every other block is a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose content is never text to read.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "form", "button", "select", "textarea"}
)
# Elements that hold a page's furniture, not its content (a header inside an article is kept).
_FURNITURE = frozenset({"nav", "footer", "aside", "menu", "dialog"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
_FURNITURE_NAMES = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|footer|sidebar|share|social|ticker|related|also-read|"
    r"comments?|cookies?|advert|ads|newsletter|subscribe|popup|modal)($|[\s_-])",
    re.IGNORECASE,
)
_CONTENT = frozenset({"article", "main"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {"p", "div", "section", "li", "blockquote", "pre", "td", "th", "tr", "dd", "dt", "figcaption", "br", "hr"}
    | set(_HEADINGS)
    | _CONTENT
    | {"header", "ul", "ol", "table", "body"}
)
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
_BOILERPLATE = frozenset(
    {
        "scroll to top",
        "leave a reply",
        "leave a comment",
        "also read",
        "read more",
        "share",
        "advertisement",
        "skip to content",
    }
)


@dataclass(frozen=True)
class Readable:
    title: str
    text: str  # Markdown: headings, paragraphs, list items, quotations, separated by blank lines


def extract(html: str) -> Readable:
    """The page's title and readable text."""
    parser = _Reader()
    parser.feed(html)
    parser.close()
    parser.flush()
    blocks = parser.content_blocks or parser.blocks
    return Readable(" ".join(parser.title.split()), "\n\n".join(_dedupe(blocks)))


def _dedupe(blocks: list[str]) -> list[str]:
    """Blocks without boilerplate lines and without a block repeated right after itself."""
    kept: list[str] = []
    for block in blocks:
        if re.sub(r"^[#>\s-]+", "", block).casefold().rstrip(".:!") in _BOILERPLATE:
            continue
        if not kept or kept[-1] != block:
            kept.append(block)
    return kept


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.content_blocks: list[str] = []
        self.title = ""
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, in content)
        self._buffer: list[str] = []
        self._in_title = False

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    @property
    def _in_content(self) -> bool:
        return bool(self._stack) and self._stack[-1][2]

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _BLOCKS:
            self.flush()
        if tag in _VOID:
            return
        hidden = self._hidden or _is_furniture(tag, dict(attrs), self._in_content)
        self._stack.append((tag, hidden, self._in_content or tag in _CONTENT))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _VOID or not any(open_tag == tag for open_tag, _, _ in self._stack):
            return
        if tag in _BLOCKS:
            self.flush()
        while self._stack:  # close what was left open inside it (HTML allows that)
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if not self._hidden:
            self._buffer.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            block = self._prefix() + text
            self.blocks.append(block)
            if self._in_content:
                self.content_blocks.append(block)

    def _prefix(self) -> str:
        """The mark of the innermost heading, list item or quotation the text stands in."""
        for tag, _, _ in reversed(self._stack):
            if tag in _HEADINGS:
                return "#" * _HEADINGS[tag] + " "
            if tag == "li":
                return "- "
            if tag == "blockquote":
                return "> "
        return ""


def _is_furniture(tag: str, attrs: dict, in_content: bool) -> bool:
    if tag in _SKIPPED or tag in _FURNITURE or (tag == "header" and not in_content):
        return True
    if (attrs.get("role") or "").lower() in _FURNITURE_ROLES or attrs.get("aria-hidden") == "true":
        return True
    if "hidden" in attrs:
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return tag not in _CONTENT and bool(_FURNITURE_NAMES.search(names))
