"""Checkpoints of the as-of replay (docs/adr/0023), on real PostgreSQL: an as-of board resumed
from a checkpoint is exactly the board folded from position 0 — at every position, between
checkpoints and before the first — and a damaged, foreign or missing checkpoint never gives
a wrong answer."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
from psycopg.sql import SQL, Identifier

from adapters.postgres.checkpointer import Checkpointer
from adapters.postgres.checkpoints import digest, encode_board
from adapters.postgres.versions import schema_of
from adapters.restore import restore_log
from domain.cause import Cause
from domain.results import rows
from domain.scorecard import CardKey
from services import replay
from services.replay import board_as_of, board_at, check_checkpoints
from services.verification import compare
from tests.integration.test_cli import cli  # noqa: F401 (a fixture)
from tests.integration.test_log_index import two_interleaved_rounds
from tests.unit.test_checkpoints import orders

EVERY = 3
RELEASE = Path(__file__).resolve().parents[1] / "fixtures" / "release_088d793"


def run(container, slug: str, text: str, *params) -> list:
    with container.tenant_db(slug) as conn:
        cursor = conn.execute(SQL(text).format(s=Identifier(schema_of(slug))), params)
        return cursor.fetchall() if cursor.description else []


def checkpoint_positions(container, slug: str, assessment) -> list[int]:
    return [r["position"] for r in run(
        container, slug, "SELECT position FROM {s}.board_checkpoints WHERE assessment_id = %s"
        " ORDER BY position", assessment)]


def assert_as_of_is_the_fold_from_zero(app, assessment, positions) -> None:
    for upto in positions:
        resumed, straight = board_as_of(app, assessment, upto, every=EVERY), board_at(
            app, assessment, upto)
        assert resumed == straight, upto
        assert orders(resumed) == orders(straight), upto
        assert rows(resumed) == rows(straight), upto


def test_as_of_from_checkpoints_is_the_fold_from_zero_at_every_position(tenant) -> None:
    assessments, start = two_interleaved_rounds(tenant)
    app, container, slug = tenant.app, tenant.container, tenant.slug
    head = app.position()
    first = assessments[0]
    assert checkpoint_positions(container, slug, first) == []
    # Read from the middle first: checkpoints up to there only, made by that read.
    middle = (start + head) // 2
    assert board_as_of(app, first, middle, every=EVERY) == board_at(app, first, middle)
    made = checkpoint_positions(container, slug, first)
    assert made and max(made) <= middle
    # Every position, before the first checkpoint, on them, between them and past the last
    # (which the reads past ``middle`` then extend).
    assert_as_of_is_the_fold_from_zero(app, first, [*range(0, head + 1), None])
    at_last = checkpoint_positions(container, slug, first)
    assert at_last[:len(made)] == made and max(at_last) > middle
    own = [r["position"] for r in run(container, slug, "SELECT position FROM {s}.event_log"
                                      " WHERE assessment_id = %s ORDER BY position", first)]
    assert at_last == own[EVERY - 1::EVERY]  # one each EVERY events of the assessment
    assert_as_of_is_the_fold_from_zero(app, assessments[1], [*range(start, head + 1)])
    assert check_checkpoints(app, first) == [] and check_checkpoints(app, assessments[1]) == []


def test_damaged_foreign_or_stale_checkpoints_are_not_used(tenant) -> None:
    assessments, _ = two_interleaved_rounds(tenant)
    app, container, slug = tenant.app, tenant.container, tenant.slug
    first, head = assessments[0], app.position()
    straight = board_at(app, first)
    board_as_of(app, first, every=EVERY)
    positions = checkpoint_positions(container, slug, first)
    last = positions[-1]
    # A damaged row: its bytes no longer match their digest.
    run(container, slug, "UPDATE {s}.board_checkpoints SET state = state || '\\x00'::bytea"
        " WHERE assessment_id = %s AND position = %s", first, last)
    assert board_as_of(app, first, save=False) == straight
    assert check_checkpoints(app, first) == [last]
    # Another checkpoint's board under this position: not used either.
    run(container, slug, "UPDATE {s}.board_checkpoints c SET state = f.state, digest = f.digest"
        " FROM {s}.board_checkpoints f WHERE c.assessment_id = %s AND c.position = %s"
        " AND f.assessment_id = c.assessment_id AND f.position = %s", first, last, positions[0])
    assert board_as_of(app, first, save=False) == straight
    assert check_checkpoints(app, first) == [last]
    # A board forged whole, digest and all (as only someone writing the table could): the
    # read trusts it, the check from the log alone finds it.
    forged = board_at(app, first, last)
    card = next(iter(forged.cards.values()))
    card.scores = {code: points + 1 for code, points in card.scores.items()}
    data = encode_board(forged)
    run(container, slug, "UPDATE {s}.board_checkpoints SET state = %s, digest = %s"
        " WHERE assessment_id = %s AND position = %s", data, digest(data), first, last)
    assert board_as_of(app, first, last, save=False) == forged != board_at(app, first, last)
    assert check_checkpoints(app, first) == [last]
    run(container, slug, "DELETE FROM {s}.board_checkpoints WHERE assessment_id = %s", first)
    # Not this log's: the chain's hash at the position differs.
    board_as_of(app, first, every=EVERY)
    run(container, slug, "UPDATE {s}.board_checkpoints SET log_hash = '\\x00'::bytea"
        " WHERE assessment_id = %s", first)
    assert board_as_of(app, first, head, save=False) == straight
    assert check_checkpoints(app, first) == positions
    # Of another fold (an older release's): not read, and made anew for this one.
    run(container, slug, "DELETE FROM {s}.board_checkpoints WHERE assessment_id = %s", first)
    board_as_of(app, first, every=EVERY)
    run(container, slug, "UPDATE {s}.board_checkpoints SET fold = 0, state = '\\x80'::bytea,"
        " digest = sha256('\\x80'::bytea) WHERE assessment_id = %s", first)
    assert board_as_of(app, first, every=EVERY) == straight
    assert checkpoint_positions(container, slug, first) == sorted(positions + positions)


def test_without_the_checkpoint_table_as_of_folds_from_zero_and_start_up_makes_it(
        tenant) -> None:
    assessments, start = two_interleaved_rounds(tenant)
    app, container, slug = tenant.app, tenant.container, tenant.slug
    straight = [board_at(app, a, start + 20) for a in assessments]
    board_as_of(app, assessments[0], every=EVERY)
    run(container, slug, "DROP TABLE {s}.board_checkpoints")  # a tenant of an older release
    assert [board_as_of(app, a, start + 20, every=EVERY) for a in assessments] == straight
    container.platform.upgrade_all()  # what every start-up runs
    assert checkpoint_positions(container, slug, assessments[0]) == []
    assert [board_as_of(app, a, start + 20, every=EVERY) for a in assessments] == straight
    assert checkpoint_positions(container, slug, assessments[0])


@pytest.fixture
def release(container, new_slug):
    slug = new_slug()
    with (RELEASE / "log.jsonl").open(encoding="utf-8") as lines:
        restore_log(container, slug, "珠晖区教育局教研室", lines)
    return container, slug


def test_an_old_log_reads_as_of_exactly_as_before(release) -> None:
    container, slug = release
    app = container.app(slug)
    found = run(container, slug, "SELECT DISTINCT assessment_id FROM {s}.event_log"
                " WHERE assessment_id <> '00000000-0000-0000-0000-000000000000'")
    assert found
    for row in found:
        assessment = row["assessment_id"]
        own = [r["position"] for r in run(container, slug, "SELECT position FROM {s}.event_log"
                                          " WHERE assessment_id = %s", assessment)]
        board_as_of(app, assessment, own[len(own) // 2], every=EVERY)  # checkpoints to there
        assert_as_of_is_the_fold_from_zero(app, assessment, [*range(0, app.position() + 1)])
        assert check_checkpoints(app, assessment) == []


def test_the_background_checkpointer_keeps_checkpoints_near_the_head(tenant,
                                                                     monkeypatch) -> None:
    assessments, _ = two_interleaved_rounds(tenant)
    app, container, slug = tenant.app, tenant.container, tenant.slug
    paced = []
    monkeypatch.setattr(replay, "PACE_EVERY", 5)
    checkpointer = Checkpointer(container.app, container.pool, container.roles, EVERY,
                                quiet=0.01, pace=lambda: paced.append(1))
    assert checkpointer.extend(slug) == 2
    assert paced  # it gave way to the projector now and then
    for assessment in assessments:
        own = [r["position"] for r in run(container, slug, "SELECT position FROM {s}.event_log"
                                          " WHERE assessment_id = %s ORDER BY position",
                                          assessment)]
        assert checkpoint_positions(container, slug, assessment) == own[EVERY - 1::EVERY]
        assert check_checkpoints(app, assessment) == []
    assert checkpointer.extend(slug) == 0  # nothing new
    # New events of one round: woken as the projector would wake it, on its own thread.
    first = assessments[0]
    before = checkpoint_positions(container, slug, first)
    board = board_at(app, first)
    card = next(c for c in board.cards.values() if not c.submitted)
    key = CardKey(first, card.subject_id, "routine", card.judge_id)
    for points in ("1", "2", "3", "4"):
        app.record_scores(key, {"1.1": Decimal(points)}, Cause(str(card.judge_id), "judge", "x"))
    try:
        checkpointer.reached(slug, app.position())
        deadline = time.monotonic() + 30
        while len(checkpoint_positions(container, slug, first)) == len(before):
            assert time.monotonic() < deadline, "no checkpoint made"
            time.sleep(0.02)  # polling the database for the thread's result
    finally:
        checkpointer.stop()
    assert check_checkpoints(app, first) == []
    assert board_as_of(app, first, save=False) == board_at(app, first)


def test_the_audit_command_recomputes_every_checkpoint(cli, tenant) -> None:  # noqa: F811
    assessments, _ = two_interleaved_rounds(tenant)
    container, slug = tenant.container, tenant.slug
    for assessment in assessments:
        board_as_of(tenant.app, assessment, every=EVERY)
    code, out = cli("audit", "checkpoints", "--tenant", slug)
    reports = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and sorted(r["assessment"] for r in reports) == sorted(map(str, assessments))
    assert all(r["ok"] for r in reports)
    last = checkpoint_positions(container, slug, assessments[1])[-1]
    run(container, slug, "UPDATE {s}.board_checkpoints SET log_hash = '\\x00'::bytea"
        " WHERE position = %s", last)
    code, out = cli("audit", "checkpoints", "--tenant", slug, "--assessment",
                    str(assessments[1]))
    assert code == 1 and json.loads(out)["bad_positions"] == [last]
    # The CLI's replay reads them and saves none.
    run(container, slug, "DELETE FROM {s}.board_checkpoints")
    code, _ = cli("replay", "--tenant", slug, "--assessment", str(assessments[0]))
    assert code == 0 and checkpoint_positions(container, slug, assessments[0]) == []


def test_verify_and_publish_never_read_a_checkpoint(tenant) -> None:
    """A forged checkpoint changes the as-of board it is read into, never what verify
    recomputes or what publishing fixes: those fold from position 0."""
    assessments, _ = two_interleaved_rounds(tenant)
    app, container, slug = tenant.app, tenant.container, tenant.slug
    second = assessments[1]  # closed in the scenario
    board_as_of(app, second, every=EVERY)
    last = checkpoint_positions(container, slug, second)[-1]
    forged = board_at(app, second, last)
    for card in forged.cards.values():
        card.scores = {code: Decimal(0) for code in card.scores}
    data = encode_board(forged)
    run(container, slug, "UPDATE {s}.board_checkpoints SET state = %s, digest = %s"
        " WHERE assessment_id = %s AND position = %s", data, digest(data), second, last)
    assert rows(board_as_of(app, second, save=False)) != rows(board_at(app, second))
    container.projector.catch_up(slug)
    with container.views(slug) as views:
        projected = views.load_board(second)
    assert compare(app, app.assessment(second), projected) == []
    admin = tenant.admin
    app.advance(second, "finalised", admin)
    app.publish(second, app.position(), "head", admin)
    published = {p.subject_id: p.final for p in app.assessment(second).published}
    assert published == {r.subject_id: r.final for r in rows(board_at(app, second))}
