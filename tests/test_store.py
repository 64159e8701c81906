"""The Store protocol and the one package that knows the engine behind it."""

import ast
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from test_cli import run

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


def test_store_folder_is_marked_and_foreign_or_older_folders_are_refused(tmp_path):
    """Issue 19, item 8: a store folder says what it is; nothing else is written into or upgraded."""
    import json

    from policykg.store.oxigraph import MANIFEST, STORE_FORMAT

    store = tmp_path / "store"
    assert run("ingest", str(SEEDS / "000_b173f7f789c49a6a.txt"), store=store).exit_code == 0
    manifest = json.loads((store / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["store_format"] == STORE_FORMAT and manifest["pyoxigraph"]

    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "thesis.docx").write_bytes(b"chapter 1")
    (thesis / "LOG").write_text("my notes")
    refused = run("ingest", str(SEEDS), store=thesis)
    assert refused.exit_code == 1 and "holds other files and is not a policykg store" in refused.stderr
    assert sorted(p.name for p in thesis.iterdir()) == ["LOG", "thesis.docx"]
    assert (thesis / "LOG").read_text() == "my notes"

    older = tmp_path / "older"
    shutil.copytree(store, older)
    (older / MANIFEST).unlink()  # as a policykg before manifests left it
    refused = run("ingest", str(SEEDS), store=older)
    assert refused.exit_code == 1 and "written by an earlier policykg" in refused.stderr
    assert run("stats", store=older).exit_code == 0  # still readable

    for change, message in (({"store_format": 1}, "layout 1"), ({"pyoxigraph": "0.1.0"}, "pyoxigraph 0.1.0")):
        other = tmp_path / f"other-{len(message)}"
        shutil.copytree(store, other)
        (other / MANIFEST).write_text(json.dumps({**manifest, **change}), encoding="utf-8")
        refused = run("ingest", str(SEEDS), store=other)
        assert refused.exit_code == 1 and message in refused.stderr and "Traceback" not in refused.output


def test_store_damaged_files_give_one_line_and_a_next_step(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SEEDS / "000_b173f7f789c49a6a.txt"), store=store).exit_code == 0
    (store / "CURRENT").write_text("junk\n")
    for args in (("stats",), ("ingest", str(SEEDS))):
        result = run(*args, store=store)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.count("\n") == 1 and "ingest again into a new --store" in result.stderr


CORPUS_2013 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "baomoi-2013.jsonl.gz"


@pytest.mark.skipif(not CORPUS_2013.exists(), reason="no ../shared/corpus beside the checkout")
def test_store_reads_beside_a_running_ingest_never_fail(tmp_path):
    """Issue 19, item 7: 'stats' and queries in a loop while an ingest of real news writes
    (RocksDB removes files as it compacts; a read used to fail 5 % of the time)."""
    import gzip
    import subprocess
    import sys

    corpus = tmp_path / "news.jsonl"
    with gzip.open(CORPUS_2013, "rt", encoding="utf-8") as lines:
        corpus.write_text(
            "".join(line for _, line in zip(range(4000), lines, strict=False)), encoding="utf-8"
        )
    store = tmp_path / "store"
    cli = [sys.executable, "-m", "policykg", "--store", str(store)]
    assert subprocess.run([*cli, "ingest", str(SEEDS)], capture_output=True).returncode == 0
    writer = subprocess.Popen([*cli, "ingest", "--jobs", "1", str(corpus)], stderr=subprocess.PIPE)
    reads, failures = 0, []
    while writer.poll() is None:
        for args in (["stats"], ["query", "run", "localities-implementing", "-p", "document", "05-CT/TW"]):
            done = subprocess.run([*cli, *args], capture_output=True, text=True)
            reads += 1
            if done.returncode != 0:
                failures.append(done.stderr.strip())
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert reads >= 10 and failures == []
