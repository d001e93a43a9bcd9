"""One parsing module per kind of source. Each exposes ``parse(text) -> Parsed``."""

from __future__ import annotations

from archivetool.model import Parsed

__all__ = ["Parsed"]
