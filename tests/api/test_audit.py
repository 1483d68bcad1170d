"""Auditors: the raw log, the chain, the board as of any moment, recomputation."""

import asyncio
import dataclasses

import pytest
from litestar.testing import TestClient
from psycopg.sql import SQL, Identifier

from adapters.http.app import create_app
from adapters.postgres.versions import view_schema
from services.application import TenantApplication
from tests.api.flow import Api, Round, create_tenant

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


@pytest.fixture
def rnd(client, new_slug) -> Round:
    return Round(create_tenant(client, new_slug(), "蒲城县教育局"), judges=2)


def auditor(rnd: Round) -> Api:
    return rnd.admin.as_(rnd.admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])


def test_the_raw_log_pages_through_every_event_for_auditors_only(rnd) -> None:
    rnd.score(0, rnd.subjects[0], FULL)
    audit = auditor(rnd)
    seen, cursor = [], 0
    while cursor is not None:
        page = audit.get("/events", after=cursor, limit=7)
        seen += page["events"]
        cursor = page["next"]
    positions = [e["position"] for e in seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert any(e["topic"].endswith("Scorecard.Submitted") for e in seen)
    submitted = next(e for e in seen if e["topic"].endswith("Scorecard.Submitted"))
    assert submitted["state"]["total"] == "20" and submitted["state"]["cause"]["actor_role"] == (
        "judge")
    assert len(seen[0]["hash"]) == 64
    rnd.admin.get("/events", expect=403)
    rnd.judges[0][1].get("/events", expect=403)
    audit.post("/schools", {"name": "x", "group": "g", "stage": "小学"}, expect=403)


def test_the_chain_verifies_and_breaks_at_a_changed_byte(rnd, container):
    rnd.score(0, rnd.subjects[0], FULL)
    audit = auditor(rnd)
    report = audit.get("/audit/verify")
    assert report["ok"] and report["first_bad_position"] is None and report["length"] > 10
    victim = audit.get("/events", limit=1000)["events"][5]["position"]
    schema = Identifier(f"t_{rnd.admin.slug}")
    with container.pool.connection() as conn:
        conn.execute(SQL("UPDATE {}.kaoping_events SET state = overlay(state placing"
                         " '\\x21'::bytea from 2 for 1) WHERE notification_id = %s")
                     .format(schema), (victim,))
    broken = audit.get("/audit/verify")
    assert not broken["ok"] and broken["first_bad_position"] == victim


def test_a_deleted_event_breaks_the_chain_at_its_position(rnd, container) -> None:
    rnd.score(0, rnd.subjects[0], FULL)
    audit = auditor(rnd)
    events = audit.get("/events", limit=1000)["events"]
    gone = events[4]["position"]
    with container.pool.connection() as conn:
        conn.execute(SQL("DELETE FROM {}.kaoping_events WHERE notification_id = %s").format(
            Identifier(f"t_{rnd.admin.slug}")), (gone,))
    report = audit.get("/audit/verify")
    assert not report["ok"] and report["first_bad_position"] == gone


def test_the_board_as_of_a_moment_shows_what_was_known_then(rnd) -> None:
    rnd.score(0, rnd.subjects[0], FULL)
    rnd.score(1, rnd.subjects[0], {"1.1": 4, "1.2": 4, "2.1": 8})
    history = rnd.admin.get(f"/assessments/{rnd.id}/history", type="Submitted")["events"]
    first_submit = history[0]["at"]
    then = rnd.admin.get(f"/assessments/{rnd.id}/scoreboard", as_of=first_submit)
    now = rnd.admin.get(f"/assessments/{rnd.id}/scoreboard")
    row_then = {r["subject_id"]: r for r in then["rows"]}[rnd.subjects[0]]
    row_now = {r["subject_id"]: r for r in now["rows"]}[rnd.subjects[0]]
    assert row_then["components"]["routine"]["judges"] == 1 and row_then["final"] == 100.0
    assert row_now["components"]["routine"]["judges"] == 2 and row_now["final"] == 90.0
    assert then["position"] == history[0]["position"] and then["as_of"]
    before = rnd.admin.get(f"/assessments/{rnd.id}/scoreboard", as_of="2000-01-01T00:00:00Z")
    assert before["position"] == 0 and before["rows"] == []
    rnd.judges[0][1].get(f"/assessments/{rnd.id}/scoreboard", expect=403,
                         as_of=first_submit)


def test_a_card_reads_as_it_was_at_any_version(rnd) -> None:
    judge_id, judge = rnd.judges[0]
    card = rnd.card(rnd.subjects[0])
    judge.put(card, {"scores": {"1.1": 2}})
    judge.put(card, {"scores": {"1.1": 3, "1.2": 1}})
    judge.put(card, {"scores": {"2.1": 5}})
    assert rnd.admin.get(card, judge_id=judge_id, version=2)["scores"] == {"1.1": 2.0}
    assert rnd.admin.get(card, judge_id=judge_id, version=3)["scores"] == {"1.1": 3.0,
                                                                          "1.2": 1.0}
    assert rnd.admin.get(card, judge_id=judge_id)["version"] == 4
    rnd.admin.get(card, judge_id=judge_id, version=9, expect=404)


def test_history_filters_by_type_component_judge_and_time(rnd) -> None:
    rnd.score(0, rnd.subjects[0], FULL)
    rnd.score(1, rnd.subjects[1], FULL)
    get = lambda **q: rnd.admin.get(f"/assessments/{rnd.id}/history", **q)["events"]  # noqa: E731
    submitted = get(type="Submitted")
    assert len(submitted) == 2 and {e["component"] for e in get(component="routine")} == {
        "routine"}
    assert {e["judge_id"] for e in get(judge_id=rnd.judges[1][0])} == {rnd.judges[1][0]}
    later = get(since=submitted[1]["at"])
    assert [e["position"] for e in later] == [submitted[1]["position"]]
    assert get(until="2000-01-01T00:00:00Z") == []


def test_verify_recomputes_from_events_and_finds_a_doctored_board(rnd, container) -> None:
    rnd.score(0, rnd.subjects[0], FULL)
    rnd.score(1, rnd.subjects[1], {"1.1": 3, "1.2": 2, "2.1": 5})
    audit = auditor(rnd)
    assert audit.get(f"/assessments/{rnd.id}/verify") == {"ok": True, "mismatches": []}
    for step, body in (("close", {"force": "每位评委只评一校"}),
                       ("finalise", {"accept_incomplete": "每位评委只评一校"}), ("publish", None)):
        rnd.admin.post(f"/assessments/{rnd.id}/{step}", body, expect=200)
    assert audit.get(f"/assessments/{rnd.id}/verify")["ok"]
    entry = next(e for e in audit.get(f"/assessments/{rnd.id}/history")["events"]
                 if e["type"] == "ResultsPublished")
    published = entry["details"]
    # The sheet carries the chain head of the log it follows from: the event just before it.
    log = {e["position"]: e for e in audit.get("/events", limit=1000)["events"]}
    assert published["log_position"] == max(p for p in log if p < entry["position"])
    assert published["log_head"] == log[published["log_position"]]["hash"]
    with container.pool.connection() as conn:  # someone edits the projection by hand
        conn.execute(SQL("UPDATE {}.board_subjects SET part = jsonb_set(part, '{{cards}}',"
                         " '{{}}') WHERE assessment_id = %s").format(
                             Identifier(view_schema(rnd.admin.slug, 1))), (rnd.id,))
    result = audit.get(f"/assessments/{rnd.id}/verify")
    assert not result["ok"]
    assert {(m["source"], m["field"]) for m in result["mismatches"]} >= {("board", "final")}
    assert all(m["source"] == "board" for m in result["mismatches"])  # the sheet still agrees


def test_refused_attempts_that_matter_are_on_the_record(rnd) -> None:
    audit = auditor(rnd)
    audit.post("/schools", {"name": "x", "group": "g", "stage": "小学"}, expect=403)
    (_, judge), (other_id, _) = rnd.judges
    judge.get(rnd.card(rnd.subjects[0]), expect=403, judge_id=other_id)
    judge.post(f"/assessments/{rnd.id}/recusals",
               {"subject_id": rnd.subjects[1], "reason": "曾任该校教师"})
    judge.put(rnd.card(rnd.subjects[1]), {"scores": {"1.1": 1}}, expect=409)
    refusals = audit.get("/audit/refusals")
    assert [(r["kind"], r["actor_role"]) for r in refusals] == [
        ("role", "auditor"), ("not_permitted", "judge"), ("recused", "judge")]
    assert refusals[0]["method"] == "POST" and refusals[0]["route"].endswith("/schools")
    assert all(r["request_id"] and r["detail"] for r in refusals)
    rnd.admin.get("/audit/refusals", expect=403)


def test_verification_never_mistakes_a_lagging_board_for_a_mismatch(container, tenant) -> None:
    """The projector does not follow this tenant, so its board lags the log: verification
    says to come back (503) rather than report the scores the board has not reached."""
    impatient = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, read_wait_seconds=0.2))
    with TestClient(create_app(impatient)) as client:
        rnd = Round(Api(client, tenant.slug, tenant.admin_token), judges=1)
        rnd.score(0, rnd.subjects[0], FULL)
        lagging = rnd.admin.get(f"/assessments/{rnd.id}/verify", expect=503)
        assert lagging["detail"] == "成绩榜正在同步最新记录，请稍后重试"
        container.projector.catch_up(tenant.slug)
        assert rnd.admin.get(f"/assessments/{rnd.id}/verify")["ok"]


