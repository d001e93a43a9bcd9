"""The reference finder's faster searches find what the patterns they stand for find."""

from __future__ import annotations

import re
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.months import MONTH_LOOSE, month_number
from archivetool.references import (
    _BARE_END,
    _KIND_WORDS,
    _PARTY_LAST,
    FORM_KIND,
    _bare_ends,
    _decimals,
    _finds,
    _kind_starts,
    date_iso,
    matches,
)
from conftest import FRUS_DIR, SOURCES

PIECES = ["your", "Your", "our", "Our", "four", "my", "My", "army", "his", "His", "this",
          "their", "heir", "’s", "'s", "Karachi’s", "No.", "No", "no.", "No.5", "3272", "1",
          "٣", "５", "²", "½", "x", "é", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", ".",
          ",", "?", "’", "s"]  # fmt: skip


def _ends_by_pattern(text: str) -> list[int]:
    return [m.end() for m in _BARE_END.finditer(text)]


def test_digits_and_spaces_are_what_the_pattern_reads():
    # _decimals and _space_before stand for \d and \s: the same characters, every one
    digit, space = re.compile(r"\d"), re.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert (digit.match(c) is not None) == c.isdecimal(), hex(cp)
        assert (space.match(c) is not None) == c.isspace(), hex(cp)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
       st.lists(st.sampled_from(PIECES), max_size=40).map("".join))  # fmt: skip
def test_the_bare_ends_are_the_patterns(spaced, packed):
    for text in (spaced, packed):
        assert _bare_ends(text) == _ends_by_pattern(text)
        assert sorted(_decimals(text)) == [m.start() for m in re.finditer(r"\d", text)]


@pytest.mark.parametrize("path", sorted(FRUS_DIR.glob("*.txt")) + sorted(SOURCES.glob("*.txt")),
                         ids=lambda p: p.name)  # fmt: skip
def test_the_bare_ends_in_the_corpus(path):
    text = path.read_text(encoding="utf-8")
    assert _bare_ends(text) == _ends_by_pattern(text)


def test_every_party_ends_as_the_kind_candidates_expect():
    # a kind word's party starts are tried only after these: every party the pattern reads
    for party in ["your", "Your", "my", "My", "our", "Our", "his", "His", "their", "Their",
                  "Karachi’s", "Mr. Biddle's", "Department", "Embassy", "Legation", "Consulate",
                  "Mission", "Delegation"]:  # fmt: skip
        m = FORM_KIND.match(f"{party} telegram 5")
        assert m is not None and m.group("party") == party
        assert party.endswith(_PARTY_LAST)


PARTIES = ["your", "Your", "Tour", "this", "His", "thy", "Their", "heir", "Mission", "Missions",
           "Consulate", "Delegation", "Embassy", "Legation", "Department", "Department’s", "the",
           "Mr.", "Biddle’s", "A.", "U.S.", "telegram", "Telegram", "telegrams", "note", "despatch",
           "airgram", "instruction", "circular", "message", "No.", "5", "A-12", "DVK 33", "July",
           "15", "the 6th", "of", ",", " ", "\n", "\u00a0", "’s", "'s", "x"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PARTIES), max_size=30).map(" ".join),
       st.lists(st.sampled_from(PARTIES), max_size=30).map("".join))  # fmt: skip
def test_the_kind_matches_are_the_patterns(spaced, packed):
    for text in (spaced, packed):
        full = [(m.span(), m.groupdict()) for m in FORM_KIND.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in matches("kind", text)] == full
        assert sorted(_kind_starts(text)) == sorted(k for k, _ in _finds(text, _KIND_WORDS))


def test_the_kind_words_found_in_pairs_are_all_of_them():
    text = " ".join(_KIND_WORDS) + " elegram irgram spatch Despatch TELEGRAM" + "".join(_KIND_WORDS)
    assert sorted(_kind_starts(text)) == sorted(k for k, _ in _finds(text, _KIND_WORDS))


def _date_iso_by_reading_each(
    printed: str | None, year: int | None, citing: str | None
) -> str | None:
    # the reading before the printed dates were kept: every step for every citation
    if not printed:
        return None
    text = re.sub(
        r"(\d+)(?:st|nd|rd|th|d)", r"\1", printed.replace("the ", "").replace(" of ", " ")
    )
    m = re.search(r"(\d{4})", text)
    y = int(m.group(1)) if m else year
    mm = re.search(r"(?i)\b(" + MONTH_LOOSE + r")", text)
    dm = re.search(r"\b(\d{1,2})\b", re.sub(r"(\d{4})", "", text))
    if not (y and mm and dm):
        return None
    month = month_number(mm.group(1)) or 0
    try:
        d = date(y, month, int(dm.group(1)))
    except ValueError:
        return None
    if not m and citing and d.isoformat() > citing:
        d = date(y - 1, month, d.day)
    return d.isoformat()


DATEISH = st.lists(st.sampled_from(["July", "july", "Dec.", "Sept", "the", "of", "15", "15th",
                                     "3d", "31", "30", "29", "1944", "1943", "32", "instant", ",",
                                     "February", "Feb", "x"]), max_size=5).map(" ".join)  # fmt: skip
CITING = st.sampled_from([None, "1944-01-05", "1944-07-15", "1944-12-31", "1945-03-01"])


@settings(max_examples=800, deadline=None)
@given(DATEISH, st.sampled_from([None, 1943, 1944, 1900]), CITING, CITING)
def test_a_kept_printed_date_is_read_as_afresh(printed, year, citing, other):
    for c in (citing, other, citing):  # the same date cited again, by another document
        try:
            expected = _date_iso_by_reading_each(printed, year, c)
        except ValueError:  # 29 February a year back: neither reading hides it
            with pytest.raises(ValueError):
                date_iso(printed, year, c)
            continue
        assert date_iso(printed, year, c) == expected
