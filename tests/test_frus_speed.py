"""The FRUS reader's faster paths give what the slower ones they replaced gave: each old way
is kept here and compared with the new one on generated inputs."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from archivetool.formats.frus import lines
from archivetool.formats.frus import markers as mk
from archivetool.formats.frus.segment import _BLANK_LINES, NOTE_MARK, PAGE_MARK, _split_marks

# -- markers: the readings of a digit run, as the patterns and _value gave them ----------

_OLD_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")


def _old_split_readings(text: str, s: int, e: int, digits: str, letter: str) -> list[tuple]:
    out = []
    for cut in range(1, min(3, len(digits) - 1) + 1):
        head, tail = digits[:-cut], digits[-cut:]
        if tail.startswith("0"):
            continue
        if _OLD_YEAR.fullmatch(head) and not _OLD_YEAR.fullmatch(digits):
            cost = mk.COST_SPLIT_YEAR
        elif mk._after_month(text, s) and 1 <= int(head) <= 31:
            cost = mk.COST_SPLIT_DAY if int(digits) > 31 else mk.COST_SPLIT_DATE_AS_PRINTED
        else:
            cost = mk.COST_SPLIT
        out.append((s + len(head), e, tail + letter, mk._value(tail + letter), cost, False))
    return out


_digits = st.text(alphabet="0123456789١٢", min_size=1, max_size=6)


@settings(max_examples=400)
@given(
    st.sampled_from(["", "in ", "October ", "Sept. ", "April ", "x\n", "$"]),
    _digits,
    st.sampled_from(["", "a", "b"]),
)
def test_split_readings_as_the_year_pattern_read_them(before: str, digits: str, letter: str):
    text = before + digits + letter + " next"
    s, e = len(before), len(before) + len(digits) + len(letter)
    new = [tuple(c) for c in mk._split_readings(text, s, e, digits, letter)]
    assert new == _old_split_readings(text, s, e, digits, letter)


@given(_digits)
def test_year_test_is_the_pattern(digits: str) -> None:
    assert mk._is_year(digits) == bool(_OLD_YEAR.fullmatch(digits))


@settings(max_examples=300)
@given(st.text(alphabet="0123456789abAZ .,:;)\n—$Oct ", max_size=40))
def test_digit_values_as_value_gave_them(text: str) -> None:
    for c in mk.find_candidates(text):
        assert c.value == mk._value(c.label)


# -- segment and lines: the marks, the blank lines, the heading's spacing -----------------


@given(st.text(alphabet="ab \n" + PAGE_MARK + NOTE_MARK, max_size=30))
def test_marks_split_as_the_pattern_split_them(text: str) -> None:
    assert _split_marks(text) == re.split("([" + PAGE_MARK + NOTE_MARK + "])", text)


@given(st.text(alphabet="a\n", max_size=30))
def test_blank_lines_collapse_as_the_pattern(text: str) -> None:
    out = text
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    assert out == _BLANK_LINES.sub("\n\n", text)


def _old_tidy(text: str) -> str:
    text = lines._NBSP.sub(" ", text)
    text = lines._OPEN_SPACE.sub("(", text)
    text = lines._CLOSE_SPACE.sub(")", text)
    text = lines._PUNCT_SPACE.sub(r"\1", text)
    text = lines._STOP_SPACE.sub(".", text)
    return lines._SPACES.sub(" ", text).strip()


@settings(max_examples=300)
@given(st.text(alphabet="ab ()\t\n.,;\u00a0\u2007\u202f", max_size=30))
def test_tidy_with_its_quick_tests_as_without(text: str) -> None:
    assert lines.tidy(text) == _old_tidy(text)


def _old_source_line(line: str) -> lines.SourceLine | None:
    text = " ".join(line.split())
    m = re.match(r"^File Nos?\.\s*(?P<fn>.+?)\.?$", text)
    if m:
        return lines.SourceLine(text, m.group("fn").split(",")[0].strip(), None)
    m = lines._SOURCE_TYPE.match(text)
    if m:
        src = m.group("src").strip()
        fn = src[8:].strip() if src.startswith("File No.") else src
        return lines.SourceLine(
            text, fn if lines.DECIMAL.match(fn) else None, m.group("type").lower()
        )
    if lines.DECIMAL.match(text):
        return lines.SourceLine(text, text, None)
    if lines._COLLECTION.match(text):
        return lines.SourceLine(text, None, None)
    return None


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(["File No.", "File Nos.", "860H.01", "/478", ":", " Telegram", " ",
                         "Roosevelt Papers", "Lot 60 D 224", "x", ".", ","]),
        max_size=6,
    ).map("".join)
)  # fmt: skip
def test_source_line_with_its_quick_tests_as_without(line: str) -> None:
    assert lines.parse_source_line(line) == _old_source_line(line)


# -- markers: the bounded searches give the whole search's choice ------------------------

_reading = st.builds(
    lambda start, width, value, cost: mk.Candidate(start, start + width, str(value), value, cost),
    st.integers(0, 200),
    st.integers(1, 4),
    st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 9.0, 40.0, 10_001.0]),
    st.sampled_from([0.0, 0.1, 0.3, 0.5, 1.0, 1.5, 2.2, 3.0, 7.0]),
)


@settings(max_examples=400)
@given(st.lists(_reading, max_size=50), st.integers(1, 8), st.sampled_from(mk.SEARCH_BOUNDS))
def test_bounded_search_is_the_whole_search_when_it_finds(cands, k, bound) -> None:
    assume(len(cands) >= k)  # choose_markers answers fewer itself
    cands.sort(key=lambda c: (c.end, c.start))  # as find_candidates and prune give them
    whole = mk._search(cands, k, float("inf"), mk._fields(cands))
    bounded = mk._search(cands, k, bound, mk._fields(cands))
    assert bounded is None or bounded == whole
    if whole is not None and mk.sequence_cost(whole) < bound - 1e-9:
        assert bounded == whole  # a sequence within the bound is always found
    assert mk.choose_markers(cands, k) == whole
