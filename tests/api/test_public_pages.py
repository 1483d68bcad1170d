"""The public pages (公示, certificate check and print) and the presentation timer's pages,
read as a browser would, over the real app and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import segno
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import create_tenant
from tests.api.public_flow import (
    XSS,
    PublishedRound,
    TimedRound,
    csrf_of,
    issue_certificate,
    text_of,
)
from tests.web_session import SESSION_COOKIE, session_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def page_client(container: Any) -> Iterator[TestClient[Any]]:
    """A client of its own, whose cookies (session, CSRF) no other test sees."""
    with TestClient(create_app(container)) as own:
        yield own


def signed_in(own: TestClient[Any], admin: Any, user_id: str, token: str) -> None:
    own.cookies.set(SESSION_COOKIE, session_for(str(own.base_url), admin, user_id, token))


# -- 公示 ---------------------------------------------------------------------------------------

def test_the_sheet_shows_groups_and_tiers_but_no_ranks_when_the_round_hides_them(
        client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), name="青山湖区教研室")
    r = PublishedRound(admin, ranks=False)
    page = client.get(r.page)  # no token, no cookie
    assert page.status_code == 200, page.text
    html = page.text
    assert "青山湖区教研室" in html and "2019—2020学年度校本教研述职述研评议" in html
    assert "一贯制学校组" in html and "小学组" in html
    tiers = dict(re.findall(r'class="name">([^<]*)</td>\s*<td class="tier">([^<]*)<', html))
    assert tiers == {"京东学校": "优秀", "南钢学校": "合格",
                     "&lt;script&gt;alert(1)&lt;/script&gt;": "优秀"}
    assert "名次" not in html and "得分" not in html and 'class="rank"' not in html
    assert "100.00" not in html and "65.00" not in html  # no scores either
    assert XSS not in html  # the school's name is text, not a script
    today = datetime.now(UTC).astimezone(SHANGHAI).strftime("%Y年%m月%d日")
    assert f"公示日期：<time>{today}</time>" in html
    chain = admin.get(f"/assessments/{r.id}/results")["chain"]
    assert text_of(html, "hash") == chain["hash"]
    assert text_of(html, "position") == str(chain["position"])
    assert "@media print" in client.get("/static/public.css").text


def test_the_sheet_shows_ranks_and_scores_when_the_round_publishes_them(
        client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin, ranks=True)
    html = client.get(r.page).text
    assert "名次" in html and "得分" in html
    ranked = re.findall(r'<td class="rank">(\d+)</td>\s*<td class="name">([^<]*)</td>\s*'
                        r'<td class="num">([^<]*)</td>', html)
    assert ranked == [("1", "京东学校", "100.00"), ("2", "南钢学校", "65.00"),
                      ("1", "&lt;script&gt;alert(1)&lt;/script&gt;", "90.00")]


def test_an_unpublished_round_an_unknown_tenant_and_a_bad_id_are_the_same_chinese_404(
        client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin, ranks=True, publish=False)
    answers = [client.get(r.page),
               client.get(f"/p/nosuchdistrict/{r.id}"),
               client.get(f"/p/{admin.slug}/not-a-uuid")]
    for answer in answers:
        assert answer.status_code == 404
        assert "没有找到这份公示" in answer.text
        assert "南钢学校" not in answer.text
    assert len({a.text for a in answers}) == 1  # nothing tells them apart


# -- certificates ----------------------------------------------------------------------------

def test_the_certificate_check_shows_holder_theme_date_and_issuer(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), name="平罗县教研室")
    code = issue_certificate(admin, holder=XSS)
    html = client.get(f"/c/{admin.slug}/{code.lower()}").text
    facts = dict(re.findall(r'<dd class="(holder|theme|date|issuer)">([^<]*)</dd>', html))
    assert facts == {"holder": "&lt;script&gt;alert(1)&lt;/script&gt;", "theme": "整本书阅读教学",
                     "date": "2020年09月10日", "issuer": "平罗县教研室"}
    assert XSS not in html
    missing = client.get(f"/c/{admin.slug}/NOSUCHCODE2345AB")
    assert missing.status_code == 404 and "没有找到这张证书" in missing.text
    assert client.get(f"/c/nosuchdistrict/{code}").text == missing.text


def test_the_printed_certificate_carries_a_qr_code_of_its_check_link(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), name="平罗县教研室")
    code = issue_certificate(admin)
    html = client.get(f"/c/{admin.slug}/{code}/print").text
    url = f"{str(client.base_url).rstrip('/')}/c/{admin.slug}/{code}"
    assert re.search(rf'<a class="check-link" href="{re.escape(url)}">{re.escape(url)}</a>', html)
    assert segno.make(url, error="m", micro=False).svg_inline(scale=4) in html
    assert "王芳" in html and "整本书阅读教学" in html and "2020年09月10日" in html
    assert client.get(url).status_code == 200  # the link leads to the check


# -- 述职计时 ---------------------------------------------------------------------------------

def post_form(own: TestClient[Any], page: str, action: str, **fields: str) -> Any:
    """Post a page's form as a browser would: with the CSRF token the page rendered."""
    token = csrf_of(own.get(page).text)
    return own.post(page + action, data={"_csrf_token": token, **fields},
                    follow_redirects=False)


