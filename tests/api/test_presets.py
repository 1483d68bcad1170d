"""District presets (区县预设, issue 14): each creates a tenant set up as its document says,
and that tenant runs a round from start to end over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from services.activities import ActivityCommands
from tenants.presets import PRESET_KEYS
from tenants.templates import RUBRIC_TEMPLATES, demo_schools
from tests.api.flow import Api, bearer
from tests.conftest import OPERATOR_TOKEN

OPERATOR = bearer(OPERATOR_TOKEN)


def create(client: Any, slug: str, preset: str) -> Api:
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "预设区", "preset": preset},
                    headers=OPERATOR)
    assert r.status_code == 201, r.text
    return Api(client, slug, r.json()["admin_token"])


def the_round(admin: Api) -> dict[str, Any]:
    rounds = admin.get("/assessments")
    assert [r["status"] for r in rounds] == ["draft"]  # the preset's round, still a draft
    return admin.get(f"/assessments/{rounds[0]['id']}")  # type: ignore[no-any-return]


def leaves(indicators: list[dict[str, Any]]) -> dict[str, float]:
    found: dict[str, float] = {}
    for node in indicators:
        if node.get("children"):
            found.update(leaves(node["children"]))
        else:
            found[node["code"]] = node["max_points"]
    return found


# -- subjects each district's round is given by its admin (what the seed does not name) --

def school(admin: Api, name: str, group: str = "g", stage: str = "小学") -> str:
    return admin.post("/schools", {"name": name, "group": group, "stage": stage})["id"]  # type: ignore[no-any-return]


def add(admin: Api, a: str, kind: str, ref: str, group: str) -> None:
    admin.post(f"/assessments/{a}/subjects", {"kind": kind, "ref_id": ref, "group": group})


def research_groups(admin: Api, a: str) -> None:
    for name in ("城南小学", "城北小学"):
        unit = admin.post("/units", {"kind": "research_group", "name": "语文教研组",
                                     "school_id": school(admin, name), "subject": "语文"})
        add(admin, a, "unit", unit["id"], "research_group")


def zone_schools(admin: Api, a: str) -> None:
    for i, name in enumerate(("马市坪乡第一完小", "马市坪乡第二完小"), start=1):
        add(admin, a, "school", school(admin, name, f"zone{i}"), f"zone{i}")


def community_schools(admin: Api, a: str) -> None:
    core, member = school(admin, "玉城中学", stage="初中"), school(admin, "干江小学")
    admin.post("/communities", {"name": "玉城融合共同体", "type": "integrated", "scope": "县域",
                                "core_school_id": core, "member_school_ids": [member],
                                "since": "2026-09-01"})
    add(admin, a, "school", core, "communities")
    add(admin, a, "school", member, "communities")


def studios(admin: Api, a: str) -> None:
    host = admin.post("/users", {"name": "王坊主", "role": "teacher", "subject": "生物"})["id"]
    studio = admin.post("/units", {"kind": "studio", "name": "高中生物名师工作坊",
                                   "host_user_id": host})["id"]
    add(admin, a, "unit", studio, "senior")
    point = admin.post("/users", {"name": "李名师", "role": "teacher", "subject": "化学"})["id"]
    add(admin, a, "teacher", point, "junior")  # a 工作点 is a person


def communities(admin: Api, a: str) -> None:
    for c in admin.get("/communities")[:2]:
        add(admin, a, "community", c["id"], "communities")


SUBJECTS: dict[str, Callable[[Api, str], None]] = {
    "qingshanhu": lambda admin, a: None,  # the preset placed the 37 schools in order
    "zhuhui": research_groups, "pingluo": research_groups, "mashiping": zone_schools,
    "yuhuan": community_schools, "pucheng": studios, "wuzhong": communities,
}


def run_round(admin: Api, preset: str, round_: dict[str, Any]) -> dict[str, Any]:
    """Subjects, a panel of three, open, every card scored and submitted, close, finalise,
    publish: the results."""
    a = round_["id"]
    SUBJECTS[preset](admin, a)
    judges = []
    for i in range(3):
        made = admin.post("/users", {"name": f"评委{i + 1}", "role": "judge"})
        admin.post(f"/assessments/{a}/panel", {"judge_id": made["id"]})
        judges.append(admin.as_(made["token"]))
    admin.post(f"/assessments/{a}/open", expect=200)
    points = {c["key"]: leaves(admin.get(
        f"/rubrics/{c['rubric_id']}/versions/{c['rubric_version']}")["indicators"])
        for c in round_["components"]}
    for i, judge in enumerate(judges):
        for card in judge.get(f"/assessments/{a}/assignments"):
            url = f"/assessments/{a}/scorecards/{card['subject_id']}/{card['component']}"
            judge.put(url, {"scores": {code: top - 0.5 * i
                                       for code, top in points[card["component"]].items()}})
            judge.post(url + "/submit", expect=200)
    admin.post(f"/assessments/{a}/close", expect=200)
    admin.post(f"/assessments/{a}/finalise", expect=200)
    admin.post(f"/assessments/{a}/publish", expect=200)
    return admin.get(f"/assessments/{a}/results")  # type: ignore[no-any-return]


@pytest.mark.parametrize("preset", PRESET_KEYS)
def test_each_preset_creates_a_tenant_that_runs_a_round_from_start_to_end(
        client, new_slug, preset) -> None:
    admin = create(client, new_slug(), preset)
    round_ = the_round(admin)
    results = run_round(admin, preset, round_)
    subjects = admin.get(f"/assessments/{round_['id']}")["subjects"]
    assert results["status"] == "published"
    assert len(results["rows"]) == len(subjects) >= 2
    assert all(row.get("final") is not None or row["tier"] for row in results["rows"])


def test_qingshanhu_has_three_timed_groups_37_schools_in_printed_order_and_trimmed_mean(
        client, new_slug) -> None:
    admin = create(client, new_slug(), "qingshanhu")
    round_ = the_round(admin)
    assert [(g["key"], g["name"], g["time_limit_minutes"]) for g in round_["groups"]] == [
        ("yiguanzhi", "一贯制学校组", 8), ("yilei_xiaoxue", "一类小学组", 6),
        ("erlei_xiaoxue", "二类小学组", 6)]
    assert round_["aggregation"]["method"] == "trimmed_mean"
    order = admin.get(f"/assessments/{round_['id']}/order")
    printed = {g["key"]: g["schools"] for g in demo_schools()["groups"]}
    assert {g["key"]: [s["name"] for s in g["subjects"]] for g in order["groups"]} == printed
    assert sum(len(names) for names in printed.values()) == 37
    rubric = admin.get(f"/rubrics/{round_['components'][0]['rubric_id']}")
    assert "草案" in str(rubric)  # drafted from the seed's stated content, for the district
    tops = admin.get(f"/rubrics/{round_['components'][0]['rubric_id']}/versions/1")
    case = next(n for n in tops["indicators"] if n["title"] == "校本教研工作案例分享")
    assert [c["title"] for c in case["children"]] == [
        "情境再现", "问题提出", "理论分析", "行动对策", "总结反思"]


def test_zhuhui_has_the_nine_indicator_rubric_two_periods_every_two_weeks_and_the_advice(
        client, container, new_slug) -> None:
    admin = create(client, new_slug(), "zhuhui")
    round_ = the_round(admin)
    rubric = admin.get(f"/rubrics/{round_['components'][0]['rubric_id']}/versions/1")
    assert len(rubric["indicators"]) == 9 and rubric["total"] == 100
    rule = container.app(admin.slug).settings().rules[0]
    assert (rule.unit_kind, rule.every, rule.min_periods) == ("research_group", "two_weeks", 2)
    made = admin.post("/units", {"kind": "research_group", "name": "音乐教研组",
                                 "school_id": school(admin, "东阳渡小学"), "subject": "音乐"})
    assert any("不足3人" in w for w in made["warnings"])


def test_pingluo_meets_weekly_with_two_periods_and_never_publishes_ranks(
        client, container, new_slug) -> None:
    admin = create(client, new_slug(), "pingluo")
    rule = container.app(admin.slug).settings().rules[0]
    assert (rule.unit_kind, rule.every, rule.min_activities, rule.min_periods) == (
        "research_group", "week", 1, 2)
    results = run_round(admin, "pingluo", the_round(admin))
    assert results["ranks_published"] is False
    assert all("rank" not in row and "final" not in row and row["tier"]
               for row in results["rows"])  # 不得擅自公布考试成绩和排名: tiers only


def test_yuhuan_weighs_30_30_40_bundles_by_community_type_and_sets_self_assessment_dates(
        client, container, new_slug) -> None:
    admin = create(client, new_slug(), "yuhuan")
    round_ = the_round(admin)
    assert [(c["key"], c["weight"]) for c in round_["components"]] == [
        ("r1", 30), ("r2", 30), ("project", 40), ("distinctive", 40)]
    setup = container.app(admin.slug).assessment(round_["id"]).setup
    ratios = {(w.type, w.component): (w.core, w.members) for w in setup.community_weights}
    assert ratios[("integrated", "r1")] == (Decimal(1), Decimal(1))
    assert ratios[("co_built", "project")] == (Decimal(7), Decimal(3))
    assert ratios[("integrated", "distinctive")] == (Decimal(3), Decimal(7))
    windows = admin.get(f"/assessments/{round_['id']}/windows")
    closes = {key: w["self_assessment"]["closes"][5:10]
              for key, w in windows["components"].items()}
    assert closes == {"r1": "11-10", "r2": "06-10", "project": "05-30", "distinctive": "05-30"}


def test_pucheng_grades_studios_into_three_tiers_over_the_school_year(
        client, new_slug) -> None:
    admin = create(client, new_slug(), "pucheng")
    round_ = the_round(admin)
    assert [g["name"] for g in round_["groups"]] == ["高中", "初中", "小学（学前）"]
    results = run_round(admin, "pucheng", round_)
    assert {row["tier"] for row in results["rows"]} <= {"优秀", "合格", "不合格"}
    assert all(row["tier"] for row in results["rows"])


def test_mashiping_has_four_zones_weekly_activity_monthly_plans_yearly_acceptance(
        client, container, new_slug) -> None:
    admin = create(client, new_slug(), "mashiping")
    assert [g["name"] for g in the_round(admin)["groups"]] == [
        "第一协作区", "第二协作区", "第三协作区", "第四协作区"]
    rules = container.app(admin.slug).settings().rules
    assert {(r.every, r.counts, r.forms) for r in rules} == {
        ("week", "held", ()), ("month", "planned", ()), ("school_year", "held", ("学年验收",))}
    assert "学年验收" in admin.get("/activity-forms")


def test_wuzhong_has_its_forms_a_community_activity_each_semester_and_its_communities(
        client, container, new_slug) -> None:
    admin = create(client, new_slug(), "wuzhong")
    assert {"主题论坛", "共同送课", "专业引领", "校际会课"} <= set(admin.get("/activity-forms"))
    rule = container.app(admin.slug).settings().rules[0]
    assert (rule.unit_kind, rule.every, rule.min_activities) == ("community", "semester", 1)
    names = {c["name"] for c in admin.get("/communities")}
    assert "吴忠中学—青铜峡市高级中学共同体" in names and len(names) == 8


def test_an_unknown_preset_is_refused_in_chinese_and_creates_nothing(client, new_slug) -> None:
    slug = new_slug()
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "区", "preset": "nowhere"},
                    headers={**OPERATOR, "Accept-Language": "zh-CN"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "preset"
    assert "区县预设" in r.json()["detail"]
    assert slug not in {t["slug"] for t in client.get("/api/v1/tenants", headers=OPERATOR).json()}


def test_a_preset_failing_half_way_leaves_no_tenant_and_the_slug_starts_clean(
        client, container, new_slug, monkeypatch) -> None:
    """珠晖 publishes its rubric, then sets its rules: make the rules fail."""
    def broken(*args: Any) -> None:
        raise RuntimeError("the settings could not be written")

    monkeypatch.setattr(ActivityCommands, "set_rules", broken)
    slug = new_slug()
    try:
        r = client.post("/api/v1/tenants", json={"slug": slug, "name": "区", "preset": "zhuhui"},
                        headers=OPERATOR)
        assert r.status_code == 500
    except RuntimeError:
        pass
    assert container.catalogue.get(slug) is None
    monkeypatch.undo()
    admin = create(client, slug, "zhuhui")
    assert len(admin.get("/rubrics")) == 1  # nothing of the failed attempt is left
    assert len(admin.get("/users")) == 1


def test_a_preset_is_a_starting_point_its_drafted_rubric_and_round_can_be_edited(
        client, new_slug) -> None:
    admin = create(client, new_slug(), "qingshanhu")
    round_ = the_round(admin)
    report = round_["components"][0]
    body = json.loads(resources.files("tenants").joinpath(
        "templates", RUBRIC_TEMPLATES["qingshanhu"]).read_text(encoding="utf-8"))
    admin.put(f"/rubrics/{report['rubric_id']}", {**body, "name": "青山湖区述职述研评分细则"})
    admin.post(f"/rubrics/{report['rubric_id']}/publish", expect=200)
    admin.client.patch(admin.url(f"/assessments/{round_['id']}"), json={
        "components": [{"key": "report", "name": "述职述研", "rubric_id": report["rubric_id"],
                        "rubric_version": 2, "weight": 100}],
        "groups": [{"key": g["key"], "name": g["name"],
                    "time_limit_minutes": 10 if g["key"] == "yiguanzhi" else 6}
                   for g in round_["groups"]],
        "reason": "区教研中心调整评分细则与汇报时间"}, headers=bearer(admin.token))
    edited = admin.get(f"/assessments/{round_['id']}")
    assert edited["components"][0]["rubric_version"] == 2
    assert edited["groups"][0]["time_limit_minutes"] == 10
