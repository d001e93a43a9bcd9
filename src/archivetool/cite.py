"""Formatted citations for pasting into a footnote: Chicago (17th ed.) notes and
bibliography, as plain text or Markdown (titles of books and journals in italics)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from archivetool.citation import Citation, Name, from_record

STYLES = ("chicago-note", "chicago-bibliography")


def chicago_pages(start: str | None, end: str | None) -> str | None:
    """Inclusive numbers the Chicago way (CMOS 9.61): 147–58, 101–8, 1007–9, 99–104."""
    if not start:
        return None
    if not end or end == start:
        return start
    if not (start.isdigit() and end.isdigit()) or int(end) < int(start):
        return f"{start}–{end}"
    a, b = int(start), int(end)
    if a < 100 or a % 100 == 0:
        return f"{a}–{b}"
    if len(start) != len(end):
        return f"{a}–{b}"
    # keep the changed part, at least two digits when the first number is past 100
    i = 0
    while i < len(start) and start[i] == end[i]:
        i += 1
    tail = end[i:]
    if len(start) == 4 and len(tail) >= 3:
        return f"{a}–{b}"  # three digits change in a four-digit number: all four
    if len(tail) < 2 and a % 100 >= 10:
        tail = end[-2:]
    elif a % 100 < 10:
        tail = end[i:]
    return f"{a}–{tail}"


def _names(names: list[Name], *, inverted_first: bool = False) -> str:
    shown = []
    for i, n in enumerate(names):
        if inverted_first and i == 0 and n.family and n.given:
            shown.append(f"{n.family}, {n.given}")
        else:
            shown.append(n.display)
    if len(shown) <= 2:
        return " and ".join(shown)
    if len(shown) > 3 and not inverted_first:
        return f"{shown[0]} et al."
    return ", ".join(shown[:-1]) + ", and " + shown[-1]


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _end(text: str) -> str:
    """Close a part with a full stop, without doubling one ('Popović, Nikola B.')."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _title(c: Citation) -> str:
    return f"{c.title} [{c.title_translated}]" if c.title_translated else c.title


# a heading that begins with one of these already says what kind of document it is
_TYPE_NOUNS = frozenset({
    "telegram", "letter", "memorandum", "memoranda", "message", "note", "notes", "despatch",
    "dispatch", "airgram", "instruction", "circular", "report", "editorial", "minutes", "paper",
    "record", "summary", "transcript", "aide-mémoire", "aide-memoire", "backchannel",
})  # fmt: skip


def _heading_names_type(title: str, genre: str) -> bool:
    words = [w.lower() for w in re.findall(r"[\w-]+", title)[:3]]
    return bool(words) and (words[0] in _TYPE_NOUNS or genre.split()[0] in words)


_NOT_CENTRAL_FILES = re.compile(r"\b(?:Papers|Files?|Lot|Library|Records)\b", re.IGNORECASE)


def _file(key: str | None) -> str | None:
    """A file number of the Department's central files ('Department of State file 860H.01/478',
    'POL 23–9 LAOS'); another repository's key (Roosevelt Papers, a lot file) as printed."""
    if not key:
        return None
    if _NOT_CENTRAL_FILES.search(key) or not re.search(r"\d", key):
        return key
    return f"Department of State file {key}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _document(c: Citation, it: Any, note: bool) -> str:
    """A FRUS document as the Office of the Historian and the Chicago Manual (14.305) cite it:
    the heading (sender to recipient), what it is and its number, place and date (a date the
    text does not state in brackets), the volume, the document number, pages, permalink."""
    title = c.title
    if c.genre and not _heading_names_type(title, c.genre):
        what = " ".join(x for x in (c.genre, c.number) if x)
    else:
        what = f"no. {c.number}" if c.number else ""
    when = place = None
    if c.date:
        when = _long_date(c.date)
        if when in title:  # a memorandum's heading gives place and date itself
            when = None
        place = c.place if c.place and (when or c.place not in title) else None
    else:
        place = c.place
        when = f"[{_long_date(c.date_inferred)}]" if c.date_inferred else None
    file = _file(c.archive_location)
    details = ", ".join(x for x in (what, place, when, file) if x)
    volume = it(c.series or c.container_title or "")
    if c.volume_detail:
        volume += f", {c.volume_detail}"
    where = ", ".join(
        x
        for x in (
            volume,
            f"doc. {c.doc_number}" if c.doc_number else None,
            chicago_pages(c.page_start, c.page_end),
        )
        if x
    )
    if note:
        parts = [title, details, f"in {where}", c.url]
        return ", ".join(x for x in parts if x) + "."
    parts = [title, _capital(details), f"In {where}", c.url]
    return " ".join(_end(x) for x in parts if x)


def cite(
    record: dict[str, Any],
    style: str = "chicago-note",
    *,
    markdown: bool = False,
    latin: bool = False,
) -> str:
    """One citation; ``latin`` gives a title printed in another script in Latin letters."""
    c = from_record(record, latin=latin)
    it = (lambda s: f"*{s}*") if markdown else (lambda s: s)
    note = style == "chicago-note"
    pages = chicago_pages(c.page_start, c.page_end)
    if c.kind == "document":
        return _document(c, it, note)
    who = _names(c.authors, inverted_first=not note)
    eds = f"ed. {_names(c.editors)}" if c.editors else None
    if c.kind == "article":
        head = f"“{_title(c)},”" if note else f"“{_title(c)}.”"
        journal = it(c.container_title) if c.container_title else None
        vol = " ".join(x for x in (journal, c.volume) if x)
        if c.issue:
            vol = f"{vol}, no. {c.issue}" if vol else f"no. {c.issue}"
        year = f" ({c.year})" if c.year else ""
        tail = f"{vol}{year}" + (f": {pages}" if pages else "")
        body = " ".join(x for x in (head, tail.strip()) if x)
        return (f"{who}, {body}." if note else f"{_end(who)} {body}.") if who else f"{body}."
    if c.kind == "chapter":
        head = f"“{_title(c)},”" if note else f"“{_title(c)}.”"
        book = (
            "in " + it(c.container_title)
            if note and c.container_title
            else ("In " + it(c.container_title) if c.container_title else None)
        )
        pub = ", ".join(x for x in (c.publisher, str(c.year) if c.year else None) if x)
        if note:
            inner = ", ".join(x for x in (book, eds) if x)
            text = " ".join(x for x in (head, inner, f"({pub})" if pub else None) if x)
            if pages:
                text += f", {pages}"
            return f"{who}, {text}." if who else f"{text}."
        inner = ", ".join(x for x in (book, eds, pages) if x)
        text = " ".join(
            x for x in (head, inner + "." if inner else None, pub + "." if pub else None) if x
        )
        return f"{_end(who)} {text}" if who else text
    # a report or a whole item of grey literature
    title = it(_title(c))
    pub = ", ".join(x for x in (c.publisher, str(c.year) if c.year else None) if x)
    if note:
        text = f"{title} ({pub})" if pub else title
        return f"{who}, {text}." if who else f"{text}."
    return " ".join(_end(x) for x in (who, title, pub) if x)