def test_judges_cannot_keep_time_and_read_back_what_the_timekeeper_started(
        client, new_slug, page_client, container) -> None:
    admin = create_tenant(client, new_slug())
    t = TimedRound(admin)
    with TestClient(create_app(container)) as judge:
        signed_in(judge, admin, t.round.judges[0][0], t.judge_token)
        before = judge.get(t.page)
        assert before.status_code == 200 and "尚未开始" in before.text
        assert "/next" not in before.text  # no buttons for a judge
        # A judge's post (with a valid CSRF token of their own) is refused, in Chinese.
        judge.get(f"/t/{admin.slug}/timer/{t.round.id}")
        token = judge.cookies.get("kaoping_csrf")
        refused = judge.post(t.page + "/next", data={"_csrf_token": token},
                             follow_redirects=False)
        assert refused.status_code == 403, refused.text
        assert "只有管理员可以操作述职计时" in refused.text
        assert "尚未开始" in judge.get(t.page).text

        signed_in(page_client, admin, t.keeper_id, t.keeper_token)
        assert page_client.post(t.page + "/next", follow_redirects=False).status_code == 403  # CSRF
        started = post_form(page_client, t.page, "/next")
        assert started.status_code == 303 and started.headers["location"] == t.page

        read = judge.get(t.page + "?fragment=1").text
        assert text_of(read, "presenter-name") == t.names[0]
        at = datetime.fromtimestamp(int(re.search(r'data-started-ms="(\d+)"', read).group(1))
                                    / 1000, UTC)
        assert abs(at - datetime.now(UTC)) < timedelta(minutes=5)
        assert text_of(read, "deadline") == (at + timedelta(minutes=8)).astimezone(
            SHANGHAI).strftime("%H:%M:%S")
        assert 'data-limit-s="480"' in read and 'data-running="1"' in read
        overview = judge.get(f"/t/{admin.slug}/timer/{t.round.id}").text
        assert f"1号 {t.names[0]}" in overview and "正在述职" in overview

        post_form(page_client, t.page, "/next")
        assert text_of(judge.get(t.page).text, "presenter-name") == t.names[1]
        assert post_form(page_client, t.page, "/stop").status_code == 303
        stopped = judge.get(t.page).text
        assert "已结束" in stopped and 'data-running="0"' in stopped
        last = post_form(page_client, t.page, "/next")  # the second was the last of the group
        assert last.status_code == 409 and "本组最后一位已经述职" in last.text


def test_the_timer_pages_need_a_sign_in_and_a_seat_on_the_panel(
        client, new_slug, page_client) -> None:
    admin = create_tenant(client, new_slug())
    t = TimedRound(admin)
    assert page_client.get(t.page).status_code == 401
    outsider = admin.post("/users", {"name": "评委乙", "role": "judge"})
    signed_in(page_client, admin, outsider["id"], outsider["token"])
    assert page_client.get(t.page).status_code == 404  # not their round: as if it did not exist
