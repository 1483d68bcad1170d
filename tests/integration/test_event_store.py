"""The tenant's event store on real PostgreSQL: positions, provenance, chain, isolation."""

from uuid import UUID

import pytest
from psycopg.sql import SQL, Identifier

from adapters.postgres.chain import verify_chain
from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from domain.cause import Cause
from domain.errors import RuleViolated
from domain.school import School
from services.application import TenantApplication


def test_writes_return_increasing_positions_and_load_back(tenant) -> None:
    app = tenant.app
    first = app.register_school("南钢学校", "yiguanzhi", "初中", None, False, tenant.admin)
    second = app.register_school("京东学校", "yiguanzhi", "初中", None, False, tenant.admin)
    assert second.position > first.position > 0
    assert app.repository.get(first.id).name == "南钢学校"


def test_every_event_carries_actor_role_request_and_reason(tenant) -> None:
    cause = Cause("u-42", "admin", "req-xyz", "按方案录入")
    written = tenant.app.register_school("培英学校", "yiguanzhi", "初中", None, False, cause)
    with tenant.container.pool.connection() as conn:
        row = conn.execute(
            SQL("SELECT state FROM {}.kaoping_events WHERE notification_id = %s").format(
                Identifier(f"t_{tenant.slug}")), (written.position,)
        ).fetchone()
    state = bytes(row["state"]).decode()
    for text in ('"actor_id":"u-42"', '"actor_role":"admin"', '"request_id":"req-xyz"',
                 '"reason":"按方案录入"'):
        assert text in state


def test_the_hash_chain_covers_every_event_and_breaks_where_a_byte_changes(tenant) -> None:
    app = tenant.app
    positions = [app.register_school(f"学校{i}", "g", "小学", None, False, tenant.admin).position
                 for i in range(5)]
    schema = f"t_{tenant.slug}"
    with tenant.container.pool.connection() as conn:
        report = verify_chain(conn, schema)
        assert report.ok and report.length >= 5
        conn.execute(
            SQL("UPDATE {}.kaoping_events SET state = overlay(state placing '\\x20'::bytea"
                " from 3 for 1) WHERE notification_id = %s").format(Identifier(schema)),
            (positions[2],),
        )
        broken = verify_chain(conn, schema)
    assert not broken.ok
    assert broken.first_bad_position == positions[2]


def test_two_tenants_keep_aggregates_with_the_same_id_apart(make_tenant) -> None:
    a, b = make_tenant("甲区"), make_tenant("甲区")
    same_id = UUID(int=2020)
    for handle, name in ((a, "南钢学校"), (b, "南钢学校（乙区）")):
        school = School.register(name, "yiguanzhi", "初中", None, False, handle.admin)
        school._id = same_id  # the library's id attribute: force a collision across tenants
        for event in school.pending_events:
            object.__setattr__(event, "originator_id", same_id)
        handle.app.save(school)
    assert a.app.repository.get(same_id).name == "南钢学校"
    assert b.app.repository.get(same_id).name == "南钢学校（乙区）"


def test_the_request_path_never_creates_tables(container) -> None:
    schema = "t_never_provisioned"
    TenantApplication(tenant_factory(container.pool, schema, role="kp_nobody",
                                     create_tables=False), MsgspecMapper())
    with container.pool.connection() as conn:
        exists = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL AS e", (schema,)).fetchone()
    assert exists["e"] is False


def test_a_write_that_breaks_a_rule_writes_nothing(tenant) -> None:
    app = tenant.app
    before = app.position()
    with pytest.raises(RuleViolated):
        app.register_school("", "g", "大学", None, False, tenant.admin)
    assert app.position() == before
