"""Article identity (issue 19, item 1): lossless, collisions refused, ``remove`` exact.

An article is identified by its path relative to the folder ingested (or its file name when
the file itself is given), or by a JSON Lines record's ``id``; its IRI percent-encodes that
identifier, so two different identifiers never share a graph.
"""

import json
import shutil

import pytest
from conftest import SEEDS
from test_cli import _identifiers, run

from policykg.iri import article_iri

SEED = SEEDS / "004_9415e674d670dc88.txt"
OTHER = SEEDS / "002_d36d69e27c34a1df.txt"


@pytest.mark.parametrize(
    "names",
    [
        ("bài viết số 1.txt", "bai-viet-so-1.txt"),
        ("Tà Mung.TXT", "ta_mung.txt"),
        ("a.b.txt", "a_b.txt", "a-b.txt"),
        ("x/a.txt", "y/a.txt"),
    ],
)
def test_identity_names_that_slug_alike_are_distinct_articles(tmp_path, names):
    corpus = tmp_path / "corpus"
    for i, name in enumerate(names):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy((SEED, OTHER)[i % 2], corpus / name)
    store = tmp_path / "store"
    result = run("ingest", str(corpus), store=store)
    assert result.exit_code == 0, result.output
    assert _identifiers(store) == sorted(names)
    assert run("ingest", str(corpus), store=store).stdout.startswith(
        f"ingested 0 article(s), {len(names)} unchanged"
    )
    removed = run("remove", names[-1], store=store)
    assert removed.stdout == f"removed {names[-1]}\n"
    assert _identifiers(store) == sorted(names[:-1])


# identifiers a slug would merge or mangle
TRICKY_IDENTIFIERS = (
    "bài viết số 1.txt",
    "bai-viet-so-1.txt",
    "a/b.txt",
    "a%2Fb.txt",
    ".",
    "..",
    "x#3",
    "Ta Mung",
    "ta mung",
)


@pytest.mark.parametrize("identifier", TRICKY_IDENTIFIERS)
def test_identity_article_iri_is_injective_and_valid(identifier):
    from policykg.store.terms import NamedNode

    others = set(TRICKY_IDENTIFIERS)
    iris = {article_iri(name) for name in others}
    assert len(iris) == len(others)
    NamedNode(article_iri(identifier))  # raises on an invalid IRI
    assert not article_iri(identifier).endswith(("/.", "/.."))


def test_identity_seed_iris_keep_their_identifier():
    assert article_iri("000_b173f7f789c49a6a.txt").endswith("/article/000_b173f7f789c49a6a.txt")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        # the same name given twice, from two folders: the second is refused, naming both
        (("a/same.txt", "b/same.txt"), "its identifier 'same.txt' is also that of"),
        # two JSON Lines files with the same explicit id
        (("one.jsonl", "two.jsonl"), "its identifier 'hanh-son' is also that of"),
    ],
)
def test_identity_collisions_in_one_run_are_refused_naming_both(tmp_path, inputs, message):
    paths = []
    for name in inputs:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".jsonl"):
            record = {"id": "hanh-son", "text": SEED.read_text(encoding="utf-8")}
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            shutil.copy(SEED, path)
        paths.append(path)
    store = tmp_path / "store"
    result = run("ingest", *map(str, paths), store=store)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0]
    assert str(paths[0]) in errors[0] and str(paths[1]) in errors[0]
    assert "Traceback" not in result.output
    assert len(_identifiers(store)) == 1


def test_identity_a_folder_and_a_file_in_it_are_one_input(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "a.txt")
    store = tmp_path / "store"
    result = run("ingest", str(corpus), str(corpus / "a.txt"), store=store)
    assert result.exit_code == 0, result.output
    assert _identifiers(store) == ["a.txt"]


def test_identity_remove_takes_the_exact_identifier(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "x").mkdir(parents=True)
    (corpus / "y").mkdir()
    shutil.copy(SEED, corpus / "x" / "a.txt")
    shutil.copy(OTHER, corpus / "y" / "a.txt")
    store = tmp_path / "store"
    run("ingest", str(corpus), store=store)
    missing = run("remove", "a.txt", store=store)
    assert missing.exit_code == 1 and "not in the store: a.txt" in missing.stderr
    assert _identifiers(store) == ["x/a.txt", "y/a.txt"]
    assert run("remove", "y/a.txt", store=store).exit_code == 0
    assert _identifiers(store) == ["x/a.txt"]


def test_identity_jsonl_without_id_is_named_by_its_relative_path_and_line(tmp_path):
    corpus = tmp_path / "corpus"
    for sub in ("2013", "2017"):
        (corpus / sub).mkdir(parents=True)
        record = {"text": SEED.read_text(encoding="utf-8")}
        (corpus / sub / "news.jsonl").write_text(
            json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    store = tmp_path / "store"
    assert run("ingest", str(corpus), store=store).exit_code == 0
    assert _identifiers(store) == ["2013/news.jsonl#1", "2017/news.jsonl#1"]
