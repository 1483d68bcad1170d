"""学校填报 · 教研活动: a school reporter applies (预约申请), revises a returned plan, records
the day (开展), uploads evidence and summarises (总结).

Each post makes the API route's own body (``adapters.http.schemas``) from the form and calls
the service the API calls, with the reporter as the actor, so the reporter-scope rules are the
API's (``services/access.py``); another school's activity is a 404. A refusal is shown beside
its field with everything typed kept; a success redirects (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import schemas as s
from adapters.http.activities import ActivityController, plan_of
from adapters.http.context import RequestContext
from adapters.web import activity_views as views
from adapters.web import activity_words as words
from adapters.web.activity_forms import (
    PLAN_FIELDS,
    blank_to_none,
    fields_of_lines,
    participants,
    participants_text,
    shaped,
    typed,
)
from adapters.web.console import PAGE, SIGNED_IN, admit_role, console
from adapters.web.errors import status_of
from adapters.web.gate import admit
from adapters.web.judge_forms import NO_REFUSAL, Refusal
from adapters.web.listing import Listing
from adapters.web.templating import Page as Template
from domain.activity import Participant
from domain.errors import DomainError
from tenants.model import Principal

HOME = "/t/{tenant:str}/school/activities"
ONE = HOME + "/{activity_id:uuid}"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SORTS = ("day", "theme", "unit", "state")
DONE = {"applied": "预约申请已提交，等待方案论证。", "revised": "修改后的方案已重新提交。",
        "held": "开展情况已登记。", "summarised": "活动总结已提交。",
        "uploaded": "佐证材料已上传：提交总结时一并附上。"}


def home_of(tenant: str) -> str:
    return f"/t/{tenant}/school/activities"


def enter(request: Request[Any, Any, Any], who: Principal, *routes: Any) -> None:
    """学校填报 is the reporter's; each action admits whom its API route admits."""
    admit_role(request, who, "reporter")
    admit(request, who, *routes)


@get(HOME, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="school_activities")
def activity_list(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  container: Container, done: str = "") -> Template:
    enter(request, who, ActivityController.list_activities)
    user = views.reporter(container, tenant, who)
    all_units = views.units(container, tenant)
    rows = views.activities(container, tenant, user, all_units)
    page = Listing.of(request.query_params, SORTS).apply(
        rows, home_of(tenant), lambda r: (r["theme"], r["unit_name"], r["form"], r["state"]),
        {"day": lambda r: r["day"], "theme": lambda r: r["theme"],
         "unit": lambda r: r["unit_name"], "state": lambda r: r["state"]})
    return Template("activities/school_list.html", context=console(
        who, "activities", title="教研活动", page=page, next=words.NEXT_SCHOOL,
        done=DONE.get(done, "")))


def apply_form(who: Principal, container: Container, tenant: str, refusal: Refusal = NO_REFUSAL,
               values: dict[str, str] | None = None, status: int = 200) -> Template:
    user = views.reporter(container, tenant, who)
    mine = [u for u in views.units(container, tenant).values() if views.speaks_for_unit(user, u)]
    mine.sort(key=lambda u: (u.kind != "school", u.kind, u.name))
    return Template("activities/school_apply.html", status_code=status, context=console(
        who, "activities", title="预约申请", units=mine,
        forms=container.app(tenant).settings().all_forms, refusal=refusal,
        values=values or {"periods": "2"}))


