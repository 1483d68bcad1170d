"""The projector: batches applied with their tracking position in one transaction."""

import threading
from decimal import Decimal

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

import adapters.postgres.projector as projector_module
from adapters.cli import upgrade
from adapters.postgres.projector import PROJECTED_CHANNEL
from adapters.postgres.rebuild import outdated, rebuild
from adapters.postgres.versions import view_schema
from domain.results import rows
from domain.scorecard import CardKey
from tests.integration.scenario import scored_assessment

D = Decimal


def test_catching_up_builds_the_board_and_history(container, tenant) -> None:
    scenario = scored_assessment(tenant)
    reached = container.projector.catch_up(tenant.slug)
    assert reached >= scenario.last_position
    with container.views(tenant.slug) as views:
        board = views.load_board(scenario.assessment_id)
        history = views.history(scenario.assessment_id, limit=1000)
    [row] = [r for r in rows(board) if r.subject_id == scenario.subjects[0]]
    assert row.components["routine"].score == scenario.mean_of_first
    recorded = [h for h in history if h["type"] == "ScoresRecorded"]
    assert recorded and all(h["actor_role"] == "judge" for h in recorded)


def test_a_failed_batch_leaves_views_and_tracking_untouched(container, tenant, monkeypatch) -> None:
    scenario = scored_assessment(tenant)
    real_project = projector_module.project

    def project_then_fail(views, batch):
        real_project(views, batch)
        raise RuntimeError("crash in the middle of a batch")

    monkeypatch.setattr(projector_module, "project", project_then_fail)
    with pytest.raises(RuntimeError):
        container.projector.catch_up(tenant.slug)
    with container.views(tenant.slug) as views:
        assert views.position() == 0
        assert views.history(scenario.assessment_id) == []
        assert views.load_board(scenario.assessment_id) is None
    monkeypatch.setattr(projector_module, "project", real_project)
    container.projector.catch_up(tenant.slug)
    container.projector.catch_up(tenant.slug)  # nothing new: nothing applied twice
    with container.views(tenant.slug) as views:
        history = views.history(scenario.assessment_id, limit=1000)
    positions = [h["position"] for h in history]
    assert len(positions) == len(set(positions)) == scenario.history_events


def test_small_batches_reach_the_same_board(container, make_tenant) -> None:
    big, small = make_tenant(), make_tenant()
    first = scored_assessment(big)
    second = scored_assessment(small)
    container.projector.catch_up(big.slug)
    container.projector.batch_size = 3
    try:
        container.projector.catch_up(small.slug)
    finally:
        container.projector.batch_size = 500
    with container.views(big.slug) as views:
        board_big = rows(views.load_board(first.assessment_id))
    with container.views(small.slug) as views:
        board_small = rows(views.load_board(second.assessment_id))
    assert [(r.name, r.final, r.rank) for r in board_big] == [
        (r.name, r.final, r.rank) for r in board_small]


def test_a_watched_tenant_is_projected_in_the_background(container, tenant) -> None:
    container.projector.watch(tenant.slug)
    scenario = scored_assessment(tenant)
    assert container.projector.wait_for(tenant.slug, scenario.last_position, timeout=10)
    with container.views(tenant.slug) as views:
        assert views.load_board(scenario.assessment_id).position >= scenario.last_position


def test_waiting_for_a_position_nobody_projects_gives_up(container, tenant) -> None:
    key_position = tenant.app.register_school("学校", "g", "小学", None, False,
                                              tenant.admin).position
    assert container.projector.wait_for(tenant.slug, key_position, timeout=0.2) is False
    assert CardKey  # the module's import is used by the scenario helpers


def _register(tenant) -> int:
    return tenant.app.register_school("学校", "g", "小学", None, False, tenant.admin).position


