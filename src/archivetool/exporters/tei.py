"""TEI XML in the shape of the FRUS edition: one ``<div type="document">`` per FRUS record.

Each document is written as the Office of the Historian's volumes write theirs: the source
note, the ``head`` with the sender (``persName``/``gloss type="from"``) and recipient
(``type="to"``), an ``opener`` with the classification, the ``dateline`` (``placeName``,
``date/@when``) and the received note, the paragraphs with the footnotes in place
(``note n``) and the page breaks (``pb n``), and the ``closer`` with the signature. A
document's ``xml:id`` is the edition's identifier with its volume (``frus1948v05p1_d120``),
so that documents of several volumes stand in one file and a reader still knows each one's
volume. Bibliographic records become ``biblStruct`` entries of a ``listBibl``.

archivetool reads the file back (``archivetool ingest export.xml``) to the same records.
Every string is cleaned of the characters XML 1.0 forbids, and each element is serialised
on its own, so a large export streams in constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from lxml import etree

from archivetool import __version__, kinds
from archivetool.citation import Name, from_record

TEI = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: TEI, "frus": FRUS_NS}
_T = f"{{{TEI}}}"
# what XML 1.0 does not allow in a document (C0 controls but tab and newlines, surrogates,
# U+FFFE and U+FFFF): dropped, since no reader can take a file that holds them
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NCNAME = re.compile(r"[A-Za-z_][\w.-]*")
_DECLARED = f' xmlns="{TEI}" xmlns:frus="{FRUS_NS}"'


def clean(text: Any) -> str:
    return _ILLEGAL.sub("", str(text))


def _el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, _T + tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


def _append(el: Any, text: str) -> None:
    """Add text after an element's last child (or as its text when it has none)."""
    text = clean(text)
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


# --- the heading ---------------------------------------------------------------------------


def _party_names(p: Any) -> list[str]:
    if not p:
        return []
    if isinstance(p, list):
        return [n for x in p for n in _party_names(x)]
    return [str(v) for v in (p.get("name"), p.get("role")) if v]


def _mark(title: str, start: int, end: int, names: list[str]) -> tuple[int, int, str] | None:
    """Where in title[start:end] a party is named: its name, else its office."""
    for name in names:
        i = title.find(name, start, end)
        if i >= 0:
            return i, i + len(name), name
    return None


def _head(div: Any, record: dict[str, Any], notes: list[dict[str, Any]]) -> None:
    """The heading with its parties marked (a person's name as persName, an office as gloss),
    and the notes on it (a later volume's source note among them) at its end."""
    title = str(record.get("title") or "")
    head = _el(div, "head")
    split = title.rfind(" to ")
    spans: list[tuple[int, int, str, str, str]] = []
    if split > 0:
        for kind, key, lo, hi in (
            ("from", "sender", 0, split),
            ("to", "recipient", split + 4, len(title)),
        ):
            found = _mark(title, lo, hi, _party_names(record.get(key)))
            if found:
                start, end, name = found
                persons = _party_names(record.get(key))[:1] if _has_name(record.get(key)) else []
                spans.append((start, end, name, kind, "persName" if name in persons else "gloss"))
    cursor = 0
    for start, end, name, kind, tag in spans:
        _append(head, title[cursor:start])
        _el(head, tag, name, type=kind)
        cursor = end
    _append(head, title[cursor:])
    for note in notes:
        _note(head, note)


def _has_name(p: Any) -> bool:
    return isinstance(p, dict) and bool(p.get("name"))


def _note(parent: Any, note: dict[str, Any]) -> None:
    attrs = {"n": str(note["n"])}
    if str(note.get("text", "")).startswith("Source:"):
        attrs["type"] = "source"
    _el(parent, "note", note.get("text") or "", **attrs)


