#!/usr/bin/env python3
"""Build archivetool's authority table from a checkout of the Office of the Historian's
register of Principal Officers and Chiefs of Mission (HistoryAtState/pocom, public domain).

    python3 scripts/build_register.py ../shared/data/pocom

writes ``src/archivetool/data/authority.tsv``, one row a line, its first column saying what
the row is:

``office``   a number, the office id, ``principal`` or ``chief`` (a role title of a chief of
             mission, or a mission to an organisation), the register's singular name
``post``     mission id, its name (``united-kingdom`` → ``United Kingdom``), other names FRUS
             headings use for it (``Great Britain``), separated by ``;``
``person``   register id, surname, full name (forename, surname, generational suffix), birth,
             death, then the appointments, space-separated, each ``OFFICE/POST/START/END``
             (the office by its number; POST empty for a principal office; dates ISO, a month
             or a year where the register gives no more, empty where it gives none; a START
             ending in ``?`` is a date of appointment to a post never taken up: no start of
             service and no end)

A table rebuilt from a newer checkout can identify documents differently: bump
``records.PARSER_VERSION`` with it, so that archives read their documents again.

The header records the register's commit and licence. Only people who held an office listed
here are kept, and an appointment names its office by number, so the table stays small.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parent.parent / "src" / "archivetool" / "data"
OUT = DATA / "authority.tsv"

# Names FRUS headings give a post that the register files under another id: former names
# of the country, the short forms the edition prints, and states it no longer lists apart.
OTHER_NAMES = {
    "united-kingdom": ["Great Britain", "England"],
    "chile": ["Chili"],
    "iran": ["Persia"],
    "thailand": ["Siam"],
    "serbia": ["Servia"],
    "romania": ["Rumania", "Roumania"],
    "russia": ["Soviet Union", "the Soviet Union", "U.S.S.R.", "USSR"],
    "south-africa": ["Union of South Africa"],
    "panama": ["Panamá"],
    "philippines": ["Philippine Islands"],
    "holy-see": ["Vatican", "the Holy See"],
    "vietnam-south": ["Vietnam", "Viet-Nam", "Republic of Vietnam", "South Vietnam"],
    "vietnam": ["Viet-Nam"],
    "korea": ["Republic of Korea", "South Korea"],
    "germany": ["Federal Republic of Germany", "West Germany"],
    "german-democratic-republic": ["East Germany"],
    "austria": ["Austria-Hungary"],
    "sri-lanka": ["Ceylon"],
    "malaysia": ["Malaya"],
    "egypt": ["United Arab Republic"],
    "congo-democratic-republic": ["Congo", "Zaire", "Congo (Léopoldville)"],
    "congo-republic": ["Congo", "Congo (Brazzaville)"],
    "netherlands": ["the Netherlands", "Holland"],
    "dominican-republic": ["the Dominican Republic"],
    "two-sicilies": ["the Two Sicilies", "Naples"],
    "czechoslovakia": ["Czecho-Slovakia"],
    "burma": ["Myanmar"],
    "cote-divoire": ["Ivory Coast"],
    "tanzania": ["Tanganyika"],
}
_SMALL = {"and", "of", "the", "de", "del"}
ORG_SHORT = {
    "representative-to-un": ["UN"], "representative-to-nato": ["NATO", "North Atlantic Council"],
    "representative-to-oas": ["OAS"], "representative-to-oecd": ["OECD"],
    "representative-to-iaea": ["IAEA"], "representative-to-unesco": ["UNESCO"],
    "representative-to-eu": ["European Communities", "European Economic Community"],
}  # fmt: skip


def org_names(mid: str, singular: str) -> list[str]:
    """What a FRUS heading calls the organisation of a mission: 'Representative of the U.S.A.
    to the United Nations' → 'United Nations' (a heading says 'Representative at the United
    Nations')."""
    m = re.search(
        r"\b(?:to|on the Council of|at) (?:the )?(?P<org>.+?)(?: \([^)]*\))?(?:, with .*)?$",
        singular,
    )
    names = [m.group("org")] if m else []
    return names + ORG_SHORT.get(mid, [])


