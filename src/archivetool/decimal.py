"""Decode State Department decimal file numbers (``860H.01/478``).

A decimal key is class digit + country number (+ letter) + ``.`` subject, an optional named
subfile (``740.0011 European War 1939``), ``/`` and the item: a running number (``478``,
``157a``) or, from the mid-1940s, the document's date (``/9–1544`` is 15 September 1944).
The classification was renumbered in 1950, so a key is read with the schedule of its
document's own year: ``860H`` is Yugoslavia's internal affairs before 1950, while class 7
means relations between states before and internal political affairs after. Keys that are
not decimal (``Roosevelt Papers``, lot files, ``POL 27 VIET S``) are recognised as such.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

DASH = "[–‐‑—-]"  # the dashes a file number is printed with; "-" last, not a range
_KEY = re.compile(
    r"^(?P<cls>\d)(?P<cc>\d\d)(?P<letter>[A-Za-z]{0,2})"
    r"(?:\.(?P<subject>[0-9A-Za-z]+(?:" + DASH + r"[A-Za-z0-9]+)*))?"
    r"(?:\s+(?P<subfile>[^/]+?))?"
    r"/(?P<item>[^\s]+)$"
)
_DATE_ITEM = re.compile(r"^(?P<m>\d{1,2})" + DASH + r"(?P<dy>\d{3,4})(?P<suffix>[a-z]?)$")
_FILE_NOS = re.compile(r"^File Nos?\.\s*")
_SECOND_COUNTRY = re.compile(r"^(\d\d[A-Za-z]?)")
_SUBFILE_ABBREVIATIONS = {"EW": "European War", "PW": "Pacific War", "WW": "World War"}


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The classification with archivetool's corrections applied (see DECIMAL-NOTICE.md)."""
    data = resources.files("archivetool.data")
    raw = data.joinpath("decimal-class-labels.json").read_text(encoding="utf-8")
    fixes = json.loads(data.joinpath("decimal-corrections.json").read_text(encoding="utf-8"))
    for fix in fixes["text"]:
        raw = raw.replace(fix["from"].replace("/", "\\/"), fix["to"]).replace(
            fix["from"], fix["to"]
        )
    parsed = json.loads(raw)
    by_id = {s["id"]: s for s in parsed["schedules"]}
    for fix in fixes["countries"]:
        for sid in fix["schedules"]:
            sched = by_id[sid]
            old = sched["countries"].get(fix["code"])
            sched["countries"][fix["code"]] = fix["label"]
            if old and old != fix["label"]:
                alts = sched["countryAlternates"].setdefault(fix["code"], [])
                alts[:] = [a for a in alts if a != fix["label"]]
                if old not in alts:
                    alts.insert(0, old)
    return parsed


def schedule_for(year: int | None) -> dict[str, Any] | None:
    if year is None:
        return None
    for sched in table()["schedules"]:
        if sched["startYear"] <= year <= sched["endYear"]:
            return dict(sched)
    return None


def item_date(item: str) -> str | None:
    """The date of a date-form item: '9–1544' → 1944-09-15, '8-348' → 1948-08-03."""
    m = _DATE_ITEM.match(item)
    if not m:
        return None
    dy = m.group("dy")
    try:
        return date(1900 + int(dy[-2:]), int(m.group("m")), int(dy[:-2])).isoformat()
    except ValueError:
        return None


def parse_key(key: str) -> dict[str, Any] | None:
    """The parts of a decimal key, without reading them against a schedule; None if the key
    is not decimal (a collection, a lot file, a subject-numeric key)."""
    parts = _parse_key(key)
    return dict(parts) if parts is not None else None


