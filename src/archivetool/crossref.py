"""Following cross-references through the archive.

A reference resolves to a stored document when the numbers agree (the telegram or despatch
number), the dates agree (to a day: a telegram is dated where it was sent) and the parties
fit the direction: ``your 3272`` in a telegram to London is a telegram *from* London,
``my 6266`` one from the same sender, ``Department’s 7184`` one from the Department.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from archivetool.store import ArchiveStore as Archive

_DEPARTMENT = ("Secretary of State", "Department of State", "Acting Secretary of State")


def _roles(p: Any) -> list[dict[str, Any]]:
    if not p:
        return []
    return p if isinstance(p, list) else [p]


def _same_party(a: Any, b: Any) -> bool:
    for x in _roles(a):
        for y in _roles(b):
            if x.get("post") and y.get("post") and x["post"] == y["post"]:
                return True
            if x.get("role") and x.get("role") == y.get("role"):
                return True
            if x.get("name") and x.get("name") == y.get("name"):
                return True
            if _is_department(x) and _is_department(y):
                return True
    return False


def _is_department(p: dict[str, Any]) -> bool:
    role = p.get("role") or ""
    return any(d in role for d in _DEPARTMENT)


def party_fits(ref: dict[str, Any], citing: dict[str, Any], cited: dict[str, Any]) -> bool:
    """Whether ``cited`` can be the communication ``ref`` in ``citing`` speaks of."""
    party = ref.get("party")
    sender = cited.get("sender")
    if not party or not sender:
        return True
    if party == "your":
        return _same_party(sender, citing.get("recipient"))
    if party in ("my", "our"):
        return _same_party(sender, citing.get("sender"))
    if party == "Department":
        return any(_is_department(s) for s in _roles(sender))
    if party in ("Embassy", "Legation", "Consulate", "Mission"):
        return not any(_is_department(s) for s in _roles(sender))
    # a post ("Istanbul’s 206") or a person ("Ambassador Biddle’s telegram No. 3")
    words = set(party.replace("’", " ").split())
    for s in _roles(sender):
        if words & set(filter(None, [s.get("post"), s.get("name")])):
            return True
        if s.get("name") and s["name"] in party:
            return True
    return False


def _dates_fit(ref: dict[str, Any], cited: dict[str, Any], citing: dict[str, Any]) -> bool:
    when = cited.get("date") or cited.get("date_inferred")
    if ref.get("date_iso"):
        if not when:
            return False
        gap = abs((date.fromisoformat(when) - date.fromisoformat(ref["date_iso"])).days)
        return gap <= 1
    # no date printed with the reference: the cited document must come before the citing one
    mine = citing.get("date") or citing.get("date_inferred")
    if when and mine:
        gap = (date.fromisoformat(mine) - date.fromisoformat(when)).days
        return 0 <= gap <= 120
    return False


def resolve(archive: Archive, record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each reference of ``record`` with the stored documents it resolves to."""
    for i, ref in enumerate(record.get("references") or []):
        matches = []
        if ref.get("number"):
            for cand in archive.by_serial(ref["number"]):
                if cand["id"] == record["id"]:
                    continue
                if _dates_fit(ref, cand, record) and party_fits(ref, record, cand):
                    matches.append(
                        {"id": cand["id"], "title": cand["title"], "date": cand.get("date")}
                    )
        yield {**ref, "index": i, "resolves_to": matches}


def cited_by(archive: Archive, record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Stored documents whose references resolve to ``record``."""
    number = record.get("serial_number")
    if not number:
        return
    for citing, idx in archive.citations_of(number):
        if citing["id"] == record["id"]:
            continue
        ref = citing["references"][idx]
        if _dates_fit(ref, record, citing) and party_fits(ref, citing, record):
            yield {"id": citing["id"], "title": citing["title"], "date": citing.get("date"),
                   "text": ref["text"]}  # fmt: skip


def people(archive: Archive, search: str | None = None) -> list[dict[str, Any]]:
    """The people the archive identifies, each with descriptions and documents; ``search``
    matches names and full names, ignoring case, diacritics and script."""
    from archivetool.folding import fold

    return list(archive.person_groups(fold(search) if search else None))
