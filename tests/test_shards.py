"""Extraction as shards (``extract --to DIR``) and ``load DIR``: the same store as ``ingest``."""

import gzip
import json
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from policykg import service
from policykg.cli import main
from policykg.errors import ShardError
from policykg.ingest import ingest_paths
from policykg.shards import MANIFEST, extract_to, load_shards, open_shards
from policykg.store import GraphStore

TEXTS = sorted(SEEDS.glob("*.txt"))


def _corpus(folder, copies: int = 1):
    """The seeds as .txt files and again as JSON Lines records (``copies`` times each)."""
    folder.mkdir()
    with (folder / "news.jsonl").open("w", encoding="utf-8") as records:
        for i in range(copies):
            for seed in TEXTS:
                shutil.copy(seed, folder / f"{seed.stem}_{i:03d}.txt")
                text = seed.read_text(encoding="utf-8")
                records.write(
                    json.dumps({"id": f"{seed.stem}-{i}", "text": text, "date": "2021-05-04"}) + "\n"
                )
    return folder


def _ingested(corpus):
    store = GraphStore.memory()
    ingest_paths(store, [corpus])
    return store


def _loaded(folder, store=None, batch=256):
    store = store or GraphStore.memory()
    report = load_shards(store, open_shards(folder), batch=batch)
    return store, report


@pytest.mark.parametrize(("size", "jobs", "shards"), [(2000, 1, 2), (3, 2, 4 + 4)])
def test_shards_extract_then_load_equals_ingest(tmp_path, size, jobs, shards):
    corpus = _corpus(tmp_path / "corpus", 2)  # 10 text files, 10 records
    folder = tmp_path / "shards"
    report = extract_to(folder, [corpus], jobs=jobs, size=size)
    assert (report.articles, report.shards, report.written, report.errors) == (20, shards, shards, [])
    manifest = json.loads((folder / MANIFEST).read_text())
    assert [s["shard"] for s in manifest["shards"]] == list(range(shards))
    assert sum(s["articles"] for s in manifest["shards"]) == 20
    store, loaded = _loaded(folder, batch=4)
    assert (loaded.articles, loaded.unchanged, loaded.triples) == (20, 0, report.triples)
    assert store.export("nquads") == _ingested(corpus).export("nquads")


def test_shards_json_lines_are_cut_by_line_numbers(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "news.jsonl").write_text(
        (corpus / "news.jsonl").read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8"
    )  # a blank line 2: records on lines 1, 3, 4, 5, 6
    for text in corpus.glob("*.txt"):
        text.unlink()
    extract_to(tmp_path / "shards", [corpus], size=2)
    manifest = json.loads((tmp_path / "shards" / MANIFEST).read_text())
    assert [(s["inputs"][0]["lines"], s["articles"]) for s in manifest["shards"]] == [
        ([1, 2], 1),
        ([3, 4], 2),
        ([5, 6], 2),
    ]


def test_shards_rerun_keeps_complete_shards_and_redoes_a_missing_or_damaged_one(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    folder = tmp_path / "shards"
    extract_to(folder, [corpus], size=2)  # 3 shards of text files, 3 of records
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "00001.nq.gz").unlink()
    (folder / "00004.nq.gz").write_bytes(b"damaged")
    again = extract_to(folder, [corpus], size=2)
    assert (again.written, again.unchanged, again.articles) == (2, 6, 4)
    # the same articles make the same bytes: the shards redone are those of the first run
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    store, _ = _loaded(folder)
    assert store.export("nquads") == _ingested(corpus).export("nquads")


def test_shards_an_interrupted_extraction_leaves_complete_shards_and_a_rerun_finishes(tmp_path, monkeypatch):
    import policykg.shards as shards_module

    corpus = _corpus(tmp_path / "corpus")
    folder = tmp_path / "shards"
    real, closed = shards_module._Writing.close, []

    def interrupted(self):
        if closed:
            raise KeyboardInterrupt
        closed.append(self.name)
        return real(self)

    monkeypatch.setattr(shards_module._Writing, "close", interrupted)
    with pytest.raises(KeyboardInterrupt):
        extract_to(folder, [corpus], size=4)
    assert sorted(p.name for p in folder.iterdir()) == ["00000.json", "00000.nq.gz"]  # no temporary file
    with pytest.raises(ShardError, match="not finished"):
        open_shards(folder)
    monkeypatch.setattr(shards_module._Writing, "close", real)
    again = extract_to(folder, [corpus], size=4)
    assert (again.written, again.unchanged, again.shards) == (3, 4, 4)
    store, _ = _loaded(folder)
    assert store.export("nquads") == _ingested(corpus).export("nquads")


