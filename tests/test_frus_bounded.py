"""The FRUS reader in bounded time and memory on any input (issue 11, finding 3): time grows
linearly with the size of a text, memory within a stated multiple of it, and a pathological
footnote list cannot make the marker search explode."""

from __future__ import annotations

import time
import tracemalloc

from archivetool.formats.frus import parse

HEAD = ("840.50/1: Telegram\n\nThe Ambassador in France (Caffery) to the Secretary of State\n\n"
        "Paris, May 1, 1948—7 p.m.\n[Received May 2—1:10 a.m.]\n\n2150. ")  # fmt: skip
PARAGRAPH = ("The Foreign Minister told me that the Government of 1948 would consider the loan "
             "of 250 million dollars, referred to in Deptel 1712 of April 3, at its meeting of "
             "May 4.5 He said Bidault [Page 88] had asked him to say so.\n\n")  # fmt: skip
TAIL = "Caffery\n\n  1. Not printed.\n  2. Not printed.\n"
MEMORY_PER_CHARACTER = 40  # the stated bound: peak memory at most 40 bytes per input character


def _text(size: int) -> str:
    return HEAD + PARAGRAPH * (size // len(PARAGRAPH)) + TAIL


def _seconds(text: str) -> float:
    start = time.process_time()
    parse(text)
    return time.process_time() - start


def test_reading_time_grows_linearly_with_the_text():
    small, large = _text(200_000), _text(2_000_000)
    _seconds(small)  # warm the pattern caches
    ratio = _seconds(large) / max(_seconds(small), 1e-3)
    assert ratio < 20, f"10 times the text took {ratio:.1f} times as long"  # quadratic: ~100


def test_memory_is_bounded_by_the_texts_size():
    text = _text(1_000_000)
    tracemalloc.start()
    try:
        parse(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_PER_CHARACTER * len(text)


def test_a_huge_footnote_list_is_numbered_by_the_list():
    notes = "\n".join(f"  {i}. Note {i}." for i in range(1, 2001))
    body = " ".join(f"text{i}" for i in range(5000))
    f = parse(HEAD + body + "\n\nCaffery\n\n" + notes + "\n")
    assert [n["n"] for n in f.fields["footnotes"][:3]] == ["1", "2", "3"]
    assert any("too many to match" in w for w in f.warnings)
