"""`kb site serve`: the built site over HTTP on the loopback address, rebuilt when a record changes.

The records are watched by polling their size and modification time (no dependency, every
platform); a change triggers a build, which rewrites only the pages whose bytes changed.

Any web page the user opens can make the browser ask for ``http://127.0.0.1:PORT/``, and by DNS
rebinding read the answer as its own: so the server answers only requests whose Host header names
the address it is bound to (``localhost:PORT``, ``127.0.0.1:PORT``, ``[::1]:PORT``, or the address
given with ``--bind``), with 403 otherwise; it listens on the loopback address unless told
otherwise with ``--bind ADDRESS --allow-remote``; and it serves only plain files inside the output
folder, never through a link. A request that changes anything (the forms of kb.site.forms, shown
only by this server) must pass :meth:`Guard.allows_write`: a token made for this server's run, and
an Origin (or Referer) of the site itself. No page of another site may frame its pages
(``X-Frame-Options`` and ``frame-ancestors``), where a lure could lie over a form's button.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import os
import secrets
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

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


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    """Who the server answers: the hosts a request may name, and (for a request that would change
    anything) the token of this run and the site's own origins."""

    def __init__(self, bind: str, port: int):
        self.bind = bind
        self.token = secrets.token_urlsafe(32)
        self.listening_on(port)

    def listening_on(self, port: int) -> None:
        """The hosts and origins of the port the server listens on (known once it is bound)."""
        names = list(LOOPBACK_NAMES)
        if not is_loopback(self.bind):
            names.append(f"[{self.bind}]" if ":" in self.bind else self.bind)
        hosts = {f"{name}:{port}" for name in names}
        if port == 80:
            hosts.update(names)
        self.hosts = frozenset(host.lower() for host in hosts)
        self.origins = frozenset(f"http://{host}" for host in self.hosts)

    def allows_host(self, host: str | None) -> bool:
        return host is not None and host.strip().lower() in self.hosts

    def same_origin(self, headers) -> bool:
        """Whether the request comes from a page of this site: its Origin, else its Referer."""
        origin = headers.get("Origin")
        if origin is None:
            referer = headers.get("Referer")
            if referer is None:
                return False
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}"
        return origin.strip().lower() in self.origins

    def allows_write(self, headers, token: str | None) -> bool:
        """The check every request that changes anything must pass: a Host this server answers,
        the site's own origin, and the token of this run (compared in constant time)."""
        return (
            self.allows_host(headers.get("Host"))
            and self.same_origin(headers)
            and token is not None
            and hmac.compare_digest(token.encode("utf-8"), self.token.encode("utf-8"))
        )


def answer_post(editor, guard: Guard, headers, stream, path: str) -> tuple[int, bytes | str]:
    """(status, the page) for a form's POST, or (status, the reason) when it is refused."""
    if editor is None:
        return 405, "This site is read-only"
    fields = form_fields(headers, stream)
    if fields is None:
        return 413, "The form is too large"
    if not guard.allows_write(headers, fields.get("token")):
        return 403, "Forbidden: reload the page from the address kb printed and try again"
    answer = editor.post(path, fields)
    return answer.status, answer.body


def _plainly_inside(folder: str, local: str) -> bool:
    """Whether ``local`` is inside ``folder`` through no link and no ".." (and names a file at
    all: a NUL, as ``%00`` in the address, names none)."""
    if "\x00" in local:
        return False
    relative = os.path.relpath(local, folder)
    current = folder
    for part in [] if relative == "." else relative.split(os.sep):
        current = os.path.join(current, part)
        if part == ".." or os.path.islink(current):
            return False
    return True


MAX_FORM = 64 * 1024  # bytes of a form's body


def form_fields(headers, stream) -> dict[str, str] | None:
    """A urlencoded form's fields (the first value of each); None for a body too large to read."""
    from urllib.parse import parse_qs

    declared = headers.get("Content-Length") or "0"
    if not declared.isdigit() or int(declared) > MAX_FORM:
        return None
    raw = stream.read(int(declared)).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def handler(out: Path, guard: Guard, editor=None):  # noqa: C901 -- one handler class, its methods each one short answer
    """The request handler class: GET and HEAD of plain files inside ``out`` for allowed hosts;
    with an ``editor`` (kb.site.forms.Editor), meeting pages carry its forms and POST reaches it."""
    import io
    from http.server import SimpleHTTPRequestHandler

    folder = os.path.realpath(out)

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self) -> None:
            # No page of another site may frame this one: a framed form's button, under a lure of
            # its own, would post with this site's origin and token (clickjacking).
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
            super().end_headers()

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            if not guard.allows_host(self.headers.get("Host")):
                self.send_error(403, "Host not allowed: open the site at the address kb printed")
                return False
            return True

        def send_head(self):
            form = editor.form(urlsplit(self.path).path, guard.token) if editor is not None else None
            if form is not None:  # a form of its own (no file of the site)
                self._head(200, len(form))
                return io.BytesIO(form)
            # A link anywhere below the output folder is not followed: answered as not found.
            local = self.translate_path(self.path)
            if not _plainly_inside(folder, local):
                self.send_error(404, "File not found")
                return None
            if editor is None or not local.endswith(".html") or not os.path.isfile(local):
                return super().send_head()
            with open(local, "rb") as page:
                body = editor.page(urlsplit(self.path).path, page.read(), guard.token)
            self._head(200, len(body))
            return io.BytesIO(body)

        def _head(self, status: int, length: int) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

        def do_POST(self):
            status, body = answer_post(editor, guard, self.headers, self.rfile, urlsplit(self.path).path)
            if isinstance(body, str):
                self.send_error(status, body)
                return
            self._head(status, len(body))
            self.wfile.write(body)

    return functools.partial(Handler, directory=str(out))


def _server(bind: str, port: int, out: Path, editor=None):
    from http.server import ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET

    guard = Guard(bind, port)
    try:
        server = Server((bind, port), handler(out, guard, editor))
    except OSError as error:
        raise KBError(
            f"cannot listen on {bind}:{port}: {error.strerror or error}; choose another port with --port"
        ) from None
    guard.listening_on(server.server_address[1])  # port 0: the one the system chose
    return server, guard


def serve_site(
    root: Path,
    out: Path,
    port: int,
    interval: float,
    rebuild,
    say,
    max_rebuilds=None,
    describe=str,
    bind: str = "127.0.0.1",
    allow_remote: bool = False,
    editor=None,
):
    if not is_loopback(bind) and not allow_remote:
        raise KBError(
            f"--bind {bind}: not a loopback address; anyone who can reach it would read the site "
            "(RED pages included): add --allow-remote if that is meant"
        )
    report = rebuild()
    say(describe(report))
    if editor is not None and not is_loopback(bind):
        editor = None  # anyone who can reach the address could read the token: no forms
        say(f"kb: --bind {bind} is not loopback: the site is served read-only, without its forms")
    server, _guard = _server(bind, port, out, editor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shown = f"[{bind}]" if ":" in bind else bind
    say(f"kb: serving {out} on http://{shown}:{server.server_address[1]}/ (Ctrl-C stops)")
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
