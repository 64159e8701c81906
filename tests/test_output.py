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


ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize("timeout", ["30", "0"])
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_output_a_whole_answer_in_a_pipe_is_streamed_unchanged(store, tmp_path, fmt, timeout):
    """To a real file descriptor, the query process writes the answer as it reads it (issue 19,
    item 10): the bytes are those of the answer rendered in memory, with or without a time limit."""
    import subprocess
    import sys

    written = tmp_path / f"out.{fmt}"
    command = [sys.executable, "-m", "policykg", "--store", str(store), "sparql", ALL_QUADS]
    with written.open("wb") as out:
        done = subprocess.run(
            [*command, "--format", fmt, "--timeout", timeout],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    in_memory = run(store, "sparql", ALL_QUADS, "--format", fmt)
    assert in_memory.exit_code == 0
    assert written.read_bytes() == in_memory.stdout_bytes
    assert len(in_memory.stdout_bytes) > 100_000  # the seed store's every quad: a real answer


def test_output_what_is_printed_before_a_streamed_answer_stays_before_it(store, tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom policykg.cli import main\nprint('header line')\n"
        f"main(['--store', {str(store)!r}, 'sparql', {ALL_QUADS!r}, '--format', 'csv'], standalone_mode=False)\n"
        "print('footer line')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "header line" and lines[1] == "g,s,p,o" and lines[-1] == "footer line"


def test_output_the_query_process_writes_a_streamed_answer_itself(store, tmp_path):
    """What the caller gets back is no copy of the answer: the child wrote it to the descriptor;
    a buffer with no descriptor (a notebook's, a test's) gets the text instead."""
    from policykg import service

    prepared = service.ad_hoc(ALL_QUADS)
    with (tmp_path / "out.csv").open("wb") as out:
        streamed = service.render(store, prepared, "csv", timeout=30, stream_to=out)
        assert streamed.text == "" and (tmp_path / "out.csv").stat().st_size > 100_000
    buffered = service.render(store, prepared, "csv", timeout=30, stream_to=io.BytesIO())
    assert buffered.text.encode("utf-8") == (tmp_path / "out.csv").read_bytes()
    limited = service.render(store, prepared, "csv", limit=3, timeout=30, stream_to=out)
    assert len(limited.text.splitlines()) == 4  # a page of an answer is rendered, not streamed
