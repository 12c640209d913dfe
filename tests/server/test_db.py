"""server/db.py's typed connections are what they say at run time, and a missing row is named, not a TypeError."""

from __future__ import annotations

import psycopg
import pytest

from server import db, pull


def test_pool_and_connect_give_dict_rows(db_url: str) -> None:
    pool = db.make_pool(db_url, 1, 2)
    try:
        def read(conn: db.DbConn) -> tuple[type, object]:
            return type(conn), conn.execute("SELECT 7 AS seven, 'saith' AS word").fetchone()

        kind, row = db.run_tx(pool, read)
    finally:
        pool.close()
    assert kind is psycopg.Connection  # Connection[DictRow] as the pool's class is the plain class
    assert row == {"seven": 7, "word": "saith"}
    with db.connect(db_url) as conn:
        assert conn.execute("SELECT 1 AS n").fetchall() == [{"n": 1}]


def test_one_returns_the_row_or_names_what_is_missing(db_url: str) -> None:
    with db.connect(db_url) as conn:
        assert db.one(conn.execute("SELECT count(*) AS n FROM rows"), "the row count") == {"n": 0}
        with pytest.raises(db.MissingRow, match="no row: team nobody"):
            db.one(conn.execute("SELECT id FROM teams WHERE name = 'nobody'"), "team nobody")


def test_a_missing_cursor_key_says_to_migrate(db_url: str) -> None:
    with db.connect(db_url) as conn:
        assert len(pull.cursor_key(conn)) > 0
        conn.execute("DELETE FROM server_keys WHERE name = 'cursor'")
        with pytest.raises(db.MissingRow, match="run diogel-server migrate"):
            pull.cursor_key(conn)
        conn.rollback()
