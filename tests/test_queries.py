import shutil

import pytest
from conftest import SEEDS, rows

from policykg.errors import QueryError
from policykg.ingest import ingest_paths
from policykg.query.saved import get, registry
from policykg.store import GraphStore


@pytest.fixture(scope="module")
def twice_store(tmp_path_factory) -> GraphStore:
    """The seeds twice under two names, so every fact is in two graphs; and one article more."""
    folder = tmp_path_factory.mktemp("twice")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
        shutil.copy(seed, folder / f"{seed.stem}_again.txt")
    once = "Đảng bộ xã Nậm Ty, huyện Sông Mã thực hiện tốt Chỉ thị 05-CT/TW."
    (folder / "once.txt").write_text(once, encoding="utf-8")
    store = GraphStore.memory()
    ingest_paths(store, [folder])
    return store


def test_queries_registry_covers_what_researchers_ask():
    assert len(registry()) >= 15
    assert {"localities-implementing", "documents-implemented-by", "entities", "evidence"} <= set(registry())


@pytest.mark.parametrize("name", sorted(registry()))
def test_queries_every_saved_query_runs_its_example(seed_store, name):
    saved = get(name)
    assert saved.summary and saved.description and saved.tags
    params = {p.name: p.example for p in saved.params}
    assert all(params.values()), f"{name}: every parameter needs an example"
    found = rows(seed_store, saved.prepare({k: [v] for k, v in params.items()}))
    assert found, f"{name} returned no rows for its example"
    assert set(saved.sort) <= set(found[0]), f"{name}: sort names a column the query does not return"
    required = {p.name: [p.example] for p in saved.params if p.required}
    assert rows(seed_store, saved.prepare(required)), f"{name} returned no rows without its optional params"


@pytest.mark.parametrize("name", sorted(registry()))
def test_queries_return_each_row_once_when_articles_repeat_a_fact(twice_store, name):
    """The union of graphs yields a triple once per graph that holds it; no row may repeat."""
    saved = get(name)
    found = rows(twice_store, saved.prepare({p.name: [p.example] for p in saved.params}))
    keys = [tuple(row.values()) for row in found]
    assert found and len(keys) == len(set(keys))


@pytest.mark.parametrize("name", sorted(registry()))
def test_queries_every_saved_query_is_plain_sparql_for_other_tools(name):
    """The file minus its header parses in rdflib too: no Oxigraph-only syntax, own PREFIX lines."""
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(get(name).sparql)


def test_queries_repeated_parameter_gives_a_list(seed_store):
    saved = get("localities-implementing")
    one = {r["number"] for r in rows(seed_store, saved.prepare({"document": ["05-CT/TW"]}))}
    both = {r["number"] for r in rows(seed_store, saved.prepare({"document": ["03-CT/TW", "Chỉ thị 05"]}))}
    assert one == {"05-CT/TW"} and both == {"03-CT/TW", "05-CT/TW"}


def test_queries_params_are_bound_not_pasted(seed_store):
    saved = get("documents-implemented-by")
    injection = 'x" } ?s ?p ?o { "'
    assert rows(seed_store, saved.prepare({"locality": [injection]})) == []


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("nope", {}, "no saved query 'nope'"),
        ("entities", {}, "needs -p type"),
        ("entities", {"type": "Locality", "colour": "red"}, "has no parameter 'colour'"),
        ("entities", {"type": "Spaceship"}, "unknown type"),
        ("localities-implementing", {"document": "hello world"}, "cannot read"),
    ],
)
def test_queries_bad_names_and_params_say_what_to_do(name, params, message):
    with pytest.raises(QueryError, match=message):
        get(name).prepare({k: [v] for k, v in params.items()})


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own Dataset internals
def test_query_show_sparql_prints_a_query_that_runs_unchanged_in_rdflib(seed_store, tmp_path):
    """Issue 20, item 4: the printed query, parameters bound, gives rdflib the same rows."""
    import rdflib
    from click.testing import CliRunner

    from policykg.cli import main

    printed = CliRunner().invoke(
        main, ["query", "show", "localities-implementing", "--sparql", "-p", "document", "Chỉ thị 05"]
    )
    assert printed.exit_code == 0 and "VALUES ?document" in printed.output
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=seed_store.export("nquads"), format="nquads")
    rows = {(str(r.locality), str(r.how)) for r in dataset.query(printed.output)}
    assert {("Hạnh Sơn", "directly"), ("Sông Mã", "directly"), ("Tà Mung", "through 01-KL/TW")} <= rows
