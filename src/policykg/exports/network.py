"""The entity network as GraphML or GEXF, for networkx, Gephi and igraph (issue 20, item 3).

Nodes are the actors, documents, places and people (label and class as attributes); edges are
the relations the articles state (implements, locatedIn, partOf, memberOf, subOrganizationOf,
continues), directed, each weighted by the number of articles that state it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from policykg.errors import PolicyKGError
from policykg.store import Store
from policykg.store.results import text_rows

NETWORK_FORMATS = ("graphml", "gexf")


@dataclass(frozen=True)
class Network:
    nodes: list[tuple[str, str, str]]  # IRI, label, class
    edges: list[tuple[str, str, str, int]]  # source, relation, target, articles


def read_network(store: Store) -> Network:
    """The network the store's articles state."""
    from policykg.query.saved import internal

    nodes = [(r[0], r[1], r[2]) for r in text_rows(store.query(internal("network-nodes").sparql), 3)]
    known = {n[0] for n in nodes}
    edges = [
        (s, p, o, int(n))
        for s, p, o, n in text_rows(store.query(internal("network-edges").sparql), 4)
        if s in known and o in known
    ]
    return Network(nodes, edges)


def serialize(network: Network, fmt: str) -> bytes:
    """``network`` as GraphML or GEXF 1.3 (UTF-8 XML)."""
    if fmt == "graphml":
        root = _graphml(network)
    elif fmt == "gexf":
        root = _gexf(network)
    else:
        raise PolicyKGError(f"unknown network format {fmt!r}; use one of {', '.join(NETWORK_FORMATS)}")
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _graphml(network: Network) -> ET.Element:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for key, where, name, kind in (
        ("label", "node", "label", "string"),
        ("class", "node", "class", "string"),
        ("relation", "edge", "relation", "string"),
        ("weight", "edge", "weight", "int"),
    ):
        ET.SubElement(root, "key", {"id": key, "for": where, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="policykg", edgedefault="directed")
    for iri, label, cls in network.nodes:
        node = ET.SubElement(graph, "node", id=iri)
        ET.SubElement(node, "data", key="label").text = label
        ET.SubElement(node, "data", key="class").text = cls
    for i, (source, relation, target, weight) in enumerate(network.edges):
        edge = ET.SubElement(graph, "edge", id=f"e{i}", source=source, target=target)
        ET.SubElement(edge, "data", key="relation").text = relation
        ET.SubElement(edge, "data", key="weight").text = str(weight)
    return root


def _gexf(network: Network) -> ET.Element:
    root = ET.Element("gexf", xmlns="http://gexf.net/1.3", version="1.3")
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
    attributes = ET.SubElement(graph, "attributes", {"class": "node"})
    ET.SubElement(attributes, "attribute", id="class", title="class", type="string")
    edge_attributes = ET.SubElement(graph, "attributes", {"class": "edge"})
    ET.SubElement(edge_attributes, "attribute", id="relation", title="relation", type="string")
    nodes = ET.SubElement(graph, "nodes")
    for iri, label, cls in network.nodes:
        node = ET.SubElement(nodes, "node", id=iri, label=label)
        values = ET.SubElement(node, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "class", "value": cls})
    edges = ET.SubElement(graph, "edges")
    for i, (source, relation, target, weight) in enumerate(network.edges):
        edge = ET.SubElement(edges, "edge", id=f"e{i}", source=source, target=target, weight=str(weight))
        values = ET.SubElement(edge, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "relation", "value": relation})
    return root
