"""The keyword test before the reference patterns finds exactly what the patterns find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.references import FORM_ABBR, FORM_BARE, FORM_KIND, matches
from conftest import FRUS_DIR, SOURCES

PATTERNS = {"abbr": FORM_ABBR, "kind": FORM_KIND, "bare": FORM_BARE}
TOKENS = ["your", "Your", "my", "our", "his", "their", "Tour", "this", "Embassy’s", "Karachi's",
          "Department", "Embassy", "Legation", "Mr. Biddle’s", "Ambassador", "telegram",
          "telegrams", "Telegram", "circular", "airgram", "Airgram", "note", "notes", "letter",
          "despatch", "memorandum", "aide-mémoire", "message", "cable", "No.", "Nos.", "number",
          "3272", "61", "2041", "DVK 33", "A-12", "Deptel", "DEPTEL", "reDeptel", "Embtels",
          "urtel", "ourtel", "reftel", "Reftel", "depcirtel", "July 15", "March 23", "the 6th",
          "of", "April", "1948", "9 p.m.", "midnight", "noon", "and", ";", ",", ".", " ", "  ",
          "\n", "\n\n", "ſ", "K", "ı", "İ", "Nedić", "x", "Re", "See", "Legtel", "mydes",
          "UrDes", "depinst", "tel", "des", "?", "re"]  # fmt: skip


def _same(name: str, text: str) -> None:
    full = [(m.span(), m.groupdict()) for m in PATTERNS[name].finditer(text)]
    quick = [(m.span(), m.groupdict()) for m in matches(name, text)]
    assert quick == full


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(lambda ts: " ".join(ts)),
       st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))  # fmt: skip
def test_the_same_matches_as_the_patterns_tried_everywhere(spaced, packed):
    for text in (spaced, packed):
        for name in PATTERNS:
            _same(name, text)


@pytest.mark.parametrize("path", sorted(FRUS_DIR.glob("*.txt")) + sorted(SOURCES.glob("*.txt")),
                         ids=lambda p: p.name)  # fmt: skip
def test_the_same_matches_in_the_corpus(path):
    text = path.read_text(encoding="utf-8")
    for name in PATTERNS:
        _same(name, text)


def test_the_odd_letters_are_all_that_ignorecase_matches_to_ascii():
    # the abbreviations are searched in the text's ASCII bytes unless one of these is there
    from archivetool.references import _ODD_CASE

    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        chr(cp)
        for cp in range(128, 0x110000)
        if not 0xD800 <= cp < 0xE000 and letter.fullmatch(chr(cp))
    }
    assert odd == set(_ODD_CASE)


def test_no_party_end_begins_inside_another():
    # the bare candidates are the non-overlapping matches of the ends: none may hide another
    from archivetool.references import _PARTY_ENDS

    for a in _PARTY_ENDS:
        for b in _PARTY_ENDS:
            for i in range(1, len(a)):
                rest = a[i:]
                assert not (b.startswith(rest) or rest.startswith(b)), (a, b, i)


def test_every_abbreviation_ends_in_an_anchor():
    from archivetool.references import _ABBR, _ABBR_BEFORE

    found = {(before + anchor).decode() for anchor, bs in _ABBR_BEFORE.items() for before in bs}
    assert found == set(_ABBR)


@pytest.mark.parametrize(
    "text",
    ["ourtel 5, July 2", "reourtel 5", "Legtel 12, May 1", "mydes 3, June 4", "UrDes 7",
     "depinst 9, July 1", "reDEPINST 9", "x?deptel 4", "Deptel 4 and İ", "Urtel 3 ſ",
     "Embassy’s 2020. his 3, May 5", "their 61, July 15", "Our No. 12, June 1", "my\n7",
     "this 1948", "hour 5 p.m.", "Mr. Biddle’s No. 3, March 30", "’s 4"],
)  # fmt: skip
def test_the_same_matches_in_awkward_texts(text):
    for name in PATTERNS:
        _same(name, text)
