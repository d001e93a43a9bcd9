"""Folding's faster paths give what the general one gives: the ASCII path, the transliteration
by one translate table and the digraphs taken out without a regex per match, each compared
with the letter-by-letter original (kept here as the oracle) on awkward and random texts.
The folded text is what the search index holds, so a difference would change search hits."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from archivetool import folding
from archivetool.folding import _SPECIAL_PAIRS, fold
from archivetool.scripts import TABLES, guess_cyrillic_language, transliterate

_DIGRAPH = re.compile(r"[dln](?:j|(?<=d)z)")


def _original_fold(text: str) -> str:
    """Folding as it was before the fast paths (archivetool 2026-12-01), step by step."""
    t = text
    if folding._CYRILLIC.search(t):
        t = transliterate(t, guess_cyrillic_language(t) or "sr")
    if not t.isascii():
        for char, plain in _SPECIAL_PAIRS:
            t = t.replace(char, plain)
    if not t.isascii():
        t = folding._COMBINING.sub("", unicodedata.normalize("NFKD", t))
    t = t.casefold()
    return _DIGRAPH.sub(lambda m: m.group()[0], t)


AWKWARD = [
    "", "j", "z", "dj", "dz", "djz", "dzj", "djj", "ljj", "ljlj", "nljj", "dnjz", "DJZ",
    "Djordjević", "Đorđević", "Mihailović", "Stalin", "Стаљином", "ЉУБАВ", "Љубав", "Џон",
    "Ђорђе", "ЊЕГОШ", "Щука", "ЪЫ", "Ґанок", "Ўладзімір", "ǴORǴI", "Ѓорѓи", "ЌЕ", "Ѕвезда",
    "Straße", "Æsir", "ŒUVRE", "Þór", "ðe", "ISTANBUL İzmir", "ﬁnal", "Ｆｕｌｌ", "x²",
    "it’s", "Kʼiche", "Україна'с", "Ukraine's Україна", "a\u0301b\u20d0", "\u1e9e", "ǅ",
    "Ǆ", "ǆ", "ǈ", "ǋ", "Nj", "LJ", "lj\u0301", "d\u017e", "D\u017d", "dž", "ДЖ",
]  # fmt: skip


def test_awkward_texts_fold_as_before():
    for text in AWKWARD:
        assert fold(text) == _original_fold(text), text
        assert folding._fold(text) == _original_fold(text), text


_TABLE_LETTERS = {c for t in TABLES.values() for c in t}
letters = st.sampled_from("adjlnzDJLNZ ’'ʼ-éćčšžđĐßæøłıǅǈǋ") | st.sampled_from(
    sorted(_TABLE_LETTERS | {c.upper() for c in _TABLE_LETTERS})
)


@settings(max_examples=500, deadline=None)
@given(st.text(letters, max_size=40))
@example("djz ЉЕ")
def test_texts_of_digraph_and_cyrillic_letters_fold_as_before(text):
    assert fold(text) == _original_fold(text)
    assert fold(text * 20) == _original_fold(text * 20)  # a long one too (not cached)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_text_folds_as_before(text):
    assert fold(text) == _original_fold(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=300))
def test_ascii_texts_fold_as_before(text):
    assert fold(text) == _original_fold(text)


def test_the_translate_tables_hold_every_letter_transliterate_replaces():
    """Built over the Basic Multilingual Plane; no character beyond it has a lower case in
    any table, so none is missed."""
    keys = {c for t in TABLES.values() for c in t}
    assert not [cp for cp in range(0x10000, 0x110000) if chr(cp).lower() in keys]
