"""References are checked for ownership: evidence given by a school is that school's; units
named on an activity are the reporter's school's; id lists are capped and each id given once."""

import time
import uuid

import pytest

from tests.api.flow import Api, create_tenant
from tests.api.test_activities import PDF, one_school_round, plan, upload

LEAF = [{"code": "1", "title": "组织建设", "max_points": 10}]


def reporter(admin: Api, school: str, name: str) -> tuple[str, Api]:
    made = admin.post("/users", {"name": name, "role": "reporter",
                                 "affiliations": [{"kind": "school", "id": school}]})
    return made["id"], admin.as_(made["token"])


@pytest.fixture
def district(client, new_slug):
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    mine = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    theirs = admin.post("/schools", {"name": "冶金子弟学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(admin, mine, LEAF)
    admin.post(f"/assessments/{aid}/subjects", {"kind": "school", "ref_id": theirs, "group": "g"})
    admin.post(f"/assessments/{aid}/open", expect=200)
    theirs_subject = next(s["subject_id"] for s in admin.get(f"/assessments/{aid}")["subjects"]
                      if s["ref_id"] == theirs)
    return {"admin": admin, "mine": mine, "theirs": theirs, "aid": aid,
            "path": f"/assessments/{aid}/self-assessments/{subject}/r",
            "their_path": f"/assessments/{aid}/self-assessments/{theirs_subject}/r"}


def test_another_schools_evidence_is_refused_as_if_it_did_not_exist(district) -> None:
    admin = district["admin"]
    _, theirs = reporter(admin, district["theirs"], "冶金教务处")
    _, mine = reporter(admin, district["mine"], "珠晖教务处")
    evidence = upload(theirs, PDF, "他校记录.pdf")["id"]
    refused = mine.put(district["path"], {"scores": {"1": 9}, "evidence_ids": [evidence]},
                       expect=404)
    assert evidence in refused["detail"]
    mine.put(district["path"], {"scores": {"1": 9}, "evidence": {"1": [evidence]}}, expect=404)
    admin.get(district["path"], expect=404)  # nothing written


def test_evidence_stays_with_the_school_it_was_uploaded_for(district) -> None:
    """A reporter moved to another school may still open their old upload, but may not give
    it as the new school's."""
    admin = district["admin"]
    user_id, moved = reporter(admin, district["mine"], "调动的教务处")
    evidence = upload(moved, PDF, "原校记录.pdf")["id"]
    admin.put(f"/users/{user_id}/affiliations", {
        "affiliations": [{"kind": "school", "id": district["theirs"]}], "reason": "调动"})
    refused = moved.put(district["their_path"], {"scores": {"1": 8},
                                                 "evidence_ids": [evidence]}, expect=422)
    assert refused["errors"][0]["field"] == "evidence_ids[0]"
    admin.get(district["their_path"], expect=404)  # nothing written
    fresh = upload(moved, PDF, "新校记录.pdf")["id"]
    given = moved.put(district["their_path"], {"scores": {"1": 8}, "evidence_ids": [fresh]})
    assert given["version"] >= 1
    assert admin.get(district["their_path"])["evidence_ids"] == [fresh]


def test_an_id_given_twice_is_refused_naming_the_repeat(district) -> None:
    admin = district["admin"]
    _, mine = reporter(admin, district["mine"], "珠晖教务处")
    evidence = upload(mine, PDF, "记录.pdf")["id"]
    refused = mine.put(district["path"], {"scores": {"1": 9},
                                          "evidence_ids": [evidence, evidence]}, expect=422)
    assert [e["field"] for e in refused["errors"]] == ["evidence_ids[1]"]
    admin.get(district["path"], expect=404)


def test_25000_repeated_evidence_ids_are_refused_at_once(district) -> None:
    admin = district["admin"]
    _, mine = reporter(admin, district["mine"], "珠晖教务处")
    evidence = upload(mine, PDF, "记录.pdf")["id"]
    started = time.perf_counter()
    r = mine.put(district["path"], {"scores": {"1": 9}, "evidence_ids": [evidence] * 25_000},
                 expect=None)
    elapsed = time.perf_counter() - started
    assert r.status_code == 400, r.text
    assert elapsed < 5, elapsed  # refused by the body's schema, no id looked up
    by_indicator = mine.put(district["path"], {"scores": {"1": 9}, "evidence": {
        "1": [str(uuid.uuid4()) for _ in range(201)]}}, expect=None)
    assert by_indicator.status_code == 400, by_indicator.text
    admin.get(district["path"], expect=404)


@pytest.fixture
def confirmed(client, new_slug):
    """A school's activity, applied by its reporter, approved and confirmed; a unit of each
    school."""
    admin = create_tenant(client, new_slug(), "平罗县教研室")
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "小学组", "stage": "小学"})
    other = admin.post("/schools", {"name": "姚伏小学", "group": "小学组", "stage": "小学"})
    own, their = [admin.post("/units", {"kind": "research_group", "name": name,
                                        "school_id": s["id"], "subject": "语文"})["id"]
                  for name, s in (("平罗语文教研组", school), ("姚伏语文教研组", other))]
    _, rep = reporter(admin, school["id"], "平罗教务处")
    activity = rep.post("/activities", plan(own))["id"]
    admin.post(f"/activities/{activity}/review", {"approved": True, "opinions": [
        {"reviewer": "教研员", "text": "同意"}]}, expect=200)
    admin.post(f"/activities/{activity}/confirm", {}, expect=200)
    return admin, rep, activity, own, their


