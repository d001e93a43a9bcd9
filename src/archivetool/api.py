"""archivetool as a library: what the command line does, for a notebook or a script.

    import archivetool as at

    with at.open_archive("archive.sqlite") as archive:  # or "postgresql://alice@db/frus"
        report = at.ingest(archive, ["sources/"])
        hits = at.search(archive, "Mihailović", sender="winant")
        at.export(archive, "bibtex", open("frus.bib", "w"))
        doc = at.get(archive, "frus-70af")           # a typed record: doc.sender.name
    records = at.extract(["telegram.txt"]).records   # typed records, nothing stored

Every function returns data; nothing prints. Records are typed values
(:mod:`archivetool.model`: ``FrusDocument``, ``BibliographicRecord``), whose ``to_json()`` is
the JSON object the shipped schemas describe; reports, hits, readings and rows are JSON
objects. Each command of the command line calls one function here, and its ``--format json``
output is that function's result. Bad input raises no exception from :func:`extract`,
:func:`validate` or :func:`ingest`: a failed input is reported in the result, as the command
line reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from archivetool.copying import CopyReport
    from archivetool.model import JSONObject, Record
    from archivetool.pipeline import IngestReport
    from archivetool.store import ArchiveStore as Archive
    from archivetool.store import Revision
    from archivetool.validate import Issue

Progress = Callable[[int, int | None, str], None]  # (done, total, path), as ingest reports


def _kind(name: str | None) -> str | None:
    """A kind as the record names it, given its short name or that (None: every kind)."""
    from archivetool import kinds

    found = kinds.find(name)
    return found.name if found is not None else name


def open_archive(location: str | Path, *, readonly: bool = False) -> Archive:
    """The archive at ``location``: an SQLite file (made there when it does not exist,
    unless ``readonly``), or a PostgreSQL server's database given as a URL
    (``postgresql://user@host/database``) or libpq keywords (``dbname=frus host=db``).
    Use it as a context manager so that it is closed."""
    from archivetool.settings import resolve_archive
    from archivetool.store import open_archive as open_location

    return open_location(resolve_archive(location), create=not readonly, readonly=readonly)


def ingest(
    archive: Archive,
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Read, check and store every input (files, folders, TEI volumes); the report counts
    what was ingested, updated, unchanged and failed, with each failure's message
    (``report.as_dict()`` is what ``ingest --format json`` prints)."""
    from archivetool.ingest import ingest as run

    return run(archive, [str(p) for p in paths], jobs=jobs, on_progress=on_progress)


@dataclass(frozen=True)
class Extraction:
    """One input read: its record (typed, and as the JSON ``extract`` prints), or the
    errors that kept it out; warnings either way."""

    path: str
    json: JSONObject | None
    issues: list[Issue]

    @property
    def record(self) -> Record | None:
        from archivetool.model import record_from_json

        return None if self.json is None else record_from_json(self.json)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def read(paths: Iterable[str | Path], *, jobs: int = 1) -> Iterator[Extraction]:
    """Every input read, parsed, enriched and checked, in input order, streamed; nothing
    stored."""
    from archivetool.pipeline import iter_outcomes

    for out in iter_outcomes([str(p) for p in paths], jobs=jobs):
        good = not out.failed and out.record is not None
        yield Extraction(out.path, out.record if good else None, out.issues)


@dataclass
class Extracted:
    """What :func:`extract` read: the records, and the inputs that failed with why."""

    records: list[Record] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)


def iter_records(paths: Iterable[str | Path], *, jobs: int = 1) -> Iterator[Record]:
    """The record of each input that reads and validates, in input order, streamed."""
    for item in read(paths, jobs=jobs):
        record = item.record
        if record is not None:
            yield record


def extract(paths: Iterable[str | Path], *, jobs: int = 1) -> Extracted:
    """Every input's record, nothing stored (what ``archivetool extract`` prints), and the
    inputs that failed."""
    result = Extracted()
    for item in read(paths, jobs=jobs):
        record = item.record
        if record is None:
            result.failures += [i.as_dict() for i in item.errors]
        else:
            result.records.append(record)
    return result


