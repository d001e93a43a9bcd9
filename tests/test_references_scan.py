"""The keyword test before the reference patterns finds exactly what the patterns find."""

from __future__ import annotations

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
          "\n", "\n\n", "ſ", "K", "ı", "İ", "Nedić", "x", "Re", "See"]  # fmt: skip


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
