"""Search on PostgreSQL with the SQLite index's semantics: the reader's query translated
into a tsquery, the folded text into a tsvector, and the same query set run on both
backends over the same records.

What is compared: for every query (with and without filters) the *set* of hits is the same
and each hit's snippet and highlights are the same; the order is each engine's own (bm25 in
FTS5, ts_rank_cd on the server), so it is compared loosely: on average over the queries at
least 80% of the ten best hits are the same (91% when this was written).
"""

from __future__ import annotations

import pytest

from archivetool.ingest import ingest
from archivetool.search import SearchFilters, parse_query, search
from archivetool.store import open_archive
from archivetool.store.pgsearch import QuerySyntaxError, to_tsquery, tsvector_literal
from conftest import CEEOL_DIR, FRUS_DIR, SOURCES


@pytest.mark.parametrize(
    ("query", "tsquery"),
    [
        ("Mihailović", "'mihailovic':*"),  # a name: word beginnings
        ("treaty", "'treaty'"),  # a lower-case word: whole words
        ('"civil war"', "('civil' <-> 'war')"),
        ("Partisan*", "'partisan':*"),
        ("Tito AND Stalin", "('tito':* & 'stalin':*)"),
        ("Tito Stalin", "('tito':* & 'stalin':*)"),
        ("Tito OR Stalin", "('tito':* | 'stalin':*)"),
        ("Tito NOT Churchill", "('tito':* & !'churchill':*)"),
        ("(Tito OR Stalin) AND Moscow", "((('tito':* | 'stalin':*)) & 'moscow':*)"),
        ("war OR peace NOT treaty", "('war' | ('peace' & !'treaty'))"),  # NOT binds closest
        ("a OR b AND c", "('a' | ('b' & 'c'))"),  # then AND, then OR
        ("Стаљином", "'staljinom':*"),
        ("860H.01/478", "('860h' <-> '01' <-> '478')"),
        ("Anglo-Soviet*", "('anglo' <-> 'soviet':*)"),
    ],
)
def test_a_readers_query_becomes_a_tsquery(query, tsquery):
    assert to_tsquery(parse_query(query).fts) == tsquery.replace("staljinom", _fold("Стаљином"))


def _fold(text):
    from archivetool.folding import fold

    return fold(text)


@pytest.mark.parametrize("match", ['"a" AND', '("a"', '"a" )', "AND", 'x "a"', ""])
def test_a_match_string_outside_the_subset_is_refused(match):
    with pytest.raises(QuerySyntaxError):
        to_tsquery(match)


def test_the_tsvector_keeps_positions_weights_and_column_gaps():
    # title, body, notes, parties, extra; positions: title, parties, extra, notes, body
    vector = tsvector_literal(("the treaty", "war and the treaty", "", "welles", "711_00"))
    assert vector == ("'the':1A,12 'treaty':2A,13 'welles':4B '711':6C '00':7C 'war':10 'and':11")


QUERIES = [
    "Secretary", "telegram", "Tito OR Stalin", "Mihailovic", '"civil war"', "Partisan*",
    "Belgrade", "government AND minister", "Embassy NOT Moscow", "Department", "1943",
    "treaty", "war", "oil", "President", "(Tito OR Stalin) AND Moscow", "Стаљином",
    '"Secretary of State"', "Djordjevic", "the", "860H*", "Staljin",
]  # fmt: skip
FILTERS = [
    SearchFilters(limit=1000),
    SearchFilters(limit=1000, kind="frus-document", date_from="1940", date_to="1950-06"),
    SearchFilters(limit=1000, sender="secretary"),
    SearchFilters(limit=1000, recipient="secretary of state"),
    SearchFilters(limit=1000, file_number="860H"),
    SearchFilters(limit=1000, kind="bibliographic-record", language="serbian"),
    SearchFilters(limit=1000, author="popovic"),
]


@pytest.fixture(scope="module")
def both(pg_cluster, tmp_path_factory):
    from conftest import _admin, _database

    name = _database(pg_cluster, "archivetool_template")
    inputs = [str(SOURCES), str(FRUS_DIR), str(CEEOL_DIR)]
    sqlite = tmp_path_factory.mktemp("both") / "a.sqlite"
    opened = []
    for location in (sqlite, pg_cluster.url(name)):
        a = open_archive(location)
        ingest(a, inputs)
        opened.append(a)
    yield opened
    for a in opened:
        a.close()
    _admin(pg_cluster, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f).replace("SearchFilters", ""))
def test_the_same_queries_find_the_same_records_on_both_backends(both, filters):
    sqlite, pg = both
    found_any = False
    for query in QUERIES:
        a = {h["id"]: (h["snippet"], h["highlights"]) for h in search(sqlite, query, filters)}
        b = {h["id"]: (h["snippet"], h["highlights"]) for h in search(pg, query, filters)}
        assert a == b, query
        found_any = found_any or bool(a)
    assert found_any


def test_the_ranking_is_close_to_bm25s(both):
    sqlite, pg = both
    overlaps = []
    for query in QUERIES:
        a = [h["id"] for h in search(sqlite, query, SearchFilters(limit=10))]
        b = [h["id"] for h in search(pg, query, SearchFilters(limit=10))]
        assert len(a) == len(b), query
        if a:
            overlaps.append(len(set(a) & set(b)) / len(a))
    assert sum(overlaps) / len(overlaps) >= 0.8, overlaps


def test_paging_on_the_server_pages_its_own_order(both):
    _, pg = both
    whole = [h["id"] for h in search(pg, "Secretary", SearchFilters(limit=30))]
    pages = [h["id"] for n in range(3)
             for h in search(pg, "Secretary", SearchFilters(limit=10, offset=10 * n))]  # fmt: skip
    assert pages == whole and len(whole) == 30
