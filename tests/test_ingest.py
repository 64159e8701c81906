"""Ingest at the edges: interrupted runs, incremental runs, removal, parallel workers."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import SEEDS, rows

from policykg.ingest import MAX_BODY_CHARS, ingest_paths, remove_articles
from policykg.store import GraphStore


def _corpus(folder, copies: int):
    folder.mkdir()
    for i in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{seed.stem}_{i:03d}.txt")
    return folder


def _article_graphs(store: GraphStore) -> dict[str, int]:
    found = rows(
        store,
        "SELECT ?id (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g pkg:contentHash ?h ; dcterms:identifier ?id . ?s ?p ?o } } GROUP BY ?id",
    )
    return {r["id"]: int(r["n"]) for r in found}


def test_ingest_killed_mid_run_keeps_only_complete_articles_and_a_rerun_finishes(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 24)  # 120 articles, several batches
    path = tmp_path / "store"
    command = [
        sys.executable,
        "-m",
        "policykg.cli",
        "--store",
        str(path),
        "ingest",
        "--batch",
        "16",
        str(corpus),
    ]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    written = 0
    while time.time() < deadline and child.poll() is None:
        time.sleep(0.2)
        if (path / "CURRENT").exists():
            try:
                written = len(_article_graphs(GraphStore.open(path, read_only=True)))
            except Exception:
                continue
            if written >= 32:
                break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert written >= 32, "the ingest did not get far enough to be interrupted"

    reference = GraphStore.memory()
    ingest_paths(reference, [SEEDS])
    expected = {k.split(".")[0]: v for k, v in _article_graphs(reference).items()}
    killed = GraphStore.open(path)
    survived = _article_graphs(killed)
    assert 32 <= len(survived) < 120
    for identifier, quads in survived.items():  # every article marked as stored is whole
        assert quads == expected[identifier.rsplit("_", 1)[0]], identifier
    unmarked = _graph_sizes(killed).keys() - {_iri(i) for i in survived}
    del killed

    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert f"{len(survived)} unchanged" in again.stdout
    finished = GraphStore.open(path)
    assert len(_article_graphs(finished)) == 120
    assert len(_graph_sizes(finished)) == 120  # what the kill left unmarked was redone whole
    assert unmarked <= _graph_sizes(finished).keys()


def _iri(identifier: str) -> str:
    from policykg.iri import article_iri

    return article_iri(identifier)


def _graph_sizes(store: GraphStore) -> dict[str, int]:
    """Quads per article graph, marked as stored or not."""
    found = rows(
        store,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), STR(article:))) } GROUP BY ?g",
    )
    return {r["g"]: int(r["n"]) for r in found}


def test_ingest_redoes_articles_an_interrupted_run_left_unmarked(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    ingest_paths(store, [SEEDS])
    reference = store.quads()
    first, second = sorted(_graph_sizes(store))[:2]
    # as a kill between the bulk load and the markers leaves them: one whole graph without its
    # marker, one graph with only part of its quads
    store.update(f"DELETE WHERE {{ GRAPH <{first}> {{ <{first}> pkg:contentHash ?h }} }}")
    store.update(f"DELETE WHERE {{ GRAPH <{second}> {{ ?m a pkg:Mention ; ?p ?o }} }}")
    store.update(f"DELETE WHERE {{ GRAPH <{second}> {{ <{second}> pkg:contentHash ?h }} }}")

    report = ingest_paths(store, [SEEDS])
    assert (report.recovered, report.articles, report.unchanged) == (2, 2, 3)
    assert store.quads() == reference


def test_ingest_adding_files_processes_only_the_new_ones(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 2)
    store = GraphStore.memory()
    assert ingest_paths(store, [corpus]).articles == 10
    shutil.copy(SEEDS / "000_b173f7f789c49a6a.txt", corpus / "new.txt")
    report = ingest_paths(store, [corpus])
    assert (report.articles, report.unchanged) == (1, 10)


def test_ingest_parallel_jobs_give_the_same_store(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 2)
    serial, parallel = GraphStore.memory(), GraphStore.memory()
    ingest_paths(serial, [corpus])
    ingest_paths(parallel, [corpus], jobs=2)
    assert serial.quads() == parallel.quads()


def test_ingest_remove_drops_what_only_the_article_supported(tmp_path):
    store = GraphStore.memory()
    ingest_paths(store, [SEEDS])
    labels = "SELECT DISTINCT ?l WHERE { ?x rdfs:label ?l . FILTER(?l IN ('Mường Chiên', 'Sơn La', 'Quỳnh Nhai')) }"
    assert {r["l"] for r in rows(store, labels)} == {"Mường Chiên", "Sơn La", "Quỳnh Nhai"}
    removed, missing = remove_articles(store, ["002_d36d69e27c34a1df.txt", "nope.txt"])
    assert removed == ["002_d36d69e27c34a1df.txt"] and missing == ["nope.txt"]
    assert {r["l"] for r in rows(store, labels)} == {
        "Sơn La"
    }  # still named by article 001; Mường Chiên and Quỳnh Nhai are gone
    reference = GraphStore.memory()
    ingest_paths(reference, [p for p in SEEDS.glob("*.txt") if not p.name.startswith("002")])
    assert store.quads() == reference.quads()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_ingest_writes_the_same_store_through_the_bulk_loader_and_a_transaction(tmp_path, monkeypatch):
    bulk = GraphStore.open(tmp_path / "bulk")
    ingest_paths(bulk, [SEEDS])
    monkeypatch.setattr("policykg.store.oxigraph.BULK_LIMIT", 0)  # every batch is over the limit
    transactional = GraphStore.open(tmp_path / "transactional")
    ingest_paths(transactional, [SEEDS])
    assert bulk.quads() == transactional.quads()
    assert len(_article_graphs(bulk)) == 5


def test_ingest_keeps_same_named_villages_of_different_communes_apart(tmp_path):
    village = "Ở thôn Tân Tiến, nhân dân đã hiến 2.000 m2 đất làm đường."
    texts = {
        "a.txt": f"Đảng bộ xã Tà Mung, huyện Than Uyên thực hiện tốt Chỉ thị 05-CT/TW. {village}",
        "b.txt": f"Đảng bộ xã Hạnh Sơn, thị xã Nghĩa Lộ thực hiện tốt Chỉ thị 05-CT/TW. {village}",
        "c.txt": f"Xã Tà Mung, huyện Than Uyên học tập và làm theo Bác. {village}",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = GraphStore.memory()
    ingest_paths(store, [tmp_path])
    villages = rows(
        store,
        "SELECT ?v (COUNT(DISTINCT ?a) AS ?articles) (SAMPLE(?l) AS ?commune) WHERE {"
        " ?v rdfs:label 'Tân Tiến' ; pkg:partOf ?c ; pkg:mentionedIn ?a . ?c rdfs:label ?l } GROUP BY ?v",
    )
    assert sorted((r["commune"], r["articles"]) for r in villages) == [("Hạnh Sơn", "1"), ("Tà Mung", "2")]


def test_ingest_keeps_quotes_backslashes_and_tabs_of_a_sentence_exactly(tmp_path):
    sentence = 'Đảng bộ xã Tà Mung thực hiện "nghiêm túc" Chỉ thị 05-CT/TW\t(mục 2\\3).'
    (tmp_path / "quoted.txt").write_text(f"Tin địa phương\n\n{sentence}\n", encoding="utf-8")
    store = GraphStore.memory()
    ingest_paths(store, [tmp_path])
    found = rows(store, "SELECT DISTINCT ?s WHERE { ?m pkg:sentence ?s }")
    assert [r["s"] for r in found] == [sentence]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {"url": "http://x.vn/bài viết"},
            '"url" is not a valid IRI',
        ),  # NamedNode raised in the middle of a run
        (
            {"text": "Đảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW.\ud800"},
            '"text" holds an unpaired surrogate',
        ),
        ({"date": "2022-13-45"}, '"date" is not a date'),  # stored as an invalid xsd:date
    ],
)
def test_ingest_record_the_store_cannot_hold_is_skipped_and_the_run_goes_on(tmp_path, record, reason):
    good = {"id": "a", "text": (SEEDS / "002_d36d69e27c34a1df.txt").read_text(encoding="utf-8")}
    bad = {"id": "b", "text": "Đảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW.", **record}
    path = tmp_path / "c.jsonl"
    path.write_text(f"{json.dumps(bad)}\n{json.dumps(good)}\n", encoding="utf-8")
    report = ingest_paths(GraphStore.memory(), [path])
    assert report.articles == 1 and not report.errors
    ((where, why),) = report.skipped
    assert where == f"{path}:1" and why.startswith(reason)


@pytest.mark.parametrize(("name", "where"), [("long.jsonl", "skipped"), ("long.txt", "skipped")])
def test_ingest_article_longer_than_the_extractor_takes_is_refused_not_fatal(tmp_path, name, where):
    text = "Tin địa phương\n\n" + "Đảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW. " * (MAX_BODY_CHARS // 40)
    if name.endswith(".jsonl"):
        (tmp_path / name).write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    else:
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copy(SEEDS / "002_d36d69e27c34a1df.txt", tmp_path / "short.txt")
    report = ingest_paths(GraphStore.memory(), [tmp_path])
    assert report.articles == 1
    ((place, why),) = getattr(report, where)
    assert place == str(tmp_path / name) + (":1" if name.endswith(".jsonl") else "")
    assert f"more than the {MAX_BODY_CHARS:,} the extractor takes" in why


def test_ingest_an_article_the_extractor_fails_on_is_skipped_and_the_rest_stored(tmp_path, monkeypatch):
    """Fault injection: the extractor raising on one article (a bug) reports it and goes on."""
    import policykg.ingest as ingest_module

    real = ingest_module.record_of

    def failing_on_one(article):
        if article.identifier == "001_fb14a67d0406c0de.txt":
            raise ValueError("no tokens between 1982 and 1996")
        return real(article)

    monkeypatch.setattr(ingest_module, "record_of", failing_on_one)
    store = GraphStore.memory()
    report = ingest_paths(store, [SEEDS])
    assert report.articles == 4
    assert [why for _, why in report.skipped] == [
        "001_fb14a67d0406c0de.txt: the extractor failed on it (ValueError: no tokens between 1982 and 1996);"
        " please report it"
    ]
    monkeypatch.setattr(ingest_module, "record_of", real)
    assert ingest_paths(store, [SEEDS]).articles == 1  # the next run picks it up


@pytest.mark.parametrize("keep", [True, False], ids=["text", "no-text"])
def test_ingest_keeps_the_article_text_unless_told_not_to(tmp_path, keep):
    """Issue 20, item 5: the normalised text is on the article node, and every offset counts into it."""
    from policykg.inputs import clean, read

    store = GraphStore.memory()
    ingest_paths(store, [SEEDS], text=keep)
    found = rows(
        store,
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?a ?text WHERE { ?a a pkg:Article "
        "OPTIONAL { ?a pkg:text ?text } }",
    )
    assert len(found) == 5
    if not keep:
        assert all(r["text"] is None for r in found)
        return
    for row in found:
        name = row["a"].rsplit("/", 1)[-1]
        (raw,) = read(SEEDS / name)
        assert row["text"] == clean(raw).text
    for r in rows(
        store,
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?text ?sentence ?start ?end WHERE { ?m pkg:sentence ?sentence ; pkg:startOffset ?start ; "
        "pkg:endOffset ?end ; prov:wasDerivedFrom ?a . ?a pkg:text ?text }",
    ):
        span = r["text"][int(r["start"]) : int(r["end"])]
        assert span.strip() and span.strip() in r["sentence"]


def test_ingest_a_remove_killed_mid_way_then_run_again_equals_a_clean_store(tmp_path):
    """Issue 19, item 2: a `remove` killed with SIGKILL leaves whole articles (each goes in one
    transaction) and no orphans; running the same command again finishes the job, and the store
    equals a clean ingest of the articles kept, quad for quad."""
    texts = sorted((SEEDS.parent / "tests" / "dev" / "texts").glob("*.txt"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for text in texts:
        shutil.copy(text, corpus / text.name)
    path = tmp_path / "store"
    cli = [sys.executable, "-m", "policykg.cli", "--store", str(path)]
    subprocess.run([*cli, "ingest", "--jobs", "1", str(corpus)], check=True, capture_output=True)
    gone, kept = [t.name for t in texts[:20]], texts[20:]
    child = subprocess.Popen([*cli, "remove", *gone], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and child.poll() is None:
        time.sleep(0.05)
        try:
            if len(_article_graphs(GraphStore.open(path, read_only=True))) < len(texts):
                break  # some removals are done: kill it among the rest
        except Exception:
            continue
    child.send_signal(signal.SIGKILL)
    child.wait()
    again = subprocess.run([*cli, "remove", *gone], capture_output=True, text=True)
    assert again.returncode in (0, 1) and "Traceback" not in again.stderr, again.stderr
    reference = tmp_path / "reference"
    (tmp_path / "kept").mkdir()
    for text in kept:
        shutil.copy(text, tmp_path / "kept" / text.name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "policykg.cli",
            "--store",
            str(reference),
            "ingest",
            "--jobs",
            "1",
            str(tmp_path / "kept"),
        ],
        check=True,
        capture_output=True,
    )

    def export(store):
        done = subprocess.run(
            [sys.executable, "-m", "policykg.cli", "--store", str(store), "export", "--format", "nquads"],
            check=True,
            capture_output=True,
        )
        return done.stdout

    assert export(path) == export(reference)
