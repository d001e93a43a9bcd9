"""The registry: one entry per kind, owning what differs between kinds."""

from __future__ import annotations

import importlib.resources

import pytest

from archivetool import kinds
from archivetool.citation import from_record
from archivetool.pipeline import iter_outcomes
from conftest import CEEOL_DIR, FRUS_DIR, SEED_CEEOL, SEED_FRUS

# which stage does each job a hook names: its module must be there
HOOK_STAGES = {
    "parser": "archivetool.formats",
    "enrichment": "archivetool.enrich",
    "semantic_checks": "archivetool.validate",
    "citation": "archivetool.citation",
    "tei": "archivetool.exporters.tei",
    "show_rows": "archivetool.render",
}


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.short)
def test_each_hook_is_a_function_of_the_stage_that_does_the_job(kind):
    for name, stage in HOOK_STAGES.items():
        hook = getattr(kind, name)
        assert hook.path.split(":")[0].startswith(stage), (name, hook.path)
        assert callable(hook.resolve()), hook.path


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.short)
def test_each_entry_names_its_schema_model_and_names(kind):
    schema = importlib.resources.files("archivetool.schemas").joinpath(kind.schema)
    assert f'"const": "{kind.name}"' in schema.read_text("utf-8")
    assert kind.name == kind.model.KIND
    assert kinds.get(kind.short) is kind is kinds.get(kind.name) is kinds.find(kind.name.upper())


def test_detection_tells_the_kinds_apart():
    assert kinds.sniff(SEED_FRUS.read_text("utf-8")) is kinds.FRUS
    assert kinds.sniff(SEED_CEEOL.read_text("utf-8")) is kinds.BIBLIOGRAPHIC
    assert kinds.sniff("a shopping list\nmilk\neggs\n") is None


def test_records_carry_their_kinds_id_prefix_and_a_citation_type_in_every_format():
    paths = [*sorted(FRUS_DIR.glob("frus1882_*.txt")), *sorted(CEEOL_DIR.glob("*.txt"))]
    records = [o.record for o in iter_outcomes([str(p) for p in paths]) if o.record]
    assert {r["kind"] for r in records} == set(kinds.names())
    for record in records:
        kind = kinds.of(record)
        assert record["id"].startswith(kind.id_prefix + "-")
        genre = from_record(record).kind
        assert genre in kind.citation_types, (record["id"], genre)
        for fmt in ("bibtex", "biblatex", "ris", "csl"):
            assert kinds.citation_types(fmt)[genre]
        row = kind.list_row(record)
        assert row.type and isinstance(row.who, str)


def test_an_unknown_kind_is_no_kind():
    assert kinds.find("cia-crest") is None and kinds.find(None) is None
    with pytest.raises(KeyError):
        kinds.get("cia-crest")


def test_the_command_line_starts_without_the_registry_and_the_model():
    import subprocess
    import sys

    code = (
        "import sys, archivetool.cli; print(sorted(m for m in sys.modules if 'archivetool' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "archivetool.kinds" not in out.stdout and "archivetool.model" not in out.stdout


def test_stats_counts_what_each_kind_declares_and_reads_each_facet(tmp_path):
    """stats asks the registry what to count (Kind.facets); a facet of each shape finds the
    values the bundled records hold, so a misspelt field path shows as an empty count."""
    from archivetool import api

    with api.open_archive(tmp_path / "a.sqlite") as archive:
        api.ingest(archive, [SEED_FRUS, SEED_CEEOL, *sorted(FRUS_DIR.glob("frus1882_d6*.txt"))])
        result = api.stats(archive)
    declared = [f.name for _, f in kinds.facets()]
    assert list(result) == ["records", "by_kind", "by_year", "undated", *declared]
    for kind, facet in kinds.facets():
        assert result[facet.name], f"{kind.short}: {facet.name} ({facet.shape}) counted nothing"
