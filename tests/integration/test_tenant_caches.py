"""What a process keeps about its tenants — tokens' principals, the version of the views
readers use, tenant applications — never outlives a change: made in this process it is
forgotten at once; made in another one, as soon as its notice arrives."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from psycopg.sql import Identifier

from adapters.bootstrap import build_container
from adapters.postgres.catalogue import PgCatalogue
from adapters.postgres.pool import make_pool
from adapters.postgres.rebuild import rebuild
from adapters.postgres.versions import view_schema
from adapters.settings import Settings
from domain.cause import Cause
from domain.errors import NotFound
from domain.school import School
from tenants.tokens import token_hash
from tests.conftest import OPERATOR_TOKEN, drop_tenant

OP = Cause("operator", "operator", "t")


def until(condition: Callable[[], bool], seconds: float = 30) -> None:
    """Wait for a notice from another connection to be heard (never a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the notice never arrived"
        time.sleep(0.01)


@pytest.fixture
def elsewhere(database_url: str):
    """The catalogue as another process sees it: its own pool, its own object."""
    pool = make_pool(database_url, max_size=2)
    yield PgCatalogue(pool)
    pool.close()


@pytest.fixture
def deaf(database_url: str, tmp_path):
    """A process that keeps what it reads but hears no notices (its listener is not
    running): all it can learn of a change is what it makes itself."""
    built = build_container(Settings.from_env({"KAOPING_DATA_DIR": str(tmp_path)}),
                            database_url, OPERATOR_TOKEN)
    built.listening(True)
    yield built
    built.close()


def schools(client, tenant) -> Any:
    return client.get(f"/api/v1/tenants/{tenant.slug}/schools",
                      headers={"Authorization": f"Bearer {tenant.admin_token}"})


def reads_version(container, slug: str, version: int) -> bool:
    with container.views(slug) as views:
        return views.s == Identifier(view_schema(slug, version))


def test_a_token_revoked_here_is_refused_on_the_next_request(deaf, tenant) -> None:
    judge = deaf.platform.add_user(tenant.slug, "评委甲", "judge", (), tenant.admin)
    key = token_hash(judge.token)
    assert deaf.catalogue.principal(key) is not None
    assert len(deaf.catalogue.principals) == 1  # kept
    deaf.platform.revoke_token(tenant.slug, judge.user_id, tenant.admin)
    assert deaf.catalogue.principal(key) is None


def test_a_tenant_suspended_here_is_refused_on_the_next_request(deaf, tenant) -> None:
    key = token_hash(tenant.admin_token)
    assert deaf.catalogue.principal(key).tenant_status == "active"
    deaf.platform.set_status(tenant.slug, "suspended")
    assert deaf.catalogue.principal(key).tenant_status == "suspended"


def test_a_token_revoked_by_another_process_is_refused_once_its_notice_arrives(
    container, tenant, elsewhere
) -> None:
    judge = container.platform.add_user(tenant.slug, "评委乙", "judge", (), tenant.admin)
    key = token_hash(judge.token)
    assert container.catalogue.principal(key) is not None
    elsewhere.revoke_tokens(tenant.slug, judge.user_id)
    until(lambda: container.catalogue.principal(key) is None)


def test_a_token_revoked_by_another_process_is_refused_over_http_once_its_notice_arrives(
    client, container, tenant, elsewhere
) -> None:
    """The API admits most requests of a token from its principal kept here and a lease of
    its rate bucket (adapters/http/ratelimit.py): neither outlives the revocation's notice."""
    second = container.platform.add_user(tenant.slug, "管理员乙", "admin", (), tenant.admin)
    url = f"/api/v1/tenants/{tenant.slug}/schools"
    headers = {"Authorization": f"Bearer {second.token}"}
    key = token_hash(second.token)
    # Kept once the notice of the user's own creation has come and gone.
    container.projector.catch_up(tenant.slug)  # (reads wait for the new user's event)
    until(lambda: client.get(url, headers=headers).status_code == 200
          and container.catalogue.principals.peek(key) is not None)
    assert client.get(url, headers=headers).status_code == 200  # from the lease
    elsewhere.revoke_tokens(tenant.slug, second.user_id)
    until(lambda: container.catalogue.principals.peek(key) is None)  # the notice, heard
    assert client.get(url, headers=headers).status_code == 401  # the lease notwithstanding


def test_a_tenant_suspended_by_another_process_is_refused_once_its_notice_arrives(
    client, container, tenant, elsewhere
) -> None:
    assert schools(client, tenant).status_code == 200
    elsewhere.set_status(tenant.slug, "suspended")
    until(lambda: schools(client, tenant).status_code == 403)
    elsewhere.set_status(tenant.slug, "active")
    until(lambda: schools(client, tenant).status_code == 200)


def test_readers_move_to_the_version_a_rebuild_switched_to(container, tenant) -> None:
    tenant.app.register_school("湘江小学", "g", "小学", None, False, tenant.admin)
    container.projector.catch_up(tenant.slug)
    assert reads_version(container, tenant.slug, 1) and reads_version(container, tenant.slug, 1)
    assert rebuild(container.pool, container.projector, container.roles, tenant.slug)[0] == 2
    until(lambda: reads_version(container, tenant.slug, 2))
    # A second rebuild drops version 1; readers have moved on to 3 and never read a dropped one.
    assert rebuild(container.pool, container.projector, container.roles, tenant.slug)[0] == 3
    until(lambda: reads_version(container, tenant.slug, 3))
    with container.views(tenant.slug) as views:
        assert [s["name"] for s in views.schools()] == ["湘江小学"]


def test_a_tenant_made_again_with_a_dropped_tenants_slug_serves_nothing_of_the_old_one(
    deaf, new_slug
) -> None:
    slug = new_slug()
    old = deaf.platform.create_tenant(slug, "旧区", OP)
    old_admin = Cause(str(old.admin_id), "admin", "t")
    school = deaf.app(slug).register_school("旧学校", "g", "小学", None, False, old_admin)
    deaf.projector.catch_up(slug)
    rebuild(deaf.pool, deaf.projector, deaf.roles, slug)
    deaf.view_versions.reset(listening=True)  # as if the rebuild's notice had been heard
    assert reads_version(deaf, slug, 2) and reads_version(deaf, slug, 2)  # 2 is kept
    assert deaf.catalogue.principal(token_hash(old.admin_token)) is not None  # kept too

    drop_tenant(deaf, slug)
    new = deaf.platform.create_tenant(slug, "新区", OP)
    new_admin = Cause(str(new.admin_id), "admin", "t")
    deaf.app(slug).register_school("新学校", "g", "小学", None, False, new_admin)
    deaf.projector.catch_up(slug)

    assert deaf.catalogue.principal(token_hash(old.admin_token)) is None
    with deaf.views(slug) as views:
        assert [s["name"] for s in views.schools()] == ["新学校"]
    with pytest.raises(NotFound):
        deaf.app(slug).load(School, school.id, "school")
