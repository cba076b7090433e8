"""Write the export tables (kb/views/dataset.py) as an SQLite database, atomically, and its
datasette metadata as JSON."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path


def write_sqlite(path: str | os.PathLike, tables: dict[str, list[tuple]], schema: dict, fts: dict) -> None:
    """Create the database at ``path`` (replacing an older one only once the new one is complete):
    each table with its primary and foreign keys, its rows, and an FTS5 table ``<table>_fts`` over
    the text columns ``fts`` names (external content, as datasette expects)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    try:
        conn = sqlite3.connect(temporary)
        try:
            for name, (columns, key, foreign, _label) in schema.items():
                parts = [f'"{column}" {kind}' + (" PRIMARY KEY" if column == key else "") for column, kind in columns]
                parts += [
                    f'FOREIGN KEY ("{column}") REFERENCES "{table}"("{other}")'
                    for column, (table, other) in foreign.items()
                ]
                conn.execute(f'CREATE TABLE "{name}" ({", ".join(parts)})')
                conn.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', tables[name])
            for name, columns in fts.items():
                listed = ", ".join(f'"{c}"' for c in columns)
                conn.execute(
                    f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({listed}, content="{name}", '
                    "tokenize='porter unicode61 remove_diacritics 2')"
                )
                conn.execute(f'INSERT INTO "{name}_fts"(rowid, {listed}) SELECT rowid, {listed} FROM "{name}"')
            conn.commit()
        finally:
            conn.close()
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def metadata_json(metadata: dict) -> str:
    """datasette's metadata (kb/views/dataset.py's ``metadata``) as the text of its JSON file."""
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
