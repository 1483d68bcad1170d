"""回避, quorum, self-assessment, tiers with quotas, publication, and their refusals."""

import pytest

from tests.api.flow import RUBRIC, Api, Round, bearer, create_tenant
from tests.evidence_files import PDF

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


def setup_round(admin: Api, **extra) -> tuple[str, str]:
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    body = {
        "name": "考核", "groups": [{"key": "g", "name": "组"}],
        "components": [{"key": "routine", "name": "常态化", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                 {"name": "不合格", "min": 0}]},
    } | extra
    return admin.post("/assessments", body)["id"], rubric["id"]


def school(admin: Api, name: str) -> str:
    return admin.post("/schools", {"name": name, "group": "组", "stage": "小学"})["id"]


def judge(admin: Api, name: str, affiliations=()) -> tuple[str, Api]:
    made = admin.post("/users", {"name": name, "role": "judge",
                                 "affiliations": list(affiliations)})
    return made["id"], admin.as_(made["token"])


def subject(admin: Api, aid: str, kind: str, ref: str) -> str:
    return admin.post(f"/assessments/{aid}/subjects",
                      {"kind": kind, "ref_id": ref, "group": "g"})["subject_id"]


def rows_by_subject(admin: Api, aid: str) -> dict:
    return {r["subject_id"]: r for r in admin.get(f"/assessments/{aid}/scoreboard")["rows"]}


@pytest.fixture
def admin(client, new_slug) -> Api:
    return create_tenant(client, new_slug(), "平罗县教研室")


def test_conflicts_are_found_for_schools_communities_and_units(admin) -> None:
    aid, _ = setup_round(admin, period={"starts_on": "2020-09-01", "ends_on": "2021-07-10"})
    mine, core = school(admin, "城关一小"), school(admin, "城关二小")
    other = school(admin, "姚伏小学")
    community = admin.post("/communities", {"name": "城关教研共同体", "type": "co_built",
                                            "scope": "县域", "core_school_id": core,
                                            "member_school_ids": [mine],
                                            "since": "2020-01-01"})["id"]
    host_id, _ = judge(admin, "坊主")
    studio = admin.post("/units", {"kind": "studio", "name": "语文名师工作室",
                                   "host_user_id": host_id})["id"]
    group = admin.post("/units", {"kind": "research_group", "name": "数学教研组",
                                  "school_id": mine, "subject": "数学"})["id"]
    s_mine, s_other = subject(admin, aid, "school", mine), subject(admin, aid, "school", other)
    s_comm = subject(admin, aid, "community", community)
    s_studio, s_group = subject(admin, aid, "unit", studio), subject(admin, aid, "unit", group)
    judge_id, _ = judge(admin, "评委", [{"kind": "school", "id": mine}])
    dry = admin.get(f"/assessments/{aid}/conflicts", judge_id=judge_id)
    assert {(c["subject_id"], c["category"]) for c in dry} == {
        (s_mine, "employment"), (s_comm, "employment"), (s_group, "employment")}
    assert s_other not in {c["subject_id"] for c in dry}
    added = admin.post(f"/assessments/{aid}/panel", {"judge_id": judge_id})
    assert sorted(map(str, added["recusals"])) == sorted(map(str, dry))
    host = admin.post(f"/assessments/{aid}/panel", {"judge_id": host_id})["recusals"]
    assert [(c["subject_id"], c["category"]) for c in host] == [(s_studio, "membership")]


