"""Every entity kind of ``policykg.kinds.KINDS``, end to end: declared in the ontology and the
shapes, recognised by a pipeline component, written under its IRI path, counted by ``stats``,
typed by a query parameter, drawn by ``sample`` (a body is not judged on its own, an
achievement is sampled as a result); and an unknown kind is an error, not a default."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from policykg.extract.pipeline import COMPONENTS
from policykg.ingest import ingest_paths
from policykg.iri import entity_iri
from policykg.kinds import KINDS, iri_path, kind_of
from policykg.quality.sample import ENTITY_CLASSES as SAMPLED_CLASSES
from policykg.query.params import class_iri
from policykg.store import GraphStore
from policykg.vocab import PKG_NS

ROOT = Path(__file__).resolve().parents[1]
SHAPES = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
ONTOLOGY = rdflib.Graph().parse(ROOT / "ontology" / "policykg.ttl")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def real_store() -> GraphStore:
    """The seeds and the 28 real dev articles, which between them hold every kind."""
    store = GraphStore.memory()
    report = ingest_paths(store, [ROOT / "seeds", ROOT / "tests" / "dev" / "texts"], jobs=1)
    assert report.articles == 33 and not report.errors
    return store


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.cls)
def test_kind_is_declared_and_shaped(kind):
    cls = rdflib.URIRef(PKG_NS + kind.cls)
    assert (cls, rdflib.RDF.type, rdflib.OWL.Class) in ONTOLOGY
    if kind.superclass:
        assert (cls, rdflib.RDFS.subClassOf, rdflib.URIRef(PKG_NS + kind.superclass)) in ONTOLOGY
    assert (None, SH.targetClass, cls) in SHAPES, f"no shape targets pkg:{kind.cls}"
    assert kind_of(kind.cls) is kind


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.cls)
def test_kind_is_recognised_written_and_counted(kind, real_store):
    assert kind.span_group in {c.writes for c in COMPONENTS}, f"no component writes {kind.span_group}"
    found = real_store.query(f"SELECT DISTINCT ?e WHERE {{ ?e a <{PKG_NS}{kind.cls}> }}")
    entities = [row["e"].value for row in found]
    assert entities, f"no pkg:{kind.cls} extracted from the seeds and dev articles"
    if kind.path:
        prefix = entity_iri(f"{kind.ref}:x").split("/id/")[0] + f"/id/{kind.path}/"
        assert iri_path(kind.ref) == kind.path
        assert [e for e in entities if not e.startswith(prefix)] == [], kind.cls
    assert real_store.stats()[kind.cls] == len(entities)
    assert class_iri(kind.cls) == PKG_NS + kind.cls
    sampled = {cls for classes in SAMPLED_CLASSES.values() for cls in classes}
    assert kind.cls in sampled or kind.superclass in sampled or kind.cls in ("Body", "Achievement")


def test_unknown_kinds_raise():
    with pytest.raises(KeyError, match="not an entity kind"):
        kind_of("Village")
    with pytest.raises(KeyError, match="unexpected entity ref group"):
        iri_path("village")
