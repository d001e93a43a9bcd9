"""RIS, as Zotero, EndNote and Mendeley import it: a chapter is CHAP in its book (T2),
an article JOUR in its journal (JO), both titles (TI, TT) and the abstract without its label."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from archivetool import kinds
from archivetool.citation import Name, from_record

RIS_TYPE = kinds.citation_types("ris")  # each genre's type, from its kind's registry entry


def _name(n: Name) -> str:
    return n.literal or (f"{n.family}, {n.given}" if n.given else n.family or "")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def entry(record: dict[str, Any]) -> str:
    c = from_record(record)
    tags: list[tuple[str, str | None]] = [("TY", RIS_TYPE[c.kind])]
    tags += [("AU", _name(a)) for a in c.authors]
    tags += [("A2", _name(e)) for e in c.editors]
    tags += [("TI", c.title), ("TT", c.title_translated)]
    if c.kind == "article":
        tags.append(("JO", c.container_title))
    else:
        tags.append(("T2", c.container_title))
    tags += [
        ("PB", c.publisher), ("PY", c.year_text),
        ("DA", (c.date or c.date_inferred or "").replace("-", "/") or None),
        ("VL", c.volume), ("IS", c.issue), ("SP", c.page_start), ("EP", c.page_end),
        ("LA", c.language), ("AB", c.abstract), ("DO", c.doi), ("SN", c.issn),
        ("M1", c.number), ("M3", c.genre), ("AN", c.archive_location), ("UR", c.url),
    ]  # fmt: skip
    tags += [("KW", k) for k in c.keywords]
    if c.title_latin:
        tags.append(("N1", f"Title in Latin script: {c.title_latin}"))
    if c.page_count:
        tags.append(("N1", f"Pages: {c.page_count}"))
    if c.doc_number:
        tags.append(("N1", f"Document {c.doc_number}"))
    if c.place:  # the dateline's place: RIS's CY is the place of publication, which this is not
        tags.append(("N1", f"Dated at {c.place}"))
    if c.date_inferred:
        tags.append(("N1", f"Date not stated in the text; inferred: {c.date_inferred}"))
    tags.append(("ID", c.record_id))
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if value]
    return "\n".join(lines) + "\nER  - \n"


def write_ris(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(("\n" if n else "") + entry(record))
        n += 1
    return n
