"""A score write decides on the assessment's cached terms (ADR 0008). A change of the
assessment made by another server — a close, a recusal — still refuses the next write, even
one committed while the write waits for the tenant's log."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from domain.assessment import JudgeIsRecused
from domain.cause import Cause
from domain.errors import NotFound, StateConflict
from domain.scorecard import CardKey
from services.application import TenantApplication
from tests.integration.scenario import scored_assessment

D = Decimal


def another_server(container, tenant) -> TenantApplication:
    return TenantApplication(
        tenant_factory(container.pool, schema_of(tenant.slug),
                       role=container.roles.name(tenant.slug), create_tables=False),
        MsgspecMapper())


def a_new_judge_scoring(tenant):
    """A judge added to a scored round, who has scored the first subject: this server now
    holds the round's terms as they were."""
    scenario = scored_assessment(tenant)
    app = tenant.app
    judge = app.register_user("评委丙", "judge", (), tenant.admin).id
    app.add_judge(scenario.assessment_id, judge, tenant.admin)
    cause = Cause(str(judge), "judge", "r")
    app.record_scores(CardKey(scenario.assessment_id, scenario.subjects[0], "routine", judge),
                      {"1.1": D(6)}, cause)
    assert app.terms_cache.get(scenario.assessment_id).status == "open"
    return scenario, judge, cause


def test_a_close_by_another_server_refuses_the_next_score(container, tenant) -> None:
    scenario, judge, cause = a_new_judge_scoring(tenant)
    other = another_server(container, tenant)
    other.advance(scenario.assessment_id, "closed", tenant.admin.because("到期"), override=True)
    key = CardKey(scenario.assessment_id, scenario.subjects[1], "routine", judge)
    with pytest.raises(StateConflict, match="the assessment is closed"):
        tenant.app.record_scores(key, {"1.1": D(6)}, cause)
    with pytest.raises(NotFound):
        other.card(key)


def test_a_recusal_by_another_server_refuses_the_judges_next_score(container, tenant) -> None:
    scenario, judge, cause = a_new_judge_scoring(tenant)
    other = another_server(container, tenant)
    other.declare_recusal(scenario.assessment_id, judge, scenario.subjects[1],
                          tenant.admin.because("亲属任职"))
    key = CardKey(scenario.assessment_id, scenario.subjects[1], "routine", judge)
    with pytest.raises(JudgeIsRecused):
        tenant.app.record_scores(key, {"1.1": D(6)}, cause)
    with pytest.raises(NotFound):
        other.card(key)
    # The judge's other subject is still theirs to score.
    first = CardKey(scenario.assessment_id, scenario.subjects[0], "routine", judge)
    tenant.app.record_scores(first, {"1.2": D(4)}, cause)
    assert tenant.app.card(first).scores == {"1.1": D(6), "1.2": D(4)}


def waiting_for_the_log(conn, schema: str, count: int) -> None:
    """Until ``count`` statements wait for a lock on the tenant's log (observed, not slept)."""
    deadline = time.monotonic() + 30
    while conn.execute(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE %s", (f"%{schema}%",)).fetchone()["n"] < count:
        assert time.monotonic() < deadline, "the writes never reached the log's lock"


def test_a_close_committed_while_the_score_waits_for_the_log_refuses_it(
        container, database_url, tenant) -> None:
    scenario, judge, cause = a_new_judge_scoring(tenant)
    other = another_server(container, tenant)
    schema = schema_of(tenant.slug)
    key = CardKey(scenario.assessment_id, scenario.subjects[1], "routine", judge)
    with psycopg.connect(database_url, autocommit=True,
                         row_factory=psycopg.rows.dict_row) as holder, \
            psycopg.connect(database_url, autocommit=True,
                            row_factory=psycopg.rows.dict_row) as watcher, \
            ThreadPoolExecutor(2) as threads:
        with holder.transaction():  # the log is busy: both writes queue for it, in order
            holder.execute(SQL("SELECT * FROM {}.log_head FOR UPDATE").format(
                Identifier(schema)))
            closing = threads.submit(other.advance, scenario.assessment_id, "closed",
                                     tenant.admin.because("到期"), None, True)
            waiting_for_the_log(watcher, schema, 1)
            scoring = threads.submit(tenant.app.record_scores, key, {"1.1": D(6)}, cause)
            waiting_for_the_log(watcher, schema, 2)
        closing.result()
        with pytest.raises(StateConflict, match="the assessment is closed"):
            scoring.result()
    with pytest.raises(NotFound):
        other.card(key)


def test_many_judges_of_one_round_score_at_once_on_shared_terms(tenant) -> None:
    scenario = scored_assessment(tenant)
    app = tenant.app
    judges = [app.register_user(f"评委{i}", "judge", (), tenant.admin).id for i in range(4)]
    for judge in judges:
        app.add_judge(scenario.assessment_id, judge, tenant.admin)
    started = threading.Barrier(len(judges))

    def score(judge):
        started.wait()
        cause = Cause(str(judge), "judge", "r")
        for subject in scenario.subjects:
            app.record_scores(CardKey(scenario.assessment_id, subject, "routine", judge),
                              {"1.1": D(6)}, cause)
        return [app.card(CardKey(scenario.assessment_id, s, "routine", judge)).scores
                for s in scenario.subjects]

    with ThreadPoolExecutor(len(judges)) as threads:
        assert list(threads.map(score, judges)) == [[{"1.1": D(6)}] * 2] * len(judges)
