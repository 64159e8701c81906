"""Load on the web server (issue 16, item 9): concurrent clients on loopback, ``policykg serve``
side by side with ``oxigraph serve-read-only`` on the same store and the same query.

    python bench/load.py                         # 10k synthetic articles, 20 clients, 30 s each
    python bench/load.py --store DIR --articles 0   # an existing store

For each target, ``--clients`` threads send requests back to back on kept-alive connections for
``--seconds`` seconds; the report gives requests per second, the median and 99th-percentile
latency and the errors. Targets: the headline saved query at ``/queries/…``, the same query's
SPARQL at ``/sparql``, an entity page (a typical locality), and, on Oxigraph's own server
(``--union-default-graph``, as policykg reads), the headline SPARQL and the entity's description.
Writes bench/LOAD.md. Not part of ``make test``: it is a measurement, not a check.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

from policykg import service  # noqa: E402

HEADLINE = ("localities-implementing", {"document": "05-CT/TW"})


@dataclass
class Target:
    name: str
    server: str  # "policykg" or "oxigraph"
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer in {seconds:g} s: {url}")


def drain(url: str, seconds: float) -> None:
    """Wait until the server answers a trivial query at once again: requests the clients gave up
    on may still be running, and would slow the next target."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=seconds).close()
        if time.monotonic() - started < 0.5:
            return
        time.sleep(1)


def stop(process: subprocess.Popen) -> None:
    """Stop a server, killing it if it does not stop in 30 s (a query still running)."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def hammer(port: int, target: Target, clients: int, seconds: float, timeout: float = 120) -> dict:
    """``clients`` threads sending ``target`` back to back for ``seconds``; the figures."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request(target.method, target.path, body=target.body, headers=target.headers)
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException) as err:
                ok, answer = False, None
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                with lock:
                    errors.append(type(err).__name__)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                elif answer is not None:
                    errors.append(str(answer.status))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    latencies.sort()
    return {
        "target": target.name,
        "server": target.server,
        "requests": len(latencies),
        "per_s": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def build_store(store: Path, articles: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus"
        write_corpus(corpus, articles)
        command = [sys.executable, "-m", "policykg", "--store", str(store), "ingest", "--jobs", str(jobs), str(corpus)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def typical_locality(store: Path) -> str:
    """The locality of median article count among those named in at least two articles: a page
    as a researcher usually opens one (the busiest, a province named in every article, is the
    worst case)."""
    rows = service.reading(
        store,
        lambda source: [
            str(row["place"].value)
            for row in source.query(
                "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?place WHERE {"
                " GRAPH <https://w3id.org/policykg/id/graph/summary> { ?place pkg:articleCount ?n }"
                " ?place a pkg:Locality FILTER(?n >= 2) } ORDER BY ?n ?place"
            )
        ],
    )
    return rows[len(rows) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to load (built from the synthetic corpus when missing)")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30, help="each server's query time limit (s)")
    parser.add_argument("--out", type=Path, default=HERE / "LOAD.md")
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    work = Path(tempfile.mkdtemp(prefix="policykg-load-"))
    store = args.store or work / "store"
    if not (store / "policykg-store.json").exists():
        started = time.monotonic()
        build_store(store, args.articles, args.jobs)
        print(f"built {store} from {args.articles} synthetic articles in {time.monotonic() - started:.0f} s")
    stats = service.stats(store)
    place = typical_locality(store)
    headline = service.saved_query(*HEADLINE).sparql
    form = urllib.parse.urlencode({"query": headline}).encode()
    described = f"DESCRIBE <{place}>"
    page = place.removeprefix("https://w3id.org/policykg")
    results = []

    port = free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "policykg", "--store", str(store), "serve", "--port", str(port),
         "--timeout", f"{args.timeout:g}"],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/queries", ours)
        name, params = HEADLINE
        for target in (
            Target("headline saved query", "policykg", "GET", f"/queries/{name}?{urllib.parse.urlencode(params)}"),
            Target("headline SPARQL", "policykg", "POST", "/sparql", form,
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}),
            Target("entity page (HTML)", "policykg", "GET", page, None, {"Accept": "text/html"}),
            Target("entity description (Turtle)", "policykg", "GET", page, None, {"Accept": "text/turtle"}),
        ):
            results.append(hammer(port, target, args.clients, args.seconds, args.timeout + 30))
            print(json.dumps(results[-1]))
            drain(f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote('ASK {}')}", 3 * args.timeout)
    finally:
        stop(ours)

    port = free_port()
    theirs = subprocess.Popen(
        [oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", f"{args.timeout:g}"],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query={urllib.parse.quote('ASK {}')}", theirs)
        for target in (
            Target("headline SPARQL", "oxigraph", "POST", "/query", form,
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}),
            Target("entity description (Turtle)", "oxigraph", "POST", "/query",
                   urllib.parse.urlencode({"query": described}).encode(),
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/turtle"}),
        ):
            results.append(hammer(port, target, args.clients, args.seconds, args.timeout + 30))
            print(json.dumps(results[-1]))
            drain(f"http://127.0.0.1:{port}/query?query={urllib.parse.quote('ASK {}')}", 3 * args.timeout)
    finally:
        stop(theirs)

    write_report(args, stats, place, results)
    shutil.rmtree(work, ignore_errors=True)


def write_report(args: argparse.Namespace, stats: dict, place: str, results: list[dict]) -> None:
    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value:,.0f}"

    lines = [
        "# Load on the web server",
        "",
        f"`python bench/load.py` ({args.clients} clients back to back on loopback, {args.seconds:g} s per target,",
        f"kept-alive connections, each server's query time limit {args.timeout:g} s) on a store of {stats.get('Article', 0):,} articles ({stats.get('quads', 0):,} quads).",
        f"The entity is a typical locality (median article count), `{place}`. Oxigraph is `oxigraph serve-read-only",
        "--union-default-graph` on the same store (its own server, no policykg code), with the same SPARQL.",
        "",
        "| target | server | requests | per s | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['target']} | {r['server']} | {r['requests']:,} | {r['per_s']:.1f} | {ms(r['p50_ms'])} | "
            f"{ms(r['p99_ms'])} | {r['errors']}{' (' + ', '.join(r['error_kinds']) + ')' if r['errors'] else ''} |"
        )
    lines += ["", "```json", json.dumps(results, indent=1), "```", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
