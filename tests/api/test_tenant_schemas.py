"""Issue 10, finding 1: a slug may not name another tenant's schema. Tenant X's views used to
live in ``t_X_v1``, which is also the event schema of a tenant whose slug is ``X_v1``."""

from collections.abc import Callable, Iterator

import pytest

from adapters.postgres.versions import schema_of, tenant_schemas, view_schema
from tests.api.flow import Api, create_tenant
from tests.conftest import drop_tenant

SCHOOL = {"name": "平罗第一小学", "group": "小学组", "stage": "小学"}


@pytest.fixture
def named_slugs(container) -> Iterator[Callable[[str], str]]:
    """Slugs chosen by the test (``<base>_v1``…); their tenants are dropped afterwards."""
    made: list[str] = []

    def make(slug: str) -> str:
        made.append(slug)
        return slug

    yield make
    for slug in reversed(made):
        drop_tenant(container, slug)


def works(admin: Api, schools: int) -> None:
    """Reads, writes and the audit all answer, and show this tenant's own data."""
    assert len(admin.get("/schools")) == schools
    assert [u["role"] for u in admin.get("/users")] == ["admin"]
    written = admin.post("/schools", {**SCHOOL, "name": f"第{schools + 2}小学"})
    assert len(admin.get("/schools", after=written["position"])) == schools + 1
    assert admin.get("/audit/verify")["ok"]


def test_a_slug_ending_in_v1_cannot_take_over_the_views_of_another_tenant(
        client, new_slug, named_slugs) -> None:
    base = new_slug()
    first = create_tenant(client, base)
    first.post("/schools", SCHOOL)
    second = create_tenant(client, named_slugs(f"{base}_v1"))
    works(first, 1)
    works(second, 0)


def test_the_tenant_whose_slug_ends_in_v1_survives_one_created_after_it(
        client, new_slug, named_slugs) -> None:
    base = new_slug()
    first = create_tenant(client, named_slugs(f"{base}_v1"))
    first.post("/schools", SCHOOL)
    second = create_tenant(client, base)
    works(first, 1)
    works(second, 0)


def test_dropping_a_tenant_drops_its_own_schemas_and_no_one_elses(
        client, container, new_slug, named_slugs) -> None:
    base = new_slug()
    others = [create_tenant(client, named_slugs(f"{base}{tail}")) for tail in ("_v1", "_1", "_v")]
    for other in others:
        other.post("/schools", SCHOOL)
    create_tenant(client, base).post("/schools", SCHOOL)
    with container.pool.connection() as conn:
        owned = tenant_schemas(conn, base)
    assert owned == [schema_of(base), view_schema(base, 1)]

    drop_tenant(container, base)
    with container.pool.connection() as conn:
        left = {r["nspname"] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert not set(owned) & left
    for other in others:
        assert {schema_of(other.slug), view_schema(other.slug, 1)} <= left
        works(other, 1)
