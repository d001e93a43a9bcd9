"""The register everywhere a person is named: who, search by person, persons --register,
show, cite --full-names, stats, the CSV ids and the correspondence network."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from archivetool.cli import app
from conftest import FRUS_DIR, SEED_FRUS

# real copies: Hull to Haiti and Cuba, White and Braden back, Welles, Winant (undated)
DOCS = [FRUS_DIR / f"{n}.txt" for n in ("frus1942v05_d261", "frus1942v05_d262",
        "frus1943v06_d190", "frus1943v06_d194", "frus1942v05_d259", "frus1930v01_d263",
        "frus1930v01_d266")] + [SEED_FRUS]  # fmt: skip


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("who") / "a.sqlite"
    res = run("-q", "ingest", "--archive", path, *DOCS)
    assert res.exit_code == 0, res.stderr
    return path


# --- who ----------------------------------------------------------------------------------


def test_who_was_secretary_of_state():
    res = run("who", "Secretary of State", "--date", "1943-05-10", "--format", "json")
    assert res.exit_code == 0
    (holder,) = json.loads(res.stdout)["holders"]
    assert (holder["id"], holder["name"]) == ("hull-cordell", "Cordell Hull")


def test_who_was_minister_in_honduras_as_a_table():
    res = run("who", "Minister in Honduras", "--date", "1930-10-11")
    assert res.exit_code == 0 and "Julius Gareche Lay" in res.stdout


def test_who_without_a_date_lists_every_holder():
    holders = json.loads(run("who", "Secretary of State", "-f", "json").stdout)["holders"]
    assert len(holders) > 70 and holders[0]["id"] == "jefferson-thomas"


def test_who_for_an_office_the_register_lacks_says_why_on_stderr():
    res = run("who", "President", "--date", "1943-05-10")
    assert res.exit_code == 1 and res.stdout == "" and "not an office" in res.stderr


@pytest.mark.parametrize("args", [["Secretary of State", "--date", "1943-13-01"],
                                  ["Secretary of State", "--date", "May 1943"], [" "]])  # fmt: skip
def test_who_with_bad_input_is_a_usage_error_without_traceback(args):
    res = run("who", *args)
    assert res.exit_code == 2 and "Traceback" not in res.stderr and res.stderr.startswith("error:")


# --- the archive --------------------------------------------------------------------------


def test_search_by_sender_finds_a_heading_that_names_only_the_office(archive):
    res = run("search", "Haitian", "--sender", "hull", "--archive", archive, "--format", "jsonl")
    hits = [json.loads(line) for line in res.stdout.splitlines()]
    assert [h["title"] for h in hits] == ["The Secretary of State to the Minister in Haiti (White)"]
    res = run("search", "Department", "--recipient", "braden", "--archive", archive, "-f", "jsonl")
    assert any("Cuba (Braden)" in json.loads(line)["title"] for line in res.stdout.splitlines())


def test_persons_register_lists_people_with_offices_and_documents(archive):
    res = run("persons", "--register", "--archive", archive, "--format", "json")
    people = {p["id"]: p for p in json.loads(res.stdout)}
    hull = people["hull-cordell"]
    assert hull["offices"][0]["office"] == "Secretary of State"
    assert len(hull["sent"]) == 2 and len(hull["received"]) == 2
    assert "white-john-campbell" in people and "winant-john-gilbert" in people
    res = run("persons", "--register", "--search", "braden", "--archive", archive)
    assert "Spruille Braden" in res.stdout and "Cordell Hull" not in res.stdout


def test_show_and_cite_print_full_names(archive):
    rid = json.loads(run("list", "--archive", archive, "-f", "json").stdout)
    haiti = next(r["id"] for r in rid if r["title"].endswith("Minister in Haiti (White)"))
    shown = run("show", haiti, "--archive", archive)
    assert "Cordell Hull" in shown.stdout and "John Campbell White" in shown.stdout
    cited = run("cite", haiti, "--full-names", "--archive", archive).stdout
    assert cited.startswith(
        "The Secretary of State (Cordell Hull) to the Minister in Haiti (John Campbell White),"
    )
    assert run("cite", haiti, "--archive", archive).stdout.startswith(
        "The Secretary of State to the Minister in Haiti (White),"
    )


def test_stats_count_by_person(archive):
    stats = json.loads(run("stats", "--archive", archive, "-f", "json").stdout)
    assert {"value": "Cordell Hull", "count": 2} in stats["recipient_persons"]


def test_csv_export_carries_the_register_ids(archive):
    rows = list(
        csv.DictReader(io.StringIO(run("export", "-f", "csv", "--archive", archive).stdout))
    )
    winant = next(r for r in rows if r["sender_name"] == "Winant")
    assert winant["sender_person_id"] == "winant-john-gilbert"
    assert winant["sender_person"] == "John Gilbert Winant" and winant["recipient_person_id"] == ""


# --- the network --------------------------------------------------------------------------


def test_graphml_is_read_back_by_networkx(archive, tmp_path):
    out = tmp_path / "net.graphml"
    res = run("export", "--format", "graphml", "--output", out, "--archive", archive)
    assert res.exit_code == 0, res.stderr
    g = nx.read_graphml(out)
    assert g.is_directed()
    edge = g.edges["person:hull-cordell", "person:white-john-campbell"]
    assert (edge["count"], edge["first"], edge["last"]) == (1, "1942-06-04", "1942-06-04")
    assert g.nodes["person:hull-cordell"]["label"] == "Cordell Hull"
    # by office where nobody was identified: the undated telegram to the Secretary
    assert g.has_edge("person:winant-john-gilbert", "office:Secretary of State")
    # the Acting Secretary of 1930 is an office, not a person
    assert g.nodes["office:Acting Secretary of State"]["kind"] == "office"


def test_edges_csv_counts_and_dates(archive):
    res = run("export", "--format", "edges-csv", "--archive", archive)
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    hull_to = [r for r in rows if r["source"] == "person:hull-cordell"]
    assert {r["target_label"] for r in hull_to} == {"John Campbell White", "Spruille Braden"}
    assert all(r["count"] == "1" and r["first"] == r["last"] for r in hull_to)


def test_an_empty_archive_gives_an_empty_graph(tmp_path):
    path = tmp_path / "empty.sqlite"
    run("-q", "ingest", "--archive", path, FRUS_DIR.parent / "ceeol")
    g = nx.read_graphml(io.StringIO(run("export", "-f", "graphml", "--archive", path).stdout))
    assert g.number_of_nodes() == 0


# --- nothing stored or asked can attack the reader ------------------------------------------

HOSTILE = {"kind": "frus-document", "id": "frus-000000000001", "date": "1943-05-10",
           "sender": {"name": None, "role": "=HYPERLINK(\"http://evil.example\")\x1b]0;pwned\x07"},
           "recipient": {"name": None, "role": "Secretary of State\u202e",
                         "person": {"id": "hull-cordell", "name": "Cordell Hull",
                                    "office": "Secretary of State", "how": "office+date"}}}  # fmt: skip


def test_the_network_formats_stay_valid_with_control_characters_and_formulas():
    from archivetool.exporters import get_exporter

    out = io.StringIO()
    get_exporter("graphml")([HOSTILE], out)
    g = nx.read_graphml(io.StringIO(out.getvalue()))
    assert g.number_of_edges() == 1 and "\x1b" not in out.getvalue()
    out = io.StringIO()
    get_exporter("edges-csv")([HOSTILE], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["source"].startswith("office:=") and row["source_label"].startswith("'=")
    out = io.StringIO()
    get_exporter("edges-csv", raw_csv=True)([HOSTILE], out)
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["source_label"].startswith("=")


def test_who_shows_an_office_with_escapes_escaped():
    res = run("who", "Minister in \x1b]0;pwned\x07Honduras", "--date", "1930-10-11")
    assert res.exit_code == 1 and "\x1b" not in res.stderr and "\\x1b" in res.stderr


def test_show_says_why_a_party_was_not_identified(tmp_path):
    # 1881-12-16: James G. Blaine was still Secretary, Walker Blaine Third Assistant Secretary
    path = tmp_path / "a.sqlite"
    run("-q", "ingest", "--archive", path, FRUS_DIR / "frus1882_d70.txt")
    res = run("show", "frus-", "--archive", path)
    assert "not identified: James Gillespie Blaine and Walker Blaine" in " ".join(
        res.stdout.split()
    )
