"""CSL-JSON (Citation Style Language 1.0.2 input): what citeproc, Pandoc and Zotero read.

CSL has no variable for a translated title, so the English title goes to ``note`` (which
Zotero keeps in Extra) and to ``custom``; the Latin form of a Cyrillic title likewise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from archivetool import kinds
from archivetool.citation import Name, from_record
from archivetool.exporters.jsonfmt import write_json

CSL_TYPE = kinds.citation_types("csl")  # each genre's type, from its kind's registry entry


def _name(n: Name) -> dict[str, str]:
    if n.literal:
        return {"literal": n.literal}
    out = {"family": n.family or ""}
    if n.given:
        out["given"] = n.given
    return out


def item(record: dict[str, Any]) -> dict[str, Any]:
    c = from_record(record)
    out: dict[str, Any] = {"id": c.key, "type": CSL_TYPE[c.kind], "title": c.title}
    if c.authors:
        out["author"] = [_name(a) for a in c.authors]
    if c.editors:
        out["editor"] = [_name(e) for e in c.editors]
    if c.recipients:
        out["recipient"] = [_name(r) for r in c.recipients]
    if c.date or c.date_inferred:
        y, m, d = (int(x) for x in (c.date or c.date_inferred or "").split("-"))
        out["issued"] = {"date-parts": [[y, m, d]]}
    elif c.year:
        out["issued"] = {"date-parts": [[c.year], [c.year_end]] if c.year_end else [[c.year]]}
    simple = {
        "container-title": c.container_title, "publisher": c.publisher, "volume": c.volume,
        "issue": c.issue, "page": c.pages, "page-first": c.page_start,
        "number-of-pages": str(c.page_count) if c.page_count else None,
        "language": c.language_code or c.language, "abstract": c.abstract, "DOI": c.doi,
        "ISSN": c.issn, "archive_location": c.archive_location, "number": c.number,
        "genre": c.genre, "URL": c.url,
        "keyword": ", ".join(c.keywords) if c.keywords else None,
        "citation-key": c.key,
    }  # fmt: skip
    out.update({k: v for k, v in simple.items() if v})
    notes, custom = [], {}
    if c.title_translated:
        notes.append(f"English title: {c.title_translated}")
        custom["title-english"] = c.title_translated
    if c.title_latin:
        notes.append(f"Title in Latin script: {c.title_latin}")
        custom["title-latin"] = c.title_latin
    if c.doc_number:
        notes.append(f"Document {c.doc_number}")
    if c.place:  # the dateline's place; CSL's publisher-place would say published there
        notes.append(f"Dated at {c.place}")
    if c.date_inferred:  # CSL has no "supplied" date; circa would print "ca."
        notes.append(f"Date not stated in the text; inferred: {c.date_inferred}")
    if notes:
        out["note"] = "\n".join(notes)
    if custom:
        out["custom"] = custom
    return out


def write_csl_json(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    return write_json((item(r) for r in records), out)
