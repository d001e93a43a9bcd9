"""A decimal key read once and kept gives every caller what reading it afresh gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.decimal import _parse_key, decode, file_number_date, parse_key

KEYS = ["860H.01/478", "740.0011 European War 1939/157a", "761.91/8–348", "711.00/9–1544",
        "  File No. 862.20 / 5 ", "740.0011 EW 1939/12", "Roosevelt Papers", "POL 27 VIET S",
        "891.20 Mission/9-148", "123/4", ""]  # fmt: skip
KEYISH = st.text(st.sampled_from(list("0123456789.HAa /–-EW Mission")), max_size=24)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(KEYS), KEYISH), st.sampled_from([None, 1915, 1944, 1955, 1970]))
def test_a_kept_reading_is_a_fresh_one(key, year):
    fresh = _parse_key.__wrapped__(key)
    assert parse_key(key) == fresh
    assert file_number_date(key or None) == (fresh["item_date"] if key and fresh else None)
    once = decode(key, year)
    _parse_key.cache_clear()
    assert decode(key, year) == once


def test_a_caller_changing_its_parts_changes_no_one_elses():
    for key in KEYS:
        first = parse_key(key)
        if first is None:
            continue
        first["item"] = "changed"
        reading = decode(key, 1944)
        assert reading is not None
        reading["class"] = "changed"
        assert parse_key(key) == _parse_key.__wrapped__(key)
        assert decode(key, 1944) == decode(key, 1944) and decode(key, 1944) != reading