def validate(paths: Iterable[str | Path], *, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """A row per input, streamed: ``{path, valid, kind, issues}``, each issue with its
    message, severity and, where known, line and field (a JSON path)."""
    from archivetool.pipeline import ReportWork, iter_outcomes

    for o in iter_outcomes([str(p) for p in paths], jobs=jobs, work=ReportWork()):
        yield {"path": o.path, "valid": not o.failed, "kind": o.record["kind"] if o.record else None,
               "issues": [i.as_dict() for i in o.issues]}  # fmt: skip


def get(archive: Archive, record_id: str) -> Record:
    """One stored record, by its id or any unique prefix of it."""
    from archivetool.model import record_from_json

    return record_from_json(archive.get(record_id))


def revisions(archive: Archive, record_id: str) -> list[dict[str, Any]]:
    """The earlier versions of a stored record, oldest first, each with its record."""
    return [_revision(r) for r in archive.revisions(record_id)]


def _revision(r: Revision) -> dict[str, Any]:
    return {"revision": r.revision, "sha256": r.sha256, "path": r.path,
            "stored_at": r.stored_at, "replaced_at": r.replaced_at, "record": r.record}  # fmt: skip


def list_json(
    archive: Archive,
    *,
    kind: str | None = None,
    year: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    warnings: bool = False,
) -> Iterator[JSONObject]:
    """The stored records as JSON (all, or those of ``kind``/``year``; ``warnings``: only
    those a person should review), in a stable order, streamed: what ``list`` and
    ``export`` read. :func:`list_records` gives them typed."""
    from archivetool.store import Filters

    filters = Filters(kind=_kind(kind), year=year, limit=limit, offset=offset, warnings=warnings)
    return archive.iter_records(filters)


def list_records(
    archive: Archive,
    *,
    kind: str | None = None,
    year: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    warnings: bool = False,
) -> Iterator[Record]:
    """The stored records, typed, as :func:`list_json` finds them."""
    from archivetool.model import record_from_json

    found = list_json(archive, kind=kind, year=year, limit=limit, offset=offset, warnings=warnings)
    return (record_from_json(r) for r in found)


def export(
    archive: Archive,
    format: str,
    out: TextIO,
    *,
    kind: str | None = None,
    year: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    warnings: bool = False,
    raw_csv: bool = False,
) -> int:
    """Write the stored records (all, or those the filters find, as :func:`list_json`) to
    ``out`` in ``format`` (json, jsonl, csv, bibtex, biblatex, ris, csl-json, dc, tei,
    graphml, edges-csv); returns how many were written. ``raw_csv`` leaves CSV cells that
    look like spreadsheet formulas as they are."""
    from archivetool.exporters import get_exporter

    found = list_json(archive, kind=kind, year=year, limit=limit, offset=offset, warnings=warnings)
    return int(get_exporter(format, raw_csv=raw_csv)(found, out) or 0)


def search(
    archive: Archive,
    query: str,
    *,
    kind: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
    place: str | None = None,
    file_number: str | None = None,
    author: str | None = None,
    language: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Ranked hits, best first (``id, kind, title, date, score, snippet, highlights,
    record``), with the command's filters: ``kind`` is ``frus`` or ``bib`` (or the schema's
    names), dates ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    from archivetool.search import SearchFilters
    from archivetool.search import search as run

    filters = SearchFilters(
        kind=_kind(kind), date_from=date_from, date_to=date_to, sender=sender,
        recipient=recipient, place=place, file_number=file_number, author=author,
        language=language, limit=limit, offset=offset,
    )  # fmt: skip
    return run(archive, query, filters)


def stats(archive: Archive, *, top: int = 10) -> dict[str, Any]:
    """Counts by kind, year, document type and decimal-file country, and the ``top`` most
    frequent senders, recipients, authors and subjects."""
    from archivetool.stats import archive_stats

    return archive_stats(archive, top)


def decode(key: str, *, year: int | None = None) -> dict[str, Any]:
    """The reading of a decimal file number with the schedule of ``year``. A key of another
    filing system (a lot file, a subject-numeric key) is read as such; text that is no file
    key at all raises :class:`archivetool.errors.InputError`."""
    from archivetool.decimal import NOT_DECIMAL
    from archivetool.decimal import decode as decode_key
    from archivetool.errors import InputError, UsageError

    reading = decode_key(key, year)
    if reading is None:
        raise UsageError("decode: give a file number, e.g. 860H.01/478", hint="the key was empty")
    if reading.get("reason") == NOT_DECIMAL:
        # a key of another filing system is an answer; a string that is no key at all is not
        raise InputError(
            f"decode: {key.strip()!r} is not a file number",
            hint="give a decimal file number such as 860H.01/478 or 740.0011 European War 1939/25630",
        )
    return reading


@dataclass(frozen=True)
class Threads:
    """A document's cross-references: what it cites (each with the stored documents it
    resolves to) and the stored documents that cite it."""

    record: JSONObject
    references: list[dict[str, Any]]
    cited_by: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.record["id"], "references": self.references, "cited_by": self.cited_by}


