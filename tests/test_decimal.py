"""The decimal file decoder: real keys from the corpus, both sides of the 1950 renumbering."""

from __future__ import annotations

import json

import pytest

from archivetool.decimal import decode, item_date, parse_key, table

# key, year, expected parts: (class, class label starts, country code, country,
# second country, subject code, subject, subfile, item, item date, schedule)
REAL_KEYS = [
    ("860H.01/478", 1943, ("8", "Internal Affairs", "60H", "Yugoslavia", None, "01", "Government", None, "478", None, "1910-1949")),
    ("711.0012/575", 1914, ("7", "Political Relations", "11", "United States", None, "0012", None, None, "575", None, "1910-1949")),
    ("763.72/2", 1914, ("7", "Political Relations", "63", "Austria", "Serbia", "72", None, None, "2", None, "1910-1949")),
    ("810.154/249", 1930, ("8", "Internal Affairs", "10", "America. Pan-America", None, "154", "Roads. Streets. Highways", None, "249", None, "1910-1949")),
    ("810.154/258a", 1930, ("8", "Internal Affairs", "10", "America. Pan-America", None, "154", "Roads. Streets. Highways", None, "258a", None, "1910-1949")),
    ("838.154/47a", 1942, ("8", "Internal Affairs", "38", "Haiti", None, "154", "Roads. Streets. Highways", None, "47a", None, "1910-1949")),
    ("893.00/14882", 1942, ("8", "Internal Affairs", "93", "China", None, "00", "Political affairs", None, "14882", None, "1910-1949")),
    ("893.00/9–842", None, ("8", "Internal Affairs", "93", "China", None, "00", "Political affairs", None, "9–842", "1942-09-08", "1910-1949")),
    ("862.20210/2111", 1942, ("8", "Internal Affairs", "62", "Germany", None, "20210", "Military affairs", None, "2111", None, "1910-1949")),
    ("753.61/58", 1942, ("7", "Political Relations", "53", "Portugal", "Union of Soviet Socialist Republics", "61", None, None, "58", None, "1910-1949")),
    ("733.61/57", 1942, ("7", "Political Relations", "33", "Uruguay", "Union of Soviet Socialist Republics", "61", None, None, "57", None, "1910-1949")),
    ("837.61351/4086", 1943, ("8", "Internal Affairs", "37", "Cuba", None, "61351", "Cane", None, "4086", None, "1910-1949")),
    ("761.91/8–348", 1948, ("7", "Political Relations", "61", "Union of Soviet Socialist Republics", "Iran", "91", None, None, "8–348", "1948-08-03", "1910-1949")),
    ("891.20 Mission/9–148", 1948, ("8", "Internal Affairs", "91", "Iran", None, "20", "Military affairs", "Mission", "9–148", "1948-09-01", "1910-1949")),
    ("846B.014/8–2748", 1948, ("8", "Internal Affairs", "46B", "Bahrein Islands", None, "014", "Territory", None, "8–2748", "1948-08-27", "1910-1949")),
    ("689.90D/6–2255", 1955, ("6", "International Political Relations", "89", "Afghanistan", "Pakistan", "90D", None, None, "6–2255", "1955-06-22", "1950-1959")),
    ("661.89/10–655", 1955, ("6", "International Political Relations", "61", "Union of Soviet Socialist Republics", "Afghanistan", "89", None, None, "10–655", "1955-10-06", "1950-1959")),
    ("783A.00/6–2858", 1958, ("7", "Internal Political", "83A", "Lebanon", None, "00", None, None, "6–2858", "1958-06-28", "1950-1959")),
    ("787.00/7–1458", 1958, ("7", "Internal Political", "87", "Iraq", None, "00", None, None, "7–1458", "1958-07-14", "1950-1959")),
    ("771.5–MSP/1–1658", 1958, ("7", "Internal Political", "71", "Morocco", None, "5–MSP", None, None, "1–1658", "1958-01-16", "1950-1959")),
    ("773.56311/3–2660", 1960, ("7", "Internal Political", "73", "Libya", None, "56311", None, None, "3–2660", "1960-03-26", "1960-1963")),
    ("611.61/1–2955", 1955, ("6", "International Political Relations", "11", "United States", "Union of Soviet Socialist Republics", "61", None, None, "1–2955", "1955-01-29", "1950-1959")),
    ("768.00/6–2861", None, ("7", "Internal Political", "68", "Yugoslavia", None, "00", None, None, "6–2861", "1961-06-28", "1960-1963")),
    ("740.0011 European War 1939/25630", 1942, ("7", "Political Relations", "40", "Europe", None, "0011", None, "European War 1939", "25630", None, "1910-1949")),
]  # fmt: skip

