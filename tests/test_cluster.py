"""Extraction on a Dask cluster (``ingest --dask``, ``extract --to DIR --dask``): the same store."""

import logging
import shutil
import sys

import pytest
from conftest import SEEDS

from policykg import service
from policykg.errors import ClusterError
from policykg.ingest import ingest_paths
from policykg.shards import load_shards, open_shards
from policykg.store import GraphStore

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 worker processes on loopback, started and closed here: its address."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster") / "corpus"
    folder.mkdir()
    for i in range(2):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{seed.stem}_{i}.txt")
    return folder


@pytest.fixture(scope="module")
def plain(corpus):
    store = GraphStore.memory()
    ingest_paths(store, [corpus])
    return store.export("nquads")


def test_cluster_ingest_equals_a_plain_ingest_and_sends_nothing_unchanged(scheduler, corpus, plain):
    store = GraphStore.memory()
    report = service.ingest(store, [corpus], batch=3, dask=scheduler)  # 4 tasks on 2 workers
    assert (report.articles, report.unchanged, report.workers, report.errors) == (10, 0, 2, [])
    assert store.export("nquads") == plain
    again = service.ingest(store, [corpus], batch=3, dask=scheduler)
    # nothing to extract: the cluster is not even reached
    assert (again.articles, again.unchanged, again.workers) == (0, 10, 0)


def test_cluster_extract_to_then_load_equals_a_plain_ingest(scheduler, corpus, plain, tmp_path):
    report = service.extract_to(tmp_path / "shards", [corpus], size=4, dask=scheduler)
    assert (report.articles, report.shards, report.workers) == (10, 3, 2)
    store = GraphStore.memory()
    load_shards(store, open_shards(tmp_path / "shards"))
    assert store.export("nquads") == plain


def test_cluster_without_dask_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    monkeypatch.delitem(sys.modules, "policykg.cluster", raising=False)
    with pytest.raises(ClusterError, match=r"install it: pip install 'policykg\[dask\]'"):
        service.ingest(tmp_path / "store", [SEEDS], dask="local")
    assert not (tmp_path / "store").exists()


def test_cluster_scheduler_unreachable_is_a_one_line_error(monkeypatch, tmp_path):
    import policykg.cluster

    monkeypatch.setattr(policykg.cluster, "CONNECT_TIMEOUT", 1)
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        service.ingest(GraphStore.memory(), [SEEDS], dask="tcp://127.0.0.1:9")


def test_cluster_cli_ingest_dask_local_starts_and_stops_its_own_cluster(tmp_path, plain, corpus):
    from click.testing import CliRunner

    from policykg.cli import main

    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["--store", str(store), "ingest", "--dask", "local", "-j", "1", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    assert "ingested 10 article(s), 0 unchanged" in result.stdout
    assert "with 1 Dask worker(s)" in result.stdout
    assert GraphStore.open(store).export("nquads") == plain