def refs(archive: Archive, record_id: str) -> Threads:
    """What a stored document cites and what cites it; a record of a kind without
    correspondence (a bibliographic record) raises :class:`archivetool.errors.InputError`."""
    from archivetool import kinds
    from archivetool.crossref import cited_by, resolve
    from archivetool.errors import InputError

    record = archive.get(record_id)
    if not kinds.of(record).correspondence:
        raise InputError(
            f"{record['id']}: not a FRUS document (a {record['kind']}), so it has no "
            "cross-references to follow",
            hint="give the id of a FRUS document: archivetool list --kind frus",
        )
    return Threads(record, list(resolve(archive, record)), list(cited_by(archive, record)))


def persons(
    archive: Archive, search: str | None = None, *, register: bool = False
) -> list[dict[str, Any]]:
    """The people the editors' footnotes identify, with the documents mentioning them;
    ``register``: the office-holders the senders and recipients were identified as.
    ``search`` matches names, ignoring case, diacritics and script."""
    from archivetool.correspondents import register_people
    from archivetool.crossref import people

    return register_people(archive, search) if register else people(archive, search)


def who(office: str, date: str | None = None) -> dict[str, Any]:
    """Who held an office (as a heading names it) on a date, from the register alone:
    ``{office, date, holders, note}``."""
    from archivetool.identify import who as who_held

    return who_held(office, date)


def schema(name: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a kind (``frus``, ``bib`` or the record's kind), or all of them
    by kind; an unknown name raises :class:`archivetool.errors.UsageError`."""
    from archivetool import kinds
    from archivetool.errors import UsageError
    from archivetool.validate import load_schema

    if name is None:
        return {n: load_schema(n) for n in kinds.names()}
    kind = kinds.find(name)
    if kind is None:
        raise UsageError(
            f"{name}: no such schema",
            hint="choose frus (frus-document) or bib (bibliographic-record)",
        )
    return load_schema(kind.name)


def cite(
    archive: Archive,
    record_ids: Iterable[str],
    *,
    style: str = "chicago-note",
    markdown: bool = False,
    latin: bool = False,
    full_names: bool = False,
) -> list[str]:
    """A formatted citation per record (Chicago, notes or bibliography); ``full_names`` puts
    the identified office-holders' full names into a FRUS heading."""
    from archivetool.cite import cite as format_citation
    from archivetool.identify import with_full_names

    out = []
    for rid in record_ids:
        record = archive.get(rid)
        if full_names:
            record = with_full_names(record)
        out.append(format_citation(record, style, markdown=markdown, latin=latin))
    return out


def copy(
    source: str | Path, dest: str | Path, *, on_progress: Progress | None = None
) -> CopyReport:
    """Copy every record of the archive at ``source`` with its revisions into the one at
    ``dest`` (made when absent), as ``archivetool copy`` does: the report counts the records
    copied, extended, unchanged and those that differ (``differs``: their ids, left as they
    are in ``dest``). Run again, it copies only what is missing."""
    from archivetool.copying import copy_archive

    return copy_archive(source, dest, on_progress=on_progress)
