"""Dates, datelines and received notes as FRUS prints them.

``London, May 10, 1943—7 p.m.``, ``[Washington,] December 9, 1940.``, ``Moscow, June 6,
1967,5:34 a.m.``, ``London, 16 July 1944.``, ``Baghdad, February 17 [12], 1936.`` all read
through :func:`read_dateline`; the patterns live here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archivetool.formats.frus.vocab import INSTITUTION, MAX_PLACE, TIME, YEAR
from archivetool.months import MONTH, MONTHS

# "February 17 [12], 1936": the editors' bracketed reading of a slip stays out of the date
_EDITED_DAY = r"(?:\s*\[\d{1,2}\])?"
DATE_RE = re.compile(
    rf"(?P<md>(?P<month>{MONTH})\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th|d)?{_EDITED_DAY}[,.]?\s*(?P<year>{YEAR}))"
    rf"|(?P<dm>(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH})\s*,?\s*(?P<year2>{YEAR}))"
)
TIME_AFTER_DATE = re.compile(rf"^\s*(?:\.?\s*[—–-]+|,)\s*(?P<time>{TIME})")
RECEIVED_RE = re.compile(r"[\[(]\s*(Received\b[^\])]*)[\])]", re.DOTALL)
RECEIVED_OPEN = re.compile(r"^[\[(]\s*Received\b")
# compiled once: the readers below run on every dateline
_WHITESPACE = re.compile(r"\s+")
_SPACED_M = re.compile(r"(?<=[ap]\.)\s*m$")
_ABOARD = re.compile(r"^Aboard (?:the )?")
_KEPT_STOP = re.compile(r"\b[ap]\.\s?(?:m|in)\.$|\b[A-Z][a-z]{1,3}\.$")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    date: str | None
    time: str | None
    text: str


def iso_date(year: str | int, month: str | int, day: str | int) -> str | None:
    """ISO form of a printed date, or None when it cannot be a day of the calendar."""
    mo = month if isinstance(month, int) else MONTHS.get(month.lower().rstrip("."))
    if not mo:
        return None
    d = int(day)
    if not 1 <= d <= 31:
        return None
    return f"{int(year):04d}-{mo:02d}-{d:02d}"


def find_date(text: str) -> tuple[re.Match[str], str] | None:
    """The first printed date in ``text`` and its ISO form."""
    for m in DATE_RE.finditer(text):
        if m.group("md"):
            iso = iso_date(m.group("year"), m.group("month"), m.group("day"))
        else:
            iso = iso_date(m.group("year2"), m.group("month2"), m.group("day2"))
        if iso:
            return m, iso
    return None


def read_dateline(text: str, *, in_title: bool = False) -> Dateline | None:
    """Place, ISO date and time from a dateline (or a heading ending in one)."""
    text = _WHITESPACE.sub(" ", text).strip()
    found = find_date(text)
    if not found:
        return None
    m, iso = found
    time = None
    tm = TIME_AFTER_DATE.match(text[m.end() :])
    if tm:
        time = tm.group("time").strip()
        time = _SPACED_M.sub(" m.", time) if time.endswith("m") else time
    return Dateline(place_before(text[: m.start()], in_title=in_title), iso, time, text)


def place_before(before: str, *, in_title: bool = False) -> str | None:
    """The place a dateline names before its date, institutions left out
    ('Legation of the United States, Bangkok,' → 'Bangkok')."""
    before = before.replace("[", "").replace("]", "")
    segments = [s.strip(" .,;") for s in before.split(",")]
    segments = [s for s in segments if s]
    if in_title:
        segments = segments[1:][-1:]  # the first segment is the heading itself
    keep: list[str] = []
    for seg in segments:
        seg = _ABOARD.sub("", seg)  # "[Aboard the Presidential Special,]"
        if INSTITUTION.search(seg):
            keep = []  # "Legation of Chili in the United States", "American Embassy"
            continue
        keep.append(seg)
    place = ", ".join(keep).strip()
    if not place or len(place) > MAX_PLACE or not place[0].isupper():
        return None
    return place


def received_text(inside: str) -> str:
    """The words inside the brackets, without a closing full stop ('a.m.' keeps its own)."""
    text = _WHITESPACE.sub(" ", inside).strip()
    # "a.m." keeps its full stop, and so does the OCR slip "a. in." of some volumes
    if text.endswith(".") and not _KEPT_STOP.search(text):
        text = text[:-1]
    return text.rstrip()