# --- the opener: classification, dateline, received, number ------------------------------


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _opener(div: Any, record: dict[str, Any]) -> None:
    opener = etree.Element(_T + "opener")
    if record.get("classification"):
        _el(opener, "seg", str(record["classification"]).lower(), rendition="#left")
    dateline = str(record.get("dateline") or "")
    place, when = record.get("place"), record.get("date")
    if dateline and dateline == record.get("title"):
        dateline = ""  # a memorandum's heading that gives its place and date itself
    if not dateline and when:  # the parts the record knows, as the edition prints them
        dateline = ", ".join(x for x in (place, _long_date(str(when))) if x)
    if dateline or place:
        dl = _el(opener, "dateline", rendition="#right")
        i = dateline.find(str(place)) if place else -1
        after = dateline[i + len(str(place)) :] if i >= 0 else dateline
        if i > 0 and dateline[:i].rstrip().endswith(","):
            _append(dl, dateline[:i].rstrip())  # 'Legation of Chili in the United States,'
            etree.SubElement(dl, _T + "lb")  # on a line above the place, as printed
        elif i > 0:
            _append(dl, dateline[:i])  # '[Washington,]': the editors' brackets
        if i >= 0:
            _el(dl, "placeName", str(place))
        sep = re.match(r"[,\s]*", after)
        _append(dl, sep.group() if sep else "")
        after = after[sep.end() if sep else 0 :]
        m = re.search(r"\s*[(\[]Received", after)
        stated, tail = (after[: m.start()], after[m.start() :]) if m else (after, "")
        if when:
            _el(dl, "date", stated or str(when), when=str(when))
        else:
            _append(dl, stated)
        _append(dl, tail)
        if record.get("received") and "Received" not in dateline:
            etree.SubElement(dl, _T + "lb")
            _append(dl, f"[{record['received']}]")
    elif record.get("received"):
        _el(opener, "seg", f"[{record['received']}]", rendition="#right")
    said = f"{record.get('source_note') or ''} {record.get('title') or ''}".lower()
    if record.get("doc_type") == "telegram" and "telegram" not in said:
        _el(opener, "seg", "[Telegram]", rendition="#center")  # as the older volumes print it
    serial, text = record.get("serial_number"), str(record.get("text") or "")
    if serial and not text.lstrip().startswith(str(serial)):
        _el(opener, "seg", f"No. {serial}", rendition="#left")  # a despatch's number
    if len(opener):
        div.append(opener)


# --- the text: paragraphs with notes and page breaks in place --------------------------------


def _signature_lines(lines: list[str], signed: str) -> tuple[int, int] | None:
    """Where the signature stands in the text's lines: the last run of lines that reads as
    the record's ``signed`` (the document's own, also when an enclosure follows it)."""
    want = [" ".join(x.split()) for x in signed.split("\n") if x.strip()]
    if not want:
        return None
    flat = [" ".join(x.split()) for x in lines]
    for i in range(len(flat) - len(want), -1, -1):
        if flat[i : i + len(want)] == want:
            return i, i + len(want)
    return None


def _body(div: Any, record: dict[str, Any], notes: list[dict[str, Any]]) -> None:
    """Paragraphs (each line of the record's text, as the website's copy breaks them), the
    notes and page breaks at their offsets, the signature as the closer where it stands."""
    text = str(record.get("text") or "")
    marks: list[tuple[int, int, Any]] = [
        (int(off), 0, int(page)) for page, off in record.get("page_offsets") or []
    ]
    marks += [(int(n["offset"]), 1, n) for n in notes]
    marks.sort(key=lambda m: (m[0], m[1]))
    chunks = re.split(r"(\n+)", text)
    lines = chunks[::2]
    where = _signature_lines(lines, str(record.get("signed") or ""))
    closer: Any = None
    pos = 0
    for index, chunk in enumerate(chunks):
        end = pos + len(chunk)
        if index % 2:  # between paragraphs: a mark here stands between them
            for mark in [m for m in marks if pos <= m[0] < end]:
                _block_mark(closer if closer is not None else div, mark[1], mark[2])
                marks.remove(mark)
            pos = end
            continue
        line = index // 2
        if where and where[0] <= line < where[1]:
            if closer is None:
                closer = _el(_el(div, "closer"), "signed")
            else:
                etree.SubElement(closer, _T + "lb")
            para = closer
        else:
            closer, para = None, _el(div, "p")
        cursor = pos
        for mark in [m for m in marks if pos <= m[0] <= end]:
            _append(para, text[cursor : mark[0]])
            _block_mark(para, mark[1], mark[2])
            cursor = mark[0]
            marks.remove(mark)
        _append(para, text[cursor:end])
        pos = end
    for _, kind, value in marks:  # past the end of the text
        _block_mark(div, kind, value)


def _block_mark(div: Any, kind: int, value: Any) -> None:
    if kind == 0:
        _el(div, "pb", n=str(value))
    else:
        _note(div, value)


# --- one document, one bibliographic record ------------------------------------------------


def _doc_id(record: dict[str, Any], used: set[str]) -> str:
    vol = record.get("frus_volume") or {}
    url = str(vol.get("url") or "")
    if vol.get("id") and vol.get("document"):
        base = f"{vol['id']}_{url.rsplit('/', 1)[-1] if url else 'd' + str(vol['document'])}"
    else:
        base = str(record["id"])
    if not _NCNAME.fullmatch(base):
        base = "r" + re.sub(r"[^\w.-]", "", base)
    doc_id, n = base, 1
    while doc_id in used:
        n += 1
        doc_id = f"{base}-{n}"
    used.add(doc_id)
    return doc_id