# a document's file number is read twice (for its date, then decoded) and documents repeat
# keys: each key read once (lru_cache); the callers here copy the parts before changing them
@lru_cache(maxsize=4096)
def _parse_key(key: str) -> dict[str, Any] | None:
    text = " ".join(key.strip().split())
    text = _FILE_NOS.sub("", text)
    m = _KEY.match(text)
    if not m:
        return None
    item = m.group("item")
    subfile = m.group("subfile")
    expanded = None
    if subfile:
        head = subfile.split()[0]
        if head in _SUBFILE_ABBREVIATIONS:
            expanded = " ".join([_SUBFILE_ABBREVIATIONS[head], *subfile.split()[1:]])
    return {
        "raw": key.strip(),
        "class": m.group("cls"),
        "country_code": (m.group("cc") + m.group("letter")).upper(),
        "subject_code": m.group("subject"),
        "subfile": subfile,
        "subfile_expanded": expanded,
        "item": item,
        "item_date": item_date(item),
    }


def _country(sched: dict[str, Any], code: str) -> str | None:
    return sched["countries"].get(code.lower())


def _subject(sched: dict[str, Any], cls: str, code: str | None) -> tuple[str | None, str | None]:
    """Label of the longest listed prefix of a subject code, and that prefix."""
    if not code:
        return None, None
    subjects = sched.get("subjects", {}).get(cls) or {}
    code = re.split(DASH, code)[0]
    for n in range(len(code), 1, -1):
        label = subjects.get(code[:n])
        if label:
            return label, code[:n]
    return None, None


def decode(key: str | None, year: int | None = None) -> dict[str, Any] | None:
    """The reading of a file number, with the schedule of ``year`` (the document's own)."""
    if not key:
        return None
    parts = _parse_key(key)
    if parts is None:
        return {"raw": key.strip(), "decimal": False, "reason": _not_decimal_reason(key)}
    basis = "year" if year is not None else None
    if year is None and parts["item_date"]:
        year, basis = int(parts["item_date"][:4]), "item_date"
    sched = schedule_for(year)
    if sched is None and year is None:
        # no year known: a key whose country exists in only one schedule can be read there
        fits = [x for x in table()["schedules"] if _country(x, parts["country_code"])]
        if len(fits) == 1:
            sched, basis = dict(fits[0]), "key"
    out: dict[str, Any] = {"decimal": True, **parts, "schedule": sched["id"] if sched else None,
                           "schedule_basis": basis if sched else None}  # fmt: skip
    out.update(class_label=None, country=None, second_country_code=None, second_country=None,
               subject=None, subject_matched=None)  # fmt: skip
    if sched is None:
        out["note"] = (
            "no schedule read: the document's year is unknown"
            if year is None
            else f"{year} is outside the decimal file's years (1910–1963)"
        )
        return out
    cls = parts["class"]
    out["class_label"] = sched["classes"].get(cls)
    if cls in sched["countryArrangedClasses"]:
        out["country"] = _country(sched, parts["country_code"])
        subject = parts["subject_code"]
        if cls in sched["relationsClasses"] and subject:
            second = _SECOND_COUNTRY.match(subject)
            if second and second.group(1) != "00":
                out["second_country_code"] = second.group(1).upper()
                out["second_country"] = _country(sched, second.group(1))
        else:
            out["subject"], out["subject_matched"] = _subject(sched, cls, subject)
    else:
        # classes 0-5 before 1950 (0-2 after) are not filed by country: the digits after
        # the class are the subject
        out["country_code"] = None
        out["subject_code"] = parts["raw"].split("/")[0][1:].split()[0]
    return out


def _not_decimal_reason(key: str) -> str:
    k = key.strip()
    if re.search(r"\bLot\b|\bLot \d", k):
        return "a lot file"
    if re.match(r"^[A-Z]{2,5}\s+\d", k):
        return "a subject-numeric key (the system that followed the decimal file in 1963)"
    if re.search(r"Papers|Library|Files?\b|Series|Records|Archives", k):
        return "a collection, not a decimal file"
    return NOT_DECIMAL


def file_number_date(file_number: str | None) -> str | None:
    """The date a decimal file number's item carries: '/8–348' is 3 August 1948."""
    if not file_number:
        return None
    parts = _parse_key(file_number)
    return parts["item_date"] if parts else None


NOT_DECIMAL = "not a decimal file number"  # the reason of a key that is no file key at all
