"""Shared fixtures. Persistence is tested on real PostgreSQL: the server named by
KAOPING_TEST_DATABASE_URL, or an embedded one started for the session. Each test gets its
own tenant schema(s), dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pgserver
import psycopg
import pytest
from litestar.testing import TestClient
from psycopg.sql import SQL, Identifier

from adapters.bootstrap import build_container
from adapters.container import Container
from adapters.http.app import create_app
from adapters.postgres.roles import drop_role
from adapters.postgres.versions import tenant_schemas
from adapters.settings import Settings
from domain.cause import Cause
from tests.databases import fresh_database, outside_basetemp

OPERATOR_TOKEN = "kp_test_operator_token_0123456789abcdef"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this run's own: on the server named by KAOPING_TEST_DATABASE_URL (so
    that runs at once, from two clones, never see each other's tenants), or embedded."""
    url = os.environ.get("KAOPING_TEST_DATABASE_URL")
    if url:
        with fresh_database(url) as own:
            yield own
        return
    with outside_basetemp("kaoping-test-pg-") as folder:
        server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
        try:
            yield str(server.get_uri())
        finally:
            server.cleanup()


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A data folder an embedded PostgreSQL can keep (see tests/databases.py)."""
    with outside_basetemp() as folder:
        yield folder


@pytest.fixture(scope="session")
def container(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    settings = Settings.from_env({
        "KAOPING_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "KAOPING_POOL_MAX": "10",
        "KAOPING_LOG_FORMAT": "json",
        # A loaded machine may keep the projector busy past the 2 s a user waits: tests wait
        # for the position as long as it takes, so no read of a view races the projector.
        "KAOPING_READ_WAIT_SECONDS": "60",
    })
    built = build_container(settings, database_url, OPERATOR_TOKEN)
    # Tests choose which tenants the background projector follows (``watch``); others are
    # caught up explicitly, so a test can hold the projection still.
    built.projector.active_tenants = list
    built.projector.start()
    yield built
    built.close()


def drop_tenant(container: Container, slug: str) -> None:
    container.projector.unwatch(slug)
    container.apps.forget(slug)
    for attempt in range(5):
        try:
            with container.pool.connection() as conn, conn.transaction():
                for schema in tenant_schemas(conn, slug):
                    conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        Identifier(schema)))
                drop_role(conn, container.roles.name(slug))
            container.catalogue.remove(slug)
            return
        except psycopg.errors.DeadlockDetected:  # a projector batch still running: retry
            if attempt == 4:
                raise


@pytest.fixture
def new_slug(container: Container) -> Iterator[Callable[[], str]]:
    """Unique slugs for this test; their tenants are dropped afterwards."""
    made: list[str] = []

    def make() -> str:
        slug = f"t{uuid.uuid4().hex[:12]}"
        made.append(slug)
        return slug

    yield make
    for slug in made:
        drop_tenant(container, slug)


class TenantHandle:
    def __init__(self, container: Container, slug: str, admin_token: str, admin_id: uuid.UUID):
        self.container = container
        self.slug = slug
        self.admin_token = admin_token
        self.admin_id = admin_id

    @property
    def app(self) -> Any:
        return self.container.app(self.slug)

    @property
    def admin(self) -> Cause:
        return Cause(str(self.admin_id), "admin", "test-request")


@pytest.fixture
def make_tenant(container: Container, new_slug: Callable[[], str]) -> Callable[..., TenantHandle]:
    def make(name: str = "测试区教研室") -> TenantHandle:
        slug = new_slug()
        created = container.platform.create_tenant(slug, name, Cause("operator", "operator", "t"))
        return TenantHandle(container, slug, created.admin_token, created.admin_id)

    return make


@pytest.fixture
def tenant(make_tenant: Callable[..., TenantHandle]) -> TenantHandle:
    return make_tenant()


@pytest.fixture(scope="session")
def client(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as test_client:
        yield test_client
