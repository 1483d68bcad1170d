"""表格导入 in the console and the sheets to download from the pages: a clerk uploads a sheet,
reads the dry run's report in Chinese, commits it (all or nothing); the round's, the schools',
the activities', the compliance and the deadlines' sheets stream to a signed-in browser for
exactly the roles their API routes admit."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import bearer, create_tenant
from tests.api.school_flow import XSS, SchoolRound
from tests.api.test_activity_pages import post_raw
from tests.api.test_deadlines import local_now, naive, zoned_tenant
from tests.api.test_evidence_guard import Body, huge
from tests.api.test_imports import SCHOOLS, xlsx
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BAD = [SCHOOLS[0] + [XSS], SCHOOLS[1] + [""], ["湖坊小学", "一类小学组", "大学", "", ""],
       SCHOOLS[3] + [""]]


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def admin(web: TestClient[Any], new_slug: Any) -> Any:
    web.cookies.clear()
    return create_tenant(web, new_slug(), "珠晖区教育局")


def sign_in(web: TestClient[Any], admin: Any, role: str = "admin", name: str = "") -> str:
    made = admin.post("/users", {"name": name or f"教研室{role}", "role": role})
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), admin, made["id"], ""))
    return str(made["id"])


def token(web: TestClient[Any], url: str) -> str:
    found = CSRF.search(web.get(url).text)
    assert found, "the page has a form with a CSRF token"
    return found[1]


def upload(web: TestClient[Any], slug: str, body: bytes, kind: str = "schools",
           name: str = "学校名单.xlsx", **extra: str) -> Any:
    home = f"/t/{slug}/admin/imports"
    return web.post(home, data={"_csrf_token": token(web, f"{home}?kind=schools"), "kind": kind,
                                **extra},
                    files={"file": (name, body, XLSX)}, follow_redirects=False)


def report_of(web: TestClient[Any], done: Any) -> tuple[str, Any]:
    assert done.status_code == 303, done.text
    url = str(done.headers["location"])
    page = web.get(url)
    assert page.status_code == 200, page.text
    return url, page


def commit(web: TestClient[Any], url: str) -> Any:
    """提交导入 as the report's form posts it (or by hand where the page offers no form)."""
    found = CSRF.search(web.get(url).text)
    if found is None:
        return web.post(f"{url}/commit", headers={"x-csrftoken": web.cookies["kaoping_csrf"]},
                        follow_redirects=False)
    return web.post(f"{url}/commit", data={"_csrf_token": found[1]}, follow_redirects=False)


def names(admin: Any) -> list[str]:
    return sorted(s["name"] for s in admin.get("/schools"))


def test_a_bad_row_is_reported_in_chinese_then_the_fixed_sheet_is_committed(web, admin):
    sign_in(web, admin)
    home = web.get(f"/t/{admin.slug}/admin/imports?kind=schools")
    assert home.status_code == 200, home.text
    assert "表格导入" in home.text and "上传并检查" in home.text
    template = f"/t/{admin.slug}/admin/imports/templates/schools.xlsx"
    assert template in home.text
    blank = web.get(template)
    assert blank.status_code == 200 and blank.headers["content-type"].startswith(XLSX)
    assert load_workbook(io.BytesIO(blank.content)).active["A1"].value == "学校名称"
    assert f'href="/t/{admin.slug}/admin/imports"' in web.get(f"/t/{admin.slug}/admin").text

    url, report = report_of(web, upload(web, admin.slug, xlsx(BAD)))
    html = report.text
    assert "第 3 行「学段」：应为 高中、初中、小学、学前 之一" in html
    assert html.count('<td class="row">') == 1  # exactly that row
    assert '<dd class="rows">3</dd>' in html and '<dd class="ok">2</dd>' in html
    assert '<dd class="bad">1</dd>' in html
    assert ESCAPED in html and XSS not in html  # the unknown column, escaped
    assert "未识别的列" in html and "提交导入</button>" not in html
    assert names(admin) == []  # nothing written
    refused = commit(web, url)  # even posted by hand, rows in error are refused
    assert refused.status_code == 422
    assert "表格中有错误的行，未写入任何数据" in refused.text
    assert names(admin) == []

    url, report = report_of(web, upload(web, admin.slug, xlsx(SCHOOLS)))
    assert "检查通过" in report.text and "提交导入</button>" in report.text
    assert names(admin) == []
    done = commit(web, url)
    assert done.status_code == 303 and done.headers["location"] == f"{url}?done=1"
    shown = web.get(done.headers["location"])
    assert "导入成功" in shown.text and "共写入 3 条学校记录" in shown.text
    assert names(admin) == ["南钢学校", "塘山小学", "湖坊小学"]
    again = commit(web, url)  # a second commit answers the same, writes nothing
    assert again.status_code == 303 and len(admin.get("/schools")) == 3


