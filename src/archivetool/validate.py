"""Validate records against the shipped JSON Schemas, and check what a schema cannot.

Schema errors make a record unfit to store. Semantic checks (a page count that contradicts
the page range, footnotes listed but not marked in the text, a file-number date far from
the dateline) are warnings: the record is kept, and the warning travels with it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from archivetool import kinds
from archivetool.decimal import file_number_date

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_FILES = {k.name: k.schema for k in kinds.KINDS}


@dataclass(frozen=True)
class Issue:
    """One problem found in one input: where, in which field, what."""

    path: str
    message: str
    severity: str = "error"  # "error" keeps the record out of the archive; "warning" does not
    field: str | None = None  # JSON path in the record, "$.sender.role"
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = self.path + (f": line {self.line}" if self.line else "")
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{what} {self.message}"


def schema_names() -> list[str]:
    return kinds.names()


@cache
def load_schema(kind: str) -> dict[str, Any]:
    if kind not in SCHEMA_FILES:
        raise KeyError(kind)
    text = resources.files("archivetool.schemas").joinpath(SCHEMA_FILES[kind]).read_text("utf-8")
    return json.loads(text)


@cache
def validator(kind: str) -> Draft202012Validator:
    """The explaining validator: jsonschema, for the paths and best match of a failure."""
    from jsonschema import Draft202012Validator

    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def compiled(kind: str) -> Any:
    """The checking validator: jsonschema-rs, compiled once, ~150 times faster than a walk
    of the record in Python, and no errors computed for a valid record."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(kind))


def _passes(record: dict[str, Any]) -> bool:
    """True when the compiled validator accepts the record. A record it refuses (or cannot
    take) is judged by jsonschema, so the verdict and the messages stay jsonschema's own: its
    regular expressions are Python's (``$`` before a final newline, Unicode ``\\d``), a
    little more lenient than the ECMA ones, never stricter."""
    try:
        return bool(compiled(record.get("kind", "")).is_valid(record))
    except Exception:
        return False


def _json_path(error: Any) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_issues(record: dict[str, Any], path: str) -> list[Issue]:
    if record.get("kind") in SCHEMA_FILES and _passes(record):
        return []
    from jsonschema.exceptions import best_match

    v = validator(record.get("kind", ""))
    errors = list(v.iter_errors(record))
    if not errors:
        return []
    out = []
    best = best_match(errors)
    for err in sorted(errors, key=lambda e: (e is not best, list(map(str, e.absolute_path)))):
        out.append(Issue(path, err.message, "error", _json_path(err)))
    return out


def semantic_warnings(record: dict[str, Any]) -> list[str]:
    """What a person should review in a record, by its kind's checks."""
    kind = kinds.find(record.get("kind"))
    return kind.warnings(record) if kind is not None else []


def bibliographic_warnings(record: dict[str, Any]) -> list[str]:
    """A page count that contradicts the page range."""
    out: list[str] = []
    start, end, count = (
        record.get("page_start"),
        record.get("page_end"),
        record.get("page_count"),
    )
    if count is not None and start and end and start.isdigit() and end.isdigit():
        span = int(end) - int(start) + 1
        if span != count:
            out.append(
                f"page_count: {count} contradicts the page range {start}-{end} "
                f"({span} pages); kept as printed"
            )
    return out


def frus_warnings(record: dict[str, Any]) -> list[str]:
    """Footnotes without a marker; a dateline far from the file number's date."""
    out: list[str] = []
    unmarked = [f["n"] for f in record.get("footnotes", []) if f.get("marker_text") is None]
    if unmarked:
        out.append("footnotes: no marker found in the text for footnote(s) " + ", ".join(unmarked))
    fdate, ddate = _day(file_number_date(record.get("file_number"))), _day(record.get("date"))
    if fdate and ddate:
        gap = abs((fdate - ddate).days)
        if gap > 7:
            out.append(
                f"date: the dateline says {ddate} but the file number "
                f"{record['file_number']} says {fdate} ({gap} days apart)"
            )
    return out


def _day(value: Any) -> date | None:
    """The day an ISO date names, or None when it names none (``1948-09-31``)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


_DATE_FIELDS = ("date", "received_date", "date_inferred")


def calendar_issues(record: dict[str, Any], path: str) -> list[Issue]:
    """A date of the form YYYY-MM-DD that is no day of the calendar: the text says so
    (a dateline 'September 31, 1948'), and a record must not carry it as a date."""
    out = []
    for key in _DATE_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and len(value) == 10 and _day(value) is None:
            said = record.get("dateline") if key == "date" else None
            where = f" (the dateline reads {said!r})" if said else ""
            out.append(Issue(path, f"{value} is not a day of the calendar{where}; "
                             "check the text against the printed volume", "error", f"$.{key}"))  # fmt: skip
    return out


def check_record(record: dict[str, Any]) -> list[Issue]:
    """Add the semantic warnings to the record; return the schema and calendar errors."""
    path = record.get("source", {}).get("path", "?")
    for w in semantic_warnings(record):
        if w not in record["warnings"]:
            record["warnings"].append(w)
    return schema_issues(record, path) + calendar_issues(record, path)
