"""教研活动 from 预约申请 to 总结, evidence, certificates, and who is behind the rules."""

import dataclasses
import hashlib
import io
import itertools
import zipfile

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import Api, bearer, create_tenant
from tests.evidence_files import PDF, image, mp4


@pytest.fixture
def district(client, new_slug):
    admin = create_tenant(client, new_slug(), "平罗县教研室")
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "小学组", "stage": "小学"})
    other = admin.post("/schools", {"name": "姚伏小学", "group": "小学组", "stage": "小学"})
    groups = [admin.post("/units", {"kind": "research_group", "name": name,
                                    "school_id": school["id"], "subject": subject})["id"]
              for name, subject in (("语文教研组", "语文"), ("数学教研组", "数学"))]
    reporter = admin.as_(admin.post("/users", {
        "name": "教务处", "role": "reporter",
        "affiliations": [{"kind": "school", "id": school["id"]}]})["token"])
    return admin, reporter, groups, other["id"]


def plan(unit_id, **extra):
    return {"unit_kind": "research_group", "unit_id": unit_id, "theme": "整本书阅读教学",
            "form": "集体备课", "planned_on": "2020-09-10", "periods": 2,
            "purpose": "研讨阅读策略", "plan": "说课、议课、磨课"} | extra


def held(admin: Api, body: dict, day: str, periods: int = 2) -> str:
    """An activity applied, approved, confirmed and held on ``day``."""
    aid = admin.post("/activities", body)["id"]
    admin.post(f"/activities/{aid}/review", {"approved": True, "opinions": [
        {"reviewer": "教研员", "text": "同意"}]}, expect=200)
    admin.post(f"/activities/{aid}/confirm", {}, expect=200)
    admin.post(f"/activities/{aid}/hold", {"held_on": day, "periods": periods}, expect=200)
    return aid


def one_school_round(admin: Api, school: str, indicators: list, **extra) -> tuple[str, str]:
    """A published rubric, an assessment of one school, opened. Returns (assessment, subject)."""
    rubric = admin.post("/rubrics", {"name": "细则", "indicators": indicators})
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    aid = admin.post("/assessments", {
        "name": "考核", "groups": [{"key": "g", "name": "组"}],
        "components": [{"key": "r", "name": "常态化", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}]} | extra)["id"]
    subject = admin.post(f"/assessments/{aid}/subjects",
                         {"kind": "school", "ref_id": school, "group": "g"})["subject_id"]
    return aid, subject


def reporter_of(admin: Api, school: str, name: str | None = None) -> Api:
    """A school's reporter; names are unique per role, so each one gets its own."""
    name = name or f"教务处{next(_reporters)}"
    return admin.as_(admin.post("/users", {"name": name, "role": "reporter", "affiliations": [
        {"kind": "school", "id": school}]})["token"])


_reporters = itertools.count(1)


def upload(api: Api, content: bytes, name: str, dated: str | None = None, expect=201):
    data = {"dated": dated} if dated else {}
    r = api.client.post(api.url("/evidence"), files={"file": (name, content)}, data=data,
                        headers=bearer(api.token))
    assert r.status_code == expect, r.text
    return r.json()


