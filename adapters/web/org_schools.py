"""组织机构 · 学校: the list (searched, sorted and paged on the server), registering a school,
editing it with a reason and archiving it — each the API's service call
(``PeopleController.create_school``, ``RecordController.edit_school`` / ``archive_school``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_node
from adapters.http.people import PeopleController
from adapters.http.records import RecordController, values_of
from adapters.http.schemas import ArchiveIn, SchoolCreate, SchoolEdit
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit, seen_views
from adapters.web.listing import Listing
from adapters.web.org_common import ORG, STAGE_CHOICES, Form, done_of, org_page
from adapters.web.org_forms import REFUSALS, Refused, parsed, refused, typed, version_of
from adapters.web.org_nodes import (
    beside,
    chart_of,
    default_node,
    node_choices,
    path_text,
    place,
)
from adapters.web.templating import Page as Template
from tenants.model import Principal

SCHOOLS = ORG + "/schools"
SCHOOL = SCHOOLS + "/{school_id:uuid}"
FIELDS = ("name", "group", "stage", "zone")
SORTS = ("name", "group", "stage", "zone")


def school_list(request: Request[Any, Any, Any], who: Principal, container: Container,
                **extra: Any) -> dict[str, Any]:
    params = request.query_params
    archived = params.get("archived") == "1"
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        rows = views.schools(archived)
    page = Listing.of(params, SORTS).apply(
        rows, f"/t/{who.tenant}/admin/org/schools",
        lambda r: (r["name"], r["group"], r["stage"], r["zone"]),
        {key: (lambda r, k=key: r[k]) for key in SORTS},
        {"archived": "1" if archived else ""})
    chart = chart_of(container, who)
    return org_page(who, "schools", title="组织机构 · 学校", page=page, archived=archived,
                    stages=STAGE_CHOICES, nodes=node_choices(chart, who),
                    default_node=default_node(chart, who), **extra)


@get(SCHOOLS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="org_schools")
def schools(request: Request[Any, Any, Any], tenant: str, who: Principal,
            container: Container, done: str | None = None) -> Template:
    admit(request, who, PeopleController.list_schools, PeopleController.create_school)
    return Template("org/schools.html", context=school_list(
        request, who, container, done=done_of(done)))


@post(SCHOOLS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_school(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, PeopleController.create_school)
    form = typed(data, *FIELDS, "external", "node_id")
    try:
        body = parsed(SchoolCreate, {**form, "external": form["external"] == "1"})
        container.app(tenant).register_school(body.name, body.group, body.stage, body.zone,
                                              body.external, ctx.cause(),
                                              check_node(container, tenant, ctx, body.node_id))
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "node_id")
        return Template("org/schools.html", status_code=why.status, context=school_list(
            request, who, container, form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/org/schools?done=created", status_code=303)


def school_page(who: Principal, container: Container, school_id: UUID,
                **extra: Any) -> dict[str, Any]:
    school = container.app(who.tenant).school(school_id)
    current = {f: getattr(school, f) or "" for f in FIELDS}
    chart = chart_of(container, who)
    context = org_page(who, "schools", title=f"学校 · {school.name}", school=school,
                       stages=STAGE_CHOICES, archive_form={}, archive_refused=Refused(),
                       node_path=path_text(chart, school.node_id),
                       nodes=node_choices(chart, who),
                       place_form={"node_id": str(school.node_id or "")},
                       place_refused=Refused())
    return context | {"form": current} | extra


@get(SCHOOL, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def school(request: Request[Any, Any, Any], tenant: str, school_id: UUID, who: Principal,
           container: Container, done: str | None = None) -> Template:
    admit(request, who, RecordController.school, RecordController.edit_school)
    return Template("org/school.html", context=school_page(who, container, school_id,
                                                           done=done_of(done)))


@post(SCHOOL, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def edit_school(request: Request[Any, Any, Any], tenant: str, school_id: UUID,
                who: Principal, container: Container, ctx: RequestContext, data: Form) -> Any:
    """PATCH with a reason: the fields the form shows, a zone left empty is cleared."""
    admit(request, who, RecordController.edit_school)
    form = typed(data, *FIELDS, "reason", "version")
    try:
        body = parsed(SchoolEdit, {**{f: form[f] for f in FIELDS}, "reason": form["reason"]})
        values = values_of(body) | {"zone": body.zone if form["zone"].strip() else None}
        container.app(tenant).edit_record("school", school_id, values, ctx.cause(body.reason),
                                          version_of(form))
    except REFUSALS as exc:
        why = refused(exc)
        return Template("org/school.html", status_code=why.status, context=school_page(
            who, container, school_id, form=form, refused=why))
    return Redirect(f"/t/{tenant}/admin/org/schools/{school_id}?done=edited", status_code=303)


@post(SCHOOL + "/archive", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def archive_school(request: Request[Any, Any, Any], tenant: str, school_id: UUID,
                   who: Principal, container: Container, ctx: RequestContext,
                   data: Form) -> Any:
    admit(request, who, RecordController.archive_school)
    form = typed(data, "reason", "version")
    try:
        body = parsed(ArchiveIn, {"reason": form["reason"]})
        container.app(tenant).archive_record("school", school_id, ctx.cause(body.reason),
                                             version_of(form))
    except REFUSALS as exc:
        why = refused(exc)
        return Template("org/school.html", status_code=why.status, context=school_page(
            who, container, school_id, archive_form=form, archive_refused=why))
    return Redirect(f"/t/{tenant}/admin/org/schools/{school_id}?done=archived",
                    status_code=303)


@post(SCHOOL + "/place", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def place_school(request: Request[Any, Any, Any], tenant: str, school_id: UUID,
                 who: Principal, container: Container, ctx: RequestContext,
                 data: Form) -> Any:
    """划转: the API's ``PATCH …/schools/{id} {node_id, reason}``."""
    admit(request, who, RecordController.edit_school)
    form = typed(data, "node_id", "reason", "version")
    try:
        place(container, tenant, ctx, "school", school_id, form)
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "node_id")
        return Template("org/school.html", status_code=why.status, context=school_page(
            who, container, school_id, place_form=form, place_refused=why))
    return Redirect(f"/t/{tenant}/admin/org/schools/{school_id}?done=placed",
                    status_code=303)


SCHOOL_PAGES = [schools, create_school, school, edit_school, place_school, archive_school]
