"""FRUS volumes as TEI XML: the same records as the website's text, a hardened parser."""

from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest

from archivetool.cli import app
from archivetool.formats.frus import tei
from archivetool.pipeline import iter_outcomes
from conftest import DATA, FRUS_DIR, dotted, norm

VOLUME = DATA / "tei" / "frus1948v05p1.xml"
HOSTILE = DATA / "tei" / "hostile"
ALWAYS = ["file_number", "doc_type", "title", "sender.name", "sender.role", "recipient.name",
          "recipient.role", "serial_number", "classification"]  # fmt: skip
DATELINE = ["place", "date", "time"]


def _records():
    return {
        Path(o.record["source"]["path"]).name.split("#")[1]: o.record
        for o in iter_outcomes([str(VOLUME)])
    }


def test_every_document_of_the_volume_is_read():
    records = _records()
    assert sorted(records) == [f"d{n}" for n in range(120, 133)]
    assert all(r["frus_volume"]["title"] == "Foreign Relations of the United States, 1948, vol. V, pt. 1"
               for r in records.values())  # fmt: skip


@pytest.mark.parametrize("doc", [f"d{n}" for n in range(120, 133)])
def test_tei_gives_the_fields_of_the_websites_text(doc):
    record = _records()[doc]
    truth = json.loads((FRUS_DIR / f"frus1948v05p1_{doc}.json").read_text(encoding="utf-8"))
    fields = ALWAYS + (DATELINE if truth["style"] == "standard" else [])
    wrong = {f: (norm(dotted(truth, f)), norm(dotted(record, f))) for f in fields
             if norm(dotted(truth, f)) != norm(dotted(record, f))}  # fmt: skip
    assert wrong == {}
    assert {(n["n"], norm(n["text"])) for n in record["footnotes"]} == {
        (n["n"], norm(n["text"])) for n in truth["footnotes"]
    }
    # truth["pages"] is the start page, then every page break inside the document
    assert record["page_breaks"] == truth["pages"][1:]


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_hostile_xml_is_refused_without_expanding_anything(name):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (out,) = list(iter_outcomes([str(HOSTILE / name)]))
    assert out.failed and "entities" in out.issues[0].message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


def test_the_parser_itself_never_expands_or_fetches(tmp_path):
    """Even past the early refusal, lxml is told not to resolve entities or load a DTD."""
    opts = tei._parser_options()
    assert (
        opts["resolve_entities"] is False
        and opts["no_network"] is True
        and opts["load_dtd"] is False
    )


def test_malformed_volume_is_one_clear_line(runner, tmp_path, archive):
    bad = tmp_path / "broken.xml"
    bad.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document">'
        "<head>The Secretary of State to the Embassy</head><p>1. Text",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["ingest", "--archive", str(archive), str(bad)])
    assert res.exit_code == 1
    assert "not well-formed XML" in res.stderr and "Traceback" not in res.stderr


def test_ingest_a_volume(runner, archive):
    res = runner.invoke(app, ["ingest", "--archive", str(archive), str(VOLUME)])
    assert res.exit_code == 0 and "ingested 13" in res.stderr
    again = runner.invoke(app, ["ingest", "--archive", str(archive), str(VOLUME)])
    assert "unchanged 13" in again.stderr


def test_the_editors_date_is_date_inferred_never_date():
    records = _records()
    assert (records["d120"]["date"], records["d120"]["date_inferred"]) == ("1948-08-03",) * 2
    assert records["d120"]["date_source"] == "tei"
    # an editorial note dated by the editors to 1946–1949: a span is no date
    assert (records["d131"]["date"], records["d131"]["date_inferred"]) == (None, None)


def test_the_tei_names_of_sender_and_recipient_check_the_headings_reading():
    from archivetool.formats.frus import read
    from archivetool.formats.frus.segments import Segments, Stated

    seg = Segments(
        heading="The Ambassador in France (Caffery) on leave to the Secretary of State",
        stated=Stated(sender="Caffery", recipient="Secretary of State"),
    )
    reading = read(seg)
    assert reading.fields["sender"]["name"] == "Caffery"
    assert reading.fields["sender"]["role"] == "Ambassador in France on leave"
    assert not [w for w in reading.warnings if "TEI names" in w]
    odd = read(Segments(heading="Mr. Thornton to Mr. Davis.", stated=Stated(recipient="Mr. Fish")))
    assert odd.fields["recipient"]["name"] == "Mr. Davis"
    assert any(w.startswith("recipient: the TEI names 'Mr. Fish'") for w in odd.warnings)


def test_a_personal_message_numbered_in_lower_case_gives_its_serial():
    """Met in the 1944 Quebec volume's TEI, and in its copies alike."""
    from archivetool.formats.frus.readers import read_serial
    from archivetool.formats.frus.segments import Segments

    first = "Prime Minister to President Roosevelt Personal and Top Secret number 744."
    assert read_serial(Segments(heading="x", first_paragraph=first), "telegram") == "744"


def test_rendered_as_the_website_the_text_reader_reads_what_the_tei_reader_reads():
    """render() is the oracle benchmark's input: a volume's documents as the website shows them."""
    from archivetool.formats.frus import parse, parse_segments

    fields = [*ALWAYS, *DATELINE, "received", "signed", "footnotes"]
    for doc in tei.iter_documents(VOLUME, with_text=True):
        want, got = parse_segments(doc.segments).fields, parse(doc.text).fields
        for f in fields:
            if f == "footnotes":
                assert [(n["n"], n["text"]) for n in got[f]] == [
                    (n["n"], n["text"]) for n in want[f]
                ], doc.doc_id
            else:
                assert dotted(got, f) == dotted(want, f), (doc.doc_id, f)


