"""The rate limiter's buckets in PostgreSQL (``kaoping.rate_buckets``, one row per key),
shared by every process and machine. A take is one ``INSERT … ON CONFLICT DO UPDATE``.

The table is UNLOGGED: its commits wait for no WAL flush, and a crash only refills the
buckets. Times are seconds; by default the database's clock, one for every process."""

from __future__ import annotations

from typing import Any

from psycopg.sql import SQL, Composed
from psycopg_pool import ConnectionPool

from adapters.postgres.catalogue import PRINCIPAL

BUCKETS_DDL = (
    "CREATE UNLOGGED TABLE IF NOT EXISTS kaoping.rate_buckets ("
    " key bytea PRIMARY KEY, tokens float8 NOT NULL, at float8 NOT NULL,"
    " allowed boolean NOT NULL)"
)
# How many tokens the last take handed out (a process leases a few at a time, see
# adapters/http/ratelimit.py). Added to the tables of earlier releases at start-up.
GRANTED_DDL = ("ALTER TABLE kaoping.rate_buckets"
               " ADD COLUMN IF NOT EXISTS granted float8 NOT NULL DEFAULT 1")
_NOW = SQL("COALESCE(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8)")
_REFILL = SQL("least(%(burst)s::float8,"
              " b.tokens + greatest(0, EXCLUDED.at - b.at) * %(rate)s::float8)")
# Up to EXCLUDED.granted tokens (what was asked for), as many whole ones as the bucket holds.
_GRANT = SQL("CASE WHEN {refill} >= 1 THEN least(EXCLUDED.granted, floor({refill})) ELSE 0 END")
_UPSERT = SQL(
    "INSERT INTO kaoping.rate_buckets AS b (key, tokens, at, allowed, granted) {rows}"
    " ON CONFLICT (key) DO UPDATE SET"
    " tokens = {refill} - {grant}, granted = {grant},"
    " allowed = {refill} >= 1, at = greatest(b.at, EXCLUDED.at)"
    " RETURNING b.allowed, b.tokens, b.granted"
)


def _upsert(rows: SQL | Composed) -> Composed:
    return _UPSERT.format(rows=rows, refill=_REFILL, grant=_GRANT.format(refill=_REFILL))


# ``n`` tokens of the key's bucket (1 ≤ n ≤ burst), or fewer if fewer are left.
TAKE = _upsert(SQL("VALUES (%(key)s, %(burst)s - %(n)s, {now}, true, %(n)s::float8)")
               .format(now=_NOW))
# One token of the token's own bucket if the token is valid, else of the bucket of guesses
# from its address.
ADMIT = SQL(
    "WITH found AS ({principal}), taken AS ({take})"
    " SELECT found.*, taken.allowed, taken.tokens, taken.granted FROM taken"
    " LEFT JOIN found ON true"
).format(principal=SQL(PRINCIPAL), take=_upsert(SQL(
    "SELECT CASE WHEN EXISTS (SELECT FROM found) THEN %(hash)s ELSE %(guesses)s END,"
    " %(burst)s - 1, {now}, true, 1").format(now=_NOW)))
# Buckets idle long enough to have refilled are as good as absent.
PURGE = SQL("DELETE FROM kaoping.rate_buckets WHERE at < {now} - %(full)s").format(now=_NOW)

def install_rate_limits(pool: ConnectionPool[Any]) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('kaoping.catalogue'))")
        conn.execute(BUCKETS_DDL)
        conn.execute(GRANTED_DDL)


