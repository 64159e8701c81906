"""JSON-LD with an ``@context`` (issue 20, item 4): the export other tools read at once.

The context is built from the prefixes ``ontology/policykg.ttl`` declares (``pkg:``, ``rdfs:``,
``dcterms:``, ``skos:``, ``xsd:`` …) and the instance prefixes of :data:`policykg.vocab.PREFIXES`
(``id:``, ``article:``, ``document:``, ``vn:`` …), so keys read ``pkg:documentNumber`` and values
``{"@id": "document:05-ct-tw"}`` instead of full IRIs; ``rdf:type`` is ``@type``. The graph is
written from sorted triples one node object a line, the triples of a subject being adjacent,
so memory holds one node at a time and two exports of one store are byte-identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import BinaryIO

from policykg.errors import PolicyKGError
from policykg.resources import shipped_dir
from policykg.store.terms import BlankNode, Literal, NamedNode, Triple
from policykg.vocab import PREFIXES, RDF_NS, XSD_NS

_PREFIX = re.compile(
    r"^\s*(?:@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.|PREFIX\s+([\w.-]*):\s*<([^>]*)>)", re.M | re.I
)
_TYPE = RDF_NS + "type"
_STRING = XSD_NS + "string"


def ontology_prefixes(turtle: str) -> dict[str, str]:
    """The prefixes a Turtle document declares, in its order.

    >>> ontology_prefixes("@prefix pkg: <https://w3id.org/policykg/ontology#> .\\nPREFIX xsd: <http://x/>")
    {'pkg': 'https://w3id.org/policykg/ontology#', 'xsd': 'http://x/'}
    """
    found: dict[str, str] = {}
    for match in _PREFIX.finditer(turtle):
        name, iri = (match.group(1), match.group(2)) if match.group(2) is not None else match.group(3, 4)
        found.setdefault(name, iri)
    return found


@cache
def context() -> dict[str, str]:
    """The ``@context``: the ontology's prefixes, then the instance prefixes (``id:``, ``vn:`` …)."""
    turtle = (shipped_dir("ontology") / "policykg.ttl").read_text(encoding="utf-8")
    terms = {name: iri for name, iri in ontology_prefixes(turtle).items() if name}
    for name, iri in PREFIXES.items():
        terms.setdefault(name, iri)
    return terms


@cache
def _namespaces() -> tuple[tuple[str, str], ...]:
    """(namespace, prefix), longest namespace first, so ``vn:03638`` wins over ``place:vn/03638``."""
    return tuple(sorted(((iri, name) for name, iri in context().items()), key=lambda p: (-len(p[0]), p[1])))


def compact(iri: str) -> str:
    """``iri`` as a compact IRI of the context when a namespace fits, else as it is.

    >>> compact("https://w3id.org/policykg/id/locality/vn/03638"), compact("urn:x")
    ('vn:03638', 'urn:x')
    """
    for namespace, name in _namespaces():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and not local.startswith("//"):  # "p://x" would read as an absolute IRI
                return f"{name}:{local}"
    return iri


def _node_id(term: object) -> str:
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    raise PolicyKGError(f"JSON-LD 1.1 cannot hold a quoted triple as a subject or object: {term}")


def _value(term: object) -> object:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return {"@id": _node_id(term)}


def _node(subject: object, triples: list[Triple]) -> dict[str, object]:
    node: dict[str, object] = {"@id": _node_id(subject)}
    values: dict[str, list[object]] = {}
    for triple in triples:
        if triple.predicate.value == _TYPE and isinstance(triple.object, NamedNode):
            values.setdefault("@type", []).append(compact(triple.object.value))
        else:
            values.setdefault(compact(triple.predicate.value), []).append(_value(triple.object))
    for key, found in values.items():
        node[key] = found[0] if len(found) == 1 else found
    return node


def write_jsonld(triples: Iterable[Triple], output: BinaryIO) -> None:
    """Write ``triples`` (sorted, or at least each subject's adjacent) as a JSON-LD document
    with the context of :func:`context` and one node object per subject in a ``@graph``."""
    head = json.dumps({"@context": context()}, ensure_ascii=False, indent=1)[:-2]
    output.write(f'{head},\n "@graph": ['.encode())
    subject: object = None
    group: list[Triple] = []
    first = True

    def flush() -> None:
        nonlocal first
        line = json.dumps(_node(subject, group), ensure_ascii=False, separators=(",", ":"))
        output.write(("\n  " if first else ",\n  ").encode() + line.encode("utf-8"))
        first = False

    for triple in triples:
        if group and triple.subject != subject:
            flush()
            group = []
        subject = triple.subject
        group.append(triple)
    if group:
        flush()
    output.write(b"\n ]\n}\n")
