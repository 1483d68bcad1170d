"""年度考核 in the admin's console: the school years' annual reviews (searched, sorted and
paged on the server), one review's board — each school's parts, total and what the last
version moved, as it stands or as it stood at a moment — and a part entered by hand. Each
does what its API route does (``AnnualReviewController``), with no rule of its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import MediaType, Request, get, post
from litestar.response import Redirect, Template

from adapters.container import Container
from adapters.http.annual import AnnualReviewController, board_of
from adapters.http.context import RequestContext
from adapters.http.schemas.annual import ManualPartIn
from adapters.http.zone import instant
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, may
from adapters.web.listing import Listing
from adapters.web.org_common import Form, school_choices
from adapters.web.org_forms import NOTHING, REFUSALS, PageRefusal, parsed, refused, typed
from tenants.model import Principal

ANNUAL = "/t/{tenant:str}/admin/annual"
REVIEW = ANNUAL + "/{review_id:uuid}"
SORTS = ("year", "name", "version")
FIELDS = ("school_id", "label", "points", "reason")
WHAT = {"created": "建立", "source_corrected": "来源考核更正后重新公示", "manual": "手工录入"}
SOURCES = {"final": "总分", "manual": "手工录入"}


def html(name: str, context: dict[str, Any], status: int = 200) -> Template:
    return Template(name, media_type=MediaType.HTML, status_code=status, context=context)


@get(ANNUAL, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_annual")
def reviews(request: Request[Any, Any, Any], tenant: str, who: Principal,
            container: Container) -> Template:
    admit(request, who, AnnualReviewController.list_all)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        rows = views.annual_reviews()
    page = Listing.of(request.query_params, SORTS).apply(
        rows, f"/t/{tenant}/admin/annual", lambda r: (r["year"], r["name"]),
        {key: (lambda r, k=key: r[k]) for key in SORTS})
    return html("annual/reviews.html", console(who, "annual", title="年度考核", page=page))


def board_page(who: Principal, container: Container, review_id: UUID, as_of: str = "",
               **extra: Any) -> dict[str, Any]:
    moment = instant(as_of, ZoneInfo(who.time_zone)) if as_of else None
    board = board_of(container, who.tenant, review_id, moment)
    with container.views(who.tenant) as views:
        schools = school_choices(views)
    defaults = {"form": {}, "refused": NOTHING, "done": "", "as_of_refused": NOTHING,
                "typed_as_of": ""}
    return console(who, "annual", title=f"年度考核 · {board.name}", board=board, as_of=as_of,
                   schools=schools, what=WHAT, sources=SOURCES,
                   may_enter=may(who, AnnualReviewController.manual_part)) | defaults | extra


@get(REVIEW, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_annual_board")
def review(request: Request[Any, Any, Any], tenant: str, review_id: UUID, who: Principal,
           container: Container, done: str | None = None) -> Template:
    admit(request, who, AnnualReviewController.board)
    as_of = (request.query_params.get("as_of") or "").strip()[:64]
    try:
        context = board_page(who, container, review_id, as_of,
                             done="已录入，年度考核已生成新版本。" if done else "")
    except REFUSALS as exc:  # an as_of that is no moment, or one before the review
        if not as_of:
            raise
        why = refused(exc)
        why.fields = {"as_of": why.fields.get("as_of") or why.message}
        context = board_page(who, container, review_id, typed_as_of=as_of, as_of_refused=why)
        return html("annual/board.html", context, why.status)
    return html("annual/board.html", context)


@post(REVIEW + "/manual-parts", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def enter_manual(request: Request[Any, Any, Any], tenant: str, review_id: UUID,
                 who: Principal, container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, AnnualReviewController.manual_part)
    form = typed(data, *FIELDS)
    try:
        if not form["school_id"]:
            raise PageRefusal({"school_id": "请选择学校"})
        body = parsed(ManualPartIn, form)
        container.app(tenant).enter_manual_part(
            review_id, body.school_id, body.label, body.points, (), ctx.cause(body.reason))
    except REFUSALS as exc:
        why = refused(exc)
        return html("annual/board.html", board_page(
            who, container, review_id, form=form, refused=why), why.status)
    return Redirect(f"/t/{tenant}/admin/annual/{review_id}?done=1", status_code=303)


ANNUAL_PAGES: list[Any] = [reviews, review, enter_manual]
