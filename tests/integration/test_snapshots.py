"""Long-lived assessments are snapshotted; loading from a snapshot equals a full replay."""

from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from services.application import SNAPSHOT_EVERY, TenantApplication
from tests.integration.scenario import scored_assessment


def test_an_assessment_is_snapshotted_and_loads_the_same_either_way(container, tenant):
    scenario = scored_assessment(tenant)
    app = tenant.app
    while app.assessment(scenario.assessment_id).version < SNAPSHOT_EVERY + 5:
        app.draw(scenario.assessment_id, "seed", tenant.admin.because("重抽"))
    with container.pool.connection() as conn:
        versions = [r["originator_version"] for r in conn.execute(
            SQL("SELECT originator_version FROM {}.kaoping_snapshots WHERE originator_id = %s")
            .format(Identifier(schema_of(tenant.slug))), (scenario.assessment_id,))]
    assert versions == [SNAPSHOT_EVERY]
    role = container.roles.name(tenant.slug)
    plain = TenantApplication(tenant_factory(container.pool, schema_of(tenant.slug), role=role,
                                             create_tables=False, cache=False), MsgspecMapper())
    from_snapshot = TenantApplication(tenant_factory(
        container.pool, schema_of(tenant.slug), role=role, create_tables=False,
        snapshotting=True, cache=False), MsgspecMapper())
    replayed = plain.assessment(scenario.assessment_id)
    restored = from_snapshot.assessment(scenario.assessment_id)
    for name in ("setup", "status", "subjects", "panel", "recusals", "order", "version"):
        assert getattr(restored, name) == getattr(replayed, name), name