def test_a_recusal_below_quorum_flags_the_subject_until_a_substitute_comes(admin) -> None:
    aid, _ = setup_round(admin, quorum=2)
    first, second = school(admin, "一小"), school(admin, "二小")
    s1, s2 = subject(admin, aid, "school", first), subject(admin, aid, "school", second)
    j1, api1 = judge(admin, "评委甲")
    j2, api2 = judge(admin, "评委乙", [{"kind": "school", "id": second}])
    for j in (j1, j2):
        admin.post(f"/assessments/{aid}/panel", {"judge_id": j})
    admin.post(f"/assessments/{aid}/open", expect=200)
    for api in (api1, api2):
        api.put(f"/assessments/{aid}/scorecards/{s1}/routine", {"scores": FULL})
        api.post(f"/assessments/{aid}/scorecards/{s1}/routine/submit", expect=200)
    api1.put(f"/assessments/{aid}/scorecards/{s2}/routine", {"scores": FULL})
    api1.post(f"/assessments/{aid}/scorecards/{s2}/routine/submit", expect=200)
    rows = rows_by_subject(admin, aid)
    assert rows[s1]["rank"] == 1 and rows[s1]["tier"] == "优秀"
    assert "below_quorum" in rows[s2]["flags"] and rows[s2]["rank"] is None
    j3, api3 = judge(admin, "替补评委")
    admin.post(f"/assessments/{aid}/panel", {"judge_id": j3})
    rows = rows_by_subject(admin, aid)
    assert "below_quorum" not in rows[s2]["flags"]
    assert "missing_cards:routine" in rows[s2]["flags"]
    api3.put(f"/assessments/{aid}/scorecards/{s2}/routine", {"scores": FULL})
    api3.post(f"/assessments/{aid}/scorecards/{s2}/routine/submit", expect=200)
    assert rows_by_subject(admin, aid)[s2]["rank"] == 1


def test_declaring_recusal_needs_a_reason_the_panel_and_only_once(admin) -> None:
    rnd = Round(admin, judges=1)
    _, api = rnd.judges[0]
    path = f"/assessments/{rnd.id}/recusals"
    api.post(path, {"subject_id": rnd.subjects[0]}, expect=400)
    api.post(path, {"subject_id": rnd.subjects[0], "reason": ""}, expect=400)
    api.post(path, {"subject_id": rnd.subjects[0], "reason": "曾在该校任教"})
    api.post(path, {"subject_id": rnd.subjects[0], "reason": "again"}, expect=409)
    _, outsider = judge(admin, "场外")
    outsider.post(path, {"subject_id": rnd.subjects[1], "reason": "x"}, expect=403)
    api.post(path, {"subject_id": "00000000-0000-0000-0000-000000000000", "reason": "x"},
             expect=404)


def test_judges_see_the_board_only_once_the_round_closes(admin) -> None:
    rnd = Round(admin, judges=1)
    _, api = rnd.judges[0]
    api.get(f"/assessments/{rnd.id}/scoreboard", expect=403)
    admin.post(f"/assessments/{rnd.id}/close", {"force": "评委未到"}, expect=200)
    assert api.get(f"/assessments/{rnd.id}/scoreboard")["rows"]


def test_a_self_assessment_sits_beside_the_panel_with_the_gap(admin) -> None:
    rnd = Round(admin, schools=("南钢学校", "京东学校"), judges=1)
    assessment = admin.get(f"/assessments/{rnd.id}")
    refs = {s["subject_id"]: s["ref_id"] for s in assessment["subjects"]}
    reporter = admin.post("/users", {"name": "教务处", "role": "reporter", "affiliations": [
        {"kind": "school", "id": refs[rnd.subjects[0]]}]})
    own = admin.as_(reporter["token"])
    path = f"/assessments/{rnd.id}/self-assessments/{rnd.subjects[0]}/routine"
    own.put(path, {"scores": FULL, "evidence_ids": []})
    rnd.score(0, rnd.subjects[0], {"1.1": 5, "1.2": 3, "2.1": 8})
    component = rows_by_subject(admin, rnd.id)[rnd.subjects[0]]["components"]["routine"]
    assert (component["self_score"], component["score"], component["gap"]) == (20.0, 16.0, 4.0)
    other = f"/assessments/{rnd.id}/self-assessments/{rnd.subjects[1]}/routine"
    own.put(other, {"scores": FULL}, expect=403)
    own.put(path, {"scores": {"1.1": 9}}, expect=422)
    rnd.judges[0][1].put(path, {"scores": FULL}, expect=403)  # judges do not self-assess


