"""What one line of a FRUS copy can be: a source line, an opener, a dateline piece, body.

Each test looks at a single line; :mod:`archivetool.formats.frus.segment` decides from
their sequence which part of the document a line belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archivetool.formats.frus.dates import find_date
from archivetool.formats.frus.vocab import (
    CLASSIFICATIONS,
    HANDLING_WORDS,
    MAX_DATELINE,
    MAX_HEADER_LINE,
    SOURCE_TYPE_WORDS,
    TIME,
)
from archivetool.months import MONTH

_CLASS_WORDS = "|".join(re.escape(c) for c in CLASSIFICATIONS)
_CLASS_LINE = re.compile(
    rf"^(?:{_CLASS_WORDS})(?:\s*[;,—–-]?\s*(?:{_CLASS_WORDS}|{HANDLING_WORDS}))*\.?$",
    re.IGNORECASE,
)
# the document's own number on a line of its own: "No. 691.]", "No. 1596", and an airgram's
NUMBER_LINE = re.compile(r"^No\.\s*(?P<n>[A-Z]?[–-]?\d[\w/–-]*?)\.?\]?\.?$")
AIRGRAM_NUMBER = re.compile(r"^(?P<n>[A-Z]{1,3}[–-]\d+)\.?$")
# the same number with the repeated dateline glued after it: "No. 2268.]Peking, …"
NUMBER_GLUED = re.compile(r"^No\.\s*(?P<n>[A-Z]?[–-]?\d[\w/–-]*?)\.?\]\s*")
_OPENER_BRACKET = re.compile(r"^\[[^\]]{1,45}\]\.?$|^\((?!Received)[^)]{1,45}\)\.?$")
# "[Aboard the Presidential Special,] 17 July": a dateline broken before its year
_BRACKETED_PLACE = re.compile(rf"^\[[^\]]{{1,60}},?\]\s*(?:\d{{1,2}}\s+)?{MONTH}?\s*\d{{0,2}},?$")
_HANDLING_LINE = re.compile(
    rf"^(?:{HANDLING_WORDS})(?:[\s;,—–-]+(?:{HANDLING_WORDS}))*\.?$", re.IGNORECASE
)
_SERIAL_OPENER = re.compile(r"^(?P<n>(?:[A-Z][a-z]{3,6} )?[A-Z]{0,4}\s?[–-]?\d{1,6})\.\s+\S")
_SECTION_WORDS = re.compile(
    r"^(?:SUBJECT|PARTICIPANTS|OTHERS PRESENT|PRESENT|ATTENDEES|REFERENCE|Subject|Participants)\b"
)
_SALUTATION_START = re.compile(
    r"^(?:Sir|Excellency|Your Excellency|Your Imperial Highness|My dear|Dear|DEAR|Gentlemen|"
    r"Madam|Mr\. (?:Secretary|President|Minister))\b[^:]{0,60}[:,]$|"
    r"^(?:Sir|Excellency|Your Excellency|My dear|Dear|Gentlemen|Madam|Monsieur)\b[^:]{0,60}:"
)
DECIMAL = re.compile(
    r"^(?P<fn>\d{3}(?:\.[\dA-Z]+)*[A-Z]?(?:\.\w+)?(?:[–-][A-Z]+)?(?:\s+[^/:]+?)?/[\w–-][\w.–-]*)$"
)
# a collection named alone as the source line: "Roosevelt Papers", "Lot 60 D 224"
_COLLECTION = re.compile(
    r"^(?:[A-Z][\w.’'-]*\s+){1,4}(?:Papers|Files?|Library|Collection|Records|Series|Diaries)\.?$"
    r"|^Lot\s+\d+\s*[A-Z]\s*\d+",
    re.IGNORECASE,
)
_SOURCE_TYPE = re.compile(rf"^(?P<src>.+?):\s*(?P<type>{SOURCE_TYPE_WORDS})\.?$", re.IGNORECASE)
_FILE_NO = re.compile(r"^File Nos?\.\s*(?P<fn>.+?)\.?$")
_CLASS_NAMES = [(c, re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE)) for c in CLASSIFICATIONS]
_EDITORS_PLACE_END = re.compile(r",\d{0,3}\]$")
_FRAGMENT_OPEN = re.compile(
    r"^[,.\[(]|^\d{4}\b|^\d{1,2}(?:\s*\[\d{1,2}\])?(?:,|\s+\d{4})|^[ap]\.\s?m\."
)
_DAY_MONTH = re.compile(rf"^\d{{1,2}}\s+{MONTH}\s*,?$")
_TIME_ALONE = re.compile(rf"{TIME}\.?")
_SENTENCE_END = re.compile(r"[.:;!?]$")


@dataclass(frozen=True)
class SourceLine:
    note: str
    file_number: str | None
    doc_type: str | None  # the word after the colon, lower-cased ("telegram")


def tidy(text: str) -> str:
    """Mend the website's spacing slips without touching the words: '( Gauss )' → '(Gauss)',
    no-break spaces as plain ones."""
    # each pattern only where the character it needs stands: most headings need none
    if "\u00a0" in text or "\u2007" in text or "\u202f" in text:
        text = _NBSP.sub(" ", text)
    if "(" in text:
        text = _OPEN_SPACE.sub("(", text)
    if ")" in text:
        text = _CLOSE_SPACE.sub(")", text)
    if "," in text or ";" in text:
        text = _PUNCT_SPACE.sub(r"\1", text)
    if "." in text:
        text = _STOP_SPACE.sub(".", text)  # "Mr. Bayard ." at the end of a heading
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
_OPEN_SPACE = re.compile(r"\(\s+")
_CLOSE_SPACE = re.compile(r"\s+\)")
_PUNCT_SPACE = re.compile(r"\s+([,;])")
_STOP_SPACE = re.compile(r"(?<=\w)\s+\.$")
_SPACES = re.compile(r"[ \t]{2,}")


def parse_source_line(line: str) -> SourceLine | None:
    """``860H.01/478: Telegram``, ``File No. 763.72/2.``, ``Roosevelt Papers: Telegram``."""
    text = " ".join(line.split())
    # each pattern only where the text holds what it needs ("File No", a colon, a slash)
    m = _FILE_NO.match(text) if text.startswith("File No") else None
    if m:
        return SourceLine(text, m.group("fn").split(",")[0].strip(), None)
    m = _SOURCE_TYPE.match(text) if ":" in text else None
    if m:
        src = m.group("src").strip()
        fn = src[8:].strip() if src.startswith("File No.") else src
        return SourceLine(text, fn if DECIMAL.match(fn) else None, m.group("type").lower())
    if "/" in text and DECIMAL.match(text):
        return SourceLine(text, text, None)
    if _COLLECTION.match(text):
        return SourceLine(text, None, None)
    return None


def is_classification(line: str) -> bool:
    """'secret', 'confidential us urgent', 'Top Secret—Eyes Only', 'Personal and Secret'."""
    return bool(_CLASS_LINE.match(line.strip()))


def is_handling(line: str) -> bool:
    """A line of handling words alone: 'priority', 'niact', 'us urgent'."""
    s = line.strip()
    return s[:1].islower() and bool(_HANDLING_LINE.match(s)) or s in ("PRIORITY", "NIACT", "FLASH")


def classification_name(text: str) -> str | None:
    """The classification a line or a source note names, in the edition's spelling."""
    for name, pattern in _CLASS_NAMES:
        if pattern.search(text):
            return name
    return None


