"""A tenant's schemas, and its view versions.

The event store lives in ``t_<slug>``, the views in ``v_<slug>_<n>`` (n = 1, 2…);
``t_<slug>.view_version`` says which version readers use. A rebuild fills version n+1 from
position 0 beside the current one, then switches — readers never see an empty board.

No slug can name another tenant's schema: the first letter says whether a schema holds
events or views, and a view schema's version is the digits after its last ``_`` (a version
has no ``_``), so every name gives back the one slug that owns it (``owner_of``). Releases
before issue 10 named views ``t_<slug>_v<n>``, which is also the event schema of the tenant
``<slug>_v<n>``; ``adapters.postgres.layout`` renames them at start-up.
"""

from __future__ import annotations

import re
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from adapters.postgres.roles import acting_as, adopt
from adapters.postgres.views import view_tables

EVENTS_PREFIX, VIEWS_PREFIX = "t_", "v_"
# Payload: a slug. What processes keep about that tenant (its tokens' principals, the version
# of its views, its application) is to be read afresh. Sent in the changing transaction.
STALE_CHANNEL = "kaoping_stale"
_VIEWS = re.compile(r"v_(?P<slug>.+)_(?P<version>[1-9][0-9]*)")


def schema_of(slug: str) -> str:
    """The schema of a tenant's event store."""
    return f"{EVENTS_PREFIX}{slug}"


def view_schema(slug: str, version: int) -> str:
    """The schema of version ``version`` (≥ 1) of a tenant's views."""
    return f"{VIEWS_PREFIX}{slug}_{version}"


def owner_of(schema: str) -> str | None:
    """The slug whose schema this name is (None: no tenant's). The inverse of ``schema_of``
    and ``view_schema``: a name cannot belong to two tenants."""
    if schema.startswith(EVENTS_PREFIX):
        return schema[len(EVENTS_PREFIX):] or None
    views = _VIEWS.fullmatch(schema)
    return views["slug"] if views else None


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


def say_stale(conn: Connection[Any], slug: str) -> None:
    """Tell every process (at commit) to forget what it keeps about the tenant."""
    conn.execute("SELECT pg_notify(%s, %s)", (STALE_CHANNEL, slug))


def switch_version(conn: Connection[Any], slug: str, version: int) -> None:
    """Readers use ``version`` from the commit on (each process hears of it by notice)."""
    conn.execute(SQL("UPDATE {s}.view_version SET current = %s").format(
        s=Identifier(schema_of(slug))), (version,))
    say_stale(conn, slug)


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
    """Every schema of a tenant (event store and view versions): offboarding drops them.
    Chosen by ``owner_of``, never by a pattern that another slug could also match."""
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname = %s OR starts_with(nspname, %s)"
        " ORDER BY 1", (schema_of(slug), f"{VIEWS_PREFIX}{slug}_")).fetchall()
    return [row["nspname"] for row in rows if owner_of(row["nspname"]) == slug]
