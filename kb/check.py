"""Run every check over a knowledge base and collect the findings."""

from __future__ import annotations

from pathlib import Path

from .checks import registry
from .findings import ERROR, WARNING, Finding


def run(kb) -> list[Finding]:
    """Every finding: those from reading the files, then every registered check, sorted."""
    registry.load_all()
    findings = list(kb.load_findings)
    for _code, function in registry.KB_CHECKS:
        findings.extend(function(kb))
    return sorted(set(findings), key=Finding.sort_key)


def run_cached(root: Path, load, use_cache: bool = True, today=None) -> tuple[list[Finding], int]:
    """Every finding and the number of files read, like ``run(load())``, but taken from the cache
    when no file has changed since the last check."""
    import datetime as dt

    if not use_cache:
        kb = load()
        return run(kb), kb.files_read
    from .cache import CheckCache

    store = CheckCache(root, (today or dt.date.today()).isoformat())
    cached = store.get()
    if cached is not None:
        return cached
    kb = load()
    findings = run(kb)
    store.put(findings, kb.files_read)
    return findings, kb.files_read


def select(findings: list[Finding], root: Path, paths: tuple[str, ...]) -> list[Finding]:
    """Only the findings in the given files or folders (the whole knowledge base is still read,
    so that references are checked against every record)."""
    if not paths:
        return findings
    wanted = []
    for path in paths:
        resolved = Path(path).resolve()
        try:
            wanted.append(resolved.relative_to(root).as_posix())
        except ValueError:
            continue
    wanted = ["" if w == "." else w for w in wanted]
    return [f for f in findings if any(w == "" or f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)]


def exit_code(findings: list[Finding], strict: bool) -> int:
    failing = {ERROR, WARNING} if strict else {ERROR}
    return 1 if any(f.severity in failing for f in findings) else 0
