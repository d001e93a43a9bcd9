"""The TEI reader's short cut agrees with its walk: an element with nothing below it but
words is read by libxml2 (``tei._words``), every other one walked in Python; forcing the walk
on every element gives the same reading, on awkward documents and on the real volumes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from archivetool.formats.frus import tei
from conftest import DATA
from tei_slices import volumes, write_volume

SLICES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "frus-dev-tei"
NS = 'xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0"'


def _walked(div: Any) -> tei._Reader:
    """A reader that takes no short cut: every element counts as holding a mark."""
    reader = tei._Reader(div)
    reader.marked = set(div.iter())
    return reader


def _readings(div: Any) -> list[tuple[str, str, str]]:
    """Every element's words, notes left out, with notes and marks, and in the body."""
    fast, slow = tei._Reader(div), _walked(div)
    out = []
    for el in div.iter():
        plain = (fast.plain(el), slow.plain(el))
        marked = (fast.inline(el), slow.inline(el))
        body = (fast.inline(el, body=True), slow.inline(el, body=True))
        out.append((plain, marked, body))
    assert fast.parts == slow.parts  # the notes and pages collected on the way, too
    return out


def _agree(div: Any) -> None:
    for plain, marked, body in _readings(div):
        assert plain[0] == plain[1] and marked[0] == marked[1] and body[0] == body[1]


AWKWARD = [
    "<p>plain words</p>",
    "<p>  spaced \n\t words  </p>",
    "<p>a <hi rend='italic'>b <hi>c</hi> d</hi> e</p>",
    "<p>a <!-- a comment's words --> b</p>",
    "<p>a <hi>b <!-- deep comment --> c</hi> d</p>",
    "<p>a <?pi some data?> b <hi>c<?pi deep?></hi></p>",
    "<p>a <![CDATA[ <not> an element ]]> b <hi><![CDATA[x&y]]></hi></p>",
    "<p>&amp; &lt;tag&gt; &#x2014; &#160;no-break</p>",
    "<p>a<note>a note without n</note> b <hi>c<note>deeper</note></hi></p>",
    "<p>a<note n='1'>a footnote <hi>here</hi></note> b</p>",
    "<p>a <hi>b<note n='2'>deep footnote</note></hi> c</p>",
    "<p>a<pb n='12'/>b <hi>c<pb n='13'/>d</hi><pb n='x'/></p>",
    "<p>one<lb/>two <hi>three<lb/>four</hi></p>",
    "<p>items <list><item>one</item><label>a</label><item>two<pb n='4'/></item></list> end</p>",
    "<p>a <x:note xmlns:x='urn:other' n='3'>foreign note</x:note> b <x:hi xmlns:x='urn:o'>c</x:hi></p>",
    "<p>a <note xmlns='' n='4'>no namespace</note> b</p>",
    "<p>\u2028 a line separator \u2028<hi>\u2028</hi></p>",
    "<p><hi/><hi></hi><persName type='from'/> empty ones</p>",
    "<head>The <persName type='from'>Secretary<note n='1'>Mr. X</note></persName> to"
    " <gloss type='to'>the <hi>Embassy</hi></gloss></head>",
    "<frus:attachment><note>Enclosure</note><head>A <hi>heading</hi></head><p>x</p>"
    "</frus:attachment>",
]


@pytest.mark.parametrize("body", AWKWARD)
def test_awkward_elements_read_the_same_both_ways(body):
    div = tei._element(f'<div {NS} type="document" xml:id="d1">{body}</div>'.encode())
    _agree(div)
    fast, slow = tei.read_document(div), _read_walked(div)
    assert fast == slow


def _read_walked(div: Any) -> Any:
    """read_document with a reader that walks every element."""
    original = tei._marked
    try:
        tei._marked = lambda d: set(d.iter())  # type: ignore[assignment]
        return tei.read_document(div)
    finally:
        tei._marked = original


_TAGS = ["hi", "note", "pb", "lb", "list", "item", "label", "persName", "p", "seg"]
_TEXT = st.text(alphabet=st.sampled_from(list("ab ,.\n\t\u00a0\u2028—é")), max_size=6)


@st.composite
def _fragment(draw: Any, depth: int = 0) -> str:
    """A small XML fragment of TEI-ish elements, comments and processing instructions."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["text", "element", "comment", "pi", "cdata"]))
        text = draw(_TEXT).replace("&", "").replace("<", "")
        if kind == "text":
            parts.append(text)
        elif kind == "comment":
            parts.append(f"<!--{text.replace('-', '')}x-->")
        elif kind == "pi":
            parts.append(f"<?pi {text.replace('?', '')}?>")
        elif kind == "cdata":
            parts.append(f"<![CDATA[{text}]]>")
        elif depth < 3:
            tag = draw(st.sampled_from(_TAGS))
            n = draw(st.sampled_from(["", " n='1'", " n='22'", " n='x'"]))
            inner = draw(_fragment(depth + 1))
            parts.append(f"<{tag}{n}>{inner}</{tag}>" if inner else f"<{tag}{n}/>")
    return "".join(parts)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_fragment())
def test_generated_elements_read_the_same_both_ways(fragment):
    div = tei._element(f'<div {NS} type="document"><p>{fragment}</p>{fragment}</div>'.encode())
    _agree(div)
    assert tei.read_document(div) == _read_walked(div)


def _volumes(tmp_path: Path) -> list[Path]:
    found = [DATA / "tei" / "frus1948v05p1.xml"]
    return found + [write_volume(v, tmp_path) for v in volumes(SLICES)]


def test_the_volumes_read_the_same_both_ways(tmp_path):
    checked = 0
    for path in _volumes(tmp_path):
        for item in tei.iter_elements(path):
            div = tei._element(item.xml)
            assert tei.read_document(div) == _read_walked(div), item.doc_id
            _agree(div)
            checked += 1
    assert checked >= 13


def test_a_volume_parsed_whole_reads_as_its_elements():
    """An element read in the volume's own tree (ancestors, namespaces above it) reads as
    the serialised element a worker gets."""
    path = DATA / "tei" / "frus1948v05p1.xml"
    tree = etree.parse(str(path), etree.XMLParser(**tei._parser_options()))
    divs = [d for d in tree.iter(f"{tei._T}div") if d.get("type") == "document"]
    items = list(tei.iter_elements(path))
    assert len(divs) == len(items)
    for div, item in zip(divs, items, strict=True):
        assert tei.read_document(div) == tei.read_element(item.xml)