def test_an_activity_runs_from_application_to_summary_and_certificates(district, client):
    admin, reporter, groups, _ = district
    aid = reporter.post("/activities", plan(groups[0]))["id"]
    reporter.post(f"/activities/{aid}/hold", {"held_on": "2020-09-10", "periods": 2},
                  expect=409)  # not yet reviewed and confirmed
    admin.post(f"/activities/{aid}/review", {"approved": False, "opinions": [
        {"reviewer": "区教研员", "text": "目标不够聚焦"}]}, expect=200)
    reporter.post(f"/activities/{aid}/revise", {"theme": "整本书阅读：提问策略",
                                                 "form": "课例研修", "planned_on": "2020-09-11",
                                                 "periods": 2}, expect=200)
    admin.post(f"/activities/{aid}/review", {"approved": True, "opinions": [
        {"reviewer": "区教研员", "text": "同意"}]}, expect=200)
    admin.post(f"/activities/{aid}/confirm", {"document": "平教研〔2020〕12号"}, expect=200)
    reporter.post(f"/activities/{aid}/hold", {
        "held_on": "2020-09-11", "periods": 2,
        "participants": [{"name": "王芳", "role": "host"}, {"name": "李静", "role": "organiser"},
                         {"name": "张伟"}]}, expect=200)
    evidence = upload(reporter, PDF, "教案.pdf", "2020-09-11")
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert evidence["content_type"] == "application/pdf"
    reporter.post(f"/activities/{aid}/summarise", {
        "highlights": "学生提问质量明显提高", "problems": "时间紧", "improvements": "分组更细",
        "evidence_ids": [evidence["id"]]}, expect=200)
    issued = admin.post(f"/activities/{aid}/certificates")["certificates"]
    assert [c["holder"] for c in issued] == ["王芳", "李静", "张伟"]
    admin.post(f"/activities/{aid}/certificates", expect=409)  # everyone has one
    checked = client.get(admin.url(f"/certificates/{issued[0]['code']}"))  # no token at all
    assert checked.status_code == 200
    assert checked.json() == {"holder": "王芳", "theme": "整本书阅读：提问策略",
                              "date": "2020-09-11", "issuer": "平罗县教研室"}
    assert client.get(admin.url("/certificates/NOSUCHCODE2345AB")).status_code == 404
    read = admin.get(f"/activities/{aid}")
    assert read["status"] == "summarised" and read["form"] == "课例研修"
    reporter.post(f"/activities/{aid}/cancel", {"reason": "迟了"}, expect=409)


def test_a_certificate_checks_out_at_once_while_the_projection_is_held_still(
    client, tenant, container,
) -> None:
    """The public check answers from the log: a certificate just issued is found although
    the projector has not reached it (the projector does not follow this tenant)."""
    admin = Api(client, tenant.slug, tenant.admin_token)
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "小学组", "stage": "小学"})
    aid = admin.post("/activities", plan(school["id"], unit_kind="school"))["id"]
    admin.post(f"/activities/{aid}/review", {"approved": True, "opinions": [
        {"reviewer": "教研员", "text": "同意"}]}, expect=200)
    admin.post(f"/activities/{aid}/confirm", {}, expect=200)
    admin.post(f"/activities/{aid}/hold", {"held_on": "2020-09-10", "periods": 2,
                                           "participants": [{"name": "王芳"}]}, expect=200)
    admin.post(f"/activities/{aid}/summarise", {"highlights": "提问质量提高", "problems": "",
                                                "improvements": ""}, expect=200)
    [issued] = admin.post(f"/activities/{aid}/certificates")["certificates"]
    assert container.projector.position(tenant.slug) == 0  # the views have nothing yet
    checked = client.get(admin.url(f"/certificates/{issued['code'].lower()}"))
    assert checked.status_code == 200, checked.text
    assert checked.json() == {"holder": "王芳", "theme": "整本书阅读教学", "date": "2020-09-10",
                              "issuer": "测试区教研室"}
    assert client.get(admin.url("/certificates/NOSUCHCODE2345AB")).status_code == 404


def test_plans_need_a_theme_and_a_known_form_and_cancelling_needs_a_reason(district) -> None:
    admin, reporter, groups, _ = district
    reporter.post("/activities", plan(groups[0], theme=""), expect=400)
    refused = reporter.post("/activities", plan(groups[0], form="茶话会"), expect=422)
    assert refused["errors"][0]["field"] == "form"
    admin.post("/activity-forms", {"name": "茶话会"})
    assert "茶话会" in admin.get("/activity-forms") and "同课异构" in admin.get("/activity-forms")
    aid = reporter.post("/activities", plan(groups[0], form="茶话会"))["id"]
    reporter.post(f"/activities/{aid}/cancel", {}, expect=400)
    reporter.post(f"/activities/{aid}/cancel", {"reason": "与区统考冲突"}, expect=200)
    assert admin.get(f"/activities/{aid}")["status"] == "cancelled"


def test_a_reporter_records_only_their_own_schools_activities(district) -> None:
    admin, reporter, _, other_school = district
    theirs = admin.post("/units", {"kind": "research_group", "name": "英语教研组",
                                   "school_id": other_school, "subject": "英语"})["id"]
    reporter.post("/activities", plan(theirs), expect=403)
    admin.post("/activities", plan(theirs))


