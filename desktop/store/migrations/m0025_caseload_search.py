"""The caseload search's trigram index (issue 22, item 4): ``caseload_search``.

An FTS5 index of ``caseload_index.search_text`` with the ``trigram`` tokenizer, so a search term of
three characters or more finds its candidate cases without reading every case's search text. It is
an *external content* table over ``caseload_index`` (rowid = ``seq``, the case's ``case_file``
rowid): the text is not stored twice, only the index. ``case_sensitive 1``: the text and the terms
are already casefolded in Python (:func:`desktop.store.caseload_index.fold`), so the index compares
exactly those characters (SQLite's own folding differs from ``str.casefold``). ``detail=none``
and ``columnsize=0``: no positions and no sizes, only which cases hold each trigram; a term is looked up as the AND of its trigrams and the search's
own ``instr`` test still decides (:func:`desktop.store.caseload_index.trigram_match`).

Derived like ``caseload_index``: never synced (no bookkeeping columns), never exported, built here
from ``caseload_index`` for an existing profile, and kept by the same hook in the same transaction
as the rows (:func:`desktop.store.caseload_index.rebuild`).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS

DERIVED = ("caseload_search", "caseload_search_data", "caseload_search_idx", "caseload_search_config")
"""The index and the shadow tables FTS5 makes for it (no ``_content``: the text is ``caseload_index``'s)."""


@MIGRATIONS(name="m0025_caseload_search")
def m0025_caseload_search(db: Database) -> None:
    db.execute("CREATE VIRTUAL TABLE caseload_search USING fts5(search_text, tokenize = 'trigram case_sensitive 1',"
               " content = 'caseload_index', content_rowid = 'seq', detail = 'none',"
               " columnsize = 0)")
    db.execute("INSERT INTO caseload_search(caseload_search) VALUES ('rebuild')")  # every case's text, from the index
