"""BibTeX and BibLaTeX entries: chapter → @incollection, article → @article.

Values are LaTeX-escaped and braced; names are 'Family, Given' or, where splitting is not
safe, a braced literal. BibLaTeX carries the English title in ``titleaddon`` and the
language as ``langid``; classic BibTeX, which has neither, puts the English title in ``note``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

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


BIBTEX_TYPE = {
    "article": "article",
    "chapter": "incollection",
    "report": "misc",
    "document": "incollection",
}
BIBLATEX_TYPE = {
    "article": "article",
    "chapter": "incollection",
    "report": "report",
    "document": "incollection",
}


def fields(c: Citation, *, biblatex: bool) -> list[tuple[str, str | None]]:
    container = "journaltitle" if biblatex else "journal"
    number = c.issue or c.number
    out: list[tuple[str, str | None]] = [
        ("author", _names(c.authors) if c.authors else None),
        ("editor", _names(c.editors) if c.editors else None),
        ("title", latex(c.title)),
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
        ("date" if biblatex else "year", c.date if biblatex and c.date else (str(c.year) if c.year else None)),
        ("volume", latex(c.volume) if c.volume else None),
        ("number", latex(number) if number else None),
        ("pages", _pages(c)),
        ("pagetotal" if biblatex else "numpages", str(c.page_count) if c.page_count else None),
        ("type", latex(c.genre) if c.genre else ("report" if biblatex and c.kind == "report" else None)),
        ("location", latex(c.place) if biblatex and c.place else None),
        ("langid" if biblatex else "language",
         (c.language.split(",")[0].strip().lower() if biblatex else latex(c.language)) if c.language else None),
        ("keywords", latex(", ".join(c.keywords)) if c.keywords else None),
        ("abstract", latex(c.abstract) if c.abstract else None),
        ("doi", latex(c.doi) if c.doi else None),
        ("issn", latex(c.issn) if c.issn else None),
    ]  # fmt: skip
    notes = []
    if not biblatex and c.title_translated:
        notes.append(f"English title: {c.title_translated}")
    if c.title_latin:
        notes.append(f"Title in Latin script: {c.title_latin}")
    if c.archive_location:
        notes.append(f"Department of State file {c.archive_location}")
    if c.doc_number:
        notes.append(f"Document {c.doc_number}")
    out.append(("note", latex("; ".join(notes)) if notes else None))
    return out


def entry(record: dict[str, Any], *, biblatex: bool) -> str:
    c = from_record(record)
    kind = (BIBLATEX_TYPE if biblatex else BIBTEX_TYPE)[c.kind]
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
