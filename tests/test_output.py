"""Query results through the standard serialisers (issue 15, item 7), on a real store."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from policykg.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("output") / "store"
    assert CliRunner().invoke(main, ["--store", str(path), "ingest", str(SEEDS)]).exit_code == 0
    return path


def run(store, *args):
    return CliRunner().invoke(main, ["--store", str(store), *args])


ASK = "ASK { ?d pkg:documentNumber '05-CT/TW' }"
BLANK = "SELECT ?b ?n WHERE { VALUES ?n { 1 2 3 } BIND(BNODE() AS ?b) }"


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda out: json.loads(out) == {"head": {}, "boolean": True}),
        ("xml", lambda out: "<boolean>true</boolean>" in out and "sparql-results" in out),
        ("table", lambda out: out == "true\n"),
    ],
)
def test_output_ask_in_w3c_formats(store, fmt, check):
    result = run(store, "sparql", ASK, "--format", fmt)
    assert result.exit_code == 0 and check(result.stdout), result.output


@pytest.mark.parametrize("limit", [[], ["--limit", "2"]])
def test_output_blank_nodes_are_kept_with_and_without_limit(store, limit):
    result = run(store, "sparql", BLANK, "--format", "json", *limit)
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert len(bindings) == (2 if limit else 3)
    assert all(b["b"]["type"] == "bnode" for b in bindings)
    assert all(b["n"]["datatype"].endswith("#integer") for b in bindings)


@pytest.mark.parametrize("limit", [[], ["--limit", "1"]])
def test_output_xml_results_for_select(store, limit):
    result = run(
        store, "sparql", "SELECT ?n WHERE { ?d pkg:documentNumber ?n } ORDER BY ?n", "--format", "xml", *limit
    )
    assert (
        result.exit_code == 0 and result.stdout.count("<result>") == (1 if limit else 8)
    ) or "<result>" in result.stdout


def test_output_default_in_a_pipe_is_csv_that_reads_as_plain_values(store):
    result = run(store, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Article }")
    assert list(csv.reader(io.StringIO(result.stdout))) == [["n"], ["5"]]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own parsers
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "n3"])
def test_output_construct_in_every_rdf_format(store, fmt):
    import rdflib

    query = "CONSTRUCT { ?d pkg:documentNumber ?n } WHERE { ?d pkg:documentNumber ?n }"
    result = run(store, "sparql", query, "--format", fmt)
    assert result.exit_code == 0, result.output
    parsed = rdflib.Dataset().parse(
        data=result.stdout, format={"rdfxml": "xml", "ntriples": "nt", "jsonld": "json-ld"}.get(fmt, fmt)
    )
    assert len(parsed) == len(run(store, "sparql", query, "--format", "ntriples").stdout.splitlines())


def test_output_construct_defaults_to_turtle(store):
    result = run(store, "sparql", "CONSTRUCT { ?d pkg:documentNumber ?n } WHERE { ?d pkg:documentNumber ?n }")
    assert result.exit_code == 0 and "@prefix" in result.stdout


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "turtle", "--format turtle is for CONSTRUCT and DESCRIBE"),
        (ASK, "ntriples", "--format ntriples is for CONSTRUCT and DESCRIBE; a ASK result"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "--format csv is for SELECT and ASK"),
        ("DESCRIBE <urn:x>", "table", "--format table is for SELECT and ASK"),
    ],
)
def test_output_a_format_that_does_not_fit_is_a_one_line_error(store, query, fmt, message):
    result = run(store, "sparql", query, "--format", fmt)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
