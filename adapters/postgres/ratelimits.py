"""The rate limiter's buckets in PostgreSQL (``kaoping.rate_buckets``, one row per key),
shared by every process and machine. A take is one ``INSERT … ON CONFLICT DO UPDATE``.

The table is UNLOGGED: its commits wait for no WAL flush, and a crash only refills the
buckets. Times are seconds; by default the database's clock, one for every process."""

from __future__ import annotations

from typing import Any

from psycopg.sql import SQL
from psycopg_pool import ConnectionPool

from adapters.postgres.catalogue import PRINCIPAL

BUCKETS_DDL = (
    "CREATE UNLOGGED TABLE IF NOT EXISTS kaoping.rate_buckets ("
    " key bytea PRIMARY KEY, tokens float8 NOT NULL, at float8 NOT NULL,"
    " allowed boolean NOT NULL)"
)
_NOW = SQL("COALESCE(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8)")
_REFILL = SQL("least(%(burst)s::float8,"
              " b.tokens + greatest(0, EXCLUDED.at - b.at) * %(rate)s::float8)")
_UPSERT = SQL(
    "INSERT INTO kaoping.rate_buckets AS b (key, tokens, at, allowed) {rows}"
    " ON CONFLICT (key) DO UPDATE SET"
    " tokens = {refill} - CASE WHEN {refill} >= 1 THEN 1 ELSE 0 END,"
    " allowed = {refill} >= 1, at = greatest(b.at, EXCLUDED.at)"
    " RETURNING b.allowed, b.tokens"
)
TAKE = _UPSERT.format(
    rows=SQL("VALUES (%(key)s, %(burst)s - 1, {now}, true)").format(now=_NOW), refill=_REFILL)
# The token's own bucket if the token is valid, else the bucket of guesses from its address.
ADMIT = SQL(
    "WITH found AS ({principal}), taken AS ({take})"
    " SELECT found.*, taken.allowed, taken.tokens FROM taken LEFT JOIN found ON true"
).format(principal=SQL(PRINCIPAL), take=_UPSERT.format(
    rows=SQL("SELECT CASE WHEN EXISTS (SELECT FROM found) THEN %(hash)s ELSE %(guesses)s END,"
             " %(burst)s - 1, {now}, true").format(now=_NOW), refill=_REFILL))
# Buckets idle long enough to have refilled are as good as absent.
PURGE = SQL("DELETE FROM kaoping.rate_buckets WHERE at < {now} - %(full)s").format(now=_NOW)

def install_rate_limits(pool: ConnectionPool[Any]) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('kaoping.catalogue'))")
        conn.execute(BUCKETS_DDL)


