"""The auditor's desk (审计) and the admin's live view of a round, as pages: names and tenant
time in the timeline, its filters, the board as it stood, verification, downloads, and the
round's close refused in words, then allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import TestClient
from psycopg.sql import SQL, Identifier

from adapters.export import verify_export
from adapters.http.app import create_app
from adapters.postgres.versions import view_schema
from tests.api.flow import Api, Round, bearer
from tests.conftest import OPERATOR_TOKEN
from tests.web_session import SESSION_COOKIE, session_for

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}
ZONE = "Asia/Urumqi"  # not Beijing time: the pages must show the tenant's own


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    """A client of its own: page tests keep session and CSRF cookies in its jar."""
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def rnd(pages, new_slug) -> Round:
    slug = new_slug()
    made = pages.post("/api/v1/tenants", json={"slug": slug, "name": "蒲城县教育局",
                                               "time_zone": ZONE},
                      headers=bearer(OPERATOR_TOKEN))
    assert made.status_code == 201, made.text
    return Round(Api(pages, slug, made.json()["admin_token"]), judges=2)


def user(rnd: Round, name: str, role: str) -> tuple[str, str]:
    made = rnd.admin.post("/users", {"name": name, "role": role})
    return made["id"], made["token"]


def sign_in(client: TestClient[Any], rnd: Round, user_id: str, token: str) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session_for(str(client.base_url), rnd.admin, user_id,
                                                   token))


def as_auditor(client: TestClient[Any], rnd: Round) -> str:
    sign_in(client, rnd, *user(rnd, "监察室王老师", "auditor"))
    return f"/t/{rnd.admin.slug}"


def as_admin(client: TestClient[Any], rnd: Round) -> str:
    admin_id = rnd.admin.get("/users", role="admin")[0]["id"]
    sign_in(client, rnd, admin_id, rnd.admin.token)
    return f"/t/{rnd.admin.slug}"


def text_of(html: str) -> str:
    """The page's words, without tags, one space between."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def revise(rnd: Round) -> None:
    """评委1 scores 南钢学校 in full, reopens it with a reason and lowers 2.1."""
    judge = rnd.judges[0][1]
    card = rnd.card(rnd.subjects[0])
    rnd.score(0, rnd.subjects[0], FULL)
    judge.post(card + "/reopen", {"reason": "复核材料后更正集体备课"}, expect=200)
    judge.put(card, {"scores": {"2.1": 5}})
    judge.post(card + "/submit", expect=200)


def test_the_timeline_shows_names_tenant_time_reasons_recusals_and_refusals(pages, rnd):
    revise(rnd)
    second = rnd.judges[1][1]
    second.post(f"/assessments/{rnd.id}/recusals",
                {"subject_id": rnd.subjects[1], "reason": "曾任该校教师"})
    second.put(rnd.card(rnd.subjects[1]), {"scores": {"1.1": 1}}, expect=409)
    base = as_auditor(pages, rnd)
    page = pages.get(f"{base}/audit/{rnd.id}")
    assert page.status_code == 200, page.text
    words = text_of(page.text)
    assert "评委1" in words and "南钢学校" in words and "京东学校" in words
    assert "复核材料后更正集体备课" in words and "曾任该校教师" in words
    assert "2.1 集体备课 10 → 5" in words  # old → new per leaf, with the leaf's title
    assert "mark-recusal" in page.text and "mark-refused" in page.text
    submitted = rnd.admin.get(f"/assessments/{rnd.id}/history", type="Submitted")["events"]
    at = datetime.fromisoformat(submitted[0]["at"]).astimezone(ZoneInfo(ZONE))
    assert at.strftime("%Y-%m-%d %H:%M:%S") in words  # the tenant's time, not Beijing's
    assert str(rnd.judges[0][0]) not in words.replace(f"judge={rnd.judges[0][0]}", "")


