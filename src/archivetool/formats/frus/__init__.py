"""FRUS documents: segment, then read.

:func:`segment` cuts a copy from the website into its parts, :mod:`.tei` does the same
for a document of the edition's TEI volumes, and :func:`read` turns the parts into the
record's fields, one small reader per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archivetool.formats.frus.dates import find_date, read_dateline
from archivetool.formats.frus.readers import read
from archivetool.formats.frus.segment import segment
from archivetool.formats.frus.segments import Segments


@dataclass
class Parsed:
    fields: dict[str, Any]
    text: str
    warnings: list[str] = field(default_factory=list)


def parse_segments(seg: Segments) -> Parsed:
    reading = read(seg)
    return Parsed(fields=reading.fields, text=seg.text, warnings=reading.warnings)


def parse(text: str) -> Parsed:
    """The fields of a FRUS document copied from the website."""
    return parse_segments(segment(text))


__all__ = ["Parsed", "Segments", "find_date", "parse", "parse_segments", "read", "read_dateline",
           "segment"]  # fmt: skip
