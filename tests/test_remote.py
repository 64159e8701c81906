"""A store on a SPARQL server (issue 18): the same commands against a real `oxigraph serve` as
against the embedded store, and each fault (down, killed mid-ingest, slow, read-only, wrong
credentials) as one line with nothing lost."""

import base64
import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS, rows

from policykg.cli import main
from policykg.errors import StoreError
from policykg.query.saved import internal
from policykg.store import Endpoint, NamedNode, locate
from policykg.store.binding import bind
from policykg.store.endpoint import credentials

DEV_TEXTS = ROOT / "tests" / "dev" / "texts"
HEADLINE = ["query", "run", "localities-implementing", "-p", "document", "05-CT/TW", "--format", "csv"]


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


OXIGRAPH = _oxigraph()
needs_server = pytest.mark.skipif(
    OXIGRAPH is None, reason="no oxigraph server binary (pip install 'oxigraph>=0.5,<0.6', in the dev extra)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`oxigraph serve` (or `serve-read-only`) on a loopback port over ``location``."""

    def __init__(self, location: Path, read_only: bool = False, port: int | None = None) -> None:
        self.location, self.read_only = location, read_only
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Server":
        command = "serve-read-only" if self.read_only else "serve"
        log = (self.location.parent / f"oxigraph-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [OXIGRAPH, command, "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=log,
            stderr=log,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"oxigraph {command} did not start on {self.url}")

    def kill(self) -> None:
        """Kill -9: no clean shutdown."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None


@contextlib.contextmanager
def running(location: Path, read_only: bool = False):
    server = Server(location, read_only).start()
    try:
        yield server
    finally:
        server.stop()


def run(store, *args, env=None):
    return CliRunner().invoke(main, ["--store", str(store), *args], env=env)


def one_line_error(result, *words):
    """The command failed with exit 1 and one line on stderr that holds ``words``, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def export_nquads(store) -> bytes:
    result = CliRunner().invoke(main, ["--store", str(store), "export", "--format", "nquads"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


# -- without a server: binding, endpoints, credentials ------------------------------------------

_BINDINGS = {
    "vn/03638 partOf": {
        "s": NamedNode("https://w3id.org/policykg/id/locality/vn/03638"),
        "p": NamedNode("https://w3id.org/policykg/ontology#partOf"),
    },
    "document label": {
        "s": NamedNode("https://w3id.org/policykg/id/document/05-ct-tw"),
        "p": NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    },
    "implements": {
        "s": NamedNode("https://w3id.org/policykg/id/org/dang-bo-xa-ta-mung/in/vn-03638"),
        "p": NamedNode("https://w3id.org/policykg/ontology#implements"),
        "o": NamedNode("https://w3id.org/policykg/id/document/01-kl-tw"),
    },
}
_SAMPLE = "SELECT * WHERE { GRAPH ?graph { ?subject ?predicate ?value } }"
_PROJECTED = "SELECT ?s ?p (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ?p ORDER BY ?p"


@pytest.mark.parametrize(
    ("query", "binding"),
    [
        *[(internal(name).sparql, b) for name in ("fact-evidence", "fact-stated", "fact-from-gazetteer") for b in _BINDINGS],
        (internal("statement-evidence").sparql, "implements"),
        (_PROJECTED, "vn/03638 partOf"),
        (_PROJECTED, "document label"),
    ],
)
def test_remote_binding_in_the_text_answers_as_substitutions_do(seed_store, query, binding):
    terms = _BINDINGS[binding]
    expected = seed_store.query(query, terms)
    got = seed_store.query(bind(query, {k: str(v) for k, v in terms.items()}))
    if isinstance(expected, bool) or not hasattr(expected, "variables"):
        assert bool(got) == bool(expected)
        return
    names = [v.value for v in expected.variables]
    assert [v.value for v in got.variables] == names
    assert [[str(r[n]) for n in names] for r in got] == [[str(r[n]) for n in names] for r in expected]


def test_remote_binding_of_select_star_keeps_the_variable_bound(seed_store):
    graph = NamedNode("https://w3id.org/policykg/id/graph/entities")
    subject = NamedNode("https://w3id.org/policykg/id/document/05-ct-tw")
    terms = {"graph": graph, "subject": subject}
    expected = rows(seed_store, _SAMPLE, **terms)
    assert expected and all(r["graph"] == graph.value for r in expected)
    got = rows(seed_store, bind(_SAMPLE, {k: str(v) for k, v in terms.items()}))
    key = lambda r: (r["predicate"], r["value"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)


@pytest.mark.parametrize(
    ("given", "env", "error"),
    [
        ("http://127.0.0.1:7878/", {}, None),
        ("https://kg.example.org/ds", {"POLICYKG_STORE_ENGINE": "fuseki"}, None),
        ("http://user:secret@127.0.0.1:7878", {}, "not in the URL"),
        ("http://127.0.0.1:7878/?union", {}, "without ? or #"),
        ("http://127.0.0.1:port", {}, "port"),
        ("http://127.0.0.1:7878", {"POLICYKG_STORE_ENGINE": "neo4j"}, "no such engine profile"),
        ("http://127.0.0.1:7878", {"POLICYKG_STORE_TIMEOUT": "soon"}, "POLICYKG_STORE_TIMEOUT=soon"),
    ],
)
def test_remote_endpoint_is_read_from_the_url_and_the_environment(given, env, error):
    if error is None:
        endpoint = Endpoint.parse(given, env)
        assert endpoint.url == given.rstrip("/")
        assert endpoint.engine == env.get("POLICYKG_STORE_ENGINE", "oxigraph")
        return
    with pytest.raises(StoreError, match=error.replace("?", r"\?")):
        Endpoint.parse(given, env)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("http://127.0.0.1:7878", Endpoint), ("HTTPS://kg.example.org", Endpoint), ("policykg-store", Path), ("./http", Path)],
)
def test_remote_store_option_names_a_folder_or_a_server(text, kind):
    assert isinstance(locate(text), kind)


@pytest.mark.parametrize(
    ("env", "header", "error"),
    [
        ({}, None, None),
        ({"POLICYKG_STORE_TOKEN": "t0k"}, "Bearer t0k", None),
        ({"POLICYKG_STORE_USER": "ann", "POLICYKG_STORE_PASSWORD": "pw"}, "Basic " + base64.b64encode(b"ann:pw").decode(), None),
        ({"POLICYKG_STORE_TOKEN": "t", "POLICYKG_STORE_USER": "ann"}, None, "not both"),
        ({"POLICYKG_STORE_PASSWORD": "pw"}, None, "without POLICYKG_STORE_USER"),
    ],
)
def test_remote_credentials_come_from_the_environment(env, header, error):
    if error:
        with pytest.raises(StoreError, match=error):
            credentials(env)
        return
    headers, _ = credentials(env)
    assert headers.get("Authorization") == header


def test_remote_store_implements_the_store_protocol():
    from policykg.store import Store
    from policykg.store.remote import RemoteStore

    store = RemoteStore(Endpoint.parse("http://127.0.0.1:9", {}))  # opening read-only sends nothing
    assert isinstance(store, Store) and store.location == "http://127.0.0.1:9"
    assert store.publish_snapshot() is None
    store.compact(), store.flush(), store.close()


# -- against a real server ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The seeds ingested into an embedded store on disk, to compare with."""
    path = tmp_path_factory.mktemp("embedded") / "store"
    result = run(path, "ingest", "--jobs", "1", str(SEEDS))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve` over an empty location, started for this module and stopped after it."""
    if OXIGRAPH is None:
        pytest.skip("no oxigraph server binary (pip install 'oxigraph>=0.5,<0.6', in the dev extra)")
    with running(tmp_path_factory.mktemp("oxigraph") / "data") as started:
        yield started


@pytest.fixture(scope="module")
def seeded(server):
    result = run(server.url, "ingest", "--jobs", "1", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "ingested 5 article(s), 0 unchanged" in result.stdout
    return server.url


@needs_server
def test_remote_headline_answer_is_the_embedded_stores(seeded, embedded):
    remote, local = run(seeded, *HEADLINE), run(embedded, *HEADLINE)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert "Hạnh Sơn,xã,directly,05-CT/TW" in remote.stdout


@needs_server
def test_remote_export_is_byte_identical_to_the_embedded_stores(seeded, embedded, seed_store):
    exported = export_nquads(seeded)
    assert exported == export_nquads(embedded) == seed_store.export("nquads")
    for fmt in ("turtle", "gexf"):
        remote, local = run(seeded, "export", "--format", fmt), run(embedded, "export", "--format", fmt)
        assert remote.exit_code == 0 and remote.stdout_bytes == local.stdout_bytes, fmt


@needs_server
@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["why", "--document", "05-CT/TW", "--locality", "Hạnh Sơn"],
        ["why", "id:locality/vn/03638", "pkg:partOf"],
        ["why", "id:locality/vn/03638", "pkg:adminCode"],
        ["validate"],
        ["ask", "which provinces implemented Directive 05", "--format", "csv"],
        ["sparql", "SELECT ?d (COUNT(*) AS ?n) WHERE { ?a pkg:implements ?d } GROUP BY ?d ORDER BY ?d", "--format", "json"],
        ["sparql", "ASK { ?d pkg:documentNumber '05-CT/TW' }", "--format", "json"],
        ["sparql", "CONSTRUCT WHERE { ?d pkg:documentNumber ?n }", "--format", "ntriples"],
        ["sample", "--kind", "implements", "-n", "5", "--seed", "3", "-o", "{tmp}/sheet"],
    ],
)
def test_remote_commands_answer_as_on_the_embedded_store(seeded, embedded, tmp_path, command):
    answers = []
    for store, where in ((seeded, "remote"), (embedded, "embedded")):
        (tmp_path / where).mkdir()
        result = run(store, *(part.replace("{tmp}", str(tmp_path / where)) for part in command))
        assert result.exit_code == 0, result.output
        text = result.stdout.replace(str(tmp_path / where), "{tmp}").replace(str(store), "{store}")
        if command[0] == "sparql" and "ntriples" in command:
            text = "".join(sorted(text.splitlines(keepends=True)))  # a graph's order is the engine's
        sheet = tmp_path / where / "sheet.csv"
        answers.append((text, sheet.read_text(encoding="utf-8") if sheet.exists() else None))
    assert answers[0] == answers[1]


@needs_server
def test_remote_remove_then_reingest_is_incremental_and_leaves_a_clean_store(server, embedded, tmp_path):
    result = run(server.url, "ingest", "--jobs", "1", str(SEEDS))  # the seeds, if this runs alone
    assert result.exit_code == 0, result.output
    removed = run(server.url, "remove", "004_9415e674d670dc88.txt", "missing.txt")
    assert removed.exit_code == 1 and "removed 004_9415e674d670dc88.txt" in removed.stdout
    assert "not in the store: missing.txt" in removed.stderr
    assert _count(server.url, "Article") == 4
    again = run(server.url, "ingest", "--jobs", "1", str(SEEDS))
    assert again.exit_code == 0 and "ingested 1 article(s), 4 unchanged" in again.stdout, again.output
    forced = run(server.url, "ingest", "--jobs", "1", "--force", str(SEEDS / "000_b173f7f789c49a6a.txt"))
    assert forced.exit_code == 0, forced.output
    assert export_nquads(server.url) == export_nquads(embedded)


@needs_server
def test_remote_update_changes_the_summaries_in_the_same_request(server, embedded):
    assert run(server.url, "ingest", "--jobs", "1", str(SEEDS)).exit_code == 0
    label = '<https://w3id.org/policykg/id/document/05-ct-tw> rdfs:label "Chỉ thị 05 (sửa)"'
    graph = "GRAPH <https://w3id.org/policykg/id/graph/entities>"
    done = run(server.url, "update", f"INSERT DATA {{ {graph} {{ {label} }} }}")
    assert done.exit_code == 0 and "→" in done.stdout, done.output
    malformed = run(server.url, "update", "INSERT DATA { GRAPH <x:g> { <x:a> <x:b> } }")
    one_line_error(malformed, "malformed SPARQL Update", "400")
    undone = run(server.url, "update", f"DELETE DATA {{ {graph} {{ {label} }} }} ;")
    assert undone.exit_code == 0, undone.output
    assert export_nquads(server.url) == export_nquads(embedded)


@needs_server
def test_remote_store_reads_from_several_threads_while_one_writes(seeded):
    """An ingest reads content hashes in the thread that feeds its workers while the main
    thread writes: one store, used from several threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    from policykg.store.remote import RemoteStore

    store = RemoteStore.open(Endpoint.parse(seeded, {}))
    graph = "https://w3id.org/policykg/id/article/000_b173f7f789c49a6a.txt"

    def read(_: int) -> tuple[str | None, int]:
        return store.content_hash(graph), len(list(store.query("SELECT * WHERE { ?s a pkg:Article }")))

    with ThreadPoolExecutor(6) as pool:
        reads = pool.map(read, range(60))
        for _ in range(20):
            store.write_update("INSERT DATA { }")
        answers = set(reads)
    store.close()
    assert len(answers) == 1 and next(iter(answers))[0] is not None and next(iter(answers))[1] == 5


@needs_server
def test_remote_store_check_says_what_works(server):
    result = CliRunner().invoke(main, ["store", "check", server.url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for expected in ("query: yes (Oxigraph", "update: yes", "union default graph: yes", "graph store protocol: yes", "usable: yes (reading and writing)"):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    leftovers = run(server.url, "sparql", "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:policykg:probe')) }", "--format", "json")
    assert '"boolean":false' in leftovers.stdout.replace(" ", "")


@needs_server
def test_remote_serve_is_refused_with_what_to_do(server):
    one_line_error(run(server.url, "serve"), "serve reads a store folder", "SPARQL server")


# -- faults ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["ingest", "--jobs", "1", str(SEEDS)], ["stats"], HEADLINE, ["export", "--format", "nquads"], ["remove", "a.txt"]],
)
def test_remote_server_down_at_start_is_one_line(command):
    url = f"http://127.0.0.1:{_free_port()}"
    one_line_error(run(url, *command), "cannot reach the SPARQL server", "connection refused")
    checked = CliRunner().invoke(main, ["store", "check", url])
    assert checked.exit_code == 1 and "usable: NO" in checked.stdout


class _Silent(http.server.BaseHTTPRequestHandler):
    """Reads a request and answers nothing for longer than any client waits."""

    def do_GET(self) -> None:
        time.sleep(5)

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def _http_server(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("command", "words"), [(["stats"], "busy or stuck"), (["ingest", str(SEEDS)], "did not answer")])
def test_remote_slow_server_times_out_in_one_line(command, words):
    with _http_server(_Silent) as url:
        started = time.monotonic()
        result = run(url, *command, env={"POLICYKG_STORE_TIMEOUT": "0.5"})
        one_line_error(result, "did not answer within 0.5 s", words)
        assert time.monotonic() - started < 4


@needs_server
def test_remote_read_only_server_answers_and_refuses_writes_in_one_line(tmp_path, seed_store, embedded):
    dump = tmp_path / "seeds.nq"
    dump.write_bytes(seed_store.export("nquads"))
    location = tmp_path / "data"
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True)
    with running(location, read_only=True) as server:
        assert run(server.url, *HEADLINE).stdout == run(embedded, *HEADLINE).stdout
        for command in (["ingest", "--jobs", "1", str(SEEDS)], ["remove", "000_b173f7f789c49a6a.txt"], ["update", "CLEAR ALL"]):
            one_line_error(run(server.url, *command), "refuses writes", "403", "read-only")
        checked = CliRunner().invoke(main, ["store", "check", server.url])
        assert checked.exit_code == 0 and "update: NO" in checked.stdout and "usable: yes (reading only)" in checked.stdout
        assert export_nquads(server.url) == seed_store.export("nquads")  # nothing lost, nothing changed


def _guard(upstream: str, token: str, user: str, password: str):
    """A loopback proxy in front of ``upstream`` that answers 401 unless the request carries the
    bearer ``token`` or basic ``user``/``password``."""
    accepted = {f"Bearer {token}", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    class Guard(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.headers.get("Authorization") not in accepted:
                message = b"Unauthorized: a valid token is required\n"
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Bearer realm="policykg"')
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)
                return
            forwarded = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            request = urllib.request.Request(upstream + self.path, data=body, headers=forwarded, method=self.command)
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status, headers, data = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as err:
                status, headers, data = err.code, err.headers, err.read()
            self.send_response(status)
            if headers.get("Content-Type"):
                self.send_header("Content-Type", headers["Content-Type"])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _relay

        def log_message(self, *args) -> None:
            pass

    return _http_server(Guard)


@needs_server
@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({}, ("wants credentials", "POLICYKG_STORE_TOKEN")),
        ({"POLICYKG_STORE_TOKEN": "wrong"}, ("rejected the token in POLICYKG_STORE_TOKEN", "401")),
        ({"POLICYKG_STORE_USER": "ann", "POLICYKG_STORE_PASSWORD": "nope"}, ("rejected the user and password",)),
        ({"POLICYKG_STORE_TOKEN": "s3cret"}, None),
        ({"POLICYKG_STORE_USER": "ann", "POLICYKG_STORE_PASSWORD": "pw"}, None),
    ],
)
def test_remote_credentials_from_the_environment_reach_the_server(seeded, embedded, env, words):
    with _guard(seeded, "s3cret", "ann", "pw") as url:
        clean = {k: None for k in ("POLICYKG_STORE_TOKEN", "POLICYKG_STORE_USER", "POLICYKG_STORE_PASSWORD")}
        result = run(url, *HEADLINE, env=clean | env)
        checked = CliRunner().invoke(main, ["store", "check", url], env=clean | env)
        if words is None:
            assert result.exit_code == 0 and result.stdout == run(embedded, *HEADLINE).stdout, result.output
            assert checked.exit_code == 0 and "accepted" in checked.stdout, checked.output
            return
        one_line_error(result, *words)
        one_line_error(run(url, "ingest", "--jobs", "1", str(SEEDS), env=clean | env), *words)
        assert checked.exit_code == 1 and "auth: NO" in checked.stdout, checked.output


@needs_server
def test_remote_server_killed_mid_ingest_then_resumed_equals_a_clean_ingest(tmp_path):
    """28 real articles extracted by two workers and written two at a time; the server is
    killed -9 after some are stored, the ingest fails in one line, the server restarts, the same
    command finishes the job, and the store is byte for byte the embedded store's after a clean
    ingest."""
    local = tmp_path / "embedded"
    clean = run(local, "ingest", "--jobs", "1", str(DEV_TEXTS))
    assert clean.exit_code == 0 and "ingested 28 article(s)" in clean.stdout, clean.output
    server = Server(tmp_path / "data").start()
    try:
        command = [sys.executable, "-m", "policykg", "--store", server.url, "ingest", "--jobs", "2", "--batch", "2", str(DEV_TEXTS)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"})
        stored, deadline = 0, time.time() + 300
        while time.time() < deadline and child.poll() is None and stored < 6:
            time.sleep(0.2)
            stored = _stored_articles(server.url)
        server.kill()
        _, errors = child.communicate(timeout=120)
        assert 0 < stored < 28, f"the ingest ended before it could be interrupted ({stored} stored)"
        assert child.returncode == 1, errors
        lines = errors.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "SPARQL server" in lines[0], errors
        server.start()  # the same location and port
        kept = _stored_articles(server.url)
        assert kept >= stored
        resumed = run(server.url, "ingest", "--jobs", "1", "--batch", "2", str(DEV_TEXTS))
        assert resumed.exit_code == 0, resumed.output
        assert f"ingested {28 - kept} article(s), {kept} unchanged" in resumed.stdout
        assert "redone" not in resumed.stdout  # every batch was one transaction: nothing was half-written
        assert export_nquads(server.url) == export_nquads(local)
        assert run(server.url, "stats").stdout == run(local, "stats").stdout
    finally:
        server.stop()


def _count(store, what: str) -> int:
    """One count of ``policykg stats``."""
    result = run(store, "stats")
    assert result.exit_code == 0, result.output
    return next(int(line.split()[1]) for line in result.stdout.splitlines() if line.split()[:1] == [what])


def _stored_articles(url: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g <https://w3id.org/policykg/ontology#contentHash> ?h } }"
    request = urllib.request.Request(
        f"{url}/query", data=query.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.read().decode().split()[-1])
    except (OSError, ValueError):
        return 0


@needs_server
def test_remote_batch_too_large_for_one_request_is_sent_in_parts_and_a_stop_between_them_is_redone(
    tmp_path, monkeypatch, seed_store
):
    from policykg.ingest import ingest_paths
    from policykg.store import remote

    monkeypatch.setattr(remote, "MAX_UPDATE_CHARS", 0)  # every batch is over the limit
    monkeypatch.setattr(remote, "PART_CHARS", 50_000)
    with running(tmp_path / "data") as server:
        endpoint = Endpoint.parse(server.url, {})
        store = remote.RemoteStore.open(endpoint)
        sent = []
        write = store.write_update

        def stopping(sparql: str, doing: str = "write") -> None:
            if len(sent) == 3:  # a few parts of the batch written, its markers not
                raise StoreError("the server went away")
            sent.append(sparql)
            write(sparql, doing)

        monkeypatch.setattr(store, "write_update", stopping)
        with pytest.raises(StoreError):
            ingest_paths(store, [SEEDS])
        assert all(part.startswith("INSERT DATA") and "contentHash" not in part for part in sent)
        monkeypatch.setattr(store, "write_update", write)
        report = ingest_paths(store, [SEEDS])
        assert report.recovered > 0 and report.articles == 5
        assert store.export("nquads") == seed_store.export("nquads")
        store.close()
