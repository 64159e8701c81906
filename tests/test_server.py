"""``policykg serve``: a real uvicorn server on a free loopback port over the seed store (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from conftest import SEEDS, serving


def get(url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/policykg/ontology#Article> }"


def test_server_sparql_get_post_and_negotiation(server):
    q = urllib.parse.quote(COUNT)
    status, headers, body = get(f"{server}/sparql?query={q}")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
    status, headers, body = get(f"{server}/sparql?query={q}", accept="text/csv")
    assert status == 200 and body.splitlines() == ["n", "5"]
    status, _, body = get(
        f"{server}/sparql", data=f"query={q}".encode(), content_type="application/x-www-form-urlencoded"
    )
    assert status == 200 and '"5"' in body
    status, headers, body = get(
        f"{server}/sparql",
        accept="application/sparql-results+xml",
        data=COUNT.encode(),
        content_type="application/sparql-query",
    )
    assert (
        status == 200
        and "<sparql" in body
        and headers["Content-Type"].startswith("application/sparql-results+xml")
    )
    ask = urllib.parse.quote("ASK { ?s a <https://w3id.org/policykg/ontology#Directive> }")
    assert json.loads(get(f"{server}/sparql?query={ask}")[2])["boolean"] is True
    construct = urllib.parse.quote("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
    status, headers, body = get(f"{server}/sparql?query={construct}", accept="application/n-triples")
    assert (
        status == 200
        and headers["Content-Type"].startswith("application/n-triples")
        and body.count(" .\n") == 3
    )
    status, headers, _ = get(f"{server}/sparql?query={construct}")
    assert headers["Content-Type"].startswith("text/turtle")


def test_server_sparql_refuses_updates_bad_queries_and_long_ones_cleanly(server):
    update = urllib.parse.quote("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert get(f"{server}/sparql?query={update}")[0] == 403
    assert get(f"{server}/sparql", data=b"DROP ALL", content_type="application/sparql-update")[0] == 403
    status, headers, body = get(f"{server}/sparql?query={urllib.parse.quote('SELECT * WHERE {')}")
    assert status == 400 and headers["Content-Type"] == "application/json" and "error" in json.loads(body)
    service = urllib.parse.quote("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert get(f"{server}/sparql?query={service}")[0] == 400
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _, body = get(f"{server}/sparql?query={urllib.parse.quote(slow)}")
    assert (
        status == 503
        and "ran longer than 5 s" in json.loads(body)["error"]
        and "\n" not in json.loads(body)["error"]
    )
    # the reader that ran it was replaced: the server answers at once, for every reader
    for _ in range(4):
        assert get(f"{server}/sparql?query={urllib.parse.quote(COUNT)}")[0] == 200


def test_server_logs_one_line_per_error_answer(tmp_path):
    store = tmp_path / "store"
    assert subprocess.run([sys.executable, "-m", "policykg", "--store", str(store), "ingest", str(SEEDS / "000_b173f7f789c49a6a.txt")], capture_output=True).returncode == 0
    with serving(store) as base:
        assert get(f"{base}/sparql?query={urllib.parse.quote('SELECT * WHERE {')}")[0] == 400
        assert get(f"{base}/id/locality/nowhere")[0] == 404
    lines = next(tmp_path.glob("serve-*.log")).read_text(encoding="utf-8").splitlines()
    errors = [line for line in lines if line.startswith("policykg serve: ")]
    assert any("400 GET /sparql?query=" in line for line in errors), lines
    assert any("404 GET /id/locality/nowhere" in line for line in errors), lines
    assert not any("Traceback" in line for line in lines)


def test_server_describes_itself_and_allows_cross_origin_reads(server):
    status, headers, body = get(f"{server}/sparql")
    assert status == 200 and "sd:Service" in body and headers["Content-Type"].startswith("text/turtle")
    request = urllib.request.Request(f"{server}/queries", headers={"Origin": "https://yasgui.example"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_server_saved_queries_listed_and_run_with_typed_parameters(server):
    status, _, body = get(f"{server}/queries")
    listed = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and "localities-implementing" in listed
    assert listed["localities-implementing"]["parameters"][0]["name"] == "document"
    document = urllib.parse.quote("Chỉ thị 05")  # normalised as in the CLI
    status, _, body = get(f"{server}/queries/localities-implementing?document={document}")
    places = {b["locality"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert status == 200 and {"Hạnh Sơn", "Sông Mã", "Tà Mung"} <= places
    status, headers, body = get(
        f"{server}/queries/localities-implementing?document={document}&format=csv&limit=1"
    )
    assert (
        status == 200
        and headers["Content-Type"].startswith("text/csv")
        and len(body.strip().splitlines()) == 2
    )
    assert get(f"{server}/queries/no-such-query")[0] == 404
    status, _, body = get(f"{server}/queries/localities-implementing")
    assert status == 400 and "document" in json.loads(body)["error"]


def test_server_asks_a_question_and_says_which_query_ran(server):
    q = urllib.parse.quote("Which localities implemented Directive 05?")
    status, headers, body = get(f"{server}/ask?q={q}")
    assert status == 200 and headers["X-Policykg-Query"] == "localities-implementing"
    assert "Tà Mung" in {b["locality"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert get(f"{server}/ask?q={urllib.parse.quote('what is the weather')}")[0] == 404


def test_server_openapi_lists_every_saved_query_with_its_parameters(server):
    from policykg.query.saved import registry

    status, _, body = get(f"{server}/openapi.json")
    document = json.loads(body)
    assert status == 200 and document["openapi"].startswith("3.")
    assert {f"/queries/{name}" for name in registry()} <= set(document["paths"])
    operation = document["paths"]["/queries/localities-implementing"]["get"]
    assert [p["name"] for p in operation["parameters"] if p.get("required")] == ["document"]


def test_server_entity_pages_show_facts_with_their_sentences_and_negotiate(server):
    status, headers, body = get(f"{server}/id/document/05-ct-tw", accept="text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Chỉ thị 05-CT/TW</h1>" in body or "Chỉ thị 05" in body
    assert "implements" in body and "<blockquote>" in body and "/id/org/" in body  # who, and the sentence
    status, headers, body = get(f"{server}/id/document/05-ct-tw", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and "documentNumber" in body
    assert get(f"{server}/id/document/no-such-thing", accept="text/html")[0] == 404


def test_server_bad_requests_get_clear_answers(server):
    q = urllib.parse.quote(COUNT)
    status, _, body = get(f"{server}/sparql?query={q}", accept="image/png")
    assert status == 406 and "ask for one of" in json.loads(body)["error"]
    assert get(f"{server}/sparql?query={q}", accept="text/*")[1]["Content-Type"].startswith("text/csv")
    huge = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (2 << 20)
    assert get(f"{server}/sparql", data=huge, content_type="application/sparql-query")[0] == 413
    status, _, body = get(f"{server}/queries/localities-implementing?document=05-CT/TW&colour=red")
    assert status == 400 and "colour" in json.loads(body)["error"]
    injected = urllib.parse.quote('05-CT/TW" } } DROP ALL; SELECT * { ?s ?p "')
    status, _, _ = get(f"{server}/queries/localities-implementing?document={injected}")
    assert status in (200, 400)  # bound as a term, never pasted into the query
    assert get(f"{server}/sparql?query={q}")[0] == 200  # the store is intact


def test_server_an_entity_path_that_is_no_iri_is_refused_not_pasted(server):
    injected = urllib.parse.quote("document/x> ?p ?o } WHERE { ?s ?p ?o } #", safe="/")
    status, _, body = get(f"{server}/id/{injected}", accept="text/turtle")
    assert status == 400 and "error" in json.loads(body)


def test_server_pages_for_people_home_docs_and_yasgui(server):
    status, _, body = get(f"{server}/")
    assert status == 200 and "/yasgui" in body and "localities-implementing" in body
    status, _, body = get(f"{server}/docs")
    assert status == 200 and "/queries/localities-implementing?document=05-CT%2FTW" in body
    status, _, body = get(f"{server}/yasgui")
    assert status == 200 and "/static/yasgui/yasgui.min.js" in body
    config = json.loads(body.split("<script id='policykg-config' type='application/json'>")[1].split("</script>")[0])
    names = [tab["name"] for tab in config["tabs"]]
    assert names[0] == "query" and "localities-implementing" in names
    headline = next(t for t in config["tabs"] if t["name"] == "localities-implementing")
    assert "05-ct-tw" in headline["query"]  # the example bound, as 'query show --sparql -p' prints it
    for asset in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "policykg-yasgui.js"):
        status, _, _ = get(f"{server}/static/{asset}")
        assert status == 200, asset
    assert get(f"{server}/static/../server.py")[0] == 404


def test_server_saved_queries_page_by_offset_and_limit(server):
    base = f"{server}/queries/entities?type=Locality&format=csv"
    _, _, whole = get(base)
    rows = whole.strip().splitlines()[1:]
    assert len(rows) > 4
    _, _, page = get(f"{base}&offset=2&limit=2")
    assert page.strip().splitlines()[1:] == rows[2:4]
    assert get(f"{base}&offset=-1")[0] == 400
    assert get(f"{base}&limit=x")[0] == 400


def test_server_answers_sparqlwrapper_as_a_notebook_would(server):
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
        " SELECT ?label WHERE { ?actor pkg:implements ?d ; rdfs:label ?label . ?d pkg:documentNumber '05-CT/TW' }"
    )
    client.setReturnFormat(JSON)
    labels = {b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    assert "Ban Thường vụ Huyện ủy Sông Mã" in labels
    client.setMethod(POST)  # a form POST, as SPARQLWrapper sends it
    assert labels == {b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    client.setQuery("CONSTRUCT { ?d ?p ?o } WHERE { ?d <https://w3id.org/policykg/ontology#documentNumber> '05-CT/TW' ; ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(graph) > 3
    client.setQuery("DELETE WHERE { ?s ?p ?o }")
    client.setMethod(POST)
    with pytest.raises(Exception, match="403"):
        client.query()


CORPUS_2013 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "baomoi-2013.jsonl.gz"


@pytest.mark.skipif(not CORPUS_2013.exists(), reason="no ../shared/corpus beside the checkout")
def test_server_reads_never_fight_the_writer_and_never_see_half_an_ingest(tmp_path):
    """Issue 16, item 7: a query loop against the server while an ingest of 2,000 real articles
    runs beside it: no error, and every answer counts the articles before the ingest or after
    it (the readers read a snapshot, refreshed when the ingest completes), never a part."""
    import gzip

    corpus = tmp_path / "news.jsonl"
    with gzip.open(CORPUS_2013, "rt", encoding="utf-8") as lines:
        corpus.write_text("".join(line for _, line in zip(range(2000), lines, strict=False)), encoding="utf-8")
    store = tmp_path / "store"
    cli = [sys.executable, "-m", "policykg", "--store", str(store)]
    assert subprocess.run([*cli, "ingest", str(SEEDS)], capture_output=True).returncode == 0
    # in one query, so both counts come from one state of the store: finished articles, and graphs
    counts = (
        "SELECT ?finished ?graphs WHERE {"
        " { SELECT (COUNT(DISTINCT ?a) AS ?finished) WHERE"
        "   { GRAPH ?a { ?a <https://w3id.org/policykg/ontology#contentHash> ?h } } }"
        " { SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } } } }"
    )

    def count(base: str) -> tuple[int, int]:
        status, _, body = get(f"{base}/sparql?query={urllib.parse.quote(counts)}")
        assert status == 200, body
        row = json.loads(body)["results"]["bindings"][0]
        return int(row["finished"]["value"]), int(row["graphs"]["value"])

    with serving(store) as base:
        before = count(base)
        writer = subprocess.Popen([*cli, "ingest", "--jobs", "1", str(corpus)], stderr=subprocess.PIPE)
        seen = set()
        while writer.poll() is None:
            seen.add(count(base))
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        after = count(base)
    assert before[0] == 5 and after[0] > 1000  # the new snapshot is read once the ingest ends
    assert seen <= {before, after}, seen  # never some of the articles, never graphs without markers
    assert before in seen
