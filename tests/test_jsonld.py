"""``export --format jsonld``: JSON-LD with an @context of the ontology's prefixes (issue 20, item 4)."""

import json

import pytest
import rdflib
from rdflib.compare import isomorphic
from test_cli import run

from policykg.exports.jsonld import context, ontology_prefixes
from policykg.resources import shipped_dir


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from conftest import SEEDS

    store = tmp_path_factory.mktemp("jsonld") / "store"
    assert run("ingest", str(SEEDS), store=store).exit_code == 0
    return store


def _export(store, tmp_path, fmt, *extra):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), *extra, store=store)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("extra", [(), ("--with-ontology",)], ids=["data", "with-ontology"])
def test_jsonld_export_gives_the_triples_of_the_turtle_export(seeded, tmp_path, extra):
    jsonld = _export(seeded, tmp_path, "jsonld", *extra)
    turtle = _export(seeded, tmp_path, "turtle", *extra)
    from_jsonld = rdflib.Graph().parse(jsonld, format="json-ld")
    from_turtle = rdflib.Graph().parse(turtle, format="turtle")
    assert len(from_jsonld) == len(from_turtle) > 3000
    assert isomorphic(from_jsonld, from_turtle)
    if not extra:  # no blank nodes: the very same triples
        assert set(from_jsonld) == set(from_turtle)


def test_jsonld_export_has_the_ontology_prefixes_as_context_and_compact_keys(seeded, tmp_path):
    document = json.loads(_export(seeded, tmp_path, "jsonld").read_text(encoding="utf-8"))
    turtle = (shipped_dir("ontology") / "policykg.ttl").read_text(encoding="utf-8")
    declared = ontology_prefixes(turtle)
    assert {"pkg", "rdfs", "xsd", "dcterms", "skos"} <= set(declared)
    assert document["@context"] == context()
    assert all(document["@context"][name] == iri for name, iri in declared.items())
    (directive,) = [n for n in document["@graph"] if n["@id"] == "document:05-ct-tw"]
    assert "pkg:Directive" in directive["@type"]
    assert directive["pkg:documentNumber"] == "05-CT/TW"
    keys = {k for node in document["@graph"] for k in node}
    assert all(k.startswith("@") or (":" in k and "//" not in k) for k in keys), keys
    (place,) = [n for n in document["@graph"] if n["@id"] == "vn:03638"]
    assert place["pkg:adminCode"] == "03638"


def test_jsonld_export_is_stable(seeded, tmp_path):
    first = _export(seeded, tmp_path, "jsonld").read_bytes()
    assert run("export", "--format", "jsonld", store=seeded).stdout_bytes == first