SMALL_VOLUME = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0">
<text><body><div type="chapter"><div type="document" xml:id="d7" n="7"
  frus:doc-dateTime-min="1914-11-05T02:00:00-05:00" frus:doc-dateTime-max="1914-11-05T02:00:00-05:00">
 <note rend="inline" type="source">File No. 711.0012/575</note>
 <head><hi rend="italic">The Ambassador in Japan</hi> (<persName type="from">Guthrie</persName>)
   to the <gloss type="to">Secretary of State</gloss><note n="12">Sent via the Embassy.</note></head>
 <opener><seg><hi rend="smallcaps">secret</hi></seg><seg>No. 691.]</seg>
  <dateline><hi rend="smallcaps">American Embassy</hi>, <lb/><placeName>Tokyo</placeName>,
   <date when="1914-11-05T16:00:00+09:00">November 5, 1914, 4 p.m.</date>
   <lb/> [<hi rend="italic">Received 8 a.m.</hi>]</dateline></opener>
 <p rend="center">[Telegram]</p>
 <p>Your telegram of October 16.<note n="13">Not printed.</note> I have again
   spoken <pb n="44" xml:id="pg_44"/>to the Minister.</p>
 <closer><signed><hi rend="smallcaps">Guthrie</hi></signed></closer>
 <frus:attachment><note>[Inclosure.]</note><head>Mr. Kato to Mr. Guthrie.</head>
  <p>The note.</p><closer><signed>Kato.</signed></closer></frus:attachment>
</div></div></body></text></TEI>
"""


def test_a_document_is_read_from_its_elements(tmp_path):
    from archivetool.formats.frus.segments import Enclosure, Stated

    path = tmp_path / "frus1914.xml"
    path.write_text(SMALL_VOLUME, encoding="utf-8")
    (doc,) = tei.iter_documents(path)
    seg = doc.segments
    assert seg.heading == "The Ambassador in Japan (Guthrie) to the Secretary of State"
    assert seg.source_lines == ("File No. 711.0012/575",)
    assert seg.openers == ("secret", "No. 691.]", "[Telegram]")
    assert seg.datelines == ("American Embassy, Tokyo, November 5, 1914, 4 p.m.",)
    assert seg.received == ("Received 8 a.m.",)
    assert seg.stated == Stated(
        "Guthrie", "Secretary of State", "Tokyo", "1914-11-05",
        ("1914-11-05T02:00:00-05:00", "1914-11-05T02:00:00-05:00"),
    )  # fmt: skip
    assert seg.text.startswith("Your telegram of October 16. I have again spoken to the Minister.")
    head_note, body_note = seg.footnotes
    assert (head_note.n, head_note.text, head_note.offset) == ("12", "Sent via the Embassy.", None)
    assert (body_note.n, body_note.text) == ("13", "Not printed.")
    assert seg.text[: body_note.offset].endswith("October 16.")
    assert seg.page_breaks == (44,)
    assert seg.text[seg.page_offsets[0][1] :].startswith("to the Minister.")
    assert seg.signature == ("Guthrie",)  # the enclosure's "Kato." is never the document's
    assert seg.enclosures == (Enclosure("[Inclosure.]", "Mr. Kato to Mr. Guthrie.", ("Kato.",)),)

    (out,) = iter_outcomes([str(path)])
    r = out.record
    assert r["source"]["path"].endswith("frus1914.xml#d7")
    assert (r["file_number"], r["doc_type"], r["serial_number"]) == (
        "711.0012/575",
        "telegram",
        "691",
    )
    assert (r["sender"]["name"], r["place"], r["date"], r["time"]) == (
        "Guthrie", "Tokyo", "1914-11-05", "4 p.m.",
    )  # fmt: skip
    assert (r["date_inferred"], r["date_source"], r["signed"]) == ("1914-11-05", "tei", "Guthrie")


NOTE_VOLUME = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<div type="document" xml:id="d8"><head>The British Embassy to the <gloss type="to">Department
  of State</gloss><note n="3">Handed by <persName type="from">Lord Halifax</persName>.</note></head>
 <p>The Embassy presents its compliments.<note n="4">Not found.</note></p>
 <dateline><placeName>Washington</placeName>, <date when="1944-03-02">March 2, 1944</date>.</dateline>
 <closer><signed>A. B. Smith</signed><signed>C. D. Jones</signed></closer>
</div></body></text></TEI>
"""


def test_a_closing_dateline_two_signers_and_names_inside_notes(tmp_path):
    path = tmp_path / "frus1944.xml"
    path.write_text(NOTE_VOLUME, encoding="utf-8")
    (doc,) = tei.iter_documents(path)
    seg = doc.segments
    assert seg.closing_dateline == "Washington, March 2, 1944."
    assert (seg.stated.place, seg.stated.date) == ("Washington", "1944-03-02")
    assert seg.signature == ("A. B. Smith", "C. D. Jones")
    # the footnote's "Lord Halifax" names who handed the note, not the heading's sender
    assert (seg.stated.sender, seg.stated.recipient) == (None, "Department of State")
    assert [f.n for f in seg.footnotes] == ["3", "4"]  # each note read once
