"""学校填报员的页面 over HTTP: 自查自评 (scores, evidence per leaf, submission, refusals beside
the leaf with nothing typed lost, whose subject it is) and 公示与证书 (the school's own line,
ranks only when published, its certificates)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import create_tenant
from tests.api.public_flow import PublishedRound, issue_certificate
from tests.api.school_flow import XSS, SchoolRound
from tests.api.test_activity_pages import post_raw
from tests.api.test_annual_reviews import qingshanhu
from tests.api.test_evidence_guard import Body, huge
from tests.evidence_files import pdf
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def room(web: TestClient[Any], new_slug: Any) -> SchoolRound:
    web.cookies.clear()
    return SchoolRound(create_tenant(web, new_slug()))


def sign_in(web: TestClient[Any], admin: Any, user_id: str) -> None:
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), admin, user_id, ""))


def token_of(web: TestClient[Any], url: str) -> str:
    page = web.get(url)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found, "the form carries a CSRF token"
    return found[1]


def leaf_part(text: str, code: str, after: str | None) -> str:
    start = text.index(f'name="score:{code}"')
    return text[start:text.index(f'name="score:{after}"')] if after else text[start:]


def test_a_reporter_fills_in_uploads_a_pdf_and_submits(web, room) -> None:
    reporter_id, api = room.reporters[0]
    sign_in(web, room.admin, reporter_id)
    listed = web.get(f"/t/{room.admin.slug}/school/self-assessment")
    assert listed.status_code == 200, listed.text
    assert "南钢学校" in listed.text and "未填写" in listed.text
    assert ESCAPED not in listed.text  # another school's subject is not listed
    url = room.page()
    page = web.get(url)
    assert "1 组织建设" in page.text and "1.1 教研组设置合理" in page.text
    assert 'max="6"' in page.text and 'step="0.5"' in page.text

    token = token_of(web, url)
    uploaded = web.post(url + "/upload", data={
        "_csrf_token": token, "score:1.1": "5.5", "score:1.2": "", "score:2.1": "",
        "dated:1.1": "", "upload": "1.1"},
        files={"file:1.1": ("教研组会议记录.pdf", pdf(), "application/pdf")},
        follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text
    again = web.get(uploaded.headers["location"])
    assert "佐证材料已上传" in again.text and "教研组会议记录.pdf" in again.text
    evidence_id = api.get(room.own())["evidence"]["1.1"][0]
    assert f'value="{evidence_id}" checked' in leaf_part(again.text, "1.1", "1.2")

    done = web.post(url, data={"_csrf_token": token_of(web, url), "score:1.1": "5.5",
                               "score:1.2": "4", "score:2.1": "9",
                               "evidence:1.1": evidence_id, "action": "save"},
                    follow_redirects=False)
    assert done.status_code == 303, done.text
    own = api.get(room.own())
    assert own["scores"] == {"1.1": 5.5, "1.2": 4, "2.1": 9} and own["total"] == 18.5
    assert own["evidence"] == {"1.1": [evidence_id]}
    shown = web.get(done.headers["location"]).text
    assert "自评已提交" in shown and ">18.5<" in shown
    listed = web.get(f"/t/{room.admin.slug}/school/self-assessment").text
    assert "自评 18.5 / 20 分 · 佐证 1 份" in listed
    searched = web.get(f"/t/{room.admin.slug}/school/self-assessment", params={"q": "无此考核"})
    assert "没有找到与“无此考核”相关的考核" in searched.text and "南钢学校" not in searched.text
    _, judge = room.judge
    assert judge.get(room.own())["total"] == 18.5  # the judges see what was submitted


def test_a_wrong_file_type_is_refused_beside_its_leaf_and_typed_scores_survive(web, room):
    sign_in(web, room.admin, room.reporters[0][0])
    url = room.page()
    refused = web.post(url + "/upload", data={
        "_csrf_token": token_of(web, url), "score:1.1": "5.5", "score:1.2": "3",
        "score:2.1": "", "upload": "1.2"},
        files={"file:1.2": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200,
                            "application/octet-stream")})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    leaf = leaf_part(refused.text, "1.2", "2.1")
    assert "不接受这种类型的文件作为佐证材料" in leaf and "pdf、doc(x)" in leaf
    assert "不接受" not in leaf_part(refused.text, "1.1", "1.2")
    assert 'name="score:1.1"' in refused.text and 'value="5.5"' in refused.text
    assert 'value="3"' in leaf
    assert room.reporters[0][1].get(room.own(), expect=404)  # nothing saved


def test_evidence_dated_outside_the_period_is_refused_beside_its_leaf(web, room) -> None:
    sign_in(web, room.admin, room.reporters[0][0])
    url = room.page()
    refused = web.post(url + "/upload", data={
        "_csrf_token": token_of(web, url), "score:2.1": "8", "dated:2.1": "2010-03-01",
        "upload": "2.1"}, files={"file:2.1": ("旧记录.pdf", pdf(), "application/pdf")})
    assert refused.status_code == 422
    leaf = leaf_part(refused.text, "2.1", None)
    assert "材料须在考核期内" in leaf and "2010-03-01" in leaf
    assert 'value="2010-03-01"' in leaf and 'value="8"' in leaf
    assert "旧记录.pdf" not in leaf  # not given: it would be refused again
    assert room.reporters[0][1].get(room.own(), expect=404)


def test_a_bad_score_is_shown_beside_its_leaf_and_nothing_is_saved(web, room) -> None:
    sign_in(web, room.admin, room.reporters[0][0])
    url = room.page()
    refused = web.post(url, data={"_csrf_token": token_of(web, url), "score:1.1": "7",
                                  "score:1.2": "2", "score:2.1": "", "action": "save"})
    assert refused.status_code == 422
    assert "得分应在 0 到 6 之间，步长 0.5" in leaf_part(refused.text, "1.1", "1.2")
    assert 'value="7"' in refused.text and 'value="2"' in refused.text
    assert room.reporters[0][1].get(room.own(), expect=404)


def test_a_round_no_longer_open_refuses_in_words(web, room) -> None:
    sign_in(web, room.admin, room.reporters[0][0])
    url = room.page()
    token = token_of(web, url)
    room.admin.post(f"/assessments/{room.id}/close", {"force": "测试：提前结束"}, expect=200)
    refused = web.post(url + "/upload", data={"_csrf_token": token, "score:1.1": "5",
                                               "upload": "1.1"},
                       files={"file:1.1": ("记录.pdf", pdf(), "application/pdf")})
    assert refused.status_code == 409
    assert "考核当前状态为已结束" in leaf_part(refused.text, "1.1", "1.2")
    assert 'value="5"' in refused.text
    saved = web.post(url, data={"_csrf_token": token, "score:1.1": "5", "action": "save"})
    assert saved.status_code == 409 and "考核当前状态为已结束" in saved.text
    page = web.get(url).text
    assert "自评不能再提交或修改" in page and "提交自评" not in page


def test_another_schools_self_assessment_is_not_found(web, room) -> None:
    sign_in(web, room.admin, room.reporters[0][0])
    theirs = room.page(1)
    assert web.get(theirs).status_code == 404
    token = token_of(web, room.page())
    posted = web.post(theirs, data={"_csrf_token": token, "score:1.1": "5"})
    assert posted.status_code == 404
    uploaded = web.post(theirs + "/upload", data={"_csrf_token": token, "upload": "1.1"},
                        files={"file:1.1": ("记录.pdf", pdf(), "application/pdf")})
    assert uploaded.status_code == 404
    assert room.reporters[1][1].get(room.own(1), expect=404)


def test_a_judge_is_refused_the_school_pages(web, room) -> None:
    sign_in(web, room.admin, room.judge[0])
    for url in (f"/t/{room.admin.slug}/school/self-assessment", room.page(),
                f"/t/{room.admin.slug}/school/results"):
        refused = web.get(url)
        assert refused.status_code == 403 and "无权访问" in refused.text


def test_a_post_without_the_csrf_token_is_refused(web, room) -> None:
    sign_in(web, room.admin, room.reporters[0][0])
    web.get(room.page())
    assert web.post(room.page(), data={"score:1.1": "5"}).status_code == 403
    assert room.reporters[0][1].get(room.own(), expect=404)


def test_a_school_named_like_a_script_is_shown_as_text(web, room) -> None:
    sign_in(web, room.admin, room.reporters[1][0])
    for url in (f"/t/{room.admin.slug}/school/self-assessment", room.page(1)):
        text = web.get(url).text
        assert XSS not in text and ESCAPED in text


def school_id(admin: Any, name: str) -> str:
    return next(s["id"] for s in admin.get("/schools") if s["name"] == name)


def reporter_of(admin: Any, school: str) -> str:
    name = f"填报员{len(admin.get('/users'))}"
    return str(admin.post("/users", {"name": name, "role": "reporter", "affiliations": [
        {"kind": "school", "id": school}]})["id"])


@pytest.mark.parametrize("ranks", [False, True])
def test_results_show_the_own_line_only_and_ranks_only_when_published(web, new_slug,
                                                                      ranks) -> None:
    admin = create_tenant(web, new_slug())
    published = PublishedRound(admin, ranks=ranks)
    sign_in(web, admin, reporter_of(admin, school_id(admin, "京东学校")))
    page = web.get(f"/t/{admin.slug}/school/results")
    assert page.status_code == 200, page.text
    assert "京东学校" in page.text and "优秀" in page.text
    assert "南钢学校" not in page.text and ESCAPED not in page.text
    assert f'href="/p/{admin.slug}/{published.id}"' in page.text
    if ranks:
        assert ">名次<" in page.text and ">100" in page.text and ">1<" in page.text
    else:
        assert ">名次<" not in page.text and ">100" not in page.text
        assert "只公布等次" in page.text


def test_results_list_the_schools_certificates_with_check_and_print_links(web, new_slug):
    admin = create_tenant(web, new_slug())
    code = issue_certificate(admin, holder=XSS)
    sign_in(web, admin, reporter_of(admin, school_id(admin, "平罗第一小学")))
    page = web.get(f"/t/{admin.slug}/school/results").text
    assert f'href="/c/{admin.slug}/{code}"' in page
    assert f'href="/c/{admin.slug}/{code}/print"' in page
    assert "整本书阅读教学" in page and ESCAPED in page and XSS not in page
    other = admin.post("/schools", {"name": "另一所学校", "group": "小学组", "stage": "小学"})
    sign_in(web, admin, reporter_of(admin, other["id"]))
    assert code not in web.get(f"/t/{admin.slug}/school/results").text


def test_a_self_assessment_upload_is_not_read_before_a_reporter_is_signed_in(web, room,
                                                                             container):
    """A page is public to the API's guard and the CSRF check reads a whole form: without
    the reporter's session admitted first, anyone could make kaoping read 50 MB."""
    path = room.page() + "/upload"
    app = create_app(container)
    judge = room.admin.post("/users", {"name": "外来评委", "role": "judge"})
    for cookie, status in ((None, 401), ("kp_not_a_session", 401),
                           (session_for(str(web.base_url), room.admin, judge["id"], ""), 403)):
        body = Body(huge())
        assert post_raw(app, path, body, cookie) == status, cookie
        assert body.yielded == 0, cookie  # answered with the body unread


