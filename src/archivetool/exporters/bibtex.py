"""BibTeX and BibLaTeX entries: chapter → @incollection, article → @article.

Values are LaTeX-escaped and braced; names are 'Family, Given' or, where splitting is not
safe, a braced literal. BibLaTeX carries the English title in ``titleaddon`` and the
language as ``langid``; classic BibTeX, which has neither, puts the English title in ``note``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

from archivetool import kinds
from archivetool.citation import Citation, Name, from_record

_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


def latex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group()], " ".join(text.split()))


def _names(names: list[Name]) -> str:
    out = []
    for n in names:
        if n.literal:
            out.append("{" + latex(n.literal) + "}")
        else:
            out.append(latex(f"{n.family}, {n.given}" if n.given else n.family or ""))
    return " and ".join(out)


def _pages(c: Citation) -> str | None:
    if c.page_start and c.page_end and c.page_start != c.page_end:
        return f"{c.page_start}--{c.page_end}"
    return c.page_start


# each genre's entry type, from its kind's registry entry
BIBTEX_TYPE = kinds.citation_types("bibtex")
BIBLATEX_TYPE = kinds.citation_types("biblatex")


def fields(c: Citation, *, biblatex: bool) -> list[tuple[str, str | None]]:
    container = "journaltitle" if biblatex else "journal"
    # a telegram's number is no issue number: BibTeX styles print it as "number 627" in the
    # volume, so a document's goes to the note
    number = c.issue or (c.number if c.kind != "document" else None)
    out: list[tuple[str, str | None]] = [
        ("author", _names(c.authors) if c.authors else None),
        ("editor", _names(c.editors) if c.editors else None),
        # doubled braces: a style never changes the case of a title (Стаљином, FRUS headings)
        ("title", "{" + latex(c.title) + "}"),
    ]
    if biblatex:
        out.append(("titleaddon", latex(f"[{c.title_translated}]") if c.title_translated else None))
    if c.kind == "article":
        out.append((container, latex(c.container_title) if c.container_title else None))
    elif c.kind in ("chapter", "document"):
        out.append(("booktitle", latex(c.container_title) if c.container_title else None))
    out += [
        ("publisher" if c.kind != "report" or not biblatex else "institution",
         latex(c.publisher) if c.publisher else None),
        ("date", _date(c)) if biblatex else ("year", _year(c)),
        ("volume", latex(c.volume) if c.volume else None),
        ("number", latex(number) if number else None),
        ("pages", _pages(c)),
        ("pagetotal" if biblatex else "numpages", str(c.page_count) if c.page_count else None),
        ("type", latex(c.genre) if c.genre else ("report" if biblatex and c.kind == "report" else None)),
        ("langid" if biblatex else "language",
         (c.language.split(",")[0].strip().lower() if biblatex else latex(c.language)) if c.language else None),
        ("keywords", latex(", ".join(c.keywords)) if c.keywords else None),
        ("abstract", latex(c.abstract) if c.abstract else None),
        ("doi", latex(c.doi) if c.doi else None),
        ("issn", latex(c.issn) if c.issn else None),
        ("url", c.url),
        ("howpublished", _in_container(c) if _kind(c, biblatex) == "misc" and c.kind != "report" else None),
    ]  # fmt: skip
    notes = []
    if not biblatex and c.title_translated:
        notes.append(f"English title: {c.title_translated}")
    if c.title_latin:
        notes.append(f"Title in Latin script: {c.title_latin}")
    if c.kind == "document" and c.number:
        notes.append(f"{(c.genre or 'no.').capitalize()} {c.number}")
    if c.archive_location:
        notes.append(f"Department of State file {c.archive_location}")
    if c.doc_number:
        notes.append(f"Document {c.doc_number}")
    if c.place:  # the dateline's place, which is not a place of publication
        notes.append(f"Dated at {c.place}")
    if c.date_inferred:
        notes.append(f"Date not stated in the text; inferred: {c.date_inferred}")
    out.append(("note", latex("; ".join(notes)) if notes else None))
    if _kind(c, biblatex) == "misc" and c.kind != "report":  # said in howpublished
        out = [(k, v) for k, v in out if k not in ("booktitle", "journal", "volume", "number")]
    return out


def _year(c: Citation) -> str | None:
    """A document's year, its volume's span (1955--1957), or n.d. where a style requires one."""
    if c.year_text:
        return c.year_text.replace("–", "--")
    return "n.d." if _kind(c, biblatex=False) != "misc" else None


def _date(c: Citation) -> str | None:
    """BibLaTeX's ISO date, or the volume's span as a range (1955/1957)."""
    if c.date or c.date_inferred:
        return c.date or c.date_inferred
    return c.year_text.replace("–", "/") if c.year_text else None


def _in_container(c: Citation) -> str:
    """Where a @misc entry appeared, for styles that print no booktitle or journal there."""
    pages = _pages(c)
    parts = [
        c.container_title or "",
        f"vol. {c.volume}" if c.volume else "",
        f"no. {c.issue}" if c.issue else "",
        f"doc. {c.doc_number}" if c.doc_number else "",
        (f"pp. {pages}" if "-" in pages else f"p. {pages}") if pages else "",
    ]
    return latex(("In " if c.kind != "article" else "") + ", ".join(p for p in parts if p))


def _kind(c: Citation, biblatex: bool) -> str:
    """The entry type. BibTeX's @incollection and @article require an author and their book
    or journal (styles stop without them), so an editorial note, an unsigned article or one
    whose journal the record lacks is a @misc saying where it appeared; BibLaTeX is lenient."""
    kind = (BIBLATEX_TYPE if biblatex else BIBTEX_TYPE)[c.kind]
    if (
        not biblatex
        and kind in ("incollection", "article")
        and not (c.authors and c.container_title)
    ):
        return "misc"
    return kind


def entry(record: dict[str, Any], *, biblatex: bool) -> str:
    c = from_record(record)
    kind = _kind(c, biblatex)
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields(c, biblatex=biblatex) if v)
    return f"@{kind}{{{c.key},\n{body}\n}}\n"


def _write(records: Iterable[dict[str, Any]], out: TextIO, *, biblatex: bool) -> int:
    n = 0
    keys: dict[str, int] = {}
    for record in records:
        text = entry(record, biblatex=biblatex)
        key = text[text.index("{") + 1 : text.index(",")]
        if key in keys:  # two works by one author in one year: popovic2010prvi, …b
            keys[key] += 1
            text = text.replace(key + ",", f"{key}{chr(95 + keys[key])},", 1)
        else:
            keys[key] = 1
        out.write(("\n" if n else "") + text)
        n += 1
    return n


def write_bibtex(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    return _write(records, out, biblatex=False)


def write_biblatex(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    return _write(records, out, biblatex=True)
