"""The correspondence network of an archive: who wrote to whom, how often, and when.

A node is a person of the register where the party was identified (``person:hull-cordell``),
else the office as the heading names it (``office:Embassy in Iran``), else the printed name
(``name:Mr. Thornton``). An edge sender → recipient counts the documents and gives the
first and last date (stated or inferred) among them. Built in one pass over the records;
memory grows with the number of distinct correspondents, not of documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archivetool import kinds

PERSON, OFFICE, NAME = "person", "office", "name"


@dataclass
class Node:
    id: str
    label: str
    kind: str  # person | office | name
    register_id: str | None = None
    office: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    count: int = 0
    first: str | None = None
    last: str | None = None
    documents: list[str] = field(default_factory=list)

    def add(self, record_id: str, date: str | None) -> None:
        self.count += 1
        self.documents.append(record_id)
        if date:
            self.first = min(self.first or date, date)
            self.last = max(self.last or date, date)


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    records: int = 0  # FRUS records read
    linked: int = 0  # of them, those with a sender and a recipient


def node_of(party: dict[str, Any]) -> Node | None:
    person = party.get("person")
    if person:
        return Node(f"{PERSON}:{person['id']}", person["name"], PERSON, person["id"],
                    person.get("office"))  # fmt: skip
    role, name = party.get("role"), party.get("name")
    if role:
        label = f"{role} ({name})" if name else role
        return Node(f"{OFFICE}:{label}", label, OFFICE, None, role)
    if name:
        return Node(f"{NAME}:{name}", name, NAME)
    return None


def _parties(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value] if value else []


def build_network(records: Iterable[dict[str, Any]]) -> Network:
    net = Network()
    for r in records:
        kind = kinds.find(r.get("kind"))
        if kind is None or not kind.correspondence:
            continue
        net.records += 1
        senders = [n for n in map(node_of, _parties(r.get("sender"))) if n]
        recipients = [n for n in map(node_of, _parties(r.get("recipient"))) if n]
        if senders and recipients:
            net.linked += 1
        date = r.get("date") or r.get("date_inferred")
        for s in senders:
            for t in recipients:
                net.nodes.setdefault(s.id, s)
                net.nodes.setdefault(t.id, t)
                net.edges.setdefault((s.id, t.id), Edge(s.id, t.id)).add(r["id"], date)
    return net
