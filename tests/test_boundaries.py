"""The one-way boundaries the design promises, checked on the source itself.

Stages import only stages before them (the order of STYLE.md's picture: sources, formats,
records, enrich, validate, pipeline, store, then the questions asked of the store, then
rendering and exporting, the API and the command line); rich only in the rendering modules;
lxml only where XML is read or written; SQL only in the store's modules. A module added
without a place in this order fails the test, so that its place is decided.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "archivetool"

# each stage, and the modules (first part of the dotted name below archivetool) in it
STAGES: list[tuple[str, set[str]]] = [
    ("foundations", {"errors", "safetext", "settings", "leftovers", "model"}),
    ("vocabularies and tables", {"months", "scripts", "folding", "decimal", "data", "authority"}),
    # below every stage, so that each may ask it; what a stage does for a kind is named
    # there by its dotted path (test_kinds.py checks each is in the stage that does it)
    ("kinds", {"kinds"}),
    ("sources", {"sources"}),
    ("formats", {"formats"}),
    ("records", {"records"}),
    ("enrich", {"enrich", "identify", "persons", "references"}),
    ("validate", {"validate", "schemas"}),
    ("pipeline", {"pipeline"}),
    ("store", {"archivefile", "searchindex", "store", "stored"}),
    ("questions", {"ingest", "search", "stats", "crossref", "correspondents", "network",
                   "citation", "cite", "copying"}),
    ("rendering and exporting", {"render", "render_register", "progress", "exporters",
                                 "outputfile"}),
    ("api", {"api"}),
    ("command line", {"cli", "__main__"}),
]  # fmt: skip
RICH_ALLOWED = {"render", "render_register", "progress", "cli"}
LXML_ALLOWED = {"formats", "exporters", "network"}
SQL_ALLOWED = {"store", "archivefile"}
_SQL = re.compile(
    r"\b(?:SELECT\s+[\w*(]|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+(?:TABLE|INDEX|VIRTUAL))"
)


def _stage(top: str) -> int | None:
    return next((i for i, (_, names) in enumerate(STAGES) if top in names), None)


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts == ("__init__",):
            continue  # the package's facade: it names the API and the version, nothing else
        out.append((parts[0], path))
    return out


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found += [(n, node.lineno) for n in names]
    return found


@pytest.mark.parametrize("top,path", _modules(), ids=lambda v: str(v).rsplit("archivetool/", 1)[-1])
def test_a_stage_imports_only_stages_before_it(top, path):
    mine = _stage(top)
    assert mine is not None, f"{top}: give this module its stage in tests/test_boundaries.py"
    later = []
    for name, line in _imports(path):
        parts = name.split(".")
        if parts[0] != "archivetool" or len(parts) == 1:
            continue  # `from archivetool import __version__` reads the facade's version only
        theirs = _stage(parts[1])
        assert theirs is not None, f"{name}: a module without a stage"
        if theirs > mine:
            later.append(f"line {line}: {name} ({STAGES[theirs][0]})")
    assert later == [], f"{path.name} ({STAGES[mine][0]}) imports later stages: {later}"


@pytest.mark.parametrize("top,path", _modules(), ids=lambda v: str(v).rsplit("archivetool/", 1)[-1])
def test_rich_lxml_and_sql_stay_in_their_rooms(top, path):
    imports = {name.split(".")[0] for name, _ in _imports(path)}
    if "rich" in imports:
        assert top in RICH_ALLOWED, f"{path.name}: rich belongs to the rendering modules"
    if "lxml" in imports:
        assert top in LXML_ALLOWED, f"{path.name}: lxml belongs to the XML readers and writers"
    if _SQL.search(path.read_text(encoding="utf-8")):
        assert top in SQL_ALLOWED, f"{path.name}: SQL belongs to the store"


def test_vocabularies_are_defined_once():
    """Month names live in one module (archivetool.months), read by every other."""
    months = re.compile(r"[\"']september[\"']\s*:\s*9|[\"']sep[\"']\s*,\s*[\"']oct[\"']")
    holders = [p.name for _, p in _modules() if months.search(p.read_text(encoding="utf-8"))]
    assert holders == ["months.py"], f"month tables in {holders}"


# a record's kind named or tested outside the registry: the literal names, or a comparison
# of a record's "kind" (or the sources' constants) with anything
_KIND_TEST = re.compile(
    r"[\"'](?:frus-document|bibliographic-record)[\"']|"
    r"(?:\[[\"']kind[\"']\]|\.get\([\"']kind[\"']\))\s*[!=]=|"
    r"[!=]=\s*(?:FRUS|BIBLIOGRAPHIC)\b|\b(?:FRUS|BIBLIOGRAPHIC)\s*[!=]="
)


@pytest.mark.parametrize("top,path", _modules(), ids=lambda v: str(v).rsplit("archivetool/", 1)[-1])
def test_only_the_registry_tests_a_kind(top, path):
    """What differs between kinds is asked of their registry entry (archivetool.kinds),
    never decided by testing a kind's name, so that a new kind is one new entry."""
    if top in ("kinds", "model"):
        return
    found = [
        f"line {n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _KIND_TEST.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == [], f"{path.name} tests a kind instead of asking archivetool.kinds: {found}"


def test_the_kind_test_finds_what_it_looks_for():
    for line in ('if record["kind"] == "frus-document":', "elif r.get('kind') != FRUS:",
                 'if kind == BIBLIOGRAPHIC:', 'x = {"bibliographic-record": 1}',
                 'if record["kind"] == kind_name:'):  # fmt: skip
        assert _KIND_TEST.search(line), line
    for line in ('if c.kind == "article":', "if office.kind == PRINCIPAL:", "kind = kinds.of(r)"):
        assert not _KIND_TEST.search(line), line
