"""Cross-references followed through the archive, and the people footnotes identify."""

from __future__ import annotations

import json
import sqlite3

from archivetool.cli import app
from archivetool.crossref import party_fits, people, resolve
from archivetool.ingest import ingest
from archivetool.store import MIGRATIONS, Archive
from conftest import FRUS_DIR, SEED_FRUS

LONDON = (
    "740.0011 European War 1939/30001: Telegram\n\n"
    "The Ambassador in the United Kingdom (Winant) to the Secretary of State\n\n"
    "London, July 15, 1943—9 p.m.\n[Received July 15—6:10 p.m.]\n\n"
    "3272. Eden told me this afternoon that the Cabinet had agreed.\n\nWinant\n"
)
WASHINGTON = (
    "740.0011 European War 1939/30002: Telegram\n\n"
    "The Secretary of State to the Ambassador in the United Kingdom (Winant)\n\n"
    "Washington, July 17, 1943—8 p.m.\n\n"
    "4410. Your 3272, July 15, 9 p.m. The President agrees. See also my 4400, July 16.\n\nHull\n"
)


def _pair(tmp_path, archive):
    a, b = tmp_path / "london.txt", tmp_path / "washington.txt"
    a.write_text(LONDON, encoding="utf-8")
    b.write_text(WASHINGTON, encoding="utf-8")
    store = Archive(archive)
    ingest(store, [str(a), str(b)])
    return store


def test_a_reference_resolves_to_the_stored_telegram_and_back(tmp_path, archive, runner):
    store = _pair(tmp_path, archive)
    records = {r["serial_number"]: r for r in store.iter_records()}
    out = list(resolve(store, records["4410"]))
    assert [r["text"] for r in out] == ["Your 3272, July 15, 9 p.m.", "my 4400, July 16"]
    assert [m["id"] for m in out[0]["resolves_to"]] == [records["3272"]["id"]]
    assert out[1]["resolves_to"] == []
    store.close()
    res = runner.invoke(
        app, ["refs", "--archive", str(archive), records["3272"]["id"], "--format", "json"]
    )
    assert res.exit_code == 0
    payload = json.loads(res.stdout)
    assert payload["references"] == []
    assert [c["id"] for c in payload["cited_by"]] == [records["4410"]["id"]]
    table = runner.invoke(app, ["refs", "--archive", str(archive), records["4410"]["id"]])
    assert records["3272"]["id"] in table.stdout


def test_the_direction_must_fit():
    citing = {
        "sender": {"name": None, "role": "Secretary of State"},
        "recipient": {
            "name": "Winant",
            "role": "Ambassador in the United Kingdom",
            "post": "United Kingdom",
        },
    }
    from_london = {
        "sender": {
            "name": "Winant",
            "role": "Ambassador in the United Kingdom",
            "post": "United Kingdom",
        }
    }
    from_moscow = {
        "sender": {
            "name": "Harriman",
            "role": "Ambassador in the Soviet Union",
            "post": "Soviet Union",
        }
    }
    assert party_fits({"party": "your"}, citing, from_london)
    assert not party_fits({"party": "your"}, citing, from_moscow)
    assert party_fits(
        {"party": "my"}, citing, {"sender": {"name": None, "role": "Secretary of State"}}
    )
    assert not party_fits({"party": "Department"}, citing, from_london)
    assert party_fits({"party": "Ambassador Harriman"}, citing, from_moscow)


def test_same_number_other_date_does_not_resolve(tmp_path, archive):
    store = _pair(tmp_path, archive)
    other = tmp_path / "other.txt"
    other.write_text(
        WASHINGTON.replace("July 15, 9 p.m.", "June 2, 9 p.m.").replace("4410.", "4411."),
        encoding="utf-8",
    )
    ingest(store, [str(other)])
    rec = next(r for r in store.iter_records() if r["serial_number"] == "4411")
    assert next(resolve(store, rec))["resolves_to"] == []


def test_dev_corpus_resolves_real_references(archive):
    with Archive(archive) as store:
        ingest(store, [str(FRUS_DIR)])
        resolved = [(r["id"], ref["text"]) for r in store.iter_records()
                    for ref in resolve(store, r) if ref["resolves_to"]]  # fmt: skip
    assert len(resolved) >= 5
    assert any("Department’s telegram No. 61, October 11" in text for _, text in resolved)


def test_the_seed_telegrams_three_persons(archive):
    with Archive(archive) as store:
        ingest(store, [str(SEED_FRUS)])
        record = next(store.iter_records())
        assert [(p["name"], p["description"], p["footnote"]) for p in record["persons"]] == [
            ("Sir Orme Sargent", "British Deputy Under Secretary of State.", "50"),
            (
                "Colonel Bailey",
                "British liaison officer with General Mihailović in Yugoslavia.",
                "51",
            ),
            (
                "General Nedić",
                "Gen. Milan Nedić Yugoslav officer, Premier of a puppet regime set up by Germany in Serbia.",
                "52",
            ),
        ]
        assert [p["name"] for p in people(store, "nedic")] == ["General Nedić"]
        assert [p["name"] for p in people(store, "NEDIĆ")] == ["General Nedić"]
        assert people(store, "Недић")[0]["name"] == "General Nedić"


def test_an_office_and_a_note_naming_its_holder(archive):
    with Archive(archive) as store:
        ingest(store, [str(FRUS_DIR / "frus1942v05_d255.txt")])
        (p,) = people(store, "welles")
        assert (p["name"], p["descriptions"]) == ("Sumner Welles", ["Under Secretary"])


def test_notes_about_documents_are_not_persons(archive):
    with Archive(archive) as store:
        ingest(store, [str(FRUS_DIR)])
        names = {p["name"] for p in people(store)}
    assert names and not any(n in names for n in ("Russia", "Soviet Ambassador", "Foreign Office"))


def test_persons_command(archive, runner):
    runner.invoke(app, ["ingest", "--archive", str(archive), str(SEED_FRUS)])
    res = runner.invoke(app, ["persons", "--archive", str(archive), "--search", "sargent"])
    assert res.exit_code == 0 and "Sir Orme Sargent" in res.stdout
    res = runner.invoke(app, ["persons", "--archive", str(archive), "--format", "json"])
    assert len(json.loads(res.stdout)) == 3


def test_migrations_fill_archives_made_by_the_first_version(archive):
    """An archive of schema 1 gets references, persons and the search index on opening."""
    from archivetool.sources import decode_source
    from archivetool.store import _statements
    from conftest import record_from_source

    record = record_from_source(decode_source(str(SEED_FRUS), SEED_FRUS.read_bytes()))
    stripped = {k: v for k, v in record.items() if k not in ("references", "persons")}
    db = sqlite3.connect(archive)
    for statement in _statements(MIGRATIONS[0]):
        db.execute(statement)
    db.execute(
        "INSERT INTO records (id, kind, sha256, path, title, data, ingested_at, updated_at) "
        "VALUES (?, 'frus-document', ?, ?, ?, ?, 'then', 'then')",
        (
            record["id"],
            record["source"]["sha256"],
            str(SEED_FRUS),
            record["title"],
            json.dumps(stripped),
        ),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Archive(archive) as store:
        assert store.schema_version == len(MIGRATIONS)
        again = next(store.iter_records())
        assert len(again["references"]) == 4 and len(again["persons"]) == 3
        assert [p["name"] for p in people(store, "bailey")] == ["Colonel Bailey"]
        from archivetool.search import search

        assert [h["id"] for h in search(store, "Sargent")] == [record["id"]]
