"""管理台 · 教研活动: the applications waiting for 方案论证 (approve, or return with opinions),
发文确认 with a document number, the calendar of held and planned activities per unit, and
certificates to issue and print (each with the QR code of its public check).

Each post makes the API route's body from the form and calls what the route calls
(``ActivityController.review`` / ``confirm`` / ``certificates``); a refusal is shown beside
its field with what was typed."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import schemas as s
from adapters.http.activities import ActivityController, certificate_code
from adapters.http.context import RequestContext
from adapters.web import activity_views as views
from adapters.web import activity_words as words
from adapters.web.activity_calendar import month_of, weeks
from adapters.web.activity_forms import blank_to_none, shaped, typed
from adapters.web.console import PAGE, SIGNED_IN, admit_role, console
from adapters.web.errors import status_of
from adapters.web.gate import admit, narrow, optional_id
from adapters.web.judge_forms import NO_REFUSAL, Refusal
from adapters.web.listing import Listing
from adapters.web.public import check_url
from adapters.web.qr import qr_svg
from adapters.web.templating import Page as Template
from domain.activity import Opinion
from domain.errors import DomainError
from tenants.model import Principal

HOME = "/t/{tenant:str}/admin/activities"
ONE = HOME + "/{activity_id:uuid}"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SORTS = ("day", "theme", "unit", "state")
OPINIONS = 3  # rows of the review form
DONE = {"approved": "方案论证已通过。", "returned": "已退回修改，学校可看到论证意见。",
        "confirmed": "已发文确认。", "issued": "活动证书已颁发。"}
WAITING = ("applied", "reviewed", "summarised")


def home_of(tenant: str) -> str:
    return f"/t/{tenant}/admin/activities"


def enter(request: Request[Any, Any, Any], who: Principal, *routes: Any) -> None:
    admit_role(request, who, "admin")
    admit(request, who, *routes)


@get(HOME, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_activities")
def activity_list(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  container: Container, ctx: RequestContext) -> Template:
    """The list (searched, sorted, paged on the server) or the month's calendar, of one unit
    or all, of one state or all."""
    enter(request, who, ActivityController.list_activities)
    params = request.query_params
    unit = optional_id(params.get("unit"), "unit")
    status = params.get("status", "") if params.get("status", "") in words.STATES else ""
    view = "calendar" if params.get("view") == "calendar" else "list"
    all_units = views.units(container, tenant)
    rows = narrow(container, who, views.activities(container, tenant, None, all_units))
    all_units = {u.id: u for u in narrow(container, who, all_units.values())}
    waiting = {k: sum(1 for r in rows if r["status"] == k) for k in WAITING}
    rows = [r for r in rows if (unit is None or r["unit_id"] == str(unit))
            and (not status or r["status"] == status)]
    extra = {"unit": str(unit) if unit else "", "status": status}
    context: dict[str, Any] = {"view": view, "unit": str(unit) if unit else "",
                               "status": status, "waiting": waiting,
                               "units": sorted(all_units.values(),
                                               key=lambda u: (u.kind, u.name))}
    if view == "calendar":
        month = month_of(params.get("month", ""), ctx.today())
        context |= {"month": month, "weeks": weeks(month, rows)}
    else:
        context["page"] = Listing.of(params, SORTS).apply(
            rows, home_of(tenant), lambda r: (r["theme"], r["unit_name"], r["form"],
                                              r["state"]),
            {"day": lambda r: r["day"], "theme": lambda r: r["theme"],
             "unit": lambda r: r["unit_name"], "state": lambda r: r["state"]}, extra)
    return Template("activities/admin_list.html", context=console(
        who, "activities", title="教研活动", states=words.STATES, **context))


def detail(who: Principal, container: Container, tenant: str, activity_id: UUID,
           request: Request[Any, Any, Any], refusal: Refusal = NO_REFUSAL,
           values: dict[str, str] | None = None, done: str = "", status: int = 200,
           name: str = "activities/admin_activity.html") -> Template:
    told = views.story(container, tenant, activity_id, None)
    certificates = [{"code": c.code, "holder": c.holder,
                     "check": check_url(request, tenant, c.code),
                     "qr": qr_svg(check_url(request, tenant, c.code)),
                     "print": f"/c/{tenant}/{c.code}/print"}
                    for c in told.activity.certificates]
    return Template(name, status_code=status, context=console(
        who, "activities", title=told.activity.plan.theme, story=told, next=words.NEXT_ADMIN,
        roles=words.ROLES, refusal=refusal, values=values or {}, rows=range(OPINIONS),
        certificates=certificates, done=DONE.get(done, ""),
        url=f"{home_of(tenant)}/{activity_id}"))


@get(ONE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_activity")
def activity_page(request: Request[Any, Any, Any], tenant: str, activity_id: UUID,
                  who: Principal, container: Container, done: str = "") -> Template:
    enter(request, who, ActivityController.read)
    return detail(who, container, tenant, activity_id, request, done=done)


@get(ONE + "/certificates", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def certificate_sheet(request: Request[Any, Any, Any], tenant: str, activity_id: UUID,
                      who: Principal, container: Container) -> Template:
    """Every certificate of the activity on one printable page, each with its QR code."""
    enter(request, who, ActivityController.read)
    return detail(who, container, tenant, activity_id, request,
                  name="activities/admin_certificates.html")


def step(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
         container: Container, values: dict[str, str], do: Any) -> Template | Redirect:
    try:
        done = do()
    except DomainError as exc:
        refusal = Refusal.of(exc)
        refusal.fields = {opinion_field(k): v for k, v in refusal.fields.items()}
        return detail(who, container, tenant, activity_id, request, refusal, values,
                      status=status_of(exc))
    return Redirect(f"{home_of(tenant)}/{activity_id}?done={done}", status_code=303)


def opinion_field(name: str) -> str:
    """``opinions[1].text`` is the form's ``text_1``."""
    if name.startswith("opinions[") and "]." in name:
        index, _, field = name[len("opinions["):].partition("].")
        return f"{field}_{index}"
    return name


