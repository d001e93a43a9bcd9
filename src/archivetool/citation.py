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

from archivetool import kinds
from archivetool.scripts import to_latin

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Citation:
    """A record as every citation format reads it (a value: each format only reads it)."""

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
    # a FRUS document: the series, the volume's years and number, the dates, the permalink
    series: str | None = None  # "Foreign Relations of the United States"
    volume_detail: str | None = None  # "1955–1957, vol. VIII" (the volume within the series)
    date_inferred: str | None = None  # a date the text does not state (from the file number)
    year_end: int | None = None  # a date-less document: the last year of its volume's span
    url: str | None = None  # the Office of the Historian's permalink

    @property
    def year_text(self) -> str | None:
        """'1955', or a volume's span '1955–1957' for a document whose own date is unknown."""
        if self.year is None:
            return None
        return f"{self.year}–{self.year_end}" if self.year_end else str(self.year)

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


HSG = "https://history.state.gov/historicaldocuments"
SERIES = "Foreign Relations of the United States"
_VOLUME_YEARS = re.compile(r"frus(?P<first>\d{4})(?:-(?P<last>\d{2,4}))?")
_NUMBER_FIRST = re.compile(r"(?:No\.\s*)?(?P<n>\d+[A-Za-z]?)\.?\s+(?=\S)")
_MENDED = re.compile(r"\w+: printed '(?P<printed>.+?)', read as '(?P<read>.+?)'")


def frus_volume_title(record: dict[str, Any]) -> str | None:
    vol = record.get("frus_volume")
    return vol.get("title") if vol else None


def frus_permalink(record: dict[str, Any]) -> str | None:
    """history.state.gov/historicaldocuments/<volume>/<doc>, only where the record knows both
    (the Office of the Historian's identifier in its file name, TEI id or URL)."""
    vol = record.get("frus_volume") or {}
    if vol.get("url"):
        return str(vol["url"])
    doc = vol.get("document")
    if not (vol.get("id") and doc):
        return None
    # a record stored before frus_volume had its url: the letter of d120a is in the path only
    path = str((record.get("source") or {}).get("path") or "")
    m = re.search(rf"[_/#]d{re.escape(str(doc))}([a-z]?)\b", path)
    return f"{HSG}/{vol['id']}/d{doc}{m.group(1) if m else ''}"


def volume_years(record: dict[str, Any]) -> tuple[int, int | None] | None:
    """The years a FRUS volume covers, from its identifier: frus1955-57v08 → (1955, 1957)."""
    m = _VOLUME_YEARS.match((record.get("frus_volume") or {}).get("id") or "")
    if not m:
        return None
    first, last = m.group("first"), m.group("last")
    if not last:
        return int(first), None
    end = int(first[: 4 - len(last)] + last)
    return int(first), (end if end > int(first) else None)


def edition_title(record: dict[str, Any]) -> str:
    """The heading as the edition prints it, without the document's number before it (which a
    citation gives as the document number) and without its closing full stop; a slip of the
    copy that a reader mended (and said so in a warning) is given in its mended reading."""
    title = " ".join(str(record.get("title") or "").split())
    for warning in record.get("warnings") or []:
        m = _MENDED.match(warning)
        if m and m.group("printed") in title:
            title = title.replace(m.group("printed"), m.group("read"))
    numbers = {
        str(n)
        for n in (
            record.get("doc_number"),
            record.get("printed_number"),
            (record.get("frus_volume") or {}).get("document"),
        )
        if n
    }
    m = _NUMBER_FIRST.match(title)
    if m and m.group("n") in numbers:
        title = title[m.end() :]
    return re.sub(r"(?<=[^\W\d_]{2})\.$", "", title)


def _frus_year(record: dict[str, Any]) -> tuple[int | None, int | None]:
    """The document's year: its date, else its inferred or received date, else its volume's
    (a span when the volume covers several years)."""
    for key in ("date", "date_inferred", "received_date"):
        if record.get(key):
            return int(record[key][:4]), None
    years = volume_years(record)
    return years if years else (None, None)


def _frus(record: dict[str, Any]) -> Citation:
    vol = record.get("frus_volume") or {}
    detail = None
    if vol.get("title", "").startswith(SERIES + ", "):
        # a part without a volume number (frus1895p1) is 'pt. 1', as after one (v05p1)
        detail = re.sub(r"(?<=, )p(\d+)$", r"pt. \1", vol["title"][len(SERIES) + 2 :])
    year, year_end = _frus_year(record)
    return Citation(
        key=re.sub(r"\W", "", record["id"]),
        kind="document",
        title=edition_title(record),
        authors=_party_name(record.get("sender")),
        recipients=_party_name(record.get("recipient")),
        container_title=f"{SERIES}, {detail}" if detail else frus_volume_title(record) or SERIES,
        series=SERIES,
        volume_detail=detail,
        year=year,
        year_end=year_end,
        date=record.get("date"),
        date_inferred=None if record.get("date") else record.get("date_inferred"),
        page_start=str(record["page_start"]) if record.get("page_start") else None,
        page_end=str(record["page_end"]) if record.get("page_end") else None,
        archive_location=record.get("file_number"),
        number=record.get("serial_number"),
        genre=_DOC_GENRE.get(record.get("doc_type") or ""),
        place=record.get("place"),
        doc_number=vol.get("document") or record.get("doc_number"),
        language="English",
        language_code="en",
        record_id=record["id"],
        url=frus_permalink(record),
    )


def from_record(record: dict[str, Any], *, latin: bool = False) -> Citation:
    """The citation of a record, by its kind's mapping; ``latin`` gives titles and names
    printed in another script in their Latin transliteration (as Chicago asks for a note),
    the original left out."""
    citation: Citation = kinds.of(record).citation(record, latin=latin)
    return citation


def frus_citation(record: dict[str, Any], *, latin: bool = False) -> Citation:
    """A FRUS document in its volume (its headings are English: ``latin`` changes nothing)."""
    return _frus(record)


def bibliographic_citation(record: dict[str, Any], *, latin: bool = False) -> Citation:
    """A CEEOL record: an article in its journal, a chapter in its book, else a report."""

    def person(p: dict[str, Any]) -> Name:
        return split_name((p.get("name_latin") or p["name"]) if latin else p["name"])

    authors = [person(a) for a in record.get("authors") or []]
    kind = {"journal": "article", "book": "chapter"}.get(
        record.get("container_type") or "", "report"
    )
    first = authors[0].family or authors[0].literal if authors else None
    return Citation(
        key=citation_key(first, record.get("year"), record.get("title_latin") or record["title"]),
        kind=kind,
        title=(record.get("title_latin") if latin else None) or record["title"],
        title_translated=record.get("title_translated")
        if record.get("title_translated") != record["title"]
        else None,
        title_latin=None if latin else record.get("title_latin"),
        authors=authors,
        editors=[person(e) for e in record.get("editors") or []],
        container_title=(record.get("container_title_latin") if latin else None)
        or record.get("container_title"),
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
