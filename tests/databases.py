"""A database of its own on the test server, so that two test runs at once never meet."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def outside_basetemp(prefix: str = "kaoping-test-") -> Iterator[Path]:
    """A folder for an embedded PostgreSQL outside pytest's basetemp, removed afterwards.

    Run as root, pgserver starts PostgreSQL as the system user ``pgserver`` and opens the
    folders above its data to it; but every pytest session that starts resets its basetemp
    (/tmp/pytest-of-<user>) to 0700, so a second run starting beside this one would shut the
    server out of its own data ("could not open file .../global/pg_control")."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
