"""The one SPARQL lexer: the read-only guard and parameter binding see the same syntax."""

import pytest
from conftest import rows

from policykg.errors import QueryError
from policykg.query.guard import check_read_only
from policykg.query.lexer import mask, uses_variable, where_groups
from policykg.query.saved import internal, internal_names, parse, registry

HEADER = "#+ summary: test\n#+ params:\n#+   - name: year\n#+     kind: year\n"


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT ?x WHERE { ?x ?p "a } WHERE { b" . }',
        "SELECT ?x WHERE { ?x ?p 'WHERE {' . }",
        'SELECT ?x WHERE { ?x ?p """multi\n} line { WHERE {""" . }',
        "SELECT ?x WHERE { # a } comment WHERE {\n ?x ?p ?o . }",
        "# WHERE { in a leading comment\nSELECT ?x WHERE { ?x ?p <urn:a{b> . }",
    ],
)
def test_lexer_braces_and_where_inside_strings_and_comments_are_text(sparql):
    groups = where_groups(sparql)
    assert len(groups) == 1
    assert sparql[groups[0].open] == "{" and sparql[groups[0].end - 1] == "}"
    assert groups[0].end == len(sparql)
    assert len(mask(sparql)) == len(sparql)


@pytest.mark.parametrize(
    ("body", "bound"),
    [
        ('SELECT ?y WHERE { BIND("} WHERE {" AS ?s) ?a ?b ?year . BIND(?year AS ?y) }', 1),
        ("SELECT ?y WHERE { ?a ?b ?y . # ?year } WHERE {\n}", 0),  # only a comment names ?year
        ("SELECT ?y WHERE { ?a ?b '?year' . BIND(?y AS ?z) }", 0),  # only a string does
        ("SELECT ?y WHERE { { SELECT ?year WHERE { ?a ?b ?year } } BIND(?year AS ?y) }", 2),
    ],
)
def test_lexer_parameters_bind_in_the_real_where_groups(body, bound):
    saved = parse(HEADER + body, "t")
    prepared = saved.prepare({"year": ["2022"]})
    assert prepared.count("VALUES ?year") == bound
    for group in where_groups(prepared):
        assert prepared[group.open] == "{"
    assert prepared.replace(
        '\n  VALUES ?year { "2022"^^<http://www.w3.org/2001/XMLSchema#integer> }', ""
    ) == (saved.sparql)


def test_lexer_binding_with_a_brace_in_a_string_runs(seed_store):
    text = HEADER + (
        "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
        'SELECT ?n ?note WHERE { BIND("} WHERE { ?year" AS ?note) ?a pkg:year ?n FILTER(?n = ?year) } # }'
    )
    found = rows(seed_store, parse(text, "t").prepare({"year": ["2022"]}))
    assert found and {r["n"] for r in found} == {"2022"} and found[0]["note"] == "} WHERE { ?year"


@pytest.mark.parametrize(
    ("sparql", "ok"),
    [
        ("SELECT * WHERE { ?s ?p 'INSERT DATA {' } # DROP GRAPH", True),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", False),
        ("SELECT * WHERE { ?s ?p ?o }\n# CLEAR ALL\n", True),
    ],
)
def test_lexer_guard_sees_keywords_only_outside_strings_and_comments(sparql, ok):
    if ok:
        check_read_only(sparql)
    else:
        with pytest.raises(QueryError, match="read-only"):
            check_read_only(sparql)


@pytest.mark.parametrize(("text", "name", "found"), [("?x ?yearly $year", "year", True), ("?x", "y", False)])
def test_lexer_uses_variable_matches_whole_names(text, name, found):
    assert uses_variable(text, name) is found


@pytest.mark.parametrize("name", internal_names())
def test_lexer_internal_queries_describe_themselves_and_are_not_listed(name):
    from rdflib.plugins.sparql import prepareQuery

    saved = internal(name)
    assert saved.summary and "internal" in saved.tags and name not in registry()
    prepareQuery(saved.sparql)
    for param in saved.params:
        assert uses_variable(saved.sparql, param.name), f"{name}: ?{param.name} is declared but not used"
