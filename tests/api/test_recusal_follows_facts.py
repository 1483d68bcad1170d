"""回避 over HTTP follows the facts: subjects added later, communities, affiliations changed
after scoring, community and unit members changed."""

from __future__ import annotations

import pytest

from tests.api.flow import Api, Round, bearer, create_tenant

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


@pytest.fixture
def admin(client, new_slug) -> Api:
    return create_tenant(client, new_slug(), "青山湖区教研室")


def school(admin: Api, name: str) -> str:
    return admin.post("/schools", {"name": name, "group": "一贯制学校组", "stage": "初中"})["id"]


def add_subject(rnd: Round, ref: str, kind: str = "school") -> str:
    return added(rnd, ref, kind)["subject_id"]


def added(rnd: Round, ref: str, kind: str = "school") -> dict:
    return rnd.admin.post(f"/assessments/{rnd.id}/subjects",
                          {"kind": kind, "ref_id": ref, "group": "yiguanzhi"})


def affiliate(admin: Api, user_id: str, affiliations: list, reason: str, **kw) -> dict:
    return admin.put(f"/users/{user_id}/affiliations",
                     {"affiliations": affiliations, "reason": reason}, **kw)


def history(admin: Api, rnd: Round, **params) -> list[dict]:
    return admin.get(f"/assessments/{rnd.id}/history", **params)["events"]


def test_the_probe_a_judge_is_recused_from_their_school_added_after_them(admin) -> None:
    rnd = Round(admin)
    (judge_id, judge), *_ = rnd.judges
    own = school(admin, "八一中学")
    affiliate(admin, judge_id, [{"kind": "school", "id": own}], "录入任职")
    new = added(rnd, own)  # the judge is already on the panel
    subject = new["subject_id"]
    refused = judge.put(rnd.card(subject), {"scores": FULL}, expect=409)
    assert refused["detail"] == "该评委对该对象回避，不能评分"
    rnd.judges[1][1].put(rnd.card(subject), {"scores": FULL})  # the others score it
    recused = [e for e in history(admin, rnd, judge_id=judge_id)
               if e["type"] == "JudgeRecused"]
    assert [(e["subject_id"], e["details"]["category"]) for e in recused] == [
        (subject, "employment")]
    assert recused[0]["reason"] == "评委任职于被评学校（新增被评对象：八一中学）"


def test_a_judge_of_a_community_is_recused_from_its_schools(admin) -> None:
    rnd = Round(admin)
    core, member, other = (school(admin, n) for n in ("南昌二中", "湖坊学校", "塘山学校"))
    community = admin.post("/communities", {
        "name": "二中教研共同体", "type": "integrated", "scope": "县域", "core_school_id": core,
        "member_school_ids": [member], "since": "2019-09-01"})["id"]
    made = admin.post("/users", {"name": "共同体教研员", "role": "judge", "affiliations": [
        {"kind": "community", "id": community}]})
    judge_id, judge = made["id"], admin.as_(made["token"])
    s_core, s_member, s_other = (add_subject(rnd, s) for s in (core, member, other))
    added = admin.post(f"/assessments/{rnd.id}/panel", {"judge_id": judge_id})
    assert {r["subject_id"] for r in added["recusals"]} == {s_core, s_member}
    assert {r["category"] for r in added["recusals"]} == {"membership"}
    for subject in (s_core, s_member):
        judge.put(rnd.card(subject), {"scores": FULL}, expect=409)
    judge.put(rnd.card(s_other), {"scores": FULL})
    # A school joining the community later is recused too; one leaving is released.
    admin.post(f"/communities/{community}/members", {"school_id": other})
    judge.put(rnd.card(s_other), {"scores": FULL}, expect=409)
    left = admin.client.delete(admin.url(f"/communities/{community}/members/{member}"),
                               headers=bearer(admin.token))
    assert left.status_code == 200, left.text
    judge.put(rnd.card(s_member), {"scores": FULL})
    lifted = [e for e in history(admin, rnd, judge_id=judge_id)
              if e["type"] == "RecusalLifted"]
    assert [e["subject_id"] for e in lifted] == [s_member]
    assert "湖坊学校退出二中教研共同体" in lifted[0]["reason"]


