"""The faster paths of records and enrichment give what the general ones give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.kinds.frus import identity
from archivetool.persons import full_name
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


NAMEISH = st.text(st.sampled_from(list("AB ab.’'-\n\t_1é(,")), max_size=30)


def _full_name_by_pattern(text: str, surname: str) -> str | None:
    m = re.match(rf"^((?:[A-Z][\w.’'-]*\s+){{1,4}}{re.escape(surname)})\b", text)
    return m.group(1) if m else None


@settings(max_examples=600, deadline=None)
@given(NAMEISH, st.text(st.sampled_from(list("ABab.’'-é(")), min_size=1, max_size=4))
def test_the_full_name_is_what_the_surname_pattern_reads(text, surname):
    assert full_name(text, surname) == _full_name_by_pattern(text, surname)


def test_the_full_name_in_awkward_notes():
    for text, surname in [("Ellis O. Briggs, Counselor", "Briggs"), ("A B C D E Briggs", "Briggs"),
                          ("A B C D Briggs", "Briggs"), ("A B Briggsen", "Briggs"),
                          ("Mr. Briggs.", "Briggs"), ("A  \n B Briggs", "Briggs"),
                          ("A Briggs B Briggs", "Briggs"), ("Sir Orme Sargent", "Sargent"),
                          ("Nedić Milan Nedić", "Nedić"), ("A B.", "B."), ("A (B)", "(B)")]:  # fmt: skip
        assert full_name(text, surname) == _full_name_by_pattern(text, surname), text
