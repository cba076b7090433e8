"""Helpers for the site tests: read a built site and check its internal links."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal href or src that names no file of the site (or no id in it)."""
    pages = sorted(site.rglob("*.html"))
    ids = {page: parse(page).ids for page in pages}
    broken = []
    for page in pages:
        for tag, link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                assert tag == "a", f"{page}: {tag} fetches {link} from the network"
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids[target]:
                broken.append(f"{page.relative_to(site)} -> {link} (no such id)")
    return broken


def all_text(site: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(site.rglob("*")) if path.is_file())


def search_index(site: Path) -> dict:
    """The site's search index (search-index.js) as data."""
    import json

    script = (site / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.KB_INDEX = ") and script.endswith(";\n")
    return json.loads(script[len("window.KB_INDEX = ") : -2])


def decode(text: str) -> list[int]:
    """The numbers of kb.site.searchshards.encode."""
    from kb.site.searchshards import LAST, MORE

    numbers, value = [], 0
    for char in text:
        if char in MORE:
            value = value * 32 + MORE.index(char)
        else:
            numbers.append(value * 32 + LAST.index(char))
            value = 0
    return numbers


def index_statistics(index: dict) -> tuple[int, int, dict[str, int]]:
    """What bm25 weighs, from the site's index: items, tokens, and how many items hold each term."""
    holding = {}
    for term, columns in index["terms"].items():
        items = set()
        for column in columns.split(" "):
            numbers, at, item = decode(column), 0, 0
            while at < len(numbers):
                item += numbers[at] >> 1
                at += 2 if numbers[at] & 1 else 1
                items.add(item)
        holding[term] = len(items)
    sizes = decode(index["sizes"])
    return len(sizes), sum(sizes), holding


def fts_statistics(root: Path, level: int) -> tuple[int, int, dict[str, int]]:
    """The same of `kb search`'s index for the readers of ``level`` (run a search first)."""
    import sqlite3

    conn = sqlite3.connect(root / ".kb-cache" / "search.sqlite")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE temp.rows USING fts5vocab(main, words{level}, 'row')")
        holding = dict(conn.execute("SELECT term, doc FROM temp.rows"))
        tokens = sum(count for (count,) in conn.execute("SELECT cnt FROM temp.rows"))
        # the items in that level's tables (a count of the table itself would count its content, docs)
        items = conn.execute("SELECT count(*) FROM docs WHERE marking <= ?", (level,)).fetchone()[0]
    finally:
        conn.close()
    return items, tokens, holding
