"""Fuzzing, bounded in time: mutated copies of real documents and arbitrary text through the
readers, the validator and the store. Whatever the input, a reader gives a record or one
clear error, the validator reports issues, and what is stored reads back the same
(issue 11, finding 1)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivetool.errors import ArchiveToolError
from archivetool.pipeline import process_source
from archivetool.sources import RawSource, decode_source
from archivetool.store import Archive
from conftest import CEEOL_DIR, FRUS_DIR

SEEDS = sorted(FRUS_DIR.glob("*.txt"))[::6] + sorted(CEEOL_DIR.glob("*.txt"))[:3]
TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]
# what copies are made of, and what breaks readers: brackets, markers, dates, list bullets
PIECES = ["\n", "\n\n", " ", "[", "]", "(", ")", "1", "23", "1948", "May 10, 1943", "—",
          "  1. ", "- ", "↩", "[Page 12]", "No. 4.]", "[Received", "Sir:", "Author(s): ",
          "Summary/Abstract: ", "secret", "\u00a0", "ʼ", "Ã©", "\t", "…"]  # fmt: skip
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


def _mutate(text: str, seed: int, edits: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.4:
            chars[at:at] = list(rng.choice(PIECES))
        elif op < 0.7 and chars:
            del chars[at : at + rng.randrange(1, 40)]
        else:  # a stretch moved elsewhere, as a careless copy moves it
            piece = chars[at : at + rng.randrange(1, 80)]
            del chars[at : at + len(piece)]
            to = rng.randrange(len(chars) + 1)
            chars[to:to] = piece
    return "".join(chars)


def _outcome(text: str):
    data = text.encode("utf-8", "surrogatepass")
    raw = RawSource("fuzz.txt", hashlib.sha256(data).hexdigest(), text, len(data))
    return process_source(raw)


@FUZZ
@given(st.integers(0, len(TEXTS) - 1), st.integers(0, 2**32), st.integers(1, 30))
def test_mutated_copies_give_a_record_or_one_clear_error(which, seed, edits):
    out = _outcome(_mutate(TEXTS[which], seed, edits))
    if out.record is None:
        assert out.status == "failed" and len(out.issues) >= 1
        assert all("could not read this text" not in i.message for i in out.issues), out.issues
    else:
        assert out.record["kind"] in ("frus-document", "bibliographic-record")


@FUZZ
@given(st.text(st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_never_breaks_a_reader(text):
    out = _outcome(text)
    assert all("could not read this text" not in i.message for i in out.issues), out.issues


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_decoded_or_refused_with_a_reason(data):
    try:
        raw = decode_source("fuzz.bin", data)
    except ArchiveToolError as exc:
        assert str(exc).startswith("fuzz.bin")
    else:
        _outcome(raw.text)


def test_what_is_stored_reads_back_the_same(tmp_path: Path):
    """Mutated records that validate are stored and read back unchanged."""
    stored = 0
    with Archive(tmp_path / "a.sqlite") as archive:
        for seed in range(60):
            out = _outcome(_mutate(TEXTS[seed % len(TEXTS)], seed, 1 + seed % 12))
            if out.failed or out.record is None:
                continue
            archive.begin()
            archive.put(out.record)
            archive.commit()
            assert archive.get(out.record["id"]) == out.record
            stored += 1
    assert stored > 20
