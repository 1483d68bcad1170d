"""教研活动 as pages: a school reporter applies, revises, records the day, uploads evidence and
summarises; the admin reviews, confirms, sees the calendar and issues certificates. Every
refusal is shown beside its field with what was typed; a reporter sees only their school's."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.activity_pages_flow import (
    CSRF_FIELD,
    PLAN,
    District,
    district,
    refusals_in_chinese,
)
from tests.api.test_evidence_guard import BOUNDARY, DECLARED, Body, huge
from tests.evidence_files import PDF
from tests.web_session import SESSION_COOKIE, session_for


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def d(pages, new_slug) -> District:
    return district(pages, new_slug())


def location(r: Any) -> str:
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_a_reporter_applies_and_a_refused_form_keeps_what_was_typed(d):
    d.as_reporter()
    form = d.pages.get(f"{d.t}/school/activities/new")
    assert form.status_code == 200, form.text
    assert "语文教研组" in form.text and "数学教研组" not in form.text  # own school's only

    typed = PLAN | {"unit": f"research_group:{d.group}", "theme": "  ", "periods": "0",
                    "plan": "第一节说课\n第二节议课"}
    refused = d.post(f"{d.t}/school/activities/new", f"{d.t}/school/activities", typed)
    assert refused.status_code == 422, refused.text
    refusals_in_chinese(refused.text)
    assert 'id="theme-error">必填' in refused.text
    assert 'id="periods-error">不能小于 1' in refused.text
    assert "第一节说课\n第二节议课</textarea>" in refused.text  # nothing typed is lost
    assert f'value="research_group:{d.group}" selected' in refused.text

    done = d.post(f"{d.t}/school/activities/new", f"{d.t}/school/activities",
                  PLAN | {"unit": f"research_group:{d.group}"})
    shown = d.pages.get(location(done))
    assert "待方案论证" in shown.text and "等待区教研室方案论证" in shown.text
    assert "预约申请已提交" in shown.text
    listed = d.pages.get(f"{d.t}/school/activities")
    assert "整本书阅读教学" in listed.text and "待方案论证" in listed.text


def test_a_reporter_cannot_apply_for_another_schools_unit(d):
    d.as_reporter()
    refused = d.post(f"{d.t}/school/activities/new", f"{d.t}/school/activities",
                     PLAN | {"unit": f"research_group:{d.other_group}"})
    assert refused.status_code == 403, refused.text


def test_the_admin_returns_with_an_opinion_and_the_reporter_revises(d):
    aid = d.apply()
    d.as_admin()
    page = f"{d.t}/admin/activities/{aid}"
    waiting = d.pages.get(f"{d.t}/admin/activities?status=applied")
    assert "待方案论证 <strong>1</strong>" in waiting.text and aid in waiting.text

    refused = d.post(page, f"{page}/review", {"decision": "return", "reviewer_0": "",
                                              "text_0": ""})
    assert refused.status_code == 422, refused.text
    refusals_in_chinese(refused.text)
    assert 'id="opinions-error">至少' in refused.text
    assert 'value="return" checked' in refused.text
    no_decision = d.post(page, f"{page}/review",
                         {"reviewer_0": "张教研员", "text_0": "目标再具体些"})
    assert no_decision.status_code == 422
    assert 'id="approved-error">必填' in no_decision.text
    assert 'value="张教研员"' in no_decision.text and "目标再具体些</textarea>" in no_decision.text

    half = d.post(page, f"{page}/review", {"decision": "return", "reviewer_0": "",
                                           "text_0": "目标再具体些"})
    assert half.status_code == 422 and 'id="reviewer_0-error">不能为空' in half.text
    assert 'id="opinions-error"' not in half.text and 'id="approved-error"' not in half.text
    d.pages.get(location(d.post(page, f"{page}/review", {
        "decision": "return", "reviewer_0": "张教研员", "text_0": "目标再具体些"})))

    d.as_reporter()
    mine = f"{d.t}/school/activities/{aid}"
    shown = d.pages.get(mine)
    assert "已退回修改" in shown.text and "目标再具体些" in shown.text
    assert "张教研员" in shown.text and "修改方案" in shown.text
    bad = d.post(mine, f"{mine}/revise",
                 PLAN | {"form": "不存在的形式", "theme": "整本书阅读（修改）"})
    assert bad.status_code == 422 and 'id="form-error"' in bad.text
    refusals_in_chinese(bad.text)
    assert 'value="整本书阅读（修改）"' in bad.text
    revised = d.pages.get(location(d.post(mine, f"{mine}/revise",
                                          PLAN | {"theme": "整本书阅读（修改）"})))
    assert "待方案论证" in revised.text and "整本书阅读（修改）" in revised.text


def test_from_approval_to_certificates_with_evidence(d, pages):
    aid = d.apply()
    d.as_admin()
    page = f"{d.t}/admin/activities/{aid}"
    d.pages.get(location(d.post(page, f"{page}/review", {
        "decision": "approve", "reviewer_0": "张教研员", "text_0": "同意开展"})))
    confirmed = d.pages.get(location(d.post(page, f"{page}/confirm",
                                            {"document": "区教研〔2026〕12号"})))
    assert "区教研〔2026〕12号" in confirmed.text and "已发文，待开展" in confirmed.text
    again = d.post(page, f"{page}/confirm", {"document": "x"})
    assert again.status_code == 409 and "不能进行这一步" in again.text
    refusals_in_chinese(again.text)
    assert 'action="' + page + '/confirm"' not in d.pages.get(page).text

    d.as_reporter()
    mine = f"{d.t}/school/activities/{aid}"
    refused = d.post(mine, f"{mine}/hold", {"held_on": "2026-11-12", "held_periods": "0",
                                            "participants": "王芳 主办\n李明"})
    assert refused.status_code == 422
    assert 'id="held_periods-error">不能小于 1' in refused.text
    assert "王芳 主办\n李明</textarea>" in refused.text
    held = d.pages.get(location(d.post(mine, f"{mine}/hold", {
        "held_on": "2026-11-12", "held_periods": "2", "participants": "王芳 主办\n李明"})))
    assert "已开展，待总结" in held.text and "王芳" in held.text and "主办" in held.text

    wrong = upload(d, mine, b"MZ\x90\x00 not a document", "setup.exe")
    assert wrong.status_code == 422, wrong.text
    assert 'id="file-error"' in wrong.text and "不接受这种类型的文件" in wrong.text
    refusals_in_chinese(wrong.text)
    kept = upload(d, mine, PDF, "教案.pdf")
    after = d.pages.get(location(kept))
    assert "教案.pdf" in after.text and 'name="evidence_ids"' in after.text
    evidence_id = re.search(r'name="evidence_ids" value="([0-9a-f-]+)"', after.text)[1]

    empty = d.post(location(kept), f"{mine}/summarise", {
        "highlights": "", "problems": "时间紧", "improvements": "提前备课",
        "evidence_ids": evidence_id})
    assert empty.status_code == 422 and 'id="highlights-error"' in empty.text
    assert "时间紧</textarea>" in empty.text and "教案.pdf" in empty.text
    summarised = d.pages.get(location(d.post(location(kept), f"{mine}/summarise", {
        "highlights": "研讨深入", "problems": "时间紧", "improvements": "提前备课",
        "evidence_ids": evidence_id})))
    assert "已总结" in summarised.text and "教案.pdf" in summarised.text

    d.as_admin()
    issued = d.pages.get(location(d.post(page, f"{page}/certificates", {})))
    assert "活动证书已颁发" in issued.text and "持证人可凭证书编号或二维码查验" in issued.text
    codes = re.findall(r'class="code" href="[^"]+/c/[^/]+/([A-Z0-9]{16})"', issued.text)
    assert len(codes) == 2
    sheet = d.pages.get(f"{page}/certificates")
    assert sheet.text.count("<svg") == 2 and "王芳" in sheet.text and "李明" in sheet.text
    check = d.pages.get(f"/c/{d.admin.slug}/{codes[0]}")
    assert check.status_code == 200 and "整本书阅读教学" in check.text
    twice = d.post(page, f"{page}/certificates", {})
    assert twice.status_code == 409 and "所有参与者都已有证书" in twice.text
    refusals_in_chinese(twice.text)


def token_of(text: str) -> str:
    found = CSRF_FIELD.search(text)
    assert found is not None
    return str(found[1] or found[2])


def upload(d: District, page: str, content: bytes, name: str) -> Any:
    form = d.pages.get(page)
    token = token_of(form.text)
    return d.pages.post(f"{page}/evidence", files={"file": (name, content)},
                        data={"_csrf_token": token}, follow_redirects=False)


def test_an_upload_with_htmx_answers_the_evidence_part_only(d):
    aid = d.apply()
    d.advance(aid, "held")
    d.as_reporter()
    mine = f"{d.t}/school/activities/{aid}"
    token = token_of(d.pages.get(mine).text)
    r = d.pages.post(f"{mine}/evidence", files={"file": ("记录.pdf", PDF)},
                     headers={"hx-request": "true", "x-csrftoken": token})
    assert r.status_code == 200, r.text
    assert r.text.lstrip().startswith('<div id="evidence"') and "记录.pdf" in r.text
    assert "?evidence=" in r.text  # the next upload carries this one along


def test_the_day_credits_co_hosts_of_the_reporters_own_school_only(d):
    prep = d.admin.post("/units", {"kind": "prep_group", "name": "三年级语文备课组",
                                   "school_id": d.school, "parent_id": d.group})["id"]
    aid = d.apply()
    d.advance(aid, "confirmed")
    d.as_reporter()
    mine = f"{d.t}/school/activities/{aid}"
    page = d.pages.get(mine).text
    assert "三年级语文备课组" in page and "数学教研组" not in page  # own school's units only
    day = {"held_on": "2026-11-12", "held_periods": "2", "participants": "王芳"}
    foreign = d.post(mine, f"{mine}/hold", day | {"co_host_unit_ids": [prep, d.other_group]})
    assert foreign.status_code == 422, foreign.text
    assert 'id="co_host_unit_ids-error">数学教研组 属于另一所学校' in foreign.text
    assert f'value="{prep}" checked' in foreign.text
    refusals_in_chinese(foreign.text)
    held = d.post(mine, f"{mine}/hold", day | {"co_host_unit_ids": prep})
    assert held.status_code == 303, held.text


def test_evidence_dated_after_today_is_refused_beside_its_date(d):
    aid = d.apply()
    d.advance(aid, "held")
    d.as_reporter()
    mine = f"{d.t}/school/activities/{aid}"
    r = d.pages.post(f"{mine}/evidence", files={"file": ("记录.pdf", PDF)},
                     data={"_csrf_token": token_of(d.pages.get(mine).text),
                           "dated": "2099-01-01"}, follow_redirects=False)
    assert r.status_code == 422, r.text
    assert 'id="dated-error">不得晚于上传当天' in r.text and "2099-01-01" in r.text
    refusals_in_chinese(r.text)


def test_a_reporter_sees_only_their_own_schools_activities(d):
    foreign = str(d.other_reporter.post("/activities", {
        "unit_kind": "research_group", "unit_id": d.other_group, "theme": "姚伏的活动",
        "form": "听评课", "planned_on": "2026-11-11", "periods": 1})["id"])
    d.advance(foreign, "confirmed")
    d.apply(theme="本校的活动")
    d.as_reporter()
    listed = d.pages.get(f"{d.t}/school/activities")
    assert "本校的活动" in listed.text and "姚伏的活动" not in listed.text
    assert d.pages.get(f"{d.t}/school/activities/{foreign}").status_code == 404
    mine = f"{d.t}/school/activities/new"
    r = d.post(mine, f"{d.t}/school/activities/{foreign}/hold",
               {"held_on": "2026-11-12", "held_periods": "2", "participants": "王芳"})
    assert r.status_code == 404
    assert d.admin.get(f"/activities/{foreign}")["status"] == "confirmed"
    sneaked = d.pages.post(f"{d.t}/school/activities/{foreign}/evidence",
                           files={"file": ("记录.pdf", PDF)},
                           data={"_csrf_token": token_of(d.pages.get(mine).text)},
                           follow_redirects=False)
    assert sneaked.status_code == 404


def test_an_upload_is_not_read_before_a_reporter_is_signed_in(d, container):
    aid = d.apply()
    d.advance(aid, "held")
    path = f"{d.t}/school/activities/{aid}/evidence"
    app = create_app(container)
    judge = d.admin.post("/users", {"name": "评委甲", "role": "judge"})
    for cookie, status in ((None, 401), ("kp_not_a_session", 401),
                           (session_for(str(d.pages.base_url), d.admin, judge["id"], ""), 403)):
        body = Body(huge())
        assert post_raw(app, path, body, cookie) == status, cookie
        assert body.yielded == 0, cookie  # answered with the body unread


def post_raw(app: Any, path: str, body: Any, session: str | None) -> int:
    headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
               (b"content-length", str(DECLARED).encode())]
    if session:
        headers.append((b"cookie", f"{SESSION_COOKIE}={session}; kaoping_csrf=x".encode()))
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("testserver", 80), "state": {}}
    anyio.run(app, scope, body.receive, send)
    return int(next(m for m in sent if m["type"] == "http.response.start")["status"])


def test_roles_other_than_the_pages_own_are_refused(d):
    aid = d.apply()
    d.sign_in("评委张老师", "judge")
    for path in ("/admin/activities", f"/admin/activities/{aid}", "/school/activities",
                 f"/school/activities/{aid}"):
        assert d.pages.get(d.t + path).status_code == 403, path
    d.as_reporter()
    assert d.pages.get(f"{d.t}/admin/activities").status_code == 403
    d.as_admin()
    assert d.pages.get(f"{d.t}/school/activities").status_code == 403
    page = f"{d.t}/admin/activities/{aid}"
    d.pages.get(page)
    no_token = d.pages.post(f"{page}/review", data={"decision": "approve", "reviewer_0": "x",
                                                    "text_0": "y"}, follow_redirects=False)
    assert no_token.status_code == 403
    assert d.admin.get(f"/activities/{aid}")["status"] == "applied"


def test_another_tenants_session_finds_nothing(d, pages, new_slug):
    aid = d.apply()
    elsewhere = district(pages, new_slug())
    elsewhere.as_admin()
    assert pages.get(f"{d.t}/admin/activities").status_code == 404
    assert pages.get(f"/t/{elsewhere.admin.slug}/admin/activities/{aid}").status_code == 404


def test_names_are_escaped(d):
    aid = d.apply(theme="<script>alert(1)</script>")
    d.admin.post(f"/activities/{aid}/review", {"approved": False, "opinions": [
        {"reviewer": "<b>专家</b>", "text": "<img src=x onerror=alert(1)>"}]}, expect=200)
    d.as_admin()
    for path in (f"/admin/activities/{aid}", "/admin/activities",
                 "/admin/activities?view=calendar&month=2026-11"):
        text = d.pages.get(d.t + path).text
        assert "<script>alert(1)" not in text, path
        assert html.escape("<script>alert(1)</script>") in text \
            or "&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
    d.as_reporter()
    text = d.pages.get(f"{d.t}/school/activities/{aid}").text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_the_calendar_shows_a_month_week_by_week_for_one_unit(d):
    d.apply(theme="十一月语文活动", planned_on="2026-11-10")
    d.apply(theme="十二月语文活动", planned_on="2026-12-03")
    d.other_reporter.post("/activities", {
        "unit_kind": "research_group", "unit_id": d.other_group, "theme": "姚伏数学活动",
        "form": "听评课", "planned_on": "2026-11-11", "periods": 1})
    d.as_admin()
    month = d.pages.get(f"{d.t}/admin/activities?view=calendar&month=2026-11")
    assert month.status_code == 200
    assert "2026年11月" in month.text and "十一月语文活动" in month.text
    assert "姚伏数学活动" in month.text and "十二月语文活动" not in month.text
    assert "周二 11/10" in month.text and "11月9日—11月15日" in month.text
    one_unit = d.pages.get(f"{d.t}/admin/activities?view=calendar&month=2026-11&unit={d.group}")
    assert "十一月语文活动" in one_unit.text and "姚伏数学活动" not in one_unit.text
    assert "month=2026-12" in one_unit.text  # 下月


def test_the_list_searches_sorts_and_pages_on_the_server(d):
    for i in range(55):
        d.apply(theme=f"活动{i:02d}")
    d.apply(theme="专题研讨：双减")
    d.as_admin()
    first = d.pages.get(f"{d.t}/admin/activities?sort=theme")
    assert "共 56 条，第 1 / 2 页" in first.text and "活动00" in first.text
    assert "活动54" not in first.text
    second = d.pages.get(f"{d.t}/admin/activities?sort=theme&page=2")
    assert "活动54" in second.text
    found = d.pages.get(f"{d.t}/admin/activities?q=双减")
    assert "共 1 条" in found.text and "专题研讨：双减" in found.text
