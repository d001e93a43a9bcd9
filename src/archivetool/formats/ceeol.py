"""Parse a bibliographic record as copied from a CEEOL (ceeol.com) detail page.

    Први Титов сусрет са Стаљином              title in the original script
    Tito’s First Meeting With Stalin           optional English title
    Author(s): Nikola B. Popović
    Contributor(s): Name (Editor), Name (Translator)
    Subject(s): Diplomatic history, Military history, …
    Published by: Institut za noviju istoriju Srbije
    Keywords: NOP of Yugoslavia; Soviet Union; …
    Summary/Abstract: …
    Book: Ослобођење Београда 1944.      or   Journal: Istorija 20. veka
    - Issue Year: 61/2021   - Issue No: 1-2   - Page Range: 147-158   - Page Count: 12
    - Publication Year: 2010   - Language: Serbian   - Content File-PDF

Copies are messy: a label can be glued to the previous value (``…MitevSubject(s):``),
the page's clutter (``Cover Image``, ``Price 5.00 €``) comes along, and an excerpt can end
mid-field. What is there is kept; what was mended or is missing is said in a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from archivetool.model import Parsed

LABELS = {
    "Author(s)": "authors",
    "Contributor(s)": "contributors",
    "Subject(s)": "subjects",
    "Published by": "publisher",
    "Publisher": "publisher",
    "Keywords": "keywords",
    "Summary/Abstract": "abstract",
    "Journal": "journal",
    "Book": "book",
    "Issue Year": "issue_year",
    "Issue No": "issue_no",
    "Volume": "volume",
    "Page Range": "page_range",
    "Page Count": "page_count",
    "Publication Year": "publication_year",
    "Language": "language",
    "ISSN": "issn",
    "Print-ISSN": "issn",
    "Print ISSN": "issn",
    "Online-ISSN": "eissn",
    "Online ISSN": "eissn",
    "eISSN": "eissn",
    "E-ISSN": "eissn",
    "DOI": "doi",
    "ISBN": "isbn",
}
_BULLET = r"(?:[-•–*]\s*)?"
_LABEL_RE = re.compile(
    r"^"
    + _BULLET
    + r"(?P<label>"
    + "|".join(re.escape(k) for k in LABELS)
    + r")\s*:\s*(?P<value>.*)$"
)
_CONTENT_FILE = re.compile(r"^" + _BULLET + r"Content File[-–\s]*(?P<fmt>[A-Za-z]+)\s*$")
_BARE_LABEL = re.compile(
    r"^" + _BULLET + r"(?P<label>" + "|".join(re.escape(k) for k in LABELS) + r")\s*:?\s*$"
)
# labels that may be glued to the end of the value before them ("…Dimitar MitevSubject(s): …")
_GLUED = re.compile(
    r"(?<=\S)\s*(?=(?:Author\(s\)|Contributor\(s\)|Subject\(s\)|Published by|Keywords|"
    r"Summary/Abstract|Journal|Book)\s*:\s)"
)
_GLUED_STRICT = re.compile(
    r"(?<=[^\s(])(?=(?:Author\(s\)|Contributor\(s\)|Subject\(s\)|Published by|Summary/Abstract)\s*:)"
)
_CLUTTER = re.compile(
    r"^(?:.*\bCover Image|Price\s*[\d.,]+\s*(?:€|EUR|\$|USD)?|Toggle Accessibility Mode|"
    r"Add to (?:Cart|Basket|Wishlist)|Download PDF|Download Citation|Get Access|"
    r"Full Text|Preview|Share|Export Citation|Cite|Buy|Login|Log in|Read online|"
    r"Accessibility Mode|Table of Contents)\s*$",
    re.IGNORECASE,
)
_PLACEHOLDER_AUTHORS = {
    "author not specified",
    "specified no author",
    "no author",
    "anonymous author",
}


@lru_cache(maxsize=1)
def comma_subjects() -> tuple[str, ...]:
    """CEEOL subject terms that contain a comma themselves, longest first."""
    raw = resources.files("archivetool.data").joinpath("ceeol-comma-subjects.txt")
    terms = [
        ln.strip()
        for ln in raw.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    return tuple(sorted(terms, key=len, reverse=True))


def split_subjects(value: str) -> list[str]:
    """Split on ', ' but keep CEEOL's own comma-bearing terms whole."""
    protected: dict[str, str] = {}
    text = value
    for i, term in enumerate(comma_subjects()):
        if term in text:
            token = f"\x00{i}\x00"
            protected[token] = term
            text = text.replace(term, token)
    parts = [p.strip() for p in text.split(",")]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        for token, term in protected.items():
            p = p.replace(token, term)
        if out and p[:1].islower():
            out[-1] = f"{out[-1]}, {p}"  # "Nazism and WW II"-like continuations
        else:
            out.append(p)
    return out


