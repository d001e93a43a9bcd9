"""The shipped schemas are valid Draft 2020-12 and enforced."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from archivetool.decimal import file_number_date
from archivetool.sources import KINDS, decode_source
from archivetool.validate import check_record, load_schema
from conftest import SEED_CEEOL, SEED_FRUS, record_from_source


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_against_the_metaschema(kind):
    Draft202012Validator.check_schema(load_schema(kind))


def _record(path):
    return record_from_source(decode_source(str(path), path.read_bytes()))


@pytest.mark.parametrize("path", [SEED_FRUS, SEED_CEEOL])
def test_records_validate(path):
    assert check_record(_record(path)) == []


def test_schema_errors_carry_the_json_path():
    record = copy.deepcopy(_record(SEED_FRUS))
    record["sender"]["role"] = 7
    record["date"] = "10 May 1943"
    issues = check_record(record)
    paths = {i.field for i in issues}
    assert "$.date" in paths
    assert all(i.severity == "error" for i in issues)


def test_file_number_dates():
    assert file_number_date("761.91/8–348") == "1948-08-03"
    assert file_number_date("611.61/1–2955") == "1955-01-29"
    assert file_number_date("320.511/12–459") == "1959-12-04"
    assert file_number_date("891.20 Mission/9-148") == "1948-09-01"
    assert file_number_date("860H.01/478") is None
    assert file_number_date(None) is None


def test_dateline_far_from_the_file_number_date_is_a_warning():
    record = _record(SEED_FRUS)
    record["file_number"] = "860H.01/5–1043"
    record["date"] = "1943-06-30"
    check_record(record)
    assert any("days apart" in w for w in record["warnings"])


def _all_records():
    from conftest import CEEOL_DIR, FRUS_DIR

    return [_record(p) for d in (FRUS_DIR, CEEOL_DIR) for p in sorted(d.glob("*.txt"))]


def test_the_compiled_validator_agrees_with_jsonschema():
    """jsonschema-rs checks every record; jsonschema explains the ones it refuses. Both must
    give the same verdict, on the corpus and on broken copies of it."""
    from archivetool.validate import compiled, validator

    cases = []
    for record in _all_records():
        cases.append(record)
        broken = copy.deepcopy(record)
        broken["id"] = "frus-XYZ"
        cases.append(broken)
        extra = copy.deepcopy(record)
        extra["no_such_field"] = 1
        cases.append(extra)
        missing = copy.deepcopy(record)
        del missing["text"]
        cases.append(missing)
    for record in cases:
        kind = record["kind"]
        expected = validator(kind).is_valid(record)
        assert compiled(kind).is_valid(record) is expected, record["source"]["path"]
        assert (check_record(copy.deepcopy(record)) == []) is expected
