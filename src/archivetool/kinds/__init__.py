"""One place per kind of document: what archivetool knows of a FRUS document and of a CEEOL
bibliographic record, each in one registry entry (:mod:`.frus`, :mod:`.bib`).

An entry owns its kind's detection (``sniff``), the names it goes by (the record's ``kind``,
the short name of ``--kind``), the id prefix and what makes two copies one document, the
schema, the model (:mod:`archivetool.model`), the parser, the enrichment, the semantic
checks, the search index's fields, the table columns of ``list`` and ``show``, the citation
and the TEI export. The stages ask the registry (``kinds.of(record)``, ``kinds.get(name)``)
instead of testing a kind's name, so that a third kind (a CIA CREST document, a Foreign
Office paper) is one new entry.

The registry sits below every stage, so that any of them may ask it; what a stage does for a
kind lives in that stage and is named here by its dotted path (:class:`Hook`), loaded on
first use, as a plug-in is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from archivetool.model import BibliographicRecord, FrusDocument, JSONObject, Parsed, Record


class Hook:
    """A function of a later stage, named by ``module:function`` and imported when called."""

    __slots__ = ("path", "_fn")

    def __init__(self, path: str) -> None:
        self.path = path
        self._fn: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._fn is None:
            module, _, name = self.path.partition(":")
            self._fn = getattr(importlib.import_module(module), name)
        return self._fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Hook({self.path!r})"

    def __reduce__(self) -> tuple[type[Hook], tuple[str]]:
        return Hook, (self.path,)


@dataclass(frozen=True)
class ListRow:
    """The columns of ``list`` for one record: its type, when, where it is filed, who."""

    type: str
    when: str
    where: str
    who: str


@dataclass(frozen=True)
class IndexText:
    """What the search index holds of a record, column by column (before folding)."""

    title: str
    body: str
    notes: str
    names: str
    extra: str


@dataclass(frozen=True)
class CitationTypes:
    """How each citation format types one genre of citation (document, article, chapter …);
    ``dc`` empty where Dublin Core gives only the document's own genre (telegram …)."""

    bibtex: str
    biblatex: str
    ris: str
    csl: str
    dc: str


@dataclass(frozen=True)
class Facet:
    """One count of ``stats``: the most frequent values of a field over a kind's records.

    ``field`` is the path in the record's JSON (``("decimal_file", "country")``); ``shape``
    says how a value is read there: ``value`` the field itself, ``each`` every item of the
    list it holds (its ``member``, if given), ``party`` a party's name or else its role,
    ``person`` the register's id of the person a party was identified as (shown by name).
    Each backend turns a facet into its own query."""

    name: str  # the key in stats' result
    field: tuple[str, ...]
    shape: str = "value"
    member: str | None = None


