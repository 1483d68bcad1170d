"""Each tenant's schemas belong to a PostgreSQL role of its own, and tenant work runs under
that role: a query that named another district's schema would be refused by PostgreSQL.

Roles are cluster-wide, so their names carry a short hash of the database name:
``kp_<8 hex>_<slug>`` (at most 43 characters).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import Connection
from psycopg.sql import SQL, Identifier, Literal

from adapters.postgres.pool import SharedPool


class TenantRoles:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    @classmethod
    def of_database(cls, conn: Connection[Any]) -> TenantRoles:
        row = conn.execute("SELECT substr(md5(current_database()), 1, 8) AS h").fetchone()
        return cls(f"kp_{row['h']}_")

    def name(self, slug: str) -> str:
        return f"{self.prefix}{slug}"

    @contextmanager
    def session(self, pool: SharedPool, slug: str) -> Iterator[Connection[Any]]:
        """A pooled connection acting as the tenant's role for as long as it is held."""
        with pool.acting_as(self.name(slug)) as conn:
            yield conn


@contextmanager
def acting_as(conn: Connection[Any], role: str) -> Iterator[Connection[Any]]:
    """For as long as the block runs, on a connection of the server's own work (provisioning,
    rebuilds): SET ROLE, then RESET ROLE. Never on one from ``SharedPool.acting_as``, which
    remembers the role it set."""
    conn.execute(SQL("SET ROLE {}").format(Identifier(role)))
    try:
        yield conn
    finally:
        if not conn.closed and not conn.broken:
            try:
                conn.execute("RESET ROLE")
            except psycopg.Error:
                conn.close()  # never hand a connection back still acting as a tenant


def ensure_role(conn: Connection[Any], role: str) -> None:
    """Create the tenant's role (no login) and let the server's own user act as it."""
    conn.execute(SQL(
        "DO $$ BEGIN"
        " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN"
        "  CREATE ROLE {role} NOLOGIN;"
        " END IF;"
        " EXCEPTION WHEN duplicate_object THEN NULL;"  # another process created it meanwhile
        " END $$").format(name=Literal(role), role=Identifier(role)))
    conn.execute(SQL("GRANT {} TO CURRENT_USER").format(Identifier(role)))


def adopt(conn: Connection[Any], schema: str, role: str) -> None:
    """Give the role the schema and everything in it that it does not own yet (migrates
    schemas made before roles existed). Objects already the role's are left alone, so this
    takes no lock on a table in the ordinary case."""
    conn.execute(SQL(
        "DO $$ DECLARE r record; owner oid := {role}::regrole; BEGIN"
        " IF (SELECT nspowner FROM pg_namespace WHERE nspname = {schema}) <> owner THEN"
        "  EXECUTE format('ALTER SCHEMA %I OWNER TO %I', {schema}, {role});"
        " END IF;"
        " FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        "   WHERE n.nspname = {schema} AND c.relkind IN ('r', 'p', 'v', 'm')"
        "   AND c.relowner <> owner LOOP"
        "  EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', {schema}, r.relname, {role});"
        " END LOOP;"
        " FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p"
        "   JOIN pg_namespace n ON n.oid = p.pronamespace"
        "   WHERE n.nspname = {schema} AND p.proowner <> owner LOOP"
        "  EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.sig, {role});"
        " END LOOP;"
        " FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        "   JOIN pg_class c ON c.oid = t.typrelid WHERE n.nspname = {schema} AND c.relkind = 'c'"
        "   AND t.typowner <> owner"
        "  LOOP EXECUTE format('ALTER TYPE %I.%I OWNER TO %I', {schema}, r.typname, {role});"
        " END LOOP;"
        " END $$").format(schema=Literal(schema), role=Literal(role)))


def drop_role(conn: Connection[Any], role: str) -> None:
    """Offboarding: what the role owns in this database goes, then the role."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if exists:
        conn.execute(SQL("DROP OWNED BY {} CASCADE").format(Identifier(role)))
        conn.execute(SQL("DROP ROLE {}").format(Identifier(role)))
