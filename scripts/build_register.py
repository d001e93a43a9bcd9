#!/usr/bin/env python3
"""Build archivetool's office-holder table from a checkout of the Office of the Historian's
register of Principal Officers and Chiefs of Mission (HistoryAtState/pocom, public domain).

    python3 scripts/build_register.py ../shared/data/pocom

writes ``src/archivetool/data/office-holders.tsv``: one appointment a line, with the
person's id and surname, the office (``secretary`` for the Secretary of State, ``chief``
for a chief of a US mission abroad), the post and the start and end dates as the register
gives them (empty where it gives none). The FRUS reader uses it to tell who writes to whom
when a nineteenth-century heading names only persons (``Mr. Gresham to Mr. Denby``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

OUT = Path(__file__).resolve().parent.parent / "src" / "archivetool" / "data" / "office-holders.tsv"


def text(el, path: str) -> str:
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def surnames(root: Path) -> dict[str, str]:
    out = {}
    for f in (root / "people").glob("*/*.xml"):
        doc = etree.parse(str(f))
        out[f.stem] = text(doc.getroot(), "persName/surname")
    return out


def rows(root: Path):
    names = surnames(root)
    sec = etree.parse(str(root / "positions-principals" / "secretary.xml")).getroot()
    for p in sec.iter("principal"):
        pid = text(p, "person-id")
        yield pid, names.get(pid, ""), "secretary", "", text(p, "started/date"), text(p, "ended/date")
    for f in sorted((root / "missions-countries").glob("*.xml")):
        for c in etree.parse(str(f)).getroot().iter("chief"):
            pid = text(c, "person-id")
            start = text(c, "started/date") or text(c, "appointed/date")
            yield pid, names.get(pid, ""), "chief", f.stem, start, text(c, "ended/date")


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "../shared/data/pocom")
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = next((w for w in (root / "README.md").read_text().split() if w.startswith("44d")), "")
    lines = [
        "# Office holders derived from the Office of the Historian's register of Principal "
        "Officers and Chiefs of Mission",
        f"# (HistoryAtState/pocom{', commit ' + commit.strip('(),') if commit else ''}; public "
        "domain, CC0). Rebuilt by scripts/build_register.py.",
        "# person_id\tsurname\toffice\tpost\tstart\tend",
    ]
    lines += ["\t".join(r) for r in sorted(set(rows(root)), key=lambda r: (r[2], r[4], r[0]))]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines) - 3} appointments")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
