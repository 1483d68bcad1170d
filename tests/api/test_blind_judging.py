"""盲评: a judge sees only the rounds whose panel they sit on, and only the subjects they
score; anything else answers 404, as if it did not exist."""

import pytest

from tests.api.flow import Api, create_tenant
from tests.api.test_activities import one_school_round, reporter_of

LEAF = [{"code": "1", "title": "组织建设", "max_points": 10}]


def judge_on(admin: Api, assessment: str, name: str) -> tuple[str, Api]:
    made = admin.post("/users", {"name": name, "role": "judge"})
    admin.post(f"/assessments/{assessment}/panel", {"judge_id": made["id"]})
    return made["id"], admin.as_(made["token"])


@pytest.fixture
def given(client, new_slug):
    """One round of two schools with two judges, one of them recused from the first school;
    a judge of another round; each school's self-assessment given."""
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    first = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    second = admin.post("/schools", {"name": "冶金子弟学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(admin, first, LEAF)
    other = admin.post(f"/assessments/{aid}/subjects",
                       {"kind": "school", "ref_id": second, "group": "g"})["subject_id"]
    elsewhere, _ = one_school_round(admin, second, LEAF)
    judge_id, judge = judge_on(admin, aid, "评委甲")
    recused_id, recused = judge_on(admin, aid, "评委丙")
    _, outsider = judge_on(admin, elsewhere, "评委乙")
    for round_id in (aid, elsewhere):
        admin.post(f"/assessments/{round_id}/open", expect=200)
    recused.post(f"/assessments/{aid}/recusals", {"subject_id": subject, "reason": "曾任该校教师"})
    for school, subj in ((first, subject), (second, other)):
        reporter_of(admin, school).put(f"/assessments/{aid}/self-assessments/{subj}/r",
                                       {"scores": {"1": 9}})
    return {"admin": admin, "aid": aid, "subject": subject, "other": other, "judge": judge,
            "judge_id": judge_id, "recused": recused, "recused_id": recused_id,
            "outsider": outsider}


def routes(aid: str, subject: str) -> list[str]:
    return [f"/assessments/{aid}", f"/assessments/{aid}/self-assessments/{subject}/r",
            f"/assessments/{aid}/scorecards/{subject}/r/suggestions",
            f"/assessments/{aid}/assignments", f"/assessments/{aid}/order",
            f"/assessments/{aid}/scoreboard"]


def test_a_judge_not_on_the_panel_gets_404_on_every_route_of_the_round(given) -> None:
    for path in routes(given["aid"], given["subject"]):
        refused = given["outsider"].get(path, expect=404)
        assert "珠晖实验学校" not in str(refused), path
    given["judge"].get(f"/assessments/{given['aid']}")  # the panel's judge still reads it


def test_a_judge_not_on_the_panel_gets_404_on_the_board_after_the_round_closes(given) -> None:
    given["admin"].post(f"/assessments/{given['aid']}/close", {"force": "测试"}, expect=200)
    given["outsider"].get(f"/assessments/{given['aid']}/scoreboard", expect=404)
    board = given["recused"].get(f"/assessments/{given['aid']}/scoreboard")
    assert [r["subject_id"] for r in board["rows"]] == [given["other"]]
    assert len(given["admin"].get(f"/assessments/{given['aid']}/scoreboard")["rows"]) == 2


def test_a_recused_judge_gets_404_on_that_subjects_self_assessment_and_suggestions(given):
    aid, subject, other, recused = given["aid"], given["subject"], given["other"], given["recused"]
    recused.get(f"/assessments/{aid}/self-assessments/{subject}/r", expect=404)
    recused.get(f"/assessments/{aid}/scorecards/{subject}/r/suggestions", expect=404)
    assert recused.get(f"/assessments/{aid}/self-assessments/{other}/r")["total"] == 9
    recused.get(f"/assessments/{aid}/scorecards/{other}/r/suggestions")
    assert given["judge"].get(f"/assessments/{aid}/self-assessments/{subject}/r")["total"] == 9


def test_a_judge_sees_only_their_own_subjects_and_no_other_judge(given) -> None:
    aid, recused = given["aid"], given["recused"]
    seen = recused.get(f"/assessments/{aid}")
    assert [s["subject_id"] for s in seen["subjects"]] == [given["other"]]
    assert seen["panel"] == [{"judge_id": given["recused_id"], "name": "评委丙"}]
    assert seen["components"][0]["key"] == "r"  # the set-up they need to score
    assert {a["subject_id"] for a in recused.get(f"/assessments/{aid}/assignments")} == {
        given["other"]}
    full = given["admin"].get(f"/assessments/{aid}")
    assert len(full["subjects"]) == 2 and len(full["panel"]) == 2
    assert len(given["judge"].get(f"/assessments/{aid}")["subjects"]) == 2
