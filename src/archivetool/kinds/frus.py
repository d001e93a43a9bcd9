"""The registry entry of a FRUS document (``frus-document``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from archivetool.kinds import CitationTypes, Facet, Hook, IndexText, Kind, ListRow
from archivetool.model import FrusDocument

_SIGNS = re.compile(
    r"\[Page \d+\]|^\s*(?:File Nos?\. )?\d{3}[\w.]*(?: [\w() ]+)?/[\w–-]+(?::|\.?$)|"
    r"^(?:No\. \d+\.|\d+\. )?.{0,40}\b(?:Telegram|Memorandum|Editorial Note|Letter|Airgram|"
    r"Despatch|Aide-Mémoire|Note)\b|"
    r"^(?:The |Mr\. |Memorandum ).{0,200}\bto\b|\[Received|\(Received|: Telegram\b|"
    # a heading numbered as later volumes number it, or an office writing to someone
    r"^(?:No\. \d+\.?\s*|\d{1,4}\.\s+)[A-Z].{0,300}\b(?:to|From|Between|by)\b|"
    r"^[A-Z][\w.’\-]*(?: [A-Z][\w.’\-]*){0,5} to (?:the |Mr\. |[A-Z])",
    re.MULTILINE,
)


def sniff(text: str) -> bool:
    """A FRUS sign: a page marker, a file number line, a heading, a received note."""
    return _SIGNS.search(text) is not None


def identity(fields: Mapping[str, Any], text: str) -> list[Any]:
    """The file number, title, date and serial number; a document without a file number
    (editorial notes, many memoranda) adds the opening words of its text, since such
    titles repeat."""
    parts: list[Any] = [
        fields.get("file_number") or "",
        fields.get("title") or "",
        fields.get("date") or "",
        fields.get("serial_number") or "",
    ]
    if not fields.get("file_number"):
        # split no further than the 40 words kept: a long text is not cut into every word
        parts.append(" ".join(text.split(None, 40)[:40]))
    return parts


def party_label(p: Any, joiner: str = ", ") -> str:
    """A party as a list shows it: the name where the heading gives one, else the office."""
    if not p:
        return ""
    if isinstance(p, list):
        return joiner.join(party_label(x) for x in p)
    return str(p.get("name") or p.get("role") or "")


def list_row(r: Mapping[str, Any]) -> ListRow:
    # a date the text does not state is shown in brackets, as the editors supply one
    when = r.get("date") or (f"[{r['date_inferred']}]" if r.get("date_inferred") else "")
    who = " → ".join(
        x for x in (party_label(r.get("sender")), party_label(r.get("recipient"))) if x
    )
    return ListRow(r.get("doc_type") or "frus", when, r.get("file_number") or "", who)


def _party_text(p: Any) -> str:
    if not p:
        return ""
    if isinstance(p, list):
        return " ".join(_party_text(x) for x in p)
    person = (p.get("person") or {}).get("name")  # who the register says it was
    return " ".join(x for x in (p.get("name"), p.get("role"), person) if x)


def index_text(r: Mapping[str, Any]) -> IndexText:
    names = " ".join(
        [_party_text(r.get("sender")), _party_text(r.get("recipient")), r.get("signed") or "",
         *[f"{p['name']} {p.get('full_name') or ''}" for p in r.get("persons") or []]]
    )  # fmt: skip
    extra = " ".join(x for x in (r.get("file_number"), r.get("place"), r.get("source_note"),
                                 r.get("doc_type")) if x)  # fmt: skip
    return IndexText(r.get("title") or "", r.get("text") or "",
                     " ".join(f["text"] for f in r.get("footnotes") or []), names, extra)  # fmt: skip


def filter_text(r: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        "f_sender": _party_text(r.get("sender")),
        "f_recipient": _party_text(r.get("recipient")),
        "f_place": r.get("place") or "",
        "f_language": "english en",
        "f_authors": None,
    }


def snippet_fields(r: Mapping[str, Any]) -> list[str]:
    return [r.get("text") or "", r.get("title") or "",
            " ".join(f["text"] for f in r.get("footnotes") or [])]  # fmt: skip


FRUS = Kind(
    name=FrusDocument.KIND,
    short="frus",
    label="FRUS document",
    id_prefix="frus",
    schema="frus-document.schema.json",
    model=FrusDocument,
    sniff=sniff,
    identity=identity,
    parser=Hook("archivetool.formats.frus:parse"),
    enrichment=Hook("archivetool.enrich:enrich_frus"),
    semantic_checks=Hook("archivetool.validate:frus_warnings"),
    citation=Hook("archivetool.citation:frus_citation"),
    tei=Hook("archivetool.exporters.tei:document"),
    list_row=list_row,
    show_rows=Hook("archivetool.render:frus_rows"),
    index_text=index_text,
    filter_text=filter_text,
    snippet_fields=snippet_fields,
    body_field="text",
    body_label="Text",
    paged=True,
    footnoted=True,
    language_code="en",
    correspondence=True,
    facets=(
        Facet("by_doc_type", ("doc_type",)),
        Facet("by_decimal_country", ("decimal_file", "country")),
        Facet("senders", ("sender",), "party"),
        Facet("recipients", ("recipient",), "party"),
        Facet("sender_persons", ("sender",), "person"),
        Facet("recipient_persons", ("recipient",), "person"),
    ),
    citation_types={
        "document": CitationTypes(
            bibtex="incollection", biblatex="incollection", ris="GOVDOC", csl="document", dc=""
        ),  # fmt: skip
    },
)
