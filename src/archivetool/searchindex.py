"""What the full-text index holds for a record, and the filter columns beside it.

The index is SQLite FTS5 over *folded* text (see :mod:`archivetool.folding`): lower case,
no diacritics, Cyrillic in its Latin form, Slavic digraphs folded, so that ``Mihailovic``
meets ``Mihailović`` and ``Stalin`` meets ``Стаљином``. The table's content is the records
table (the folded text is not stored a second time); a row is deleted by giving its old
values again, which
is why the same function must produce them: a change to the folding bumps ``FOLD_VERSION``
and the archive rebuilds its index when it is next opened.
"""

from __future__ import annotations

from typing import Any

from archivetool.folding import fold

FOLD_VERSION = 2  # 2: capital Æ/Œ, eth and thorn folded
# the index table and its columns; each column has a namesake in records holding the
# original text (see store's migration 5), as an external-content FTS5 table needs
FTS = "records_fts"
COLUMNS = ("title", "body", "notes", "parties", "extra")
WEIGHTS = (8.0, 1.0, 1.0, 4.0, 2.0)  # bm25 weights: a match in a title counts most


def _party_text(p: Any) -> str:
    if not p:
        return ""
    if isinstance(p, list):
        return " ".join(_party_text(x) for x in p)
    person = (p.get("person") or {}).get("name")  # who the register says it was
    return " ".join(x for x in (p.get("name"), p.get("role"), person) if x)


def index_values(record: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """The folded text of each index column."""
    if record["kind"] == "frus-document":
        title = record.get("title") or ""
        body = record.get("text") or ""
        notes = " ".join(f["text"] for f in record.get("footnotes") or [])
        names = " ".join(
            [_party_text(record.get("sender")), _party_text(record.get("recipient")),
             record.get("signed") or "",
             *[f"{p['name']} {p.get('full_name') or ''}" for p in record.get("persons") or []]]
        )  # fmt: skip
        extra = " ".join(x for x in (record.get("file_number"), record.get("place"),
                                     record.get("source_note"), record.get("doc_type")) if x)  # fmt: skip
    else:
        title = " ".join(x for x in (record.get("title"), record.get("title_translated")) if x)
        body = record.get("abstract") or ""
        notes = " ".join([*(record.get("keywords") or []), *(record.get("subjects") or [])])
        names = " ".join(
            a["name"] for a in [*(record.get("authors") or []), *(record.get("contributors") or [])]
        )
        extra = " ".join(x for x in (record.get("container_title"), record.get("publisher"),
                                     record.get("language")) if x)  # fmt: skip
    return fold(title), fold(body), fold(notes), fold(names), fold(extra)


def filter_values(record: dict[str, Any]) -> dict[str, str | None]:
    """Folded columns the search filters compare with."""
    if record["kind"] == "frus-document":
        return {
            "f_sender": fold(_party_text(record.get("sender"))) or None,
            "f_recipient": fold(_party_text(record.get("recipient"))) or None,
            "f_place": fold(record.get("place") or "") or None,
            "f_language": "english en",
            "f_authors": None,
        }
    langs = " ".join(
        f"{x['name']} {x['iso639_1']} {x['iso639_2b']}" for x in record.get("languages") or []
    ) or (record.get("language") or "")
    return {
        "f_sender": None,
        "f_recipient": None,
        "f_place": None,
        "f_language": fold(langs) or None,
        "f_authors": fold(" ; ".join(a["name"] for a in record.get("authors") or [])) or None,
    }
