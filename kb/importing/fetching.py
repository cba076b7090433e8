"""Fetching a web page politely, once: the network side of `kb sources archive`.

Only http and https addresses are fetched, never a local file or another scheme, also not at the
end of a redirect. Each request waits its turn per host (one a second by default), names kb and
its version in the User-Agent, and is made only if the host's robots.txt allows it (read once per
host with :mod:`urllib.robotparser`; a robots.txt that is missing allows everything, one that
cannot be read, a server error or a timeout, allows nothing, as RFC 9309 says). Redirects are
followed by hand, at most five, a loop is reported as one; a body over the size limit, a response
slower than the time limit, or any status but 2xx is a failure with its reason, never a page.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

from kb import __version__

USER_AGENT = f"kb/{__version__} (knowledge-base source archiver)"
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Policy:
    """How politely and how far to fetch."""

    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds for one response, headers and body
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Page:
    """A page fetched: what was asked for, where it ended, and its body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    retrieved: str  # UTC, to the second: 2026-11-24T10:00:00Z


@dataclass(frozen=True)
class Failure:
    """A page that could not be fetched: the status when there was one, and why."""

    url: str
    reason: str
    status: int | None = None
    final_url: str | None = None


class _Refused(Exception):
    """One request's failure, with its reason (turned into a Failure)."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Fetcher:
    policy: Policy = field(default_factory=Policy)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, robotparser.RobotFileParser | None] = field(default_factory=dict)

    def fetch(self, url: str) -> Page | Failure:
        """``url``, following redirects; a Failure says why not."""
        seen = [url]
        current = url
        try:
            while True:
                _check_scheme(current)
                if not self._allowed(current):
                    raise _Refused("disallowed by the site's robots.txt")
                status, headers, body = self._request(current)
                if status not in REDIRECTS:
                    break
                current = self._next(current, headers, seen)
        except _Refused as refused:
            return Failure(url, str(refused), refused.status, current if current != url else None)
        if not 200 <= status < 300:
            reason = http.client.responses.get(status, "")
            return Failure(url, f"HTTP {status} {reason}".strip(), status, current if current != url else None)
        retrieved = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return Page(url, current, status, headers.get("content-type", ""), body, retrieved)

    def _next(self, current: str, headers, seen: list[str]) -> str:
        location = headers.get("location")
        if not location:
            raise _Refused("redirect without a Location header")
        target = urljoin(current, location.strip())
        if target in seen:
            raise _Refused(f"redirect loop ({' -> '.join([*seen[seen.index(target) :], target])})")
        if len(seen) > self.policy.max_redirects:
            raise _Refused(f"more than {self.policy.max_redirects} redirects")
        seen.append(target)
        return target

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is not None and rules.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, origin: str) -> robotparser.RobotFileParser | None:
        """The host's rules; None (nothing allowed) when robots.txt could not be read."""
        rules = robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            status, _headers, body = self._request(origin + "/robots.txt")
        except _Refused:
            return None
        if 400 <= status < 500 or status in REDIRECTS:
            rules.parse([])  # no robots.txt (or one elsewhere): everything is allowed
        elif 200 <= status < 300:
            rules.parse(body.decode("utf-8", "replace").splitlines())
        else:
            return None
        return rules

    def _request(self, url: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One GET, no redirect followed: status, headers and the body (within the limits)."""
        parts = urlsplit(url)
        self._wait(parts.netloc)
        deadline = self.clock() + self.policy.timeout
        connection = _connection(parts.scheme, parts.hostname or "", parts.port, self.policy.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET", path, headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"}
            )
            response = connection.getresponse()
            body = b"" if response.status in REDIRECTS else self._read(response, deadline)
            return response.status, response.msg, body
        except TimeoutError:
            raise _Refused(f"no complete response within {self.policy.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise _Refused(f"connection failed: {error}") from None
        finally:
            connection.close()
            self._last[parts.netloc] = self.clock()

    def _read(self, response: http.client.HTTPResponse, deadline: float) -> bytes:
        limit = self.policy.max_bytes
        declared = response.getheader("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Refused(f"larger than the limit of {_size(limit)} ({_size(int(declared))})", response.status)
        chunks, size = [], 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _Refused(f"larger than the limit of {_size(limit)}", response.status)
            if self.clock() > deadline:
                raise TimeoutError
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self.policy.delay - self.clock()
            if pause > 0:
                self.sleep(pause)


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _Refused(f"not an http(s) address ({parts.scheme or 'no scheme'}:); only web pages are fetched")
    if not parts.hostname:
        raise _Refused("the address names no host")
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise _Refused("the address has an invalid port") from None


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
