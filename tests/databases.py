"""A database of its own on the test server, so that two test runs at once never meet."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier

from adapters.postgres.roles import TenantRoles, drop_role


@contextmanager
def fresh_database(server_url: str, prefix: str = "kaoping_test") -> Iterator[str]:
    """Create a new database on the server at ``server_url``; drop it and its tenants' roles
    afterwards (roles are cluster-wide, so they would outlive the database)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    url = make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name})
    try:
        yield url
    finally:
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
            prefix_of_roles = TenantRoles.of_database(conn).prefix
            roles = [r["rolname"] for r in conn.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                (prefix_of_roles,))]
            for role in roles:
                drop_role(conn, role)
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))
