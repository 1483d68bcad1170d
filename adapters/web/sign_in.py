"""Signing in to the pages: opening a sign-in link (``/s/{tenant}/{code}``), confirming it,
the signed-in user's home (``/t/{tenant}/``), signing out, and the admin's printable cards of
sign-in links. The rules are ``tenants/signing_in.py``'s, called as the API calls them.

Opening a link changes nothing (phones fetch links to preview them); only the confirmation, a
form posted with the CSRF token, uses it up and sets the session cookie."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.auth import PUBLIC, allow, record_refusal
from adapters.http.context import context_of
from adapters.http.org_levels import check_in_scope
from adapters.http.sign_in import SignInController
from adapters.web.gate import seen_views
from adapters.web.qr import link_url, qr_svg
from adapters.web.session import SESSION_COOKIE, viewer
from adapters.web.templating import Page as Template
from domain.errors import NotFound
from tenants.model import Principal
from tenants.signing_in import SESSION_LIFETIME, LinkGone

ROLE_NAMES = {"admin": "管理员", "judge": "评委", "auditor": "审计员", "reporter": "填报员",
              "teacher": "教师"}
GONE = {"used": "这个登录链接已经使用过，不能再次使用。",
        "expired": "这个登录链接已过期（七天内有效）。"}
HINT = "请向区教研室索取新的登录链接。"
SIGNED_IN = {"viewer": Provide(viewer)}
CSS = "/static/sign_in.css"
FORM = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def gone_page(exc: NotFound) -> Template:
    """The link can no longer be used (410) or never was one (404); nothing changed."""
    if isinstance(exc, LinkGone):
        return Template("sign_in/gone.html", status_code=410, context={
            "title": "登录链接已失效", "detail": GONE.get(exc.state, GONE["used"]),
            "hint": HINT})
    return Template("sign_in/gone.html", status_code=404, context={
        "title": "登录链接无效", "detail": "没有这个登录链接：请核对链接是否完整。", "hint": HINT})


@get("/s/{tenant:str}/{code:str}", opt=allow(PUBLIC), sync_to_thread=True)
def open_link(tenant: str, code: str, container: Container) -> Template:
    try:
        user = container.sign_ins.open_link(tenant, code)
    except NotFound as exc:
        return gone_page(exc)
    return Template("sign_in/confirm.html", context={
        "title": "确认登录", "name": user.name, "role": role_name(user.role),
        "action": f"/s/{tenant}/{code}", "css": CSS})


@post("/s/{tenant:str}/{code:str}", opt=allow(PUBLIC), sync_to_thread=True)
def confirm(request: Request[Any, Any, Any], tenant: str, code: str,
            container: Container) -> Response[Any]:
    ctx = context_of(request.scope)
    try:
        made = container.sign_ins.sign_in(tenant, code, ctx.request_id)
    except NotFound as exc:
        return gone_page(exc)  # type: ignore[return-value]
    response: Response[Any] = Redirect(f"/t/{tenant}/", status_code=303)
    response.set_cookie(SESSION_COOKIE, made.token, path="/", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https",
                        max_age=int(SESSION_LIFETIME.total_seconds()))
    return response


@get("/t/{tenant:str}/", opt=allow(PUBLIC), sync_to_thread=True, dependencies=SIGNED_IN)
def home(tenant: str, viewer: Principal, container: Container) -> Template:
    assert viewer.user_id is not None
    user = container.app(tenant).user(viewer.user_id)
    links = {"judge": [(f"/t/{tenant}/judge", "我的评分")],
             "auditor": [(f"/t/{tenant}/audit", "审计台")],
             "reporter": [(f"/t/{tenant}/school", "学校填报")],
             "admin": [(f"/t/{tenant}/admin", "管理台"),
                       (f"/t/{tenant}/admin/sign-in-links", "打印登录卡片"),
                       (f"/t/{tenant}/audit", "考核记录")]}.get(viewer.role, [])
    return Template("sign_in/home.html", context={
        "title": "我的首页", "name": user.name, "role": role_name(viewer.role),
        "links": links, "expires_at": viewer.expires_at, "zone": viewer.time_zone,
        "sign_out": f"/t/{tenant}/sign-out", "css": CSS})


@post("/t/{tenant:str}/sign-out", opt=allow(PUBLIC), sync_to_thread=True,
      dependencies=SIGNED_IN)
def sign_out(request: Request[Any, Any, Any], tenant: str, viewer: Principal,
             container: Container) -> Response[Any]:
    container.sign_ins.sign_out(viewer, context_of(request.scope).request_id)
    response: Response[Any] = Template("sign_in/signed_out.html", context={
        "title": "已退出登录"})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def admit_admin(request: Request[Any, Any, Any], who: Principal) -> None:
    """The API's rule: who may make sign-in links (the route's roles)."""
    if who.role not in SignInController.create_link.opt["roles"]:
        detail = f"the {who.role} role may not do this"
        record_refusal(request.scope, "role", detail)
        raise PermissionDeniedException(detail)


@get("/t/{tenant:str}/admin/sign-in-links", opt=allow(PUBLIC), sync_to_thread=True,
     dependencies=SIGNED_IN)
def pick_users(request: Request[Any, Any, Any], tenant: str, viewer: Principal,
               container: Container) -> Template:
    admit_admin(request, viewer)
    container.caught_up(tenant)
    with seen_views(container, viewer) as views:  # a scoped admin: their node's people
        users = [u for u in views.users(None, False) if u["role"] != "teacher"]
    groups = [(role_name(role), role, [u for u in users if u["role"] == role])
              for role in ("judge", "auditor", "admin", "reporter")]
    return Template("sign_in/pick.html", context={
        "title": "打印登录卡片", "groups": [g for g in groups if g[2]],
        "action": f"/t/{tenant}/admin/sign-in-links", "css": CSS})


@post("/t/{tenant:str}/admin/sign-in-links", opt=allow(PUBLIC), sync_to_thread=True,
      dependencies=SIGNED_IN, status_code=200)
def print_cards(request: Request[Any, Any, Any], tenant: str, viewer: Principal,
                container: Container, data: FORM) -> Template:
    """One new link per chosen user (or per user of the chosen role), as printable cards."""
    admit_admin(request, viewer)
    ctx = context_of(request.scope)
    chosen = _listed(data.get("user"))
    if data.get("role"):
        container.caught_up(tenant)
        with seen_views(container, viewer) as views:
            chosen += [str(u["id"]) for u in views.users(str(data["role"]), False)]
    cards = []
    ids = [_uuid(user_id) for user_id in dict.fromkeys(chosen)]
    check_in_scope(container, tenant, ctx, *ids)  # as the API's path: …/users/{id}/…
    for user_id in ids:
        made = container.sign_ins.create_link(tenant, user_id, ctx.cause())
        url = link_url(request, tenant, made.code)
        cards.append({"name": made.user.name, "role": role_name(made.user.role), "url": url,
                      "qr": qr_svg(url), "expires_at": made.expires_at})
    return Template("sign_in/cards.html", context={
        "title": "登录卡片", "cards": cards, "zone": viewer.time_zone,
        "back": f"/t/{tenant}/admin/sign-in-links", "css": CSS})


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound(f"no user {text}") from None


PAGES = [open_link, confirm, home, sign_out, pick_users, print_cards]
