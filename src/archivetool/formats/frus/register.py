"""Who held which office when, as the FRUS reader asks it.

The reader asks the register one question: was the person a heading names only by surname
(``Mr. Gresham``) the Secretary of State, or the chief of a US mission, at the document's
date (or at any time, when the copy gives no date)? The table itself, derived from the
Office of the Historian's register, is :mod:`archivetool.authority`.
"""

from __future__ import annotations

import re

from archivetool.authority import PRINCIPAL, load_register, terms_of

SECRETARY = "secretary"
CHIEF = "chief"
_ADDRESS = re.compile(r"^(?:Mr|Mrs|Miss|Dr|Sir|Hon|General|Señor)\.?\s+")


def _terms(surname: str) -> list[tuple[str, str, str]]:
    """(office, start, end) of each appointment of that surname: ``secretary`` for the
    Secretary of State, ``chief`` for a chief of mission to a country."""
    offices = load_register().offices
    out = []
    for t in terms_of(surname):
        if t.office == SECRETARY:
            out.append((SECRETARY, t.start, t.end))
        elif offices[t.office].kind != PRINCIPAL and t.post != t.office:
            out.append((CHIEF, t.start, t.end))
    return out


def surname_of(name: str) -> str:
    """'Mr. Gresham' → 'gresham'; 'W. Q. Gresham.' → 'gresham'."""
    bare = _ADDRESS.sub("", name.strip()).rstrip(".,")
    return bare.split()[-1].lower() if bare.split() else ""


def offices_of(name: str | None, date: str | None = None) -> set[str]:
    """The offices a person of that surname held (on ``date``, when given)."""
    if not name:
        return set()
    found = set()
    for office, start, end in _terms(surname_of(name)):
        if date and start and (date < start or (end and date > end)):
            continue
        found.add(office)
    return found


def chief_under(secretary: str | None, other: str | None, date: str | None = None) -> bool:
    """Whether ``other`` headed a US mission while ``secretary`` was Secretary of State
    (on ``date`` when given): the two ends of an instruction or a despatch."""
    if not (secretary and other):
        return False
    terms = [(s, e) for office, s, e in _terms(surname_of(secretary)) if office == SECRETARY]
    for office, start, end in _terms(surname_of(other)):
        if office != CHIEF:
            continue
        for s, e in terms:
            lo, hi = max(start or s, s or start), min(end or e or "9999", e or "9999")
            if (not lo or not hi or lo <= hi) and (not date or (lo or date) <= date <= hi):
                return True
    return False
