"""Every document of the bundled corpus, every scored field, against its ground truth.

Adding a NAME.txt + NAME.json pair to tests/data/frus or tests/data/ceeol adds a case.
"""

from __future__ import annotations

import json

import pytest

from archivetool.sources import decode_source
from conftest import CEEOL_DIR, FRUS_DIR, dotted, norm, record_from_source, truth_pairs

FRUS_FIELDS = [
    "file_number", "doc_type", "title", "sender.name", "sender.role", "recipient.name",
    "recipient.role", "place", "date", "time", "received", "serial_number",
    "classification", "signed",
]  # fmt: skip
BIB_FIELDS = [
    "title", "title_translated", "authors", "editors", "subjects", "publisher", "keywords",
    "abstract", "container_title", "container_type", "volume", "issue", "page_start",
    "page_end", "page_count", "year", "language", "issn", "doi", "content_file",
]  # fmt: skip
KNOWN = json.loads((FRUS_DIR / "KNOWN-DIFFERENCES.json").read_text(encoding="utf-8"))


def _record(path):
    return record_from_source(decode_source(str(path), path.read_bytes()))


@pytest.mark.parametrize("path,truth", truth_pairs(FRUS_DIR), ids=lambda x: getattr(x, "name", ""))
def test_frus_document_fields(path, truth):
    record = _record(path)
    assert record["kind"] == "frus-document"
    skip = KNOWN.get(path.name, {})
    wrong = {
        f: (norm(dotted(truth, f)), norm(dotted(record, f)))
        for f in FRUS_FIELDS
        if f not in skip and norm(dotted(truth, f)) != norm(dotted(record, f))
    }
    assert wrong == {}
    want = {(norm(n["n"]), norm(n["text"])) for n in truth["footnotes"]}
    got = {(norm(n["n"]), norm(n["text"])) for n in record["footnotes"]}
    assert got == want


@pytest.mark.parametrize("path,truth", truth_pairs(CEEOL_DIR), ids=lambda x: getattr(x, "name", ""))
def test_bibliographic_record_fields(path, truth):
    record = _record(path)
    assert record["kind"] == "bibliographic-record"
    wrong = {
        f: (norm(dotted(truth, f)), norm(dotted(record, f)))
        for f in BIB_FIELDS
        if norm(dotted(truth, f)) != norm(dotted(record, f))
    }
    assert wrong == {}


def test_known_differences_are_still_differences():
    """When the parser or the truth changes, a stale exception must not hide a regression."""
    for name, fields in KNOWN.items():
        if name.startswith("_"):
            continue
        truth = json.loads((FRUS_DIR / name).with_suffix(".json").read_text(encoding="utf-8"))
        record = _record(FRUS_DIR / name)
        for f in fields:
            assert norm(dotted(truth, f)) != norm(dotted(record, f)), (name, f)
