"""JSON (one array, streamed element by element) and JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(dumps(record))
        out.write("\n")
        n += 1
    return n


def write_json(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    out.write("[")
    for record in records:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record, ensure_ascii=False, indent=2))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
