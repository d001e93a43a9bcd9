"""CSV: one row per record, the same columns for both kinds, lists joined with '; '.

A cell a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, as OWASP recommends against CSV injection; ``raw=True``
writes every cell as stored."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from archivetool import kinds
from archivetool.safetext import csv_cell

COLUMNS = [
    "id", "kind", "title", "date", "year", "file_number", "doc_type", "sender_name",
    "sender_role", "sender_person_id", "sender_person", "recipient_name", "recipient_role",
    "recipient_person_id", "recipient_person", "place", "time", "received",
    "serial_number", "classification", "signed", "page_start", "page_end", "footnotes",
    "title_translated", "authors", "editors", "subjects", "keywords", "publisher",
    "container_title", "container_type", "volume", "issue", "page_count", "language",
    "issn", "doi", "warnings", "source_path", "source_sha256", "url",
]  # fmt: skip


def _party(p: Any, key: str) -> str | None:
    if not p:
        return None
    if isinstance(p, list):
        return "; ".join(str(x.get(key) or "") for x in p)
    value = p.get(key)
    return None if value is None else str(value)


def _person(p: Any, key: str) -> str | None:
    """The register's id or full name of an identified party ('; ' between recipients)."""
    parties = p if isinstance(p, list) else [p] if p else []
    values = [str((x.get("person") or {}).get(key) or "") for x in parties]
    return "; ".join(values) if any(values) else None


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    names = lambda xs: "; ".join(x["name"] for x in xs or [])  # noqa: E731
    row = {k: record.get(k) for k in COLUMNS if not isinstance(record.get(k), (list, dict))}
    row.update(
        sender_name=_party(record.get("sender"), "name"),
        sender_role=_party(record.get("sender"), "role"),
        recipient_name=_party(record.get("recipient"), "name"),
        recipient_role=_party(record.get("recipient"), "role"),
        sender_person_id=_person(record.get("sender"), "id"),
        sender_person=_person(record.get("sender"), "name"),
        recipient_person_id=_person(record.get("recipient"), "id"),
        recipient_person=_person(record.get("recipient"), "name"),
        footnotes=len(record.get("footnotes") or []) if kinds.of(record).footnoted else None,
        authors=names(record.get("authors")),
        editors=names(record.get("editors")),
        subjects="; ".join(record.get("subjects") or []),
        keywords="; ".join(record.get("keywords") or []),
        warnings=" | ".join(record.get("warnings") or []),
        source_path=record["source"]["path"],
        source_sha256=record["source"]["sha256"],
        url=(record.get("frus_volume") or {}).get("url"),
    )
    if row.get("year") is None and record.get("date"):
        row["year"] = int(record["date"][:4])
    return row


def write_csv(records: Iterable[dict[str, Any]], out: TextIO, *, raw: bool = False) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in records:
        row = flatten(record)
        writer.writerow(row if raw else {k: csv_cell(v) for k, v in row.items()})
        n += 1
    return n


def write_csv_raw(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """CSV with every cell as stored, formulas included (for tools that are no spreadsheet)."""
    return write_csv(records, out, raw=True)
