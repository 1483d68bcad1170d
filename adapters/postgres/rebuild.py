"""Rebuilding a tenant's views beside the current ones, then switching with no downtime."""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from adapters.postgres.projector import Projector
from adapters.postgres.roles import TenantRoles, acting_as
from adapters.postgres.versions import (
    create_version,
    current_version,
    drop_version,
    switch_version,
    view_schema,
)
from adapters.postgres.views import LAYOUT, PgViews


def rebuild(
    pool: ConnectionPool[Any], projector: Projector, roles: TenantRoles, slug: str
) -> tuple[int, int]:
    """Fill version n+1 from position 0, switch readers to it, keep version n as the
    previous one and drop anything older. Returns (new version, position reached)."""
    role = roles.name(slug)
    with pool.connection() as conn, conn.transaction():
        with acting_as(conn, role):
            old = current_version(conn, slug)
        new = old + 1
        drop_version(conn, slug, new)  # the leftovers of an interrupted rebuild, if any
        create_version(conn, slug, new, role)
    projector.catch_up(slug, new)  # the long part; readers still use version ``old``
    with roles.session(pool, slug) as conn, conn.transaction():
        current_version(conn, slug, lock=True)  # one switch at a time
        switch_version(conn, slug, new)
    reached = projector.catch_up(slug, new)  # whatever was written during the switch
    with pool.connection() as conn:
        for version in range(1, old):
            drop_version(conn, slug, version)
    return new, reached


def outdated(pool: ConnectionPool[Any], roles: TenantRoles, slug: str) -> bool:
    """Whether the views readers use were built with an older layout than this code's."""
    with roles.session(pool, slug) as conn:
        return PgViews(conn, view_schema(slug, current_version(conn, slug))).layout() < LAYOUT
