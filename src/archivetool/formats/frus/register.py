"""Who held which office when, from the Office of the Historian's register.

``data/office-holders.tsv`` is derived from the register of Principal Officers and Chiefs of
Mission (``scripts/build_register.py`` rebuilds it). The FRUS reader asks it one question:
was the person a heading names only by surname (``Mr. Gresham``) the Secretary of State,
or the chief of a US mission, at the document's date (or at any time, when the copy gives
no date)?
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

SECRETARY = "secretary"
CHIEF = "chief"
_ADDRESS = re.compile(r"^(?:Mr|Mrs|Miss|Dr|Sir|Hon|General|Señor)\.?\s+")


@lru_cache(maxsize=1)
def _terms() -> dict[str, list[tuple[str, str, str]]]:
    """Surname (lower-case) → (office, start, end) of each appointment."""
    table = resources.files("archivetool.data").joinpath("office-holders.tsv")
    out: dict[str, list[tuple[str, str, str]]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _pid, surname, office, _post, start, end = line.split("\t")
        out.setdefault(surname.lower(), []).append((office, start, end))
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
    for office, start, end in _terms().get(surname_of(name), []):
        if date and start and (date < start or (end and date > end)):
            continue
        found.add(office)
    return found


def chief_under(secretary: str | None, other: str | None, date: str | None = None) -> bool:
    """Whether ``other`` headed a US mission while ``secretary`` was Secretary of State
    (on ``date`` when given): the two ends of an instruction or a despatch."""
    if not (secretary and other):
        return False
    terms = [
        (s, e) for office, s, e in _terms().get(surname_of(secretary), []) if office == SECRETARY
    ]
    for office, start, end in _terms().get(surname_of(other), []):
        if office != CHIEF:
            continue
        for s, e in terms:
            lo, hi = max(start or s, s or start), min(end or e or "9999", e or "9999")
            if (not lo or not hi or lo <= hi) and (not date or (lo or date) <= date <= hi):
                return True
    return False
