"""Derived fields: what follows from the printed fields without being printed itself.

Nothing here overwrites what a parser read. ``date`` stays the date the document states;
the editors' date a TEI volume gives, or else a date worked out from the file number or the
received line, goes to ``date_inferred`` with its ``date_source``, so that researchers can
sort and filter by it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from archivetool import kinds
from archivetool.decimal import decode, file_number_date
from archivetool.formats.frus.dates import find_date
from archivetool.identify import identify_parties, link_footnote_persons
from archivetool.months import MONTH_LOOSE, month_number
from archivetool.persons import find_persons
from archivetool.references import find_references
from archivetool.scripts import language_codes, mixed_script_words, script_of, to_latin

_MONTH_DAY = re.compile(rf"\b(?P<month>{MONTH_LOOSE})\s+(?P<day>\d{{1,2}})\b")
_CITATION_END = re.compile(
    r"\.\s+(?=(?:Top Secret|Secret|Confidential|Restricted|Unclassified|Limited Official Use|"
    r"Official Use Only|Personal|Eyes Only|No classification|Drafted|Transmitted|Repeated|"
    r"Sent|Also|Received|Approved|Prepared|The source text|A handwritten|Attached|Printed|"
    r"Initialed|Signed|Cleared|According|This|See|[A-Z][a-z]+ (?:by|in|to)\b))"
)
# compiled once: a pattern named in a call is looked up in re's cache each time, and many
# names read in a long run (the persons' dynamic patterns) push it out of that cache
_DIGIT = re.compile(r"\d")
_VOLUME_PART = re.compile(r"v(?P<v>\d+)(?:p(?P<p>\d+))?(?P<more>.*)")
_VOLUME_YEAR = re.compile(r"frus(\d{4})")


def received_date(received: str | None, anchor: str | None, *, same_day: bool = True) -> str | None:
    """ISO date of a received line ('Received May 10—5:48 p.m.') when the year is known.

    The year is the received line's own, else that of ``anchor`` (the dateline or the file
    number's date); a document sent in December and received in January crosses the year.
    """
    if not received:
        return None
    found = find_date(received)
    if found:
        return found[1]
    m = _MONTH_DAY.search(received)
    if not anchor:
        return None
    if not m:
        # "[Received 8:18 p.m.]": FRUS prints no date when it came in on the day sent
        return anchor if same_day and _DIGIT.search(received) else None
    month = month_number(m.group("month")) or 0
    year = int(anchor[:4])
    if month < int(anchor[5:7]) - 6:
        year += 1
    try:
        return date(year, month, int(m.group("day"))).isoformat()
    except ValueError:
        return None


def source_citation(note: str | None) -> str | None:
    """The repository and file citation of a later volume's source note."""
    if not note or not note.startswith("Source:"):
        return None
    body = note[len("Source:") :].strip()
    m = _CITATION_END.search(body)
    cite = body[: m.start()] if m else body.rstrip(".")
    return cite.strip() or None


_FRUS_ID = re.compile(
    r"\b(?P<id>frus(?P<years>\d{4}(?:-\d{2,4})?)(?P<rest>[A-Za-z0-9]*?))(?:[_/#]d(?P<doc>\d+)(?P<suffix>[a-z]?))\b"
)
HSG = "https://history.state.gov/historicaldocuments"  # the edition's permalinks
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def frus_volume(path: str, text: str) -> dict[str, Any] | None:
    """The FRUS volume and document, from the Office of the Historian's own identifier
    (``frus1942v05/d251`` in a URL, ``frus1942v05_d251.txt`` as a file name)."""
    m = None
    for candidate in (path.rsplit("/", 1)[-1].replace(".xml#", "#"), text[:400], text[-400:]):
        # every identifier holds "frus": found in C, where the pattern would be tried at
        # each position of a text that has none (most have none)
        m = _FRUS_ID.search(candidate) if "frus" in candidate else None
        if m:
            break
    if not m:
        return None
    years = m.group("years")
    if "-" in years:
        a, b = years.split("-")
        years = f"{a}–{a[: 4 - len(b)]}{b}"
    parts = [f"Foreign Relations of the United States, {years}"]
    rest = m.group("rest")
    vm = _VOLUME_PART.fullmatch(rest)
    volume = part = None
    if vm:
        volume = _roman(int(vm.group("v")))
        parts.append(f"vol. {volume}")
        if vm.group("p"):
            part = vm.group("p")
            parts.append(f"pt. {part}")
    elif rest:
        parts.append("Supplement" if rest.lower().startswith("supp") else rest)
    url = f"{HSG}/{m.group('id')}/d{m.group('doc')}{m.group('suffix')}"
    return {"id": m.group("id"), "volume": volume, "part": part,
            "document": m.group("doc"), "title": ", ".join(parts), "url": url}  # fmt: skip


