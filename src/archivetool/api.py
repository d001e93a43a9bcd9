"""archivetool as a library: what the command line does, for a notebook or a script.

    import archivetool as at

    with at.open_archive("archive.sqlite") as archive:  # or "postgresql://alice@db/frus"
        report = at.ingest(archive, ["sources/"])
        hits = at.search(archive, "Mihailović", sender="winant")
        at.export(archive, "bibtex", open("frus.bib", "w"))
    records = list(at.extract(["telegram.txt"]))

Every function returns data (records are the JSON objects the shipped schemas describe);
nothing prints. Bad input raises no exception from :func:`extract` or :func:`ingest`: a
failed input is reported in the result, as the command line reports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from archivetool.pipeline import IngestReport
    from archivetool.store import ArchiveStore as Archive

KINDS = {"frus": "frus-document", "bib": "bibliographic-record"}


def open_archive(location: str | Path, *, readonly: bool = False) -> Archive:
    """The archive at ``location``: an SQLite file (made there when it does not exist,
    unless ``readonly``), or a PostgreSQL server's database given as a URL
    (``postgresql://user@host/database``) or libpq keywords (``dbname=frus host=db``).
    Use it as a context manager so that it is closed."""
    from archivetool.settings import resolve_archive
    from archivetool.store import open_archive as open_location

    return open_location(resolve_archive(location), create=not readonly, readonly=readonly)


def ingest(archive: Archive, paths: Iterable[str | Path], *, jobs: int = 1) -> IngestReport:
    """Read, check and store every input (files, folders, TEI volumes); the report counts
    what was ingested, updated, unchanged and failed, with each failure's message."""
    from archivetool.ingest import ingest as run

    return run(archive, [str(p) for p in paths], jobs=jobs)


@dataclass
class Extracted:
    """What :func:`extract` read: the records, and the inputs that failed with why."""

    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)


def iter_records(paths: Iterable[str | Path], *, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """The record of each input that reads and validates, in input order, streamed."""
    from archivetool.pipeline import iter_outcomes

    for out in iter_outcomes([str(p) for p in paths], jobs=jobs):
        if not out.failed and out.record is not None:
            yield out.record


def extract(paths: Iterable[str | Path], *, jobs: int = 1) -> Extracted:
    """Every input's record, nothing stored (what ``archivetool extract`` prints), and the
    inputs that failed."""
    from archivetool.pipeline import iter_outcomes

    result = Extracted()
    for out in iter_outcomes([str(p) for p in paths], jobs=jobs):
        if out.failed or out.record is None:
            result.failures += [i.as_dict() for i in out.issues if i.severity == "error"]
        else:
            result.records.append(out.record)
    return result


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
) -> list[dict[str, Any]]:
    """Ranked hits, best first (``id, kind, title, date, score, snippet, highlights,
    record``), with the command's filters: ``kind`` is ``frus`` or ``bib`` (or the schema's
    names), dates ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    from archivetool.search import SearchFilters
    from archivetool.search import search as run

    filters = SearchFilters(
        kind=KINDS.get(kind, kind) if kind else None, date_from=date_from, date_to=date_to,
        sender=sender, recipient=recipient, place=place, file_number=file_number,
        author=author, language=language, limit=limit,
    )  # fmt: skip
    return run(archive, query, filters)


def export(
    archive: Archive,
    format: str,
    out: TextIO,
    *,
    kind: str | None = None,
    year: int | None = None,
    limit: int | None = None,
) -> int:
    """Write the stored records (all, or those of ``kind``/``year``) to ``out`` in
    ``format`` (json, jsonl, csv, bibtex, biblatex, ris, csl-json, dc, tei, graphml,
    edges-csv); returns how many were written."""
    from archivetool.exporters import get_exporter
    from archivetool.store import Filters

    filters = Filters(kind=KINDS.get(kind, kind) if kind else None, year=year, limit=limit)
    return int(get_exporter(format)(archive.iter_records(filters), out) or 0)


def get(archive: Archive, record_id: str) -> dict[str, Any]:
    """One stored record, by its id or any unique prefix of it."""
    return archive.get(record_id)
