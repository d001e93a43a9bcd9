"""Who held which office when: the authority table of the Office of the Historian's register.

``data/authority.tsv`` is derived from the register of Principal Officers and Chiefs of
Mission (HistoryAtState/pocom, public domain; ``scripts/build_register.py`` rebuilds it and
records the register's commit and licence in its header). It is read once, on first use,
and kept: about 4,300 people, 127 offices, 215 posts and 7,300 appointments.

The questions asked of it are few: who held an office (``Secretary of State``, ``Minister
in Honduras``) on a date (:func:`holders`), and which offices a surname held (:func:`terms_of`).
Matching a FRUS heading's party against it is :mod:`archivetool.parties`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

PRINCIPAL = "principal"
CHIEF = "chief"
SECRETARY = "secretary"  # the Secretary of State's office id
AD_INTERIM = "secretary-ad-interim"


class Person(NamedTuple):
    id: str
    surname: str
    name: str  # full name: forename, surname, generational suffix
    birth: str
    death: str


@dataclass(frozen=True)
class Office:
    id: str
    kind: str  # principal | chief
    name: str  # the register's singular name: "Secretary of State", "Minister Resident"


class Term(NamedTuple):
    """One appointment. ``start``/``end`` are ISO dates as the register gives them, a month
    or a year widened to its first or last day; ``""`` where the register gives none. An
    appointment without a start (not commissioned, or a nomination not confirmed) is held on
    no date."""

    person: str
    office: str
    post: str  # mission id for a chief of mission, "" for a principal office
    start: str
    end: str
    # False where the register gives no end and the next chief's start stands for it
    end_given: bool = True
    # False for an appointment the register dates only by its appointment, without a start
    # of service or an end: declined, or never taken up
    served: bool = True

    @property
    def register_end(self) -> str:
        """The end as the register gives it ("" where it gives none)."""
        return self.end if self.end_given else ""

    def holds(self, date: str) -> bool:
        return (
            self.served
            and bool(self.start)
            and self.start <= date
            and (not self.end or date <= self.end)
        )


@dataclass
class Register:
    commit: str = ""
    licence: str = ""
    people: dict[str, Person] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    posts: dict[str, str] = field(default_factory=dict)  # mission id → name
    post_names: dict[str, list[str]] = field(default_factory=dict)  # key(name) → mission ids
    terms: list[Term] = field(default_factory=list)
    by_surname: dict[str, list[Term]] = field(default_factory=dict)  # key(surname) → terms
    by_office: dict[str, list[Term]] = field(default_factory=dict)
    by_post: dict[str, list[Term]] = field(default_factory=dict)
    by_person: dict[str, list[Term]] = field(default_factory=dict)

    def person(self, pid: str) -> Person:
        return self.people[pid]

    def office_title(self, term: Term) -> str:
        """'Secretary of State'; 'Ambassador Extraordinary and Plenipotentiary to the United
        Kingdom'; a mission to an organisation by its own name."""
        office = self.offices[term.office]
        if not term.post or term.post == term.office:
            return office.name
        post = self.posts.get(term.post, term.post)
        return f"{office.name} to {'the ' if post in _WITH_THE else ''}{post}"


_WITH_THE = {"United Kingdom", "Netherlands", "Dominican Republic", "Philippines", "Holy See",
             "Bahamas", "Gambia", "Central African Republic", "Czech Republic", "United Arab Emirates",
             "Marshall Islands", "Solomon Islands", "Maldives", "Comoros", "Seychelles",
             "German Democratic Republic", "Two Sicilies"}  # fmt: skip


def key(text: str) -> str:
    """Letters only, lower case, no diacritics: 'MacVeagh' → 'macveagh', 'Panamá' → 'panama'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_LETTER.sub("", text.lower())


_NOT_LETTER = re.compile(r"[^a-z]+")


def _widen(date: str, *, end: bool) -> str:
    if not date:
        return ""
    if len(date) == 4:
        return date + ("-12-31" if end else "-01-01")
    if len(date) == 7:
        last = calendar.monthrange(int(date[:4]), int(date[5:7]))[1] if end else 1
        return f"{date}-{last:02d}"
    return date


@lru_cache(maxsize=1)
def load_register() -> Register:
    """The shipped table, read once per process."""
    table = resources.files("archivetool.data").joinpath("authority.tsv")
    reg = Register()
    numbered: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            name, _, value = line[1:].partition(":")
            if name.strip() == "commit":
                reg.commit = value.strip()
            elif name.strip() == "licence":
                reg.licence = value.strip()
            continue
        row = line.split("\t")
        if row[0] == "person":
            pid, surname, name, birth, death, held = row[1:7]
            reg.people[pid] = Person(pid, surname, name, birth, death)
            for appointment in held.split():
                office, post, start, end = appointment.split("/")
                served = not start.endswith("?")
                start = start.rstrip("?")
                if len(start) != 10:
                    start = _widen(start, end=False)
                if len(end) != 10:
                    end = _widen(end, end=True)
                reg.terms.append(Term(pid, numbered[office], post, start, end, True, served))
        elif row[0] == "office":
            numbered[row[1]] = row[2]
            reg.offices[row[2]] = Office(row[2], row[3], row[4])
        elif row[0] == "post":
            reg.posts[row[1]] = row[2]
            for name in [row[2], row[1].replace("-", " "), *row[3].split(";")]:
                if name:
                    ids = reg.post_names.setdefault(key(name), [])
                    if row[1] not in ids:
                        ids.append(row[1])
    _close_open_terms(reg)
    surnames = {pid: key(p.surname) for pid, p in reg.people.items()}
    for t in reg.terms:
        reg.by_surname.setdefault(surnames[t.person], []).append(t)
        reg.by_office.setdefault(t.office, []).append(t)
        reg.by_person.setdefault(t.person, []).append(t)
        if t.post:
            reg.by_post.setdefault(t.post, []).append(t)
    return reg


def _close_open_terms(reg: Register) -> None:
    """A chief of mission whose end the register does not give served until the next chief
    at the same post began: without this an 1850 appointment would fit every later date."""
    at_post: dict[str, list[int]] = {}
    for i, t in enumerate(reg.terms):
        if t.post:
            at_post.setdefault(t.post, []).append(i)
    for indexes in at_post.values():
        starts = sorted(
            reg.terms[i].start for i in indexes if reg.terms[i].served and reg.terms[i].start
        )
        for i in indexes:
            t = reg.terms[i]
            if t.end or not t.start or not t.served:
                continue
            later = next((s for s in starts if s > t.start), "")
            if later:
                reg.terms[i] = Term(t.person, t.office, t.post, t.start, later, False)


def post_ids(name: str) -> list[str]:
    """Mission ids a post name may mean: 'Great Britain' → united-kingdom; 'Congo' → both."""
    bare = re.sub(r"^(?:the|The)\s+", "", name.strip())
    return load_register().post_names.get(key(bare), [])


def terms_of(surname: str) -> list[Term]:
    """Every appointment of people of that surname ('Gresham', 'Mr. Gresham')."""
    return load_register().by_surname.get(key(surname), [])


def holders(office: str, date: str, post: str = "") -> list[Term]:
    """The appointments to ``office`` (an office id) at ``post`` current on ``date``."""
    reg = load_register()
    pool = reg.by_post.get(post, []) if post else reg.by_office.get(office, [])
    return (
        [t for t in pool if t.office == office and t.holds(date)]
        if office
        else [t for t in pool if t.holds(date)]
    )
