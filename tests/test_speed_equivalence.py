"""The faster ways of the reading and storing stages give what the slower ways they replaced
gave: each is checked against the old way, kept here, on generated inputs."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from archivetool import folding
from archivetool.formats.frus import markers as mk
from archivetool.formats.frus import parties, tail
from archivetool.formats.frus.segment import PAGE_MARK, _mend_page_spaces
from archivetool.kinds import bib
from archivetool.store.types import _dumps

MARK = PAGE_MARK


def _text(alphabet: str, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=max_size)


# -- markers: the digit runs, and the cheapest sequence ---------------------------------

_OLD_RUN = re.compile(r"\d+(?:[a-c](?![A-Za-z]))?|\*{1,3}|(?<=[.,;:)”’])[a-h](?![A-Za-z])")


def _runs(text: str) -> list[tuple[int, int, str]]:
    """The runs as find_candidates reads them off the new pattern (a stop left out)."""
    out = []
    for m in mk._RUN.finditer(text):
        s, label = m.start(), m.group()
        if label[0] in mk._STOPS:
            s, label = s + 1, label[1:]
        out.append((s, m.end(), label))
    return out


@settings(max_examples=300)
@given(_text("0123456789*.,;:)”’abcdefghzAZ \n١٢³"))
def test_digit_runs_are_the_old_patterns(text: str) -> None:
    assert _runs(text) == [(m.start(), m.end(), m.group()) for m in _OLD_RUN.finditer(text)]


def _old_choose(candidates: list[mk.Candidate], k: int) -> list[mk.Candidate] | None:
    m = len(candidates)
    if k == 0:
        return []
    if m < k:
        return None
    inf = float("inf")
    cost = [[inf] * m for _ in range(k)]
    back = [[-1] * m for _ in range(k)]
    for j, c in enumerate(candidates):
        cost[0][j] = c.cost + mk.first_value_cost(c)
    for i in range(1, k):
        for j in range(i, m - (k - 1 - i)):
            cj = candidates[j]
            best, arg = inf, -1
            for jp in range(max(i - 1, j - mk.PREDECESSOR_WINDOW), j):
                pc = cost[i - 1][jp]
                if pc == inf or candidates[jp].end > cj.start:
                    continue
                total = pc + mk._step_cost(candidates[jp].value, cj.value)
                if total < best:
                    best, arg = total, jp
            if arg >= 0:
                cost[i][j] = best + cj.cost
                back[i][j] = arg
    last = cost[k - 1]
    j = min(range(m), key=lambda x: last[x])
    if last[j] == inf:
        return None
    chosen = []
    for i in range(k - 1, -1, -1):
        chosen.append(candidates[j])
        j = back[i][j]
    chosen.reverse()
    return chosen


_candidate = st.builds(
    lambda start, width, value, cost: mk.Candidate(start, start + width, str(value), value, cost),
    st.integers(0, 300),
    st.integers(1, 4),
    st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, 5.0, 9.0, 40.0, 200.0, 10_001.0]),
    st.sampled_from([0.0, 0.3, 0.5, 1.0, 1.5, 2.2, 3.0]),
)


@settings(max_examples=300)
@given(st.lists(_candidate, max_size=60), st.integers(0, 8))
def test_marker_choice_is_the_old_search(cands: list[mk.Candidate], k: int) -> None:
    cands.sort(key=lambda c: (c.end, c.start))  # as find_candidates and prune give them
    assert mk.choose_markers(cands, k) == _old_choose(cands, k)


# -- segment: page marks and their spaces ------------------------------------------------

_OLD_PAGE_SPACES = re.compile(" ?" + MARK + " ?")


@settings(max_examples=300)
@given(_text(" a\n" + MARK))
def test_page_mark_spaces_as_the_old_pattern_mended_them(text: str) -> None:
    old = _OLD_PAGE_SPACES.sub(lambda m: (" " if m.group().startswith(" ") else "") + MARK, text)
    assert _mend_page_spaces(text) == old


def _old_top_level_to(text: str) -> list[int]:
    depth, out = 0, []
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(" to ", i):
            out.append(i)
    return out


@given(st.lists(st.sampled_from([" to ", "to", " ", "x", "(", ")", "t", "o"]), max_size=20))
def test_top_level_to_as_the_walk_found_it(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert parties._top_level_to(text) == _old_top_level_to(text)


# -- tail, sniffer, folding: patterns rewritten or guarded --------------------------------


@given(st.lists(st.sampled_from(["Hon.", "Honorable", "The Honorable", "To the", "To his",
                                 "His Excellency", "Esq.", "x", " ", ",", "To", "Hon"]),
                max_size=8))  # fmt: skip
def test_addressee_test_as_the_pattern_alone(pieces: list[str]) -> None:
    line = "".join(pieces)
    assert tail._addressee(line) == bool(tail._ADDRESSEE.search(line))


_OLD_CEEOL_LABELS = re.compile(
    r"(Author\(s\):|Contributor\(s\):|Subject\(s\):|Published by:|Summary/Abstract:|"
    r"Keywords:|[-•]\s*(?:Issue Year|Issue No|Page Range|Page Count|Publication Year|Language):)"
)


@given(st.lists(st.sampled_from(["Author(s):", "- Language:", "•  Page Count:", "-", "•", " ",
                                 "Keywords:", "Published by:", "x", "\n", "Issue No:"]),
                max_size=12))  # fmt: skip
def test_ceeol_labels_as_the_old_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    new = [(m.span(), m.group(1)) for m in bib._LABELS.finditer(text)]
    assert new == [(m.span(), m.group(1)) for m in _OLD_CEEOL_LABELS.finditer(text)]


@given(_text("dlnjzx "))
def test_digraphs_as_the_old_pattern(text: str) -> None:
    assert folding._DIGRAPH.sub(folding._first_letter, text) == re.sub(
        r"[lnd]j|dz", lambda m: m.group()[0], text
    )


# -- store: the JSON as json.dumps wrote it ----------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), _json, max_size=6))
def test_stored_json_is_what_json_dumps_writes(record: dict[str, Any]) -> None:
    assert _dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
