"""Signing in to the pages by link: a link works once and for seven days, only its hash is
kept, the session cookie is HttpOnly, SameSite=Lax and Secure over HTTPS, every form posts
with its CSRF token, and a session ends at sign-out, on an admin's revocation, when the
user's tokens are revoked and when it expires. Each step is on the user's record."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import Api, bearer, create_tenant
from tests.web_session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    confirm_link,
    session_for,
    sign_in_link,
)


@pytest.fixture(scope="module")
def pages_app(container):
    return create_app(container)


@pytest.fixture
def pages(pages_app) -> Iterator[TestClient[Any]]:
    """A browser of its own: its cookies are this test's alone."""
    with TestClient(pages_app) as browser:
        yield browser


@pytest.fixture
def admin(client, new_slug) -> Api:
    return create_tenant(client, new_slug(), "青山湖区教研室")


def judge_of(admin: Api, name: str = "张三") -> str:
    return str(admin.post("/users", {"name": name, "role": "judge"})["id"])


def csrf_of(page: Any) -> str:
    found = CSRF_FIELD.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def home(pages: TestClient[Any], admin: Api, cookie: str) -> Any:
    """The home page with ``cookie`` as the session (the browser's other cookies kept)."""
    others = [f"{k}={v}" for k, v in pages.cookies.items() if k != SESSION_COOKIE]
    return pages.get(f"/t/{admin.slug}/",
                     headers={"Cookie": "; ".join([*others, f"{SESSION_COOKIE}={cookie}"])})


def sql(container, statement: str, *params: Any) -> list[Any]:
    with container.pool.connection() as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []


def sessions_of(container, user_id: str) -> int:
    return len(sql(container, "SELECT 1 FROM kaoping.tokens WHERE user_id = %s"
                              " AND kind = 'session'", user_id))


def test_a_link_asks_first_then_signs_in_once_and_lands_on_home(admin, pages, container) -> None:
    judge = judge_of(admin)
    made = admin.post(f"/users/{judge}/sign-in-links")
    assert made["user_id"] == judge and made["user_name"] == "张三" and made["role"] == "judge"
    assert made["expires_at"].endswith("+08:00")  # the tenant's time, as every answer
    assert made["qr_svg"].startswith("<svg") and "<script" not in made["qr_svg"]
    path = urlsplit(made["url"]).path
    assert path.startswith(f"/s/{admin.slug}/")
    for _ in range(2):  # a phone's link preview opens it too: opening uses nothing up
        asked = pages.get(path)
        assert asked.status_code == 200
        assert "以 <strong>张三</strong>（评委）身份登录" in asked.text
    assert sessions_of(container, judge) == 0
    confirmed = pages.post(path, data={"_csrf_token": csrf_of(asked)}, follow_redirects=False)
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"/t/{admin.slug}/"
    cookie = confirmed.cookies[SESSION_COOKIE]
    landed = home(pages, admin, cookie)
    assert landed.status_code == 200 and "已登录：<strong>张三</strong>（评委）" in landed.text
    assert f'href="/t/{admin.slug}/judge"' in landed.text
    again = pages.post(path, data={"_csrf_token": csrf_of(asked)}, follow_redirects=False)
    assert again.status_code == 410 and "已经使用过" in again.text
    assert pages.get(path).status_code == 410
    assert sessions_of(container, judge) == 1


def test_only_a_hash_of_the_code_and_of_the_session_is_kept(admin, pages, container) -> None:
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    code = path.rsplit("/", 1)[1]
    cookie = confirm_link(pages, path).cookies[SESSION_COOKIE]
    [link] = sql(container, "SELECT * FROM kaoping.sign_in_links WHERE user_id = %s", judge)
    assert link["hash"] == hashlib.sha256(code.encode()).digest()
    stored = " ".join(str(v) for v in link.values())
    assert code not in stored
    [session] = sql(container, "SELECT * FROM kaoping.tokens WHERE user_id = %s"
                               " AND kind = 'session'", judge)
    assert session["hash"] == hashlib.sha256(cookie.encode()).digest()
    assert cookie not in " ".join(str(v) for v in session.values())


