"""The store on a SPARQL server beside the embedded one (issue 18): what the writes and reads cost.

    python bench/remote.py --articles 1000 --jobs 2     # writes bench/REMOTE.md

It generates the synthetic corpus (bench/corpus.py), starts ``oxigraph serve`` on a loopback
port over a fresh location, and ingests the same corpus into it and into an embedded store
(in this process, the same code as ``policykg ingest``), timing the store's own calls apart
from extraction; then it exports both (the files must be identical), re-ingests (every
article unchanged: one content hash read per article) and times a few saved queries on each.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

from policykg import service  # noqa: E402
from policykg.store import Endpoint, Store, open_store  # noqa: E402

QUERIES = {
    "localities-implementing": {"document": "05-CT/TW"},
    "achievement-totals": {},
    "document": {"document": "05-CT/TW"},
    "evidence": {"document": "05-CT/TW", "locality": "Tà Mung"},
}
TIMED = ("add_articles", "replace_graph", "content_hash", "drop_unfinished")


class Timed:
    """A store whose write calls and content-hash reads are timed (seconds, calls)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if name not in TIMED:
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return attribute(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed

    def __len__(self) -> int:
        return len(self.store)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _oxigraph() -> str:
    found = Path(sys.executable).parent / "oxigraph"
    return str(found) if found.exists() else (shutil.which("oxigraph") or sys.exit("no oxigraph binary"))


def _start(location: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("oxigraph serve did not start")


def _ingest(store: Store, corpus: Path, jobs: int) -> tuple[float, Timed, Any]:
    timed = Timed(store)
    started = time.perf_counter()
    report = service.ingest(timed, [corpus], jobs=jobs)  # type: ignore[arg-type]
    return time.perf_counter() - started, timed, report


def _median_ms(run: Callable[[], object], times: int = 3) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "REMOTE.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policykg-remote-"))
    corpus = work / "corpus"
    megabytes = write_corpus(corpus, args.articles) / 1e6
    port = _port()
    (work / "server").mkdir()
    server = _start(work / "server", port)
    results: dict[str, dict[str, Any]] = {}
    try:
        for name, location in (("embedded", work / "embedded"), ("server", Endpoint(f"http://127.0.0.1:{port}"))):
            store = open_store(location)
            elapsed, timed, report = _ingest(store, corpus, args.jobs)
            again, timed_again, report_again = _ingest(store, corpus, args.jobs)
            started = time.perf_counter()
            exported = store.export("nquads") or b""
            export_s = time.perf_counter() - started
            queries = {}
            for query, params in QUERIES.items():
                prepared = service.saved_query(query, params)
                queries[query] = _median_ms(lambda p=prepared, s=store: list(s.query(p.sparql)))  # type: ignore[arg-type]
            results[name] = {
                "ingest_s": elapsed,
                "articles": report.articles,
                "quads": report.triples,
                "writes_s": sum(timed.spent[c] for c in ("add_articles", "replace_graph", "drop_unfinished")),
                "batches": timed.calls["add_articles"],
                "hashes_s": timed.spent["content_hash"],
                "again_s": again,
                "unchanged": report_again.unchanged,
                "again_hashes_s": timed_again.spent["content_hash"],
                "export_s": export_s,
                "export": exported,
                "queries": queries,
            }
            store.close()
    finally:
        server.terminate()
        server.wait(30)
    same = results["embedded"]["export"] == results["server"]["export"]
    _write(args, megabytes, results, same)
    shutil.rmtree(work, ignore_errors=True)
    print(args.out.read_text(encoding="utf-8"))


NOTES = "\n## At scale, on paper\n"  # the hand-written analysis after the table, kept when it is regenerated


def _write(args: argparse.Namespace, megabytes: float, results: dict[str, dict[str, Any]], same: bool) -> None:
    import os

    import pyoxigraph

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# A store on a SPARQL server beside the embedded store",
        "",
        f"Written by `python bench/remote.py --articles {args.articles} --jobs {args.jobs}`: the synthetic corpus "
        f"({args.articles} articles, {megabytes:.1f} MB of text) ingested into `oxigraph serve` on loopback "
        f"and into an embedded store, in one process each, on {platform.machine()} with {args.jobs} job(s); "
        f"pyoxigraph and Oxigraph server {pyoxigraph.__version__}; load average at the end {load} "
        "(the machine's other work slows both columns alike). The two N-Quads exports are "
        + ("byte-identical." if same else "**different** (a bug: they must be identical)."),
        "",
        "| | embedded | server |",
        "| --- | ---: | ---: |",
    ]
    e, s = results["embedded"], results["server"]

    def row(label: str, key: str, fmt: str = "{:.1f}") -> None:
        lines.append(f"| {label} | {fmt.format(e[key])} | {fmt.format(s[key])} |")

    row("ingest, s", "ingest_s")
    lines.append(
        f"| articles/s | {e['articles'] / e['ingest_s']:.1f} | {s['articles'] / s['ingest_s']:.1f} |"
    )
    row("of which the store's writes, s", "writes_s")
    lines.append(
        f"| quads written per second of writing | {e['quads'] / e['writes_s']:,.0f} | {s['quads'] / s['writes_s']:,.0f} |"
    )
    row("batches (one Update request each on the server)", "batches", "{:d}")
    row("content hashes read (one per article), s", "hashes_s", "{:.2f}")
    row("re-ingest, every article unchanged, s", "again_s")
    row("of which content hashes, s", "again_hashes_s", "{:.2f}")
    row("export N-Quads, s", "export_s")
    for query in QUERIES:
        lines.append(f"| `{query}`, ms (median of 3) | {e['queries'][query]:.0f} | {s['queries'][query]:.0f} |")
    lines.append("")
    kept = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    notes = kept[kept.index(NOTES) :] if NOTES in kept else ""
    args.out.write_text("\n".join(lines) + notes, encoding="utf-8")


if __name__ == "__main__":
    main()
