"""FRUS volumes as TEI XML (the Office of the Historian's own source files).

A volume is read as a stream of ``<div type="document">`` elements (``iterparse``, each
element cleared once read), so a volume of any size takes little memory. Each document is
read from its elements straight into the :class:`Segments` a website copy is cut into:
``head`` (with ``persName``/``gloss`` of type from/to), ``dateline`` (``placeName``,
``date/@when``), the source note, ``opener``, ``closer``/``signed``, footnotes in place
(``note/@n``), page breaks (``pb/@n``), ``frus:attachment`` as enclosures and the editors'
``frus:doc-dateTime-min/max``. The field readers then meet the structure itself, never a
text rendered from it and guessed back.

:func:`render` still gives a document as the website's text: the oracle benchmark renders
TEI into the shapes real copies take and checks the text reader against this reading.

The parser is hardened: no entity expansion, no DTD, no network. Elements never leave this
module; only values do.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from archivetool.errors import InputError
from archivetool.formats.frus import markers as mk
from archivetool.formats.frus.dates import RECEIVED_OPEN, RECEIVED_RE, place_before
from archivetool.formats.frus.lines import is_classification, is_opener_bracket, tidy
from archivetool.formats.frus.segment import NOTE_MARK, PAGE_MARK, place_marks
from archivetool.formats.frus.segment import _salutation as salutation_of
from archivetool.formats.frus.segments import Enclosure, Footnote, Segments, Stated
from archivetool.formats.frus.vocab import ENCLOSURE

TEI = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
_T = f"{{{TEI}}}"
ATTACHMENT = f"{{{FRUS_NS}}}attachment"
DATE_MIN = f"{{{FRUS_NS}}}doc-dateTime-min"
DATE_MAX = f"{{{FRUS_NS}}}doc-dateTime-max"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_PRINTED_NUMBER = re.compile(r"^No\.\s*\d+[A-Za-z]?\.?$")  # "No. 255." above a heading
_NUMBER_OPENER = re.compile(
    r"^No\.\s*[A-Z]?[–-]?\d[\w/–-]*\.?\]?\.?$"
)  # "No. 12]", "No. 171/res.]"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MARKS = PAGE_MARK + NOTE_MARK
BREAK = "\u2028"  # an explicit line break (<lb/>, a list) inside a paragraph
_MARKING = frozenset(("note", "pb", "lb", "list"))  # inline children that are not just words


@dataclass(frozen=True)
class TeiDocument:
    """One document of a volume, read from its elements."""

    volume: str
    doc_id: str
    segments: Segments
    sha256: str
    size: int  # bytes of the document's element
    text: str = ""  # the website-like rendering (:func:`render`), only when asked for


class _LocalNames(dict[Any, str]):
    """A tag's local name, ``NAMES[el.tag]``: a volume has a few dozen tags, asked for again
    and again, so the answer is a dictionary look-up (no call) once a tag was seen."""

    def __missing__(self, tag: Any) -> str:
        # a comment's or processing instruction's tag is a function, not a name
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(self) < 1024:  # a volume of made-up tags does not grow it for ever
            self[tag] = name
        return name


_NAMES = _LocalNames()


def _local(el: Any) -> str:
    return _NAMES[el.tag]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    """Paragraph text as lines: XML's own wrapping is no break, <lb/> is."""
    if not text or text.isspace():  # most tails: the indentation between elements
        return []  # (str.split() and str.isspace() agree on what whitespace is, BREAK too)
    if BREAK not in text:
        line = " ".join(text.split())
        return [line] if line else []
    return [line for line in (" ".join(part.split()) for part in text.split(BREAK)) if line]


# --- one document's elements → Segments ---------------------------------------------------

# what the reader's walk treats otherwise than as words: marks, breaks, lists, and the nodes
# whose own text it keeps though libxml2's text of their parent leaves it out
_MARKING_NODES = ("{*}note", "{*}pb", "{*}lb", "{*}list", etree.Comment,
                  etree.ProcessingInstruction, etree.Entity)  # fmt: skip


def _marked(div: Any) -> set[Any]:
    """The elements of a document that are or hold a marking node: the others' text is
    their words alone, which :func:`_words` gives without a walk in Python. (A set of
    elements is sound while it holds them: lxml gives a node one proxy at a time.)"""
    marked: set[Any] = set()
    for node in div.iter(*_MARKING_NODES):
        while node is not None and node not in marked:
            marked.add(node)
            node = node.getparent()
    return marked