def test_shards_load_skips_what_the_store_holds_and_replaces_what_changed(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    folder = tmp_path / "shards"
    extract_to(folder, [corpus])
    store = GraphStore.memory()
    part = tmp_path / "part"
    part.mkdir()
    shutil.copy(corpus / "000_b173f7f789c49a6a_000.txt", part)
    shutil.copy(corpus / "001_fb14a67d0406c0de_000.txt", part)
    (part / "001_fb14a67d0406c0de_000.txt").write_text("Tin cũ\n\nMột bài khác.\n", encoding="utf-8")
    ingest_paths(store, [part])
    store, report = _loaded(folder, store)
    assert (report.articles, report.unchanged, report.replaced) == (9, 1, 1)
    assert store.export("nquads") == _ingested(corpus).export("nquads")
    _, again = _loaded(folder, store)
    assert (again.articles, again.unchanged) == (0, 10)


def test_shards_an_article_the_extractor_fails_on_is_skipped_at_extraction_and_at_load(tmp_path, monkeypatch):
    import policykg.ingest as ingest_module

    real = ingest_module.record_of

    def failing_on_one(article):
        if article.identifier == "001_fb14a67d0406c0de.txt":
            raise ValueError("no tokens")
        return real(article)

    monkeypatch.setattr(ingest_module, "record_of", failing_on_one)
    report = extract_to(tmp_path / "shards", [SEEDS])
    assert report.articles == 4 and [w for w, _ in report.skipped] == [
        str(SEEDS / "001_fb14a67d0406c0de.txt")
    ]
    monkeypatch.setattr(ingest_module, "record_of", real)
    kept = extract_to(tmp_path / "shards", [SEEDS])  # a failure is part of a complete shard
    assert (kept.written, kept.unchanged) == (0, 5)
    store, loaded = _loaded(tmp_path / "shards")
    assert loaded.articles == 4 and "the extractor failed on it" in loaded.skipped[0][1]
    assert store.content_hash("https://w3id.org/policykg/id/article/001_fb14a67d0406c0de.txt") is None


def _damage_shard(folder):
    data = bytearray((folder / "00000.nq.gz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "00000.nq.gz").write_bytes(bytes(data))


def _other_extractor(folder):
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["extractor"] = "0.0.1+000000000000"
    (folder / MANIFEST).write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: shutil.rmtree(f), "is not a shard folder (no such folder)"),
        (lambda f: [p.unlink() for p in f.iterdir()], "is not a shard folder (no manifest.json)"),
        (lambda f: (f / MANIFEST).unlink(), "the extraction is not finished"),
        (lambda f: (f / MANIFEST).write_text("{"), "manifest.json cannot be read"),
        (lambda f: (f / MANIFEST).write_text('{"format": "other"}'), "manifest.json is not policykg's"),
        (_damage_shard, "00000.nq.gz is damaged"),
        (lambda f: (f / "00000.nq.gz").unlink(), "00000.nq.gz is missing"),
        (_other_extractor, "holds the shards of extractor 0.0.1+000000000000"),
    ],
)
def test_shards_load_of_a_bad_folder_is_one_line_and_leaves_the_store_untouched(tmp_path, damage, message):
    folder = tmp_path / "shards"
    extract_to(folder, [SEEDS])
    damage(folder)
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "load", str(folder)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line, line
    assert not store.exists()  # checked before the store is opened


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (
            lambda f: f.mkdir() or (f / "notes.txt").write_text("x"),
            "holds other files (notes.txt), not shards",
        ),
        (lambda f: f.write_text("x"), "is a file, not a shard folder"),
    ],
)
def test_shards_extract_to_refuses_a_folder_that_is_not_one(tmp_path, prepare, message):
    folder = tmp_path / "shards"
    prepare(folder)
    result = CliRunner().invoke(main, ["extract", "--to", str(folder), str(SEEDS)])
    assert result.exit_code != 0 and message in result.output


def test_shards_extract_to_refuses_the_shards_of_another_extractor(tmp_path):
    folder = tmp_path / "shards"
    extract_to(folder, [SEEDS])
    _other_extractor(folder)
    with pytest.raises(ShardError, match="empty this one to extract afresh"):
        extract_to(folder, [SEEDS])