def _unglue(line: str) -> list[str]:
    """Split a line where a label was glued to the previous value."""
    if _LABEL_RE.match(line) and not line.lstrip("-• ").startswith("Summary/Abstract"):
        pieces = _GLUED.split(line)
    else:
        pieces = _GLUED_STRICT.split(line)
    return [p.strip() for p in pieces if p.strip()]


@dataclass
class Labelled:
    """A record's copy cut into its parts: the title lines and each label's value."""

    title_lines: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the labels in the order printed
    content_file: str | None = None
    empty_labels: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def segment(text: str) -> Labelled:
    """The title lines and the labelled values of a CEEOL copy, clutter set aside."""
    out = Labelled()
    for line in _lines(unicodedata.normalize("NFC", text), out.warnings):
        if not _take_label(line, out):
            _take_free_line(line, out)
    return out


def _lines(text: str, warnings: list[str]) -> list[str]:
    lines: list[str] = []
    clutter: list[str] = []
    for raw in text.split("\n"):
        s = raw.strip()
        if not s:
            continue
        if _CLUTTER.match(s):
            clutter.append(s)
            continue
        lines.extend(_unglue(s))
    if clutter:
        warnings.append("page clutter ignored: " + "; ".join(dict.fromkeys(clutter)))
    return lines


def _take_label(line: str, out: Labelled) -> bool:
    m = _LABEL_RE.match(line)
    if m:
        key = LABELS[m.group("label")]
        value = m.group("value").strip()
        if not value:
            out.empty_labels.append(m.group("label"))
        elif key in out.values and key != "abstract":
            out.warnings.append(f"{m.group('label')}: printed twice; the first is kept")
        else:
            out.values[key] = value
            out.order.append(key)
        return True
    cf = _CONTENT_FILE.match(line)
    if cf:
        out.content_file = cf.group("fmt").upper()
        return True
    bm = _BARE_LABEL.match(line)
    if bm:
        out.empty_labels.append(bm.group("label"))
        return True
    return False


def _take_free_line(line: str, out: Labelled) -> None:
    if not out.values and len(out.title_lines) < 2:
        out.title_lines.append(line)
    elif out.order and out.order[-1] in ("abstract", "abstract_more"):
        # CEEOL's abstract is one line; what a copy carries on below it is kept apart
        out.values["abstract_more"] = (out.values.get("abstract_more", "") + "\n" + line).strip()
        if out.order[-1] != "abstract_more":
            out.order.append("abstract_more")
    else:
        out.warnings.append(f"line not understood, ignored: {line[:60]!r}")


# --- readers: one per field or group of fields --------------------------------------------


def read_people(values: dict[str, str], warnings: list[str]) -> dict[str, Any]:
    """Authors (CEEOL's placeholders left out), contributors with roles, and the editors."""
    authors = []
    for name in _split_names(values.get("authors", "")):
        if name.lower() in _PLACEHOLDER_AUTHORS:
            warnings.append(f"authors: {name!r} is CEEOL's placeholder, not a name")
            continue
        authors.append({"name": name})
    editors, contributors = [], []
    for item in _split_names(values.get("contributors", "")):
        m = re.match(r"^(?P<name>.+?)\s*\((?P<role>[^)]+)\)$", item)
        name, role = (m.group("name"), m.group("role")) if m else (item, None)
        contributors.append({"name": name, "role": role})
        if role and role.lower() in ("editor", "ed.", "eds.", "editors"):
            editors.append({"name": name})
    return {"authors": authors, "editors": editors, "contributors": contributors}


def read_terms(values: dict[str, str]) -> dict[str, Any]:
    subjects = split_subjects(values["subjects"]) if "subjects" in values else []
    keywords = [k.strip() for k in values.get("keywords", "").split(";") if k.strip()]
    return {"subjects": subjects, "keywords": keywords}