def _words(el: Any) -> str:
    """The text of an element and all below it, its tail left out."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)  # type: ignore[no-any-return]


@dataclass
class _Parts:
    """What a document's elements give, gathered in document order."""

    heading: str = ""
    number_line: str | None = None
    source_lines: list[str] = field(default_factory=list)
    openers: list[str] = field(default_factory=list)
    datelines: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    salutation: str | None = None
    closing_dateline: str | None = None
    signature: tuple[str, ...] = ()
    enclosures: list[Enclosure] = field(default_factory=list)
    notes: list[Footnote] = field(default_factory=list)  # offsets filled once the text is known
    body_notes: list[int] = field(default_factory=list)  # indices of notes marked in the body
    header_pages: list[int] = field(default_factory=list)
    body_pages: list[int] = field(default_factory=list)
    sender: str | None = None
    recipient: str | None = None
    place: str | None = None
    date: str | None = None


class _Reader:
    """Text of elements with page and note marks; footnotes collected where they stand."""

    def __init__(self, div: Any) -> None:
        self.parts = _Parts()
        self.marked = _marked(div)

    def inline(self, el: Any, *, body: bool = False, collect: bool = True) -> str:
        if el not in self.marked:
            return _words(el)  # nothing below it but words: libxml2 joins them
        out = [el.text or ""]
        for child in el:
            name = _NAMES[child.tag]
            if name not in _MARKING or (name == "note" and child.get("n") is None):
                # the words of a <hi>, a <persName>: a leaf's are its text (most are leaves)
                out.append(self.inline(child, body=body, collect=collect) if len(child)
                           else child.text or "")  # fmt: skip
            elif name == "note":
                if collect:
                    self.note(child, "".join(out), body)
                    if body:
                        out.append(NOTE_MARK)
            elif name == "pb":
                out.append(self.page(child, body) if collect else "")
            elif name == "lb":
                out.append(BREAK)
            else:  # a list
                items = self.list_lines(child, body=body, collect=collect)
                out.append(BREAK + BREAK.join(items) + BREAK)
            out.append(child.tail or "")
        return "".join(out)

    def plain(self, el: Any) -> str:
        """An element's words on one line, notes left out."""
        return _squash(self.inline(el, collect=False))

    def note(self, note: Any, before: str, body: bool) -> None:
        words = _squash(before)
        marker = mk.words_before(words, len(words), _MARKS) or None
        if body:
            self.parts.body_notes.append(len(self.parts.notes))
        self.parts.notes.append(Footnote(note.get("n"), self.plain(note), marker))

    def page(self, pb: Any, body: bool) -> str:
        n = pb.get("n") or ""
        if not n.isdigit():
            return ""
        (self.parts.body_pages if body else self.parts.header_pages).append(int(n))
        return PAGE_MARK if body else ""

    def list_lines(self, el: Any, *, body: bool, collect: bool = True) -> list[str]:
        lines: list[str] = []
        label = ""
        for child in el:
            name = _local(child)
            if name == "label":
                label = _squash(self.inline(child, body=body, collect=collect))
            elif name in ("item", "head"):
                lines += _lines(f"{label} {self.inline(child, body=body, collect=collect)}")
                label = ""
            elif name == "pb" and collect:
                lines.append(self.page(child, body))
        return [ln for ln in lines if ln]

    # --- the header: source note, heading, openers, dateline ---------------------------

    def source_note(self, note: Any) -> None:
        if note.get("n") is not None:  # a later volume's "Source:" note is a footnote
            self.note(note, self.parts.heading, body=False)
            return
        text = self.plain(note)
        if _PRINTED_NUMBER.match(text) and self.parts.number_line is None:
            self.parts.number_line = text  # the 19th century's running number, "No. 255."
        elif text:
            self.parts.source_lines.append(text)

    def head(self, el: Any) -> None:
        lines = _lines(self.inline(el))
        if len(lines) > 1 and _PRINTED_NUMBER.match(lines[0]):
            self.parts.number_line, lines = lines[0], lines[1:]
        self.parts.heading = tidy(" ".join(lines))
        parties = _parties(el)
        self.parts.sender = self._party(parties.get("from"))
        self.parts.recipient = self._party(parties.get("to"))

    def _party(self, el: Any) -> str | None:
        return None if el is None else _tidy_name(self.plain(el)) or None

    def opener(self, el: Any) -> None:
        for child in el:
            name = _local(child)
            if name == "dateline":
                self.dateline(child)
            elif name == "salute":
                self.parts.salutation = self.plain(child)
            elif name != "note" or child.get("n") is None:
                for line in _lines(self.inline(child)):
                    self.opener_line(line)
            else:  # a note on an opener line stands after it
                self.note(child, (self.parts.openers or [""])[-1], body=False)
        for text in (el.text or "", *(c.tail or "" for c in el)):
            for line in _lines(text):
                self.opener_line(line)

    def opener_line(self, line: str) -> None:
        found = [m.group(1) for m in RECEIVED_RE.finditer(line)]
        self.parts.received += found
        rest = RECEIVED_RE.sub("", line).strip()
        if rest:
            self.parts.openers.append(rest)

    def dateline(self, el: Any, *, closing: bool = False) -> None:
        """Place, date and received note; a closing dateline's notes are read with the text."""
        text = _squash(self.inline(el, collect=not closing))
        self.parts.received += [m.group(1) for m in RECEIVED_RE.finditer(text)]
        rest = RECEIVED_RE.sub("", text).strip()
        if closing:
            self.parts.closing_dateline = rest or None
        elif rest:
            self.parts.datelines.append(rest)
        # the first of each below the dateline, as find(".//…") gives it, without ElementPath
        place = next(el.iterdescendants(f"{_T}placeName"), None)
        if place is not None and self.parts.place is None:
            self.parts.place = _place_before(self.plain(place))
        date = next(el.iterdescendants(f"{_T}date"), None)
        when = date.get("when") if date is not None else None
        if when and _ISO_DAY.match(when) and self.parts.date is None:
            self.parts.date = when[:10]

    # --- the body: paragraphs, lists, closer, attachments ------------------------------

    def blocks(self, el: Any) -> list[str]:
        """Paragraph-level lines of a container, in order; closers and attachments read too."""
        lines = _lines(el.text or "")
        for child in el:
            lines += self.block(child, lines[-1] if lines else "")
            lines += _lines(child.tail or "")
        return lines

    def block(self, el: Any, before: str = "") -> list[str]:
        """One child of a container as lines; ``before`` is the line a note standing
        between paragraphs annotates."""
        name = _local(el)
        if name == "list":
            return self.list_lines(el, body=True)
        if name == "pb":
            return [self.page(el, True)]
        if name == "note" and el.get("n") is not None:
            self.note(el, before, body=True)
            return [NOTE_MARK]
        if el.tag == ATTACHMENT:
            return self.attachment(el)
        if name in ("closer", "quote", "postscript", "div", "opener", "table", "row"):
            return self.blocks(el)
        return _lines(self.inline(el, body=True))

    def attachment(self, el: Any) -> list[str]:
        label = heading = None
        for child in el:
            if heading is not None:
                break  # nothing more to find: the label stands before the heading
            name = _NAMES[child.tag]
            if name not in ("note", "opener", "head"):
                continue
            text = self.plain(child)  # pure (notes not collected), so read only when asked
            if label is None and name != "head" and (ENCLOSURE.match(text) or text.startswith("[")):
                label = text
            elif name == "head":
                heading = tidy(text)
        self.parts.enclosures.append(Enclosure(label, heading, _signature(el, self)))
        return self.blocks(el)


