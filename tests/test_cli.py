"""The commands as a person or a script uses them: output, exit codes, stdout kept pure."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archivetool.cli import app
from conftest import BOTH_BACKENDS, CEEOL_DIR, SEED_CEEOL, SEED_FRUS, SOURCES

BACKENDS = BOTH_BACKENDS  # each test using the archive runs on SQLite and on PostgreSQL


def run(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- extract ------------------------------------------------------------------------------


def test_extract_seed_telegram_matches_the_reference_fields(runner):
    res = run(runner, "extract", "--format", "json", SEED_FRUS)
    assert res.exit_code == 0, res.stderr
    (record,) = json.loads(res.stdout)
    expected = json.loads(SEED_FRUS.with_suffix(".json").read_text(encoding="utf-8"))
    for key, value in expected.items():
        if key.startswith("_"):
            continue
        got = record[key]
        if key in ("sender", "recipient"):
            got = {k: got[k] for k in ("name", "role")}
        if key == "footnotes":
            got = [{k: f[k] for k in ("n", "marker_text", "text")} for f in got]
        assert got == value, key
    assert record["kind"] == "frus-document"
    assert record["source"]["path"] == str(SEED_FRUS)
    assert len(record["source"]["sha256"]) == 64
    assert any("United, Kingdom" in w and "United Kingdom" in w for w in record["warnings"])
    assert record["sender"]["post"] == "United Kingdom"
    # the text keeps paragraphs and loses page and footnote markers
    assert "[Page" not in record["text"] and "Sargent50" not in record["text"]
    assert "Sir Orme Sargent this afternoon" in record["text"]
    assert "misunderstanding between" in record["text"]
    assert "\n\n" in record["text"]


def test_extract_seed_chapter_matches_the_reference_fields(runner):
    res = run(runner, "extract", "--format", "jsonl", SEED_CEEOL)
    assert res.exit_code == 0, res.stderr
    (record,) = jsonl(res.stdout)
    expected = json.loads(SEED_CEEOL.with_suffix(".json").read_text(encoding="utf-8"))
    for key, value in expected.items():
        if not key.startswith("_"):
            assert record[key] == value, key
    assert record["kind"] == "bibliographic-record"
    assert record["warnings"] == []


def test_extract_keeps_input_order_and_one_record_per_input(runner):
    files = sorted(CEEOL_DIR.glob("*.txt"))[::-1] + [SEED_FRUS]
    res = run(runner, "extract", "--format", "jsonl", *files)
    assert res.exit_code == 0
    assert [r["source"]["path"] for r in jsonl(res.stdout)] == [str(f) for f in files]


def test_extract_ids_are_stable_for_the_same_content(runner, tmp_path):
    copy = tmp_path / "elsewhere.txt"
    copy.write_bytes(SEED_FRUS.read_bytes())
    a = jsonl(run(runner, "extract", "--format", "jsonl", SEED_FRUS).stdout)[0]["id"]
    b = jsonl(run(runner, "extract", "--format", "jsonl", copy).stdout)[0]["id"]
    assert a == b and a.startswith("frus-")


def test_extract_csv_has_a_header_and_a_row_per_record(runner):
    res = run(runner, "extract", "--format", "csv", SEED_FRUS, SEED_CEEOL)
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["kind"] for r in rows] == ["frus-document", "bibliographic-record"]
    assert rows[0]["file_number"] == "860H.01/478"
    assert rows[1]["authors"] == "Nikola B. Popović"


def test_extract_reads_standard_input(runner):
    res = run(runner, "extract", "--format", "jsonl", "-", input=SEED_FRUS.read_bytes())
    assert res.exit_code == 0, res.stderr
    (record,) = jsonl(res.stdout)
    assert record["source"]["path"] == "<stdin>"
    assert record["serial_number"] == "3341"


# -- bad input ----------------------------------------------------------------------------

BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n ", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "cp1252.txt": (
        "The Ambassador in France (Caffery) to the Secretary of State\n\nCafé – déjà".encode(
            "cp1252"
        ),
        "not UTF-8",
    ),
    "unknown.txt": (b"Shopping list\n\neggs\nmilk\n", "unknown kind"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_one_clear_line_and_the_batch_goes_on(runner, tmp_path, name, archive):
    data, message = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    res = run(runner, "ingest", "--archive", archive, bad, SEED_FRUS)
    assert res.exit_code == 1
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if message in ln]
    assert len(lines) == 1 and str(bad) in lines[0]
    assert "ingested 1" in res.stderr and "failed 1" in res.stderr
    listed = jsonl(run(runner, "list", "--archive", archive, "--format", "jsonl").stdout)
    assert [r["serial_number"] for r in listed] == ["3341"]


def test_cp1252_error_says_how_to_convert(runner, tmp_path):
    bad = tmp_path / "win.txt"
    bad.write_bytes(BAD_INPUTS["cp1252.txt"][0])
    res = run(runner, "extract", bad)
    assert res.exit_code == 1
    assert "iconv -f cp1252 -t utf-8" in res.stderr
    assert json.loads(res.stdout) == []


def test_missing_file_is_reported_not_raised(runner, tmp_path, archive):
    res = run(runner, "ingest", "--archive", archive, tmp_path / "nope.txt")
    assert res.exit_code == 1
    assert "no such file" in res.stderr and "Traceback" not in res.stderr


def test_truncated_ceeol_record_is_kept_with_a_warning(runner, tmp_path):
    cut = tmp_path / "cut.txt"
    text = SEED_CEEOL.read_text(encoding="utf-8")
    cut.write_text(text[: text.index("Stalin accepted")] + "Stalin acc", encoding="utf-8")
    res = run(runner, "extract", "--format", "jsonl", cut)
    assert res.exit_code == 0
    (record,) = jsonl(res.stdout)
    assert record["abstract"].endswith("Stalin acc")
    assert any("cut off" in w for w in record["warnings"])


def test_usage_errors_exit_2(runner):
    assert run(runner, "extract", "--format", "xml", SEED_FRUS).exit_code == 2
    assert run(runner, "nosuchcommand").exit_code == 2
    assert run(runner, "schema", "nosuchschema").exit_code == 2


# -- ingest, show, list, export -----------------------------------------------------------


def test_ingest_sources_then_list_show_export(runner, archive):
    res = run(runner, "ingest", "--archive", archive, SOURCES)
    assert res.exit_code == 0, res.stderr
    n = len(list(SOURCES.glob("*.txt")))
    assert f"ingested {n}" in res.stderr
    assert res.stdout == ""

    again = run(runner, "ingest", "--archive", archive, SOURCES)
    assert again.exit_code == 0 and f"unchanged {n}" in again.stderr

    listed = jsonl(run(runner, "list", "--archive", archive, "--format", "jsonl").stdout)
    assert len(listed) == n
    table = run(runner, "list", "--archive", archive)
    assert table.exit_code == 0 and "frus-" in table.stdout

    frus_id = next(r["id"] for r in listed if r.get("file_number") == "860H.01/478")
    shown = run(runner, "show", "--archive", archive, frus_id[:10])
    assert shown.exit_code == 0
    assert "[Page 1008]" in shown.stdout and "British Deputy Under Secretary" in shown.stdout
    as_json = json.loads(
        run(runner, "show", "--archive", archive, frus_id, "--format", "json").stdout
    )
    assert as_json["id"] == frus_id

    exported = run(runner, "export", "--archive", archive, "--format", "json", "--kind", "bib")
    assert [r["kind"] for r in json.loads(exported.stdout)] == ["bibliographic-record"]
    assert len(jsonl(run(runner, "export", "--archive", archive).stdout)) == n


def test_show_keeps_rich_markup_characters_as_printed(runner, archive):
    from conftest import FRUS_DIR

    doc = FRUS_DIR / "frus1942v05_d259.txt"
    run(runner, "ingest", "--archive", archive, doc)
    (record,) = jsonl(run(runner, "list", "--archive", archive, "--format", "jsonl").stdout)
    shown = run(runner, "show", "--archive", archive, record["id"])
    assert "S[umner] W[elles]" in shown.stdout


def test_changed_content_updates_the_record_and_keeps_a_revision(runner, tmp_path, archive):
    doc = tmp_path / "telegram.txt"
    text = SEED_FRUS.read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    run(runner, "ingest", "--archive", archive, doc)
    doc.write_text(text.replace("must he satisfied", "must be satisfied"), encoding="utf-8")
    res = run(runner, "ingest", "--archive", archive, doc)
    assert "updated 1" in res.stderr
    (record,) = jsonl(run(runner, "list", "--archive", archive, "--format", "jsonl").stdout)
    assert "must be satisfied" in record["text"]
    revs = json.loads(
        run(
            runner, "show", "--archive", archive, record["id"], "--revisions", "--format", "json"
        ).stdout
    )
    assert [r["revision"] for r in revs] == [1, 2]
    assert "must he satisfied" in revs[0]["record"]["text"]
    assert revs[1]["replaced_at"] is None
    table = run(runner, "show", "--archive", archive, record["id"], "--revisions")
    assert "current" in table.stdout


def test_list_filters(runner, archive):
    run(runner, "ingest", "--archive", archive, SOURCES)
    bib = jsonl(
        run(runner, "list", "--archive", archive, "--kind", "bib", "--format", "jsonl").stdout
    )
    assert [r["kind"] for r in bib] == ["bibliographic-record"]
    y = jsonl(
        run(runner, "list", "--archive", archive, "--year", "1942", "--format", "jsonl").stdout
    )
    assert y and all(r["date"].startswith("1942") for r in y)
    assert (
        len(jsonl(run(runner, "list", "--archive", archive, "--limit", "2", "-f", "jsonl").stdout))
        == 2
    )


def test_empty_results_are_still_valid_output(runner, archive):
    run(runner, "ingest", "--archive", archive, SEED_FRUS)
    res = run(runner, "export", "--archive", archive, "--format", "json", "--year", "1800")
    assert json.loads(res.stdout) == []
    res = run(runner, "export", "--archive", archive, "--format", "csv", "--year", "1800")
    assert res.stdout.startswith("id,kind,title")


def test_export_to_a_file(runner, archive, tmp_path):
    run(runner, "ingest", "--archive", archive, SOURCES)
    out = tmp_path / "out.csv"
    res = run(runner, "export", "--archive", archive, "--format", "csv", "--output", out)
    assert res.exit_code == 0 and res.stdout == ""
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == len(list(SOURCES.glob("*.txt")))


def test_show_unknown_id_and_missing_archive(runner, archive, tmp_path):
    run(runner, "ingest", "--archive", archive, SEED_FRUS)
    res = run(runner, "show", "--archive", archive, "frus-000000000000")
    assert res.exit_code == 1 and "no record" in res.stderr and "Traceback" not in res.stderr
    res = run(runner, "list", "--archive", tmp_path / "none.sqlite")
    assert res.exit_code == 1 and "no archive" in res.stderr


@pytest.mark.sqlite_only
def test_archive_from_environment(runner, archive, monkeypatch):
    monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", str(archive))
    assert run(runner, "ingest", SEED_FRUS).exit_code == 0
    assert archive.exists()
    assert len(jsonl(run(runner, "list", "--format", "jsonl").stdout)) == 1


def test_a_file_that_is_not_an_archive(runner, tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("not a database at all" * 100)
    res = run(runner, "list", "--archive", bogus)
    assert res.exit_code == 1 and "not an archive" in res.stderr


# -- validate and schema ------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_validate_reports_and_stores_nothing(runner, tmp_path, archive):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = run(
        runner,
        "validate",
        "--format",
        "json",
        SEED_FRUS,
        CEEOL_DIR / "article-201638-soviet-policy-detant.txt",
        bad,
    )
    assert res.exit_code == 1
    rows = json.loads(res.stdout)
    assert [r["valid"] for r in rows] == [True, True, False]
    warnings = [i for i in rows[1]["issues"] if i["severity"] == "warning"]
    assert any("page_count" in w["message"] for w in warnings)
    text = run(runner, "validate", SEED_FRUS)
    assert text.exit_code == 0 and "ok" in text.stdout
    assert not archive.exists()


def test_schema_prints_valid_json_schemas(runner):
    res = run(runner, "schema")
    assert res.exit_code == 0
    assert set(json.loads(res.stdout)) == {"frus-document", "bibliographic-record"}
    one = json.loads(run(runner, "schema", "frus-document").stdout)
    assert one["$schema"].endswith("2020-12/schema")


# -- machine output never mixes with talk -------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_stdout_is_pure_data(runner, archive, fmt, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    res = run(runner, "extract", "--format", fmt, SEED_FRUS, bad)
    assert "empty file" in res.stderr and "empty file" not in res.stdout
    if fmt == "json":
        assert len(json.loads(res.stdout)) == 1
    elif fmt == "jsonl":
        assert len(jsonl(res.stdout)) == 1
    else:
        assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == 1
    run(runner, "ingest", "--archive", archive, SEED_FRUS)
    res = run(runner, "list", "--archive", archive, "--format", fmt)
    assert res.stderr == ""


# -- help ---------------------------------------------------------------------------------

COMMANDS = ["ingest", "validate", "extract", "show", "list", "export", "schema"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_ending_with_an_example(runner, command):
    res = run(runner, command, "--help")
    assert res.exit_code == 0
    assert "Example:" in res.stdout
    assert f"archivetool {command}" in res.stdout.split("Example:")[1]


def test_a_source_line_without_a_heading_is_one_clear_line(runner, tmp_path):
    bad = tmp_path / "cut.txt"
    bad.write_text("837.61351/4454: Telegram\n", encoding="utf-8")
    res = run(runner, "extract", bad, SEED_FRUS)
    assert res.exit_code == 1
    assert "no heading" in res.stderr and len(json.loads(res.stdout)) == 1


def test_a_bug_in_one_input_costs_that_input_only(runner, tmp_path, monkeypatch):
    from archivetool import pipeline

    real = pipeline.PARSERS["bibliographic-record"]

    def broken(text):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(pipeline.PARSERS, "bibliographic-record", broken)
    res = run(runner, "extract", "--format", "jsonl", SEED_CEEOL, SEED_FRUS)
    assert res.exit_code == 1
    assert "RuntimeError: simulated bug" in res.stderr and "Traceback" not in res.stderr
    assert [r["kind"] for r in jsonl(res.stdout)] == ["frus-document"]
    monkeypatch.setitem(pipeline.PARSERS, "bibliographic-record", real)


def test_ingest_report_as_json_for_scripts(runner, archive, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = run(runner, "ingest", "--archive", archive, "--format", "json", SEED_FRUS, bad)
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert (report["ingested"], report["failed"]) == (1, 1)
    assert report["failures"][0]["path"] == str(bad)


def test_export_to_a_file_is_all_or_nothing(runner, archive, tmp_path, monkeypatch):
    from archivetool.exporters import jsonfmt

    run(runner, "ingest", "--archive", archive, SEED_FRUS)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")

    def failing(records, stream):
        stream.write("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(
        __import__("archivetool.exporters", fromlist=["EXPORTERS"]).EXPORTERS, "jsonl", failing
    )
    res = run(runner, "export", "--archive", archive, "--output", out)
    assert res.exit_code == 1
    assert (
        "cannot write (No space left on device)" in res.stderr
        and "internal error" not in res.stderr
    )
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert not list(tmp_path.glob(".*.partial"))
    assert jsonfmt.write_jsonl  # the real writer is untouched


def test_the_cli_names_the_kinds_as_the_sources_do():
    from archivetool.cli import KIND_OF
    from archivetool.sources import KINDS

    assert sorted(KIND_OF.values()) == sorted(KINDS)


def test_version_and_help_load_no_parser():
    """--version and --help start fast: they import neither the parsers, the schemas nor rich."""
    import subprocess
    import sys

    code = (
        "import sys; from archivetool.cli import app\n"
        "heavy = [m for m in ('archivetool.formats', 'archivetool.pipeline', 'jsonschema',"
        " 'lxml', 'rich', 'archivetool.store') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