@dataclass(frozen=True, repr=False)
class Kind:
    """One kind of document, everything archivetool knows of it."""

    name: str  # the record's "kind"
    short: str  # --kind frus, schema frus
    label: str  # for people: "FRUS document"
    id_prefix: str  # frus-70af105816c1
    schema: str  # the file under schemas/
    model: type[FrusDocument] | type[BibliographicRecord]
    sniff: Callable[[str], bool]  # detection: is this text one of this kind?
    identity: Callable[[Mapping[str, Any], str], list[Any]]  # what makes two copies one
    parser: Hook  # text -> model.Parsed
    enrichment: Hook  # the parser's fields (JSON) -> the fields enriched (enrich.py)
    semantic_checks: Hook  # record JSON -> warnings (validate.py)
    citation: Hook  # record JSON, latin=… -> citation.Citation
    tei: Hook  # record JSON, xml:id -> the TEI element (exporters/tei.py)
    list_row: Callable[[Mapping[str, Any]], ListRow]
    show_rows: Hook  # record JSON -> (label, value) rows of show's panel (render.py)
    index_text: Callable[[Mapping[str, Any]], IndexText]
    filter_text: Callable[[Mapping[str, Any]], dict[str, str | None]]
    snippet_fields: Callable[[Mapping[str, Any]], list[str]]
    body_field: str  # the field show prints as the record's text
    body_label: str
    paged: bool  # the body carries the printed volume's page breaks
    footnoted: bool  # the editors' footnotes, numbered as the volume prints them
    language_code: str | None  # the one language every record of this kind is in, if any
    correspondence: bool  # a sender writing to recipients: the network, refs, the register
    citation_types: Mapping[str, CitationTypes] = field(default_factory=dict)
    facets: tuple[Facet, ...] = ()  # what stats counts over this kind's records

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    def parse(self, text: str) -> Parsed:
        """The parser's reading of ``text``."""
        parsed: Parsed = self.parser(text)
        return parsed

    def enrich(self, record: Record) -> Record:
        """The record with its derived fields: a new value, the one given is left as it is."""
        enriched: JSONObject = self.enrichment(record.to_json())
        return self.model.from_json(enriched)

    def enrich_json(self, fields: JSONObject) -> JSONObject:
        """What ``enrich(model.from_json(fields)).to_json()`` gives (``fields`` is taken):
        the enrichment of the parser's JSON, read through the model once, not twice, since
        ingest pays for each round (tests/test_pipeline_json.py holds the two alike)."""
        enriched: JSONObject = self.enrichment(fields)
        return self.model.from_json(enriched).to_json()

    def warnings(self, record: Mapping[str, Any]) -> list[str]:
        """The semantic checks' warnings on a record's JSON."""
        found: list[str] = self.semantic_checks(record)
        return found


def _registry() -> tuple[Kind, ...]:
    from archivetool.kinds.bib import BIB
    from archivetool.kinds.frus import FRUS

    return (FRUS, BIB)


KINDS: tuple[Kind, ...] = _registry()
# the order of detection: a CEEOL record's labels are more telling than a FRUS sign (a
# record's abstract may quote a telegram)
DETECTION: tuple[Kind, ...] = (KINDS[1], KINDS[0])
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
# a kind is asked for by its short name or by the record's own kind
BY_ANY_NAME: dict[str, Kind] = {**BY_NAME, **{k.short: k for k in KINDS}}
FRUS: Kind = BY_NAME["frus-document"]
BIBLIOGRAPHIC: Kind = BY_NAME["bibliographic-record"]


def get(name: str) -> Kind:
    """The kind named ``name`` (``frus``, ``frus-document``, ``bib`` …); KeyError if none."""
    return BY_ANY_NAME[name.strip().lower()]


def find(name: str | None) -> Kind | None:
    """The kind named ``name``, or None."""
    return BY_ANY_NAME.get(name.strip().lower()) if name else None


def of(record: Mapping[str, Any] | Record) -> Kind:
    """The kind of a record (its JSON or its model)."""
    name = record.kind if isinstance(record, FrusDocument | BibliographicRecord) else record["kind"]
    return BY_NAME[name]


def sniff(text: str) -> Kind | None:
    """Which kind of document this text is, or None when it is none of them."""
    head = text[:6000]
    return next((k for k in DETECTION if k.sniff(head)), None)


def citation_types(fmt: str) -> dict[str, str]:
    """Each citation genre's type in one format (``bibtex``, ``biblatex``, ``ris``, ``csl``,
    ``dc``), over every kind's genres."""
    return {g: getattr(t, fmt) for k in KINDS for g, t in k.citation_types.items()}


def facets() -> list[tuple[Kind, Facet]]:
    """Every kind's counts for ``stats``, in the registry's order."""
    return [(k, f) for k in KINDS for f in k.facets]


def correspondence() -> list[str]:
    """The record names of the kinds written from a sender to recipients (with serial
    numbers, cross-references and parties identified in the register)."""
    return [k.name for k in KINDS if k.correspondence]


def names() -> list[str]:
    """Every kind's record name, in the registry's order."""
    return [k.name for k in KINDS]