def test_with_htmx_the_report_replaces_the_form_in_place(web, admin):
    sign_in(web, admin)
    home = f"/t/{admin.slug}/admin/imports"
    sheet = "学校名称,分组,学段\n南钢学校,一贯制学校组,初中\n".encode()
    answer = web.post(home, data={"kind": "schools"}, files={"file": ("a.csv", sheet, "text/csv")},
                      headers={"hx-request": "true",
                               "x-csrftoken": token(web, f"{home}?kind=schools")})
    assert answer.status_code == 200, answer.text
    assert answer.headers["hx-push-url"].startswith(f"{home}/")
    assert 'id="imports"' in answer.text and "检查通过" in answer.text
    empty = web.post(home, data={"kind": "schools"},
                     headers={"hx-request": "true",
                              "x-csrftoken": token(web, f"{home}?kind=schools")})
    assert empty.status_code == 200 and "请先选择要上传的表格文件" in empty.text


def test_a_refused_upload_is_said_in_chinese_beside_the_file(web, admin):
    sign_in(web, admin)
    broken = upload(web, admin.slug, b"PK\x03\x04 not a workbook", name="坏文件.xlsx")
    assert broken.status_code == 422, broken.text
    assert 'id="file-error"' in broken.text and "xlsx" in broken.text
    no_round = upload(web, admin.slug, xlsx([["名称", "分组"], ["南钢学校", "一贯制学校组"]]),
                      kind="subjects")
    assert no_round.status_code == 422 and "需要先选择考核" in no_round.text


def test_a_commit_after_the_data_changed_is_refused_in_chinese(web, admin):
    sign_in(web, admin)
    url, _ = report_of(web, upload(web, admin.slug, xlsx(SCHOOLS)))
    admin.post("/schools", {"name": "湖坊小学", "group": "一类小学组", "stage": "小学"})
    refused = commit(web, url)
    assert refused.status_code == 409
    assert "检查之后数据已有变动" in refused.text and "请重新上传表格检查" in refused.text
    assert names(admin) == ["湖坊小学"]


def test_a_judge_is_refused_and_posts_need_the_csrf_token(web, admin):
    sign_in(web, admin)
    url, _ = report_of(web, upload(web, admin.slug, xlsx(SCHOOLS)))
    home = f"/t/{admin.slug}/admin/imports"
    no_token = web.post(f"{url}/commit", data={}, follow_redirects=False)
    assert no_token.status_code == 403 and names(admin) == []
    unsigned = web.post(home, data={"kind": "schools"}, files={"file": ("a.xlsx", xlsx(SCHOOLS),
                                                                      XLSX)})
    assert unsigned.status_code == 403
    sign_in(web, admin, "judge", "评委张老师")
    for path in (home, url, f"{home}/templates/schools.xlsx"):
        assert web.get(path).status_code == 403, path
    assert web.get(f"/t/{admin.slug}/judge").status_code == 200
    csrf = web.cookies.get("kaoping_csrf")
    assert csrf
    assert web.post(f"{url}/commit", headers={"x-csrftoken": csrf}).status_code == 403
    assert names(admin) == []
    other = create_tenant(web, admin.slug + "x")
    sign_in(web, other)
    assert web.get(url.replace(f"/t/{admin.slug}/", f"/t/{other.slug}/")).status_code == 404


def test_an_upload_is_not_read_before_an_admin_is_signed_in(web, admin, container):
    app = create_app(container)
    judge = admin.post("/users", {"name": "评委甲", "role": "judge"})
    path = f"/t/{admin.slug}/admin/imports"
    for cookie, status in ((None, 401), ("kp_not_a_session", 401),
                           (session_for(str(web.base_url), admin, judge["id"], ""), 403)):
        body = Body(huge())
        assert post_raw(app, path, body, cookie) == status, cookie
        assert body.yielded == 0, cookie  # answered with the body unread


@pytest.fixture
def room(web: TestClient[Any], new_slug: Any) -> SchoolRound:
    web.cookies.clear()
    return SchoolRound(zoned_tenant(web, new_slug()), today=local_now().date())


def is_xlsx(answer: Any) -> Any:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(XLSX)
    return load_workbook(io.BytesIO(answer.content))


