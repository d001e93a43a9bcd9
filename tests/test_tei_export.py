"""export --format tei: the edition's shape, well-formed XML 1.0, streamed, and read back by
archivetool itself to the same records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree

from archivetool.cli import app
from archivetool.exporters import get_exporter
from archivetool.pipeline import iter_outcomes
from conftest import CEEOL_DIR, DATA, FRUS_DIR, SEED_CEEOL, SOURCES

TEI_NS = {"t": "http://www.tei-c.org/ns/1.0"}
# the fields every TEI reader of archivetool must give back as they were
ROUND_TRIP = ["id", "title", "doc_type", "file_number", "serial_number", "classification",
              "sender", "recipient", "place", "date", "time", "received", "signed",
              "source_note", "page_breaks", "frus_volume"]  # fmt: skip


@pytest.fixture(scope="module")
def frus() -> list[dict]:
    paths = [SOURCES, FRUS_DIR, DATA / "tei" / "frus1948v05p1.xml"]
    records = {
        o.record["id"]: o.record
        for o in iter_outcomes([str(p) for p in paths])
        if o.record and o.record["kind"] == "frus-document"
    }
    return list(records.values())


def export(records) -> str:
    out = io.StringIO()
    get_exporter("tei")(records, out)
    return out.getvalue()


def _flat(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def test_the_exported_documents_read_back_to_the_same_records(frus, tmp_path, runner):
    path = tmp_path / "export.xml"
    path.write_text(export(frus), encoding="utf-8")
    res = runner.invoke(app, ["extract", "--format", "jsonl", str(path)])
    assert res.exit_code == 0, res.stderr
    back = {r["id"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert len(back) == len(frus)
    for record in frus:
        again = back[record["id"]]  # same id: same file number, title, date and number
        wrong = {f for f in ROUND_TRIP if _flat(record.get(f)) != _flat(again.get(f))}
        assert wrong == set(), (record["source"]["path"], wrong)
        assert _flat(again["text"]) == _flat(record["text"])
        assert [(n["n"], _flat(n["text"])) for n in again["footnotes"]] == [
            (n["n"], _flat(n["text"])) for n in record["footnotes"]
        ]


SHARED = Path(__file__).parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(
    not (SHARED / "frus-dev").is_dir(), reason="the shared dev corpus is not beside"
)
def test_the_dev_corpus_reads_back_the_same(tmp_path, runner):
    paths = [str(SHARED / "frus-dev"), str(SHARED / "frus-wild-dev")]
    dev = {o.record["id"]: o.record for o in iter_outcomes(paths) if o.record}
    test_the_exported_documents_read_back_to_the_same_records(list(dev.values()), tmp_path, runner)


def test_an_exported_file_is_ingested_like_a_volume(frus, tmp_path, runner):
    path = tmp_path / "export.xml"
    path.write_text(export(frus[:5]), encoding="utf-8")
    archive = tmp_path / "a.sqlite"
    res = runner.invoke(app, ["ingest", "--archive", str(archive), str(path)])
    assert res.exit_code == 0 and "ingested 5" in res.stderr


def test_the_shape_of_the_edition(frus):
    root = etree.fromstring(export(frus).encode())
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert root.find("t:teiHeader/t:fileDesc/t:titleStmt/t:title", TEI_NS) is not None
    (kabul,) = root.xpath('//t:div[@xml:id="frus1955-57v08_d97"]', namespaces=TEI_NS)
    assert kabul.get("type") == "document" and kabul.get("n") == "97"
    head = kabul.find("t:head", TEI_NS)
    assert (
        head.xpath("string(t:gloss[@type='from'])", namespaces=TEI_NS) == "Embassy in Afghanistan"
    )
    assert head.find("t:note[@type='source']", TEI_NS).get("n") == "1"
    dateline = kabul.find("t:opener/t:dateline", TEI_NS)
    assert dateline.findtext("t:placeName", namespaces=TEI_NS) == "Kabul"
    assert dateline.find("t:date", TEI_NS).get("when") == "1955-10-15"
    assert kabul.xpath("count(t:p/t:note[@n])", namespaces=TEI_NS) >= 1
    assert [pb.get("n") for pb in kabul.iter("{*}pb")] == ["194", "195"]
    assert kabul.findtext("t:closer/t:signed", namespaces=TEI_NS) == "Ward"
    # an older volume's source line stands before the heading, its file and type
    (caffery,) = root.xpath('//t:div[@xml:id="frus1948v05p1_d120"]', namespaces=TEI_NS)
    assert caffery[0].get("type") == "source" and caffery[0].text == "761.91/8–348: Telegram"
    assert caffery.xpath("string(t:head/t:persName[@type='from'])", namespaces=TEI_NS) == "Caffery"


def test_a_document_without_a_known_volume_keeps_its_record_id(frus):
    seed = next(r for r in frus if r["source"]["path"].endswith("860H.01-478-telegram.txt"))
    root = etree.fromstring(export([seed]).encode())
    (div,) = root.iter("{*}div")
    assert div.get("{http://www.w3.org/XML/1998/namespace}id") == seed["id"]
    assert div.get("n") is None


def test_characters_xml_forbids_are_dropped_and_ids_stay_unique(frus):
    record = dict(frus[0], title="The Secretary\x0b of State\x00 to \ufffe the Embassy")
    text = export([record, record])
    root = etree.fromstring(text.encode())  # an XML 1.0 parser takes it
    heads = [h.xpath("string()") for h in root.iter("{*}head")]
    assert heads[0].startswith("The Secretary of State to  the Embassy")
    ids = [d.get("{http://www.w3.org/XML/1998/namespace}id") for d in root.iter("{*}div")]
    assert len(set(ids)) == 2


def test_bibliographic_records_become_bibl_structs():
    (record,) = [o.record for o in iter_outcomes([str(SEED_CEEOL)])]
    root = etree.fromstring(export([record]).encode())
    bibl = root.find(".//t:listBibl/t:biblStruct", TEI_NS)
    assert bibl.findtext("t:analytic/t:title", namespaces=TEI_NS) == "Први Титов сусрет са Стаљином"
    assert bibl.findtext("t:monogr/t:imprint/t:date", namespaces=TEI_NS) == "2010"
    assert CEEOL_DIR.is_dir()


def test_streamed_and_an_empty_export_is_valid():
    assert etree.fromstring(export([]).encode()).find(".//t:body", TEI_NS) is not None
    out = io.StringIO()
    sizes = []

    def records():
        for path in sorted(FRUS_DIR.glob("frus1882_d6*.txt")):
            sizes.append(len(out.getvalue()))
            yield from (o.record for o in iter_outcomes([str(path)]))

    get_exporter("tei")(records(), out)
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)  # written as it reads


def test_export_command_writes_tei(runner, tmp_path):
    archive = tmp_path / "a.sqlite"
    runner.invoke(app, ["ingest", "--archive", str(archive), str(FRUS_DIR / "frus1882_d70.txt")])
    res = runner.invoke(app, ["export", "--archive", str(archive), "--format", "tei"])
    assert res.exit_code == 0
    assert (
        etree.fromstring(res.stdout.encode()).find(".//t:div[@type='document']", TEI_NS) is not None
    )
