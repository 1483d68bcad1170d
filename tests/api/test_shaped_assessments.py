"""Assessments shaped per subject (issue 15), over HTTP on PostgreSQL: 考核组 (sub-panels),
per-subject components with 玉环's rules worked by hand, and teachers as subjects."""

from __future__ import annotations

from typing import Any

from tests.api.flow import RUBRIC, Api, create_tenant
from tests.api.test_worked_examples import leaves_of, post_rubric, scores_totalling

LEAVES = leaves_of(RUBRIC["indicators"])  # 1.1 (6), 1.2 (4), 2.1 (10): 20 points
GROUPS = [{"key": "xiaoxue", "name": "小学组"}, {"key": "chuzhong", "name": "初中组"}]


def points(total: float) -> dict[str, float]:
    return scores_totalling(LEAVES, total)


def judge(admin: Api, name: str, affiliations: list[dict[str, str]] | None = None,
          role: str = "judge") -> tuple[str, Api]:
    made = admin.post("/users", {"name": name, "role": role,
                                 "affiliations": affiliations or []})
    return made["id"], admin.as_(made["token"])


def school(admin: Api, name: str) -> str:
    return admin.post("/schools", {"name": name, "group": "小学组", "stage": "小学"})["id"]


class SubPanelRound:
    """Two 考核组 (小学组, 初中组), one school in each, quorum 2; 评委甲 sits for 小学组,
    评委乙 for 初中组, 评委丙 on the whole panel (no groups)."""

    def __init__(self, admin: Api) -> None:
        self.admin = admin
        rubric = post_rubric(admin, RUBRIC)
        self.id = admin.post("/assessments", {
            "name": "蒲城县校本教研分学段考核", "groups": GROUPS, "quorum": 2,
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                            "rubric_version": 1, "weight": 100}],
        })["id"]
        self.primary = self.add("school", school(admin, "城关小学"), "xiaoxue")
        self.middle = self.add("school", school(admin, "城关初中"), "chuzhong")
        self.jia = self.sit("评委甲", ["xiaoxue"])
        self.yi = self.sit("评委乙", ["chuzhong"])
        self.bing = self.sit("评委丙", None)

    def add(self, kind: str, ref: str, group: str, **extra: Any) -> str:
        return self.admin.post(f"/assessments/{self.id}/subjects",
                               {"kind": kind, "ref_id": ref, "group": group, **extra}
                               )["subject_id"]

    def sit(self, name: str, groups: list[str] | None) -> tuple[str, Api]:
        judge_id, api = judge(self.admin, name)
        body: dict[str, Any] = {"judge_id": judge_id}
        if groups is not None:
            body["groups"] = groups
        self.admin.post(f"/assessments/{self.id}/panel", body)
        return judge_id, api

    def card(self, subject: str, component: str = "routine") -> str:
        return f"/assessments/{self.id}/scorecards/{subject}/{component}"

    def score(self, who: tuple[str, Api], subject: str, total: float) -> None:
        who[1].put(self.card(subject), {"scores": points(total)})
        who[1].post(self.card(subject) + "/submit", expect=200)

    def board(self) -> dict[str, dict[str, Any]]:
        rows = self.admin.get(f"/assessments/{self.id}/scoreboard")["rows"]
        return {row["subject_id"]: row for row in rows}


