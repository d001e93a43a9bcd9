"""The faster paths of records and enrichment give what the general ones give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.kinds.frus import identity
from archivetool.records import _norm, _norm_general

ASCII = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=60)
AWKWARD = st.text(st.sampled_from(list("aZ_9 -.\t\n\x00\x7f’İﬁＡé\u00a0\u2003ß")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(ASCII)
def test_an_ascii_key_is_the_general_key(text):
    assert _norm(text) == _norm_general(text)


@settings(max_examples=300, deadline=None)
@given(AWKWARD)
def test_any_key_is_the_general_key(text):
    assert _norm(text) == _norm_general(text)


def test_every_ascii_character_alone():
    for c in range(128):
        assert _norm(chr(c) * 3) == _norm_general(chr(c) * 3)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab \n\t\u00a0\u2003\x1c")), max_size=200))
def test_the_opening_words_are_the_first_forty_of_all(text):
    assert identity({}, text)[-1] == " ".join(text.split()[:40])