def annual_section(html: str) -> str:
    return html[html.index("<h2>年度考核</h2>"):html.index("<h2>活动证书</h2>")]


def test_results_show_the_schools_annual_line_once_the_review_is_published(web, new_slug):
    """青山湖: 南钢学校 85.00 ÷ 100 × 20 = 17.00, + 教务处日常工作 71.5 → 88.50;
    京东学校 97.50 ÷ 100 × 20 = 19.50."""
    admin = create_tenant(web, new_slug(), "青山湖区教研中心")
    rnd, schools = qingshanhu(admin)
    review = admin.post("/annual-reviews", {"year": "2019-2020", "name": "教务处工作考核",
                                            "parts": [{"assessment_id": rnd.id,
                                                       "source": "final", "points": 20}]})
    admin.post(f"/annual-reviews/{review['id']}/manual-parts", {
        "school_id": schools["南钢学校"], "label": "教务处日常工作", "points": 71.5,
        "reason": "查阅材料"})
    nangang = reporter_of(admin, schools["南钢学校"])
    sign_in(web, admin, nangang)
    before = annual_section(web.get(f"/t/{admin.slug}/school/results").text)
    assert "还没有已公布的年度考核结果" in before and "教务处工作考核" not in before

    written = admin.post(f"/annual-reviews/{review['id']}/publish", expect=200)
    admin.get(f"/annual-reviews/{review['id']}/board", after=written["position"])
    page = web.get(f"/t/{admin.slug}/school/results")
    assert page.status_code == 200, page.text
    section = annual_section(page.text)
    assert "教务处工作考核" in section and "南钢学校 · 2019-2020 学年 · 第 2 版" in section
    assert "公布于 " in section and "+08:00" not in section  # shown in the tenant's zone
    assert "2019—2020学年度校本教研工作述职述研评议 · 总分" in section
    assert "公示值 85.00" in section and ">17.00<" in section and "公布后更新" not in section
    assert "教务处日常工作" in section and "来源：手工录入" in section and ">71.50<" in section
    assert "年度总分" in section and "<strong>88.50</strong>" in section
    assert "19.50" not in section and "京东学校" not in section

    sign_in(web, admin, reporter_of(admin, schools["京东学校"]))
    theirs = annual_section(web.get(f"/t/{admin.slug}/school/results").text)
    assert "<strong>19.50</strong>" in theirs and "88.50" not in theirs
    assert "教务处日常工作" not in theirs
