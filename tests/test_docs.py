"""The README, --help and .ci/run must agree; a drift fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archivetool.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _help(*args: str) -> str:
    res = CliRunner().invoke(app, [*args, "--help"])
    assert res.exit_code == 0
    return res.stdout


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```(?:sh|console)?\n(.*?)```", text, re.DOTALL)


def test_ci_runs_the_readme_test_command():
    blocks = _code_blocks(README)
    test_cmd = next(b.strip() for b in blocks if "pytest" in b)
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_setup_command_ingests_the_bundled_sources():
    setup = next(b.strip() for b in _code_blocks(README) if "ingest sources/" in b)
    assert "pip install" in setup and "archivetool list" in setup


def _readme_command_rows() -> list[tuple[str, str]]:
    rows = re.findall(r"^\| `archivetool (\w+)([^`]*)` \|", README, re.MULTILINE)
    assert rows, "the README's command table is missing"
    return rows


def test_readme_lists_exactly_the_commands_the_tool_has():
    listed = {name for name, _ in _readme_command_rows()}
    shown = set(re.findall(r"^  (\w+)\s{2,}", _help().split("Commands:")[1], re.MULTILINE))
    assert listed == shown


@pytest.mark.parametrize("name,usage", _readme_command_rows())
def test_readme_options_exist_in_help(name, usage):
    help_text = _help(name)
    for option in re.findall(r"--[a-z-]+", usage):
        assert option in help_text, f"README names {option} for {name}; --help does not"
    for value in re.findall(r"\[--format ([a-z|\\]+)\]", usage):
        for choice in value.replace("\\", "").split("|"):
            assert choice in help_text, f"{name} --format {choice} is in the README only"


def test_global_options_in_readme_exist():
    top = _help()
    for option in (
        "--quiet", "--verbose", "--archive", "--debug", "--version", "--install-completion",
        "--show-completion",
    ):  # fmt: skip
        assert option in top and option in README


def test_default_archive_is_documented_as_implemented():
    from archivetool.settings import ARCHIVE_ENV, DEFAULT_ARCHIVE

    assert ARCHIVE_ENV in README and f"./{DEFAULT_ARCHIVE}" in README


@pytest.mark.parametrize("kind", ["frus-document", "bibliographic-record"])
def test_readme_names_every_field_of_the_schemas(kind):
    from archivetool.validate import load_schema

    fields = set(load_schema(kind)["properties"]) - {"kind", "id", "source", "text", "warnings"}
    missing = sorted(f for f in fields if f"`{f}`" not in README)
    assert missing == [], f"README does not describe {missing}"


def test_readme_documents_every_exit_code():
    from archivetool.errors import ExitCode

    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", README, re.MULTILINE))
    assert sorted(int(k) for k in table) == sorted(int(c) for c in ExitCode)
    ingest_help = " ".join(_help("ingest").split())
    for code in ExitCode:
        if code >= 3:
            assert f" {int(code)} " in ingest_help, f"ingest --help does not name exit {int(code)}"


# options every reading command shares, described once in the README rather than per row
SHARED_OPTIONS = {"--help", "--archive", "--quiet", "--verbose", "--jobs"}


@pytest.mark.parametrize("name,usage", _readme_command_rows())
def test_every_option_in_help_is_in_the_readme(name, usage):
    """The reverse of the test above: an option added to a command and not to the README's
    row, or a --format choice the row does not list, is drift too."""
    help_text = _help(name)
    options = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.MULTILINE))
    missing = sorted(options - SHARED_OPTIONS - set(re.findall(r"--[a-z-]+", usage)))
    assert missing == [], f"{name} --help has {missing}; the README's row does not"
    shown = re.findall(r"--format \[([a-z|-]+)\]", help_text)
    listed = re.findall(r"\[--format ([a-z|\\-]+)\]", usage)
    if shown:
        assert [c.replace("\\", "") for c in listed] == shown, name


def test_readme_documents_the_shared_options():
    for option in SHARED_OPTIONS - {"--help"}:
        assert f"`{option}" in README, option


def test_readme_ingest_examples_are_what_ingest_prints(tmp_path, monkeypatch):
    """The summary line, the -v warning line and the JSON report's shape, as the README
    shows them for the bundled sources."""
    import json

    monkeypatch.chdir(ROOT)  # the README's paths are relative: sources/...
    archive = str(tmp_path / "a.sqlite")
    first = CliRunner().invoke(app, ["ingest", "-v", "--archive", archive, "sources/"])
    assert first.exit_code == 0, first.stderr
    summary = first.stderr.splitlines()[-1]
    shown = re.findall(r"^\$ archivetool ingest (?:-v )?sources/\n(?:.*\n)*?(ingested .*)$",
                       README, re.MULTILINE)  # fmt: skip
    assert shown and all(line == summary for line in shown), (shown, summary)
    warning = re.search(r"^\$ archivetool ingest -v sources/\n(warning: .*)$", README, re.M)
    assert warning and warning.group(1) in first.stderr.splitlines()
    again = CliRunner().invoke(app, ["ingest", "--archive", archive, "-f", "json", "sources/"])
    files = json.loads(again.stdout)["files"]
    got = [{"id": f["id"], "outcome": f["outcome"], "n": len(f["warnings"])}
           for f in files if f["warnings"]][:2]  # fmt: skip
    block = README.split("select(.warnings != [])")[1].split("```")[0]
    expected = [json.loads(x) for x in block.splitlines()[1:] if x.startswith("{")]
    assert got == expected
