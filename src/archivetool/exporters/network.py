"""The correspondence network as GraphML (Gephi, networkx, yEd, Cytoscape) and as an edge
list in CSV. See :mod:`archivetool.network` for what the nodes and edges are."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from archivetool.network import build_network
from archivetool.safetext import csv_cell, xml_text

_NODE_KEYS = (("label", "string"), ("kind", "string"), ("register_id", "string"),
              ("office", "string"))  # fmt: skip
_EDGE_KEYS = (("count", "int"), ("first", "string"), ("last", "string"), ("documents", "string"))


def write_graphml(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A directed graph: nodes with label, kind, register_id and office; edges with the
    count of documents, the first and last date and the record ids."""
    net = build_network(records)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')  # fmt: skip
    for name, kind in _NODE_KEYS:
        out.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in _EDGE_KEYS:
        out.write(f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <graph id="correspondence" edgedefault="directed">\n')
    for node in net.nodes.values():
        out.write(f"    <node id={quoteattr(xml_text(node.id))}>\n")
        for name, _ in _NODE_KEYS:
            value = getattr(node, name)
            if value is not None:
                out.write(f'      <data key="{name}">{xml_escape(xml_text(str(value)))}</data>\n')
        out.write("    </node>\n")
    for i, edge in enumerate(net.edges.values()):
        source, target = quoteattr(xml_text(edge.source)), quoteattr(xml_text(edge.target))
        out.write(f'    <edge id="e{i}" source={source} target={target}>\n')
        values = {"count": edge.count, "first": edge.first, "last": edge.last,
                  "documents": " ".join(edge.documents)}  # fmt: skip
        for name, _ in _EDGE_KEYS:
            if values[name] is not None:
                out.write(f'      <data key="{name}">{xml_escape(str(values[name]))}</data>\n')
        out.write("    </edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return net.records


EDGE_COLUMNS = ["source", "target", "source_label", "target_label", "source_kind", "target_kind",
                "count", "first", "last", "documents"]  # fmt: skip


def write_edges_csv(records: Iterable[dict[str, Any]], out: TextIO, *, raw: bool = False) -> int:
    """One row per sender → recipient pair, with the count, the first and last date and the
    record ids; a node is a register id (person:…) or an office or name as printed. A cell
    that starts like a spreadsheet formula gets a leading ``'`` unless ``raw``."""
    net = build_network(records)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS)
    for e in net.edges.values():
        s, t = net.nodes[e.source], net.nodes[e.target]
        row = [e.source, e.target, s.label, t.label, s.kind, t.kind, e.count,
               e.first or "", e.last or "", " ".join(e.documents)]  # fmt: skip
        writer.writerow(row if raw else [csv_cell(v) for v in row])
    return net.records


def write_edges_csv_raw(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    return write_edges_csv(records, out, raw=True)
