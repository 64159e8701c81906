"""``policykg tables``: tidy CSV tables that join, described by a datapackage.json (issue 20, item 2)."""

import json

import pandas as pd
import pytest
from conftest import SEEDS
from test_cli import run


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = tmp_path_factory.mktemp("tables-store") / "store"
    assert run("ingest", str(SEEDS), store=store).exit_code == 0
    return store


@pytest.fixture(scope="module")
def folder(seeded, tmp_path_factory):
    store_dir = seeded
    out = tmp_path_factory.mktemp("tables")
    result = run("tables", "--to", str(out), store=store_dir)
    assert result.exit_code == 0, result.output
    return out


def test_tables_join_on_iris_and_keys_are_unique(folder):
    t = {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLE_NAMES}
    for name, key in (
        ("articles", "article_id"),
        ("documents", "document_id"),
        ("organisations", "organisation_id"),
        ("places", "place_id"),
        ("achievements", "achievement_id"),
    ):
        assert t[name][key].is_unique and (t[name][key] != "").all(), name
    impl = t["implementations"]
    assert set(impl["document_id"]) <= set(t["documents"]["document_id"])
    assert set(impl["article_id"]) <= set(t["articles"]["article_id"])
    assert set(impl["place_id"]) - {""} <= set(t["places"]["place_id"])
    assert set(t["organisations"]["place_id"]) - {""} <= set(t["places"]["place_id"])
    # the headline question from the tables alone: places that implemented 05-CT/TW directly
    direct = impl[impl["document_number"] == "05-CT/TW"].merge(t["places"], on="place_id")
    assert {"Hạnh Sơn", "Sông Mã"} <= set(direct["label"])
    assert (impl["sentence"] != "").all() and len(t["articles"]) == 5


def test_tables_counts_match_the_store(folder, seeded):
    store_dir = seeded
    impl = pd.read_csv(folder / "implementations.csv")
    statements = run(
        "sparql",
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g "
        "{ ?s rdf:predicate <https://w3id.org/policykg/ontology#implements> } }",
        "--format",
        "csv",
        store=store_dir,
    ).output.splitlines()[1]
    assert len(impl) == int(statements)
    ach = pd.read_csv(folder / "achievements.csv")
    assert ach["quantity"].dtype.kind in "fi" and (ach["sentence"].str.len() > 0).all()


def test_tables_datapackage_describes_every_column(folder):
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        header = (folder / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["description"] for f in resource["schema"]["fields"])
        for key in resource["schema"].get("foreignKeys", []):
            assert key["reference"]["resource"] in {r["name"] for r in package["resources"]}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_export_loads_in_networkx_with_weights(seeded, tmp_path, fmt):
    """Issue 20, item 3: the entity network for networkx and Gephi, edges weighted by articles."""
    import networkx as nx

    out = tmp_path / f"graph.{fmt}"
    assert run("export", "--format", fmt, "-o", str(out), store=seeded).exit_code == 0
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    ta_mung = "https://w3id.org/policykg/id/org/dang-bo-xa-ta-mung/in/vn-03638"
    kl01 = "https://w3id.org/policykg/id/document/01-kl-tw"
    assert graph.is_directed() and graph.has_edge(ta_mung, kl01)
    edge = graph.edges[ta_mung, kl01]
    assert edge["relation"] == "implements" and int(edge["weight"]) == 1
    assert graph.nodes[kl01]["label"] == "Kết luận 01-KL/TW" and graph.nodes[kl01]["class"] == "Conclusion"
    places = [n for n, d in graph.nodes(data=True) if d["class"] == "Locality"]
    assert any(
        graph.has_edge(a, b) and graph.edges[a, b]["relation"] == "partOf" for a in places for b in places
    )


@pytest.fixture(scope="module")
def parquet_folder(seeded, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    result = run("tables", "--to", str(out), "--format", "parquet", store=seeded)
    assert result.exit_code == 0, result.output
    return out


TABLE_NAMES = [
    "articles",
    "documents",
    "organisations",
    "places",
    "people",
    "achievements",
    "implementations",
]


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_tables_parquet_equals_the_csv_table_with_the_declared_types(parquet_folder, folder, name):
    """Issue 20, item 2: the Parquet tables hold the CSV tables' rows, typed as the data package says."""
    from policykg.exports.tables import typed

    package = json.loads((parquet_folder / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == name]
    assert resource["path"] == f"{name}.parquet" and resource["format"] == "parquet"
    fields = resource["schema"]["fields"]
    frame = pd.read_parquet(parquet_folder / resource["path"])
    text = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(text.columns) == [f["name"] for f in fields]
    assert len(frame) == len(text)
    kinds = {"string": "O", "integer": "i", "number": "f", "boolean": "b"}
    for f in fields:
        column = frame[f["name"]]
        if f["type"] in kinds and column.notna().all():
            assert column.dtype.kind == kinds[f["type"]] or str(column.dtype) in ("str", "string"), f["name"]
        expected = [typed(f["type"], v) for v in text[f["name"]]]
        got = [None if pd.isna(v) else v for v in column]
        assert got == expected, f["name"]


def test_tables_parquet_joins_hold(parquet_folder):
    t = {name: pd.read_parquet(parquet_folder / f"{name}.parquet") for name in TABLE_NAMES}
    impl = t["implementations"]
    assert set(impl["document_id"]) <= set(t["documents"]["document_id"])
    assert set(impl["article_id"]) <= set(t["articles"]["article_id"])
    direct = impl[impl["document_number"] == "05-CT/TW"].merge(t["places"], on="place_id")
    assert {"Hạnh Sơn", "Sông Mã"} <= set(direct["label"])
    assert t["achievements"]["quantity"].dtype.kind == "f"
    assert t["articles"]["date"].notna().any()


def test_tables_parquet_without_pyarrow_is_one_line(seeded, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    result = run("tables", "--to", str(tmp_path / "t"), "--format", "parquet", store=seeded)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --format parquet needs pyarrow: pip install 'policykg[parquet]' (or use --format csv)"
    ]
    assert not (tmp_path / "t").exists()
