"""Counts over the archive, computed by SQLite (GROUP BY, json_each), never in memory."""

from __future__ import annotations

from typing import Any

from archivetool.store import Archive


def _pairs(rows: Any) -> list[dict[str, Any]]:
    return [{"value": v, "count": int(c)} for v, c in rows if v not in (None, "")]


def archive_stats(archive: Archive, top: int = 10) -> dict[str, Any]:
    db = archive.db
    q = db.execute
    by_kind = {
        k: int(c) for k, c in q("SELECT kind, COUNT(*) FROM records GROUP BY kind ORDER BY kind")
    }
    by_year = [{"year": int(y), "count": int(c)} for y, c in
               q("SELECT year, COUNT(*) FROM records WHERE year IS NOT NULL GROUP BY year ORDER BY year")]  # fmt: skip
    undated = int(q("SELECT COUNT(*) FROM records WHERE year IS NULL").fetchone()[0])

    def top_json(path: str, kind: str) -> list[dict[str, Any]]:
        return _pairs(q(
            f"SELECT json_extract(data, '{path}') AS v, COUNT(*) AS c FROM records "
            "WHERE kind = ? GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?", (kind, top)))  # fmt: skip

    def top_each(path: str, member: str | None) -> list[dict[str, Any]]:
        value = f"json_extract(j.value, '$.{member}')" if member else "j.value"
        return _pairs(q(
            f"SELECT {value} AS v, COUNT(*) AS c FROM records, json_each(records.data, '{path}') AS j "
            "WHERE records.kind = 'bibliographic-record' GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?", (top,)))  # fmt: skip

    def party(path: str) -> list[dict[str, Any]]:
        return _pairs(q(
            f"SELECT COALESCE(json_extract(data, '{path}.name'), json_extract(data, '{path}.role')) AS v, "
            "COUNT(*) AS c FROM records WHERE kind = 'frus-document' GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?",
            (top,)))  # fmt: skip

    def person(path: str) -> list[dict[str, Any]]:
        # by the register's id: two people of one name stay apart
        return _pairs((name, c) for _, name, c in q(
            f"SELECT json_extract(data, '{path}.person.id') AS pid, "
            f"json_extract(data, '{path}.person.name'), COUNT(*) AS c FROM records "
            "WHERE kind = 'frus-document' AND pid IS NOT NULL GROUP BY pid ORDER BY c DESC, pid LIMIT ?",
            (top,)))  # fmt: skip

    return {
        "records": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_year": by_year,
        "undated": undated,
        "by_doc_type": top_json("$.doc_type", "frus-document"),
        "by_decimal_country": top_json("$.decimal_file.country", "frus-document"),
        "senders": party("$.sender"),
        "recipients": party("$.recipient"),
        "sender_persons": person("$.sender"),
        "recipient_persons": person("$.recipient"),
        "authors": top_each("$.authors", "name"),
        "subjects": top_each("$.subjects", None),
        "languages": top_json("$.language", "bibliographic-record"),
    }
