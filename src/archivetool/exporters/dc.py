"""Dublin Core as XML, one ``oai_dc:dc`` element per record, written with lxml.

The root element is written by hand and each record's element is serialised on its own,
so a large export streams in constant memory. Characters XML 1.0 cannot hold (most C0
controls) become U+FFFD, so the document stays well-formed whatever a record holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from lxml import etree

from archivetool import kinds
from archivetool.citation import from_record
from archivetool.safetext import xml_text

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"oai_dc": OAI_DC, "dc": DC}
DC_TYPE = kinds.citation_types("dc")  # the genre's type, where the document names none


def element(record: dict[str, Any]) -> etree._Element:
    c = from_record(record)
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap=NSMAP)

    def add(name: str, value: str | None, lang: str | None = None) -> None:
        if value:
            el = etree.SubElement(root, f"{{{DC}}}{name}")
            el.text = xml_text(" ".join(str(value).split()))
            if lang:
                el.set(XML_LANG, xml_text(lang))

    add("title", c.title, c.language_code)
    if c.title_translated:
        add("title", c.title_translated, "en")
    if c.title_latin:
        add("title", c.title_latin, f"{c.language_code}-Latn" if c.language_code else None)
    for a in c.authors:
        add("creator", a.display)
    for e in [*c.editors, *c.recipients]:
        add("contributor", e.display)
    for s in [*(record.get("subjects") or []), *c.keywords]:
        add("subject", s)
    add("description", c.abstract)
    add("publisher", c.publisher)
    add("date", c.date or c.date_inferred or (c.year_text or "").replace("–", "/") or None)
    add("type", "Text")
    add("type", c.genre or DC_TYPE.get(c.kind))
    if c.container_title:
        where = c.container_title
        if c.volume:
            where += f", vol. {c.volume}"
        if c.issue:
            where += f", no. {c.issue}"
        if c.pages:
            where += f", pp. {c.pages}"
        add("source", where)
    add("identifier", f"doi:{c.doi}" if c.doi else None)
    add("identifier", c.archive_location)
    add("identifier", c.url)
    add("identifier", c.record_id)
    for lang in record.get("languages") or []:
        add("language", lang["iso639_1"])
    add("language", kinds.of(record).language_code)
    return root


def write_dc(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<records xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}">\n')
    n = 0
    for record in records:
        out.write(etree.tostring(element(record), encoding="unicode", pretty_print=True))
        n += 1
    out.write("</records>\n")
    return n