def read_container(values: dict[str, str]) -> tuple[str | None, str | None]:
    """The journal or book the item is in, and which of the two."""
    if "journal" in values:
        return values["journal"], "journal"
    if "book" in values:
        return values["book"], "book"
    if "issue_year" in values or "issue_no" in values:
        return None, "journal"
    if "publication_year" in values and "page_range" in values:
        return None, "book"
    return None, None


def read_year_volume(values: dict[str, str], warnings: list[str]) -> tuple[int | None, str | None]:
    """The year (from 'Issue Year: 61/2021' or 'Publication Year: 2010') and the volume."""
    volume = values.get("volume")
    year = None
    if "issue_year" in values:
        iy = values["issue_year"]
        m = re.match(r"^(?P<vol>[\w.]+)\s*/\s*(?P<year>\d{4})$", iy)
        if m:
            volume = volume or m.group("vol")
            year = int(m.group("year"))
        elif re.fullmatch(r"\d{4}", iy):
            year = int(iy)
        else:
            warnings.append(f"Issue Year: {iy!r} is not a year; kept out of 'year'")
    if "publication_year" in values:
        py = values["publication_year"]
        if re.fullmatch(r"\d{4}", py):
            if year is not None and year != int(py):
                warnings.append(f"Publication Year {py} differs from Issue Year {year}")
            year = year or int(py)
        else:
            warnings.append(f"Publication Year: {py!r} is not a year")
    return year, volume


def read_pages(values: dict[str, str], warnings: list[str]) -> dict[str, Any]:
    page_start = page_end = None
    if "page_range" in values:
        m = re.match(r"^(?P<a>[\w]+)\s*[-–—]\s*(?P<b>[\w]+)$", values["page_range"])
        if m:
            page_start, page_end = m.group("a"), m.group("b")
        else:
            page_start = values["page_range"]
    page_count = None
    if "page_count" in values:
        if re.fullmatch(r"\d+", values["page_count"]):
            page_count = int(values["page_count"])
        else:
            warnings.append(f"Page Count: {values['page_count']!r} is not a number")
    return {"page_start": page_start, "page_end": page_end, "page_count": page_count}


def completeness_warnings(seg: Labelled) -> list[str]:
    """What the copy lacks: a record cut off, an abstract running on, no title."""
    out = []
    abstract = seg.values.get("abstract")
    if "abstract_more" in seg.values:
        out.append("abstract: lines after the Summary/Abstract line are kept in abstract_continued")
    ends_in_abstract = seg.order and seg.order[-1] in ("abstract", "abstract_more")
    if seg.empty_labels:
        printed = ", ".join(dict.fromkeys(seg.empty_labels))
        out.append(f"record cut off: {printed} printed without a value")
    elif abstract and ends_in_abstract and seg.content_file is None:
        if not re.search(r"[.!?…”\"»)\]]$", abstract.strip()):
            out.append("record cut off inside the abstract; what is there is kept")
        else:
            out.append(
                "record ends after the abstract: no journal or book, pages or year were copied"
            )
    if not seg.title_lines:
        out.append("no title line")
    return out


def parse(text: str) -> Parsed:
    """The fields of a CEEOL record: segment, then read."""
    seg = segment(text)
    values, warnings = seg.values, seg.warnings
    people = read_people(values, warnings)
    terms = read_terms(values)
    container_title, container_type = read_container(values)
    year, volume = read_year_volume(values, warnings)
    pages = read_pages(values, warnings)
    warnings += completeness_warnings(seg)
    abstract = values.get("abstract")
    fields: dict[str, Any] = {
        "title": seg.title_lines[0] if seg.title_lines else None,
        "title_translated": seg.title_lines[1] if len(seg.title_lines) > 1 else None,
        **people,
        "subjects": terms["subjects"],
        "publisher": values.get("publisher"),
        "keywords": terms["keywords"],
        "abstract": abstract,
        "container_title": container_title,
        "container_type": container_type,
        "volume": volume,
        "issue": values.get("issue_no"),
        **pages,
        "year": year,
        "language": values.get("language"),
        "issn": values.get("issn") or values.get("eissn"),
        "eissn": values.get("eissn") if values.get("issn") else None,
        "isbn": values.get("isbn"),
        "abstract_continued": values.get("abstract_more"),
        "doi": values.get("doi"),
        "content_file": seg.content_file,
    }
    return Parsed(fields=fields, text=abstract or "", warnings=warnings)


def _split_names(value: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",\s+|;\s*", value)]
    return [p for p in parts if p]