def test_the_round_page_links_its_sheets_and_they_stream_to_the_roles_the_api_admits(web, room):
    slug, judge_id = room.admin.slug, room.judge[0]
    sign_in(web, room.admin)
    base = f"/t/{slug}/sheets/assessments/{room.id}"
    page = web.get(f"/t/{slug}/admin/round/{room.id}").text
    for link in ("scorecards.xlsx", "history.xlsx", f"score-sheets.xlsx?judge_id={judge_id}",
                 "deadlines.xlsx"):
        assert f"{base}/{link}" in page, link
    assert f"{base}/results.xlsx" not in page and "公示表在结果公示后可下载" in page
    assert "评委甲" in page
    is_xlsx(web.get(f"{base}/scorecards.xlsx"))
    is_xlsx(web.get(f"{base}/history.xlsx"))
    is_xlsx(web.get(f"{base}/score-sheets.xlsx", params={"judge_id": judge_id}))
    is_xlsx(web.get(f"{base}/score-sheets.xlsx", params={"judge_id": judge_id,
                                                          "filled": "true"}))
    assert web.get(f"{base}/results.xlsx").status_code == 409  # not published yet
    schools = is_xlsx(web.get(f"/t/{slug}/sheets/schools.xlsx")).active
    assert "南钢学校" in [c.value for c in schools["A"]]
    assert f"/t/{slug}/sheets/schools.xlsx" in web.get(f"/t/{slug}/admin/org/schools").text
    is_xlsx(web.get(f"/t/{slug}/sheets/activities.xlsx"))
    assert f"/t/{slug}/sheets/activities.xlsx" in web.get(f"/t/{slug}/admin/activities").text
    room.admin.put("/compliance-rules", {"rules": [{"unit_kind": "school", "every": "month"}]})
    compliance = web.get(f"/t/{slug}/admin/compliance?start=2026-09-01&end=2027-01-31").text
    link = f"/t/{slug}/sheets/compliance.xlsx?period=2026-09-01..2027-01-31"
    assert link in compliance
    rows = is_xlsx(web.get(link)).active
    assert "南钢学校" in [c.value for c in rows["B"]]

    sign_in(web, room.admin, "judge", "评委乙")  # a judge: their own 评分表 only
    assert web.get(f"{base}/scorecards.xlsx").status_code == 403
    assert web.get(f"/t/{slug}/sheets/schools.xlsx").status_code == 403
    assert web.get(f"{base}/score-sheets.xlsx",
                   params={"judge_id": judge_id}).status_code == 403
    sign_in(web, room.admin, "reporter", "填报员丙")
    assert web.get(f"{base}/history.xlsx").status_code == 403
    assert web.get(f"{base}/deadlines.xlsx").status_code == 403
    web.cookies.clear()
    assert web.get(f"{base}/scorecards.xlsx").status_code == 401


def test_the_deadlines_sheet_lists_who_is_late_over_the_api_and_from_the_page(web, room):
    closed = local_now() - timedelta(hours=1)
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(closed)}, "late": "flag"})
    room.reporters[0][1].put(room.own(), {"scores": {"1.1": 6}})  # late, flagged
    api = room.admin.url(f"/assessments/{room.id}/deadlines.xlsx")
    answer = web.get(api, headers=bearer(room.admin.token))
    rows = [[c for c in row] for row in is_xlsx(answer).active.iter_rows(values_only=True)]
    late = {r[5]: r for r in rows if r and r[0] == "自查自评"}
    assert late["南钢学校"][7] == "逾期提交" and late[XSS][7] == "未提交"
    assert late["南钢学校"][3] == f"{closed:%Y-%m-%d %H:%M}"  # in the tenant's zone
    assert late["南钢学校"][4] == "已截止"
    csv = web.get(api.replace(".xlsx", ".csv"), headers=bearer(room.admin.token))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and "逾期提交" in csv.content.decode()
    reporter = web.get(api, headers=bearer(room.reporters[0][1].token))
    assert reporter.status_code == 403

    sign_in(web, room.admin)
    page = web.get(f"/t/{room.admin.slug}/admin/assessments/{room.id}/deadlines").text
    link = f"/t/{room.admin.slug}/sheets/assessments/{room.id}/deadlines.xlsx"
    assert link in page
    sheet = is_xlsx(web.get(link)).active
    assert "南钢学校" in [c.value for c in sheet["F"]]


def test_scores_are_imported_for_the_chosen_round_and_judge(web, room):
    slug, (judge_id, _) = room.admin.slug, room.judge
    sign_in(web, room.admin)
    home = f"/t/{slug}/admin/imports"
    picked = web.get(home, params={"kind": "scores", "assessment_id": room.id}).text
    assert "评委甲" in picked and "统分需要选择评分表所属的评委" in picked
    chosen = web.get(home, params={"kind": "scores", "assessment_id": room.id,
                                   "judge_id": judge_id}).text
    assert f"/t/{slug}/sheets/assessments/{room.id}/score-sheets.xlsx?judge_id={judge_id}" \
        in chosen
    sheet = xlsx([["被评对象", "考核项目", "指标", "得分"], ["南钢学校", "常态化工作", "1.1", "6"],
                  ["南钢学校", "常态化工作", "9.9", "1"]])
    _, report = report_of(web, upload(web, slug, sheet, kind="scores",
                                      assessment_id=room.id, judge_id=judge_id))
    assert "考核：2025—2026学年度校本教研述职述研评议" in report.text
    assert "评委：评委甲" in report.text
    assert "第 3 行" in report.text and "提交导入</button>" not in report.text
