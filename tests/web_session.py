"""How tests sign a user in to the pages: the real flow, as a user would.

The admin makes a sign-in link over the API (``POST …/users/{id}/sign-in-links``); the user
opens it (a GET that changes nothing and sets the CSRF cookie) and confirms it (the form's
POST, with the CSRF token), which sets the session cookie. Every page test calls these, so
none of them depends on how a session is made."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

SESSION_COOKIE = "kaoping_session"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def sign_in_link(client: Any, admin: Any, user_id: str) -> str:
    """A new sign-in link's path (``/s/{tenant}/{code}``) for ``user_id``."""
    r = client.post(f"/api/v1/tenants/{admin.slug}/users/{user_id}/sign-in-links",
                    headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 201, r.text
    return urlsplit(r.json()["url"]).path


def confirm_link(client: Any, path: str) -> Any:
    """Open the link and confirm it as its user would: the confirmation's response."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = CSRF_FIELD.search(page.text)
    assert token is not None, page.text
    return client.post(path, data={"_csrf_token": token.group(1)}, follow_redirects=False)


def session_for(base_url: str | None, admin: Any, user_id: str, user_token: str) -> str:
    """A session cookie's value for ``user_id`` in ``admin``'s tenant. ``base_url``: a live
    server's; empty, None or the TestClient's own for ``admin.client``, whose cookies are left
    as they were (the link's CSRF and session cookies are not kept in it)."""
    del user_token  # a session is made by a link, never from an API token
    if base_url and base_url.rstrip("/") != str(getattr(admin.client, "base_url", "")).rstrip("/"):
        with httpx.Client(base_url=base_url) as client:
            return _sign_in(client, admin, user_id)
    client = admin.client
    kept = list(client.cookies.jar)
    try:
        return _sign_in(client, admin, user_id)
    finally:
        client.cookies.clear()
        for cookie in kept:
            client.cookies.jar.set_cookie(cookie)


def _sign_in(client: Any, admin: Any, user_id: str) -> str:
    confirmed = confirm_link(client, sign_in_link(client, admin, user_id))
    assert confirmed.status_code == 303, confirmed.text
    value = confirmed.cookies.get(SESSION_COOKIE)
    assert value, confirmed.headers
    return str(value)


def sign_in_browser(page: Any, base_url: str, admin: Any, user_id: str, user_token: str) -> None:
    """Sign ``page``'s browser context in as ``user_id``."""
    value = session_for(base_url, admin, user_id, user_token)
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": value, "url": base_url,
                               "httpOnly": True, "sameSite": "Lax"}])