def test_the_timeline_filters_by_judge_school_component_and_type(pages, rnd):
    revise(rnd)
    rnd.score(1, rnd.subjects[1], FULL)
    base = as_auditor(pages, rnd)
    url = f"{base}/audit/{rnd.id}"

    def entries(**query: str) -> str:
        answer = pages.get(url, params=query)
        assert answer.status_code == 200, answer.text
        return text_of(answer.text.split('id="timeline"', 1)[1])

    mine = entries(judge=rnd.judges[1][0])
    assert "京东学校" in mine and "复核材料后更正集体备课" not in mine
    school = entries(subject=rnd.subjects[0])
    assert "复核材料后更正集体备课" in school and "评委2" not in school
    reopened = entries(type="Reopened")
    assert reopened.count("退回重评") == 1 and "复核材料后更正集体备课" in reopened
    assert "没有符合条件的记录" in entries(component="routine", type="OrderDrawn")
    partial = pages.get(url, params={"type": "Submitted"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert text_of(partial.text).count("总分：") == 3  # two by 评委1, one by 评委2
    bad = pages.get(url, params={"judge": "不是编号"})
    assert bad.status_code == 422 and "筛选条件中的编号无效" in bad.text


def test_the_board_as_it_stood_before_a_revision_differs_from_now(pages, rnd):
    revise(rnd)
    history = rnd.admin.get(f"/assessments/{rnd.id}/history", limit=1000)["events"]
    first_submit = next(i for i, e in enumerate(history) if e["type"] == "Submitted")
    then = rnd.admin.get(f"/assessments/{rnd.id}/scoreboard",
                         as_of=history[first_submit]["at"])["rows"][0]["final"]
    now = rnd.admin.get(f"/assessments/{rnd.id}/scoreboard")["rows"][0]["final"]
    assert then != now
    base = as_auditor(pages, rnd)
    page = pages.get(f"{base}/audit/{rnd.id}/board", params={"at": first_submit + 1})
    assert page.status_code == 200, page.text
    row = text_of(page.text.split(f'data-subject="{rnd.subjects[0]}"', 1)[1].split("</tr>")[0])
    show = lambda x: f"{x:g}"  # noqa: E731
    assert f"{show(then)} → {show(now)}" in row and f"{now - then:g}" in row
    assert "1 个对象有变化" in text_of(page.text)
    latest = text_of(pages.get(f"{base}/audit/{rnd.id}/board").text)
    assert "没有变化" in latest
    by_time = pages.get(f"{base}/audit/{rnd.id}/board",  # a moment, as the API takes it
                        params={"when": history[first_submit]["at"]})
    assert f"{show(then)} → {show(now)}" in text_of(by_time.text)


def test_verify_is_one_button_and_points_to_a_doctored_board(pages, rnd, container):
    rnd.score(0, rnd.subjects[0], FULL)
    base = as_auditor(pages, rnd)
    page = pages.get(f"{base}/audit/{rnd.id}/verify")
    assert page.status_code == 200 and "开始核验" in page.text and "核验通过" not in page.text
    ok = text_of(pages.get(f"{base}/audit/{rnd.id}/verify", params={"run": "true"}).text)
    assert "核验通过" in ok and "哈希链完整" in ok
    with container.pool.connection() as conn:  # someone edits the projection by hand
        conn.execute(SQL("UPDATE {}.board_subjects SET part = jsonb_set(part, '{{cards}}',"
                         " '{{}}') WHERE assessment_id = %s").format(
                             Identifier(view_schema(rnd.admin.slug, 1))), (rnd.id,))
    bad = text_of(pages.get(f"{base}/audit/{rnd.id}/verify", params={"run": "true"}).text)
    assert "核验发现问题" in bad and "南钢学校 总分 成绩榜（投影）" in bad


def test_the_card_history_shows_every_version_with_who_and_why(pages, rnd):
    revise(rnd)
    base = as_auditor(pages, rnd)
    judge_id = rnd.judges[0][0]
    page = pages.get(f"{base}/audit/{rnd.id}/cards/{rnd.subjects[0]}/routine/{judge_id}")
    assert page.status_code == 200, page.text
    words = text_of(page.text)
    assert "版本 5" in words and "版本 2" in words and "评委1" in words
    assert "复核材料后更正集体备课" in words and "10 → 5" in words


def test_the_auditor_downloads_the_log_and_it_verifies_offline(pages, rnd):
    rnd.score(0, rnd.subjects[0], FULL)
    base = as_auditor(pages, rnd)
    assert "kaoping audit verify --file" in pages.get(f"{base}/audit").text
    download = pages.get(f"{base}/audit/export")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert verify_export(download.text.splitlines()).ok
    as_admin(pages, rnd)  # the raw log is the auditor's alone, as in the API
    assert pages.get(f"{base}/audit/export").status_code == 403


def test_a_judge_is_refused_the_audit_pages_in_chinese_and_it_is_recorded(pages, rnd):
    judge_id, judge = rnd.judges[0]
    sign_in(pages, rnd, judge_id, judge.token)
    base = f"/t/{rnd.admin.slug}"
    for path in ("/audit", f"/audit/{rnd.id}", f"/audit/{rnd.id}/board",
                 f"/admin/round/{rnd.id}"):
        refused = pages.get(base + path)
        assert refused.status_code == 403, path
        assert "无权访问" in refused.text and "评委" in text_of(refused.text)
    pages.cookies.clear()
    assert pages.get(base + "/audit").status_code == 401  # no session: the sign-in notice
    auditor = rnd.admin.as_(user(rnd, "监察室", "auditor")[1])
    refusals = auditor.get("/audit/refusals")
    assert [(r["kind"], r["actor_id"]) for r in refusals][:1] == [("role", judge_id)]


def test_close_is_refused_in_words_naming_the_cards_then_allowed(pages, rnd):
    rnd.score(0, rnd.subjects[0], FULL)
    base = as_admin(pages, rnd)
    url = f"{base}/admin/round/{rnd.id}"
    page = pages.get(url)
    assert page.status_code == 200, page.text
    words = text_of(page.text)
    assert "已提交 1 / 4" in words and "评委2" in words and "尚未提交" in words
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)[1]
    assert pages.post(url + "/close", data={}).status_code == 403  # no CSRF token
    refused = pages.post(url + "/close", data={"_csrf_token": token})
    assert refused.status_code == 409
    said = text_of(refused.text)
    assert "截止评分未能完成" in said and "尚未提交的评分表（3 张）" in said
    assert "评委2 — 京东学校（一贯制学校组） · 常态化工作 · 未开始" in said
    assert rnd.admin.get(f"/assessments/{rnd.id}")["status"] == "open"
    closed = pages.post(url + "/close", data={"_csrf_token": token,
                                              "force": "评委2因病缺席，经领导小组同意"},
                        follow_redirects=False)
    assert closed.status_code == 303
    assert "已截止" in text_of(pages.get(closed.headers["location"]).text)
    assert rnd.admin.get(f"/assessments/{rnd.id}")["status"] == "closed"
    early = pages.post(url + "/publish", data={"_csrf_token": token})
    assert early.status_code == 409 and "不能公示" in text_of(early.text)