def test_shards_cli_extract_to_then_load(tmp_path):
    folder, store = tmp_path / "shards", tmp_path / "store"
    runner = CliRunner()
    written = runner.invoke(main, ["extract", "--to", str(folder), "--jobs", "1", str(SEEDS)])
    assert written.exit_code == 0, written.output
    assert "extracted 5 article(s) into 1 shard(s)" in written.stdout
    loaded = runner.invoke(main, ["--store", str(store), "load", str(folder)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("loaded 5 article(s), 0 unchanged")
    again = runner.invoke(main, ["--store", str(store), "load", str(folder)])
    assert again.stdout.startswith("loaded 0 article(s), 5 unchanged")
    shown = runner.invoke(main, ["extract", str(SEEDS / "001_fb14a67d0406c0de.txt")])
    assert shown.exit_code == 0 and "Sông Mã" in shown.stdout  # without --to: what would be extracted


SLOW_LOAD = """
import sys, time
import policykg.ingest as ingest
write = ingest._write
def slow(*args):
    write(*args)
    time.sleep(0.15)
ingest._write = slow
from policykg.cli import main
sys.exit(main())
"""


def test_shards_a_killed_load_run_again_equals_ingest(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 4)  # 40 articles
    folder, path = tmp_path / "shards", tmp_path / "store"
    extract_to(folder, [corpus], size=8)
    # each batch of 2 written and marked, then a pause: the kill falls between batches or in one
    command = [sys.executable, "-c", SLOW_LOAD, "--store", str(path), "load", "--batch", "2", str(folder)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, written = time.time() + 120, 0
    while time.time() < deadline and child.poll() is None:
        time.sleep(0.1)
        if (path / "CURRENT").exists():
            try:
                written = GraphStore.open(path, read_only=True).stats()["Article"]
            except Exception:
                continue
            if written >= 6:
                break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert 6 <= written < 40, "the load did not get far enough to be interrupted"
    again = CliRunner().invoke(main, ["--store", str(path), "load", str(folder)])
    assert again.exit_code == 0, again.output
    loaded, unchanged = map(
        int, re.match(r"loaded (\d+) article\(s\), (\d+) unchanged", again.stdout).groups()
    )
    assert loaded + unchanged == 40 and unchanged >= written
    assert GraphStore.open(path).export("nquads") == _ingested(corpus).export("nquads")


def test_shards_files_are_gzipped_n_quads_and_the_index_says_where_each_article_is(tmp_path):
    extract_to(tmp_path / "shards", [SEEDS])
    index = json.loads((tmp_path / "shards" / "00000.json").read_text())
    data = gzip.decompress((tmp_path / "shards" / "00000.nq.gz").read_bytes())
    assert len(data) == sum(sum(a["bytes"]) for a in index["articles"])
    start = 0
    for article in index["articles"]:
        body, marker = article["bytes"]
        mark = data[start + body : start + body + marker].decode()
        assert "contentHash" in mark and article["hash"] in mark and mark.count("\n") == 1
        start += body + marker
    stored = service.stats(_loaded(tmp_path / "shards")[0])
    assert stored["Article"] == 5


def test_shards_summary_contribution_read_back_is_the_one_worked_out_from_the_quads(tmp_path):
    from policykg.shards import shard_items
    from policykg.store.summaries import contribution_of

    extract_to(tmp_path / "shards", [SEEDS])
    items = [item for _, item in shard_items(open_shards(tmp_path / "shards"))]
    assert len(items) == 5 and all(item.contribution is not None for item in items)
    for item in items:
        assert item.contribution == contribution_of(item.nquads), item.identifier
    assert any(item.contribution.implementations and item.contribution.totals for item in items)


@pytest.mark.parametrize("option", [["--shard-size", "3"], ["--dask", "local"]])
def test_shards_options_of_extract_to_without_to_are_refused(option):
    result = CliRunner().invoke(main, ["extract", *option, str(SEEDS)])
    assert result.exit_code == 2 and "go with --to DIR" in result.stderr


def test_shards_load_into_a_sparql_server_equals_ingest(tmp_path):
    """``load`` writes through the Store protocol: into ``oxigraph serve`` as into a folder."""
    from test_remote import OXIGRAPH, export_nquads, run, running

    if OXIGRAPH is None:
        pytest.skip("no oxigraph server binary (pip install 'oxigraph>=0.5,<0.6', in the dev extra)")
    extract_to(tmp_path / "shards", [SEEDS])
    embedded = tmp_path / "embedded"
    assert run(embedded, "ingest", "--jobs", "1", str(SEEDS)).exit_code == 0
    with running(tmp_path / "data") as server:
        loaded = run(server.url, "load", str(tmp_path / "shards"))
        assert loaded.exit_code == 0 and "loaded 5 article(s), 0 unchanged" in loaded.stdout, loaded.output
        again = run(server.url, "load", str(tmp_path / "shards"))
        assert "loaded 0 article(s), 5 unchanged" in again.stdout, again.output
        assert export_nquads(server.url) == export_nquads(embedded)


def test_shards_without_text_equal_an_ingest_without_text_and_are_redone_when_text_is_asked(tmp_path):
    folder = tmp_path / "shards"
    extract_to(folder, [SEEDS], text=False)
    store, _ = _loaded(folder)
    plain = GraphStore.memory()
    ingest_paths(plain, [SEEDS], text=False)
    assert store.export("nquads") == plain.export("nquads")
    assert json.loads((folder / MANIFEST).read_text())["text"] is False
    again = extract_to(folder, [SEEDS])  # the text asked for now: the shard is not complete
    assert (again.written, again.unchanged) == (1, 0)
    assert _loaded(folder)[0].export("nquads") == _ingested(SEEDS).export("nquads")
