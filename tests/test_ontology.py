"""The ontology and shapes: loadable, documented, and the code's terms generated from them."""

import importlib.util
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]


def _docs():
    spec = importlib.util.spec_from_file_location("ontology_docs", ROOT / "scripts" / "ontology_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOCS = _docs()
GRAPH = DOCS.load()
CLASSES, PROPERTIES = DOCS.terms(GRAPH)


def test_ontology_generated_files_are_current():
    assert (ROOT / "src" / "policykg" / "terms.py").read_text(encoding="utf-8") == DOCS.terms_module(GRAPH), (
        "run: python scripts/ontology_docs.py"
    )
    readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    assert DOCS.updated_readme(readme, GRAPH) == readme, "run: python scripts/ontology_docs.py"


def test_ontology_has_a_version():
    assert GRAPH.value(rdflib.URIRef("https://w3id.org/policykg/ontology"), OWL.versionInfo)


@pytest.mark.parametrize("term", CLASSES + PROPERTIES, ids=lambda t: str(t).split("#")[1])
def test_ontology_every_term_is_documented(term):
    languages = {label.language for label in GRAPH.objects(term, RDFS.label)}
    assert {"vi", "en"} <= languages
    assert GRAPH.value(term, RDFS.comment) and GRAPH.value(term, SKOS.example)
    if term in PROPERTIES:
        assert GRAPH.value(term, RDFS.domain) is not None and GRAPH.value(term, RDFS.range) is not None
    else:
        assert GRAPH.value(term, RDFS.subClassOf) is not None


def test_ontology_shapes_are_valid_shacl():
    from pyshacl import validate

    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _graph, text = validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text
    targets = set(shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert set(CLASSES) <= targets | {RDF.Statement}, "every class has a shape"
