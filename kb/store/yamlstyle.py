"""When a string can be written as a plain YAML scalar, and how to write it when it cannot.

A string stays plain only if every reader gets the same string back: kb's YAML 1.2 reader, and
YAML 1.1 tools that take ``no`` or ``on`` for booleans and ``1_000`` or ``1:30`` for numbers.
Dates (``2024-07-13``) are plain: records keep them as text.
"""

from __future__ import annotations

import json
import re

from kb.store.yamlread import plain_scalar

_YAML11_SPECIAL = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_:.,]*|[-+]?\.[0-9_]+|"
    r"0b[01_]+|0x[0-9a-fA-F_]+|=)$"
)
_FIRST = set("-?:,[]{}#&*!|>'\"%@`") | {" ", "\t"}


def can_be_plain(text: str) -> bool:
    if not text or text != text.strip() or text[0] in _FIRST:
        return False
    if not text.isprintable() or ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (plain_scalar(text) != text or _YAML11_SPECIAL.match(text))


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else double-quoted (JSON's escapes are YAML's)."""
    return text if can_be_plain(text) else json.dumps(text, ensure_ascii=False)