def enrich_bibliographic(record: dict[str, Any]) -> dict[str, Any]:
    """Scripts, Latin forms of Cyrillic titles and names, and language codes."""
    language = record.get("language")
    codes = language_codes(language)
    record["languages"] = codes
    record["language_code"] = codes[0]["iso639_1"] if codes else None
    record["language_code_639_2b"] = codes[0]["iso639_2b"] if codes else None
    record["title_script"] = script_of(record.get("title"))
    record["title_translated_script"] = script_of(record.get("title_translated"))
    latin, table = to_latin(record.get("title"), language)
    record["title_latin"] = latin
    record["transliteration"] = table
    record["container_title_latin"] = to_latin(record.get("container_title"), language)[0]
    for person in [
        *record.get("authors", []),
        *record.get("editors", []),
        *record.get("contributors", []),
    ]:
        latin_name = to_latin(person["name"], language)[0]
        if latin_name:
            person["name_latin"] = latin_name
    for label, value in (
        ("title", record.get("title")), ("title_translated", record.get("title_translated")),
        ("publisher", record.get("publisher")), ("container_title", record.get("container_title")),
        ("authors", "; ".join(a["name"] for a in record.get("authors", []))),
    ):  # fmt: skip
        words = mixed_script_words(value)
        if words:
            record["warnings"].append(
                f"{label}: mixed Cyrillic and Latin letters in {', '.join(map(repr, words))} "
                "(kept as printed; a look-alike letter was probably typed in the wrong script)"
            )
    return record


def document_year(record: dict[str, Any]) -> int | None:
    """The year a document belongs to: its date, else its inferred date, else its volume's."""
    for key in ("date", "date_inferred", "received_date"):
        if record.get(key):
            return int(record[key][:4])
    vol = record.get("frus_volume")
    if vol:
        m = _VOLUME_YEAR.match(vol["id"])
        if m:
            return int(m.group(1))
    return None


def enrich(record: dict[str, Any]) -> dict[str, Any]:
    """A record's derived fields, by its kind's enrichment (its registry entry's)."""
    kind = kinds.find(record.get("kind"))
    return kind.enrichment(record) if kind is not None else record


def enrich_frus(record: dict[str, Any]) -> dict[str, Any]:
    """Dates inferred, the volume, the decimal file, the register's persons, references."""
    file_date = file_number_date(record.get("file_number"))
    stated = record.get("date")
    record["received_date"] = received_date(
        record.get("received"), stated or file_date, same_day=bool(stated)
    )
    record["source_citation"] = source_citation(record.get("source_note"))
    record["frus_volume"] = frus_volume(record["source"]["path"], record.get("text") or "")
    # the editors' date of a TEI document (date_source "tei") stands; else one is worked out
    inferred, source = record.get("date_inferred"), record.get("date_source")
    if not inferred and not stated:
        if file_date:
            inferred, source = file_date, "file_number"
        elif record["received_date"]:
            inferred, source = record["received_date"], "received"
    record["date_inferred"] = inferred
    record["date_source"] = source
    identify_parties(record)
    year = document_year(record)
    record["decimal_file"] = decode(record.get("file_number"), year)
    record["references"] = find_references(
        record.get("text") or "", year=year, citing_date=stated, footnotes=record.get("footnotes")
    )
    record["persons"] = find_persons(record.get("footnotes") or [])
    link_footnote_persons(record, year)
    return record