def test_a_reporter_names_no_other_schools_unit_on_an_activity(confirmed) -> None:
    admin, rep, activity, own, their = confirmed
    hold = {"held_on": "2020-09-10", "periods": 2}
    refused = rep.post(f"/activities/{activity}/hold", hold | {"host_unit_ids": [their]},
                       expect=422)
    assert refused["errors"] == [{"field": "host_unit_ids[0]",
                                  "message": refused["errors"][0]["message"]}]
    assert "姚伏语文教研组" in refused["errors"][0]["message"]
    refused = rep.post(f"/activities/{activity}/hold",
                       hold | {"host_unit_ids": [own], "co_host_unit_ids": [their]}, expect=422)
    assert [e["field"] for e in refused["errors"]] == ["co_host_unit_ids[0]"]
    rep.post(f"/activities/{activity}/hold", hold | {"host_unit_ids": [own, own]}, expect=422)
    rep.post(f"/activities/{activity}/hold", hold | {"host_unit_ids": [str(uuid.uuid4())]},
             expect=422)
    assert admin.get(f"/activities/{activity}")["status"] == "confirmed"  # nothing written
    rep.post(f"/activities/{activity}/hold", hold | {"host_unit_ids": [own]}, expect=200)
    assert admin.get(f"/activities/{activity}")["status"] == "held"


def test_the_admin_may_name_any_schools_unit(confirmed) -> None:
    admin, _, activity, own, their = confirmed
    admin.post(f"/activities/{activity}/hold", {"held_on": "2020-09-10", "periods": 2,
                                                "host_unit_ids": [own],
                                                "co_host_unit_ids": [their]}, expect=200)


def test_a_summary_gives_only_the_schools_own_evidence(confirmed, client) -> None:
    admin, rep, activity, own, _ = confirmed
    rep.post(f"/activities/{activity}/hold", {"held_on": "2020-09-10", "periods": 2,
                                              "host_unit_ids": [own]}, expect=200)
    other_school = admin.get("/schools")
    other = next(s for s in other_school if s["name"] == "姚伏小学")["id"]
    _, stranger = reporter(admin, other, "姚伏教务处")
    theirs = upload(stranger, PDF, "他校总结.pdf")["id"]
    rep.post(f"/activities/{activity}/summarise", {"highlights": "研讨充分",
                                                   "evidence_ids": [theirs]}, expect=404)
    assert admin.get(f"/activities/{activity}")["status"] == "held"
    ours = upload(rep, PDF, "本校总结.pdf")["id"]
    rep.post(f"/activities/{activity}/summarise", {"highlights": "研讨充分",
                                                   "evidence_ids": [ours]}, expect=200)
