"""Rich output for the register's answers: who held an office, and the register's people
in an archive. User text goes through ``Text`` (never rich markup)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archivetool.safetext import visible


def _v(value: Any) -> Text:
    return Text(visible(value))


def _span(start: str | None, end: str | None) -> str:
    return f"{start or '?'} – {end or ''}".rstrip()


def who_table(answer: dict[str, Any], console: Console) -> None:
    t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for col in ("person", "office", "held"):
        t.add_column(col, overflow="fold")
    t.add_column("register id", no_wrap=True)
    for h in answer["holders"]:
        t.add_row(_v(h["name"]), _v(h["office"] or ""), _v(_span(h["start"], h["end"])),
                  Text(visible(h["id"]), style="dim"))  # fmt: skip
    console.print(t)


def register_persons_table(people: list[dict[str, Any]], console: Console) -> None:
    t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    t.add_column("person", overflow="fold", ratio=1)
    t.add_column("offices (register)", overflow="fold", ratio=2)
    t.add_column("documents", overflow="fold", ratio=1)
    for p in people:
        offices = "\n".join(f"{o['office']}, {_span(o['start'], o['end'])}" for o in p["offices"])
        docs = "\n".join(f"{label}: {', '.join(p[key])}" for key, label in
                         (("sent", "wrote"), ("received", "received"), ("mentioned", "named in"))
                         if p[key])  # fmt: skip
        t.add_row(_v(f"{p['name']}\n{p['id']}"), _v(offices), _v(docs))
    console.print(t)
