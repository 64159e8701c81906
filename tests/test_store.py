"""The Store protocol and the one package that knows the engine behind it."""

import ast
from pathlib import Path

import pytest
from conftest import SEEDS

from policykg.errors import StoreError
from policykg.ingest import ingest_paths
from policykg.iri import article_iri
from policykg.store import Store, memory_store, open_store, store_exists

SRC = Path(__file__).resolve().parents[1] / "src" / "policykg"
NOT_YET: set[str] = set()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    "path", sorted(p for p in SRC.rglob("*.py") if "store" not in p.relative_to(SRC).parts[:1])
)
def test_store_only_the_store_package_imports_pyoxigraph(path):
    if path.name in NOT_YET:
        pytest.skip("not moved yet")
    assert not {m for m in _imports(path) if m.split(".")[0] == "pyoxigraph"}, path


@pytest.mark.parametrize("opener", ["memory", "disk"])
def test_store_implementations_satisfy_the_protocol_and_round_trip(tmp_path, opener):
    store = memory_store() if opener == "memory" else open_store(tmp_path / "s")
    assert isinstance(store, Store)
    ingest_paths(store, [SEEDS / "002_d36d69e27c34a1df.txt"])
    graph = article_iri("002_d36d69e27c34a1df.txt")
    digest = store.content_hash(graph)
    assert digest and store.stats()["Article"] == 1
    data = store.export("nquads")
    store.replace_graph(graph, b"".join(line + b"\n" for line in data.splitlines() if graph.encode() in line))
    assert store.export("nquads") == data  # replacing a graph by itself changes nothing
    assert store.remove_graph(graph) and not store.remove_graph(graph)
    assert store.content_hash(graph) is None
    store.close()


def test_store_a_folder_without_a_store_is_not_one(tmp_path):
    assert not store_exists(tmp_path)
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path, read_only=True)
    open_store(tmp_path / "new").close()
    assert store_exists(tmp_path / "new")
