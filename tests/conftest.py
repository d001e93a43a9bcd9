from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
FRUS_DIR = DATA / "frus"
CEEOL_DIR = DATA / "ceeol"
SOURCES = Path(__file__).parent.parent / "sources"
SEED_FRUS = FRUS_DIR / "frus-860H.01-478-telegram.txt"
SEED_CEEOL = CEEOL_DIR / "ceeol-popovic-2010-chapter.txt"


def norm(value):
    """Compare as the shared scorer does: NFC, folded whitespace, numbers as strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(int(value))
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split()) or None
    if isinstance(value, list):
        return [norm(v) for v in value] or None
    if isinstance(value, dict):
        if "name" in value and "role" not in value:
            return norm(value["name"])
        return {k: norm(v) for k, v in sorted(value.items())}
    return str(value)


def dotted(record, path):
    cur = record
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def truth_pairs(folder: Path):
    return [
        (txt, json.loads(txt.with_suffix(".json").read_text(encoding="utf-8")))
        for txt in sorted(folder.glob("*.txt"))
        if txt.with_suffix(".json").exists()
    ]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"