def _parties(head: Any) -> dict[str, Any]:
    """The heading's first persName/gloss of type from and of type to; never one inside
    its notes."""
    found: dict[str, Any] = {}
    for el in head.iter(f"{_T}persName", f"{_T}gloss"):
        kind = el.get("type")
        if kind not in _PARTY_TYPES or kind in found:
            continue
        if not any(_NAMES[a.tag] == "note" for a in el.iterancestors()):
            found[kind] = el
    return found


# the names of the senders and recipients of a volume repeat ("The Secretary of State")
_tidy_name = lru_cache(maxsize=4096)(tidy)
_PARTY_TYPES = ("from", "to")
_place_before = lru_cache(maxsize=4096)(place_before)  # and so do their places


def _signature(container: Any, reader: _Reader) -> tuple[str, ...]:
    """The lines of a container's own last signature: a <signed> standing alone or the
    <signed> of a closer (two signers, two lines); an enclosure's stays its own."""
    signed: list[Any] = []
    for child in container:
        name = _local(child)
        if name == "signed":
            signed = [child]
        elif name == "closer" and (inside := list(child.iterchildren(f"{_T}signed"))):
            signed = inside
    return tuple(line for el in signed for line in _lines(reader.inline(el, collect=False)))


def _opener_shaped(text: str) -> bool:
    """A line the editors print above the text: '[Telegram]', 'No. 12]', 'secret'."""
    return bool(
        is_classification(text) or is_opener_bracket(text) or _NUMBER_OPENER.match(text)
        or RECEIVED_OPEN.match(text)
    )  # fmt: skip


