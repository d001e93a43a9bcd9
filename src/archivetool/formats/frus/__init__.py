"""FRUS documents: segment, then read.

:func:`segment` cuts a copy from the website into its parts, :mod:`.tei` does the same
for a document of the edition's TEI volumes, and :func:`read` turns the parts into the
record's fields, one small reader per field.
"""

from __future__ import annotations

from archivetool.errors import ParseError
from archivetool.formats.frus.dates import find_date, read_dateline
from archivetool.formats.frus.readers import read
from archivetool.formats.frus.segment import segment
from archivetool.formats.frus.segments import Segments
from archivetool.model import Parsed


def parse_segments(seg: Segments) -> Parsed:
    reading = read(seg)
    return Parsed(fields=reading.fields, text=seg.text, warnings=reading.warnings)


def parse(text: str) -> Parsed:
    """The fields of a FRUS document copied from the website."""
    seg = segment(text)
    if not seg.text.strip():
        raise ParseError(
            "no body: the copy holds a heading but none of the document's text",
            hint="copy the whole document page, from its heading to its last footnote",
        )
    return parse_segments(seg)


__all__ = ["Parsed", "Segments", "find_date", "parse", "parse_segments", "read", "read_dateline",
           "segment"]  # fmt: skip