def test_a_recused_attempt_is_recorded_once_and_leaves_the_round_alone(rnd) -> None:
    audit = auditor(rnd)
    (judge_id, judge), _ = rnd.judges
    judge.post(f"/assessments/{rnd.id}/recusals",
               {"subject_id": rnd.subjects[1], "reason": "曾任该校教师"})
    version = rnd.admin.get(f"/assessments/{rnd.id}")["version"]
    judge.put(rnd.card(rnd.subjects[1]), {"scores": {"1.1": 1}}, expect=409)
    judge.post(rnd.card(rnd.subjects[1]) + "/submit", expect=409)
    refusals = audit.get("/audit/refusals")
    assert [(r["kind"], r["actor_id"], r["method"]) for r in refusals] == [
        ("recused", judge_id, "PUT"), ("recused", judge_id, "POST")]
    # Nothing was written on the assessment: an admin's If-Match still holds.
    assert rnd.admin.get(f"/assessments/{rnd.id}")["version"] == version
    history = rnd.admin.get(f"/assessments/{rnd.id}/history", limit=1000)["events"]
    assert not [e for e in history if e["type"] == "RecusedScoringRefused"]


def test_refusals_are_written_off_the_event_loop(rnd, monkeypatch) -> None:
    """The write blocks on the database, so it runs in a worker thread: there, no event
    loop is running."""
    on_loop: list[tuple[str, bool]] = []
    original = TenantApplication.record_refusal

    def spy(self, kind, *args, **kwargs):
        try:
            asyncio.get_running_loop()
            on_loop.append((kind, True))
        except RuntimeError:
            on_loop.append((kind, False))
        return original(self, kind, *args, **kwargs)

    monkeypatch.setattr(TenantApplication, "record_refusal", spy)
    audit = auditor(rnd)
    audit.post("/schools", {"name": "x", "group": "g", "stage": "小学"}, expect=403)
    (_, judge), (other_id, _) = rnd.judges
    judge.get(rnd.card(rnd.subjects[0]), expect=403, judge_id=other_id)
    judge.post(f"/assessments/{rnd.id}/recusals",
               {"subject_id": rnd.subjects[1], "reason": "曾任该校教师"})
    judge.put(rnd.card(rnd.subjects[1]), {"scores": {"1.1": 1}}, expect=409)
    assert on_loop == [("role", False), ("not_permitted", False), ("recused", False)]
