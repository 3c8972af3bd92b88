"""A content digest of a database: two ingests that produced the same documents, rows and checks have the same one.

Used to prove that parsing elsewhere (a Dask cluster, another process count) changes nothing the dashboard reads.
Every base table takes part, its rows in a fixed order; timestamp columns (documents.ingested_at) are left out
because they record when, not what.
"""

from __future__ import annotations

import hashlib

import duckdb


def table_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{table: sha256 of its rows}, every base table of the main schema, rows ordered by all columns."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' "
        "ORDER BY table_name").fetchall()]
    out: dict[str, str] = {}
    for table in tables:
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
            "AND data_type NOT LIKE 'TIMESTAMP%' ORDER BY ordinal_position", [table]).fetchall()]
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
        h = hashlib.sha256(quoted.encode())
        # names come from the catalogue, not from input
        for row in con.execute(f'SELECT {quoted} FROM "{table}" ORDER BY ALL').fetchall():
            h.update(repr(row).encode())
            h.update(b"\n")
        out[table] = h.hexdigest()
    return out


def database_digest(con: duckdb.DuckDBPyConnection) -> str:
    """One sha256 over every table's digest."""
    h = hashlib.sha256()
    for table, digest in table_digests(con).items():
        h.update(f"{table}:{digest}\n".encode())
    return h.hexdigest()
