"""One user's page in 人员与登录: their record, an edit with a reason, their affiliations
(the API's ``PUT …/affiliations``: 回避 is re-derived), their pages' sessions (signed in when,
until when, ended or not) with ending one, revoking their access (the API's
``DELETE …/token``: tokens, sessions and unused links), a sign-in card, and archiving."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.affiliations import AffiliationController
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope
from adapters.http.people import PeopleController
from adapters.http.records import RecordController, values_of
from adapters.http.schemas import AffiliationsIn, ArchiveIn, UserEdit
from adapters.http.sign_in import SignInController
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, seen_views
from adapters.web.org_common import AFFILIATION_KINDS, ROLE_NAMES, Form
from adapters.web.org_forms import REFUSALS, Refused, parsed, refused, typed, version_of
from adapters.web.org_nodes import chart_of, path_text
from adapters.web.templating import Page as Template
from domain.unit import unit_label
from domain.user import Affiliation
from tenants.model import Principal

USER = "/t/{tenant:str}/admin/people/{user_id:uuid}"
DONE = {"created": "用户已创建。请为其打印登录卡片（登录链接与二维码）。",
        "edited": "已保存修改。", "affiliations": "任职已更新，相关考核的回避已重新核对。",
        "revoked": "已撤销访问：令牌、会话和未使用的登录链接都已失效。",
        "ended": "会话已结束。", "archived": "已归档：此人不能再登录。"}
STATES = {"active": "进行中", "ended": "已结束", "expired": "已过期"}


def affiliation_choices(views: Any) -> dict[str, list[tuple[str, str]]]:
    """What a person may belong to: schools, communities and units, by name."""
    return {
        "school": [(str(s["id"]), s["name"]) for s in views.schools()],
        "community": [(str(c["id"]), c["name"]) for c in views.communities()],
        "unit": [(str(u["id"]), unit_label(u["name"], u["school_name"]))
                 for u in views.units()],
    }


def affiliations_of(form: dict[str, Any]) -> list[dict[str, str]]:
    return [{"kind": kind, "id": value} for kind in AFFILIATION_KINDS
            for value in form.get(kind, [])]


def user_page(who: Principal, container: Container, user_id: UUID,
              **extra: Any) -> dict[str, Any]:
    user = container.app(who.tenant).user(user_id)
    sessions = container.sign_ins.session_history(who.tenant, user_id)
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        choices = affiliation_choices(views)
        names = {value: label for kind in affiliation_choices(views.whole).values()
                 for value, label in kind}
    current = {kind: [str(a.id) for a in user.affiliations if a.kind == kind]
               for kind in AFFILIATION_KINDS}
    context = console(
        who, "people", title=f"人员 · {user.name}", user=user,
        role_label=ROLE_NAMES.get(user.role, user.role), choices=choices, names=names,
        scope_path=path_text(chart_of(container, who), user.scope),
        kinds=AFFILIATION_KINDS, sessions=sessions, states=STATES, done="",
        form={"name": user.name, "subject": user.subject or ""}, refused=Refused(),
        aff_form=current, aff_refused=Refused(), revoke_refused=Refused(),
        archive_form={}, archive_refused=Refused())
    return context | extra


@get(USER, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def user(request: Request[Any, Any, Any], tenant: str, user_id: UUID, who: Principal,
         container: Container, done: str | None = None) -> Template:
    admit(request, who, RecordController.user, RecordController.edit_user,
          SignInController.list_sessions)
    return Template("people/user.html", context=user_page(
        who, container, user_id, done=DONE.get(done or "", "")))


def _write(tenant: str, user_id: UUID, who: Principal, container: Container, done: str,
           action: Any, key: str, form: dict[str, Any]) -> Any:
    try:
        action()
    except REFUSALS as exc:
        why = refused(exc)
        context = user_page(who, container, user_id,
                            **{f"{key}form": form, f"{key}refused": why})
        return Template("people/user.html", status_code=why.status, context=context)
    return Redirect(f"/t/{tenant}/admin/people/{user_id}?done={done}", status_code=303)


@post(USER, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def edit_user(request: Request[Any, Any, Any], tenant: str, user_id: UUID, who: Principal,
              container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, RecordController.edit_user)
    form = typed(data, "name", "subject", "reason", "version")

    def action() -> None:
        values = {"name": form["name"], "reason": form["reason"]}
        teacher = container.app(tenant).user(user_id).role == "teacher"
        body = parsed(UserEdit, values | ({"subject": form["subject"]} if teacher else {}))
        changes = values_of(body)
        if teacher:
            changes["subject"] = body.subject if form["subject"].strip() else None
        container.app(tenant).edit_record("user", user_id, changes, ctx.cause(body.reason),
                                          version_of(form))
    return _write(tenant, user_id, who, container, "edited", action, "", form)


@post(USER + "/affiliations", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def change_affiliations(request: Request[Any, Any, Any], tenant: str, user_id: UUID,
                        who: Principal, container: Container, ctx: RequestContext,
                        data: Form) -> Any:
    admit(request, who, AffiliationController.change_affiliations)
    form = typed(data, "reason", "version", lists=tuple(AFFILIATION_KINDS))

    def action() -> None:
        body = parsed(AffiliationsIn, {"affiliations": affiliations_of(form),
                                       "reason": form["reason"]})
        check_in_scope(container, tenant, ctx, *(a.id for a in body.affiliations))
        container.app(tenant).change_affiliations(
            user_id, tuple(Affiliation(a.kind, a.id) for a in body.affiliations),
            ctx.cause(body.reason), version_of(form))
    return _write(tenant, user_id, who, container, "affiliations", action, "aff_", form)


@post(USER + "/revoke", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def revoke_access(request: Request[Any, Any, Any], tenant: str, user_id: UUID,
                  who: Principal, container: Container, ctx: RequestContext) -> Any:
    """The API's ``DELETE …/users/{id}/token``: every token and session of the user ends,
    their unused links are voided (never the tenant's last admin token)."""
    admit(request, who, PeopleController.revoke_token)
    return _write(tenant, user_id, who, container, "revoked",
                  lambda: container.platform.revoke_token(tenant, user_id, ctx.cause()),
                  "revoke_", {})


@post(USER + "/sessions/{session_id:uuid}/end", opt=PAGE, dependencies=SIGNED_IN,
      sync_to_thread=True, status_code=303)
def end_session(request: Request[Any, Any, Any], tenant: str, user_id: UUID,
                session_id: UUID, who: Principal, container: Container,
                ctx: RequestContext) -> Any:
    """The API's ``DELETE …/sessions/{id}``: the user is signed out of that browser."""
    admit(request, who, SignInController.revoke_session)
    return _write(tenant, user_id, who, container, "ended",
                  lambda: container.sign_ins.revoke_session(tenant, user_id, session_id,
                                                            ctx.cause()),
                  "revoke_", {})


@post(USER + "/archive", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def archive_user(request: Request[Any, Any, Any], tenant: str, user_id: UUID,
                 who: Principal, container: Container, ctx: RequestContext,
                 data: Form) -> Any:
    admit(request, who, RecordController.archive_user)
    form = typed(data, "reason", "version")

    def action() -> None:
        body = parsed(ArchiveIn, {"reason": form["reason"]})
        container.platform.archive_user(tenant, user_id, ctx.cause(body.reason),
                                        version_of(form))
    return _write(tenant, user_id, who, container, "archived", action, "archive_", form)


USER_PAGES = [user, edit_user, change_affiliations, revoke_access, end_session, archive_user]
