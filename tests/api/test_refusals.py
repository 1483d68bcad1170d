"""Bad input and broken rules: a clear problem+json answer, and nothing written."""

import pytest

from tests.api.flow import Round, bearer, create_tenant


@pytest.fixture
def rnd(client, new_slug) -> Round:
    return Round(create_tenant(client, new_slug()), judges=2)


def events_count(rnd: Round) -> int:
    history = rnd.admin.get(f"/assessments/{rnd.id}/history", limit=1000)
    return len(history["events"])


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"scores": {"1.1": 3}', 400),                # malformed JSON
        (b'{"scores": {"1.1": "three"}}', 400),         # wrong type
        (b'{"scores": {"1.1": 3}, "extra": 1}', 400),   # unknown field
        (b'{}', 400),                                   # missing field
        (b'{"scores": {"1.1": 7}}', 422),               # over the maximum
        (b'{"scores": {"1.1": -1}}', 422),              # negative
        (b'{"scores": {"1.1": 2.3}}', 422),             # off the 0.5 step
        (b'{"scores": {"9.9": 1}}', 422),               # unknown indicator
        (b'{"scores": {"1.1": 1e400}}', 400),           # out of any range
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(client, rnd, body, status) -> None:
    before = events_count(rnd)
    judge = rnd.judges[0][1]
    r = client.put(judge.url(rnd.card(rnd.subjects[0])), content=body,
                   headers={**bearer(judge.token), "content-type": "application/json"})
    problem(r, status)
    assert events_count(rnd) == before


def test_an_unknown_code_is_named_in_the_errors(client, rnd) -> None:
    judge = rnd.judges[0][1]
    r = judge.put(rnd.card(rnd.subjects[0]), {"scores": {"9.9": 1, "1.1": 9}}, expect=None)
    fields = {e["field"] for e in problem(r, 422)["errors"]}
    assert fields == {"scores.9.9", "scores.1.1"}


def test_a_judge_off_the_panel_is_forbidden(client, rnd) -> None:
    outsider = rnd.admin.post("/users", {"name": "场外评委", "role": "judge"})
    judge = rnd.admin.as_(outsider["token"])
    problem(judge.put(rnd.card(rnd.subjects[0]), {"scores": {"1.1": 1}}, expect=None), 403)


def test_scoring_a_closed_assessment_is_a_conflict(client, rnd) -> None:
    rnd.admin.post(f"/assessments/{rnd.id}/close", {"force": "提前结束"}, expect=200)
    judge = rnd.judges[0][1]
    problem(judge.put(rnd.card(rnd.subjects[0]), {"scores": {"1.1": 1}}, expect=None), 409)


def test_illegal_lifecycle_steps_are_conflicts(client, rnd) -> None:
    problem(rnd.admin.post(f"/assessments/{rnd.id}/publish", expect=None), 409)
    problem(rnd.admin.post(f"/assessments/{rnd.id}/open", expect=None), 409)


def test_a_stale_if_match_is_refused(client, rnd) -> None:
    r = rnd.admin.client.post(rnd.admin.url(f"/assessments/{rnd.id}/close"),
                              headers={**bearer(rnd.admin.token), "If-Match": "1"})
    problem(r, 412)


def test_submitting_an_incomplete_card_names_the_missing_leaves(client, rnd) -> None:
    judge = rnd.judges[0][1]
    judge.put(rnd.card(rnd.subjects[0]), {"scores": {"1.1": 1}})
    r = judge.post(rnd.card(rnd.subjects[0]) + "/submit", expect=None)
    assert {e["field"] for e in problem(r, 422)["errors"]} == {"scores.1.2", "scores.2.1"}


def test_a_change_to_a_submitted_card_is_a_conflict_until_it_is_reopened(client, rnd) -> None:
    rnd.score(0, rnd.subjects[0], {"1.1": 6, "1.2": 4, "2.1": 10})
    judge = rnd.judges[0][1]
    problem(judge.put(rnd.card(rnd.subjects[0]), {"scores": {"2.1": 9}}, expect=None), 409)


def test_an_invalid_rubric_is_refused_field_by_field(client, rnd) -> None:
    bad = {"name": "细则", "indicators": [
        {"code": "1", "title": "组织建设", "weight": 10, "children": [
            {"code": "1.1", "title": "甲", "max_points": 4},
            {"code": "1.1", "title": "乙", "max_points": 0}]}]}
    body = problem(rnd.admin.post("/rubrics", bad, expect=None), 422)
    assert {e["field"] for e in body["errors"]} == {"indicators[1]", "indicators[1.1]"}


def test_an_unknown_assessment_is_404(client, rnd) -> None:
    problem(rnd.admin.get("/assessments/00000000-0000-0000-0000-000000000000/scoreboard",
                          expect=None), 404)


def test_a_body_over_the_size_limit_is_413(client, rnd) -> None:
    judge = rnd.judges[0][1]
    huge = b'{"scores": {"1.1": 1}, "reason": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = client.put(judge.url(rnd.card(rnd.subjects[0])), content=huge,
                   headers={**bearer(judge.token), "content-type": "application/json"})
    problem(r, 413)
