"""HTTP to a SPARQL server with the standard library: one kept-alive connection, a time limit
on every request, credentials from the environment, and each failure as one line that says
what to do (a ``StoreError``, or a ``QueryError`` for a query the server refused as malformed).

``http.client`` rather than ``urllib.request``: it keeps the connection open between requests
(an ingest asks for one content hash per article) and lets an answer be read as it arrives
(``export``). No third-party client does anything here that is worth a dependency.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from policykg.errors import PolicyKGError, QueryError, StoreError
from policykg.store.endpoint import (
    ENGINE_VARIABLE,
    PASSWORD_VARIABLE,
    TIMEOUT_VARIABLE,
    TOKEN_VARIABLE,
    USER_VARIABLE,
    Endpoint,
    credentials,
)

_CHUNK = 1 << 16
Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Answer:
    """A server's answer, read in full."""

    status: int
    reason: str
    media_type: str  # the Content-Type without its parameters, lower case
    body: bytes
    server: str  # the Server header ("" when none)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def first_line(self) -> str:
        """The first line of the server's message, for an error (at most 300 characters)."""
        text = self.body[:4000].decode("utf-8", "replace")
        line = next((part.strip() for part in text.splitlines() if part.strip()), "")
        return line if len(line) <= 300 else line[:299] + "…"