def test_a_waiting_read_wakes_when_its_tenant_is_projected(container, tenant,
                                                             monkeypatch) -> None:
    """The projector's news ends the wait, not a poll: with the poll made far longer than
    the test may take, only the news can wake the waiter before it gives up."""
    target = _register(tenant)  # the tenant is not watched: nothing projects it meanwhile
    projector = container.projector
    monkeypatch.setattr(projector_module, "POLL_SECONDS", 3600.0)
    looked, real_position = threading.Event(), projector.position

    def looked_at(slug: str) -> int:
        at = real_position(slug)
        if slug == tenant.slug:
            looked.set()  # the waiter has looked once and found its position not reached
        return at

    monkeypatch.setattr(projector, "position", looked_at)
    result: dict[str, bool] = {}
    waiter = threading.Thread(target=lambda: result.update(
        reached=projector.wait_for(tenant.slug, target, timeout=3600)))
    waiter.start()
    assert looked.wait(120)
    projector.catch_up(tenant.slug)  # announces the position it reached
    waiter.join(120)
    assert result == {"reached": True}


def test_other_tenants_news_does_not_make_a_waiting_read_look_again(
        container, make_tenant, database_url, monkeypatch) -> None:
    """A thousand tenants' batches used to wake every waiting read, and each looked at its
    views again (issue 11, target f). Now only its own tenant's news, or the poll, does."""
    waiting, busy = make_tenant(), make_tenant()
    position = _register(waiting)
    projector = container.projector
    looks, real_position = [], projector.position

    def position_counted(slug: str) -> int:
        if slug == waiting.slug:
            looks.append(slug)
        return real_position(slug)

    monkeypatch.setattr(projector, "position", position_counted)
    done = threading.Event()
    timeout = 0.5

    def wait() -> None:
        try:
            assert projector.wait_for(waiting.slug, position, timeout=timeout) is False
        finally:
            done.set()

    waiter = threading.Thread(target=wait)
    news = 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        waiter.start()
        while not done.is_set():  # as another projector process announces its batches
            news += 1
            conn.execute("SELECT pg_notify(%s, %s)", (PROJECTED_CHANNEL, f"{busy.slug} {news}"))
    waiter.join()
    assert len(looks) <= 2 + timeout / projector_module.POLL_SECONDS, (len(looks), news)


def test_readers_see_a_full_board_all_through_a_rebuild(container, tenant) -> None:
    scenario = scored_assessment(tenant)
    container.projector.catch_up(tenant.slug)
    container.projector.batch_size = 2  # a slow rebuild: many small batches
    done = threading.Event()
    result = {}

    def run() -> None:
        try:
            result["rebuilt"] = rebuild(container.pool, container.projector,
                                        container.roles, tenant.slug)
        finally:
            done.set()

    expected = None
    reads = 0
    threading.Thread(target=run).start()
    try:
        while not done.is_set() or reads == 0:
            with container.views(tenant.slug) as views:
                board = [(r.name, r.final) for r in rows(views.load_board(scenario.assessment_id))]
            expected = expected or board
            assert board == expected and len(board) == 2
            reads += 1
    finally:
        container.projector.batch_size = 500
    assert result["rebuilt"][0] == 2 and reads > 1


def test_views_of_an_older_layout_are_rebuilt_at_start_up(container, tenant) -> None:
    scenario = scored_assessment(tenant)
    container.projector.catch_up(tenant.slug)
    with container.views(tenant.slug) as views:  # as if built by an older release
        views.conn.execute(SQL("UPDATE {}.view_tracking SET position = 1 WHERE name = 'layout'")
                           .format(Identifier(view_schema(tenant.slug, 1))))
    assert outdated(container.pool, container.roles, tenant.slug)
    upgrade(container)
    assert not outdated(container.pool, container.roles, tenant.slug)
    with container.views(tenant.slug) as views:
        assert rows(views.load_board(scenario.assessment_id))
    with container.tenant_db(tenant.slug) as conn:
        assert conn.execute(SQL("SELECT current FROM {}.view_version").format(
            Identifier(f"t_{tenant.slug}"))).fetchone()["current"] == 2
