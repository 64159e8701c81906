"""Where a store on a SPARQL server is, and what its engine needs (issue 18).

``--store http://host:port/...`` names a server; :class:`Endpoint` holds its address, the
engine profile (``POLICYKG_STORE_ENGINE``, default ``oxigraph``) and the time any one request
may take (``POLICYKG_STORE_TIMEOUT``, seconds). Credentials come from the environment only
(:func:`credentials`), never from the command line or the URL, where they would show in the
process list and the shell's history. This module imports nothing but the standard library,
so that the CLI and ``policykg.store`` can name an endpoint without loading pyoxigraph.
"""

from __future__ import annotations

import base64
import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from policykg.errors import StoreError

ENGINE_VARIABLE = "POLICYKG_STORE_ENGINE"
TIMEOUT_VARIABLE = "POLICYKG_STORE_TIMEOUT"
TOKEN_VARIABLE = "POLICYKG_STORE_TOKEN"
USER_VARIABLE = "POLICYKG_STORE_USER"
PASSWORD_VARIABLE = "POLICYKG_STORE_PASSWORD"
DEFAULT_TIMEOUT = 60.0
_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")


@dataclass(frozen=True)
class Engine:
    """How one engine speaks the SPARQL 1.1 Protocol: paths under the URL given as ``--store``
    and how a query's default graph becomes the union of all graphs.

    ``union`` are query parameters that ask for the union default graph on each query; with
    ``default_is_union`` the default graph already is the union (the engine's own rule, or a
    setting of the server's) and its own default graph cannot be read apart. ``form`` sends
    queries and updates as HTML form fields rather than as ``application/sparql-query``
    bodies. ``tested``: the test suite runs against this engine's real server.
    """

    name: str
    query: str
    update: str
    graph_store: str | None
    union: tuple[tuple[str, str], ...] = ()
    default_is_union: bool = False
    form: bool = False
    tested: bool = False
    example: str = ""


ENGINES = {
    engine.name: engine
    for engine in (
        # `oxigraph serve --location DIR`: /query, /update, /store; the union per query
        Engine(
            "oxigraph",
            "/query",
            "/update",
            "/store",
            union=(("union-default-graph", ""),),
            tested=True,
            example="http://127.0.0.1:7878",
        ),
        # Apache Jena Fuseki, a TDB2 dataset with `tdb2:unionDefaultGraph true` in its assembler
        Engine(
            "fuseki", "/query", "/update", "/data", default_is_union=True, example="http://127.0.0.1:3030/policykg"
        ),
        # GraphDB (RDF4J's protocol): a repository's default graph is the union of its graphs
        Engine(
            "graphdb",
            "",
            "/statements",
            "/rdf-graphs/service",
            default_is_union=True,
            example="http://127.0.0.1:7200/repositories/policykg",
        ),
        # QLever: one path for queries and updates; updates need its access token (bearer)
        Engine("qlever", "", "", None, default_is_union=True, example="http://127.0.0.1:7001"),
        # Virtuoso: /sparql for both, as form fields; its default graph is the union of all
        Engine(
            "virtuoso",
            "/sparql",
            "/sparql",
            "/sparql-graph-crud",
            default_is_union=True,
            form=True,
            example="http://127.0.0.1:8890",
        ),
    )
}


@dataclass(frozen=True)
class Endpoint:
    """A store on a SPARQL server: its URL (as given, without a trailing ``/``), the engine's
    profile name and the seconds a request may take."""

    url: str
    engine: str = "oxigraph"
    timeout: float = DEFAULT_TIMEOUT

    def __str__(self) -> str:
        return self.url

    @property
    def profile(self) -> Engine:
        return ENGINES[self.engine]

    @classmethod
    def parse(cls, text: str, environ: Mapping[str, str] | None = None) -> Endpoint:
        """The endpoint ``text`` names, its engine and timeout from ``environ`` (the process's).

        >>> Endpoint.parse("http://127.0.0.1:7878/", {})
        Endpoint(url='http://127.0.0.1:7878', engine='oxigraph', timeout=60.0)
        """
        env = os.environ if environ is None else environ
        parts = urllib.parse.urlsplit(text)
        if parts.scheme.lower() not in ("http", "https"):
            raise StoreError(f"--store {text}: a store on a server is an http:// or https:// URL")
        if parts.username is not None or parts.password is not None:
            raise StoreError(
                f"--store: put the credentials in {USER_VARIABLE} and {PASSWORD_VARIABLE} (or "
                f"{TOKEN_VARIABLE}), not in the URL, which shows in the process list and the shell's history"
            )
        if not parts.hostname or parts.query or parts.fragment:
            raise StoreError(f"--store {text}: give the server's URL as http://HOST:PORT/PATH, without ? or #")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as err:
            raise StoreError(f"--store {text}: {err}") from None
        name = env.get(ENGINE_VARIABLE, "oxigraph").strip().lower() or "oxigraph"
        if name not in ENGINES:
            raise StoreError(f"{ENGINE_VARIABLE}={name}: no such engine profile; one of {', '.join(ENGINES)}")
        return cls(text.rstrip("/"), name, _timeout(env))


def is_url(text: str) -> bool:
    """Whether ``--store`` names a server rather than a folder.

    >>> is_url("http://localhost:7878"), is_url("policykg-store"), is_url("C:/data")
    (True, False, False)
    """
    return bool(_URL.match(text))


def _timeout(env: Mapping[str, str]) -> float:
    raw = env.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise StoreError(f"{TIMEOUT_VARIABLE}={raw}: give the seconds a request to the server may take, e.g. 60")
    return value


def credentials(environ: Mapping[str, str] | None = None) -> tuple[dict[str, str], str]:
    """The ``Authorization`` header the environment asks for, and what it is, for messages
    (``{}`` and "" when it asks for none): a bearer token, or a user and password (basic)."""
    env = os.environ if environ is None else environ
    token, user, password = (env.get(v) for v in (TOKEN_VARIABLE, USER_VARIABLE, PASSWORD_VARIABLE))
    if token and (user or password):
        raise StoreError(f"set {TOKEN_VARIABLE} or {USER_VARIABLE}/{PASSWORD_VARIABLE}, not both")
    if token:
        return {"Authorization": f"Bearer {token.strip()}"}, f"the token in {TOKEN_VARIABLE}"
    if password and not user:
        raise StoreError(f"{PASSWORD_VARIABLE} is set without {USER_VARIABLE}")
    if user:
        pair = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}, f"the user and password in {USER_VARIABLE}/{PASSWORD_VARIABLE}"
    return {}, ""
