"""Full-text search: folding of case, diacritics and script, name prefixes, filters, syntax
errors, output formats, and the index kept in step with the records."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archivetool.cli import app
from archivetool.errors import UsageError
from archivetool.ingest import ingest
from archivetool.search import SearchFilters, parse_query, search
from archivetool.store import open_archive
from conftest import BOTH_BACKENDS, CEEOL_DIR, FRUS_DIR, SEED_CEEOL, SEED_FRUS

BACKENDS = BOTH_BACKENDS


INPUTS = [str(SEED_FRUS), str(SEED_CEEOL), str(FRUS_DIR), str(CEEOL_DIR)]


@pytest.fixture(scope="module")
def pg_ingested(pg_cluster):
    """A database with the inputs ingested once, copied for each test that needs them."""
    from conftest import _admin, _database

    name = _database(pg_cluster, "archivetool_template")
    with open_archive(pg_cluster.url(name)) as a:
        ingest(a, INPUTS)
    yield name
    _admin(pg_cluster, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def store(backend, request):
    if backend == "postgres":
        from conftest import pg_copy

        with pg_copy(request.getfixturevalue("pg_cluster"),
                     request.getfixturevalue("pg_ingested")) as url, open_archive(url) as a:  # fmt: skip
            yield a
        return
    with open_archive(request.getfixturevalue("archive")) as a:
        ingest(a, INPUTS)
        yield a


def ids(hits):
    return [h["id"] for h in hits]


def _one(store, path):
    return next(r["id"] for r in store.iter_records() if r["source"]["path"] == str(path))


def test_case_and_diacritics_are_ignored(store):
    seed = _one(store, SEED_FRUS)
    assert seed in ids(search(store, "Mihailovic"))
    assert seed in ids(search(store, "nedic"))
    assert seed in ids(search(store, "NEDIĆ"))


def test_latin_query_finds_cyrillic_titles_and_inflected_names(store, tmp_path):
    only_cyrillic = tmp_path / "cyr.txt"
    only_cyrillic.write_text(
        "Први Титов сусрет са Стаљином\nAuthor(s): Никола Поповић\nSummary/Abstract: Текст.\n"
        "- Language: Serbian\n", encoding="utf-8")  # fmt: skip
    ingest(store, [str(only_cyrillic)])
    rid = _one(store, only_cyrillic)
    assert rid in ids(search(store, "Tito"))  # Титов
    assert rid in ids(search(store, "Stalin"))  # Стаљином, 'lj' folded
    assert rid in ids(search(store, "Staljin"))
    assert rid in ids(search(store, "Тито"))  # a Cyrillic query too
    hit = next(h for h in search(store, "Stalin") if h["id"] == rid)
    assert "Стаљином" in hit["title"]  # what is shown is the original


def test_lower_case_words_match_whole_words_only(store):
    # 'tit' is no word of the corpus; as a lower-case word it must not expand to Tito
    assert search(store, "tit") == []
    assert search(store, "Tit")  # a capitalised word is a name: it matches word beginnings


def test_phrases_prefixes_and_operators(store):
    seed = _one(store, SEED_FRUS)
    assert seed in ids(search(store, '"civil war"'))
    assert seed not in ids(search(store, '"war civil"'))
    assert seed in ids(search(store, "Partisan*"))
    assert seed in ids(search(store, "Sargent AND Bailey"))
    assert seed not in ids(search(store, "Sargent NOT Bailey"))
    assert seed in ids(search(store, "Churchill OR zzzunfindable"))
    assert seed in ids(search(store, "(Churchill OR zzz) AND Attlee"))


def test_ranking_puts_title_matches_first(store):
    hits = search(store, "Uruguay")
    assert "Uruguay" in hits[0]["title"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_snippet_highlights_the_match_in_the_original_text(store):
    (hit,) = [h for h in search(store, "Nedic")]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "Nedić"


def test_filters(store):
    f = SearchFilters(kind="frus-document", date_from="1948-08-10", date_to="1948-08-31")
    hits = search(store, "Shah", f)
    assert hits and all("1948-08-10" <= h["date"] <= "1948-08-31" for h in hits)
    assert all(
        h["record"]["place"] == "Tehran"
        for h in search(store, "Shah", SearchFilters(place="tehran"))
    )
    assert all(
        h["record"]["file_number"].startswith("761")
        for h in search(store, "Shah", SearchFilters(file_number="761"))
    )
    assert all(
        "Wiley" in json.dumps(h["record"]["sender"])
        for h in search(store, "Shah", SearchFilters(sender="wiley"))
    )
    assert all(
        "Iran" in json.dumps(h["record"]["recipient"])
        for h in search(store, "Marshall", SearchFilters(recipient="embassy in iran"))
    )
    assert ids(search(store, "Stalin", SearchFilters(author="popovic"))) == [
        _one(store, SEED_CEEOL)
    ]
    assert search(store, "Stalin", SearchFilters(language="sr"))
    assert not search(store, "Stalin", SearchFilters(language="hungarian"))
    assert len(search(store, "the", SearchFilters(limit=3))) == 3
    assert all(
        h["kind"] == "bibliographic-record"
        for h in search(store, "Tito", SearchFilters(kind="bibliographic-record"))
    )


@pytest.mark.parametrize(
    "query", ['"civil war', "Tito NOT", "AND Tito", "(Tito", "Tito)", "***", ""]
)
def test_queries_the_index_cannot_read_get_a_one_line_explanation(query):
    with pytest.raises(UsageError):
        parse_query(query)


def test_query_errors_on_the_command_line(runner, store):
    res = runner.invoke(app, ["search", "--archive", store.location, '"civil war'])
    assert res.exit_code == 2
    assert "unbalanced quote" in res.stderr and "Traceback" not in res.stderr
    res = runner.invoke(app, ["search", "--archive", store.location, "Tito", "--from", "May 1943"])
    assert res.exit_code == 2 and "not a date" in res.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_output_formats(runner, store, fmt):
    res = runner.invoke(
        app, ["search", "--archive", store.location, "Stalin", "--format", fmt, "--limit", "3"]
    )
    assert res.exit_code == 0 and res.stderr == ""
    if fmt == "json":
        rows = json.loads(res.stdout)
        assert 1 <= len(rows) <= 3 and {"id", "snippet", "score", "highlights"} <= set(rows[0])
    elif fmt == "jsonl":
        assert all(json.loads(line)["id"] for line in res.stdout.splitlines())
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert rows[0]["rank"] == "1" and rows[0]["id"]
    else:
        assert "Stalin" in res.stdout


def test_no_hits_is_empty_output(runner, store):
    res = runner.invoke(
        app, ["search", "--archive", store.location, "zzzunfindable", "--format", "json"]
    )
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_the_index_follows_an_updated_record(archive, tmp_path):
    doc = tmp_path / "t.txt"
    text = SEED_FRUS.read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    with open_archive(archive) as a:
        ingest(a, [str(doc)])
        assert search(a, "Yovanovitch")
        doc.write_text(text.replace("Yovanovitch", "Jovanović"), encoding="utf-8")
        assert ingest(a, [str(doc)]).counts["updated"] == 1
        assert search(a, "Yovanovitch") == []
        assert search(a, "Jovanovic")


def test_stats(runner, store):
    res = runner.invoke(app, ["stats", "--archive", store.location, "--format", "json"])
    assert res.exit_code == 0
    stats = json.loads(res.stdout)
    assert (
        stats["records"]
        == stats["by_kind"]["frus-document"] + stats["by_kind"]["bibliographic-record"]
    )
    assert {"year": 1942, "count": 14} in stats["by_year"]
    assert stats["by_decimal_country"][0]["count"] >= 5
    assert stats["senders"] and stats["authors"] and stats["subjects"]
    table = runner.invoke(app, ["stats", "--archive", store.location])
    assert "█" in table.stdout and "by year" in table.stdout


@pytest.mark.sqlite_only
def test_a_change_of_folding_rebuilds_the_index(archive, monkeypatch):
    import archivetool.store.sqlite as store_module

    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS)])
    monkeypatch.setattr(store_module, "FOLD_VERSION", store_module.FOLD_VERSION + 1)
    with open_archive(archive) as a:
        (row,) = a.db.execute("SELECT value FROM meta WHERE key = 'fold_version'").fetchall()
        assert int(row[0]) == store_module.FOLD_VERSION
        assert search(a, "Sargent")


def test_folding_examples():
    from archivetool.folding import fold

    assert [fold(w) for w in ("Nedić", "Стаљином", "Đorđević", "Djordjevic", "Ærø", "naïve")] == [
        "nedic",
        "stalinom",
        "dordevic",
        "dordevic",
        "aero",
        "naive",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAdDjlnzZ ’ʼ'đĐðÐøØłŁßæÆœŒþÞıćčšž\u0301Стаљин.")))
def test_folding_replaces_as_the_table_translates(text):
    from archivetool.folding import _SPECIAL, _SPECIAL_PAIRS

    t = text
    for char, plain in _SPECIAL_PAIRS:
        t = t.replace(char, plain)
    assert t == text.translate(_SPECIAL)


def _walked_snippet(record, terms, width=12):
    """The snippet as a walk of every word finds it: the reference the fast path must equal."""
    from archivetool.search import _WORD, _fields, _matches

    for text in _fields(record):
        words = list(_WORD.finditer(text))
        for i, w in enumerate(words):
            if not _matches(w.group(), terms):
                continue
            lo = words[max(0, i - width // 2)].start()
            hi = words[min(len(words) - 1, i + width)].end()
            piece = " ".join(text[lo:hi].split())
            snippet = ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")
            marks = [[m.start(), m.end()] for m in _WORD.finditer(snippet)
                     if _matches(m.group(), terms)]  # fmt: skip
            return snippet, marks
    first = _fields(record)[0] or record.get("title") or ""
    return " ".join(first.split()[: width * 2]), []


@pytest.mark.parametrize("query", ["nedic", "Mihailovic", '"civil war"', "Tito", "Stalin",
                                   "Partisan*", "Staljin", "Djordjevic", "the", "Secretary",
                                   "Shah OR Iran", "Belgrade", "1943"])  # fmt: skip
def test_snippets_found_by_one_pattern_equal_a_walk_of_every_word(store, query):
    from archivetool.search import make_snippet

    terms = parse_query(query).terms
    for record in store.iter_records():
        assert make_snippet(record, terms) == _walked_snippet(record, terms), record["id"]


_PIECES = ["Nedić", "nedic", "Недић", "Tito", "Титов", "Tit", "Staljin", "Стаљином", "civil",
           "war", "warß", "ab_c", "½", "Djordjević", "Ђорђевић", "Mihailović", "Cafe\u0301",
           "Æsop", "ﬁne", "the", "1943", "Tito's", "tito_", "Titoß", "x",
           "Konstantinopolitanischen", "Nedićevoj_administraciji", "Titovoj"]  # fmt: skip
_WORDS = st.one_of(
    st.sampled_from(_PIECES),
    st.text(alphabet="nNedicćĆtTiIoOdjDJzZlLaAwr_ßйи½\u0301'", max_size=24),
)
_TEXTS = st.lists(
    st.tuples(_WORDS, st.sampled_from([" ", "\n", ", ", "—", "’", "…", "", "  "])), max_size=60
).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=400, deadline=None)
@given(
    _TEXTS,
    _TEXTS,
    st.sampled_from(["nedic", "Tito", "Staljin", '"civil war"', "Djordjevic", "ab*", "1943",
                     "Mihailovic", "the", "cafe", "Tit* AND war"]),
)  # fmt: skip
@example(text="Internationalism " * 10 + "nedic", title="", query="nedic")  # a word cut
def test_snippets_of_odd_texts_equal_a_walk_of_every_word(text, title, query):
    # the single scan (term letters and uncovered letters at once, the short look back, the
    # highlights found by the same scan) against the walk of every word it replaces
    from archivetool.search import make_snippet

    record = {"kind": "frus-document", "title": title, "text": text,
              "footnotes": [{"text": title + " " + text}]}  # fmt: skip
    terms = parse_query(query).terms
    assert make_snippet(record, terms) == _walked_snippet(record, terms)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("dDjJlLnNzZ ac")))
def test_digraphs_fold_as_the_grouped_pattern_folds(text):
    import re

    from archivetool.folding import _DIGRAPH, _first_letter

    assert _DIGRAPH.sub(_first_letter, text) == re.sub(r"([lnd])j|(d)z", r"\1\2", text)


@pytest.mark.sqlite_only  # bm25's ties, read off SQLite's rowids
def test_ties_go_by_storing_order_so_pages_never_repeat_a_hit(archive, tmp_path):
    # the same words in another order: the same bm25 score for each, by construction
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    files = []
    for i in range(6):
        doc = tmp_path / f"c{i}.txt"
        order = " ".join(words[i:] + words[:i])
        doc.write_text(f"Tied {i}\nAuthor(s): Ana Ivić\nSummary/Abstract: Kolasin {order}.\n"
                       "- Language: Serbian\n", encoding="utf-8")  # fmt: skip
        files.append(str(doc))
    with open_archive(archive) as a:
        ingest(a, files)
        whole = search(a, "Kolasin")
        assert len({h["score"] for h in whole}) == 1 and len(whole) == 6
        stored = [r for (r,) in a.db.execute("SELECT id FROM records ORDER BY rowid")]
        assert ids(whole) == stored
        paged = [
            h for k in range(6) for h in search(a, "Kolasin", SearchFilters(limit=1, offset=k))
        ]
        assert ids(paged) == ids(whole)


@pytest.mark.sqlite_only  # FTS5's segments
def test_a_bulk_ingest_leaves_the_index_in_one_segment(archive, monkeypatch):
    import importlib

    ingest_module = importlib.import_module(
        "archivetool.ingest"
    )  # the package's ingest is the function

    def segments(a):
        return a.db.execute("SELECT COUNT(DISTINCT segid) FROM records_fts_idx").fetchone()[0]

    with open_archive(archive) as a:
        # a batch a transaction, each leaving a segment of its own: merged at the end
        ingest(a, [str(FRUS_DIR)], batch_size=5)
        assert segments(a) == 1 and search(a, "Secretary")
        before = a.count()
        monkeypatch.setattr(ingest_module, "OPTIMIZE_SHARE", 2.0)  # never worth it
        ingest(a, [str(CEEOL_DIR)], batch_size=5)
        assert a.count() > before and segments(a) > 1
