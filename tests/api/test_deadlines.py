"""Windows (自查自评, materials before the meeting), late work refused or flagged by the
round's rule, who is late, the 出场安排, and the chair's 综合评价意见 — over HTTP, in a tenant
whose zone is not Beijing's, so that every time is shown to be read and said in its zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from adapters.http.windows import moment
from tests.api.flow import RUBRIC, Api, Round, bearer
from tests.api.school_flow import SchoolRound
from tests.conftest import OPERATOR_TOKEN

ZONE = "America/New_York"
NEW_YORK = ZoneInfo(ZONE)
SCORES = {"1.1": 6, "1.2": 3.5}
FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


def zoned_tenant(client: Any, slug: str, zone: str = ZONE) -> Api:
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "纽约测试区教研室",
                                             "time_zone": zone},
                    headers=bearer(OPERATOR_TOKEN))
    assert r.status_code == 201, r.text
    return Api(client, slug, r.json()["admin_token"])


def local_now() -> datetime:
    return datetime.now(NEW_YORK)


def naive(moment: datetime) -> str:
    """A local date and time without an offset: the API reads it in the tenant's zone."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def windows(rnd: Any) -> str:
    return f"/assessments/{rnd.id}/windows"


def test_a_late_self_assessment_is_refused_with_its_deadline_in_the_tenants_time(
        client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    rnd = SchoolRound(admin, schools=("南钢学校", "京东学校"), today=local_now().date())
    _, reporter = rnd.reporters[0]
    # Two hours from now in New York, written without an offset: open. Read as Beijing or
    # UTC time, the same words would be hours ago, and the write refused.
    closes = local_now() + timedelta(hours=2)
    set_ = admin.put(windows(rnd), {"self_assessment": {"closes": naive(closes)},
                                    "late": "refuse"})
    assert set_["late"] == "refuse" and set_["time_zone"] == ZONE
    assert datetime.fromisoformat(set_["self_assessment"]["closes"]).utcoffset() == \
        closes.utcoffset()  # answered in the tenant's offset
    reporter.put(rnd.own(), {"scores": SCORES})

    # Half an hour ago, local: closed. Refused, saying when, in the tenant's time.
    closed = local_now() - timedelta(minutes=30)
    admin.put(windows(rnd), {"self_assessment": {"closes": naive(closed)}, "late": "refuse"})
    refused = reporter.put(rnd.own(), {"scores": {"1.1": 5}}, expect=409)
    said = f"{closed:%Y-%m-%d %H:%M}（{ZONE}）"
    assert "自查自评" in refused["detail"] and said in refused["detail"], refused
    assert "逾期" in refused["detail"]
    english = client.put(admin.url(rnd.own()), json={"scores": {"1.1": 5}},
                         headers={**bearer(reporter.token), "Accept-Language": "en"})
    assert english.status_code == 409 and f"{closed:%Y-%m-%d %H:%M} ({ZONE})" in english.text
    assert reporter.get(rnd.own())["scores"]["1.1"] == 6  # nothing changed
    assert reporter.get(rnd.own())["late"] is None

    # A window that opens tomorrow refuses work today, whatever the rule.
    tomorrow = (local_now() + timedelta(days=1)).date()
    admin.put(windows(rnd), {"self_assessment": {"opens": tomorrow.isoformat(),
                                                 "closes": (tomorrow + timedelta(days=9))
                                                 .isoformat()}, "late": "flag"})
    early = reporter.put(rnd.own(), {"scores": {"1.1": 5}}, expect=409)
    assert f"{tomorrow:%Y-%m-%d} 00:00（{ZONE}）" in early["detail"]


def test_a_late_self_assessment_is_accepted_and_flagged_when_the_round_says_so(
        client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    rnd = SchoolRound(admin, schools=("南钢学校", "京东学校"), today=local_now().date())
    _, reporter = rnd.reporters[0]
    yesterday = (local_now() - timedelta(days=1)).date()
    admin.put(windows(rnd), {"self_assessment": {"closes": yesterday.isoformat()},
                             "late": "flag", "reason": "逾期可补交，但须标记"})
    reporter.put(rnd.own(), {"scores": SCORES})
    assert reporter.get(rnd.own())["late"] == "self_assessment"

    late = admin.get(f"/assessments/{rnd.id}/deadlines")
    assert late["late"] == "flag"
    [window] = late["windows"]
    assert window["window"] == "self_assessment" and window["component_name"] == "常态化工作"
    assert window["passed"] is True
    closes = datetime.fromisoformat(window["closes"])
    assert closes.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M") == f"{yesterday} 23:59"
    by_name = {s["name"]: s for s in window["subjects"]}
    assert by_name["南钢学校"]["state"] == "late" and by_name["南钢学校"]["filed_at"]
    assert by_name["京东学校"] == {"subject_id": rnd.subjects[1], "name": "京东学校",
                                "group": "yiguanzhi", "state": "missing", "filed_at": None}

    history = admin.get(f"/assessments/{rnd.id}/history")["events"]
    scored = [e for e in history if e["type"] == "SelfScored"]
    assert scored[-1]["details"]["late"] == "self_assessment"
    [set_] = [e for e in history if e["type"] == "WindowsSet"]
    assert set_["reason"] == "逾期可补交，但须标记" and set_["details"]["late"] == "flag"
    # Who is late is the admin's and the auditor's to read, not a reporter's.
    reporter.get(f"/assessments/{rnd.id}/deadlines", expect=403)


def test_materials_are_due_days_before_the_groups_meeting(client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    rnd = SchoolRound(admin, schools=("南钢学校", "京东学校"), today=local_now().date())
    meeting = local_now().date() + timedelta(days=2)  # 3 days before: yesterday, passed
    admin.put(windows(rnd), {"materials_due_days_before": 3, "late": "refuse", "schedule": {
        "yiguanzhi": {"date": meeting.isoformat(), "start": "08:30",
                      "venue": "区教研中心三楼会议室"}}})
    refused = rnd.reporters[0][1].put(rnd.own(), {"scores": SCORES}, expect=409)
    assert "材料报送" in refused["detail"]
    assert f"{meeting - timedelta(days=3):%Y-%m-%d} 23:59（{ZONE}）" in refused["detail"]
    [window] = admin.get(f"/assessments/{rnd.id}/deadlines")["windows"]
    assert window["window"] == "materials" and window["group_name"] == "一贯制学校组"
    assert sorted(s["state"] for s in window["subjects"]) == ["missing", "missing"]

    # Moved a week later, the materials are on time again.
    admin.put(windows(rnd), {"materials_due_days_before": 3, "late": "refuse", "schedule": {
        "yiguanzhi": {"date": (meeting + timedelta(days=7)).isoformat()}}})
    rnd.reporters[0][1].put(rnd.own(), {"scores": SCORES})
    [window] = admin.get(f"/assessments/{rnd.id}/deadlines")["windows"]
    assert window["passed"] is False and window["subjects"] == []


def test_windows_are_checked_and_only_the_admin_sets_them(client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    rnd = SchoolRound(admin, schools=("南钢学校", "京东学校"), today=local_now().date())
    bad = admin.put(windows(rnd), {
        "self_assessment": {"opens": "2026-11-10", "closes": "2026-11-01"},
        "components": {"nope": {"self_assessment": {"closes": "2026-11-10"}}},
        "schedule": {"nogroup": {"date": "2026-12-01"}}}, expect=422)
    fields = {e["field"] for e in bad["errors"]}
    assert fields == {"self_assessment", "components.nope", "schedule.nogroup"}
    admin.put(windows(rnd), {"late": "later"}, expect=400)
    admin.put(windows(rnd), {"self_assessment": {"closes": "2026-02-30"}}, expect=422)
    rnd.reporters[0][1].put(windows(rnd), {"late": "flag"}, expect=403)
    # Per component (玉环: each component its own date).
    set_ = admin.put(windows(rnd), {"components": {"routine": {"self_assessment": {
        "closes": "2026-11-10"}}}})
    assert set_["components"]["routine"]["self_assessment"]["closes"].startswith(
        "2026-11-10T23:59:59-05:00")


def test_the_schedule_is_in_the_order_and_on_the_timer_page(client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    rnd = Round(admin)
    admin.put(windows(rnd), {"schedule": {"yiguanzhi": {
        "date": "2026-12-18", "start": "08:30", "venue": "区教研中心三楼会议室"}}})
    [group] = admin.get(f"/assessments/{rnd.id}/order")["groups"]
    assert group["schedule"] == {"date": "2026-12-18", "start": "08:30",
                                 "venue": "区教研中心三楼会议室"}
    assert group["time_limit_minutes"] == 8
    seen = rnd.judges[0][1].get(f"/assessments/{rnd.id}/windows")
    assert seen["schedule"]["yiguanzhi"]["group_name"] == "一贯制学校组"


def chaired_round(admin: Api, opinions: bool, tag: str = ""
                  ) -> tuple[str, list[str], list[tuple[str, Api]]]:
    """Two schools, two judges (the first the chair), open; ``opinions``: the round's
    publication setting."""
    rubric = admin.post("/rubrics", RUBRIC)["id"]
    admin.post(f"/rubrics/{rubric}/publish", expect=200)
    aid = admin.post("/assessments", {
        "name": "2025—2026学年度述职述研评议",
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 0}]},
        "publication": {"ranks": True, "opinions": opinions}})["id"]
    subjects = []
    for name in (f"南钢学校{tag}", f"京东学校{tag}"):
        school = admin.post("/schools", {"name": name, "group": "组", "stage": "初中"})["id"]
        subjects.append(admin.post(f"/assessments/{aid}/subjects", {
            "kind": "school", "ref_id": school, "group": "yiguanzhi"})["subject_id"])
    judges = []
    for i, chair in enumerate((True, False)):
        made = admin.post("/users", {"name": f"评委{i + 1}{tag}", "role": "judge"})
        added = admin.post(f"/assessments/{aid}/panel", {"judge_id": made["id"],
                                                         "chair": chair})
        assert added["name"] == f"评委{i + 1}{tag}"
        judges.append((made["id"], admin.as_(made["token"])))
    admin.post(f"/assessments/{aid}/open", expect=200)
    return aid, subjects, judges


def publish(admin: Api, aid: str, subjects: list[str], judges: list[tuple[str, Api]]) -> None:
    for i, (_, judge) in enumerate(judges):
        for subject in subjects:
            card = f"/assessments/{aid}/scorecards/{subject}/routine"
            judge.put(card, {"scores": FULL, "comment": f"评委{i + 1}的评语：资料齐全"})
            judge.post(card + "/submit", expect=200)
    for step in ("close", "finalise", "publish"):
        admin.post(f"/assessments/{aid}/{step}", expect=200)


def test_only_the_chair_writes_the_summary_and_its_history_shows_old_and_new(
        client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    aid, subjects, judges = chaired_round(admin, opinions=True)
    (chair_id, chair), (_, other) = judges
    path = f"/assessments/{aid}/opinions/{subjects[0]}"
    refused = other.put(path, {"text": "我不是组长"}, expect=403)
    assert "组长" in refused["detail"]
    admin.put(path, {"text": "管理员不写"}, expect=403)
    chair.put(path, {"text": "   "}, expect=422)
    first = chair.put(path, {"text": "教研制度健全，活动扎实。"})
    assert first["text"] == "教研制度健全，活动扎实。"
    chair.put(path, {"text": "教研制度健全，活动扎实；建议加强课题研究。"})
    history = admin.get(f"/assessments/{aid}/history",
                        type="OpinionWritten")["events"]
    assert [(e["details"]["from"], e["details"]["to"]) for e in history] == [
        (None, "教研制度健全，活动扎实。"),
        ("教研制度健全，活动扎实。", "教研制度健全，活动扎实；建议加强课题研究。")]
    assert history[0]["judge_id"] == chair_id and history[0]["judge_name"] == "评委1"
    assert history[0]["subject_name"] == "南钢学校"
    # A judge already on the panel can be made chair; then they may write too.
    admin.post(f"/assessments/{aid}/panel", {"judge_id": judges[1][0], "chair": True})
    other.put(path, {"text": "同意组长意见。"})
    appointed = admin.get(f"/assessments/{aid}/history", type="ChairAppointed")["events"]
    assert [e["details"]["name"] for e in appointed] == ["评委1", "评委2"]


def test_opinions_are_on_the_results_only_when_the_round_publishes_them(
        client, new_slug) -> None:
    admin = zoned_tenant(client, new_slug())
    for opinions in (False, True):
        aid, subjects, judges = chaired_round(admin, opinions=opinions, tag=str(opinions))
        judges[0][1].put(f"/assessments/{aid}/opinions/{subjects[0]}",
                         {"text": "综合评价：优秀。"})
        publish(admin, aid, subjects, judges)
        results = admin.get(f"/assessments/{aid}/results")
        assert results["opinions_published"] is opinions
        row = next(r for r in results["rows"] if r["subject_id"] == subjects[0])
        page = client.get(f"/p/{admin.slug}/{aid}").text
        if not opinions:
            assert "opinion" not in row and "comments" not in row
            assert "综合评价：优秀。" not in page and "资料齐全" not in page
            continue
        assert row["opinion"] == "综合评价：优秀。"
        assert row["comments"] == [{"component": "routine", "text": "评委1的评语：资料齐全"},
                                   {"component": "routine", "text": "评委2的评语：资料齐全"}]
        assert "综合评价：优秀。" in page and "评委2的评语：资料齐全" in page
        assert "综合评价意见" in page


def test_a_date_only_window_is_the_whole_day_in_the_tenants_zone() -> None:
    closes = moment("2026-11-10", NEW_YORK, "closes", True)
    assert closes.isoformat() == "2026-11-10T23:59:59-05:00"
    assert moment("2026-06-10", NEW_YORK, "closes", True).utcoffset() == timedelta(hours=-4)
    assert moment("2026-06-10", NEW_YORK, "opens", False).date() == date(2026, 6, 10)
