"""The log index by assessment (issue 11): replay and verify read an assessment's own events,
and answer exactly what a fold of the whole log answers."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from psycopg.sql import SQL, Identifier

from adapters.postgres.chain import verify_chain
from adapters.postgres.eventstore import NO_ASSESSMENT
from adapters.postgres.log_index import backfill
from adapters.postgres.versions import schema_of
from domain.assessment import Aggregation, RankingGroup
from domain.board import BoardState, assessment_of
from domain.cause import Cause
from domain.scorecard import CardKey
from services.replay import board_at, board_from_whole_log, read_log
from services.setup import ComponentSpec, SetupSpec
from services.verification import compare
from tests.factories import small_indicators

D = Decimal


def two_interleaved_rounds(tenant) -> tuple[list[UUID], int]:
    """Two assessments of one tenant whose judges score turn about, with a recusal, a
    reopened card and a round closed on the way. Returns the ids and the first position
    of the scoring."""
    app, admin = tenant.app, tenant.admin
    rubric = app.draft_rubric("细则", D("0.5"), small_indicators(), admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("考核", (ComponentSpec("routine", "常态化", rubric.id, 1, D(100)),),
                     Aggregation("mean"), 1, (), (RankingGroup("g", "一贯制学校组"),))
    schools = [app.register_school(f"学校{i}", "g", "初中", None, False, admin).id
               for i in range(3)]
    judges = [app.register_user(f"评委{j}", "judge", (), admin).id for j in range(2)]
    rounds = []
    for _ in range(2):
        assessment = app.create_assessment(spec, admin).id
        subjects = [app.add_subject(assessment, "school", s, "g", admin)[1] for s in schools]
        for judge in judges:
            app.add_judge(assessment, judge, admin)
        app.advance(assessment, "open", admin)
        rounds.append((assessment, subjects))
    start = app.position()
    for step, (points, leaf) in enumerate(((D(6), "1.1"), (D(4), "1.2"), (D(9), "2.1"))):
        for j, judge in enumerate(judges):
            cause = Cause(str(judge), "judge", f"req-{step}-{j}")
            for subject_index in range(3):
                for assessment, subjects in rounds:  # one card of each round in turn
                    key = CardKey(assessment, subjects[subject_index], "routine", judge)
                    app.record_scores(key, {leaf: points - D(subject_index) / 2}, cause)
    for assessment, subjects in rounds:
        for judge in judges:
            for subject in subjects:
                app.submit_card(CardKey(assessment, subject, "routine", judge),
                                Cause(str(judge), "judge", "submit"))
    first, second = rounds
    app.reopen_card(CardKey(first[0], first[1][0], "routine", judges[0]),
                    Cause(str(tenant.admin_id), "admin", "r", "复核"))
    app.advance(second[0], "closed", admin)
    app.declare_recusal(second[0], judges[1], second[1][2],
                        Cause(str(judges[1]), "judge", "d", "亲属任教"))
    return [first[0], second[0]], start


def test_as_of_boards_read_by_the_index_equal_the_whole_log_folded(tenant) -> None:
    assessments, start = two_interleaved_rounds(tenant)
    app = tenant.app
    head = app.position()
    for assessment in assessments:
        for upto in (start - 1, start + 7, (start + head) // 2, head - 2, head, None):
            indexed = board_at(app, assessment, upto)
            assert indexed == board_from_whole_log(app, assessment, upto), upto
        assert board_at(app, assessment).cards  # the rounds were scored
    assert board_at(app, assessments[0]) != board_at(app, assessments[1])


def test_the_index_names_each_events_assessment(tenant) -> None:
    assessments, _ = two_interleaved_rounds(tenant)
    with tenant.container.tenant_db(tenant.slug) as conn:
        indexed = {row["position"]: row["assessment_id"] for row in conn.execute(SQL(
            "SELECT position, assessment_id FROM {}.event_log").format(
                Identifier(schema_of(tenant.slug))))}
    logged = dict(read_log(tenant.app))
    assert indexed == {p: assessment_of(e) or NO_ASSESSMENT for p, e in logged.items()}
    assert set(indexed.values()) == {*assessments, NO_ASSESSMENT}


def test_verify_of_an_assessment_agrees_with_the_board(tenant) -> None:
    assessments, _ = two_interleaved_rounds(tenant)
    container = tenant.container
    container.projector.catch_up(tenant.slug)
    for assessment in assessments:
        with container.views(tenant.slug) as views:
            projected = views.load_board(assessment) or BoardState(assessment)
        assert compare(tenant.app, tenant.app.assessment(assessment), projected) == []


def set_index(tenant, value: UUID | None, position: int | None = None) -> None:
    with tenant.container.tenant_db(tenant.slug) as conn:
        conn.execute(SQL("UPDATE {}.event_log SET assessment_id = %s"
                         " WHERE position = %s OR %s::bigint IS NULL").format(
            Identifier(schema_of(tenant.slug))), (value, position, position))


def test_verify_finds_an_event_indexed_away_from_its_assessment(tenant) -> None:
    assessments, start = two_interleaved_rounds(tenant)
    with tenant.container.tenant_db(tenant.slug) as conn:
        assert verify_chain(conn, schema_of(tenant.slug)).ok
    set_index(tenant, assessments[1], start + 1)  # the first round's first card started
    with tenant.container.tenant_db(tenant.slug) as conn:
        report = verify_chain(conn, schema_of(tenant.slug))
    assert not report.ok and report.first_bad_index == start + 1
    assert report.first_bad_position is None  # the chain itself is intact


def test_a_log_written_before_the_index_replays_the_same_and_is_indexed_at_start_up(
        tenant) -> None:
    assessments, _ = two_interleaved_rounds(tenant)
    app, container, schema = tenant.app, tenant.container, schema_of(tenant.slug)
    before = [board_at(app, a) for a in assessments]
    set_index(tenant, None)  # as a release before issue 11 left it: no index at all
    assert [board_at(app, a) for a in assessments] == before  # read whole, still right
    with container.tenant_db(tenant.slug) as conn:
        assert verify_chain(conn, schema).first_bad_index is not None
        # ... and its schema as it was: no column, the insert function of four arrays.
        s = Identifier(schema)
        conn.execute(SQL("ALTER TABLE {}.event_log DROP COLUMN assessment_id").format(s))
        conn.execute(SQL("CREATE FUNCTION {}.kaoping_insert_events(uuid[], bigint[], text[],"
                         " bytea[]) RETURNS SETOF bigint LANGUAGE sql AS 'SELECT 0::bigint'"
                         ).format(s))
    container.platform.upgrade_all()  # what every start-up runs: back-fills, in batches
    with container.tenant_db(tenant.slug) as conn:
        assert verify_chain(conn, schema).ok
    assert [board_at(app, a) for a in assessments] == before
    role = container.roles.name(tenant.slug)
    assert backfill(container.pool, schema, role, app.mapper) == 0  # idempotent


    assert insert_functions(tenant) == [FIVE_ARRAYS]
    reopened = next(c for c in before[0].cards.values() if c.reopened)  # written to again:
    key = CardKey(assessments[0], reopened.subject_id, "routine", reopened.judge_id)
    written = app.record_scores(key, {"1.1": D(1)}, Cause(str(key.judge_id), "judge", "again"))
    assert board_at(app, assessments[0]).position == written.position
    with container.tenant_db(tenant.slug) as conn:
        assert verify_chain(conn, schema).ok


FIVE_ARRAYS = "ids uuid[], versions bigint[], topics text[], states bytea[], assessments uuid[]"


def insert_functions(tenant) -> list[str]:
    with tenant.container.tenant_db(tenant.slug) as conn:
        rows = conn.execute(
            "SELECT pg_get_function_identity_arguments(p.oid) AS args FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = %s AND p.proname = 'kaoping_insert_events'",
            (schema_of(tenant.slug),)).fetchall()
    return [r["args"] for r in rows]


def test_a_new_tenant_has_only_the_insert_function_that_indexes(tenant) -> None:
    """A process of an older release would write events the index misses: its function of
    four arrays is dropped at start-up, so its writes fail instead."""
    assert insert_functions(tenant) == [FIVE_ARRAYS]
