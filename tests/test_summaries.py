"""The summary graph (issue 17): saved queries read answers kept at ingest time, and those
answers are the ones the article graphs give.

``tests/data/article-graph-queries/`` holds each rewritten saved query as it was before the
summary graph: computed from every article graph and reified statement at query time. On a
store of the seeds and the 28 real dev articles, with each query's example and with values
the store names most often, both versions must give the same rows. The summaries must also
survive removal and replacement (``tests/test_invariants.py`` checks the store quad for quad
against a clean ingest) and equal a rebuild from nothing.
"""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from conftest import ROOT, SEEDS, rows

from policykg.ingest import ingest_paths, remove_articles
from policykg.query.saved import get, parse
from policykg.store import GraphStore, NamedNode
from policykg.store.summaries import SUMMARY_GRAPH_IRI

REFERENCE = ROOT / "tests" / "data" / "article-graph-queries"
DEV = ROOT / "tests" / "dev" / "texts"
FREQUENT = {
    "document": "SELECT ?v WHERE { ?d pkg:documentNumber ?v ; pkg:mentionedIn ?a } GROUP BY ?v ORDER BY DESC(COUNT(?a)) ?v LIMIT 3",
    "org": "SELECT ?v WHERE { ?o a pkg:PartyOrg ; rdfs:label ?v ; pkg:implements ?d } GROUP BY ?v ORDER BY DESC(COUNT(?d)) ?v LIMIT 3",
    "locality": "SELECT ?v WHERE { ?l a pkg:Locality ; rdfs:label ?v ; pkg:mentionedIn ?a } GROUP BY ?v ORDER BY DESC(COUNT(?a)) ?v LIMIT 3",
}


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory) -> GraphStore:
    folder = tmp_path_factory.mktemp("dev-and-seeds")
    for text in [*SEEDS.glob("*.txt"), *DEV.glob("*.txt")]:
        shutil.copy(text, folder / text.name)
    store = GraphStore.memory()
    ingest_paths(store, [folder])
    return store


def _normalised(found: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """Rows as sorted tuples; a GROUP_CONCAT column's parts sorted (its order is unspecified)."""
    return sorted(
        tuple("; ".join(sorted((value or "").split("; "))) for value in row.values()) for row in found
    )


def _param_sets(store: GraphStore, name: str) -> list[dict[str, list[str]]]:
    saved = get(name)
    sets = [{p.name: [p.example] for p in saved.params if p.required}]
    sets.append({p.name: [p.example] for p in saved.params})
    for param in saved.params:
        if param.kind in FREQUENT:
            for row in rows(store, FREQUENT[param.kind]):
                sets.append({**sets[0], param.name: [row["v"]]})
    return sets


@pytest.mark.parametrize("path", sorted(REFERENCE.glob("*.rq")), ids=lambda p: p.stem)
def test_summaries_saved_queries_give_the_rows_the_article_graphs_give(dev_store, path):
    saved = get(path.stem)
    reference = parse(path.read_text(encoding="utf-8"), path.stem, str(path))
    answered = 0
    for params in _param_sets(dev_store, path.stem):
        ours = rows(dev_store, saved.prepare(params))
        theirs = rows(dev_store, reference.prepare(params))
        assert _normalised(ours) == _normalised(theirs), f"{path.stem} {params}"
        answered += bool(ours)
    assert answered, f"{path.stem}: no parameters gave rows, so nothing was compared"


def _summary(store: GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads() if q.graph_name == ox.NamedNode(SUMMARY_GRAPH_IRI))


def test_summaries_kept_at_ingest_equal_a_rebuild_from_nothing(dev_store):
    kept = _summary(dev_store)
    assert len(kept) > 500
    dev_store.rebuild_summaries()
    assert _summary(dev_store) == kept


def test_summaries_follow_a_removed_article(tmp_path):
    """Removing the only article that says an organisation implements 05-CT/TW takes it out of
    the headline answer; the other articles' counts stay."""
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, tmp_path / seed.name)
    store = GraphStore.memory()
    ingest_paths(store, [tmp_path])
    headline = get("localities-implementing").prepare({"document": ["05-CT/TW"]})
    before = rows(store, headline)
    counts = f"SELECT ?e ?n WHERE {{ GRAPH <{SUMMARY_GRAPH_IRI}> {{ ?e pkg:articleCount ?n }} }}"
    assert any("Hạnh Sơn" in row["locality"] for row in before)
    hanh_son = next(p.name for p in SEEDS.glob("*.txt") if "Hạnh Sơn" in p.read_text(encoding="utf-8"))
    assert remove_articles(store, [hanh_son]) == ([hanh_son], [])
    after = rows(store, headline)
    assert after and not any("Hạnh Sơn" in row["locality"] for row in after)
    assert _normalised(after) == _normalised(
        rows(
            store,
            parse((REFERENCE / "localities-implementing.rq").read_text(), "ref").prepare(
                {"document": ["05-CT/TW"]}
            ),
        )
    )
    clean = GraphStore.memory()
    (tmp_path / hanh_son).unlink()
    ingest_paths(clean, [tmp_path])
    assert rows(store, counts) and sorted(map(str, rows(store, counts))) == sorted(
        map(str, rows(clean, counts))
    )


