"""Build the record a parser's fields become: kind, stable id, source, fields, text, warnings."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

from archivetool.sources import BIBLIOGRAPHIC, FRUS, RawSource

PARSER_VERSION = 2  # 2: senders and recipients identified against the register
_ID_PREFIX = {FRUS: "frus", BIBLIOGRAPHIC: "bib"}


def current_parsers() -> list[str]:
    """The ``source.parser`` of a record read now, for each kind ('frus/1', 'bib/1')."""
    return [f"{prefix}/{PARSER_VERSION}" for prefix in _ID_PREFIX.values()]


def _norm(value: Any) -> str:
    text = (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        if not isinstance(value, str)
        else value
    )
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", "", text)


def identity_key(kind: str, fields: dict[str, Any], text: str) -> list[str]:
    """What makes a record the same document, however its transcription is mended.

    A corrected typo in the body keeps the id (the new text becomes a revision); a different
    document gets a different id. Documents with no file number (editorial notes, many
    memoranda) add the opening words of their text, since their titles repeat.
    """
    if kind == FRUS:
        parts = [
            fields.get("file_number") or "",
            fields.get("title") or "",
            fields.get("date") or "",
            fields.get("serial_number") or "",
        ]
        if not fields.get("file_number"):
            parts.append(" ".join(text.split()[:40]))
        return [_norm(p) for p in parts]
    authors = [a.get("name", "") for a in fields.get("authors") or []]
    parts = [
        fields.get("title") or "",
        fields.get("title_translated") or "",
        "|".join(authors),
        fields.get("container_title") or "",
        str(fields.get("year") or ""),
        fields.get("page_start") or "",
    ]
    return [_norm(p) for p in parts]


def record_id(kind: str, fields: dict[str, Any], text: str) -> str:
    key = "\x1f".join([kind, *identity_key(kind, fields, text)])
    return f"{_ID_PREFIX[kind]}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def build_record(
    raw: RawSource, kind: str, fields: dict[str, Any], text: str, warnings: list[str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": kind,
        "id": record_id(kind, fields, text),
        "source": {
            "path": raw.path,
            "sha256": raw.sha256,
            "size": raw.size,
            "lines": raw.text.count("\n") + (0 if raw.text.endswith("\n") else 1),
            "parser": f"{_ID_PREFIX[kind]}/{PARSER_VERSION}",
        },
    }
    record.update(fields)
    record["text"] = text
    record["warnings"] = list(dict.fromkeys(warnings))
    return record


def party_label(p: Any, joiner: str = ", ") -> str:
    """A party as a list shows it: the name where the heading gives one, else the office
    ('Winant', 'Secretary of State'); several recipients joined."""
    if not p:
        return ""
    if isinstance(p, list):
        return joiner.join(party_label(x) for x in p)
    return str(p.get("name") or p.get("role") or "")