@post(ONE + "/review", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def review(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
           container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """方案论证: 通过, or 退回修改 with the experts' opinions (at least one)."""
    enter(request, who, ActivityController.review)
    names = ["decision"] + [f"{f}_{i}" for i in range(OPINIONS) for f in ("reviewer", "text")]
    values = typed(data, *names)

    def do() -> str:
        rows = [{"reviewer": values[f"reviewer_{i}"].strip(), "text": values[f"text_{i}"]}
                for i in range(OPINIONS)
                if values[f"reviewer_{i}"].strip() or values[f"text_{i}"].strip()]
        decision = {"approve": True, "return": False}.get(values["decision"])
        body = shaped(s.ReviewIn, {"opinions": rows} | (
            {"approved": decision} if decision is not None else {}))
        opinions = tuple(Opinion(o.reviewer, o.text) for o in body.opinions)
        container.app(tenant).review_activity(activity_id, body.approved, opinions,
                                              ctx.cause())
        return "approved" if body.approved else "returned"

    return step(request, tenant, activity_id, who, container, values, do)


@post(ONE + "/confirm", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def confirm(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
            container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """发文确认, with the notice's document number (文号)."""
    enter(request, who, ActivityController.confirm)
    values = typed(data, "document")

    def do() -> str:
        body = shaped(s.ConfirmIn, blank_to_none(values))
        container.app(tenant).confirm_activity(activity_id, body.document, ctx.cause())
        return "confirmed"

    return step(request, tenant, activity_id, who, container, values, do)


@post(ONE + "/certificates", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def issue(request: Request[Any, Any, Any], tenant: str, activity_id: UUID, who: Principal,
          container: Container, ctx: RequestContext) -> Template | Redirect:
    """活动证书 for the participants who have none yet."""
    enter(request, who, ActivityController.certificates)

    def do() -> str:
        container.app(tenant).issue_certificates(activity_id, certificate_code, ctx.cause())
        return "issued"

    return step(request, tenant, activity_id, who, container, {}, do)


ACTIVITY_PAGES_ADMIN = [activity_list, activity_page, certificate_sheet, review, confirm, issue]
