"""View versions: a tenant's views live in schema ``t_<slug>_v<n>``; ``t_<slug>.view_version``
says which one readers use. A rebuild fills version n+1 from position 0 beside the current
one, then switches — readers never see an empty board."""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from adapters.postgres.roles import acting_as, adopt
from adapters.postgres.views import view_tables


def schema_of(slug: str) -> str:
    """The schema of a tenant's event store."""
    return f"t_{slug}"


def view_schema(slug: str, version: int) -> str:
    return f"t_{slug}_v{version}"


def version_table(slug: str) -> list[Composed]:
    s = Identifier(schema_of(slug))
    return [
        SQL("CREATE TABLE IF NOT EXISTS {s}.view_version ("
            " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
            " current integer NOT NULL)").format(s=s),
        SQL("INSERT INTO {s}.view_version (singleton, current) VALUES (true, 1)"
            " ON CONFLICT DO NOTHING").format(s=s),
    ]


def current_version(conn: Connection[Any], slug: str, *, lock: bool = False) -> int:
    query = SQL("SELECT current FROM {s}.view_version {lock}").format(
        s=Identifier(schema_of(slug)), lock=SQL("FOR UPDATE" if lock else ""))
    row = conn.execute(query).fetchone()
    return int(row["current"])


def create_version(conn: Connection[Any], slug: str, version: int, role: str) -> None:
    """The schema is created by the server's user for the tenant's role (a tenant cannot
    create schemas); its tables by the role itself."""
    schema = view_schema(slug, version)
    conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
        Identifier(schema), Identifier(role)))
    adopt(conn, schema, role)
    with acting_as(conn, role):
        for statement in view_tables(schema):
            conn.execute(statement)


def drop_version(conn: Connection[Any], slug: str, version: int) -> None:
    conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
        Identifier(view_schema(slug, version))))


def tenant_schemas(conn: Connection[Any], slug: str) -> list[str]:
    """Every schema of a tenant (event store and view versions): offboarding drops them."""
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname = %s OR nspname ~ %s ORDER BY 1",
        (schema_of(slug), f"^t_{slug}_v[0-9]+$")).fetchall()
    return [row["nspname"] for row in rows]
