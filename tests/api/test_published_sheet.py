"""The 公示 sheet: one figure with one rule (四舍五入), tied to the log and the rubrics."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.assessment import PublishedResult
from tests.api.flow import RUBRIC, Api, create_tenant

# 17.5 of 20 points × weight 89.4 = 78.225 exactly: half up that is 78.23 (:.2f said 78.22)
WEIGHT = 89.4
AT_78_225 = {"1.1": 6, "1.2": 4, "2.1": 7.5}
FULL = {"1.1": 6, "1.2": 4, "2.1": 10}  # 20 of 20 → 89.40


class PublishedRound:
    """Two schools scored by one judge; 良好 starts exactly at the shown 78.23."""

    def __init__(self, admin: Api, publish: bool = True) -> None:
        self.admin = admin
        self.rubric = admin.post("/rubrics", RUBRIC)["id"]
        admin.post(f"/rubrics/{self.rubric}/publish", expect=200)
        self.id = admin.post("/assessments", {
            "name": "考核", "groups": [{"key": "g", "name": "一贯制学校组"}],
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": self.rubric,
                            "rubric_version": 1, "weight": WEIGHT}],
            "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "良好", "min": 78.23},
                                     {"name": "合格", "min": 60}]},
        })["id"]
        made = admin.post("/users", {"name": "评委甲", "role": "judge"})
        judge = admin.as_(made["token"])
        admin.post(f"/assessments/{self.id}/panel", {"judge_id": made["id"]})
        self.subjects = {}
        for name in ("南钢学校", "京东学校"):
            school = admin.post("/schools", {"name": name, "group": "组", "stage": "小学"})["id"]
            self.subjects[name] = admin.post(f"/assessments/{self.id}/subjects", {
                "kind": "school", "ref_id": school, "group": "g"})["subject_id"]
        admin.post(f"/assessments/{self.id}/open", expect=200)
        for name, scores in (("南钢学校", AT_78_225), ("京东学校", FULL)):
            card = f"/assessments/{self.id}/scorecards/{self.subjects[name]}/routine"
            judge.put(card, {"scores": scores})
            judge.post(card + "/submit", expect=200)
        for step in ("close", "finalise") + (("publish",) if publish else ()):
            self.published = admin.post(f"/assessments/{self.id}/{step}", expect=200)

    def results(self) -> dict:
        return self.admin.get(f"/assessments/{self.id}/results")


def test_78_225_is_78_23_on_the_board_and_the_sheet_and_decides_the_tier(client, new_slug):
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin)
    board = {row["name"]: row for row in
             admin.get(f"/assessments/{r.id}/scoreboard", after=r.published["position"])["rows"]}
    sheet = {row["name"]: row for row in r.results()["rows"]}
    for rows in (board, sheet):
        assert (rows["南钢学校"]["final"], rows["南钢学校"]["tier"], rows["南钢学校"]["rank"]) == (
            78.23, "良好", 2)
        assert (rows["京东学校"]["final"], rows["京东学校"]["tier"]) == (89.4, "良好")
    assert board["南钢学校"]["components"]["routine"]["converted"] == 78.23
    assert admin.get(f"/assessments/{r.id}/verify")["ok"]


def test_the_sheet_names_its_chain_head_and_the_pinned_rubric_versions(client, new_slug):
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin)
    sheet = r.results()
    chain = sheet["chain"]
    assert chain["position"] < r.published["position"]  # the head the publication follows
    auditor = admin.as_(admin.post("/users", {"name": "审计员", "role": "auditor"})["token"])
    [at] = auditor.get("/events", after=chain["position"] - 1, limit=1)["events"]
    assert (at["position"], at["hash"]) == (chain["position"], chain["hash"])
    assert sheet["rubrics"] == [{"component": "routine", "component_name": "常态化工作",
                                 "rubric_id": r.rubric, "rubric_name": RUBRIC["name"],
                                 "version": 1}]
    assert sheet["precision"] == 2


def test_a_sheet_published_before_the_rule_reads_exactly_as_stored(client, tenant):
    """Old sheets kept the exact final and a tier decided on it: they are read, not redone."""
    admin = Api(client, tenant.slug, tenant.admin_token)
    r = PublishedRound(admin, publish=False)
    app = tenant.app
    assessment = app.assessment(r.id)
    nangang, jingdong = (r.subjects["南钢学校"], r.subjects["京东学校"])
    old = (PublishedResult(UUID(jingdong), Decimal("89.4"), "良好", 1),
           PublishedResult(UUID(nangang), Decimal("78.225"), "合格", 2))
    assessment.publish(old, 5, "ab" * 32, tenant.admin)
    app.write(assessment)
    rows = {row["name"]: row for row in r.results()["rows"]}
    assert (rows["南钢学校"]["final"], rows["南钢学校"]["tier"]) == (78.23, "合格")
    assert r.results()["chain"] == {"position": 5, "hash": "ab" * 32}


def test_the_tenants_precision_is_pinned_into_each_new_round(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    assert admin.get("/settings/rounding") == {"precision": 2, "rule": "half_up",
                                               "version": None, "position": None}
    bad = admin.put("/settings/rounding", {"precision": 3}, expect=422)
    assert bad["errors"][0]["field"] == "precision"
    admin.put("/settings/rounding", {"precision": 1, "reason": "区里保留一位小数"})
    r = PublishedRound(admin)
    admin.put("/settings/rounding", {"precision": 0})  # later rounds only
    assert admin.get(f"/assessments/{r.id}")["precision"] == 1
    rows = {row["name"]: row for row in r.results()["rows"]}
    # 78.225 → 78.2 at one decimal: below 良好's 78.23, so 合格 — decided on the shown 78.2
    assert (rows["南钢学校"]["final"], rows["南钢学校"]["tier"]) == (78.2, "合格")
    assert r.results()["precision"] == 1
    assert admin.get("/settings/rounding")["precision"] == 0