_PAPER_NUMBER = re.compile(
    r"^(?:[A-Z]\.){2,5}\s?\d+(?:/\d+)?$|^(?:NSC|JCS|CCS|NIE|SNIE)\s?[\d–-]+(?:/\d+)?$"
)


def is_paper_number(line: str) -> bool:
    """A committee paper's designation on a line of its own: 'C.C.S. 618', 'NSC 5412/2'."""
    return bool(_PAPER_NUMBER.match(line.strip()))


def is_opener_bracket(line: str) -> bool:
    """A short editors' line in brackets: '[Telegram]', '[Extract.]', '[Translation]'; not
    the editors' place of a broken dateline ('[Washington,]')."""
    s = line.strip()
    return bool(_OPENER_BRACKET.match(s)) and not _EDITORS_PLACE_END.search(s)


def serial_opener(line: str) -> str | None:
    """The telegram number opening a body: '3341.', 'A–139.', 'Secto 312.', 'DIR 16556.'"""
    m = _SERIAL_OPENER.match(line)
    return m.group("n") if m else None


def looks_body(line: str) -> bool:
    """A line that can only be body text: long, a numbered paragraph, a salutation."""
    s = line.strip()
    return bool(
        len(s) > MAX_HEADER_LINE
        or (_SERIAL_OPENER.match(s) and len(s) > 12 and not find_date(s[:40]))
        or _SALUTATION_START.match(s)
        or _SECTION_WORDS.match(s)
        or (s.startswith("[") and not _OPENER_BRACKET.match(s) and "Received" not in s
            and not find_date(s) and not _BRACKETED_PLACE.match(s))
    )  # fmt: skip


def is_full_dateline(line: str) -> bool:
    """A whole dateline on one line: a few short capitalised place pieces, then the date
    ('Washington, July 22, 1927.', '[Washington,] 14 July 1944.', 'Tokyo, June 7, 1949—noon')."""
    found = find_date(line)
    if not found or len(line) > MAX_DATELINE:
        return False
    pieces = [p.strip(" []") for p in line[: found[0].start()].split(",")]
    pieces = [p for p in pieces if p and not p.isdigit()]  # '[U.S.S. “Baltimore”,2]': a marker
    return len(pieces) <= 3 and all(p[:1].isupper() and len(p.split()) <= 5 for p in pieces)


def is_dateline_fragment(line: str) -> bool:
    """A line that can be (part of) a dateline: a date, a place, an institution, a time."""
    if len(line) > MAX_DATELINE:
        return False
    if find_date(line) or _FRAGMENT_OPEN.match(line):
        return True
    if _DAY_MONTH.match(line):
        return True  # "10 June" / "1949."
    if _TIME_ALONE.fullmatch(line):
        return True  # the time of a dateline broken over lines
    if line.endswith(","):
        return len(line) < 70
    # a place or an institution: a few capitalised words, no sentence
    words = line.split()
    return len(words) <= 6 and line[:1].isupper() and not _SENTENCE_END.search(line)
