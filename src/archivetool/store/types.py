"""What every backend of the archive shares: the values its methods take and give (filters,
revisions, the index's query), the rows worked out before a write (:class:`Prepared`), and
the columns a record is listed and filtered by, derived from the record the same way for
every backend so that both list, filter and page alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archivetool import kinds
from archivetool.errors import NotFoundError, UsageError
from archivetool.records import party_label
from archivetool.searchindex import filter_values, index_values


def _persons_folded(record: dict[str, Any]) -> list[str]:
    from archivetool.folding import fold

    return [fold(" ".join(filter(None, [p["name"], p.get("full_name")])))
            for p in record.get("persons") or []]  # fmt: skip


@dataclass(frozen=True)
class Prepared:
    """What the archive writes for a record, worked out before the write lock is taken (in
    a worker process, during ingest): the JSON, the folded text of the search index, the
    filter columns and the persons' folded names. Folding is the dearest part of a write."""

    data: str
    index: tuple[str, ...]
    filters: dict[str, str | None]
    persons: list[str]
    tsvector: str | None = None  # the index as a server's tsvector (a PostgreSQL archive's)


def _dumps(record: dict[str, Any]) -> str:
    """The stored JSON: what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``
    writes, byte for byte, written by orjson in a seventh of the time. They differ only on
    what a record cannot hold (a fraction in an exponent, NaN: the schemas admit integers
    alone), and on what orjson refuses (a lone surrogate, a huge integer), left to json."""
    import orjson

    try:
        return orjson.dumps(record).decode()
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def prepare(record: dict[str, Any], *, server: bool = False) -> Prepared:
    """The rows of a record; ``server``: with the tsvector a PostgreSQL archive writes."""
    index = index_values(record)
    tsvector = None
    if server:
        from archivetool.store.pgsearch import tsvector_literal

        tsvector = tsvector_literal(index)
    return Prepared(_dumps(record), index, filter_values(record), _persons_folded(record), tsvector)


# the fields an archive's put reads of a record besides its prepared rows (the columns, the side
# rows, the facets): a worker sends the writer these alone, since the whole record is in the
# prepared JSON already, and pickling it twice cost the writer as much as storing it
PUT_FIELDS = ("kind", "id", "source", "title", "date", "date_inferred", "year", "file_number",
              "container_title", "authors", "sender", "recipient", "serial_number", "warnings",
              "references", "persons")  # fmt: skip


def put_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What an archive's ``put`` (either backend) needs of a record whose rows are prepared."""
    return {k: record[k] for k in PUT_FIELDS if k in record}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parties(record: dict[str, Any]) -> str | None:
    if not kinds.of(record).correspondence:  # a work: its authors
        names = [a["name"] for a in record.get("authors") or []]
        return "; ".join(names) or None

    s, r = party_label(record.get("sender"), " & "), party_label(record.get("recipient"), " & ")
    return f"{s} → {r}" if s or r else None


def _year(record: dict[str, Any]) -> int | None:
    if record.get("year"):
        return int(record["year"])
    for key in ("date", "date_inferred"):
        if record.get(key):
            return int(record[key][:4])
    return None


@dataclass(frozen=True)
class Known:
    """Content the archive holds already (found by its hash, before it is parsed): the
    record holding it, that content's warnings, and whether it is the record's current
    version (else one of its revisions, which ingesting it again leaves as it is)."""

    id: str
    warnings: list[str]
    current: bool = True


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    year: int | None = None
    limit: int | None = None
    warnings: bool = False  # only records whose reading left a warning to review
    offset: int = 0  # leave out this many first (paging with limit)


@dataclass(frozen=True)
class Revision:
    revision: int
    sha256: str
    path: str
    stored_at: str
    replaced_at: str | None
    record: dict[str, Any]


@dataclass(frozen=True)
class IndexQuery:
    """A search as the index answers it: ``match`` in the index's own query language (FTS5
    over the folded text), the filters with their values folded as the facets are, and how
    many of the best hits to return."""

    match: str
    limit: int
    kind: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    # (facet, folded text), the facets: sender, recipient, place, authors, language
    contains: tuple[tuple[str, str], ...] = ()
    file_number: str | None = None  # a prefix
    offset: int = 0  # the hits after the first ``offset`` (paging with limit)


class IndexQueryError(Exception):
    """The index cannot read a query (the engine's message is the argument)."""


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def the_one(ident: str, found: list[str], where: object) -> str:
    """The record a prefix ``ident`` names, given the ids that start so (up to six, each
    backend's own query): one, or a line saying there is none or more than one."""
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            f"{ident}: no record with this id in {where}",
            hint="run 'archivetool list' to see the ids",
        )
    raise UsageError(
        f"{ident}: more than one record starts so ({', '.join(found[:5])} …)",
        hint="give more of the id",
    )


def pairs(rows: Any) -> list[dict[str, Any]]:
    """A count's rows (value, count) as stats gives them, empty values left out."""
    return [{"value": v, "count": int(c)} for v, c in rows if v not in (None, "")]