def test_quotas_cap_a_tier_and_ties_at_the_line_fall_together(admin) -> None:
    """Finals 100, 95, 95, 90 — all ≥ 90; 优秀 quota 0.5 of 4 → 2 places. Rank 1 keeps 优秀;
    the two tied at rank 2 would make 3, so both fall to 合格, and so does rank 4."""
    aid, _ = setup_round(admin, tiers={
        "thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}],
        "quota": {"优秀": 0.5}})
    subjects = [subject(admin, aid, "school", school(admin, f"学校{i}")) for i in range(4)]
    j, api = judge(admin, "评委")
    admin.post(f"/assessments/{aid}/panel", {"judge_id": j})
    admin.post(f"/assessments/{aid}/open", expect=200)
    for s, points in zip(subjects, (10, 9, 9, 8), strict=True):
        api.put(f"/assessments/{aid}/scorecards/{s}/routine",
                {"scores": {"1.1": 6, "1.2": 4, "2.1": points}})
        api.post(f"/assessments/{aid}/scorecards/{s}/routine/submit", expect=200)
    rows = rows_by_subject(admin, aid)
    assert [(rows[s]["final"], rows[s]["rank"], rows[s]["tier"]) for s in subjects] == [
        (100.0, 1, "优秀"), (95.0, 2, "合格"), (95.0, 2, "合格"), (90.0, 4, "合格")]


@pytest.mark.parametrize("ranks", [True, False])
def test_results_are_hidden_until_published_and_ranks_only_if_allowed(admin, ranks) -> None:
    aid, _ = setup_round(admin, publication={"ranks": ranks})
    s = subject(admin, aid, "school", school(admin, "南钢学校"))
    j, api = judge(admin, "评委")
    admin.post(f"/assessments/{aid}/panel", {"judge_id": j})
    reporter = admin.as_(admin.post("/users", {"name": "教务处", "role": "reporter"})["token"])
    admin.post(f"/assessments/{aid}/open", expect=200)
    api.put(f"/assessments/{aid}/scorecards/{s}/routine", {"scores": FULL})
    api.post(f"/assessments/{aid}/scorecards/{s}/routine/submit", expect=200)
    reporter.get(f"/assessments/{aid}/results", expect=409)
    reporter.get(f"/assessments/{aid}/scoreboard", expect=403)
    for step in ("close", "finalise"):
        admin.post(f"/assessments/{aid}/{step}", expect=200)
    api.put(f"/assessments/{aid}/scorecards/{s}/routine", {"scores": {"2.1": 1}}, expect=409)
    admin.post(f"/assessments/{aid}/scorecards/{s}/routine/reopen",
               {"judge_id": j, "reason": "更正"}, expect=409)
    reporter.get(f"/assessments/{aid}/results", expect=409)
    admin.post(f"/assessments/{aid}/publish", expect=200)
    [row] = reporter.get(f"/assessments/{aid}/results")["rows"]
    assert row["tier"] == "优秀"
    assert ("rank" in row, "final" in row) == (ranks, ranks)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"components": [{"key": "r", "name": "n", "rubric_id": "RID", "rubric_version": 1,
                          "weight": 100, "kind": "sports"}]}, "components[0].kind"),
        ({"tiers": {"thresholds": [{"name": "优秀", "min": 90}], "quota": {"良好": 0.2}}},
         "tiers.quota.良好"),
        ({"aggregation": {"method": "mode"}}, "aggregation.method"),
        ({"period": {"starts_on": "2021-01-01", "ends_on": "2020-01-01"}}, "period"),
        ({"components": [{"key": "r", "name": "n", "rubric_id": "RID", "rubric_version": 2,
                          "weight": 100}]}, "components[0].rubric_version"),
    ],
)
def test_an_invalid_assessment_names_the_field(admin, change, field) -> None:
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    body = {"name": "考核", "groups": [{"key": "g", "name": "组"}],
            "components": [{"key": "r", "name": "n", "rubric_id": rubric["id"],
                            "rubric_version": 1, "weight": 100}]} | change
    for component in body["components"]:
        if component["rubric_id"] == "RID":
            component["rubric_id"] = rubric["id"]
    r = admin.post("/assessments", body, expect=422)
    assert field in {e["field"] for e in r["errors"]}


