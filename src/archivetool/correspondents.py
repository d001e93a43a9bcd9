"""The register's people in an archive: everyone a stored FRUS document's sender or
recipient was identified as, or an editors' footnote names (``persons`` with a
``register_id``), with the offices the register gives them and the documents.

The identified ids are read by the archive from the stored JSON
(:meth:`~archivetool.store.Archive.register_ids`), so nothing but the matches is parsed here.
"""

from __future__ import annotations

from typing import Any

from archivetool.authority import load_register
from archivetool.folding import fold
from archivetool.store import ArchiveStore as Archive


def register_people(archive: Archive, search: str | None = None) -> list[dict[str, Any]]:
    """``[{id, name, birth, death, offices: [{office, start, end}], sent, received, mentioned}]``, by
    surname; ``search`` matches the full name, ignoring case and diacritics."""
    docs: dict[str, dict[str, list[str]]] = {}
    for direction, rid, pid in archive.register_ids():
        entry = docs.setdefault(pid, {"sent": [], "received": [], "mentioned": []})
        entry[direction].append(rid)
    reg = load_register()
    wanted = fold(search) if search else None
    out = []
    for pid, entry in docs.items():
        p = reg.people.get(pid)
        if p is None or (wanted and wanted not in fold(p.name)):
            continue
        terms = sorted(reg.by_person.get(pid, []), key=lambda t: t.start)
        out.append({
            "id": pid, "name": p.name, "birth": p.birth or None, "death": p.death or None,
            "offices": [{"office": reg.office_title(t), "start": t.start or None,
                         "end": t.register_end or None} for t in terms],
            "sent": sorted(set(entry["sent"])), "received": sorted(set(entry["received"])),
            "mentioned": sorted(set(entry["mentioned"])),
        })  # fmt: skip
    out.sort(key=lambda x: (reg.people[str(x["id"])].surname, str(x["name"])))
    return out
