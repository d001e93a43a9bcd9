"""One parsing module per kind of source. Each exposes ``parse(text) -> Parsed``."""

from __future__ import annotations

from typing import Any, Protocol


class Parsed(Protocol):
    """What a parser returns: the record's fields, its text, and what was mended or missing."""

    fields: dict[str, Any]
    text: str
    warnings: list[str]
