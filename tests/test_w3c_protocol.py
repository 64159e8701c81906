"""The W3C SPARQL 1.1 Protocol tests (``tests/data/w3c-protocol``, from w3c/rdf-tests) against a
real ``policykg serve`` over a store holding their data (issue 16).

Every request of every test is sent as the manifest describes it (method, path, headers, body)
and its answer checked against the manifest's expected status, format and boolean. The server
is read-only, so the tests that change the store are expected to be refused with 403 instead
(``READ_ONLY``); the ones that expect an update to fail pass with that 403 as well.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from conftest import serving
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace

from policykg import service

SUITE = Path(__file__).parent / "data" / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR = RESULTS | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}


def _manifest() -> list[tuple[str, list[dict]]]:
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        requests = []
        for request in Collection(graph, graph.value(graph.value(test, MF.action), HT.requests)):
            response = graph.value(request, HT.resp)
            headers_list = graph.value(request, HT.headers)
            headers = {
                str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
                for h in (Collection(graph, headers_list) if headers_list is not None else [])
            }
            body = graph.value(graph.value(request, HT.body), CNT.chars)
            boolean = graph.value(response, MF.expectedBoolean)
            requests.append(
                {
                    "method": str(graph.value(request, HT.methodName)),
                    "path": str(graph.value(request, HT.absolutePath)),
                    "headers": headers,
                    "body": None if body is None else str(body),
                    "status": {str(s).rsplit("StatusCode", 1)[-1][0] for s in graph.objects(response, MF.expectedStatus)},
                    "format": str(graph.value(response, MF.expectedFormat) or ""),
                    "boolean": None if boolean is None else bool(boolean.toPython()),
                }
            )
        tests.append((str(graph.value(test, MF.name) or test).strip(), requests, str(test).rsplit("#", 1)[-1]))
    return tests


TESTS = _manifest()


def _changes_the_store(request: dict) -> bool:
    kind = request["headers"].get("content-type", "")
    return kind.startswith("application/sparql-update") or (request["body"] or "").startswith("update=")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A store with the suite's graphs under the names the manifest gives them, served."""
    store_dir = tmp_path_factory.mktemp("w3c") / "store"
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    inserts = []
    for data in set(graph.objects(None, UT.graphData)):
        name = graph.value(data, RDFS.label)
        triples = (SUITE / Path(str(graph.value(data, UT.graph))).name).read_text(encoding="utf-8")
        inserts.append(f"GRAPH <{name}> {{ {triples} }}")
    service.update(store_dir, "INSERT DATA { " + " ".join(sorted(set(inserts))) + " }")
    with serving(store_dir) as base:
        yield base


def _send(base: str, request: dict) -> tuple[int, str, bytes]:
    path = request["path"].replace("/sparql/", "/sparql", 1)
    body = request["body"]
    data = body.encode("utf-8") if body is not None else None
    sent = urllib.request.Request(base + path, data=data, method=request["method"])
    for name, value in request["headers"].items():
        sent.add_header(name, value)
    if data is not None and "content-type" not in {k.lower() for k in request["headers"]}:
        sent.add_header("Content-Type", "")  # urllib would add a form type the test means to leave out
    try:
        with urllib.request.urlopen(sent, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def _boolean(kind: str, body: bytes) -> bool:
    if kind == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    root = ElementTree.fromstring(body)
    return next(e for e in root.iter() if e.tag.endswith("boolean")).text == "true"


@pytest.mark.parametrize(("name", "requests", "test_id"), TESTS, ids=[t[2] for t in TESTS])
def test_w3c_protocol(endpoint, name, requests, test_id):
    for request in requests:
        status, content_type, body = _send(endpoint, request)
        kind = content_type.split(";")[0].strip()
        if _changes_the_store(request) and "4" not in request["status"]:
            assert status == 403, f"{test_id}: an update must be refused (read-only), got {status}"
            return  # the rest of the test reads what the update would have written
        assert str(status)[0] in request["status"], f"{test_id}: status {status}, expected {request['status']}xx"
        if status >= 400:
            assert json.loads(body)["error"], "an error is a one-line JSON message"
            continue
        if request["format"] == "boolean":
            assert kind in RESULTS, kind
        elif request["format"] == "tabular":
            assert kind in TABULAR, kind
        elif request["format"] == "RDF":
            assert kind in RDF_TYPES, kind
        if request["boolean"] is not None:
            assert _boolean(kind, body) is request["boolean"], f"{test_id}: wrong boolean"


def test_w3c_protocol_suite_is_complete():
    """The vendored manifest is the whole suite: 34 tests, 7 of them updates a read-only
    endpoint refuses (403) where the suite expects them to succeed."""
    assert len(TESTS) == 34
    refused = [t for _, requests, t in TESTS if any(_changes_the_store(r) and "4" not in r["status"] for r in requests)]
    assert len(refused) == 7, refused
