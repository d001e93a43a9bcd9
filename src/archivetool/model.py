"""The records as typed values: frozen dataclasses for each kind and its parts.

A record is built from the JSON object a parser's fields make (:func:`record_from_json`),
carried between the stages as a value (enrichment returns a new one) and written back as
JSON at the edges (:meth:`FrusDocument.to_json`), where the schemas check it and the
archive and the exporters take it. ``json.dumps(record.to_json(), ensure_ascii=False)`` is
byte for byte what the JSON object read gave: keys in the same order, a key the object did
not hold still left out (``absent``), one it held as null still null, and a key this
version does not know kept at the end (``extra``), so that a record stored by an older or
newer archivetool survives the round trip too.

Each part's ``from_json`` trusts its input to have the shapes the shipped schemas describe
(it is read from a parser or from the archive, both checked against them); it does not
validate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

# A record or one of its parts as JSON: what the schemas describe, the archive stores and
# the exporters write. The typed values below are what the stages pass between them.
JSONObject: TypeAlias = dict[str, Any]
Extra: TypeAlias = tuple[tuple[str, Any], ...]

_ALL_THERE: frozenset[str] = frozenset()


@dataclass
class Parsed:
    """What a parser returns: the record's fields as JSON (in the schema's order), its text,
    and what was mended or missing. :func:`archivetool.records.build_record` makes it a
    typed record."""

    fields: JSONObject
    text: str
    warnings: list[str] = field(default_factory=list)


class ModelError(ValueError):
    """A JSON object that is no record of a kind this version knows."""


def _absent(obj: Mapping[str, Any], keys: frozenset[str]) -> frozenset[str]:
    """The ``keys`` ``obj`` does not hold; every one there, the usual case, asked in C."""
    if obj.keys() >= keys:
        return _ALL_THERE
    return frozenset(k for k in keys if k not in obj)


def _extra(obj: Mapping[str, Any], keys: frozenset[str]) -> Extra:
    """The keys of ``obj`` this version does not know, with their values, in their order."""
    if keys.issuperset(obj):
        return ()
    return tuple((k, v) for k, v in obj.items() if k not in keys)


def _finish(out: JSONObject, absent: frozenset[str], extra: Extra) -> JSONObject:
    for key in absent:
        out.pop(key, None)
    for key, value in extra:
        out[key] = value
    return out


def _strings(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read from: the file (or ``VOLUME.xml#d120``), its hash and size."""

    path: str
    sha256: str
    size: int | None = None
    lines: int | None = None
    parser: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)
    extra: Extra = field(default=(), repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("path", "sha256", "size", "lines", "parser")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Source:
        absent = _absent(obj, _PRESENT[cls])
        return cls(obj.get("path", ""), obj.get("sha256", ""), obj.get("size"),
                   obj.get("lines"), obj.get("parser"), absent,
                   _extra(obj, _KEYSETS[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out = {"path": self.path, "sha256": self.sha256, "size": self.size,
               "lines": self.lines, "parser": self.parser}  # fmt: skip
        return _finish(out, self.absent, self.extra) if self.absent or self.extra else out


@dataclass(frozen=True, slots=True)
class RegisterPerson:
    """The office-holder of the register a party was identified as, with the evidence."""

    id: str
    name: str
    office: str | None
    start: str | None
    end: str | None
    how: str
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("id", "name", "office", "start", "end", "how")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> RegisterPerson:
        return cls(obj.get("id", ""), obj.get("name", ""), obj.get("office"), obj.get("start"),
                   obj.get("end"), obj.get("how", ""), _absent(obj, _PRESENT[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out = {"id": self.id, "name": self.name, "office": self.office, "start": self.start,
               "end": self.end, "how": self.how}  # fmt: skip
        return _finish(out, self.absent, ()) if self.absent else out


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Why a party was not identified with a person of the register."""

    reason: str
    note: str

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Unresolved:
        return cls(obj.get("reason", ""), obj.get("note", ""))

    def to_json(self) -> JSONObject:
        return {"reason": self.reason, "note": self.note}


@dataclass(frozen=True, slots=True)
class Party:
    """A sender or recipient as the heading names them (``post`` only where it gives one),
    with the register's person or why there is none, once enriched."""

    name: str | None
    role: str | None
    post: str | None = None
    person: RegisterPerson | None = None
    person_unresolved: Unresolved | None = None

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Party:
        person, unresolved = obj.get("person"), obj.get("person_unresolved")
        return cls(
            obj.get("name"),
            obj.get("role"),
            obj.get("post"),
            RegisterPerson.from_json(person) if person is not None else None,
            Unresolved.from_json(unresolved) if unresolved is not None else None,
        )

    def to_json(self) -> JSONObject:
        out: JSONObject = {"name": self.name, "role": self.role}
        if self.post is not None:
            out["post"] = self.post
        if self.person is not None:
            out["person"] = self.person.to_json()
        if self.person_unresolved is not None:
            out["person_unresolved"] = self.person_unresolved.to_json()
        return out

    @property
    def label(self) -> str:
        """As a list shows the party: the name where the heading gives one, else the office."""
        return self.name or self.role or ""


Recipient: TypeAlias = Party | tuple[Party, ...] | None


def _recipient(value: Any) -> Recipient:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(Party.from_json(p) for p in value)
    return Party.from_json(value)


def _recipient_json(value: Recipient) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple):
        return [p.to_json() for p in value]
    return value.to_json()


@dataclass(frozen=True, slots=True)
class Footnote:
    """An editors' footnote: ``n`` as printed at the marker, where the marker stood."""

    n: str
    marker_text: str | None
    text: str
    offset: int | None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("n", "marker_text", "text", "offset")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Footnote:
        return cls(obj.get("n", ""), obj.get("marker_text"), obj.get("text", ""),
                   obj.get("offset"), _absent(obj, _PRESENT[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out = {"n": self.n, "marker_text": self.marker_text, "text": self.text,
               "offset": self.offset}  # fmt: skip
        return _finish(out, self.absent, ()) if self.absent else out


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where a page of the printed volume begins in the record's text."""

    page: int
    offset: int

    @classmethod
    def from_json(cls, pair: list[int]) -> PageBreak:
        return cls(pair[0], pair[1])

    def to_json(self) -> list[int]:
        return [self.page, self.offset]


@dataclass(frozen=True, slots=True)
class Reference:
    """A citation in the text of another communication ('Deptel 1712, July 25')."""

    kind: str
    number: str | None
    date: str | None
    time: str | None
    date_iso: str | None
    party: str | None
    text: str
    start: int
    end: int
    not_printed: bool | None = None
    footnote: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("kind", "number", "date", "time", "date_iso", "party",
                                       "text", "start", "end", "not_printed")  # fmt: skip

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Reference:
        return cls(obj.get("kind", ""), obj.get("number"), obj.get("date"), obj.get("time"),
                   obj.get("date_iso"), obj.get("party"), obj.get("text", ""),
                   obj.get("start", 0), obj.get("end", 0), obj.get("not_printed"),
                   obj.get("footnote"), _absent(obj, _PRESENT[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out: JSONObject = {
            "kind": self.kind, "number": self.number, "date": self.date, "time": self.time,
            "date_iso": self.date_iso, "party": self.party, "text": self.text,
            "start": self.start, "end": self.end, "not_printed": self.not_printed,
        }  # fmt: skip
        if self.footnote is not None:
            out["footnote"] = self.footnote
        return _finish(out, self.absent, ()) if self.absent else out


@dataclass(frozen=True, slots=True)
class FootnotePerson:
    """A person an editors' footnote identifies ('Sir Orme Sargent, Deputy Under-Secretary')."""

    name: str
    description: str
    footnote: str
    full_name: str | None = None
    register_id: str | None = None

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> FootnotePerson:
        return cls(obj.get("name", ""), obj.get("description", ""), obj.get("footnote", ""),
                   obj.get("full_name"), obj.get("register_id"))  # fmt: skip

    def to_json(self) -> JSONObject:
        out: JSONObject = {"name": self.name, "description": self.description,
                           "footnote": self.footnote}  # fmt: skip
        if self.full_name is not None:
            out["full_name"] = self.full_name
        if self.register_id is not None:
            out["register_id"] = self.register_id
        return out


@dataclass(frozen=True, slots=True)
class FrusVolume:
    """The FRUS volume and document, from the Office of the Historian's identifier."""

    id: str
    volume: str | None
    part: str | None
    document: str | None
    title: str
    url: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)
    extra: Extra = field(default=(), repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("id", "volume", "part", "document", "title", "url")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> FrusVolume:
        absent = _absent(obj, _PRESENT[cls])
        return cls(obj.get("id", ""), obj.get("volume"), obj.get("part"), obj.get("document"),
                   obj.get("title", ""), obj.get("url"), absent,
                   _extra(obj, _KEYSETS[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out = {"id": self.id, "volume": self.volume, "part": self.part,
               "document": self.document, "title": self.title, "url": self.url}  # fmt: skip
        return _finish(out, self.absent, self.extra) if self.absent or self.extra else out


@dataclass(frozen=True, slots=True)
class DecimalReading:
    """A file number read with the decimal file's schedule of the document's own year; a key
    that is no decimal file number (``decimal`` false) carries only the ``reason``."""

    raw: str
    decimal: bool
    reason: str | None = None
    class_: str | None = None
    country_code: str | None = None
    subject_code: str | None = None
    subfile: str | None = None
    subfile_expanded: str | None = None
    item: str | None = None
    item_date: str | None = None
    schedule: str | None = None
    schedule_basis: str | None = None
    class_label: str | None = None
    country: str | None = None
    second_country_code: str | None = None
    second_country: str | None = None
    subject: str | None = None
    subject_matched: str | None = None
    note: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)

    READING: ClassVar[tuple[str, ...]] = (
        "class", "country_code", "subject_code", "subfile", "subfile_expanded", "item",
        "item_date", "schedule", "schedule_basis", "class_label", "country",
        "second_country_code", "second_country", "subject", "subject_matched",
    )  # fmt: skip

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> DecimalReading:
        g = obj.get
        return cls(g("raw", ""), bool(g("decimal")), g("reason"), g("class"), g("country_code"),
                   g("subject_code"), g("subfile"), g("subfile_expanded"), g("item"),
                   g("item_date"), g("schedule"), g("schedule_basis"), g("class_label"),
                   g("country"), g("second_country_code"), g("second_country"), g("subject"),
                   g("subject_matched"), g("note"),
                   _absent(obj, _PRESENT[cls]) if obj.get("decimal") else _ALL_THERE)  # fmt: skip

    def to_json(self) -> JSONObject:
        if not self.decimal:
            out: JSONObject = {"raw": self.raw, "decimal": False}
            if self.reason is not None:
                out["reason"] = self.reason
            return out
        out = {
            "decimal": True, "raw": self.raw, "class": self.class_,
            "country_code": self.country_code, "subject_code": self.subject_code,
            "subfile": self.subfile, "subfile_expanded": self.subfile_expanded,
            "item": self.item, "item_date": self.item_date, "schedule": self.schedule,
            "schedule_basis": self.schedule_basis, "class_label": self.class_label,
            "country": self.country, "second_country_code": self.second_country_code,
            "second_country": self.second_country, "subject": self.subject,
            "subject_matched": self.subject_matched,
        }  # fmt: skip
        if self.reason is not None:
            out["reason"] = self.reason
        if self.note is not None:
            out["note"] = self.note
        return _finish(out, self.absent, ()) if self.absent else out


@dataclass(frozen=True, slots=True)
class Contributor:
    """An author, editor or other contributor of a bibliographic record. Authors and editors
    carry no ``role`` key (``absent``); contributors carry one, null when none is printed."""

    name: str
    role: str | None = None
    name_latin: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)
    extra: Extra = field(default=(), repr=False)

    KEYS: ClassVar[tuple[str, ...]] = ("name", "role")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Contributor:
        absent = _absent(obj, _PRESENT[cls])
        return cls(obj.get("name", ""), obj.get("role"), obj.get("name_latin"), absent,
                   _extra(obj, _KEYSETS[cls]))  # fmt: skip

    def to_json(self) -> JSONObject:
        out: JSONObject = {"name": self.name, "role": self.role}
        if self.absent:
            _finish(out, self.absent, ())
        if self.name_latin is not None:
            out["name_latin"] = self.name_latin
        return _finish(out, _ALL_THERE, self.extra) if self.extra else out


@dataclass(frozen=True, slots=True)
class Language:
    """A printed language with its ISO 639-1 and 639-2/B codes."""

    name: str
    iso639_1: str
    iso639_2b: str

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Language:
        return cls(obj.get("name", ""), obj.get("iso639_1", ""), obj.get("iso639_2b", ""))

    def to_json(self) -> JSONObject:
        return {"name": self.name, "iso639_1": self.iso639_1, "iso639_2b": self.iso639_2b}


def _parts(cls: Any, values: Any) -> Any:
    return tuple(cls.from_json(v) for v in values or ())


def _optional(cls: Any, value: Any) -> Any:
    return None if value is None else cls.from_json(value)


@dataclass(frozen=True, slots=True)
class FrusDocument:
    """A document of *Foreign Relations of the United States* (``frus-document``)."""

    id: str
    source: Source
    file_number: str | None = None
    source_note: str | None = None
    doc_type: str = "other"
    title: str = ""
    printed_number: str | None = None
    doc_number: str | None = None
    sender: Party | None = None
    recipient: Recipient = None
    place: str | None = None
    date: str | None = None
    time: str | None = None
    dateline: str | None = None
    received: str | None = None
    date_inferred: str | None = None
    date_source: str | None = None
    serial_number: str | None = None
    classification: str | None = None
    signed: str | None = None
    page_breaks: tuple[int, ...] = ()
    page_offsets: tuple[PageBreak, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    footnotes: tuple[Footnote, ...] = ()
    text: str = ""
    warnings: tuple[str, ...] = ()
    # derived by enrichment
    received_date: str | None = None
    source_citation: str | None = None
    frus_volume: FrusVolume | None = None
    decimal_file: DecimalReading | None = None
    references: tuple[Reference, ...] = ()
    persons: tuple[FootnotePerson, ...] = ()
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)
    extra: Extra = field(default=(), repr=False)

    KIND: ClassVar[str] = "frus-document"
    KEYS: ClassVar[tuple[str, ...]] = (
        "kind", "id", "source", "file_number", "source_note", "doc_type", "title",
        "printed_number", "doc_number", "sender", "recipient", "place", "date", "time",
        "dateline", "received", "date_inferred", "date_source", "serial_number",
        "classification", "signed", "page_breaks", "page_offsets", "page_start", "page_end",
        "footnotes", "text", "warnings", "received_date", "source_citation", "frus_volume",
        "decimal_file", "references", "persons",
    )  # fmt: skip
    # what enrichment adds to a parser's fields
    DERIVED: ClassVar[frozenset[str]] = frozenset(KEYS[KEYS.index("received_date") :])

    @property
    def kind(self) -> str:
        return self.KIND

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> FrusDocument:
        g = obj.get
        absent = _absent(obj, _PRESENT[cls])
        return cls(
            g("id", ""), Source.from_json(g("source") or {}), g("file_number"),
            g("source_note"), g("doc_type", "other"), g("title", ""), g("printed_number"),
            g("doc_number"), _optional(Party, g("sender")), _recipient(g("recipient")),
            g("place"), g("date"), g("time"), g("dateline"), g("received"),
            g("date_inferred"), g("date_source"), g("serial_number"), g("classification"),
            g("signed"), tuple(g("page_breaks") or ()), _parts(PageBreak, g("page_offsets")),
            g("page_start"), g("page_end"), _parts(Footnote, g("footnotes")), g("text", ""),
            _strings(g("warnings")), g("received_date"), g("source_citation"),
            _optional(FrusVolume, g("frus_volume")), _optional(DecimalReading, g("decimal_file")),
            _parts(Reference, g("references")), _parts(FootnotePerson, g("persons")),
            absent, _extra(obj, _KEYSETS[cls]),
        )  # fmt: skip

    def to_json(self) -> JSONObject:
        out: JSONObject = {
            "kind": self.KIND, "id": self.id, "source": self.source.to_json(),
            "file_number": self.file_number, "source_note": self.source_note,
            "doc_type": self.doc_type, "title": self.title,
            "printed_number": self.printed_number, "doc_number": self.doc_number,
            "sender": None if self.sender is None else self.sender.to_json(),
            "recipient": _recipient_json(self.recipient), "place": self.place,
            "date": self.date, "time": self.time, "dateline": self.dateline,
            "received": self.received, "date_inferred": self.date_inferred,
            "date_source": self.date_source, "serial_number": self.serial_number,
            "classification": self.classification, "signed": self.signed,
            "page_breaks": list(self.page_breaks),
            "page_offsets": [p.to_json() for p in self.page_offsets],
            "page_start": self.page_start, "page_end": self.page_end,
            "footnotes": [f.to_json() for f in self.footnotes], "text": self.text,
            "warnings": list(self.warnings), "received_date": self.received_date,
            "source_citation": self.source_citation,
            "frus_volume": None if self.frus_volume is None else self.frus_volume.to_json(),
            "decimal_file": None if self.decimal_file is None else self.decimal_file.to_json(),
            "references": [r.to_json() for r in self.references],
            "persons": [p.to_json() for p in self.persons],
        }  # fmt: skip
        return _finish(out, self.absent, self.extra) if self.absent or self.extra else out

    @property
    def recipients(self) -> tuple[Party, ...]:
        """The recipients as a tuple, however many the heading names."""
        if self.recipient is None:
            return ()
        return self.recipient if isinstance(self.recipient, tuple) else (self.recipient,)


@dataclass(frozen=True, slots=True)
class BibliographicRecord:
    """A bibliographic record as CEEOL prints it (``bibliographic-record``)."""

    id: str
    source: Source
    title: str = ""
    title_translated: str | None = None
    authors: tuple[Contributor, ...] = ()
    editors: tuple[Contributor, ...] = ()
    contributors: tuple[Contributor, ...] = ()
    subjects: tuple[str, ...] = ()
    publisher: str | None = None
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    container_title: str | None = None
    container_type: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_start: str | None = None
    page_end: str | None = None
    page_count: int | None = None
    year: int | None = None
    language: str | None = None
    issn: str | None = None
    eissn: str | None = None
    isbn: str | None = None
    abstract_continued: str | None = None
    doi: str | None = None
    content_file: str | None = None
    text: str = ""
    warnings: tuple[str, ...] = ()
    # derived by enrichment
    languages: tuple[Language, ...] = ()
    language_code: str | None = None
    language_code_639_2b: str | None = None
    title_script: str | None = None
    title_translated_script: str | None = None
    title_latin: str | None = None
    transliteration: str | None = None
    container_title_latin: str | None = None
    absent: frozenset[str] = field(default=_ALL_THERE, repr=False)
    extra: Extra = field(default=(), repr=False)

    KIND: ClassVar[str] = "bibliographic-record"
    KEYS: ClassVar[tuple[str, ...]] = (
        "kind", "id", "source", "title", "title_translated", "authors", "editors",
        "contributors", "subjects", "publisher", "keywords", "abstract", "container_title",
        "container_type", "volume", "issue", "page_start", "page_end", "page_count", "year",
        "language", "issn", "eissn", "isbn", "abstract_continued", "doi", "content_file",
        "text", "warnings", "languages", "language_code", "language_code_639_2b",
        "title_script", "title_translated_script", "title_latin", "transliteration",
        "container_title_latin",
    )  # fmt: skip
    DERIVED: ClassVar[frozenset[str]] = frozenset(KEYS[KEYS.index("languages") :])

    @property
    def kind(self) -> str:
        return self.KIND

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> BibliographicRecord:
        g = obj.get
        absent = _absent(obj, _PRESENT[cls])
        return cls(
            g("id", ""), Source.from_json(g("source") or {}), g("title", ""),
            g("title_translated"), _parts(Contributor, g("authors")),
            _parts(Contributor, g("editors")), _parts(Contributor, g("contributors")),
            _strings(g("subjects")), g("publisher"), _strings(g("keywords")), g("abstract"),
            g("container_title"), g("container_type"), g("volume"), g("issue"),
            g("page_start"), g("page_end"), g("page_count"), g("year"), g("language"),
            g("issn"), g("eissn"), g("isbn"), g("abstract_continued"), g("doi"),
            g("content_file"), g("text", ""), _strings(g("warnings")),
            _parts(Language, g("languages")), g("language_code"), g("language_code_639_2b"),
            g("title_script"), g("title_translated_script"), g("title_latin"),
            g("transliteration"), g("container_title_latin"),
            absent, _extra(obj, _KEYSETS[cls]),
        )  # fmt: skip

    def to_json(self) -> JSONObject:
        out: JSONObject = {
            "kind": self.KIND, "id": self.id, "source": self.source.to_json(),
            "title": self.title, "title_translated": self.title_translated,
            "authors": [a.to_json() for a in self.authors],
            "editors": [e.to_json() for e in self.editors],
            "contributors": [c.to_json() for c in self.contributors],
            "subjects": list(self.subjects), "publisher": self.publisher,
            "keywords": list(self.keywords), "abstract": self.abstract,
            "container_title": self.container_title, "container_type": self.container_type,
            "volume": self.volume, "issue": self.issue, "page_start": self.page_start,
            "page_end": self.page_end, "page_count": self.page_count, "year": self.year,
            "language": self.language, "issn": self.issn, "eissn": self.eissn,
            "isbn": self.isbn, "abstract_continued": self.abstract_continued, "doi": self.doi,
            "content_file": self.content_file, "text": self.text,
            "warnings": list(self.warnings),
            "languages": [x.to_json() for x in self.languages],
            "language_code": self.language_code,
            "language_code_639_2b": self.language_code_639_2b,
            "title_script": self.title_script,
            "title_translated_script": self.title_translated_script,
            "title_latin": self.title_latin, "transliteration": self.transliteration,
            "container_title_latin": self.container_title_latin,
        }  # fmt: skip
        return _finish(out, self.absent, self.extra) if self.absent or self.extra else out


Record: TypeAlias = FrusDocument | BibliographicRecord
RECORD_TYPES: tuple[type[FrusDocument], type[BibliographicRecord]] = (
    FrusDocument,
    BibliographicRecord,
)
_BY_KIND: dict[str, type[FrusDocument] | type[BibliographicRecord]] = {
    t.KIND: t for t in RECORD_TYPES
}
# the keys whose absence a part remembers (``absent``), as sets for _absent
_PRESENT: dict[type, frozenset[str]] = {
    t: frozenset(t.KEYS)
    for t in (Source, RegisterPerson, Footnote, Reference, FrusVolume, Contributor,
              FrusDocument, BibliographicRecord)
}  # fmt: skip
_PRESENT[DecimalReading] = frozenset(DecimalReading.READING)
_KEYSETS: dict[type, frozenset[str]] = {
    Source: frozenset(Source.KEYS),
    FrusVolume: frozenset(FrusVolume.KEYS),
    Contributor: frozenset((*Contributor.KEYS, "name_latin")),
    FrusDocument: frozenset(FrusDocument.KEYS),
    BibliographicRecord: frozenset(BibliographicRecord.KEYS),
}


def record_from_json(obj: Mapping[str, Any]) -> Record:
    """The typed record a JSON object is, by its ``kind``."""
    kind = obj.get("kind")
    record_type = _BY_KIND.get(kind) if isinstance(kind, str) else None
    if record_type is None:
        raise ModelError(f"not a record of a known kind: kind {kind!r}")
    return record_type.from_json(obj)
