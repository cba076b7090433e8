"""The one rule for which characters record text may not hold, used by `kb check` (KB204) and by
every writer.

Control characters (C0 but tab and line feed, DEL, C1) can rewrite the terminal of whoever
reads the record; Unicode's bidirectional embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069) make the text after them read in another order than it is written. Names in
Arabic or Urdu script need none of them (the marks ALM, LRM and RLM, which steer only the
characters beside them, are allowed).

`kb check` reports them (KB204). What kb writes from the user's own words (`kb update --note`,
`kb new`, `kb merge`, `kb decide`, `kb fmt`) is refused with an error and nothing is written; what
it imports from outside data (registers, articles, spreadsheets) has them removed, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.model.scripts import BIDI_REORDERING

REFUSED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_REORDERING}]")
# The UTF-8 bytes of a file that may hold one: a backslash (an escape in a quoted string), a raw
# C1 character, or a raw bidirectional formatting character. A file without any of them is not walked.
MAY_HOLD = re.compile(rb"\\|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every byte that cannot begin a match of MAY_HOLD: a file made of them alone holds none, and
# deleting them (bytes.translate) is far cheaper than running the pattern over every byte.
_CANNOT_BEGIN = bytes(
    b for b in range(256) if b not in (0x5C, 0xC2, 0xE2, 0x7F) and not (b < 0x20 and b not in (9, 10, 13))
)


def may_hold(raw: bytes) -> bool:
    """Whether the UTF-8 bytes ``raw`` may hold a refused character (MAY_HOLD matches them)."""
    return bool(raw.translate(None, _CANNOT_BEGIN)) and MAY_HOLD.search(raw) is not None


def describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def shown(text: str) -> str:
    """``text`` safe to print: each refused character written as its escape (ESC as \\x1b, an
    override as \\u202e), for messages that quote outside data before it is cleaned."""
    return REFUSED.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def refused(text: str) -> str | None:
    """The first character of ``text`` the rule refuses, or None."""
    match = REFUSED.search(text)
    return match.group() if match else None


def _strings(data, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in ``data`` (keys included) with the path to it."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _strings(value, (*path, key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def field(path: tuple) -> str:
    return ".".join(str(part) for part in path) or "a key"


def first_refused(data) -> tuple[str, str] | None:
    """(the field, the character) of the first string in ``data`` the rule refuses, or None."""
    for path, text in _strings(data):
        character = refused(text)
        if character is not None:
            return field(path), character
    return None


def refusal(data, what: str) -> str | None:
    """The error a writer gives for ``data`` (``what``: the record or option written), or None."""
    found = first_refused(data)
    if found is None:
        return None
    where, character = found
    return (
        f"{what}: {where} holds the control character {describe(character)}; nothing was written "
        "(control characters and bidirectional overrides can rewrite a reader's terminal or "
        "reorder what they read: remove it)"
    )


def strip(data) -> list[str]:
    """Remove every refused character from the strings of ``data`` (dicts and lists, changed in
    place; keys too); the fields that held one."""
    fields = []
    if isinstance(data, dict):
        for key in list(data):
            value = data[key]
            if isinstance(key, str) and refused(key):
                del data[key]
                key = REFUSED.sub("", key)
                data[key] = value
                fields.append(key)
            if isinstance(value, str) and refused(value):
                data[key] = REFUSED.sub("", value)
                fields.append(key)
            else:
                fields += [f"{key}.{inner}" for inner in strip(value)]
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, str) and refused(value):
                data[index] = REFUSED.sub("", value)
                fields.append(str(index))
            else:
                fields += [f"{index}.{inner}" for inner in strip(value)]
    return fields