def text(el, path: str) -> str:
    found = el.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def known_posts() -> dict[str, str]:
    """posts.txt's names by their letters: the spelling FRUS prints (Costa Rica, Côte…)."""
    out = {}
    for line in (DATA / "posts.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out[re.sub(r"\W", "", line.lower())] = line
    return out


def label(territory: str, posts: dict[str, str]) -> str:
    """'united-kingdom' → 'United Kingdom'; 'albania-1946' → 'Albania'."""
    bare = re.sub(r"-\d{4}$", "", territory)
    found = posts.get(bare.replace("-", ""))
    if found:
        return found
    words = bare.split("-")
    return " ".join(w if (w in _SMALL and i) else w.capitalize() for i, w in enumerate(words))


def people(root: Path) -> dict[str, tuple[str, str, str, str]]:
    out = {}
    for f in sorted((root / "people").glob("*/*.xml")):
        el = etree.parse(str(f)).getroot()
        surname = text(el, "persName/surname")
        full = " ".join(x for x in (text(el, "persName/forename"), surname) if x)
        gen = text(el, "persName/genName")
        if gen:
            full += f", {gen}" if gen.rstrip(".") in ("Jr", "Sr") else f" {gen}"
        out[text(el, "id") or f.stem] = (surname, full, text(el, "birth"), text(el, "death"))
    return out


def _span(el) -> tuple[str, str]:
    """Start and end; a start that is only the date of appointment, with no end, is marked
    ``?``: the register's appointees who declined or never proceeded to the post."""
    started, appointed, ended = (text(el, f"{x}/date") for x in ("started", "appointed", "ended"))
    if not started and appointed and not ended:
        return appointed + "?", ""
    return started or appointed, ended


def build(root: Path) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    posts = known_posts()
    offices: list[list[str]] = []
    held: list[list[str]] = []
    post_rows: list[list[str]] = []
    for f in sorted((root / "positions-principals").glob("*.xml")):
        el = etree.parse(str(f)).getroot()
        oid = text(el, "id") or f.stem
        offices.append(["office", oid, "principal", text(el, "names/singular")])
        for p in el.iter("principal"):
            held.append(["held", text(p, "person-id"), oid, "", *_span(p)])
    for f in sorted((root / "roles-country-chiefs").glob("*.xml")):
        el = etree.parse(str(f)).getroot()
        offices.append(["office", text(el, "id") or f.stem, "chief", text(el, "names/singular")])
    for f in sorted((root / "missions-countries").glob("*.xml")):
        el = etree.parse(str(f)).getroot()
        mid = text(el, "territory-id") or f.stem
        names = {label(mid, posts)}
        for c in el.iter("chief"):
            names.add(label(text(c, "contemporary-territory-id") or mid, posts))
            held.append(["held", text(c, "person-id"), text(c, "role-title-id"), mid, *_span(c)])
        first = label(mid, posts)
        others = sorted((names - {first}) | set(OTHER_NAMES.get(mid, [])))
        post_rows.append(["post", mid, first, ";".join(others)])
    for f in sorted((root / "missions-orgs").glob("*.xml")):
        el = etree.parse(str(f)).getroot()
        mid = text(el, "id") or f.stem
        offices.append(["office", mid, "chief", text(el, "names/singular")])
        post_rows.append(
            [
                "post",
                mid,
                text(el, "names/singular"),
                ";".join(org_names(mid, text(el, "names/singular"))),
            ]
        )
        for c in el.iter("chief"):
            held.append(["held", text(c, "person-id"), mid, mid, *_span(c)])
    who = people(root)
    number = {row[1]: str(i) for i, row in enumerate(offices)}
    offices = [[row[0], number[row[1]], *row[1:]] for row in offices]
    terms: dict[str, list[str]] = {}
    for h in sorted(held, key=lambda h: (h[4], h[2], h[3])):
        if h[1] in who:
            terms.setdefault(h[1], []).append("/".join((number[h[2]], h[3], h[4], h[5])))
    person_rows = [["person", pid, *who[pid], " ".join(terms[pid])] for pid in sorted(terms)]
    return offices, post_rows, person_rows


def commit_of(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short=8", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        # a copy without its .git: the README names the commit it was taken at
        m = re.search(r"commit ([0-9a-f]{7,40})", (root / "README.md").read_text(encoding="utf-8"))
        return m.group(1) if m else "unknown"


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "../shared/data/pocom")
    if not (root / "positions-principals").is_dir():
        print(f"{root}: not a checkout of the register (no positions-principals/)", file=sys.stderr)
        return 1
    groups = build(root)
    header = [
        "# archivetool authority table: people, offices, posts and appointments derived from the",
        "# Office of the Historian's register of Principal Officers and Chiefs of Mission.",
        "# source: HistoryAtState/pocom",
        f"# commit: {commit_of(root)}",
        "# licence: public domain (a work of the United States government); CC0 1.0 Universal worldwide",
        "# rebuilt by: python3 scripts/build_register.py PATH-TO-POCOM",
        "# rows: office number id principal|chief name | post id name other-names |"
        " person id surname full-name birth death OFFICE/POST/START/END…",
    ]
    lines = header + ["\t".join(r) for g in groups for r in g]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    held = sum(len(r[-1].split()) for r in groups[2])
    print(
        f"{OUT}: {len(groups[0])} offices, {len(groups[1])} posts, {len(groups[2])} people, {held} appointments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
