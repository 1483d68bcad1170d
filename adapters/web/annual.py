"""年度考核 in the admin's console: the school years' annual reviews (searched, sorted and
paged on the server), one review's board — each school's parts, total and what the last
version moved, as it stands or as it stood at a moment — and a part entered by hand. Each
does what its API route does (``AnnualReviewController``), with no rule of its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import MediaType, Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.annual import AnnualReviewController, board_of
from adapters.http.annual_out import part_of
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope
from adapters.http.schemas.annual import AnnualReviewCreate, ManualPartIn
from adapters.http.zone import instant
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, may, seen_views
from adapters.web.listing import Listing
from adapters.web.org_common import Form, school_choices
from adapters.web.org_forms import (
    NOTHING,
    REFUSALS,
    PageRefusal,
    parsed,
    refused,
    typed,
    uuid_of,
)
from adapters.web.templating import Page as Template
from services.annual import ReviewSpec
from tenants.model import Principal

ANNUAL = "/t/{tenant:str}/admin/annual"
REVIEW = ANNUAL + "/{review_id:uuid}"
SORTS = ("year", "name", "version")
FIELDS = ("school_id", "label", "points", "reason")
WHAT = {"created": "建立", "source_corrected": "来源考核更正后重新公示", "manual": "手工录入"}
SOURCES = {"final": "总分", "manual": "手工录入"}
PART_ROWS = 3
PART_KEYS = ("source", "method", "amount", "applies_to")
METHODS = [("points", "折算为分值（公示值 ÷ 满分 × 分值）"),
           ("weight", "乘以权重（公示值 × 权重）")]
APPLIES = [("subject", "考核对象本校"), ("community_members", "共同体各成员校（按比例计入）")]


def html(name: str, context: dict[str, Any], status: int = 200) -> Template:
    return Template(name, media_type=MediaType.HTML, status_code=status, context=context)


def review_list(request: Request[Any, Any, Any], who: Principal, container: Container,
                **extra: Any) -> dict[str, Any]:
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        rows = views.annual_reviews()
        published = [r for r in views.assessments() if r["status"] == "published"]
    app = container.app(who.tenant)
    sources = []
    for row in published:  # each published round's final and components, by name
        setup = app.assessment(row["assessment_id"]).setup
        sources.append((f"{row['assessment_id']}|final", f"{setup.name} · 总分"))
        sources += [(f"{row['assessment_id']}|{c.key}", f"{setup.name} · {c.name}")
                    for c in setup.components]
    page = Listing.of(request.query_params, SORTS).apply(
        rows, f"/t/{who.tenant}/admin/annual", lambda r: (r["year"], r["name"]),
        {key: (lambda r, k=key: r[k]) for key in SORTS})
    defaults = {"form": {}, "refused": NOTHING, "opened": False, "rows": PART_ROWS}
    return console(who, "annual", title="年度考核", page=page, sources=sources,
                   methods=METHODS, applies=APPLIES,
                   may_create=may(who, AnnualReviewController.create)) | defaults | extra


@get(ANNUAL, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_annual")
def reviews(request: Request[Any, Any, Any], tenant: str, who: Principal,
            container: Container) -> Template:
    admit(request, who, AnnualReviewController.list_all)
    return html("annual/reviews.html", review_list(request, who, container))


@post(ANNUAL, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_review(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  container: Container, ctx: RequestContext, data: Form) -> Any:
    admit(request, who, AnnualReviewController.create)
    names = [f"part{i}_{k}" for i in range(PART_ROWS) for k in PART_KEYS]
    form = typed(data, "year", "name", *names)
    try:
        body = parsed(AnnualReviewCreate, {"year": form["year"], "name": form["name"],
                                           "parts": parts_of(form)})
        check_in_scope(container, tenant, ctx, *(p.assessment_id for p in body.parts))
        written = container.app(tenant).create_review(ReviewSpec(body.year, body.name, tuple(
            part_of(i, p) for i, p in enumerate(body.parts))), ctx.cause(), ctx.scope)
    except REFUSALS as exc:
        why = refused(exc)
        return html("annual/reviews.html", review_list(
            request, who, container, form=form, refused=why, opened=True), why.status)
    return Redirect(f"/t/{tenant}/admin/annual/{written.id}?after={written.position}",
                    status_code=303)


def parts_of(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows with a source chosen, as the API's parts (a row left empty is no part)."""
    parts = []
    for i in range(PART_ROWS):
        chosen = form[f"part{i}_source"]
        if not chosen:
            continue
        assessment_id, _, source = chosen.partition("|")
        amount = form[f"part{i}_amount"].strip()
        if not amount:
            raise PageRefusal({"parts": f"第 {i + 1} 行：请填写折算的数值"})
        parts.append({"assessment_id": uuid_of(assessment_id, "parts"), "source": source,
                      form[f"part{i}_method"] or "points": amount,
                      "applies_to": form[f"part{i}_applies_to"] or "subject"})
    return parts


def board_page(who: Principal, container: Container, review_id: UUID, as_of: str = "",
               after: int | None = None, **extra: Any) -> dict[str, Any]:
    moment = instant(as_of, ZoneInfo(who.time_zone)) if as_of else None
    board = board_of(container, who.tenant, review_id, moment, after)
    with seen_views(container, who) as views:
        schools = school_choices(views)
    defaults = {"form": {}, "refused": NOTHING, "done": "", "as_of_refused": NOTHING,
                "typed_as_of": "", "published_refused": None}
    return console(who, "annual", title=f"年度考核 · {board.name}", board=board, as_of=as_of,
                   schools=schools, what=WHAT, sources=SOURCES,
                   may_enter=may(who, AnnualReviewController.manual_part),
                   may_publish=may(who, AnnualReviewController.publish)) | defaults | extra


@get(REVIEW, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_annual_board")
def review(request: Request[Any, Any, Any], tenant: str, review_id: UUID, who: Principal,
           container: Container, done: str | None = None, published: str | None = None,
           after: int | None = None) -> Template:
    admit(request, who, AnnualReviewController.board)
    as_of = (request.query_params.get("as_of") or "").strip()[:64]
    try:
        context = board_page(who, container, review_id, as_of, after,
                             done="已录入，年度考核已生成新版本。" if done
                             else "已向学校公布：各校填报员可在“公示与证书”中查看本校结果。"
                             if published else "")
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
        check_in_scope(container, tenant, ctx, body.school_id)
        written, _ = container.app(tenant).enter_manual_part(
            review_id, body.school_id, body.label, body.points, (), ctx.cause(body.reason))
    except REFUSALS as exc:
        why = refused(exc)
        return html("annual/board.html", board_page(
            who, container, review_id, form=form, refused=why), why.status)
    return Redirect(f"/t/{tenant}/admin/annual/{review_id}?done=1&after={written.position}",
                    status_code=303)


@post(REVIEW + "/publish", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def publish_review(request: Request[Any, Any, Any], tenant: str, review_id: UUID,
                   who: Principal, container: Container, ctx: RequestContext,
                   data: Form) -> Any:
    """公布 to the schools: each school's reporter then reads their own line."""
    admit(request, who, AnnualReviewController.publish)
    try:
        written = container.app(tenant).publish_review(review_id, ctx.cause())
    except REFUSALS as exc:  # already published (another tab)
        why = refused(exc)
        return html("annual/board.html", board_page(who, container, review_id,
                                                    published_refused=why), why.status)
    return Redirect(f"/t/{tenant}/admin/annual/{review_id}?published=1&after={written.position}",
                    status_code=303)


ANNUAL_PAGES: list[Any] = [reviews, create_review, review, enter_manual, publish_review]
