"""FRUS volumes as TEI XML (the Office of the Historian's own source files).

A volume is read as a stream of ``<div type="document">`` elements (``iterparse``, each
element cleared once read), so a volume of any size takes little memory. Each document is
rendered into the shape the website's text has — source line, heading, dateline, body with
``[Page N]`` and footnote markers glued to the words, signature, footnotes listed from 1 —
and that text goes through the same FRUS parser as a copy from the website, so the two forms
of a document give the same record.

The parser is hardened: no entity expansion, no DTD, no network. Elements never leave this
module; only text does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from archivetool.errors import InputError

TEI = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
_T = f"{{{TEI}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@dataclass(frozen=True)
class TeiDocument:
    """One document of a volume, rendered as the website shows it."""

    volume: str
    doc_id: str
    text: str
    sha256: str


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


class _Renderer:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def inline(self, el: Any, *, skip_notes: bool = False) -> str:
        """Text of an element with notes turned into glued markers and page breaks marked."""
        out = [el.text or ""]
        for child in el:
            name = _local(child)
            if name == "note" and child.get("type") != "source":
                if not skip_notes:
                    self.notes.append(_squash(self.inline(child, skip_notes=True)))
                    out.append(child.get("n") or str(len(self.notes)))
            elif name == "pb":
                out.append(f"[Page {child.get('n')}]" if child.get("n") else "")
            elif name == "lb":
                out.append(BREAK)
            elif name in ("list",):
                out.append(BREAK + self.list_text(child).replace("\n", BREAK) + BREAK)
            elif name != "note":
                out.append(self.inline(child, skip_notes=skip_notes))
            out.append(child.tail or "")
        return "".join(out)

    def list_text(self, el: Any) -> str:
        lines, label = [], ""
        for child in el:
            name = _local(child)
            if name == "label":
                label = _squash(self.inline(child))
            elif name == "item":
                lines.append(_squash(f"{label} {self.inline(child)}"))
                label = ""
            elif name == "head":
                lines.append(_squash(self.inline(child)))
        return "\n".join(lines)

    def block(self, el: Any) -> list[str]:
        """Paragraph-level lines of a container (a document, an opener, an attachment)."""
        lines: list[str] = []
        for child in el:
            name = _local(child)
            if name in (
                "p",
                "head",
                "seg",
                "dateline",
                "salute",
                "signed",
                "closer",
                "postscript",
                "ab",
                "quote",
            ):
                if name == "closer":
                    lines += self.block(child) or [_squash(self.inline(child))]
                else:
                    text = _squash_keep_lines(self.inline(child))
                    if text:
                        lines.append(text)
            elif name == "opener":
                lines += self.block(child)
            elif name == "list":
                lines.append(self.list_text(child))
            elif name == "pb":
                if child.get("n"):
                    lines.append(f"[Page {child.get('n')}]")
            elif name == "note" and child.get("type") != "source":
                self.notes.append(_squash(self.inline(child, skip_notes=True)))
            elif (
                name in ("div", "attachment", "table", "frus:attachment")
                or child.tag == f"{{{FRUS_NS}}}attachment"
            ):
                sub = self.block(child)
                if sub:
                    lines += ["[Enclosure]" if not sub[0].startswith("[") else "", *sub]
            if child.tail and child.tail.strip() and name not in ("note",):
                lines.append(_squash(child.tail))
        return [ln for ln in lines if ln is not None]


BREAK = "\u2028"  # an explicit line break inside a paragraph, kept through the squashing


def _squash(text: str) -> str:
    return " ".join(text.replace(BREAK, " ").split())


def _squash_keep_lines(text: str) -> str:
    """XML's own line wrapping is no break; <lb/> and lists are."""
    return "\n".join(_squash(part) for part in text.split(BREAK) if part.strip())


def render(div: Any) -> str:
    """A document div as the website's text."""
    r = _Renderer()
    lines: list[str] = []
    for child in div:
        if _local(child) == "note" and child.get("type") == "source":
            lines.append(_squash(r.inline(child, skip_notes=True)))
            break
    body: list[str] = []
    for child in div:
        name = _local(child)
        if name == "note" and child.get("type") == "source":
            continue
        if name == "head":
            body.append(_squash(r.inline(child)))
        elif name == "opener":
            body += r.block(child)
        else:
            body += r.block(_wrap(child))
    lines += body
    text = "\n\n".join(ln for ln in lines if ln)
    if r.notes:
        text += "\n\n" + "\n".join(f"  {i}. {note}" for i, note in enumerate(r.notes, start=1))
    return text + "\n"


def _wrap(el: Any) -> Any:
    """A lone element (a <p>, a <list>) in a container, so one code path reads them all."""
    holder = etree.Element(f"{_T}div")
    holder.append(deepcopy(el))
    return holder


def _parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def is_tei(path: Path) -> bool:
    if path.suffix.lower() != ".xml":
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b"tei-c.org/ns" in head or b"<TEI" in head


def _refuse_declarations(path: Path) -> None:
    """Refuse a volume whose DTD declares entities or elements, wherever its DOCTYPE stands.

    The parser decides, not a byte pattern: the prolog is read with the hardened parser up to
    the root element, however long it is, and the DTD the parser found is looked at.
    """
    parser = etree.XMLPullParser(events=("start",), **_parser_options())
    refusal = InputError(
        f"{path}: the XML declares entities or an internal DTD, which archivetool does not read",
        hint="use the volume as published, without a DOCTYPE",
    )
    with path.open("rb") as fh:
        while chunk := fh.read(16384):
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError as exc:
                if "entit" in str(exc).lower():  # libxml2's own guard (amplification) struck
                    raise refusal from exc
                return  # not well-formed: the reading below says where
            for _, el in parser.read_events():
                dtd = el.getroottree().docinfo.internalDTD
                if dtd is not None and (list(dtd.entities()) or list(dtd.iterelements())):
                    raise refusal
                return


def iter_documents(path: Path) -> Iterator[TeiDocument]:
    """The documents of a TEI volume, one at a time."""
    volume = path.stem
    _refuse_declarations(path)
    try:
        for _, el in etree.iterparse(
            str(path), events=("end",), tag=f"{_T}div", **_parser_options()
        ):
            if el.get("type") != "document":
                continue
            text = render(el)
            doc_id = el.get(XML_ID) or el.get("n") or ""
            raw = etree.tostring(el)
            yield TeiDocument(volume, doc_id, text, hashlib.sha256(raw).hexdigest())
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"{path}: line {exc.lineno}: not well-formed XML ({exc.msg})",
            hint="check that the whole volume was saved",
        ) from exc
