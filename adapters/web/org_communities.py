"""组织机构 · 共同体: the list, registering a community (type, scope, core school, members
from a date), and one community's page — its members on any date (``GET …/communities/{id}
?on=``), every membership with its dates, a school joining or leaving on a date, an edit
with a reason and archiving. Each write is the API's service call."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope
from adapters.http.organisation import OrganisationController
from adapters.http.records import RecordController, values_of
from adapters.http.schemas import ArchiveIn, CommunityCreate, CommunityEdit, MemberIn
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit, seen_views
from adapters.web.listing import Listing
from adapters.web.org_common import (
    COMMUNITY_TYPES,
    ORG,
    SCOPE_CHOICES,
    TYPE_CHOICES,
    Form,
    done_of,
    org_page,
    school_choices,
)
from adapters.web.org_forms import (
    REFUSALS,
    Refused,
    day_of,
    parsed,
    refused,
    typed,
    version_of,
)
from adapters.web.templating import Page as Template
from tenants.model import Principal

COMMUNITIES = ORG + "/communities"
COMMUNITY = COMMUNITIES + "/{community_id:uuid}"
FIELDS = ("name", "type", "scope", "core_school_id", "since")
SORTS = ("name", "type", "scope", "core", "members")


def community_list(request: Request[Any, Any, Any], who: Principal, container: Container,
                   today: date, **extra: Any) -> dict[str, Any]:
    params = request.query_params
    archived = params.get("archived") == "1"
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        names = {str(s["id"]): s["name"] for s in views.whole.schools(True)}
        choices = school_choices(views)
        rows = [c | {"core": names.get(c["core_school_id"], ""),
                     "members": [names.get(m["school_id"], "") for m in c["memberships"]
                                 if _on(m, today)]}
                for c in views.communities(archived)]
    page = Listing.of(params, SORTS).apply(
        rows, f"/t/{who.tenant}/admin/org/communities",
        lambda r: (r["name"], r["core"], r["scope"], COMMUNITY_TYPES.get(r["type"], ""),
                   *r["members"]),
        {"name": lambda r: r["name"], "type": lambda r: r["type"],
         "scope": lambda r: r["scope"], "core": lambda r: r["core"],
         "members": lambda r: len(r["members"])},
        {"archived": "1" if archived else ""})
    return org_page(who, "communities", title="组织机构 · 共同体", page=page,
                    archived=archived, types=TYPE_CHOICES, type_names=COMMUNITY_TYPES,
                    scopes=SCOPE_CHOICES, schools=choices, today=today, **extra)


def _on(membership: dict[str, Any], day: date) -> bool:
    left = membership["left"]
    return membership["joined"] <= day.isoformat() and (left is None or day.isoformat() < left)


@get(COMMUNITIES, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def communities(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container, ctx: RequestContext,
                done: str | None = None) -> Template:
    admit(request, who, OrganisationController.list_communities,
          OrganisationController.create_community)
    return Template("org/communities.html", context=community_list(
        request, who, container, ctx.today(), done=done_of(done)))


@post(COMMUNITIES, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_community(request: Request[Any, Any, Any], tenant: str, who: Principal,
                     container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, OrganisationController.create_community)
    form = typed(data, *FIELDS, lists=("member_school_ids",))
    try:
        body = parsed(CommunityCreate, form)
        check_in_scope(container, tenant, ctx, body.core_school_id, *body.member_school_ids)
        container.app(tenant).register_community(
            body.name, body.type, body.scope, body.core_school_id,
            tuple(body.member_school_ids), body.since or ctx.today(), ctx.cause())
    except REFUSALS as exc:
        why = refused(exc)
        return Template("org/communities.html", status_code=why.status, context=community_list(
            request, who, container, ctx.today(), form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/org/communities?done=created", status_code=303)


def community_page(who: Principal, container: Container, community_id: UUID, today: date,
                   on: str = "", **extra: Any) -> dict[str, Any]:
    community = container.app(who.tenant).community(community_id)
    try:
        day = day_of(on, "on") or today
        on_refused = Refused()
    except REFUSALS as exc:
        day, on_refused = today, refused(exc)
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        names = {str(s["id"]): s["name"] for s in views.whole.schools(True)}
        choices = school_choices(views)
    current = {"name": community.name, "type": community.type, "scope": community.scope}
    memberships = sorted(community.memberships, key=lambda m: (m.joined, names.get(
        str(m.school_id), "")))
    context = org_page(
        who, "communities", title=f"共同体 · {community.name}", community=community,
        names=names, type_names=COMMUNITY_TYPES, types=TYPE_CHOICES, scopes=SCOPE_CHOICES,
        day=day, on=on or day.isoformat(), on_refused=on_refused,
        members_on=[names.get(str(s), str(s)) for s in community.members_on(day)],
        memberships=memberships, schools=choices, today=today,
        join_form={"on": today.isoformat()}, join_refused=Refused(),
        leave_form={"on": today.isoformat()}, leave_refused=Refused(), leave_school="",
        archive_form={}, archive_refused=Refused())
    return context | {"form": current} | extra


@get(COMMUNITY, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def community(request: Request[Any, Any, Any], tenant: str, community_id: UUID,
              who: Principal, container: Container, ctx: RequestContext,
              on: str = "", done: str | None = None) -> Template:
    """The community, and who belonged to it on ``on`` (today by default)."""
    admit(request, who, RecordController.community_on, RecordController.edit_community)
    context = community_page(who, container, community_id, ctx.today(), on, done=done_of(done))
    return Template("org/community.html", status_code=context["on_refused"].status or 200,
                    context=context)


def _write(request: Request[Any, Any, Any], tenant: str, community_id: UUID, who: Principal,
           container: Container, ctx: RequestContext, done: str, action: Any,
           **failed: Any) -> Any:
    """Do ``action``; on a refusal show the page again with what was typed beside it."""
    try:
        action()
    except REFUSALS as exc:
        why = refused(exc)
        key = next((k[:-5] for k in failed if k.endswith("_form")), "")
        context = community_page(who, container, community_id, ctx.today(), **failed)
        context[f"{key}_refused" if key else "refused"] = why
        return Template("org/community.html", status_code=why.status, context=context)
    return Redirect(f"/t/{tenant}/admin/org/communities/{community_id}?done={done}",
                    status_code=303)


@post(COMMUNITY, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def edit_community(request: Request[Any, Any, Any], tenant: str, community_id: UUID,
                   who: Principal, container: Container, ctx: RequestContext,
                   data: Form) -> Any:
    admit(request, who, RecordController.edit_community)
    form = typed(data, "name", "type", "scope", "reason", "version")

    def action() -> None:
        body = parsed(CommunityEdit, {k: form[k] for k in ("name", "type", "scope", "reason")})
        container.app(tenant).edit_record("community", community_id, values_of(body),
                                          ctx.cause(body.reason), version_of(form))
    return _write(request, tenant, community_id, who, container, ctx, "edited", action,
                  form=form)


@post(COMMUNITY + "/members", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def join(request: Request[Any, Any, Any], tenant: str, community_id: UUID, who: Principal,
         container: Container, ctx: RequestContext, data: Form) -> Any:
    """A school joins on a date (the API's ``POST …/members``)."""
    admit(request, who, OrganisationController.join)
    form = typed(data, "school_id", "on")

    def action() -> None:
        body = parsed(MemberIn, form)
        check_in_scope(container, tenant, ctx, body.school_id)
        container.app(tenant).join_community(community_id, body.school_id,
                                             body.on or ctx.today(), ctx.cause())
    return _write(request, tenant, community_id, who, container, ctx, "joined", action,
                  join_form=form)


@post(COMMUNITY + "/members/{school_id:uuid}/leave", opt=PAGE, dependencies=SIGNED_IN,
      sync_to_thread=True, status_code=303)
def leave(request: Request[Any, Any, Any], tenant: str, community_id: UUID, school_id: UUID,
          who: Principal, container: Container, ctx: RequestContext, data: Form) -> Any:
    """A school leaves on a date (the API's ``DELETE …/members/{school_id}?on=``)."""
    admit(request, who, OrganisationController.leave)
    form = typed(data, "on")

    def action() -> None:
        container.app(tenant).leave_community(community_id, school_id,
                                              day_of(form["on"], "on") or ctx.today(),
                                              ctx.cause())
    return _write(request, tenant, community_id, who, container, ctx, "left", action,
                  leave_form=form, leave_school=str(school_id))


@post(COMMUNITY + "/archive", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def archive_community(request: Request[Any, Any, Any], tenant: str, community_id: UUID,
                      who: Principal, container: Container, ctx: RequestContext,
                      data: Form) -> Any:
    admit(request, who, RecordController.archive_community)
    form = typed(data, "reason", "version")

    def action() -> None:
        body = parsed(ArchiveIn, {"reason": form["reason"]})
        container.app(tenant).archive_record("community", community_id,
                                             ctx.cause(body.reason), version_of(form))
    return _write(request, tenant, community_id, who, container, ctx, "archived", action,
                  archive_form=form)


COMMUNITY_PAGES = [communities, create_community, community, edit_community, join, leave,
                   archive_community]
