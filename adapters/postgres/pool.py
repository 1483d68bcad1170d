"""The one connection pool of a process, shared by every tenant's event store and views."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

APPLICATION_NAME = "kaoping"


class NoConnection(Exception):
    """No connection came within the pool's timeout: the database is down, or every
    connection is busy. Deliberately not a ``psycopg.OperationalError``: the event store
    retries those up to ten times, so a read would wait ~30 s for its 503 instead of 3 s."""


class FailFastPool(ConnectionPool[Any]):
    def getconn(self, timeout: float | None = None) -> Any:
        try:
            return super().getconn(timeout)
        except PoolTimeout as error:
            raise NoConnection(str(error)) from error


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
    pool: ConnectionPool[Any] = FailFastPool(
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
