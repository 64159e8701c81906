"""Shared fixtures: the seed articles ingested once into an in-memory store."""

from __future__ import annotations

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
