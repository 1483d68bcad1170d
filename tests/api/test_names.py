"""Answers give names beside ids: a district reads 南钢学校 and 评委1, not UUIDs."""

import pytest

from tests.api.flow import Api, Round, create_tenant


@pytest.fixture
def admin(client, new_slug) -> Api:
    return create_tenant(client, new_slug(), "青山湖区教研室")


def test_assignments_name_the_group_and_component(admin) -> None:
    rnd = Round(admin)
    mine = rnd.judges[0][1].get(f"/assessments/{rnd.id}/assignments")
    assert {a["name"] for a in mine} == {"南钢学校", "京东学校"}
    assert {(a["group_name"], a["component_name"]) for a in mine} == {("一贯制学校组",
                                                                        "常态化工作")}


def test_history_names_the_actor_subject_judge_and_component(admin) -> None:
    rnd = Round(admin)
    nangang = rnd.subjects[0]
    rnd.score(0, nangang, {"1.1": 5, "1.2": 4, "2.1": 9})
    history = admin.get(f"/assessments/{rnd.id}/history", subject_id=nangang)["events"]
    scored = next(e for e in history if e["type"] == "ScoresRecorded")
    assert scored["subject_name"] == "南钢学校"
    assert scored["judge_name"] == "评委1"
    assert scored["component_name"] == "常态化工作"
    assert scored["actor"]["name"] == "评委1"


def test_dropped_cards_name_their_judges(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=4)
    aid = rnd.id
    rubric_id = admin.get(f"/assessments/{aid}")["components"][0]["rubric_id"]
    trimmed = admin.post("/assessments", {
        "name": "去掉最高最低分", "groups": [{"key": "g", "name": "一类小学组"}],
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric_id,
                        "rubric_version": 1, "weight": 100}],
        "aggregation": {"method": "trimmed_mean", "trim": 1},
        "tiers": {"thresholds": [{"name": "合格", "min": 0}]},
    })["id"]
    school = admin.post("/schools", {"name": "八一学校", "group": "一类小学组",
                                     "stage": "小学"})["id"]
    sid = admin.post(f"/assessments/{trimmed}/subjects",
                     {"kind": "school", "ref_id": school, "group": "g"})["subject_id"]
    for judge_id, _ in rnd.judges:
        admin.post(f"/assessments/{trimmed}/panel", {"judge_id": judge_id})
    admin.post(f"/assessments/{trimmed}/open", expect=200)
    last = None
    for i, (_, judge) in enumerate(rnd.judges):
        card = f"/assessments/{trimmed}/scorecards/{sid}/routine"
        judge.put(card, {"scores": {"1.1": 2 + i, "1.2": 4, "2.1": 10}})
        last = judge.post(card + "/submit", expect=200)
    board = admin.get(f"/assessments/{trimmed}/scoreboard", after=last["position"])
    row = board["rows"][0]
    assert row["group_name"] == "一类小学组"
    dropped = row["components"]["routine"]["dropped_judges"]
    assert {d["name"] for d in dropped} == {"评委1", "评委4"}
    assert {d["judge_id"] for d in dropped} == set(row["components"]["routine"]["dropped"])


def test_conflicts_and_recusals_name_the_subject(admin) -> None:
    rnd = Round(admin, judges=1)
    school_id = admin.get(f"/assessments/{rnd.id}")["subjects"][0]["ref_id"]
    judge = admin.post("/users", {"name": "南钢校长", "role": "judge",
                                  "affiliations": [{"kind": "school", "id": school_id}]})
    dry = admin.get(f"/assessments/{rnd.id}/conflicts", judge_id=judge["id"])
    assert [c["subject_name"] for c in dry] == ["南钢学校"]
    added = admin.post(f"/assessments/{rnd.id}/panel", {"judge_id": judge["id"]})
    assert added["name"] == "南钢校长"
    assert [r["subject_name"] for r in added["recusals"]] == ["南钢学校"]


def test_a_unit_is_named_with_its_school(admin) -> None:
    school = admin.post("/schools", {"name": "南钢学校", "group": "一贯制学校组",
                                     "stage": "初中"})["id"]
    made = admin.post("/units", {"kind": "research_group", "name": "语文教研组",
                                 "school_id": school, "subject": "语文"})
    units = admin.get("/units", after=made["position"])
    assert [u["label"] for u in units] == ["语文教研组（南钢学校）"]


def test_refusals_name_the_actor(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=1)
    judge = rnd.judges[0][1]
    judge.post("/schools", {"name": "越权学校", "group": "g", "stage": "小学"}, expect=403)
    auditor = admin.as_(admin.post("/users", {"name": "审计员", "role": "auditor"})["token"])
    refusals = auditor.get("/audit/refusals")
    assert [r["actor_name"] for r in refusals] == ["评委1"]
