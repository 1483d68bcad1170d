"""Isolation in depth: PostgreSQL itself refuses one tenant's role another tenant's data;
two tenants with colliding ids and names never see each other on any read path."""

import io
import json

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from adapters.export import export_log
from adapters.postgres.versions import schema_of, view_schema
from domain.cause import Cause
from domain.results import rows
from domain.scorecard import CardKey
from services.replay import board_at
from tests.integration.scenario import scored_assessment


def test_postgresql_refuses_a_tenant_role_another_tenants_schema(container, make_tenant) -> None:
    a, b = make_tenant("甲区"), make_tenant("乙区")
    scored_assessment(b)
    with container.tenant_db(a.slug) as conn:
        own = conn.execute(SQL("SELECT count(*) AS n FROM {}.kaoping_events").format(
            Identifier(schema_of(a.slug)))).fetchone()
        assert own["n"] > 0
        for table in ("kaoping_events", "event_log", "idempotency"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(SQL("SELECT * FROM {}.{}").format(
                    Identifier(schema_of(b.slug)), Identifier(table)))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute(SQL("SELECT * FROM {}.boards").format(
                Identifier(view_schema(b.slug, 1))))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SELECT * FROM kaoping.tokens")  # nor the platform's catalogue


def test_tenant_work_runs_under_the_tenants_role(container, tenant) -> None:
    with container.tenant_db(tenant.slug) as conn:
        assert conn.execute("SELECT current_user AS u").fetchone()["u"] == container.roles.name(
            tenant.slug)
    with container.pool.connection() as conn:  # and the connection goes back reset
        assert conn.execute("SELECT current_user = session_user AS reset").fetchone()["reset"]


def test_two_tenants_with_the_same_ids_and_names_never_mix(container, make_tenant) -> None:
    """Tenant B starts as a copy of tenant A's log — every id and name collides — and then
    diverges. Boards, history, raw log, exports and projections each show their own."""
    a, b = make_tenant("同名区"), make_tenant("同名区")
    scenario = scored_assessment(a)
    with container.tenant_db(a.slug) as conn:
        copied = conn.execute(SQL("SELECT originator_id, originator_version, topic, state FROM"
                                  " {}.kaoping_events ORDER BY notification_id").format(
            Identifier(schema_of(a.slug)))).fetchall()
    # B's own name claims already sit under the same deterministic ids (uuid5 of the name):
    # copy everything else.
    b.app.recorder.insert_events([StoredEvent(r["originator_id"], r["originator_version"],
                                              r["topic"], bytes(r["state"])) for r in copied
                                  if not r["topic"].startswith("domain.names:")])
    key = CardKey(scenario.assessment_id, scenario.subjects[0], "routine", scenario.judges[0])
    b.app.reopen_card(key, Cause(str(b.admin_id), "admin", "r", "乙区复核"))
    for handle in (a, b):
        container.projector.catch_up(handle.slug)

    def board(handle):
        with container.views(handle.slug) as views:
            return {r.subject_id: r.components["routine"].judges
                    for r in rows(views.load_board(scenario.assessment_id))}

    assert board(a)[scenario.subjects[0]] == 2 and board(b)[scenario.subjects[0]] == 1
    replayed_a = rows(board_at(a.app, scenario.assessment_id))
    assert {r.subject_id: r.components["routine"].judges for r in replayed_a} == board(a)
    with container.views(a.slug) as views:
        history_a = views.history(scenario.assessment_id, limit=1000)
    with container.views(b.slug) as views:
        history_b = views.history(scenario.assessment_id, limit=1000)
    assert not any(h["type"] == "Reopened" for h in history_a)
    assert [h["type"] for h in history_b].count("Reopened") == 1
    exports = {}
    for handle in (a, b):
        out = io.StringIO()
        with container.tenant_db(handle.slug) as conn:
            export_log(conn, schema_of(handle.slug), handle.slug, out)
        exports[handle.slug] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert exports[a.slug][0]["tenant"] == a.slug and exports[b.slug][0]["tenant"] == b.slug
    topics = {slug: [e.get("topic") for e in lines] for slug, lines in exports.items()}
    assert not any(t and t.endswith("Scorecard.Reopened") for t in topics[a.slug])
    # B holds A's copied log (with its own name claims), its own admin's registration, and
    # its own reopening.
    def without_claims(slug: str) -> int:
        return sum(1 for t in topics[slug] if not (t or "").startswith("domain.names:"))

    assert without_claims(b.slug) == without_claims(a.slug) + 2
