import pytest
from conftest import rows

from policykg.errors import QueryError
from policykg.queries import get, registry


def test_queries_registry_has_the_first_three():
    assert {"localities-implementing", "documents-implemented-by", "entities"} <= set(registry())


@pytest.mark.parametrize("name", sorted(registry()))
def test_queries_every_saved_query_runs_its_example(seed_store, name):
    saved = get(name)
    assert saved.summary
    params = {p.name: p.example for p in saved.params}
    assert all(params.values()), f"{name}: every parameter needs an example"
    found = rows(seed_store, saved.sparql, **saved.bindings(params))
    assert found, f"{name} returned no rows for its example"


def test_queries_params_are_bound_not_pasted(seed_store):
    saved = get("documents-implemented-by")
    injection = 'x" } ?s ?p ?o { "'
    assert rows(seed_store, saved.sparql, **saved.bindings({"locality": injection})) == []


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
        get(name).bindings(params)
