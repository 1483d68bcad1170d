"""组织机构 · 教研组 / 备课组 / 工作室 and 教师: the lists (one kind at a time, ``?kind=``),
registering a unit, one unit's page (edit with a reason, its host and members, archive) and
the teachers of the district (a teacher is a user of role ``teacher`` with a subject and a
school; their own page is the people section's). A 教研组 whose subject has fewer than three
teachers at its school carries the API's warning (``domain.unit.group_warnings``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.affiliations import AffiliationController
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope, check_node
from adapters.http.organisation import OrganisationController
from adapters.http.people import PeopleController
from adapters.http.records import RecordController, values_of
from adapters.http.schemas import ArchiveIn, UnitCreate, UnitEdit, UnitMembersIn, UserCreate
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit, seen_views
from adapters.web.listing import Listing
from adapters.web.org_common import (
    ORG,
    ROLE_NAMES,
    UNIT_KINDS,
    Form,
    done_of,
    org_page,
    school_choices,
    teacher_counts,
    unit_warnings,
)
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
from domain.unit import unit_label
from domain.user import Affiliation
from tenants.model import Principal

UNITS = ORG + "/units"
UNIT = UNITS + "/{unit_id:uuid}"
TEACHERS = ORG + "/teachers"
FIELDS = ("kind", "name", "school_id", "subject", "host_user_id", "parent_id", "node_id")
SORTS = ("name", "school", "subject", "members")


def people_choices(views: Any) -> list[tuple[str, str]]:
    return [(str(u["id"]), f"{u['name']}（{ROLE_NAMES.get(u['role'], u['role'])}"
             + (f"·{u['subject']}" if u["subject"] else "") + "）")
            for u in sorted(views.users(), key=lambda u: u["name"])]


def unit_list(request: Request[Any, Any, Any], who: Principal, container: Container,
              asked: str | None = None, **extra: Any) -> dict[str, Any]:
    """The units of one kind (``asked``: the posted form's, else ``?kind=``)."""
    params = request.query_params
    asked = asked or params.get("kind")
    kind = asked if asked in UNIT_KINDS else "research_group"
    archived = params.get("archived") == "1"
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        counts = teacher_counts(views.whole)
        all_units = views.units(archived)
        people = people_choices(views)
        schools = school_choices(views)
    names = dict(people)
    rows = [u | {"school": u["school_name"] or "", "warnings": unit_warnings(u, counts),
                 "host": names.get(str(u["host_user_id"]), "") if u["host_user_id"] else "",
                 "members": len(u["member_user_ids"] or [])}
            for u in all_units if u["kind"] == kind]
    page = Listing.of(params, SORTS).apply(
        rows, f"/t/{who.tenant}/admin/org/units",
        lambda r: (r["name"], r["school"], r["subject"], r["host"]),
        {"name": lambda r: r["name"], "school": lambda r: r["school"],
         "subject": lambda r: r["subject"], "members": lambda r: r["members"]},
        {"kind": kind, "archived": "1" if archived else ""})
    groups = [(str(u["id"]), unit_label(u["name"], u["school_name"])) for u in all_units
              if u["kind"] == "research_group" and not u["archived"]]
    chart = chart_of(container, who)
    return org_page(who, kind, title=f"组织机构 · {UNIT_KINDS[kind]}", page=page, kind=kind,
                    kind_name=UNIT_KINDS[kind], archived=archived, schools=schools,
                    people=people, research_groups=groups, nodes=node_choices(chart, who),
                    default_node=default_node(chart, who), **extra)


@get(UNITS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def units(request: Request[Any, Any, Any], tenant: str, who: Principal,
          container: Container, done: str | None = None) -> Template:
    admit(request, who, OrganisationController.list_units, OrganisationController.create_unit)
    return Template("org/units.html", context=unit_list(request, who, container,
                                                        done=done_of(done)))


@post(UNITS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_unit(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, OrganisationController.create_unit)
    form = typed(data, *FIELDS, lists=("member_user_ids",))
    try:
        body = parsed(UnitCreate, form)
        check_in_scope(container, tenant, ctx, body.school_id, body.parent_id)
        node = check_node(container, tenant, ctx, body.node_id)
        container.app(tenant).register_unit(
            body.kind, body.name, body.school_id, body.subject, body.host_user_id,
            tuple(body.member_user_ids), ctx.cause(), body.parent_id,
            node if body.node_id is not None or body.school_id is None else None)
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "node_id")
        return Template("org/units.html", status_code=why.status, context=unit_list(
            request, who, container, form["kind"], form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/org/units?kind={form['kind']}&done=created",
                    status_code=303)


def unit_page(who: Principal, container: Container, unit_id: UUID,
              **extra: Any) -> dict[str, Any]:
    unit = container.app(who.tenant).unit(unit_id)
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        people = people_choices(views)
        names = dict(people_choices(views.whole))
        counts = teacher_counts(views.whole)
        school = next((s["name"] for s in views.whole.schools(True)
                       if s["id"] == unit.school_id), "")
    row = {"kind": unit.kind, "school_id": unit.school_id, "subject": unit.subject}
    chart = chart_of(container, who)
    context = org_page(
        who, unit.kind, title=f"{UNIT_KINDS[unit.kind]} · {unit.name}", unit=unit,
        kind_name=UNIT_KINDS[unit.kind], school=school, people=people,
        names=names, warnings=unit_warnings(row, counts),
        members_form={"host_user_id": str(unit.host_user_id or ""),
                      "member_user_ids": [str(u) for u in unit.member_user_ids]},
        members_refused=Refused(), archive_form={}, archive_refused=Refused(),
        node_path=path_text(chart, container.app(who.tenant).node_of(unit)),
        nodes=node_choices(chart, who), place_form={"node_id": str(unit.node_id or "")},
        place_refused=Refused())
    return context | {"form": {"name": unit.name, "subject": unit.subject or ""}} | extra


@get(UNIT, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def unit(request: Request[Any, Any, Any], tenant: str, unit_id: UUID, who: Principal,
         container: Container, done: str | None = None) -> Template:
    admit(request, who, RecordController.unit, RecordController.edit_unit)
    return Template("org/unit.html", context=unit_page(who, container, unit_id,
                                                       done=done_of(done)))


def _write(tenant: str, unit_id: UUID, who: Principal, container: Container, done: str,
           action: Any, key: str, form: dict[str, Any]) -> Any:
    try:
        action()
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "node_id") if key == "place_" else refused(exc)
        context = unit_page(who, container, unit_id, **{f"{key}form": form,
                                                        f"{key}refused": why})
        return Template("org/unit.html", status_code=why.status, context=context)
    return Redirect(f"/t/{tenant}/admin/org/units/{unit_id}?done={done}", status_code=303)


@post(UNIT, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def edit_unit(request: Request[Any, Any, Any], tenant: str, unit_id: UUID, who: Principal,
              container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, RecordController.edit_unit)
    form = typed(data, "name", "subject", "reason", "version")

    def action() -> None:
        body = parsed(UnitEdit, {k: form[k] for k in ("name", "subject", "reason")})
        values = values_of(body) | {"subject": body.subject if form["subject"].strip()
                                    else None}
        container.app(tenant).edit_record("unit", unit_id, values, ctx.cause(body.reason),
                                          version_of(form))
    return _write(tenant, unit_id, who, container, "edited", action, "", form)


@post(UNIT + "/members", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def change_members(request: Request[Any, Any, Any], tenant: str, unit_id: UUID,
                   who: Principal, container: Container, ctx: RequestContext,
                   data: Form) -> Any:
    """The API's ``PUT …/units/{id}/members``: host and members, with a reason."""
    admit(request, who, AffiliationController.change_members)
    form = typed(data, "host_user_id", "reason", "version", lists=("member_user_ids",))

    def action() -> None:
        body = parsed(UnitMembersIn, {k: form[k] for k in ("host_user_id", "reason",
                                                           "member_user_ids")})
        container.app(tenant).change_unit_members(
            unit_id, body.host_user_id, tuple(body.member_user_ids), ctx.cause(body.reason),
            version_of(form))
    return _write(tenant, unit_id, who, container, "members", action, "members_", form)


@post(UNIT + "/place", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def place_unit(request: Request[Any, Any, Any], tenant: str, unit_id: UUID, who: Principal,
               container: Container, ctx: RequestContext, data: Form) -> Any:
    """划转: the API's ``PATCH …/units/{id} {node_id, reason}``."""
    admit(request, who, RecordController.edit_unit)
    form = typed(data, "node_id", "reason", "version")
    return _write(tenant, unit_id, who, container, "placed",
                  lambda: place(container, tenant, ctx, "unit", unit_id, form), "place_", form)


@post(UNIT + "/archive", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def archive_unit(request: Request[Any, Any, Any], tenant: str, unit_id: UUID,
                 who: Principal, container: Container, ctx: RequestContext,
                 data: Form) -> Any:
    admit(request, who, RecordController.archive_unit)
    form = typed(data, "reason", "version")

    def action() -> None:
        body = parsed(ArchiveIn, {"reason": form["reason"]})
        container.app(tenant).archive_record("unit", unit_id, ctx.cause(body.reason),
                                             version_of(form))
    return _write(tenant, unit_id, who, container, "archived", action, "archive_", form)


def teacher_list(request: Request[Any, Any, Any], who: Principal, container: Container,
                 **extra: Any) -> dict[str, Any]:
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        names = {str(s["id"]): s["name"] for s in views.whole.schools(True)}
        schools = school_choices(views)
        rows = [t | {"schools": [names.get(str(a["id"]), "") for a in t["affiliations"] or []
                                 if a.get("kind") == "school"]}
                for t in views.users("teacher")]
    page = Listing.of(request.query_params, ("name", "subject", "school")).apply(
        rows, f"/t/{who.tenant}/admin/org/teachers",
        lambda r: (r["name"], r["subject"], *r["schools"]),
        {"name": lambda r: r["name"], "subject": lambda r: r["subject"],
         "school": lambda r: "、".join(r["schools"])})
    return org_page(who, "teachers", title="组织机构 · 教师", page=page, schools=schools,
                    **extra)


@get(TEACHERS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def teachers(request: Request[Any, Any, Any], tenant: str, who: Principal,
             container: Container, done: str | None = None) -> Template:
    admit(request, who, PeopleController.list_users, PeopleController.create_user)
    return Template("org/teachers.html", context=teacher_list(request, who, container,
                                                              done=done_of(done)))


@post(TEACHERS, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_teacher(request: Request[Any, Any, Any], tenant: str, who: Principal,
                   container: Container, ctx: RequestContext, data: Form) -> Any:
    """A teacher: the API's ``POST /users`` with role ``teacher``, a subject and a school."""
    admit(request, who, PeopleController.create_user)
    form = typed(data, "name", "subject", "school_id")
    try:
        school = [{"kind": "school", "id": form["school_id"]}] if form["school_id"] else []
        body = parsed(UserCreate, {"name": form["name"], "role": "teacher",
                                   "subject": form["subject"], "affiliations": school})
        check_in_scope(container, tenant, ctx, *(a.id for a in body.affiliations))
        container.platform.add_user(tenant, body.name, body.role,
                                    tuple(Affiliation(a.kind, a.id) for a in body.affiliations),
                                    ctx.cause(), body.subject, check_node(container, tenant,
                                                                          ctx, None))
    except REFUSALS as exc:
        why = refused(exc)
        if "affiliations" in why.fields:
            why.fields["school_id"] = why.fields.pop("affiliations")
        return Template("org/teachers.html", status_code=why.status, context=teacher_list(
            request, who, container, form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/org/teachers?done=created", status_code=303)


UNIT_PAGES = [units, create_unit, unit, edit_unit, change_members, place_unit, archive_unit,
              teachers, create_teacher]
