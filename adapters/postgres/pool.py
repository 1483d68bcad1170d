"""The one connection pool of a process, shared by every tenant's event store and views.

A connection acting as a tenant's role keeps acting as it when it goes back to the pool, and
is switched only when other work takes it (ADR 0008): while one tenant is busy, its work costs
no round trip for the role. The server's own work (the catalogue, provisioning) never gets a
connection still acting as a tenant.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool, PoolTimeout

APPLICATION_NAME = "kaoping"
UNKNOWN = ""  # no role's name: reset before the server's work, set before a tenant's


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


class SharedPool(FailFastPool):
    """The process's pool, remembering which tenant role each connection acts as."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The role a connection was last set to act as, outside any transaction (so no
        # rollback can undo it). A connection that is not here acts as the server's user.
        self._acting: WeakKeyDictionary[psycopg.Connection[Any], str] = WeakKeyDictionary()
        self._acting_lock = threading.Lock()

    def getconn(self, timeout: float | None = None) -> psycopg.Connection[Any]:
        """A connection for the server's own work, acting as the server's user."""
        conn = super().getconn(timeout)
        try:
            if self._forget(conn) is not None:
                conn.execute("RESET ROLE")
        except BaseException:
            self.putconn(conn)
            raise
        return conn

    @contextmanager
    def acting_as(self, role: str, timeout: float | None = None
                  ) -> Iterator[psycopg.Connection[Any]]:
        """A connection acting as ``role`` for as long as it is held: SET ROLE is sent only
        if the connection acted as someone else."""
        conn = super().getconn(timeout)
        try:
            if self._forget(conn) != role:
                with self._acting_lock:
                    self._acting[conn] = UNKNOWN  # until SET ROLE is known to have worked
                conn.execute(SQL("SET ROLE {}").format(Identifier(role)))
            with self._acting_lock:
                self._acting[conn] = role
            yield conn
        finally:
            self.putconn(conn)

    def _forget(self, conn: psycopg.Connection[Any]) -> str | None:
        with self._acting_lock:
            return self._acting.pop(conn, None)


def make_pool(
    conninfo: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    application_name: str = APPLICATION_NAME,
) -> SharedPool:
    pool = SharedPool(
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
