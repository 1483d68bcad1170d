"""Start-up brings tenants of a release before issue 10 (views in ``t_<slug>_v<n>``) to
today's names (``v_<slug>_<n>``), and reads stay the same."""

from collections.abc import Callable, Iterator

import pytest
from psycopg.sql import SQL, Identifier

from adapters.cli import upgrade
from adapters.postgres.layout import old_view_schema
from adapters.postgres.rebuild import outdated, rebuild
from adapters.postgres.versions import schema_of, tenant_schemas, view_schema
from adapters.postgres.views import view_tables
from domain.cause import Cause
from domain.results import rows
from tests.conftest import TenantHandle, drop_tenant
from tests.integration.scenario import scored_assessment


@pytest.fixture
def named_tenant(container) -> Iterator[Callable[[str], TenantHandle]]:
    """Tenants with slugs the test chooses (``<base>_v1``…); dropped afterwards."""
    made: list[str] = []

    def make(slug: str) -> TenantHandle:
        made.append(slug)
        created = container.platform.create_tenant(slug, "测试区", Cause("operator", "operator",
                                                                         "t"))
        return TenantHandle(container, slug, created.admin_token, created.admin_id)

    yield make
    for slug in reversed(made):
        drop_tenant(container, slug)


def schemas(container, slug: str) -> list[str]:
    with container.pool.connection() as conn:
        return tenant_schemas(conn, slug)


def exists(container, schema: str) -> bool:
    with container.pool.connection() as conn:
        return conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                            (schema,)).fetchone() is not None


def what_readers_see(container, slug: str, assessment_id) -> tuple:
    with container.views(slug) as views:
        board = [(r.name, r.final) for r in rows(views.load_board(assessment_id))]
        return board, views.position(), len(views.history(assessment_id, limit=1000))


def test_views_under_the_old_names_are_renamed_at_start_up_and_read_the_same(
        container, tenant) -> None:
    scenario = scored_assessment(tenant)
    container.projector.catch_up(tenant.slug)
    rebuild(container.pool, container.projector, container.roles, tenant.slug)  # 1 and 2
    before = what_readers_see(container, tenant.slug, scenario.assessment_id)
    with container.pool.connection() as conn:  # as an older release left them
        for version in (1, 2):
            conn.execute(SQL("ALTER SCHEMA {} RENAME TO {}").format(
                Identifier(view_schema(tenant.slug, version)),
                Identifier(old_view_schema(tenant.slug, version))))
    with pytest.raises(Exception):  # noqa: B017 - today's code cannot read the old layout
        what_readers_see(container, tenant.slug, scenario.assessment_id)

    upgrade(container)
    assert schemas(container, tenant.slug) == [
        schema_of(tenant.slug), view_schema(tenant.slug, 1), view_schema(tenant.slug, 2)]
    assert not exists(container, old_view_schema(tenant.slug, 1))
    assert not outdated(container.pool, container.roles, tenant.slug)
    assert what_readers_see(container, tenant.slug, scenario.assessment_id) == before
    with container.tenant_db(tenant.slug) as conn:  # renamed, not rebuilt
        assert conn.execute(SQL("SELECT current FROM {}.view_version").format(
            Identifier(schema_of(tenant.slug)))).fetchone()["current"] == 2

    upgrade(container)  # a second start finds nothing to do
    assert what_readers_see(container, tenant.slug, scenario.assessment_id) == before
    written = tenant.app.register_school("新学校", "g", "初中", None, False, tenant.admin)
    assert container.projector.catch_up(tenant.slug) >= written.position


def test_another_tenants_event_store_under_an_old_view_name_is_left_where_it_is(
        container, new_slug, named_tenant) -> None:
    """Where an older release let ``X`` and ``X_v1`` collide, ``t_X_v1`` is ``X_v1``'s log:
    start-up keeps it there and builds ``X``'s views again from ``X``'s own log."""
    base = new_slug()
    x = named_tenant(base)
    scenario = scored_assessment(x)
    container.projector.catch_up(base)
    before = what_readers_see(container, base, scenario.assessment_id)
    x_v1 = named_tenant(f"{base}_v1")
    school = x_v1.app.register_school("另一区的学校", "g", "初中", None, False, x_v1.admin)
    with container.pool.connection() as conn:  # X's views went into X_v1's event schema
        conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(view_schema(base, 1))))
        for statement in view_tables(old_view_schema(base, 1)):
            conn.execute(statement)

    upgrade(container)
    assert exists(container, schema_of(x_v1.slug)) and x_v1.app.position() == school.position
    container.projector.catch_up(base)
    assert what_readers_see(container, base, scenario.assessment_id) == before
