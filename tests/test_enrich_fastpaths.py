"""The faster paths of records and enrichment give what the general ones give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool.kinds.frus import identity
from archivetool.persons import full_name
from archivetool.records import _norm, _norm_general
from archivetool.scripts import _SCRIPT_RANGES, _char_script, mixed_script_words, script_of

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


def _script_of_by_counting(text: str | None) -> str | None:
    if not text:
        return None
    counts = {code: len(rx.findall(text)) for code, rx in _SCRIPT_RANGES}
    code, n = max(counts.items(), key=lambda kv: kv[1])
    return code if n else None


def _mixed_by_every_word(text: str | None) -> list[str]:
    if not text:
        return []
    return [
        w
        for w in re.findall(r"\w+", text)
        if {"Cyrl", "Latn"} <= {_char_script.__wrapped__(c) for c in w if c.isalpha()}
    ]


SCRIPTED = st.text(st.sampled_from(list("aZ 1_-.éđжЖoоаaΩ\u0301,")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(st.one_of(ASCII, SCRIPTED))
def test_the_script_and_the_mixed_words_as_the_general_reading(text):
    assert script_of(text) == _script_of_by_counting(text)
    assert mixed_script_words(text) == _mixed_by_every_word(text)
