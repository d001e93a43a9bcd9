"""The typed record model writes exactly the JSON the extraction writes.

Every bundled record (sources/, tests/data/, and the shared workbench's corpora when they are
beside the project) is extracted, read into its model and written back: the bytes of
``json.dumps(..., ensure_ascii=False)`` must be the extraction's, key order included, a key
left out still left out and a null still null.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest

from archivetool.model import (
    BibliographicRecord,
    FrusDocument,
    ModelError,
    Party,
    record_from_json,
)
from archivetool.pipeline import iter_outcomes
from conftest import DATA, SEED_FRUS, SOURCES

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _extracted(*paths: Path) -> list[dict]:
    return [o.record for o in iter_outcomes([str(p) for p in paths]) if not o.failed and o.record]


@pytest.fixture(scope="module")
def bundled() -> list[dict]:
    return _extracted(SOURCES, DATA)


def test_every_bundled_record_round_trips_byte_for_byte(bundled):
    assert len(bundled) > 100
    kinds = {r["kind"] for r in bundled}
    assert kinds == {FrusDocument.KIND, BibliographicRecord.KIND}
    for record in bundled:
        assert _dumps(record_from_json(record).to_json()) == _dumps(record), record["id"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared workbench is not beside the project")
def test_every_shared_corpus_record_round_trips_byte_for_byte():
    records = _extracted(SHARED)
    assert records
    for record in records:
        assert _dumps(record_from_json(record).to_json()) == _dumps(record), record["id"]


def test_the_model_reads_what_the_record_says(bundled):
    seed = next(r for r in bundled if r["source"]["path"] == str(SOURCES / SEED_FRUS.name))
    doc = record_from_json(seed)
    assert isinstance(doc, FrusDocument)
    assert doc.id == seed["id"] and doc.kind == "frus-document"
    assert doc.sender is not None and doc.sender.label == "Winant"
    assert [f.n for f in doc.footnotes] == [f["n"] for f in seed["footnotes"]]
    assert doc.decimal_file is not None and doc.decimal_file.class_ == seed["decimal_file"]["class"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "changed"  # type: ignore[misc]


def test_a_new_value_serialises_its_change_and_leaves_the_old_one():
    doc = record_from_json(_extracted(SEED_FRUS)[0])
    changed = dataclasses.replace(doc, title="Another title")
    assert changed.to_json()["title"] == "Another title"
    assert doc.to_json()["title"] != "Another title"
    assert list(changed.to_json()) == list(doc.to_json())


def test_absent_keys_stay_absent_and_nulls_stay_null():
    party = {"name": None, "role": "Secretary of State"}
    assert Party.from_json(party).to_json() == party
    with_post = {"name": "Winant", "role": "Ambassador", "post": "United Kingdom"}
    assert list(Party.from_json(with_post).to_json()) == ["name", "role", "post"]
    # a record of an older version, without the derived fields, and a key of a newer one
    old = {"kind": "bibliographic-record", "id": "bib-000000000000",
           "source": {"path": "x.txt", "sha256": "0" * 64}, "title": "T",
           "authors": [{"name": "A. B."}], "contributors": [{"name": "C", "role": None}],
           "text": "", "warnings": [], "later_field": {"x": 1}}  # fmt: skip
    assert _dumps(record_from_json(old).to_json()) == _dumps(old)


def test_records_pickle_for_the_worker_processes():
    doc = record_from_json(_extracted(SEED_FRUS)[0])
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_a_json_object_of_no_known_kind_is_refused():
    with pytest.raises(ModelError, match="kind"):
        record_from_json({"kind": "cia-crest", "id": "x"})


def test_enrichment_returns_a_new_record_with_the_derived_fields():
    from archivetool import kinds
    from archivetool.records import build_record
    from archivetool.sources import decode_source

    raw = decode_source(str(SEED_FRUS), SEED_FRUS.read_bytes())
    parsed = build_record(raw, kinds.FRUS, kinds.FRUS.parse(raw.text))
    assert parsed.absent == FrusDocument.DERIVED and parsed.decimal_file is None
    assert "decimal_file" not in parsed.to_json()  # left out, as the parser's fields are
    enriched = kinds.FRUS.enrich(parsed)
    assert enriched is not parsed and not enriched.absent
    assert enriched.decimal_file is not None and enriched.decimal_file.raw == "860H.01/478"
    assert parsed.absent == FrusDocument.DERIVED  # the value given is left as it was
