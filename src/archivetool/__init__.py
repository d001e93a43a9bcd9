"""archivetool: structured records from FRUS documents and CEEOL bibliographic records."""

from __future__ import annotations

__version__ = "0.1.0"