def test_an_affiliation_changed_after_scoring_voids_the_cards_and_says_why(admin) -> None:
    rnd = Round(admin)
    (judge_id, _), (other_id, _), _ = rnd.judges
    first, _second = rnd.subjects
    rnd.score(0, first, {"1.1": 6, "1.2": 4, "2.1": 2})
    scored = rnd.score(1, first, FULL)
    schools = {s["name"]: s["id"] for s in admin.get("/schools", after=scored["position"])}
    answer = affiliate(admin, judge_id, [{"kind": "school", "id": schools["南钢学校"]}],
                       "补录：该评委在南钢学校任教")
    assert answer["affiliations"] == [{"kind": "school", "id": schools["南钢学校"],
                                       "name": "南钢学校"}]
    assert answer["recusals"] == [{
        "assessment_id": rnd.id, "assessment": "2019—2020学年度校本教研述职述研评议",
        "judge_id": judge_id, "judge": "评委1", "subject_id": first, "subject": "南钢学校",
        "lifted": False, "category": "employment", "reason": "评委任职于被评学校"}]
    rnd.judges[0][1].put(rnd.card(first), {"scores": FULL}, expect=409)
    board = admin.get(f"/assessments/{rnd.id}/scoreboard", after=answer["position"])
    row = next(r for r in board["rows"] if r["subject_id"] == first)
    routine = row["components"]["routine"]
    assert routine["score"] == 20 and routine["judges"] == 1  # only 评委2's card counts
    assert routine["void"] == [{
        "judge_id": judge_id, "name": "评委1", "category": "employment",
        "reason": "评委任职于被评学校（评委评委1任职变更：补录：该评委在南钢学校任教）"}]
    assert other_id not in {v["judge_id"] for v in routine["void"]}
    read = admin.get(f"/users/{judge_id}/affiliations")
    assert [(h["version"], h["reason"], h["actor"]["role"]) for h in read["history"]] == [
        (1, None, "admin"), (read["history"][1]["version"], "补录：该评委在南钢学校任教", "admin")]
    assert read["history"][1]["affiliations"][0]["name"] == "南钢学校"
    users = {u["id"]: u for u in admin.get("/users", role="judge", after=answer["position"])}
    assert users[judge_id]["affiliations"] == [{"kind": "school", "id": schools["南钢学校"]}]


def test_correcting_an_affiliation_lifts_the_recusal_and_the_cards_count_again(admin) -> None:
    rnd = Round(admin)
    (judge_id, judge), *_ = rnd.judges
    first = rnd.subjects[0]
    scored = rnd.score(0, first, FULL)
    schools = {s["name"]: s["id"] for s in admin.get("/schools", after=scored["position"])}
    affiliate(admin, judge_id, [{"kind": "school", "id": schools["南钢学校"]}], "任职")
    answer = affiliate(admin, judge_id, [], "录入有误")
    assert [(r["subject"], r["lifted"]) for r in answer["recusals"]] == [("南钢学校", True)]
    board = admin.get(f"/assessments/{rnd.id}/scoreboard", after=answer["position"])
    routine = next(r for r in board["rows"] if r["subject_id"] == first)["components"]["routine"]
    assert routine["judges"] == 1 and "void" not in routine  # shown only when there are
    judge.post(f"/assessments/{rnd.id}/recusals", {"subject_id": first, "reason": "校友"})
    again = affiliate(admin, judge_id, [{"kind": "school", "id": schools["南钢学校"]}], "再任")
    assert again["recusals"] == []  # declared already: it stays declared
    assert affiliate(admin, judge_id, [], "再更正")["recusals"] == []


def test_bad_affiliation_changes_are_refused_and_change_nothing(admin) -> None:
    rnd = Round(admin)
    judge_id = rnd.judges[0][0]
    path = f"/users/{judge_id}/affiliations"
    admin.put(path, {"affiliations": []}, expect=400)  # no reason at all
    admin.put(path, {"affiliations": [], "reason": " "}, expect=422)
    admin.put(path, {"affiliations": [{"kind": "school", "id": judge_id}], "reason": "x"},
              expect=404)
    admin.put(path, {"affiliations": [{"kind": "planet", "id": judge_id}], "reason": "x"},
              expect=422)
    admin.put(path, {"affiliations": [], "reason": "x"}, headers={"If-Match": "7"},
              expect=412)
    rnd.judges[0][1].put(path, {"affiliations": [], "reason": "x"}, expect=403)
    assert len(admin.get(path)["history"]) == 1


def test_a_judge_made_a_studio_member_is_recused_from_the_studio(admin) -> None:
    rnd = Round(admin)
    (judge_id, judge), *_ = rnd.judges
    host = admin.post("/users", {"name": "坊主", "role": "teacher"})["id"]
    studio = admin.post("/units", {"kind": "studio", "name": "语文名师工作室",
                                   "host_user_id": host})["id"]
    s_studio = add_subject(rnd, studio, "unit")
    judge.put(rnd.card(s_studio), {"scores": FULL})
    answer = admin.put(f"/units/{studio}/members", {"host_user_id": host,
                                                    "member_user_ids": [judge_id],
                                                    "reason": "评委加入工作室"})
    assert [(r["subject"], r["category"]) for r in answer["recusals"]] == [
        ("语文名师工作室", "membership")]
    judge.put(rnd.card(s_studio), {"scores": FULL}, expect=409)
    units = admin.get("/units", after=answer["position"])
    assert next(u for u in units if u["id"] == studio)["member_user_ids"] == [judge_id]
    admin.put(f"/units/{studio}/members", {"member_user_ids": [], "reason": "x"}, expect=422)