def test_a_sub_panel_judge_sees_and_scores_only_their_groups_subjects(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    r = SubPanelRound(admin)
    panel = admin.get(f"/assessments/{r.id}")["panel"]
    assert [(p["name"], p.get("groups")) for p in panel] == [
        ("评委甲", ["xiaoxue"]), ("评委乙", ["chuzhong"]), ("评委丙", None)]
    admin.post(f"/assessments/{r.id}/open", expect=200)
    jia = r.jia[1]

    refused = jia.put(r.card(r.middle), {"scores": points(15)}, expect=403)
    assert refused["detail"] == "该评委所在考核组不评审此被评对象"
    assert [a["subject_id"] for a in jia.get(f"/assessments/{r.id}/assignments")] == [
        r.primary]
    assert [s["subject_id"] for s in jia.get(f"/assessments/{r.id}")["subjects"]] == [r.primary]
    jia.get(r.card(r.middle), expect=404)  # another group's subject: as if it did not exist
    r.score(r.jia, r.primary, 18)  # their own group's subject is theirs to score
    # The whole-panel judge scores both groups.
    r.score(r.bing, r.primary, 16)
    r.score(r.bing, r.middle, 14)
    r.score(r.yi, r.middle, 12)
    # Closing owes no card of 评委甲 for 初中组's school: every sitting judge's card is in.
    admin.post(f"/assessments/{r.id}/close", expect=200)
    seen = jia.get(f"/assessments/{r.id}/scoreboard")["rows"]  # blind until closed, then
    assert [row["subject_id"] for row in seen] == [r.primary]  # their groups' subjects only
    assert {row["subject_id"] for row in admin.get(f"/assessments/{r.id}/scoreboard")[
        "rows"]} == {r.primary, r.middle}


def test_a_judge_may_sit_on_several_groups_and_an_unknown_group_is_refused(
        client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    r = SubPanelRound(admin)
    both = r.sit("评委丁", ["xiaoxue", "chuzhong"])
    stranger, _ = judge(admin, "评委戊")
    refused = admin.post(f"/assessments/{r.id}/panel",
                         {"judge_id": stranger, "groups": ["gaozhong"]}, expect=422)
    assert refused["errors"] == [{"field": "groups[0]", "message": "没有组 gaozhong"}]
    admin.post(f"/assessments/{r.id}/open", expect=200)
    assert {a["subject_id"] for a in both[1].get(f"/assessments/{r.id}/assignments")} == {
        r.primary, r.middle}


def test_quorum_is_counted_per_group(client, new_slug) -> None:
    """Quorum 2. 小学组 has 评委甲 and 评委丙 (whole panel); 初中组 has 评委乙 and 评委丙.
    A second 初中组 judge recused leaves 初中组 at 2; recusing 评委丙 from 初中组's school
    leaves it below quorum, while 小学组 keeps its 2 — 评委乙 never counts for 小学组."""
    admin = create_tenant(client, new_slug())
    r = SubPanelRound(admin)
    admin.post(f"/assessments/{r.id}/open", expect=200)
    r.bing[1].post(f"/assessments/{r.id}/recusals",
                   {"subject_id": r.middle, "reason": "曾在该校任教"})
    board = r.board()
    assert "below_quorum" in board[r.middle]["flags"]  # only 评委乙 sits for it now
    assert "below_quorum" not in board[r.primary]["flags"]  # 评委甲 + 评委丙
    # A substitute for 初中组 only brings it back to quorum.
    r.sit("评委丁", ["chuzhong"])
    board = r.board()
    assert "below_quorum" not in board[r.middle]["flags"]
    progress = admin.get(f"/assessments/{r.id}/progress")
    owed = {(j["name"], j["not_started"]) for j in progress["judges"]}
    # 评委甲 owes one card (小学组's school), not two; 评委丁 one (初中组's).
    assert ("评委甲", 1) in owed and ("评委丁", 1) in owed and ("评委乙", 1) in owed


# -- 玉环: per-subject components ----------------------------------------------------------


def yuhuan_round(admin: Api) -> dict[str, Any]:
    """玉环 (篇2/篇5): two semesters' routine work 30% each, then 40 points of 帮扶项目 for
    the core school or of 特色发展 for a member. 融合型 communities are assessed on all four
    (全方位、一体化), 协作型 ones bundle only routine work and project. Full marks 100."""
    rubric = post_rubric(admin, RUBRIC)

    def component(key: str, name: str, kind: str, weight: int) -> dict[str, Any]:
        return {"key": key, "name": name, "rubric_id": rubric, "rubric_version": 1,
                "weight": weight, "kind": kind}

    ids = {name: school(admin, name) for name in
           ("玉城中学", "干江小学", "龙溪小学", "坎门中学", "鸡山小学", "沙门小学")}
    communities = {
        "融合": admin.post("/communities", {
            "name": "玉城融合共同体", "type": "integrated", "scope": "县域",
            "core_school_id": ids["玉城中学"],
            "member_school_ids": [ids["干江小学"], ids["龙溪小学"]],
            "since": "2020-09-01"})["id"],
        "协作": admin.post("/communities", {
            "name": "坎门协作共同体", "type": "collaborative", "scope": "县域",
            "core_school_id": ids["坎门中学"], "member_school_ids": [ids["鸡山小学"]],
            "since": "2020-09-01"})["id"],
    }
    a = admin.post("/assessments", {
        "name": "玉环市城乡义务教育共同体考核", "groups": [{"key": "g", "name": "共同体学校"}],
        "period": {"starts_on": "2020-09-01", "ends_on": "2021-06-30"},
        "components": [component("r1", "第一学期常态化工作", "routine", 30),
                       component("r2", "第二学期常态化工作", "routine", 30),
                       component("project", "帮扶项目", "project", 40),
                       component("distinctive", "特色发展", "distinctive", 40)],
        "component_rules": [
            {"applies_to": "core_school", "components": ["r1", "r2", "project"]},
            {"applies_to": "member_school", "components": ["r1", "r2", "distinctive"]},
            {"applies_to": "integrated", "components": ["r1", "r2", "project", "distinctive"]},
            {"applies_to": "collaborative", "components": ["r1", "r2", "project"]},
        ],
        "full_marks": 100,
    })["id"]
    subjects = {}
    for name, ref in ids.items():
        extra = {"components": ["r1", "project"]} if name == "沙门小学" else {}
        subjects[name] = admin.post(f"/assessments/{a}/subjects",
                                    {"kind": "school", "ref_id": ref, "group": "g", **extra})[
            "subject_id"]
    for name, ref in communities.items():
        subjects[name] = admin.post(f"/assessments/{a}/subjects",
                                    {"kind": "community", "ref_id": ref, "group": "g"})[
            "subject_id"]
    return {"id": a, "subjects": subjects, "rubric": rubric}


def test_yuhuan_per_subject_components_worked_by_hand(client, new_slug) -> None:
    """One judge, quorum 1; every rubric is out of 20, so a component converts as
    score / 20 × weight.

    Schools (each on its own components; 30 + 30 + 40 = 100, no renormalising):
      玉城中学 (融合型's core: r1, r2, 帮扶项目)  18, 16, 20 → 27 + 24 + 40   = 91.00
      干江小学 (member: r1, r2, 特色发展)       14, 15, 17 → 21 + 22.5 + 34 = 77.50
      龙溪小学 (member)                         16, 12, 19 → 24 + 18 + 38   = 80.00
      坎门中学 (协作型's core)                   10, 12, 16 → 15 + 18 + 32   = 65.00
      鸡山小学 (协作型's member)                 20, 18, 14 → 30 + 27 + 28   = 85.00
      沙门小学 (given r1 and 帮扶项目 alone: weights 70) 12, 15 → 18 + 30 = 48
                                                → 48 × 100 / 70 = 68.571… → 68.57
    玉城融合共同体 (融合型, all four components, derived from its schools):
      r1  1:1  core 18, members' mean (14 + 16) / 2 = 15   → 16.5  → 24.75
      r2  1:1  core 16, members' mean (15 + 12) / 2 = 13.5 → 14.75 → 22.125
      帮扶项目 7:3, the members have none: the core's 20            → 40
      特色发展 3:7, the core has none: the members' mean (17+19)/2 = 18 → 36
      sum 122.875 on weights 140 → × 100 / 140 = 87.767… → 87.77
    坎门协作共同体 (协作型 bundles routine work and project; every school equally):
      r1 (10 + 20) / 2 = 15 → 22.5;  r2 (12 + 18) / 2 = 15 → 22.5;
      帮扶项目: the member has none, the core's 16 → 32;  sum 77 on weights 100 → 77.00
    """
    admin = create_tenant(client, new_slug())
    y = yuhuan_round(admin)
    a, s = y["id"], y["subjects"]
    judge_id, api = judge(admin, "市教育局评委")
    admin.post(f"/assessments/{a}/panel", {"judge_id": judge_id})
    admin.post(f"/assessments/{a}/open", expect=200)
    read = {x["name"]: x for x in admin.get(f"/assessments/{a}")["subjects"]}
    assert read["玉城中学"]["role"] == "core" and read["干江小学"]["role"] == "member"
    assert read["干江小学"]["components"] == ["r1", "r2", "distinctive"]
    assert read["坎门协作共同体"]["components"] == ["r1", "r2", "project"]

    marks = {"玉城中学": {"r1": 18, "r2": 16, "project": 20},
             "干江小学": {"r1": 14, "r2": 15, "distinctive": 17},
             "龙溪小学": {"r1": 16, "r2": 12, "distinctive": 19},
             "坎门中学": {"r1": 10, "r2": 12, "project": 16},
             "鸡山小学": {"r1": 20, "r2": 18, "distinctive": 14},
             "沙门小学": {"r1": 12, "project": 15}}
    for name, by_component in marks.items():
        for key, total in by_component.items():
            card = f"/assessments/{a}/scorecards/{s[name]}/{key}"
            api.put(card, {"scores": points(total)})
            api.post(card + "/submit", expect=200)

    refused = api.put(f"/assessments/{a}/scorecards/{s['玉城中学']}/distinctive",
                      {"scores": points(10)}, expect=422)
    assert refused["detail"] == "此考核项目不适用于该被评对象"
    assert refused["errors"][0]["field"] == "component"

    rows = {row["name"]: row for row in admin.get(f"/assessments/{a}/scoreboard")["rows"]}
    finals = {name: row["final"] for name, row in rows.items()}
    assert finals == {"玉城中学": 91, "干江小学": 77.5, "龙溪小学": 80, "坎门中学": 65,
                      "鸡山小学": 85, "沙门小学": 68.57, "玉城融合共同体": 87.77,
                      "坎门协作共同体": 77}
    assert set(rows["玉城中学"]["components"]) == {"r1", "r2", "project"}
    assert set(rows["坎门协作共同体"]["components"]) == {"r1", "r2", "project"}
    fused = rows["玉城融合共同体"]["components"]
    assert [fused[k]["score"] for k in ("r1", "r2", "project", "distinctive")] == [
        16.5, 14.75, 20, 18]
    assert rows["玉城融合共同体"]["flags"] == [
        "derived:r1", "derived:r2", "derived:project", "derived:distinctive"]
    # Closing owes no school a card for a component that does not apply; it owes the
    # communities' own cards (derived here, as before issue 15), each of its own components.
    owed = admin.post(f"/assessments/{a}/close", expect=409)["missing"]
    assert sorted((m["subject_name"], m["component"]) for m in owed) == sorted(
        [("玉城融合共同体", k) for k in ("r1", "r2", "project", "distinctive")]
        + [("坎门协作共同体", k) for k in ("r1", "r2", "project")])


def test_component_rules_and_a_subjects_components_must_name_known_components(
        client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rubric = post_rubric(admin, RUBRIC)
    body = {"name": "考核", "groups": [{"key": "g", "name": "组"}],
            "components": [{"key": "r1", "name": "常态化", "rubric_id": rubric,
                            "rubric_version": 1, "weight": 100}],
            "component_rules": [{"applies_to": "member_school", "components": ["nope"]}]}
    refused = admin.post("/assessments", body, expect=422)
    assert refused["errors"][0]["field"] == "component_rules[0].components[0]"
    a = admin.post("/assessments", {**body, "component_rules": []})["id"]
    refused = admin.post(f"/assessments/{a}/subjects", {
        "kind": "school", "ref_id": school(admin, "学校"), "group": "g",
        "components": ["nope"]}, expect=422)
    assert refused["errors"][0]["field"] == "components[0]"


# -- people as subjects -------------------------------------------------------------------


def test_a_teacher_as_subject_and_each_conflict_kind(client, new_slug) -> None:
    """珠晖's 名师 / 蒲城's 工作点: a person assessed. A judge is recused if they are that
    person, work at the same school, or belong to the same studio; others are not."""
    admin = create_tenant(client, new_slug())
    rubric = post_rubric(admin, RUBRIC)
    school_id = school(admin, "城关小学")
    a = admin.post("/assessments", {
        "name": "珠晖区优秀教研组长、名师评选", "groups": [{"key": "mingshi", "name": "名师"}],
        "components": [{"key": "routine", "name": "履职", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 100}]})["id"]
    teacher = admin.post("/users", {"name": "王老师", "role": "teacher",
                                    "affiliations": [{"kind": "school", "id": school_id}]})["id"]
    colleague, colleague_api = judge(admin, "李评委", [{"kind": "school", "id": school_id}])
    fellow, _ = judge(admin, "赵评委")
    himself, _ = judge(admin, "陈名师")  # a 名师 who also judges
    outsider, outsider_api = judge(admin, "周评委")
    admin.post("/units", {"kind": "studio", "name": "王老师名师工作室", "subject": "语文",
                          "host_user_id": teacher, "member_user_ids": [fellow]})
    subject = admin.post(f"/assessments/{a}/subjects", {
        "kind": "teacher", "ref_id": teacher, "group": "mingshi"})["subject_id"]
    person = admin.post(f"/assessments/{a}/subjects", {
        "kind": "teacher", "ref_id": himself, "group": "mingshi"})["subject_id"]
    found = {}
    for judge_id in (colleague, fellow, himself, outsider):
        added = admin.post(f"/assessments/{a}/panel", {"judge_id": judge_id})
        found[judge_id] = {(r["subject_id"], r["category"], r["reason"])
                           for r in added["recusals"]}
    assert found[colleague] == {(subject, "employment", "评委与被评教师在同一学校任职")}
    assert found[fellow] == {(subject, "membership", "评委与被评教师同属一个工作室")}
    assert found[himself] == {(person, "personal", "评委本人即被评对象")}
    assert found[outsider] == set()
    names = {x["subject_id"]: x["name"] for x in admin.get(f"/assessments/{a}")["subjects"]}
    assert names == {subject: "王老师", person: "陈名师"}
    admin.post(f"/assessments/{a}/open", expect=200)
    outsider_api.put(f"/assessments/{a}/scorecards/{subject}/routine", {"scores": points(17)})
    refused = colleague_api.put(f"/assessments/{a}/scorecards/{subject}/routine",
                                {"scores": points(17)}, expect=409)
    assert "回避" in refused["detail"]
    # The teacher leaves the school: the colleague's recusal follows the facts (lifted), the
    # studio's stays.
    moved = admin.put(f"/users/{teacher}/affiliations", {"affiliations": [], "reason": "调离"})
    assert [(x["judge_id"], x["subject_id"], x["lifted"]) for x in moved["recusals"]] == [
        (colleague, subject, True)]
    assert admin.get(f"/assessments/{a}/conflicts", judge_id=fellow) == [
        {"subject_id": subject, "category": "membership", "reason": "评委与被评教师同属一个工作室",
         "subject_name": "王老师"}]


def test_a_drafts_component_rules_and_full_marks_can_be_changed(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    y = yuhuan_round(admin)
    a = y["id"]
    changed = admin.client.patch(admin.url(f"/assessments/{a}"), json={
        "component_rules": [{"applies_to": "school", "components": ["r1", "r2"]}],
        "full_marks": None}, headers={"Authorization": f"Bearer {admin.token}"})
    assert changed.status_code == 200, changed.text
    assert set(changed.json()["changed"]) == {"component_rules", "full_marks"}
    read = {x["name"]: x for x in admin.get(f"/assessments/{a}")["subjects"]}
    # The role rules are gone: every school now has the two routine components, except the
    # one given its own (r1 and 帮扶项目), which a rule never overrides.
    assert read["玉城中学"]["components"] == ["r1", "r2"]
    assert read["沙门小学"]["components"] == ["r1", "project"]
    # Dropping a component a subject was given is refused, naming the subject.
    dropped = admin.client.patch(admin.url(f"/assessments/{a}"), json={"components": [
        {"key": key, "name": key, "rubric_id": y["rubric"], "rubric_version": 1, "weight": 50}
        for key in ("r1", "r2")]}, headers={"Authorization": f"Bearer {admin.token}"})
    assert dropped.status_code == 422, dropped.text
    assert {"field": "components", "message": "沙门小学 的考核项目 project 在新的设置中不存在"} in \
        dropped.json()["errors"]


def test_who_is_late_counts_only_a_subjects_own_components(client, new_slug) -> None:
    """玉环's 特色发展 self-assessment (due 05-30): the core schools, which have none, are
    never listed as behind on it; the members (and the 融合型 community) are."""
    admin = create_tenant(client, new_slug())
    y = yuhuan_round(admin)
    admin.put(f"/assessments/{y['id']}/windows", {"components": {"distinctive": {
        "self_assessment": {"closes": "2021-05-30"}}}})
    [window] = admin.get(f"/assessments/{y['id']}/deadlines")["windows"]
    assert window["component"] == "distinctive" and window["passed"] is True
    behind = {s["subject_id"] for s in window["subjects"]}
    s = y["subjects"]
    assert behind == {s["干江小学"], s["龙溪小学"], s["鸡山小学"], s["融合"]}