def document(record: dict[str, Any], doc_id: str) -> Any:
    """One FRUS record as the edition's ``<div type="document">``."""
    attrs = {XML_ID: doc_id, "subtype": "historical-document"}
    number = (record.get("frus_volume") or {}).get("document") or record.get("doc_number")
    if number:
        attrs["n"] = str(number)
    if record.get("date_source") == "tei" and record.get("date_inferred"):
        attrs[f"{{{FRUS_NS}}}doc-dateTime-min"] = f"{record['date_inferred']}T00:00:00"
        attrs[f"{{{FRUS_NS}}}doc-dateTime-max"] = f"{record['date_inferred']}T23:59:59"
    div = etree.Element(_T + "div", {"type": "document"}, nsmap=NSMAP)
    for key, value in attrs.items():
        div.set(key, clean(value))
    notes = list(record.get("footnotes") or [])
    source = record.get("source_note")
    if source and not any(n.get("text") == source for n in notes):
        _el(div, "note", str(source), rend="inline", type="source")
    _head(div, record, [n for n in notes if n.get("offset") is None])
    _opener(div, record)
    _body(div, record, [n for n in notes if n.get("offset") is not None])
    return div


def _name(parent: Any, role: str, n: Name) -> None:
    el = _el(parent, role)
    if n.literal:
        _el(el, "name", n.literal)
    else:
        pers = _el(el, "persName")
        if n.given:
            _el(pers, "forename", n.given)
        _el(pers, "surname", n.family or "")


def bibl(record: dict[str, Any], bibl_id: str) -> Any:
    """A bibliographic record as a TEI ``biblStruct``: the piece, then its book or journal."""
    c = from_record(record)
    root = etree.Element(_T + "biblStruct", {XML_ID: bibl_id}, nsmap=NSMAP)
    if c.container_title:
        analytic = _el(root, "analytic")
        for a in c.authors:
            _name(analytic, "author", a)
        _el(analytic, "title", c.title, level="a")
        if c.title_translated:
            _el(analytic, "title", c.title_translated, type="translated", **{XML_LANG: "en"})
    monogr = _el(root, "monogr")
    if not c.container_title:
        for a in c.authors:
            _name(monogr, "author", a)
    _el(monogr, "title", c.container_title or c.title, level="j" if c.kind == "article" else "m")
    for e in c.editors:
        _name(monogr, "editor", e)
    imprint = _el(monogr, "imprint")
    if c.publisher:
        _el(imprint, "publisher", c.publisher)
    if c.year_text:
        _el(imprint, "date", c.year_text, when=str(c.year))
    for unit, value in (("volume", c.volume), ("issue", c.issue), ("page", c.pages)):
        if value:
            _el(imprint, "biblScope", value, unit=unit)
    if c.doi:
        _el(root, "idno", c.doi, type="DOI")
    _el(root, "idno", c.record_id, type="archivetool")
    return root


def _header(out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<TEI xmlns="{TEI}" xmlns:frus="{FRUS_NS}">\n')
    out.write(
        "<teiHeader><fileDesc><titleStmt><title>Records exported by archivetool</title>"
        "</titleStmt><publicationStmt><p>Written by archivetool "
        f"{clean(__version__)}.</p></publicationStmt><sourceDesc><p>Documents of Foreign "
        "Relations of the United States in the shape of the Office of the Historian's edition, "
        "and bibliographic records.</p></sourceDesc></fileDesc></teiHeader>\n"
    )
    out.write("<text><body>\n")


def bibliography(record: dict[str, Any], doc_id: str) -> Any:
    """A bibliographic record as a ``biblStruct`` in a div of type bibliography."""
    el = etree.Element(_T + "div", {"type": "bibliography"}, nsmap=NSMAP)
    etree.SubElement(el, _T + "listBibl").append(bibl(record, doc_id))
    return el


def write_tei(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """FRUS documents as the edition's divs, bibliographic records in one ``listBibl`` each
    (a div of type bibliography), streamed."""
    _header(out)
    used: set[str] = set()
    n = 0
    for record in records:
        doc_id = _doc_id(record, used)
        el = kinds.of(record).tei(record, doc_id)
        # the root declares both namespaces; lxml repeats them on each element it serialises
        out.write(etree.tostring(el, encoding="unicode").replace(_DECLARED, "", 1))
        out.write("\n")
        n += 1
    out.write("</body></text>\n</TEI>\n")
    return n
