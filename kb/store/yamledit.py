"""Round-trip YAML for the commands that write records: comments, key order and quoting survive.

Reading for checks and briefs uses the fast reader (yamlread); this slower loader is used only
for files that are about to be changed.
"""

from __future__ import annotations

import io
from pathlib import Path

from kb.store import atomic


def round_trip():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = None
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


def load(path: str | Path):
    """The record at ``path`` as ruamel's commented mapping."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return round_trip().load(text)


def dump(data) -> str:
    stream = io.StringIO()
    round_trip().dump(data, stream)
    return stream.getvalue()


def save(path: str | Path, data, *, overwrite: bool = True) -> None:
    atomic.write_text(path, dump(data), overwrite=overwrite)
