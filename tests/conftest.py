"""Shared fixtures: the seed articles ingested once into an in-memory store."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from policykg.ingest import ingest_paths
from policykg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def seed_store() -> GraphStore:
    store = GraphStore.memory()
    report = ingest_paths(store, [SEEDS])
    assert report.articles == 5 and not report.errors
    return store


def rows(store: GraphStore, sparql: str, **bindings) -> list[dict[str, str]]:
    """SELECT rows as dicts of plain values."""
    result = store.query(sparql, bindings or None)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


@contextlib.contextmanager
def serving(store_dir: Path, timeout: float = 5):
    """The CLI's 'serve' over ``store_dir`` on a free loopback port: its base URL while it runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "policykg", "--store", str(store_dir), "serve", "--port", str(port)]
    log = store_dir.parent / f"serve-{port}.log"  # a file, not a pipe nobody reads: a full pipe would block it
    with log.open("w") as errors:
        process = subprocess.Popen([*command, "--timeout", str(timeout)], stderr=errors, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/queries", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
            pytest.fail(f"the server did not start: {log.read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The CLI's 'serve' on a free loopback port over the seed store, started and stopped here."""
    store_dir = tmp_path_factory.mktemp("serve") / "store"
    subprocess.run(
        [sys.executable, "-m", "policykg", "--store", str(store_dir), "ingest", str(SEEDS)], check=True
    )
    with serving(store_dir) as base:
        yield base