def _header_child(reader: _Reader, child: Any, name: str) -> bool:
    """Read one child of the document that stands before its text; False at the text."""
    if name == "note" and child.get("type") == "source":
        reader.source_note(child)
    elif name == "head":
        reader.head(child)
    elif name == "opener":
        reader.opener(child)
    elif name == "dateline":
        reader.dateline(child)
    elif name == "pb":
        reader.page(child, False)
    elif name == "p" and _opener_shaped(reader.plain(child)):
        for line in _lines(reader.inline(child)):  # '[Telegram]' printed as a paragraph
            reader.opener_line(line)
    else:
        return False
    return True


def read_document(div: Any) -> Segments:
    """The parts of one ``<div type="document">``, read from its elements."""
    reader = _Reader(div)
    parts = reader.parts
    lines: list[str] = []
    in_text = False
    for child in div:
        name = _local(child)
        if not in_text and _header_child(reader, child, name):
            continue
        in_text = True
        if name == "dateline":  # printed after the text (notes, aide-mémoire)
            reader.dateline(child, closing=True)
        elif name == "closer":
            for dateline in child.iterchildren(f"{_T}dateline"):
                reader.dateline(dateline, closing=True)
        lines += reader.block(child, lines[-1] if lines else "")
        lines += _lines(child.tail or "")
    parts.signature = _signature(div, reader)
    text, page_offsets, note_offsets = place_marks(
        "\n\n".join(ln for ln in lines if ln), parts.body_pages
    )
    offsets = dict(zip(parts.body_notes, note_offsets, strict=False))
    plain = (ln.replace(PAGE_MARK, "").replace(NOTE_MARK, "").strip() for ln in lines)
    first = next((ln for ln in plain if ln), "")
    return Segments(
        heading=parts.heading,
        source_lines=tuple(parts.source_lines),
        number_line=parts.number_line,
        openers=tuple(parts.openers),
        datelines=tuple(parts.datelines),
        received=tuple(dict.fromkeys(parts.received)),
        first_paragraph=first,
        salutation=parts.salutation or salutation_of([first]),
        closing_dateline=parts.closing_dateline,
        signature=parts.signature,
        enclosures=tuple(parts.enclosures),
        footnotes=tuple(
            Footnote(f.n, f.text, f.marker_text, offsets.get(i)) for i, f in enumerate(parts.notes)
        ),
        text=text,
        page_breaks=tuple(parts.header_pages + parts.body_pages),
        page_offsets=tuple((p, o) for p, o in page_offsets),
        stated=Stated(parts.sender, parts.recipient, parts.place, parts.date, _editors_date(div)),
    )


def _editors_date(div: Any) -> tuple[str, str] | None:
    low, high = div.get(DATE_MIN), div.get(DATE_MAX)
    if not low:
        return None
    return low, high or low


# --- the website's text of a document (for the oracle benchmark) -------------------------


