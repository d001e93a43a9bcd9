"""Ingest's own way to a record's JSON (:func:`archivetool.pipeline.read_json`, one round
through the typed model) gives, byte for byte, what the typed way gives
(``read_record(...).to_json()``, two rounds), on every bundled document and every document
of the bundled TEI volume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archivetool.formats import frus
from archivetool.formats.frus import tei
from archivetool.pipeline import read_json, read_record
from archivetool.sources import FRUS, RawSource, decode_source

DATA = Path(__file__).parent / "data"
TEXTS = sorted([*DATA.glob("frus/*.txt"), *DATA.glob("ceeol/*.txt"),
                *(Path(__file__).parent.parent / "sources").glob("*.txt")])  # fmt: skip


def _dumped(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False)  # key order counts: the archive keeps it


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_text_reads_to_the_same_json_either_way(path: Path) -> None:
    raw = decode_source(str(path), path.read_bytes())
    assert _dumped(read_json(raw)) == _dumped(read_record(raw).to_json())


def test_a_tei_volume_reads_to_the_same_json_either_way() -> None:
    volume = DATA / "tei" / "frus1948v05p1.xml"
    seen = 0
    for item in tei.iter_elements(volume):
        segments = tei.read_element(item.xml)
        raw = RawSource(f"{volume}#{item.doc_id}", item.sha256, segments.text, len(item.xml))
        # each way gets its own reading: the enrichment may take the fields it is given
        fast = read_json(raw, FRUS, frus.parse_segments(segments))
        slow = read_record(raw, FRUS, frus.parse_segments(tei.read_element(item.xml)))
        assert _dumped(fast) == _dumped(slow.to_json())
        seen += 1
    assert seen > 10