class Client:
    """Requests to one endpoint. Reads go over a kept-alive connection (again on a fresh one
    when the server had closed it: a read can be repeated); a write goes over a fresh
    connection and is never sent twice. Each thread has its own connection: an ingest reads
    content hashes in the thread that feeds its workers while the main thread writes."""

    def __init__(self, endpoint: Endpoint, writing: bool = False) -> None:
        self.endpoint = endpoint
        self.writing = writing  # a command that writes: a failure says how to finish its job
        parts = urllib.parse.urlsplit(endpoint.url)
        self._https = parts.scheme.lower() == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._base = parts.path.rstrip("/")
        auth, self.auth = credentials()
        from policykg import __version__

        self._headers = {"User-Agent": f"policykg/{__version__}", **auth}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[http.client.HTTPConnection] = set()  # every thread's, closed by close()

    @property
    def _connection(self) -> http.client.HTTPConnection | None:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        return connection

    @_connection.setter
    def _connection(self, connection: http.client.HTTPConnection | None) -> None:
        self._local.connection = connection
        if connection is not None:
            with self._lock:
                self._open.add(connection)

    # -- sending --------------------------------------------------------------------------------
    def send(
        self,
        method: str,
        path: str,
        params: Params = (),
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        write: bool = False,
    ) -> Answer:
        """Send one request and read its answer in full; a failure to talk is a ``StoreError``."""
        target = self.target(path, params)
        headers = self._request_headers(content_type, accept)
        if write:
            self.close()
        for attempt in (1, 2):
            reused = self._connection is not None
            connection = self._connection or self._connect()
            self._connection = connection
            deadline = time.monotonic() + self.endpoint.timeout
            try:
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                data = _read(response, deadline)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as err:
                self.close()
                if reused and not write and attempt == 1:
                    continue  # the server closed a kept-alive connection: ask again on a new one
                raise StoreError(self.failure(err, write)) from None
            except (OSError, http.client.HTTPException) as err:
                self.close()
                raise StoreError(self.failure(err, write)) from None
            if response.will_close:
                self.close()
            return Answer(
                response.status,
                response.reason,
                _media_type(response.getheader("Content-Type")),
                data,
                response.getheader("Server") or "",
            )
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def stream(
        self, method: str, path: str, params: Params, body: bytes, content_type: str, accept: str
    ) -> Iterator[tuple[str, BinaryIO]]:
        """The answer's media type and body as a file read as it arrives, on a connection of its
        own (the kept-alive one stays free for other requests meanwhile). Each read waits at most
        the endpoint's timeout; a failure to talk while reading is the caller's to report
        (:meth:`failure`)."""
        connection = self._connect()
        try:
            try:
                connection.request(method, self.target(path, params), body, self._request_headers(content_type, accept))
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as err:
                raise StoreError(self.failure(err, False)) from None
            if not 200 <= response.status < 300:
                answer = Answer(
                    response.status,
                    response.reason,
                    _media_type(response.getheader("Content-Type")),
                    _read(response, time.monotonic() + self.endpoint.timeout),
                    response.getheader("Server") or "",
                )
                raise self.refused(answer, "read")
            yield _media_type(response.getheader("Content-Type")), response
        finally:
            connection.close()

    def target(self, path: str, params: Params = ()) -> str:
        query = urllib.parse.urlencode(list(params), quote_via=urllib.parse.quote)
        return (f"{self._base}{path}" or "/") + (f"?{query}" if query else "")

    def close(self) -> None:
        """Close this thread's connection."""
        connection = self._connection
        if connection is not None:
            connection.close()
            self._local.connection = None
            with self._lock:
                self._open.discard(connection)

    def close_all(self) -> None:
        """Close every thread's connection (the store is closed)."""
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def _connect(self) -> http.client.HTTPConnection:
        timeout = self.endpoint.timeout
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _request_headers(self, content_type: str | None, accept: str | None) -> dict[str, str]:
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        return headers

    # -- what went wrong, in one line --------------------------------------------------------------
    def failure(self, err: BaseException, write: bool) -> str:
        """One line for a request that could not be made or answered."""
        url, seconds = self.endpoint.url, self.endpoint.timeout
        after = (
            "; each write is one transaction there, so the store holds only complete articles: "
            "run the same command again once the server is back"
            if write or self.writing
            else ""
        )
        if isinstance(err, ConnectionRefusedError):
            return f"cannot reach the SPARQL server at {url}: connection refused; is it running? (check --store){after}"
        if isinstance(err, TimeoutError | socket.timeout):
            if write:
                return (
                    f"the SPARQL server at {url} did not answer within {seconds:g} s ({TIMEOUT_VARIABLE}); "
                    "the write may still complete there: run the same command again to finish the job"
                )
            return (
                f"the SPARQL server at {url} did not answer within {seconds:g} s: it is busy or stuck; "
                f"try again, or raise {TIMEOUT_VARIABLE}"
            )
        if isinstance(err, socket.gaierror):
            return f"cannot find the host of {url} ({err.strerror or err}); check --store"
        if isinstance(err, ssl.SSLError):
            return f"the TLS connection to {url} failed ({err.reason or err}); check the URL and the server's certificate"
        if isinstance(err, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
            return f"the SPARQL server at {url} closed the connection without answering (did it stop?){after}"
        if isinstance(err, http.client.IncompleteRead):
            return f"the SPARQL server at {url} stopped in the middle of its answer (did it stop?){after}"
        detail = getattr(err, "strerror", None) or str(err) or type(err).__name__
        return f"cannot talk to the SPARQL server at {url}: {detail}{after}"

    def refused(self, answer: Answer, doing: str, size: int = 0) -> PolicyKGError:
        """The error for an answer that is not a success; ``doing`` is ``read``, ``write`` (the
        library's own), ``update`` (a user's SPARQL Update) or ``query`` (a user's query)."""
        url = self.endpoint.url
        status = f"{answer.status} {answer.reason}".strip()
        said = f"{status}: {line}" if (line := answer.first_line()) else status
        writing = doing in ("write", "update")
        if answer.status == 401:
            if self.auth:
                return StoreError(f"the SPARQL server at {url} rejected {self.auth} ({said}); check them")
            return StoreError(
                f"the SPARQL server at {url} wants credentials ({said}): set {TOKEN_VARIABLE}, "
                f"or {USER_VARIABLE} and {PASSWORD_VARIABLE}"
            )
        if answer.status == 403:
            if writing:
                return StoreError(
                    f"the SPARQL server at {url} refuses writes ({said}): it is read-only, or "
                    f"{self.auth or 'an anonymous client'} may not write; ingest, remove and update need "
                    "a writable endpoint (reads work)"
                )
            return StoreError(
                f"the SPARQL server at {url} refuses to answer ({said}); check {self.auth or 'its credentials'}"
            )
        if answer.status == 404:
            engine = self.endpoint.profile
            return StoreError(
                f"no SPARQL endpoint at {url} for {engine.name} ({said}): check --store and "
                f"{ENGINE_VARIABLE} (an {engine.name} store is named like {engine.example})"
            )
        if answer.status == 413:
            return StoreError(
                f"the SPARQL server at {url} refused a request of {size / 1e6:.0f} MB as too large ({said}); "
                "ingest with a smaller --batch"
            )
        if answer.status == 400 and doing == "query":
            return QueryError(f"the SPARQL server refused the query ({said})")
        if answer.status == 400 and doing == "update":
            return QueryError(f"malformed SPARQL Update, the server says ({said})")
        after = (
            "; a write is one transaction there, so nothing of it is stored: run the same command again"
            if writing
            else ""
        )
        return StoreError(f"the SPARQL server at {url} answered {said}{after}")


def _read(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The whole body, within ``deadline`` (each read also waits at most the socket's timeout)."""
    parts = []
    while chunk := response.read(_CHUNK):
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took too long")
    return b"".join(parts)


def _media_type(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()