def test_a_community_needs_the_assessment_to_have_a_period(admin) -> None:
    aid, _ = setup_round(admin)
    core = school(admin, "核心校")
    community = admin.post("/communities", {"name": "共同体", "type": "integrated",
                                            "scope": "县域", "core_school_id": core})["id"]
    r = admin.post(f"/assessments/{aid}/subjects",
                   {"kind": "community", "ref_id": community, "group": "g"}, expect=422)
    assert r["errors"][0]["field"] == "period"


def test_community_membership_has_dates_and_refuses_impossible_steps(admin) -> None:
    core, member = school(admin, "核心校"), school(admin, "成员校")
    cid = admin.post("/communities", {"name": "共同体", "type": "collaborative", "scope": "同城",
                                      "core_school_id": core, "member_school_ids": [member],
                                      "since": "2020-09-01"})["id"]
    admin.post(f"/communities/{cid}/members", {"school_id": member, "on": "2020-10-01"},
               expect=409)
    admin.post(f"/communities/{cid}/members", {"school_id": core}, expect=409)
    r = admin.client.delete(admin.url(f"/communities/{cid}/members/{member}"),
                            params={"on": "2021-07-01"}, headers=bearer(admin.token))
    assert r.status_code == 200
    [doc] = admin.get("/communities")
    assert doc["memberships"] == [{"school_id": member, "joined": "2020-09-01",
                                   "left": "2021-07-01"}]
    admin.post("/communities", {"name": "x", "type": "mixed", "scope": "县域",
                                "core_school_id": core}, expect=422)


def test_judges_read_the_self_assessment_beside_their_cards(admin) -> None:
    rnd = Round(admin, schools=("南钢学校",), judges=1)
    ref = admin.get(f"/assessments/{rnd.id}")["subjects"][0]["ref_id"]
    reporter = admin.as_(admin.post("/users", {"name": "教务处", "role": "reporter",
                                               "affiliations": [{"kind": "school", "id": ref}]}
                                    )["token"])
    path = f"/assessments/{rnd.id}/self-assessments/{rnd.subjects[0]}/routine"
    rnd.judges[0][1].get(path, expect=404)
    uploaded = reporter.client.post(reporter.url("/evidence"),
                                    files={"file": ("自查报告.pdf", PDF)},
                                    headers=bearer(reporter.token))
    evidence = uploaded.json()["id"]
    reporter.put(path, {"scores": {"1.1": 5}, "evidence_ids": [evidence]})
    seen = rnd.judges[0][1].get(path)
    assert seen["scores"] == {"1.1": 5.0} and seen["evidence_ids"] == [evidence]


def test_a_stale_if_match_on_the_panel_is_refused_and_writes_nothing(admin) -> None:
    rnd = Round(admin, judges=1)
    version = admin.get(f"/assessments/{rnd.id}")["version"]
    j, _ = judge(admin, "迟到评委")
    admin.post(f"/assessments/{rnd.id}/panel", {"judge_id": j}, expect=412,
               headers={"If-Match": str(version - 1)})
    assert j not in {p["judge_id"] for p in admin.get(f"/assessments/{rnd.id}")["panel"]}
    admin.post(f"/assessments/{rnd.id}/panel", {"judge_id": j},
               headers={"If-Match": str(version)})


def test_the_draw_is_recorded_and_the_same_seed_gives_the_same_order(admin) -> None:
    rnd = Round(admin, schools=tuple(f"学校{i}" for i in range(6)), judges=1)
    first = admin.post(f"/assessments/{rnd.id}/draw", {"seed": "2020-06-21"}, expect=200)
    again = admin.post(f"/assessments/{rnd.id}/draw", {"seed": "2020-06-21", "reason": "复核"},
                       expect=200)
    assert first["order"] == again["order"]
    assert sorted(first["order"]["yiguanzhi"]) == sorted(rnd.subjects)
    drawn = [e for e in admin.get(f"/assessments/{rnd.id}/history")["events"]
             if e["type"] == "OrderDrawn"]
    assert drawn[0]["details"]["seed"] == "2020-06-21"
    assert drawn[0]["details"]["order"] == first["order"]
    unseeded = admin.post(f"/assessments/{rnd.id}/draw", {"reason": "重新抽签"}, expect=200)
    assert unseeded["seed"] and admin.get(f"/assessments/{rnd.id}")["order"] == unseeded["order"]