def test_evidence_is_told_by_its_content_not_its_name(district, container) -> None:
    _, reporter, _, _ = district
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert upload(reporter, docx.getvalue(), "总结.docx")["content_type"].endswith(
        "wordprocessingml.document")
    assert upload(reporter, image("PNG"), "照片.png")["content_type"] == "image/png"
    assert upload(reporter, image("JPEG"), "照片.jpg")["content_type"] == "image/jpeg"
    assert upload(reporter, mp4(), "课堂.mp4")["content_type"] == "video/mp4"
    refused = upload(reporter, b"MZ\x90\0 this is a program", "教案.pdf", expect=422)
    assert refused["errors"][0]["field"] == "file"
    upload(reporter, b"PK\x03\x04 not really a zip", "x.docx", expect=422)
    stored = container.settings.data_dir / "evidence"
    sha = hashlib.sha256(PDF).hexdigest()
    upload(reporter, PDF, "a.pdf")
    assert (stored / sha[:2] / sha).read_bytes() == PDF


def test_evidence_over_the_limit_is_413(container, district) -> None:
    _, reporter, _, _ = district
    small = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, evidence_max_bytes=1000))
    with TestClient(create_app(small)) as client:
        r = client.post(reporter.url("/evidence"), files={"file": ("big.pdf", PDF * 100)},
                        headers=bearer(reporter.token))
    assert r.status_code == 413


def test_compliance_shows_who_is_behind_week_by_week(district) -> None:
    admin, reporter, groups, _ = district
    admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "week", "min_activities": 1,
         "min_periods": 2}]})
    dates = {groups[0]: ["2020-09-08", "2020-09-15", "2020-09-22"], groups[1]: ["2020-09-09"]}
    for unit, days in dates.items():
        for day in days:
            held(admin, plan(unit, planned_on=day), day)
    report = admin.get("/compliance", period="2020-09-07..2020-09-27")
    by_unit = {u["unit_id"]: u for u in report["units"]}
    assert (by_unit[groups[0]]["required"], by_unit[groups[0]]["met"]) == (3, 3)
    assert not by_unit[groups[0]]["behind"]
    assert by_unit[groups[1]]["behind"] and by_unit[groups[1]]["missed"] == [
        "2020-09-14", "2020-09-21"]
    # Well formed but backwards: a rule (422), as for a round's period; a bad date is 400.
    admin.get("/compliance", period="2020-09-27..2020-09-07", expect=422)
    admin.get("/compliance", period="2020-09-07..2020-09-32", expect=400)
    reporter.get("/compliance", period="2020-09-07..2020-09-27", expect=403)


