from pathlib import Path

import rdflib

from policykg.vocab import CLASSES, PKG, PKG_NS, PROPERTIES

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "policykg.ttl"


def test_vocab_terms_match_the_ontology():
    graph = rdflib.Graph().parse(ONTOLOGY)
    declared = {str(s)[len(PKG_NS) :] for s in graph.subjects() if str(s).startswith(PKG_NS)}
    assert declared == set(CLASSES) | set(PROPERTIES)


def test_vocab_misspelt_term_fails():
    import pytest

    with pytest.raises(AttributeError):
        _ = PKG.Directiv
