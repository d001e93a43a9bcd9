"""One command-line vocabulary: the same names for the same things on every command, results
a script can act on, exits a pipeline can rely on. Each test is a line of issue 12's list."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archivetool.cli import app
from conftest import CEEOL_DIR, FRUS_DIR, SOURCES


def run(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An archive of the bundled and test records, built once for the read-only tests."""
    from archivetool.ingest import ingest
    from archivetool.store import Archive

    path = tmp_path_factory.mktemp("vocab") / "archive.sqlite"
    with Archive(path) as store:
        ingest(store, [str(SOURCES), str(FRUS_DIR), str(CEEOL_DIR)])
    return path


def _records(archive: Path) -> list[dict]:
    res = run("export", "--archive", archive, "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


# -- stats --top --------------------------------------------------------------------------


@pytest.mark.parametrize("top", [1, 3, 10])
def test_stats_top_gives_exactly_n_senders(built, top):
    frus = [r for r in _records(built) if r["kind"] == "frus-document"]
    senders = Counter(
        (r.get("sender") or {}).get("name") or (r.get("sender") or {}).get("role")
        for r in frus
        if isinstance(r.get("sender"), dict)
    )
    senders.pop(None, None)
    senders.pop("", None)
    assert len(senders) > top  # else the test could not see a short list
    res = run("stats", "--archive", built, "--format", "json", "--top", top)
    assert res.exit_code == 0, res.stderr
    got = json.loads(res.stdout)
    assert len(got["senders"]) == top
    assert [s["count"] for s in got["senders"]] == sorted(senders.values(), reverse=True)[:top]


# -- exits a pipeline can rely on -------------------------------------------------------

COMMAND = [sys.executable, "-m", "archivetool"]


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "csv"],
        ["list"],
        ["list", "--format", "json"],
        ["show", "frus-70af"],
        ["stats"],
    ],
)
def test_a_reader_that_goes_away_is_exit_0(built, args):
    """`archivetool export | head -1`: the pipe is closed before the first write, so every
    write meets EPIPE; the command ends quietly with 0, never 1 (failed input)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [*COMMAND, *args, "--archive", str(built)], stdout=write, stderr=subprocess.PIPE
    )
    os.close(write)
    os.close(read)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and b"Broken pipe" not in err


def test_ctrl_c_during_ingest_says_so_and_exits_130(tmp_path):
    from archivetool.errors import ExitCode

    folder = tmp_path / "many"
    folder.mkdir()
    seed = (FRUS_DIR / "frus-860H.01-478-telegram.txt").read_text(encoding="utf-8")
    for i in range(3000):
        (folder / f"t{i:04}.txt").write_text(f"{seed}\ncopy {i}\n", encoding="utf-8")
    archive = tmp_path / "a.sqlite"
    proc = subprocess.Popen(
        [*COMMAND, "ingest", "--archive", str(archive), "--jobs", "2", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not archive.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED == 130
    assert "interrupted" in err and "Traceback" not in err
    assert out == ""


# -- warnings and results a person and a script can act on --------------------------------


def _stored(archive: Path) -> dict[str, dict]:
    return {r["id"]: r for r in _records(archive)}


def test_ingest_verbose_names_each_records_warnings(tmp_path):
    archive = tmp_path / "a.sqlite"
    res = run("ingest", "-v", "--archive", archive, SOURCES)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    stored = _stored(archive)
    expected = {(rid, w) for rid, r in stored.items() for w in r["warnings"]}
    assert expected, "the bundled sources carry warnings"
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(lines) == len(expected)
    for rid, warning in expected:
        path = stored[rid]["source"]["path"]
        assert any(f"{path} ({rid}):" in ln and warning in ln for ln in lines), (rid, warning)
    # without -v: the count only
    quiet = run("ingest", "--archive", archive, SOURCES)
    assert "warning: " not in quiet.stderr and f"warnings {len(expected)}" in quiet.stderr


def test_verbose_before_the_command_too(tmp_path):
    archive = tmp_path / "a.sqlite"
    res = run("-v", "ingest", "--archive", archive, SOURCES)
    assert res.exit_code == 0 and "warning: " in res.stderr
    quiet = run("-q", "-v", "ingest", "--archive", archive, SOURCES)  # -q wins
    assert quiet.stderr == ""


def test_ingest_json_report_lists_each_file(tmp_path):
    archive = tmp_path / "a.sqlite"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    inputs = sorted(SOURCES.glob("*.txt"))
    res = run("ingest", "--archive", archive, "--format", "json", bad, *inputs)
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    files = report["files"]
    assert [f["path"] for f in files] == [str(bad)] + [str(p) for p in inputs]  # input order
    assert files[0]["outcome"] == "failed" and files[0]["id"] is None and files[0]["errors"]
    stored = _stored(archive)
    for f in files[1:]:
        assert f["outcome"] == "ingested" and f["errors"] == []
        assert f["id"] in stored and stored[f["id"]]["source"]["path"] == f["path"]
        assert [w["message"] for w in f["warnings"]] == stored[f["id"]]["warnings"]
    assert sum(len(f["warnings"]) for f in files) == report["warnings"]

    again = json.loads(run("ingest", "--archive", archive, "--format", "json", *inputs).stdout)
    assert {f["outcome"] for f in again["files"]} == {"unchanged"}
    assert [f["id"] for f in again["files"]] == [f["id"] for f in files[1:]]
    # an unchanged record still names its warnings: it is what a person reviews
    assert [f["warnings"] for f in again["files"]] == [f["warnings"] for f in files[1:]]


def test_ingest_json_report_names_an_update(tmp_path):
    archive = tmp_path / "a.sqlite"
    doc = tmp_path / "telegram.txt"
    text = (FRUS_DIR / "frus-860H.01-478-telegram.txt").read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    first = json.loads(run("ingest", "--archive", archive, "-f", "json", doc).stdout)
    doc.write_text(text.replace("must he satisfied", "must be satisfied"), encoding="utf-8")
    second = json.loads(run("ingest", "--archive", archive, "-f", "json", doc).stdout)
    assert [f["outcome"] for f in first["files"]] == ["ingested"]
    assert [f["outcome"] for f in second["files"]] == ["updated"]
    assert second["files"][0]["id"] == first["files"][0]["id"]


# -- --archive before or after the command ----------------------------------------------


def test_archive_before_or_after_the_command(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./archive.sqlite: only the option can find the archive
    monkeypatch.delenv("ARCHIVETOOL_ARCHIVE", raising=False)
    after = run("list", "--format", "jsonl", "--archive", built)
    before = run("--archive", built, "list", "--format", "jsonl")
    assert after.exit_code == before.exit_code == 0
    assert before.stdout == after.stdout and before.stdout.count("\n") > 10
    # after the command wins: it is the nearer, as with -q
    other = tmp_path / "none.sqlite"
    res = run("-a", other, "list", "--archive", built, "--format", "jsonl")
    assert res.stdout == after.stdout
    missing = run("--archive", other, "list")
    assert missing.exit_code == 1 and "none.sqlite" in missing.stderr


# -- one name for the human view; one vocabulary of kinds -------------------------------

VIEW_COMMANDS = {  # command and the arguments it needs, on the built archive
    "ingest": None, "validate": None, "show": ["frus-70af"], "list": [], "search": ["Stalin"],
    "stats": [], "refs": ["frus-70af"], "persons": [], "decode": ["860H.01/478"],
    "who": ["Secretary of State", "--date", "1943-05-10"],
}  # fmt: skip


def _help(*args: str) -> str:
    res = run(*args, "--help")
    assert res.exit_code == 0
    return res.stdout


@pytest.mark.parametrize("command", sorted(VIEW_COMMANDS))
def test_the_human_view_is_called_table_everywhere(command):
    text = _help(command)
    (choices,) = re.findall(r"-f, --format \[([a-z|-]+)\]", text)
    assert choices.startswith("table|json"), choices
    assert "rich" not in choices and "text" not in choices


@pytest.mark.parametrize("command", sorted(c for c, a in VIEW_COMMANDS.items() if a is not None))
@pytest.mark.parametrize("old", ["rich", "text"])
def test_the_old_names_of_the_human_view_still_work(built, command, old):
    args = VIEW_COMMANDS[command]
    with_archive = [] if command in ("decode", "who") else ["--archive", built]
    new = run(command, *args, *with_archive, "--format", "table")
    legacy = run(command, *args, *with_archive, "--format", old)
    assert new.exit_code == legacy.exit_code == 0, legacy.stderr
    assert legacy.stdout == new.stdout and new.stdout.strip()


def test_ingest_and_validate_accept_the_old_text_name(tmp_path):
    res = run("validate", "--format", "text", SOURCES)
    assert res.exit_code == 0 and res.stdout == run("validate", SOURCES).stdout
    res = run("ingest", "--archive", tmp_path / "a.sqlite", "--format", "text", SOURCES)
    assert res.exit_code == 0 and "ingested" in res.stderr


def test_an_unknown_format_is_a_usage_error():
    res = run("stats", "--format", "yaml")
    assert res.exit_code == 2 and "'yaml' is not one of table, json" in res.stderr


@pytest.mark.parametrize("short,long", [("frus", "frus-document"), ("bib", "bibliographic-record")])
@pytest.mark.parametrize("command", [["list"], ["export"], ["search", "the OR Tito"]])
def test_kind_by_either_name(built, command, short, long):
    a = run(*command, "--archive", built, "--kind", short, "--format", "jsonl")
    b = run(*command, "--archive", built, "-k", long.upper(), "--format", "jsonl")
    assert a.exit_code == b.exit_code == 0, b.stderr
    assert a.stdout == b.stdout and a.stdout.strip()
    assert {json.loads(x)["kind"] for x in a.stdout.splitlines()} == {long}


@pytest.mark.parametrize("short,long", [("frus", "frus-document"), ("bib", "bibliographic-record")])
def test_schema_by_either_name(short, long):
    a, b = run("schema", short), run("schema", long)
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout and json.loads(a.stdout)["$id"].endswith(f"{long}.schema.json")


def test_an_unknown_kind_is_a_usage_error(built):
    res = run("list", "--archive", built, "--kind", "letters")
    assert res.exit_code == 2 and "not a kind" in res.stderr and res.stdout == ""
    res = run("schema", "letters")
    assert res.exit_code == 2 and "no such schema" in res.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_show_prints_the_record_in_each_machine_format(built, fmt):
    import csv
    import io

    res = run("show", "frus-70af", "--archive", built, "--format", fmt)
    assert res.exit_code == 0, res.stderr
    if fmt == "json":
        assert json.loads(res.stdout)["id"].startswith("frus-70af")
    elif fmt == "jsonl":
        (line,) = res.stdout.splitlines()
        assert json.loads(line)["id"].startswith("frus-70af")
    else:
        (row,) = list(csv.DictReader(io.StringIO(res.stdout)))
        assert row["id"].startswith("frus-70af") and row["file_number"] == "860H.01/478"


# -- impossible dates, the wrong kind of input -------------------------------------------


@pytest.mark.parametrize("bad", ["1943-13", "1943-02-30", "1943-00", "19430", "May 1943", "1943-5"])
@pytest.mark.parametrize("option", ["--from", "--to"])
def test_an_impossible_date_is_a_usage_error(built, option, bad):
    res = run("search", "Stalin", "--archive", built, option, bad, "--format", "jsonl")
    assert res.exit_code == 2, res.stdout
    assert "is not a date" in res.stderr and res.stdout == ""
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("good", ["1943", "1943-12", "1944-02-29"])
def test_a_real_date_is_taken(built, good):
    res = run("search", "Stalin", "--archive", built, "--from", "1900", "--to", good, "-f", "json")
    assert res.exit_code == 0, res.stderr
    assert all(h["date"] is None or h["date"][: len(good)] <= good for h in json.loads(res.stdout))


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_decode_of_what_is_no_file_key_fails(fmt):
    res = run("decode", "foo bar", "--format", fmt)
    assert res.exit_code == 1 and res.stdout == ""
    assert "'foo bar' is not a file number" in res.stderr


@pytest.mark.parametrize("key", ["Roosevelt Papers", "POL 27 VIET S", "860H.01/478"])
def test_decode_of_a_file_key_of_any_system_answers(key):
    res = run("decode", key, "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["raw" if "860H" not in key else "class"]


def test_refs_of_a_ceeol_record_fails(built):
    bib = next(r["id"] for r in _records(built) if r["kind"] == "bibliographic-record")
    res = run("refs", bib, "--archive", built)
    assert res.exit_code == 1 and res.stdout == ""
    assert "not a FRUS document" in res.stderr


# -- tables that never cut data when stdout is not a terminal ----------------------------


def test_list_to_a_file_cuts_nothing(built):
    res = run("list", "--archive", built)  # CliRunner's stdout is not a terminal
    assert res.exit_code == 0, res.stderr
    records = _records(built)
    lines = res.stdout.splitlines()
    assert len(lines) == len(records) + 2  # header, rule, a line per record
    for r in records:
        (line,) = [ln for ln in lines if ln.startswith(r["id"] + " ")]
        assert r["title"] in line, r["id"]
        if r["kind"] == "bibliographic-record":
            assert all(a["name"] in line for a in r["authors"])
        else:
            assert (r.get("file_number") or "") in line
    assert "…" not in res.stdout  # no record of the bundled and test data holds one


def test_list_at_a_narrow_terminal_still_fits_it(built):
    import io

    from rich.console import Console

    from archivetool.render import list_table
    from archivetool.store import Archive

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80, color_system=None)
    with Archive(built, create=False, readonly=True) as store:
        n = list_table(store.iter_records(), console)
    lines = out.getvalue().splitlines()
    assert n == len(lines) - 2 and max(len(x) for x in lines) <= 80
    assert "…" in out.getvalue()


# -- --limit/--offset where records are listed; --output where data is written ----------


def _ids(res) -> list[str]:
    assert res.exit_code == 0, res.stderr
    return [json.loads(line)["id"] for line in res.stdout.splitlines()]


@pytest.mark.parametrize("command", [["list"], ["export"], ["search", "the OR Tito OR Stalin"]])
def test_offset_pages_through_the_same_order(built, command):
    limit = ["--limit", "1000"] if command[0] == "search" else []
    everything = _ids(run(*command, "--archive", built, "-f", "jsonl", *limit))
    assert len(everything) > 12
    pages = [
        _ids(run(*command, "--archive", built, "-f", "jsonl", "--limit", 5, "--offset", start))
        for start in range(0, 15, 5)
    ]
    assert sum(pages, []) == everything[:15]
    tail = _ids(run(*command, "--archive", built, "-f", "jsonl", *limit, "--offset", 10))
    assert tail == everything[10:]
    past = _ids(run(*command, "--archive", built, "-f", "jsonl", "--offset", 100_000))
    assert past == []


def test_search_ranks_go_on_across_pages(built):
    import csv
    import io

    res = run("search", "the", "--archive", built, "-f", "csv", "--limit", 2, "--offset", 3)
    ranks = [row["rank"] for row in csv.DictReader(io.StringIO(res.stdout))]
    assert ranks == ["4", "5"]


def test_a_negative_offset_is_a_usage_error(built):
    res = run("list", "--archive", built, "--offset", -1)
    assert res.exit_code == 2


OUTPUT_COMMANDS = [
    ["list"], ["list", "-f", "csv"], ["show", "frus-70af"], ["show", "frus-70af", "-f", "json"],
    ["search", "Stalin"], ["search", "Stalin", "-f", "jsonl"], ["stats", "-f", "json"],
    ["stats"], ["persons"], ["refs", "frus-70af"], ["cite", "frus-70af"], ["schema", "frus"],
    ["extract", str(FRUS_DIR / "frus-860H.01-478-telegram.txt")], ["decode", "860H.01/478"],
    ["who", "Secretary of State", "-f", "csv"], ["who", "Secretary of State"],
    ["validate", str(SOURCES), "-f", "jsonl"], ["validate", str(SOURCES)],
]  # fmt: skip
NO_ARCHIVE = ("schema", "extract", "decode", "who", "validate")


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_output_writes_to_the_file_what_stdout_would_get(built, tmp_path, args):
    archive = [] if args[0] in NO_ARCHIVE else ["--archive", built]
    to_stdout = run(*args, *archive)
    target = tmp_path / "out.txt"
    to_file = run(*args, *archive, "--output", target)
    assert to_stdout.exit_code == to_file.exit_code == 0, to_file.stderr
    assert to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout != ""
    assert not list(tmp_path.glob(".*.partial"))


def test_output_is_left_alone_when_the_command_fails(built, tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before\n", encoding="utf-8")
    res = run("show", "frus-nosuch", "--archive", built, "--output", target)
    assert res.exit_code == 1
    assert target.read_text(encoding="utf-8") == "before\n"


# -- shell completion --------------------------------------------------------------------


# the console script, as a shell sees it: completion is keyed to the program's name
SCRIPT = str(Path(sys.executable).with_name("archivetool"))


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_ARCHIVETOOL_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}  # fmt: skip
    out = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_shell_completion_of_commands_options_and_values():
    assert _complete("archivetool li") == ["list"]
    assert "--offset" in _complete("archivetool list --o")
    assert _complete("archivetool list --format ") == ["table", "json", "jsonl", "csv"]
    assert _complete("archivetool export --kind ") == ["frus", "bib"]


def test_show_completion_prints_a_script():
    out = subprocess.run(
        [SCRIPT, "--show-completion", "bash"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "SHELL": "/bin/bash"},
    )  # fmt: skip
    assert out.returncode == 0 and "_ARCHIVETOOL_COMPLETE" in out.stdout


# -- json, jsonl and csv wherever rows are printed ---------------------------------------

ROW_COMMANDS = {
    "persons": (["persons"], lambda doc: doc),
    "persons --register": (["persons", "--register"], lambda doc: doc),
    "who": (["who", "Secretary of State"], lambda doc: doc["holders"]),
    "validate": (["validate", str(SOURCES)], lambda doc: doc),
}


@pytest.mark.parametrize("name", sorted(ROW_COMMANDS))
def test_rows_in_jsonl_and_csv_are_the_json_rows(built, name):
    import csv
    import io

    args, rows_of = ROW_COMMANDS[name]
    archive = ["--archive", built] if args[0] == "persons" else []
    rows = rows_of(json.loads(run(*args, *archive, "-f", "json").stdout))
    assert len(rows) > 3
    lines = run(*args, *archive, "-f", "jsonl")
    assert lines.exit_code == 0 and [json.loads(x) for x in lines.stdout.splitlines()] == rows
    table = list(csv.DictReader(io.StringIO(run(*args, *archive, "-f", "csv").stdout)))
    assert [r["name" if "name" in r else "path"] for r in table] == [
        r["name" if "name" in r else "path"] for r in rows
    ]
    for got, row in zip(table, rows, strict=True):
        for key, value in row.items():
            if isinstance(value, bool):
                assert got[key] == str(value).lower()
            elif isinstance(value, (list, dict)):
                assert json.loads(got[key]) == value
            else:
                assert got[key] == ("" if value is None else str(value))


@pytest.mark.parametrize("bad", ["1943-02-30", "1943-13-01", "1943-5-1"])
def test_who_refuses_a_day_that_does_not_exist(bad):
    res = run("who", "Secretary of State", "--date", bad)
    assert res.exit_code == 2 and "is not a date" in res.stderr and res.stdout == ""


def test_who_takes_a_leap_day():
    res = run("who", "Secretary of State", "--date", "1944-02-29", "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["holders"][0]["name"] == "Cordell Hull"


def test_ingest_report_to_a_file(tmp_path):
    target = tmp_path / "report.json"
    res = run("ingest", "--archive", tmp_path / "a.sqlite", "-f", "json", "-o", target, SOURCES)
    assert res.exit_code == 0 and res.stdout == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["ingested"] == len(report["files"]) == len(list(SOURCES.glob("*.txt")))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_show_revisions_has_no_row_form(built, fmt):
    res = run("show", "frus-70af", "--revisions", "--archive", built, "-f", fmt)
    assert res.exit_code == 2 and f"no {fmt} form" in res.stderr and res.stdout == ""
