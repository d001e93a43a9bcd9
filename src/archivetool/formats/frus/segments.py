"""The parts of a FRUS document, as a typed value both of its sources give.

A copy from the website (:mod:`archivetool.formats.frus.segment`) and a TEI document
(:mod:`archivetool.formats.frus.tei`) are both cut into :class:`Segments`; the field
readers (:mod:`archivetool.formats.frus.readers`) read only this value, so the two sources
meet the same readers and give the same record.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Footnote:
    """A footnote as the document marks it: ``n`` is the label printed at the marker."""

    n: str
    text: str
    marker_text: str | None = None
    offset: int | None = None  # where the marker stands in the record's text, if there


@dataclass(frozen=True)
class Enclosure:
    """A piece the document encloses or quotes with its own heading and signature."""

    label: str | None
    heading: str | None
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stated:
    """What a structured source (TEI) states outright, beside the printed text."""

    sender: str | None = None  # <persName type="from">
    recipient: str | None = None  # <gloss type="to"> / <persName type="to">
    place: str | None = None  # <dateline><placeName>
    date: str | None = None  # <dateline><date when>
    date_inferred: tuple[str, str] | None = None  # frus:doc-dateTime-min / -max


@dataclass(frozen=True)
class Segments:
    """Each part the document shows; an empty value where the copy shows none."""

    heading: str  # as printed, footnote markers removed, spacing slips tidied
    source_lines: tuple[str, ...] = ()
    number_line: str | None = None  # a volume's running number above the heading: "No. 64."
    openers: tuple[str, ...] = ()  # classification, "[Telegram]", "No. 691.]", subject lines
    datelines: tuple[str, ...] = ()  # each dateline as printed, broken lines joined
    received: tuple[str, ...] = ()  # the words inside each received note
    first_paragraph: str = ""  # the body's opening paragraph
    salutation: str | None = None
    closing_dateline: str | None = None
    signature: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    text: str = ""  # the body as the record keeps it: page and note markers out
    page_breaks: tuple[int, ...] = ()
    page_offsets: tuple[tuple[int, int], ...] = ()
    stated: Stated = field(default_factory=Stated)
    warnings: tuple[str, ...] = ()
