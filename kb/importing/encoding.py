"""Which Unicode encoding a file of outside data is in, from its first bytes.

Spreadsheets save "Unicode text" as UTF-16 (Excel's "Unicode Text", Google Sheets' exports on
some systems), with a byte-order mark, and now and then without one; a UTF-16 file read as UTF-8
or Windows-1252 yields no recognisable header at all. A byte-order mark names the encoding; a
file without one whose first bytes hold a NUL in every other place is UTF-16 too.
"""

from __future__ import annotations

import codecs

# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF = 256


def unicode_encoding(data: bytes) -> str | None:
    """The encoding its byte-order mark names, or UTF-16 (LE or BE) when the first bytes hold a
    NUL in every other place; None otherwise (UTF-8 or a legacy code page)."""
    for mark, name in MARKS:
        if data.startswith(mark):
            return name
    head = data[: SNIFF - SNIFF % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= len(head) * 0.4 and even == 0:
        return "utf-16-le"
    if even >= len(head) * 0.4 and odd == 0:
        return "utf-16-be"
    return None


def label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8"}.get(encoding, encoding.upper().replace("-LE", "").replace("-BE", ""))
