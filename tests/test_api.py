"""The Python API (``policykg.open``) on a real on-disk store, and the README's example."""

import doctest
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

import policykg
from policykg.errors import QueryError


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    graph = policykg.open(tmp_path_factory.mktemp("api") / "store")
    assert graph.ingest(SEEDS).articles == 5
    yield graph
    graph.close()


def test_api_readme_example_runs_as_written(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- api:start -->\n```python\n(.*?)```\n<!-- api:end -->", readme, re.DOTALL)
    assert found, "README lost its Python API example"
    (tmp_path / "seeds").symlink_to(SEEDS)
    monkeypatch.chdir(tmp_path)
    test = doctest.DocTestParser().get_doctest(found.group(1), {}, "README Python API", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 5


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"document": "05-CT/TW"}, {"05-CT/TW"}),
        ({"document": ["03-CT/TW", "Chỉ thị 05"]}, {"03-CT/TW", "05-CT/TW"}),
    ],
)
def test_api_query_takes_raw_values_and_lists(kg, params, numbers):
    rows = kg.query("localities-implementing", **params)
    assert {r["number"] for r in rows} == numbers and rows.columns[0] == "locality"


def test_api_values_are_plain_python(kg):
    (row,) = kg.sparql(
        "SELECT ?n ?d ?b ?i ?none WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Article } }"
        " BIND(1.5 AS ?d) BIND(true AS ?b) BIND(<urn:x> AS ?i) OPTIONAL { ?i ?p ?none } }"
    )
    assert row == {"n": 5, "d": Decimal("1.5"), "b": True, "i": "urn:x", "none": None}


def test_api_to_pandas_has_the_columns_in_order(kg):
    pytest.importorskip("pandas")
    frame = kg.query("localities-implementing", document="05-CT/TW").to_pandas()
    assert (
        list(frame.columns) == ["locality", "type", "how", "number", "actors", "articles"] and len(frame) == 4
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda kg: kg.query("nope"), "no saved query 'nope'"),
        (lambda kg: kg.query("entities"), "needs -p type"),
        (lambda kg: kg.sparql("DELETE WHERE { ?s ?p ?o }"), "read-only"),
        (lambda kg: kg.sparql("CONSTRUCT WHERE { ?s ?p ?o }"), "use export()"),
        (lambda kg: kg.why(), "give document"),
    ],
)
def test_api_errors_are_policykg_errors(kg, call, message):
    with pytest.raises(QueryError, match=message):
        call(kg)


def test_api_read_only_beside_a_closed_writer(tmp_path):
    with policykg.open(tmp_path / "s") as writer:
        writer.ingest([SEEDS / "002_d36d69e27c34a1df.txt"])
    with policykg.open(tmp_path / "s", read_only=True) as reader:
        assert reader.stats()["Article"] == 1
    with pytest.raises(policykg.StoreError, match="no store at"):
        policykg.open(tmp_path / "missing", read_only=True)
    assert not Path(tmp_path / "missing").exists()


def test_api_exports_names_in_all():
    assert {"open", "KnowledgeGraph", "Rows", "PolicyKGError"} <= set(policykg.__all__)
    assert all(hasattr(policykg, name) for name in policykg.__all__)