def test_summaries_a_store_of_the_layout_before_is_brought_up_to_date(tmp_path):
    """A store written before the summary graph (layout 2) is refused for reading with the next
    step, and gains its summaries when opened for writing."""
    from click.testing import CliRunner

    from policykg.cli import main
    from policykg.store.oxigraph import MANIFEST, STORE_FORMAT

    folder = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(folder), "ingest", str(SEEDS)]).exit_code == 0
    with GraphStore.open(folder) as store:
        expected = _summary(store)
        store._store.update(f"DROP GRAPH <{SUMMARY_GRAPH_IRI}>")
        assert _summary(store) == []
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    (folder / MANIFEST).write_text(json.dumps({**manifest, "store_format": 2}), encoding="utf-8")

    refused = runner.invoke(
        main,
        ["--store", str(folder), "query", "run", "localities-implementing", "-p", "document", "05-CT/TW"],
    )
    assert (
        refused.exit_code == 1
        and "without the summaries" in refused.output
        and "Traceback" not in refused.output
    )

    upgraded = runner.invoke(main, ["--store", str(folder), "ingest", str(SEEDS)])
    assert upgraded.exit_code == 0, upgraded.output
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["store_format"] == STORE_FORMAT
    with GraphStore.open(folder, read_only=True) as store:
        assert _summary(store) == expected


def test_summaries_a_user_update_keeps_them_true():
    """``policykg update`` changes the article graphs; the summaries follow in the same
    transaction (the update may end with the ``;`` the grammar allows)."""
    store = GraphStore.memory()
    ingest_paths(store, [SEEDS])
    document = NamedNode("https://w3id.org/policykg/id/document/05-ct-tw")
    count = "SELECT ?d ?n WHERE { ?d pkg:articleCount ?n }"
    before = int(rows(store, count, d=document)[0]["n"])
    graphs = sorted(
        r["g"] for r in rows(store, "SELECT ?d ?g WHERE { GRAPH ?g { ?d pkg:mentionedIn ?g } }", d=document)
    )
    assert len(graphs) == before > 1
    store.update(f"DELETE WHERE {{ GRAPH <{graphs[0]}> {{ {document} pkg:mentionedIn ?a }} }} ; # gone")
    assert int(rows(store, count, d=document)[0]["n"]) == before - 1


def _dated_records(folder, dates: dict[str, str]) -> None:
    """The same three real sentences in articles of the given dates, as JSON Lines."""
    texts = {
        "a": "Đảng bộ xã Hạnh Sơn triển khai thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị, xây dựng 20 mô hình.",
        "b": "Năm 2022, Ban Thường vụ Huyện ủy Sông Mã đã đăng ký các mô hình tiêu biểu trong thực hiện Chỉ thị 05-CT/TW.",
        "c": "Đảng bộ xã Hạnh Sơn tiếp tục thực hiện Chỉ thị 05-CT/TW gắn với Nghị quyết Trung ương 4 (khóa XII).",
    }
    lines = [
        json.dumps(
            {"id": name, "title": f"Bài {name}", "date": date, "text": texts[name]}, ensure_ascii=False
        )
        for name, date in dates.items()
    ]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("first", "then"),
    [
        # the earliest article goes: the first date is found again among those left
        ({"a": "2020-01-05", "b": "2021-03-01", "c": "2022-07-09"}, {"b": "2021-03-01", "c": "2022-07-09"}),
        # the latest is replaced by an earlier version
        (
            {"a": "2020-01-05", "b": "2021-03-01", "c": "2022-07-09"},
            {"a": "2020-01-05", "b": "2021-03-01", "c": "2019-02-02"},
        ),
        # a dated article goes and leaves only undated ones
        ({"a": "2020-01-05", "c": ""}, {"c": ""}),
    ],
)
def test_summaries_dates_follow_removal_and_replacement(tmp_path, first, then):
    """First and last dates cannot be subtracted: after articles leave or change, the summary
    graph equals that of a clean ingest of what is left, quad for quad."""
    store = GraphStore.memory()
    (tmp_path / "before").mkdir()
    _dated_records(tmp_path / "before", first)
    ingest_paths(store, [tmp_path / "before" / "news.jsonl"])
    assert any("firstDate" in line for line in _summary(store))
    (tmp_path / "after").mkdir()
    _dated_records(tmp_path / "after", then)
    ingest_paths(store, [tmp_path / "after" / "news.jsonl"])
    remove_articles(store, sorted(set(first) - set(then)))
    clean = GraphStore.memory()
    ingest_paths(clean, [tmp_path / "after" / "news.jsonl"])
    assert _summary(store) == _summary(clean)


@pytest.mark.parametrize("text", ["", "# nothing to do", "PREFIX x: <http://example.org/>"])
def test_summaries_an_update_without_operations_changes_nothing(seed_store, text):
    """The grammar allows an update of no operation; it is no error, and the summaries stay."""
    before = _summary(seed_store)
    seed_store.update(text)
    assert _summary(seed_store) == before


def test_summaries_a_malformed_update_is_reported_on_its_own_lines(seed_store):
    from policykg.errors import QueryError

    with pytest.raises(QueryError, match=r"error at 1:17"):
        seed_store.update("INSERT DATA { <a")