def test_of_two_confirmations_at_once_exactly_one_signs_in(admin, pages_app, container) -> None:
    """Both reach the link's row while a third transaction holds it; released, one wins."""
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    code_hash = hashlib.sha256(path.rsplit("/", 1)[1].encode()).digest()
    answers: list[int] = []
    with TestClient(pages_app) as first, TestClient(pages_app) as second, \
            container.pool.connection() as holder, container.pool.connection() as watcher:
        tokens = [(c, csrf_of(c.get(path))) for c in (first, second)]
        threads = [threading.Thread(target=lambda c=c, t=t: answers.append(c.post(
            path, data={"_csrf_token": t}, follow_redirects=False).status_code))
            for c, t in tokens]
        with holder.transaction():  # ends (and lets them go) once both wait for it
            holder.execute("SELECT 1 FROM kaoping.sign_in_links WHERE hash = %s FOR UPDATE",
                           (code_hash,))
            for thread in threads:
                thread.start()
            while watcher.execute(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query LIKE 'UPDATE kaoping.sign_in_links SET used_at%%'"
            ).fetchone()["n"] < 2:
                assert all(t.is_alive() for t in threads), answers
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(answers) == [303, 410]
    assert sessions_of(container, judge) == 1


def test_an_expired_link_says_so_and_changes_nothing(admin, pages, container) -> None:
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    token = csrf_of(pages.get(path))
    sql(container, "UPDATE kaoping.sign_in_links SET expires_at = now() - interval '1 second'"
                   " WHERE user_id = %s", judge)
    shown = pages.get(path)
    assert shown.status_code == 410 and "已过期" in shown.text
    refused = pages.post(path, data={"_csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 410 and SESSION_COOKIE not in refused.cookies
    assert sessions_of(container, judge) == 0
    unknown = pages.get(path[:-4] + "abcd")
    assert unknown.status_code == 404 and "没有这个登录链接" in unknown.text


def test_a_session_ends_when_it_expires(admin, pages, container) -> None:
    judge = judge_of(admin)
    cookie = session_for(None, admin, judge, "")
    assert home(pages, admin, cookie).status_code == 200
    sql(container, "UPDATE kaoping.tokens SET expires_at = now() - interval '1 second'"
                   " WHERE user_id = %s AND kind = 'session'", judge)
    ended = home(pages, admin, cookie)
    assert ended.status_code == 401 and "登录已失效" in ended.text
    assert admin.get(f"/users/{judge}/sessions") == []


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(admin, pages) -> None:
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    plain = confirm_link(pages, path).headers["set-cookie"].lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    assert "path=/" in plain and "max-age=43200" in plain  # twelve hours
    secure = pages.base_url.copy_with(scheme="https")
    path = sign_in_link(admin.client, admin, judge)
    over_https = confirm_link(pages, str(secure.join(path))).headers["set-cookie"].lower()
    assert "httponly" in over_https and "samesite=lax" in over_https and "; secure" in over_https


def test_a_confirmation_without_its_csrf_token_is_refused_and_changes_nothing(
        admin, pages, container) -> None:
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    pages.get(path)  # the CSRF cookie is set; the form's token is not sent
    refused = pages.post(path, data={}, follow_redirects=False)
    assert refused.status_code == 403
    forged = pages.post(path, data={"_csrf_token": "x" * 80}, follow_redirects=False)
    assert forged.status_code == 403
    assert sessions_of(container, judge) == 0
    assert confirm_link(pages, path).status_code == 303  # the link still works


def test_revoking_or_archiving_ends_sessions_and_voids_unused_links(admin, pages) -> None:
    judge = judge_of(admin)
    cookie = session_for(None, admin, judge, "")
    waiting = sign_in_link(admin.client, admin, judge)
    r = admin.client.delete(admin.url(f"/users/{judge}/token"), headers=bearer(admin.token))
    assert r.status_code == 204
    assert home(pages, admin, cookie).status_code == 401
    assert pages.get(waiting).status_code == 410
    other = judge_of(admin, "李四")
    cookie = session_for(None, admin, other, "")
    admin.post(f"/users/{other}/archive", {"reason": "调离"}, expect=200)
    assert home(pages, admin, cookie).status_code == 401
    refused = admin.post(f"/users/{other}/sign-in-links", expect=422)
    assert refused["errors"][0]["field"] == "user_id"


def test_an_admin_lists_and_revokes_a_session(admin, pages) -> None:
    judge = judge_of(admin)
    kept, revoked = (session_for(None, admin, judge, "") for _ in range(2))
    listed = admin.get(f"/users/{judge}/sessions")
    assert len(listed) == 2 and all(s["created_at"].endswith("+08:00") for s in listed)
    newest = listed[0]["id"]  # the newest first: the second sign-in
    r = admin.client.delete(admin.url(f"/users/{judge}/sessions/{newest}"),
                            headers=bearer(admin.token))
    assert r.status_code == 204
    assert home(pages, admin, revoked).status_code == 401
    assert home(pages, admin, kept).status_code == 200
    assert [s["id"] for s in admin.get(f"/users/{judge}/sessions")] == [listed[1]["id"]]
    r = admin.client.delete(admin.url(f"/users/{judge}/sessions/{newest}"),
                            headers=bearer(admin.token))
    assert r.status_code == 404
    as_judge = admin.as_(admin.post("/users", {"name": "王五", "role": "judge"})["token"])
    as_judge.get(f"/users/{judge}/sessions", expect=403)


def test_signing_out_ends_the_session_and_clears_the_cookie(admin, pages) -> None:
    judge = judge_of(admin)
    cookie = session_for(None, admin, judge, "")
    signed_in = home(pages, admin, cookie)
    pages.cookies.set(SESSION_COOKIE, cookie)
    refused = pages.post(f"/t/{admin.slug}/sign-out", data={})
    assert refused.status_code == 403 and home(pages, admin, cookie).status_code == 200
    out = pages.post(f"/t/{admin.slug}/sign-out", data={"_csrf_token": csrf_of(signed_in)})
    assert out.status_code == 200 and "已退出登录" in out.text
    assert f'{SESSION_COOKIE}="";' in out.headers["set-cookie"] or \
        "max-age=0" in out.headers["set-cookie"].lower()
    assert home(pages, admin, cookie).status_code == 401


def test_another_tenants_link_or_cookie_is_not_found(admin, pages, client, new_slug) -> None:
    other = create_tenant(client, new_slug(), "珠晖区教研室")
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    assert pages.get(path.replace(admin.slug, other.slug, 1)).status_code == 404
    cookie = session_for(None, admin, judge, "")
    assert home(pages, other, cookie).status_code == 404
    assert home(pages, admin, cookie).status_code == 200


def test_a_session_is_no_bearer_token_and_an_api_token_no_session(admin, pages) -> None:
    made = admin.post("/users", {"name": "张三", "role": "judge"})
    cookie = session_for(None, admin, made["id"], made["token"])
    admin.as_(cookie).get("/schools", expect=401)
    admin.as_(made["token"]).get("/schools")  # API tokens work as before
    assert home(pages, admin, made["token"]).status_code == 401
    assert pages.get(f"/t/{admin.slug}/").status_code == 401


def test_each_step_is_on_the_users_record(admin, pages) -> None:
    judge = judge_of(admin)
    path = sign_in_link(admin.client, admin, judge)
    cookie = confirm_link(pages, path).cookies[SESSION_COOKIE]  # kept by this browser
    token = csrf_of(home(pages, admin, cookie))
    assert pages.post(f"/t/{admin.slug}/sign-out", data={"_csrf_token": token}).status_code == 200
    session_for(None, admin, judge, "")
    [sid] = [s["id"] for s in admin.get(f"/users/{judge}/sessions")]
    admin.client.delete(admin.url(f"/users/{judge}/sessions/{sid}"), headers=bearer(admin.token))
    events = admin.get(f"/users/{judge}/history")["events"]
    kinds = [(e["type"], e["actor"]["role"]) for e in events]
    assert kinds[1:] == [("SignInLinkCreated", "admin"), ("SignedIn", "judge"),
                         ("SignedOut", "judge"), ("SignInLinkCreated", "admin"),
                         ("SignedIn", "judge"), ("SessionRevoked", "admin")]
    assert all(e["actor"]["id"] == judge for e in events if e["type"].startswith("Signed"))


def test_an_admin_prints_cards_of_new_links_and_no_one_else_may(admin, pages) -> None:
    judges = [judge_of(admin, name) for name in ("张三", "李四", "王五")]
    me = admin.get("/users", role="admin")[0]["id"]
    pages.cookies.set(SESSION_COOKIE, session_for(None, admin, me, ""))
    picker = pages.get(f"/t/{admin.slug}/admin/sign-in-links")
    assert picker.status_code == 200 and "为全部评委生成" in picker.text
    cards = pages.post(f"/t/{admin.slug}/admin/sign-in-links",
                       data={"_csrf_token": csrf_of(picker), "role": "judge"})
    assert cards.status_code == 200
    assert cards.text.count('<article class="card">') == 3 and cards.text.count("<svg") == 3
    assert all(name in cards.text for name in ("张三", "李四", "王五"))
    one = pages.post(f"/t/{admin.slug}/admin/sign-in-links",
                     data={"_csrf_token": csrf_of(picker), "user": [judges[0], judges[1]]})
    assert one.text.count('<article class="card">') == 2
    pages.cookies.set(SESSION_COOKIE, session_for(None, admin, judges[2], ""))
    assert pages.get(f"/t/{admin.slug}/admin/sign-in-links").status_code == 403