def test_self_assessment_evidence_must_be_dated_within_the_period(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    school = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(
        admin, school, [{"code": "1", "title": "组织建设", "max_points": 10}],
        period={"starts_on": "2020-09-01", "ends_on": "2021-07-10"})
    admin.post(f"/assessments/{aid}/open", expect=200)
    reporter = reporter_of(admin, school)
    late = upload(reporter, PDF, "去年的.pdf", "2019-06-01")
    timely = upload(reporter, PDF, "今年的.pdf", "2020-10-01")
    path = f"/assessments/{aid}/self-assessments/{subject}/r"
    refused = reporter.put(path, {"scores": {"1": 9}, "evidence_ids": [late["id"]]}, expect=422)
    assert refused["errors"][0]["field"] == "evidence_ids[0]"
    reporter.put(path, {"scores": {"1": 9}, "evidence_ids": [timely["id"]]})
    unknown = "00000000-0000-4000-8000-000000000000"
    reporter.put(path, {"scores": {"1": 9}, "evidence_ids": [unknown]}, expect=404)


def test_a_leaf_shows_its_activity_records_and_a_suggestion_the_judge_may_overrule(
    district,
) -> None:
    admin, _, groups, _ = district
    school = admin.get("/schools")
    school_id = next(s["id"] for s in school if s["name"] == "平罗第一小学")
    rubric = admin.post("/rubrics", {"name": "常规考核细则", "indicators": [
        {"code": "1", "title": "集体备课", "max_points": 8,
         "evidence": {"form": "集体备课", "min_count": 4}},
        {"code": "2", "title": "教研成果", "max_points": 2}]})
    assert rubric["draft"]["indicators"][0]["evidence"] == {"form": "集体备课", "min_count": 4}
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    for day, form in (("2020-09-08", "集体备课"), ("2020-09-15", "集体备课"),
                      ("2020-10-13", "集体备课"), ("2020-10-20", "磨课"),
                      ("2019-05-01", "集体备课")):  # the last is before the period
        held(admin, plan(groups[1], planned_on=day, form=form), day)
    judge = admin.post("/users", {"name": "评委", "role": "judge"})
    assessment = admin.post("/assessments", {
        "name": "2020学年常规考核", "groups": [{"key": "g", "name": "小学组"}],
        "components": [{"key": "r", "name": "常态化", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "period": {"starts_on": "2020-09-01", "ends_on": "2021-07-10"}})["id"]
    subject = admin.post(f"/assessments/{assessment}/subjects",
                         {"kind": "school", "ref_id": school_id, "group": "g"})["subject_id"]
    admin.post(f"/assessments/{assessment}/panel", {"judge_id": judge["id"]})
    admin.post(f"/assessments/{assessment}/open", expect=200)
    scorer = admin.as_(judge["token"])
    card = f"/assessments/{assessment}/scorecards/{subject}/r"
    [hint] = scorer.get(card + "/suggestions")
    assert (hint["code"], hint["count"], hint["suggested"]) == ("1", 3, 6.0)  # 8 × 3/4
    assert sorted(r["held_on"] for r in hint["records"]) == [
        "2020-09-08", "2020-09-15", "2020-10-13"]
    scorer.put(card, {"scores": {"1": 5, "2": 2}})  # the judge decides otherwise
    [entry] = admin.get(f"/assessments/{assessment}/history", type="ScoresRecorded")["events"]
    assert {"code": "1", "from": None, "to": 5.0, "suggested": 6.0} in entry["changes"]
    assert {"code": "2", "from": None, "to": 2.0} in entry["changes"]


def test_monthly_plans_count_what_is_planned_and_a_community_per_semester(district) -> None:
    """馬市坪: 月有安排 — a plan each month; 吴忠: each community once a semester."""
    admin, reporter, groups, other = district
    schools = {s["name"]: s["id"] for s in admin.get("/schools")}
    community = admin.post("/communities", {
        "name": "城乡教研共同体", "type": "collaborative", "scope": "县域",
        "core_school_id": schools["平罗第一小学"], "member_school_ids": [other],
        "since": "2020-01-01"})["id"]
    admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "month", "counts": "planned"},
        {"unit_kind": "community", "every": "semester"}]})
    reporter.post("/activities", plan(groups[0], planned_on="2020-09-20"))
    reporter.post("/activities", plan(groups[0], planned_on="2020-10-20"))
    cancelled = reporter.post("/activities", plan(groups[1], planned_on="2020-09-21"))["id"]
    reporter.post(f"/activities/{cancelled}/cancel", {"reason": "合并到区级活动"}, expect=200)
    held(admin, plan(community, unit_kind="community", form="送教下乡", planned_on="2020-11-03"),
         "2020-11-03", periods=4)
    report = {u["unit_id"]: u for u in admin.get(
        "/compliance", period="2020-09-01..2020-10-31")["units"]}
    assert (report[groups[0]]["met"], report[groups[0]]["required"]) == (2, 2)
    assert report[groups[1]]["behind"] and report[groups[1]]["counts"] == "planned"
    assert report[community]["behind"]  # its activity is in November
    semester = {u["unit_id"]: u for u in admin.get(
        "/compliance", period="2020-09-01..2021-01-31")["units"]}
    assert not semester[community]["behind"] and semester[community]["periods"] == 4


def test_evidence_attaches_to_single_indicators_of_a_self_assessment(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    school = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(admin, school, [
        {"code": "1", "title": "组织建设", "max_points": 10},
        {"code": "2", "title": "教研活动", "max_points": 10}])
    admin.post(f"/assessments/{aid}/open", expect=200)
    reporter = reporter_of(admin, school)
    minutes = upload(reporter, PDF, "教研组会议记录.pdf")["id"]
    path = f"/assessments/{aid}/self-assessments/{subject}/r"
    reporter.put(path, {"scores": {"1": 9, "2": 8}, "evidence": {"2": [minutes]}})
    assert admin.get(path)["evidence"] == {"2": [minutes]}
    refused = reporter.put(path, {"scores": {"1": 9}, "evidence": {"9": [minutes]}}, expect=422)
    assert refused["errors"][0]["field"] == "evidence.9"
    reporter.put(path, {"scores": {"1": 9}, "evidence": {"1": [
        "00000000-0000-4000-8000-000000000000"]}}, expect=404)
