"""One pool for every tenant; NOTIFY channels per schema."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg.sql import SQL, Identifier

from adapters.postgres.catalogue import PgProvisioner
from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.pool import make_pool
from adapters.postgres.roles import TenantRoles, drop_role
from adapters.postgres.versions import schema_of, tenant_schemas
from domain.cause import Cause
from services.application import TenantApplication
from tenants.cache import TenantApps

CAUSE = Cause("u-1", "admin", "req-1")


def test_fifty_tenants_share_one_pool_within_its_maximum(database_url) -> None:
    name = f"kaoping-pooltest-{uuid.uuid4().hex[:8]}"
    pool = make_pool(database_url, max_size=4, application_name=name)
    mapper = MsgspecMapper()
    with pool.connection() as conn:
        roles = TenantRoles.of_database(conn)

    def build(slug: str, create: bool = False) -> TenantApplication:
        return TenantApplication(tenant_factory(pool, schema_of(slug), role=roles.name(slug),
                                                create_tables=create), mapper)

    slugs = [f"p{uuid.uuid4().hex[:10]}" for _ in range(50)]
    apps = TenantApps(build, maxsize=100)
    provisioner = PgProvisioner(pool, build, roles)
    try:
        for slug in slugs:
            provisioner.provision(slug)

        def write(slug: str) -> int | None:
            return apps.get(slug).register_school("学校", "g", "小学", None, False, CAUSE).position

        with ThreadPoolExecutor(max_workers=8) as workers:
            positions = list(workers.map(write, slugs))
        assert all(p and p > 0 for p in positions)
        assert len(apps) == 50
        with psycopg.connect(database_url) as probe:
            (count,) = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
            ).fetchone()
        assert 1 <= count <= 4
    finally:
        with pool.connection() as conn:
            for slug in slugs:
                for schema in tenant_schemas(conn, slug):
                    conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))
                drop_role(conn, roles.name(slug))
        pool.close()


def test_a_write_in_one_tenant_does_not_wake_another_tenants_listener(
    database_url, make_tenant
) -> None:
    a, b = make_tenant(), make_tenant()
    with psycopg.connect(database_url, autocommit=True) as listener:
        listener.execute(SQL("LISTEN {}").format(Identifier(schema_of(b.slug))))
        listener.execute(SQL("LISTEN {}").format(Identifier(schema_of(a.slug))))
        a.app.register_school("甲校", "g", "小学", None, False, CAUSE)
        b.app.register_school("乙校", "g", "小学", None, False, CAUSE)
        heard = []
        for notify in listener.notifies(timeout=10):
            heard.append(notify.channel)
            if notify.channel == schema_of(b.slug):
                break
    # A's write woke A's channel only; B's channel heard only B's write.
    assert heard == [schema_of(a.slug), schema_of(b.slug)]
