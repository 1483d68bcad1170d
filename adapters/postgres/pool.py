"""The one connection pool of a process, shared by every tenant's event store and views."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

APPLICATION_NAME = "kaoping"


def _configure(conn: psycopg.Connection[Any]) -> None:
    # The event store expects autocommit connections; our own writes open transactions.
    conn.autocommit = True
    conn.execute("SET idle_in_transaction_session_timeout = '30s'")


def make_pool(
    conninfo: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    application_name: str = APPLICATION_NAME,
) -> ConnectionPool[Any]:
    pool: ConnectionPool[Any] = ConnectionPool(
        conninfo,
        kwargs={"row_factory": dict_row, "application_name": application_name},
        min_size=min_size,
        max_size=max_size,
        open=False,
        configure=_configure,
        timeout=3.0,  # a request waits at most this for a connection, then answers 503
        name="kaoping",
    )
    pool.open(wait=True, timeout=30.0)
    return pool
