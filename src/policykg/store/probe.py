"""``policykg store check URL``: what works on a SPARQL server, one finding a line.

It asks a query, and writes a probe graph of one triple (``urn:policykg:probe:…``), reads it
through the union default graph and the Graph Store Protocol, and drops it. Nothing else on
the server is touched; a read-only server is probed by reading alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyoxigraph as ox

from policykg.errors import PolicyKGError
from policykg.store.client import Client
from policykg.store.endpoint import ENGINE_VARIABLE, ENGINES, Endpoint
from policykg.store.remote import RemoteStore
from policykg.vocab import PKG_NS


@dataclass(frozen=True)
class Finding:
    """One thing tried: ``ok`` True (works), False (does not), None (not tried, or only told)."""

    what: str
    ok: bool | None
    detail: str
    needed: bool = False  # policykg cannot use the server without it

    def line(self) -> str:
        mark = {True: "yes", False: "NO", None: "–"}[self.ok]
        return f"{self.what}: {mark}" + (f" ({self.detail})" if self.detail else "")


def check(endpoint: Endpoint) -> list[Finding]:
    """What works on the server at ``endpoint``, in the order tried; the last finding says
    whether policykg can use it (``ok`` False: it cannot)."""
    engine = endpoint.profile
    client = Client(endpoint)
    store = RemoteStore(endpoint)
    found: list[Finding] = []
    try:
        answer = client.send("GET", engine.query, [("query", "ASK {}")], accept="application/sparql-results+json")
    except PolicyKGError as err:
        found.append(Finding("query", False, str(err), needed=True))
        return [*found, _verdict(found)]
    if not answer.ok:
        error = client.refused(answer, "read")
        found.append(Finding("query", False, str(error), needed=True))
        found.append(_auth(client, answer.status))
        return [*found, _verdict(found)]
    server = answer.server or "the server does not say which engine it is"
    found.append(Finding("query", True, f"{server} at {endpoint.url}{engine.query}", needed=True))
    guess = _engine_of(answer.server)
    if guess and guess != engine.name:
        found.append(
            Finding("engine", False, f"it looks like {guess}, the profile is {engine.name}: set {ENGINE_VARIABLE}={guess}")
        )
    found.append(_auth(client, answer.status))
    probe = f"urn:policykg:probe:{uuid.uuid4().hex}"
    written = _update(store, found, probe)
    found.append(_union(store, probe if written else None))
    found.append(_graph_store(client, endpoint, probe if written else None))
    if written:
        try:
            store.write_update(f"DROP SILENT GRAPH <{probe}>")
        except PolicyKGError as err:
            found.append(Finding("clean-up", False, f"the probe graph <{probe}> is still there: {err}"))
    found.append(_articles(store))
    store.close()
    client.close_all()
    return [*found, _verdict(found)]


def _engine_of(server: str) -> str | None:
    lowered = server.lower()
    return next((name for name in ENGINES if name in lowered), None)


def _auth(client: Client, status: int) -> Finding:
    if status in (401, 403):
        return Finding("auth", False, f"{client.auth or 'no credentials'} refused ({status})", needed=True)
    if client.auth:
        return Finding("auth", True, f"{client.auth} accepted")
    return Finding("auth", None, "no credentials set; the server asked for none")


def _update(store: RemoteStore, found: list[Finding], probe: str) -> bool:
    try:
        store.write_update(f'INSERT DATA {{ GRAPH <{probe}> {{ <{probe}> <{probe}> "policykg store check" }} }}')
    except PolicyKGError as err:
        found.append(Finding("update", False, f"{err}; only reading commands will work"))
        return False
    found.append(Finding("update", True, "a probe graph written, read back and dropped"))
    return True


def _union(store: RemoteStore, probe: str | None) -> Finding:
    """Whether a query without ``GRAPH`` sees the named graphs, as the saved queries need."""
    engine = store.endpoint.profile
    how = (
        " ".join(f"{k}={v}" if v else k for k, v in engine.union) + " parameter"
        if engine.union
        else "the engine's default graph (see the README for the setting it needs)"
    )
    try:
        if probe is not None:
            sees = bool(store.query(f"ASK {{ <{probe}> <{probe}> ?o }}"))
        elif bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }", dataset=None)):
            sees = bool(store.query("ASK { ?s ?p ?o }"))
        else:
            return Finding("union default graph", None, "not tried: the store is empty and takes no writes")
    except PolicyKGError as err:
        return Finding("union default graph", False, str(err), needed=True)
    if sees:
        return Finding("union default graph", True, how, needed=True)
    return Finding(
        "union default graph",
        False,
        f"a query without GRAPH does not see the named graphs through {how}; saved queries would answer nothing",
        needed=True,
    )


def _graph_store(client: Client, endpoint: Endpoint, probe: str | None) -> Finding:
    path = endpoint.profile.graph_store
    if path is None:
        return Finding("graph store protocol", None, f"no endpoint in the {endpoint.engine} profile; not needed")
    if probe is None:
        return Finding("graph store protocol", None, "not tried: it needs the probe graph; not needed")
    try:
        answer = client.send("GET", path, [("graph", probe)], accept="application/n-triples")
    except PolicyKGError as err:
        return Finding("graph store protocol", False, f"{err}; not needed")
    if answer.ok and probe.encode() in answer.body:
        return Finding("graph store protocol", True, f"{endpoint.url}{path}; policykg does not need it")
    return Finding("graph store protocol", False, f"{answer.status} {answer.reason}; policykg does not need it")


def _articles(store: RemoteStore) -> Finding:
    try:
        rows = list(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{PKG_NS}Article> }} }}"))
    except PolicyKGError as err:
        return Finding("policykg articles", None, str(err))
    n = rows[0]["n"] if rows else None
    count = int(n.value) if isinstance(n, ox.Literal) else 0
    return Finding("policykg articles", None, f"{count} in the store" if count else "none yet: run policykg ingest")


def _verdict(found: list[Finding]) -> Finding:
    if any(f.needed and f.ok is False for f in found):
        return Finding("usable", False, "policykg cannot use this server as a store (see above)")
    writes = next((f.ok for f in found if f.what == "update"), None)
    return Finding("usable", True, "reading and writing" if writes else "reading only")
