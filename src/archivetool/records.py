"""Build the record a parser's fields become: kind, stable id, source, fields, text, warnings.

This is the edge where a parser's :class:`~archivetool.model.Parsed` (its fields as JSON,
in the schema's order) becomes a typed record (:mod:`archivetool.model`); what each kind
counts as the same document is its registry entry's ``identity``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from archivetool import kinds
from archivetool.kinds import Kind
from archivetool.model import JSONObject, Parsed, Record
from archivetool.sources import RawSource

PARSER_VERSION = 2  # 2: senders and recipients identified against the register


def current_parsers() -> list[str]:
    """The ``source.parser`` of a record read now, for each kind ('frus/2', 'bib/2')."""
    return [f"{k.id_prefix}/{PARSER_VERSION}" for k in kinds.KINDS]


_NON_WORD = re.compile(r"\W+")
# the ASCII characters \W matches, deleted by bytes.translate in C from an ASCII text, whose
# NFKC form is itself and whose casefold() is lower(): the same key as the general path
_ASCII_NON_WORD = bytes(c for c in range(128) if _NON_WORD.match(chr(c)))


def _norm(value: Any) -> str:
    text = (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        if not isinstance(value, str)
        else value
    )
    if text.isascii():
        return text.encode().lower().translate(None, _ASCII_NON_WORD).decode()
    return _norm_general(text)


def _norm_general(text: str) -> str:
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def identity_key(kind: Kind, fields: Mapping[str, Any], text: str) -> list[str]:
    """What makes a record the same document, however its transcription is mended.

    A corrected typo in the body keeps the id (the new text becomes a revision); a different
    document gets a different id.
    """
    return [_norm(p) for p in kind.identity(fields, text)]


def record_id(kind: Kind, fields: Mapping[str, Any], text: str) -> str:
    key = "\x1f".join([kind.name, *identity_key(kind, fields, text)])
    return f"{kind.id_prefix}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def build_record(raw: RawSource, kind: Kind, parsed: Parsed) -> Record:
    """The typed record of a parser's reading (not yet enriched or validated)."""
    return kind.model.from_json(build_json(raw, kind, parsed))


def build_json(raw: RawSource, kind: Kind, parsed: Parsed) -> JSONObject:
    """The JSON object :func:`build_record` reads into the typed record: the record's
    fields as the parser gave them, with its kind, id and source."""
    record: JSONObject = {
        "kind": kind.name,
        "id": record_id(kind, parsed.fields, parsed.text),
        "source": {
            "path": raw.path,
            "sha256": raw.sha256,
            "size": raw.size,
            "lines": raw.text.count("\n") + (0 if raw.text.endswith("\n") else 1),
            "parser": f"{kind.id_prefix}/{PARSER_VERSION}",
        },
    }
    record.update(parsed.fields)
    record["text"] = parsed.text
    record["warnings"] = list(dict.fromkeys(parsed.warnings))
    return record


def party_label(p: Any, joiner: str = ", ") -> str:
    """A party as a list shows it: the name where the heading gives one, else the office
    ('Winant', 'Secretary of State'); several recipients joined."""
    if not p:
        return ""
    if isinstance(p, list):
        return joiner.join(party_label(x) for x in p)
    return str(p.get("name") or p.get("role") or "")