@get(HOME + "/new", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def new_activity(request: Request[Any, Any, Any], tenant: str, who: Principal,
                 container: Container) -> Template:
    enter(request, who, ActivityController.apply)
    return apply_form(who, container, tenant)


@post(HOME, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def apply(request: Request[Any, Any, Any], tenant: str, who: Principal, container: Container,
          ctx: RequestContext, data: Form) -> Template | Redirect:
    """预约申请: ``POST /activities`` with the form's unit ("kind:id") and plan."""
    enter(request, who, ActivityController.apply)
    values = typed(data, "unit", *PLAN_FIELDS)
    kind, _, unit_id = values["unit"].partition(":")
    try:
        body = shaped(s.ActivityIn, blank_to_none(
            {k: values[k] for k in PLAN_FIELDS} | {"unit_kind": kind, "unit_id": unit_id}))
        written = container.app(tenant).apply_activity(
            body.unit_kind, body.unit_id, plan_of(body),
            views.reporter(container, tenant, who), ctx.cause())
    except DomainError as exc:
        refusal = Refusal.of(exc)
        for name in ("unit_kind", "unit_id"):
            if name in refusal.fields:
                refusal.fields["unit"] = refusal.fields.pop(name)
        return apply_form(who, container, tenant, refusal, values, status_of(exc))
    return Redirect(f"{home_of(tenant)}/{written.id}?done=applied", status_code=303)


def detail(who: Principal, container: Container, tenant: str, activity_id: UUID,
           refusal: Refusal = NO_REFUSAL, values: dict[str, str] | None = None,
           kept: list[UUID] | None = None, done: str = "", status: int = 200,
           name: str = "activities/school_activity.html",
           co_hosts: list[str] | None = None) -> Template:
    user = views.reporter(container, tenant, who)
    told = views.story(container, tenant, activity_id, user)
    a = told.activity
    shown = {"theme": a.plan.theme, "form": a.plan.form,
             "planned_on": a.plan.planned_on.isoformat(), "periods": str(a.plan.periods),
             "purpose": a.plan.purpose, "plan": a.plan.plan,
             "held_on": a.plan.planned_on.isoformat(), "held_periods": str(a.plan.periods),
             "participants": participants_text(a.participants)}
    own = [u for u in views.units(container, tenant).values()
           if views.speaks_for_unit(user, u) and u.id != str(a.unit_id)]
    return Template(name, status_code=status, context=console(
        who, "activities", title=a.plan.theme, story=told, next=words.NEXT_SCHOOL,
        own_units=sorted(own, key=lambda u: (u.kind, u.name)), co_hosts=co_hosts or [],
        roles=words.ROLES, refusal=refusal, values=shown | (values or {}),
        forms=container.app(tenant).settings().all_forms,
        kept=views.shown_evidence(container, tenant, kept or [], who),
        done=DONE.get(done, ""), url=f"{home_of(tenant)}/{activity_id}"))


def kept_ids(values: Any) -> list[UUID]:
    """The evidence uploaded for the summary so far (ids carried by the forms)."""
    found: list[UUID] = []
    for value in values if isinstance(values, list) else [values]:
        try:
            found.append(UUID(str(value)))
        except ValueError:
            continue
    return list(dict.fromkeys(found))[:50]


@get(ONE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="school_activity")
def activity_page(request: Request[Any, Any, Any], tenant: str, activity_id: UUID,
                  who: Principal, container: Container, done: str = "") -> Template:
    enter(request, who, ActivityController.read)
    return detail(who, container, tenant, activity_id,
                  kept=kept_ids(request.query_params.getall("evidence", [])), done=done)


def step(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
         container: Container, values: dict[str, str], do: Any, done: str,
         kept: list[UUID] | None = None,
         rename: dict[str, str] | None = None,
         co_hosts: list[str] | None = None) -> Template | Redirect:
    """Run one step; a refusal re-renders the page with what was typed (a field the page
    names otherwise than the API is renamed: ``periods`` of the day is ``held_periods``)."""
    try:
        do(views.reporter(container, tenant, who))
    except DomainError as exc:
        refusal = Refusal.of(exc)
        refusal.fields = {(rename or {}).get(k, k): v
                          for k, v in fields_of_lines(refusal.fields).items()}
        return detail(who, container, tenant, activity_id, refusal, values, kept,
                      status=status_of(exc), co_hosts=co_hosts)
    return Redirect(f"{home_of(tenant)}/{activity_id}?done={done}", status_code=303)


@post(ONE + "/revise", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def revise(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
           container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    enter(request, who, ActivityController.revise)
    values = typed(data, *PLAN_FIELDS)

    def do(user: Any) -> None:
        body = shaped(s.PlanIn, blank_to_none(values))
        container.app(tenant).revise_activity(activity_id, plan_of(body), user, ctx.cause())

    return step(request, tenant, activity_id, who, container, values, do, "revised")


@post(ONE + "/hold", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def hold(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
         container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """开展: the day, the class periods and the participants (one a line)."""
    enter(request, who, ActivityController.hold)
    values = typed(data, "held_on", "held_periods", "participants")
    given = data.get("co_host_unit_ids", [])
    co_hosts = [str(v) for v in (given if isinstance(given, list) else [given]) if v]

    def do(user: Any) -> None:
        body = shaped(s.HoldIn, blank_to_none({"held_on": values["held_on"],
                                               "periods": values["held_periods"]})
                      | {"participants": participants(values["participants"]),
                         "co_host_unit_ids": co_hosts})
        people = tuple(Participant(p.name, p.role, p.user_id) for p in body.participants)
        container.app(tenant).hold_activity(
            activity_id, body.held_on, body.periods, people, tuple(body.host_unit_ids),
            tuple(body.co_host_unit_ids), user, ctx.cause())

    return step(request, tenant, activity_id, who, container, values, do, "held",
                rename={"periods": "held_periods"}, co_hosts=co_hosts)


@post(ONE + "/summarise", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def summarise(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
              container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """总结: highlights, problems, improvements, and the evidence uploaded for it."""
    enter(request, who, ActivityController.summarise)
    values = typed(data, "highlights", "problems", "improvements")
    kept = kept_ids(data.get("evidence_ids", []))

    def do(user: Any) -> None:
        body = shaped(s.SummaryIn, dict(values) | {"evidence_ids": [str(k) for k in kept]})
        container.app(tenant).summarise_activity(
            activity_id, body.highlights, body.problems, body.improvements,
            tuple(body.evidence_ids), user, ctx.cause())

    return step(request, tenant, activity_id, who, container, values, do, "summarised", kept)


def with_evidence(url: str, kept: list[UUID], done: str) -> str:
    return url + "?" + urlencode([("done", done)] + [("evidence", str(k)) for k in kept])


ACTIVITY_PAGES_SCHOOL = [activity_list, new_activity, apply, activity_page, revise, hold,
                         summarise]
