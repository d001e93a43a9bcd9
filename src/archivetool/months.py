"""Month names as the documents print them, defined once: the FRUS reader, the enricher and
the reference finder all read dates with these."""

from __future__ import annotations

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
# a month as printed: its full name or an abbreviation with its full stop
MONTH = rf"(?:{FULL}|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
# the same with the abbreviation's full stop optional (the reference finder's reading)
MONTH_LOOSE = rf"(?:{FULL}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"


def month_number(name: str) -> int | None:
    """1 to 12 for a printed month name or abbreviation ('Sept.' → 9), else None."""
    return MONTHS.get(name.lower().rstrip("."))