class _Renderer:
    """The website's text of a document: notes as glued markers, listed at the end."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def inline(self, el: Any, *, skip_notes: bool = False) -> str:
        """Text of an element with notes turned into glued markers and page breaks marked."""
        out = [el.text or ""]
        for child in el:
            name = _local(child)
            if name == "note" and child.get("n") is not None:  # a footnote, "Source:" too
                if not skip_notes:
                    self.notes.append(_flat(self.inline(child, skip_notes=True)))
                    out.append(child.get("n") or str(len(self.notes)))
            elif name == "pb":
                out.append(f"[Page {child.get('n')}]" if child.get("n") else "")
            elif name == "lb":
                out.append(BREAK)
            elif name in ("list",):
                out.append(BREAK + self.list_text(child).replace("\n", BREAK) + BREAK)
            elif name != "note" or child.get("type") != "source":
                out.append(self.inline(child, skip_notes=skip_notes))
            out.append(child.tail or "")
        return "".join(out)

    def list_text(self, el: Any) -> str:
        lines, label = [], ""
        for child in el:
            name = _local(child)
            if name == "label":
                label = _flat(self.inline(child))
            elif name == "item":
                lines.append(_flat(f"{label} {self.inline(child)}"))
                label = ""
            elif name == "head":
                lines.append(_flat(self.inline(child)))
            elif name == "pb" and child.get("n"):
                lines.append(f"[Page {child.get('n')}]")
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
                    lines += self.block(child) or [_flat(self.inline(child))]
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
            elif name == "note" and child.get("n") is not None:
                self.notes.append(_flat(self.inline(child, skip_notes=True)))
            elif name == "note" and child.get("type") != "source":
                lines.append(_flat(self.inline(child)))  # "[Inclosure No. 5.—Confidential.]"
            elif (
                name in ("div", "attachment", "table", "frus:attachment")
                or child.tag == f"{{{FRUS_NS}}}attachment"
            ):
                lines += self.block(child)  # as the website: no label the volume lacks
            if child.tail and child.tail.strip() and name not in ("note",):
                lines.append(_flat(child.tail))
        return [ln for ln in lines if ln is not None]


def _flat(text: str) -> str:
    return " ".join(text.replace(BREAK, " ").split())


def _squash_keep_lines(text: str) -> str:
    """XML's own line wrapping is no break; <lb/> and lists are."""
    return "\n".join(_flat(part) for part in text.split(BREAK) if part.strip())


def render(div: Any) -> str:
    """A document div as the website's text."""
    r = _Renderer()
    lines: list[str] = []
    for child in div:
        if _local(child) == "note" and child.get("type") == "source":
            lines.append(_flat(r.inline(child, skip_notes=True)))
            break
    body: list[str] = []
    for child in div:
        name = _local(child)
        if name == "note" and child.get("type") == "source":
            continue
        if name == "head":
            body.append(_flat(r.inline(child)))
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


@dataclass(frozen=True)
class TeiElement:
    """One document of a volume as its serialised element: small enough to hand to another
    process, which reads it with :func:`read_element`."""

    volume: str
    doc_id: str
    xml: bytes
    sha256: str


def iter_elements(path: Path) -> Iterator[TeiElement]:
    """The documents of a TEI volume as their elements, one at a time (streamed: each
    element is cleared once serialised, so a volume of any size takes little memory)."""
    volume = path.stem
    _refuse_declarations(path)
    try:
        for _, el in etree.iterparse(
            str(path), events=("end",), tag=f"{_T}div", **_parser_options()
        ):
            if el.get("type") != "document":
                continue
            raw = etree.tostring(el)
            yield TeiElement(volume, el.get(XML_ID) or el.get("n") or "", raw,
                             hashlib.sha256(raw).hexdigest())  # fmt: skip
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"{path}: line {exc.lineno}: not well-formed XML ({exc.msg})",
            hint="check that the whole volume was saved",
        ) from exc


_THREAD = threading.local()


def _element(xml: bytes) -> Any:
    # one hardened parser per thread, reused: a new one for each of a volume's documents
    # costs a tenth of the parse (an lxml parser serves one thread at a time)
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = etree.XMLParser(**_parser_options())
    return etree.fromstring(xml, parser)


def read_element(xml: bytes) -> Segments:
    """The parts of a document from its serialised element (:class:`TeiElement`)."""
    return read_document(_element(xml))


def iter_documents(path: Path, *, with_text: bool = False) -> Iterator[TeiDocument]:
    """The documents of a TEI volume, one at a time; ``with_text`` adds :func:`render`."""
    for item in iter_elements(path):
        el = _element(item.xml)
        yield TeiDocument(
            item.volume, item.doc_id, read_document(el), item.sha256, len(item.xml),
            render(el) if with_text else "",
        )  # fmt: skip
