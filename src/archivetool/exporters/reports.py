"""Machine output of the commands' results other than records: reports, hits, readings.

Each writes straight to the stream, as the record exporters do; none passes through rich.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from archivetool.safetext import csv_cell


def write_document(value: Any, out: TextIO) -> None:
    """One JSON document (an object or a list), indented for reading."""
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


HIT_FIELDS = ("id", "kind", "date", "score", "title", "snippet", "highlights")


def write_hits(
    hits: list[dict[str, Any]], fmt: str, out: TextIO, *, raw_csv: bool = False, first: int = 1
) -> None:
    """Search hits as json, jsonl or csv (rank first, counted from ``first``: a later page
    goes on from the one before), without the full records; CSV cells that a spreadsheet
    would run as formulas are neutralised unless ``raw_csv``."""
    rows = [{k: h[k] for k in HIT_FIELDS} for h in hits]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", "id", "kind", "date", "score", "title", "snippet"])
        for i, r in enumerate(rows, start=first):
            cells = [i, r["id"], r["kind"], r["date"], r["score"], r["title"], r["snippet"]]
            writer.writerow(cells if raw_csv else [csv_cell(c) for c in cells])
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        write_document(rows, out)


def write_rows(
    rows: Iterable[dict[str, Any]], fmt: str, out: TextIO, *, raw_csv: bool = False
) -> int:
    """Rows of a result (people, office-holders, checked files) as json (an array), jsonl
    or csv, streamed; returns how many. A CSV header comes from the first row; a list or
    an object in a cell is written as its JSON, and cells a spreadsheet would run as
    formulas are neutralised unless ``raw_csv``."""
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        columns: list[str] = []
        for row in rows:
            if not columns:
                columns = list(row)
                writer.writerow(columns)
            cells = [_cell(row.get(c)) for c in columns]
            writer.writerow(cells if raw_csv else [csv_cell(c) for c in cells])
            n += 1
        return n
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    out.write("[")
    for row in rows:
        out.write((",\n" if n else "\n") + json.dumps(row, ensure_ascii=False, indent=2))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON writes them
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