FIELDS = ("class", "class_label", "country_code", "country", "second_country", "subject_code",
          "subject", "subfile", "item", "item_date", "schedule")  # fmt: skip


@pytest.mark.parametrize("key,year,expected", REAL_KEYS, ids=[k for k, _, _ in REAL_KEYS])
def test_real_keys(key, year, expected):
    r = decode(key, year)
    assert r["decimal"] is True
    got = tuple(r[f] for f in FIELDS)
    assert got[0] == expected[0] and got[1].startswith(expected[1])
    assert got[2:] == expected[2:]


def test_the_seed_reads_as_yugoslavia_government_item_478_even_without_a_year():
    r = decode("860H.01/478")
    assert (r["class"], r["country"], r["subject"], r["item"]) == (
        "8",
        "Yugoslavia",
        "Government",
        "478",
    )
    assert (r["schedule"], r["schedule_basis"]) == ("1910-1949", "key")


def test_the_1950_renumbering():
    """Yugoslavia is 60H before 1950 and 68 after; class 7 changes meaning; 48 changes country."""
    assert decode("768.00/1", 1955)["country"] == "Yugoslavia"
    assert decode("768.00/1", 1940)["country"] == "Greece"
    assert decode("760H.00/1", 1955)["country"] is None  # 60H does not exist after 1950
    assert decode("711.00/1", 1940)["class_label"].startswith("Political Relations")
    assert decode("711.00/1", 1952)["class_label"].startswith("Internal Political")
    assert decode("848.00/1", 1940)["country"] != decode("848.00/1", 1955)["country"]
    assert decode("711.61/1", 1940)["second_country"] == "Union of Soviet Socialist Republics"
    assert decode("611.61/1", 1952)["second_country"] == "Union of Soviet Socialist Republics"


@pytest.mark.parametrize("item,iso", [("9–1544", "1944-09-15"), ("9-1544", "1944-09-15"),
                                      ("9‐1544", "1944-09-15"), ("9—1544", "1944-09-15"),
                                      ("1–2955", "1955-01-29"), ("12–459", "1959-12-04"),
                                      ("478", None), ("157a", None), ("13–4455", None)])  # fmt: skip
def test_date_form_items_in_every_dash(item, iso):
    assert item_date(item) == iso


def test_subfile_abbreviation():
    r = decode("740.0011 EW 1939/25630", 1942)
    assert (r["subfile"], r["subfile_expanded"]) == ("EW 1939", "European War 1939")


@pytest.mark.parametrize("key", ["Roosevelt Papers", "Lot 70 D 328", "POL 27 VIET S",
                                 "Yugoslav Series", "Eisenhower Library, Whitman File"])  # fmt: skip
def test_non_decimal_keys_are_never_misread(key):
    r = decode(key)
    assert r["decimal"] is False and r["reason"]
    assert parse_key(key) is None


def test_outside_the_decimal_years_there_is_no_gloss():
    r = decode("860H.01/478", 1970)
    assert r["schedule"] is None and r["country"] is None and "outside" in r["note"]


def test_corrections_are_applied_and_each_was_needed():
    from importlib import resources

    raw = (
        resources.files("archivetool.data").joinpath("decimal-class-labels.json").read_text("utf-8")
    )
    fixes = json.loads(
        resources.files("archivetool.data").joinpath("decimal-corrections.json").read_text("utf-8")
    )
    for fix in fixes["text"]:
        assert fix["from"] in raw.replace("\\/", "/"), fix  # the slip is in the upstream copy
    text = json.dumps(table(), ensure_ascii=False)
    for fix in fixes["text"]:
        assert fix["from"] not in text
    s50 = next(s for s in table()["schedules"] if s["id"] == "1950-1959")
    assert (
        s50["countries"]["49"] == "Czechoslovakia" and "Ruthenia" in s50["countryAlternates"]["49"]
    )
    assert s50["countries"]["74"] == "Egypt" and s50["countries"]["83"] == "Syria"


def test_decode_command(runner):
    from archivetool.cli import app

    res = runner.invoke(app, ["decode", "860H.01/478", "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["country"] == "Yugoslavia"
    res = runner.invoke(app, ["decode", "768.00/1", "--year", "1940"])
    assert "Greece" in res.stdout
