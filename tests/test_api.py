"""The Python API, and the command line being a view of it: each command's ``--format json``
output (or its text, for cite) is exactly what the API function it calls returns."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import archivetool as at
from archivetool.cli import app
from archivetool.model import BibliographicRecord, FrusDocument
from conftest import FRUS_DIR, SEED_CEEOL, SEED_FRUS, SOURCES


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def json_of(runner, *args):
    res = run(runner, *args)
    assert res.exit_code in (0, 1), res.stderr
    return json.loads(res.stdout)


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "a.sqlite"
    with at.open_archive(path) as a:
        report = at.ingest(a, [SOURCES])
    assert report.counts["failed"] == 0
    return path


@pytest.fixture
def revised(tmp_path):
    """An archive holding the seed telegram and a corrected transcription of it."""
    path, copy = tmp_path / "r.sqlite", tmp_path / "seed.txt"
    text = SEED_FRUS.read_text("utf-8")
    copy.write_text(text, "utf-8")
    with at.open_archive(path) as a:
        at.ingest(a, [copy])
        copy.write_text(text.replace("little progress", "litle progress", 1), "utf-8")
        assert at.ingest(a, [copy]).counts["updated"] == 1
    return path


def test_ingest_reports_what_the_command_reports(runner, tmp_path):
    cli = json_of(runner, "ingest", "--format", "json", "--archive", tmp_path / "c.sqlite", SOURCES)
    with at.open_archive(tmp_path / "p.sqlite") as a:
        assert at.ingest(a, [SOURCES]).as_dict() == cli


def test_extract_gives_the_records_the_command_prints(runner):
    paths = [SEED_FRUS, *sorted(FRUS_DIR.glob("frus1882_*.txt")), SEED_CEEOL]
    printed = json_of(runner, "extract", "--format", "json", *paths)
    result = at.extract(paths)
    assert [r.to_json() for r in result.records] == printed
    assert {type(r) for r in result.records} == {FrusDocument, BibliographicRecord}
    assert list(at.iter_records(paths)) == result.records


def test_extract_reports_a_failed_input_instead_of_raising(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    result = at.extract([SEED_FRUS, bad])
    assert len(result.records) == 1 and result.failures[0]["path"] == str(bad)


def test_validate_rows_are_the_commands(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("a shopping list\n", "utf-8")
    paths = [SEED_FRUS, SEED_CEEOL, bad]
    assert list(at.validate(paths)) == json_of(runner, "validate", "--format", "json", *paths)


def test_show_json_is_the_stored_record(runner, archive):
    with at.open_archive(archive, readonly=True) as a:
        stored = next(at.list_json(a))
        record = at.get(a, stored["id"][:10])
    assert record.to_json() == stored
    assert json_of(runner, "show", stored["id"], "--format", "json", "--archive", archive) == stored


def test_show_revisions_are_the_apis(runner, revised):
    with at.open_archive(revised, readonly=True) as a:
        rid = next(at.list_records(a)).id
        revs = at.revisions(a, rid)
    assert len(revs) == 2 and "litle" not in revs[0]["record"]["text"]
    assert "litle" in revs[1]["record"]["text"] and revs[1]["replaced_at"] is None
    cli = json_of(runner, "show", rid, "--revisions", "--format", "json", "--archive", revised)
    assert cli == revs


@pytest.mark.parametrize("args,filters", [
    ((), {}),
    (("--kind", "bib"), {"kind": "bib"}),
    (("--year", "1943", "--limit", "1"), {"year": 1943, "limit": 1}),
    (("--warnings", "--offset", "1"), {"warnings": True, "offset": 1}),
])  # fmt: skip
def test_list_json_is_the_stored_records(runner, archive, args, filters):
    cli = json_of(runner, "list", "--format", "json", "--archive", archive, *args)
    with at.open_archive(archive, readonly=True) as a:
        assert list(at.list_json(a, **filters)) == cli
        assert [r.to_json() for r in at.list_records(a, **filters)] == cli


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "bibtex", "ris", "csl-json", "tei"])
def test_export_writes_what_the_command_writes(runner, archive, fmt):
    res = run(runner, "export", "--format", fmt, "--kind", "frus", "--archive", archive)
    assert res.exit_code == 0, res.stderr
    buf = io.StringIO()
    with at.open_archive(archive, readonly=True) as a:
        n = at.export(a, fmt, buf, kind="frus")
    assert buf.getvalue() == res.stdout and n > 0


def test_search_equals_the_commands_json(runner, archive):
    shown = json_of(runner, "search", "Mihailović", "--format", "json", "--limit", "3",
                    "--archive", archive)  # fmt: skip
    with at.open_archive(archive, readonly=True) as a:
        hits = at.search(a, "Mihailović", limit=3)
    fields = ("id", "kind", "date", "score", "title", "snippet", "highlights")
    assert [{k: h[k] for k in fields} for h in hits] == shown != []


def test_search_filters_by_kind_in_either_spelling(archive):
    with at.open_archive(archive, readonly=True) as a:
        assert at.search(a, "Tito", kind="bib") == at.search(a, "Tito", kind="bibliographic-record")
        assert all(h["kind"] == "frus-document" for h in at.search(a, "the", kind="frus"))


def test_stats_refs_and_persons_are_the_apis(runner, archive):
    with at.open_archive(archive, readonly=True) as a:
        assert at.stats(a, top=3) == json_of(runner, "stats", "--top", "3", "--format", "json",
                                             "--archive", archive)  # fmt: skip
        doc = next(at.list_records(a, kind="frus"))
        threads = at.refs(a, doc.id).as_dict()
        assert threads == json_of(runner, "refs", doc.id, "--format", "json", "--archive", archive)
        for args, register in (((), False), (("--register",), True)):
            cli = json_of(runner, "persons", *args, "--format", "json", "--archive", archive)
            assert at.persons(a, register=register) == cli


def test_refs_of_a_record_without_correspondence_is_an_error(runner, archive):
    from archivetool.errors import InputError

    with at.open_archive(archive, readonly=True) as a:
        bib = next(at.list_records(a, kind="bib"))
        with pytest.raises(InputError, match="not a FRUS document"):
            at.refs(a, bib.id)
    assert run(runner, "refs", bib.id, "--archive", archive).exit_code == 1


def test_cite_prints_the_apis_citations(runner, archive):
    with at.open_archive(archive, readonly=True) as a:
        ids = [next(at.list_records(a, kind=k)).id for k in ("frus", "bib")]
        texts = at.cite(a, ids, latin=True, full_names=True)
    res = run(runner, "cite", *ids, "--latin", "--full-names", "--archive", archive)
    assert res.exit_code == 0 and res.stdout == "".join(t + "\n" for t in texts)


def test_the_commands_without_an_archive_are_the_apis(runner):
    assert at.decode("860H.01/478", year=1943) == json_of(
        runner, "decode", "860H.01/478", "--year", "1943", "--format", "json"
    )
    assert at.who("Secretary of State", "1943-05-10") == json_of(
        runner, "who", "Secretary of State", "--date", "1943-05-10", "--format", "json"
    )
    assert at.schema("frus") == json_of(runner, "schema", "frus") == at.schema("frus-document")
    assert at.schema() == json_of(runner, "schema")


def test_importing_the_package_loads_no_stage():
    code = ("import sys, archivetool; print(archivetool.__version__); "
            "print(sorted(m for m in sys.modules if m.startswith('archivetool.')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[1] == "[]"


def test_every_name_the_package_offers_is_the_apis():
    from archivetool import api

    for name in at.__all__:
        if name != "__version__":
            assert getattr(at, name) is getattr(api, name), name
    # a module of the package keeps its name: `import archivetool.records as r` is the module
    import archivetool.records as records_module

    assert hasattr(records_module, "build_record")
