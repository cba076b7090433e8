"""`kb site serve`: the built site over HTTP on 127.0.0.1 only, rebuilt when a record changes.

The records are watched by polling their size and modification time (no dependency, every
platform); a change triggers a build, which rewrites only the pages whose bytes changed.
"""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path

from kb.errors import KBError

WATCHED = ("meetings", "people", "orgs")
ROOT_FILES = ("kb.yaml", "topics.yaml")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    state = {}
    paths = [root / name for name in ROOT_FILES]
    for folder in WATCHED:
        if (root / folder).is_dir():
            paths += sorted((root / folder).rglob("*.yaml"))
    templates = root / "templates"
    if templates.is_dir():
        paths += sorted(templates.rglob("*"))
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        state[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return state


def serve_site(root: Path, out: Path, port: int, interval: float, rebuild, say, max_rebuilds=None, describe=str):
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    report = rebuild()
    say(describe(report))

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(out)))
    except OSError as error:
        raise KBError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}; choose another port with --port"
        ) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"kb: serving {out} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    rebuilds = 0
    seen = snapshot(Path(root))
    try:
        while max_rebuilds is None or rebuilds < max_rebuilds:
            time.sleep(interval)
            now = snapshot(Path(root))
            if now == seen:
                continue
            seen = now
            rebuilds += 1
            try:
                say(describe(rebuild()))
            except KBError as error:  # a broken template or output folder: keep serving the last site
                say(f"kb: error: {error}")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
