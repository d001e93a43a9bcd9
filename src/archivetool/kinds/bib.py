"""The registry entry of a CEEOL bibliographic record (``bibliographic-record``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from archivetool.kinds import CitationTypes, Facet, Hook, IndexText, Kind, ListRow
from archivetool.model import BibliographicRecord

# every branch opens on a letter of its own (the dash and the bullet are two branches, not
# one [-•]), so the engine skips in C to the next A, C, S, P, K, - or • of the text instead
# of trying each branch at every character
_LISTED = r"\s*(?:Issue Year|Issue No|Page Range|Page Count|Publication Year|Language):"
_LABELS = re.compile(
    r"(Author\(s\):|Contributor\(s\):|Subject\(s\):|Published by:|Summary/Abstract:|"
    rf"Keywords:|-{_LISTED}|•{_LISTED})"
)


def sniff(text: str) -> bool:
    """Two different CEEOL labels (Author(s):, - Page Range: …)."""
    seen: set[str] = set()
    for m in _LABELS.finditer(text):
        seen.add(m.group(1).split(":")[0])
        if len(seen) == 2:
            return True  # the second label settles it: the rest of the text is not read
    return False


def identity(fields: Mapping[str, Any], text: str) -> list[Any]:
    """The titles, authors, container, year and first page."""
    authors = [a.get("name", "") for a in fields.get("authors") or []]
    return [
        fields.get("title") or "",
        fields.get("title_translated") or "",
        "|".join(authors),
        fields.get("container_title") or "",
        str(fields.get("year") or ""),
        fields.get("page_start") or "",
    ]


def list_row(r: Mapping[str, Any]) -> ListRow:
    return ListRow(r.get("container_type") or "bib", str(r.get("year") or ""),
                   r.get("container_title") or "",
                   "; ".join(a["name"] for a in r.get("authors") or []))  # fmt: skip


def index_text(r: Mapping[str, Any]) -> IndexText:
    title = " ".join(x for x in (r.get("title"), r.get("title_translated")) if x)
    notes = " ".join([*(r.get("keywords") or []), *(r.get("subjects") or [])])
    names = " ".join(a["name"] for a in [*(r.get("authors") or []), *(r.get("contributors") or [])])
    extra = " ".join(x for x in (r.get("container_title"), r.get("publisher"),
                                 r.get("language")) if x)  # fmt: skip
    return IndexText(title, r.get("abstract") or "", notes, names, extra)


def filter_text(r: Mapping[str, Any]) -> dict[str, str | None]:
    langs = " ".join(
        f"{x['name']} {x['iso639_1']} {x['iso639_2b']}" for x in r.get("languages") or []
    ) or (r.get("language") or "")
    return {
        "f_sender": None,
        "f_recipient": None,
        "f_place": None,
        "f_language": langs,
        "f_authors": " ; ".join(a["name"] for a in r.get("authors") or []),
    }


def snippet_fields(r: Mapping[str, Any]) -> list[str]:
    return [r.get("abstract") or "", r.get("title") or "", r.get("title_translated") or "",
            "; ".join(r.get("keywords") or [])]  # fmt: skip


BIB = Kind(
    name=BibliographicRecord.KIND,
    short="bib",
    label="bibliographic record",
    id_prefix="bib",
    schema="bibliographic-record.schema.json",
    model=BibliographicRecord,
    sniff=sniff,
    identity=identity,
    parser=Hook("archivetool.formats.ceeol:parse"),
    enrichment=Hook("archivetool.enrich:enrich_bibliographic"),
    semantic_checks=Hook("archivetool.validate:bibliographic_warnings"),
    citation=Hook("archivetool.citation:bibliographic_citation"),
    tei=Hook("archivetool.exporters.tei:bibliography"),
    list_row=list_row,
    show_rows=Hook("archivetool.render:bibliographic_rows"),
    index_text=index_text,
    filter_text=filter_text,
    snippet_fields=snippet_fields,
    body_field="abstract",
    body_label="Abstract",
    paged=False,
    footnoted=False,
    language_code=None,
    correspondence=False,
    facets=(
        Facet("authors", ("authors",), "each", "name"),
        Facet("subjects", ("subjects",), "each"),
        Facet("languages", ("language",)),
    ),
    citation_types={
        "article": CitationTypes(
            bibtex="article", biblatex="article", ris="JOUR", csl="article-journal", dc="article"
        ),
        "chapter": CitationTypes(
            bibtex="incollection",
            biblatex="incollection",
            ris="CHAP",
            csl="chapter",
            dc="book chapter",
        ),
        "report": CitationTypes(
            bibtex="misc", biblatex="report", ris="RPRT", csl="report", dc="report"
        ),
    },  # fmt: skip
)
