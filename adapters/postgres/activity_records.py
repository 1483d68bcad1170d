"""The projected views as the services' read port for activity records (suggestions)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from adapters.postgres.pool import SharedPool
from adapters.postgres.roles import TenantRoles
from adapters.postgres.versions import current_version, view_schema
from adapters.postgres.views import PgViews
from services.suggesting import OpenRecords


def activity_records(pool: SharedPool, roles: TenantRoles, slug: str) -> OpenRecords:
    """Opens the tenant's current views, acting as its role: ``PgViews`` is the port."""

    @contextmanager
    def open_records() -> Iterator[PgViews]:
        with roles.session(pool, slug) as conn:
            yield PgViews(conn, view_schema(slug, current_version(conn, slug)))

    return open_records
