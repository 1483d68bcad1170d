"""How tests sign a user in to the pages.

Until sign-in links land (issue 12, sign-in), the session cookie resolves like a bearer token,
so a user's API token stands in for a session. The sign-in work replaces the body of
``session_for`` with the real flow (the admin makes a link, the user opens and confirms it);
every page test calls it, so none needs to change."""

from __future__ import annotations

from typing import Any

SESSION_COOKIE = "kaoping_session"


def session_for(base_url: str, admin: Any, user_id: str, user_token: str) -> str:
    """A session cookie's value for ``user_id`` in ``admin``'s tenant."""
    del base_url, admin, user_id
    return user_token


def sign_in_browser(page: Any, base_url: str, admin: Any, user_id: str, user_token: str) -> None:
    """Sign ``page``'s browser context in as ``user_id``."""
    value = session_for(base_url, admin, user_id, user_token)
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": value, "url": base_url,
                               "httpOnly": True, "sameSite": "Lax"}])
