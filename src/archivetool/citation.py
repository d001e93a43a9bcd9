"""One citation model for every record, from which each citation format is rendered.

BibTeX, BibLaTeX, RIS, CSL-JSON, Dublin Core and the Chicago note all read the same
:class:`Citation`, so that a chapter is a chapter in every one of them and no format
learns a field the others lack.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from archivetool.scripts import to_latin
from archivetool.sources import FRUS

_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "del",
    "della",
    "di",
    "da",
    "du",
    "la",
    "le",
    "ten",
    "ter",
}
_CORPORATE = re.compile(
    r"\b(?:Institut\w*|Institute|University|Univerzitet\w*|Committee|Odbor|Centre|Center|"
    r"Society|Association|Ministry|Office|Department|Academy|Akademij\w*|Council)\b",
    re.IGNORECASE,
)


@dataclass
class Name:
    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @property
    def display(self) -> str:
        if self.literal:
            return self.literal
        return " ".join(x for x in (self.given, self.family) if x)


def split_name(name: str) -> Name:
    """Family and given names where that is safe ('Nikola B. Popović' → Popović, Nikola B.).

    Corporate names, single words and long or comma-bearing names stay whole (literal).
    """
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip() and len(family.split()) <= 3:
            return Name(family=family.strip(), given=given.strip())
        return Name(literal=name)
    tokens = name.split()
    if len(tokens) < 2 or len(tokens) > 5 or _CORPORATE.search(name):
        return Name(literal=name)
    # a family name may begin with a particle: "Ludwig van Beethoven"
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in _PARTICLES:
            return Name(family=" ".join(tokens[i:]), given=" ".join(tokens[:i]))
    last = tokens[-1]
    if re.fullmatch(r"[A-ZÀ-Ž]\.?", last) or last.lower() in {"jr.", "jr", "sr.", "ii", "iii"}:
        return Name(literal=name)
    return Name(family=last, given=" ".join(tokens[:-1]))


@dataclass
class Citation:
    key: str
    kind: str  # article | chapter | report | document
    title: str
    title_translated: str | None = None
    title_latin: str | None = None
    authors: list[Name] = field(default_factory=list)
    editors: list[Name] = field(default_factory=list)
    recipients: list[Name] = field(default_factory=list)
    container_title: str | None = None
    publisher: str | None = None
    year: int | None = None
    date: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_start: str | None = None
    page_end: str | None = None
    page_count: int | None = None
    language: str | None = None
    language_code: str | None = None
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    doi: str | None = None
    issn: str | None = None
    archive_location: str | None = None
    number: str | None = None  # a telegram or despatch number
    genre: str | None = None  # telegram, despatch, … for FRUS documents
    place: str | None = None
    doc_number: str | None = None
    record_id: str = ""

    @property
    def pages(self) -> str | None:
        if self.page_start and self.page_end and self.page_start != self.page_end:
            return f"{self.page_start}–{self.page_end}"
        return self.page_start


def _ascii(text: str) -> str:
    latin = to_latin(text, None)[0] or text
    folded = unicodedata.normalize("NFKD", latin.replace("đ", "dj").replace("Đ", "Dj"))
    return "".join(c for c in folded if c.isascii())


def citation_key(family: str | None, year: int | None, title: str) -> str:
    """'popovic2010prvi': family name, year, first significant word of the title."""
    stop = {"the", "a", "an", "on", "of", "in", "na", "o", "i", "u", "za"}
    word = next((w for w in re.findall(r"\w+", _ascii(title).lower()) if w not in stop), "untitled")
    fam = re.sub(r"\W", "", _ascii(family or "anon").lower()) or "anon"
    return f"{fam}{year or ''}{word}"


_DOC_GENRE = {
    "telegram": "telegram", "despatch": "despatch", "airgram": "airgram", "instruction": "instruction",
    "memorandum": "memorandum", "memorandum_of_conversation": "memorandum of conversation",
    "letter": "letter", "note": "note", "circular": "circular", "report": "report",
    "editorial_note": "editorial note",
}  # fmt: skip


def _party_name(p: Any) -> list[Name]:
    if not p:
        return []
    if isinstance(p, list):
        return [n for x in p for n in _party_name(x)]
    if p.get("name") and p.get("role"):
        return [Name(literal=f"{p['role']} ({p['name']})")]
    return [Name(literal=p.get("name") or p.get("role"))]


def frus_volume_title(record: dict[str, Any]) -> str | None:
    vol = record.get("frus_volume")
    return vol.get("title") if vol else None


def from_record(record: dict[str, Any]) -> Citation:
    if record["kind"] == FRUS:
        year = (
            int(record["date"][:4])
            if record.get("date")
            else (int(record["date_inferred"][:4]) if record.get("date_inferred") else None)
        )
        authors = _party_name(record.get("sender"))
        return Citation(
            key=re.sub(r"\W", "", record["id"]),
            kind="document",
            title=record["title"],
            authors=authors,
            recipients=_party_name(record.get("recipient")),
            container_title=frus_volume_title(record) or "Foreign Relations of the United States",
            year=year,
            date=record.get("date"),
            page_start=str(record["page_start"]) if record.get("page_start") else None,
            page_end=str(record["page_end"]) if record.get("page_end") else None,
            archive_location=record.get("file_number"),
            number=record.get("serial_number"),
            genre=_DOC_GENRE.get(record.get("doc_type") or ""),
            place=record.get("place"),
            doc_number=(record.get("frus_volume") or {}).get("document")
            or record.get("doc_number"),
            language="English",
            language_code="en",
            record_id=record["id"],
        )
    authors = [split_name(a["name"]) for a in record.get("authors") or []]
    kind = {"journal": "article", "book": "chapter"}.get(
        record.get("container_type") or "", "report"
    )
    first = authors[0].family or authors[0].literal if authors else None
    return Citation(
        key=citation_key(first, record.get("year"), record.get("title_latin") or record["title"]),
        kind=kind,
        title=record["title"],
        title_translated=record.get("title_translated")
        if record.get("title_translated") != record["title"]
        else None,
        title_latin=record.get("title_latin"),
        authors=authors,
        editors=[split_name(e["name"]) for e in record.get("editors") or []],
        container_title=record.get("container_title"),
        publisher=record.get("publisher"),
        year=record.get("year"),
        volume=record.get("volume"),
        issue=record.get("issue"),
        page_start=record.get("page_start"),
        page_end=record.get("page_end"),
        page_count=record.get("page_count"),
        language=record.get("language"),
        language_code=record.get("language_code"),
        keywords=list(record.get("keywords") or []),
        abstract=record.get("abstract"),
        doi=record.get("doi"),
        issn=record.get("issn"),
        record_id=record["id"],
    )
