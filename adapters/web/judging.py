"""评委的页面: a judge's rounds and subjects, and the scoring form of one card.

Each post calls the service the API calls (record, submit, reopen, declare a recusal) and
redirects back (post/redirect/get); htmx posts get the card's part of the page instead. A
refusal with fields is shown beside them, with what was typed; a recused judge's attempt
is the API's refusal (a Chinese error page, and on the auditor's record)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from uuid import UUID

from litestar import MediaType, Request, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.auth import PUBLIC, allow
from adapters.http.context import RequestContext
from adapters.web.judge_forms import NO_REFUSAL, Posted, Refusal, one
from adapters.web.judge_views import card_page, fmt, rounds_of
from adapters.web.session import viewer
from adapters.web.templating import Page as Template
from domain.errors import DomainError, NotPermitted, RuleViolated, StateConflict
from domain.scorecard import CardKey
from domain.terms import JudgeIsRecused
from tenants.model import Principal

HOME = "/t/{tenant:str}/judge"
CARD = HOME + "/{assessment_id:uuid}/{subject_id:uuid}/{component:str}"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
DONE = {"saved": "已保存。", "submitted": "已提交。如需修改，请说明理由后重新打开。",
        "reopened": "评分表已重新打开：修改后请再次提交。", "recused": "已申请回避。"}
PAGE = {"opt": allow(PUBLIC), "include_in_schema": False,
        "dependencies": {"me": Provide(viewer)}}


def judge_of(me: Principal) -> UUID:
    if me.role != "judge" or me.user_id is None:
        raise NotPermitted("not a judge")
    return me.user_id


def card_url(tenant: str, assessment_id: UUID, subject_id: UUID, component: str) -> str:
    return f"/t/{tenant}/judge/{assessment_id}/{subject_id}/{component}"


@get(HOME, sync_to_thread=True, **PAGE)
def judge_home(tenant: str, me: Principal, container: Container) -> Template:
    rounds = rounds_of(container, tenant, judge_of(me))
    return Template("judge/home.html", context={
        "title": "我的评审", "tenant": tenant, "rounds": rounds, "zone": me.time_zone})


def render_card(tenant: str, judge: UUID, assessment_id: UUID, subject_id: UUID,
                component: str, container: Container, request: Request[Any, Any, Any],
                posted: Posted | None = None, refusal: Refusal = NO_REFUSAL,
                reason: str = "", recusal_reason: str = "", done: str = "",
                status: int = 200) -> Template:
    page = card_page(container, tenant, judge, assessment_id, subject_id, component)
    values = dict(page.scores)
    comment = page.comment
    if posted is not None:  # nothing typed is lost: the form shows it again as typed
        values.update({c: v for c, v in posted.scores.items() if v or c not in values})
        comment = posted.comment
    htmx = request.headers.get("hx-request") == "true"
    return Template("judge/card.html" if htmx else "judge/score.html", media_type=MediaType.HTML,
                    status_code=200 if htmx else status, context={
        "title": f"{page.subject.name} · {page.component.name}", "tenant": tenant,
        "page": page, "values": values, "comment": comment, "refusal": refusal,
        "total": total_of(values), "max_total": fmt(page.component.max_points),
        "reason": reason, "recusal_reason": recusal_reason,
        "done": DONE.get(done, ""),
        "url": card_url(tenant, assessment_id, subject_id, component),
        "home": f"/t/{tenant}/judge"})


@get(CARD, sync_to_thread=True, **PAGE)
def scoring_page(tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
                 me: Principal, container: Container, request: Request[Any, Any, Any],
                 done: str = "") -> Template:
    return render_card(tenant, judge_of(me), assessment_id, subject_id, component, container,
                       request, done=done)


def total_of(values: dict[str, str]) -> str:
    """The total shown before the script updates it as the judge types."""
    total = Decimal(0)
    for text in values.values():
        try:
            value = Decimal(text)
        except InvalidOperation:
            continue
        total += value if value.is_finite() else 0
    return f"{total.normalize():f}"


def after(request: Request[Any, Any, Any], url: str, done: str, render: Any) -> Any:
    """Post/redirect/get; an htmx post gets the card's part at once."""
    if request.headers.get("hx-request") == "true":
        return render(done=done)
    return Redirect(f"{url}?done={done}", status_code=303)


@post(CARD, sync_to_thread=True, **PAGE)
def save_card(tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
              data: Form, me: Principal, container: Container, ctx: RequestContext,
              request: Request[Any, Any, Any]) -> Any:
    """保存 (a partial card) or 提交 (asked to confirm first: a confirmation page without
    JavaScript, a dialog with it)."""
    judge = judge_of(me)
    posted = Posted.of(data)
    key = CardKey(assessment_id, subject_id, component, judge)
    app = container.app(tenant)

    def render(**kw: Any) -> Template:
        return render_card(tenant, judge, assessment_id, subject_id, component, container,
                           request, **kw)

    try:
        scores = posted.points()
        if scores or posted.comment.strip() or app_has_card(app, key):
            app.record_scores(key, scores, ctx.cause(), posted.comment)
        if posted.action != "submit":
            return after(request, card_url(tenant, assessment_id, subject_id, component),
                         "saved", render)
        if not posted.confirmed:
            page = card_page(container, tenant, judge, assessment_id, subject_id, component)
            return Template("judge/confirm.html", media_type=MediaType.HTML, context={
                "title": "确认提交", "page": page, "posted": posted, "tenant": tenant,
                "url": card_url(tenant, assessment_id, subject_id, component)})
        app.submit_card(key, ctx.cause())
    except JudgeIsRecused:
        raise  # the API's refusal, recorded for the auditor
    except (RuleViolated, StateConflict) as exc:
        return render(posted=posted, refusal=Refusal.of(exc), status=status_of(exc))
    return after(request, card_url(tenant, assessment_id, subject_id, component),
                 "submitted", render)


def app_has_card(app: Any, key: CardKey) -> bool:
    return app.card_or_none(key.card_id) is not None


def status_of(exc: DomainError) -> int:
    return 409 if isinstance(exc, StateConflict) else 422


@post(CARD + "/reopen", sync_to_thread=True, **PAGE)
def reopen_card(tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
                data: Form, me: Principal, container: Container, ctx: RequestContext,
                request: Request[Any, Any, Any]) -> Any:
    """A change after submission: the card is reopened with the judge's reason (the API's
    reopen), then changed and submitted again."""
    judge = judge_of(me)
    reason = one(data.get("reason", ""))

    def render(**kw: Any) -> Template:
        return render_card(tenant, judge, assessment_id, subject_id, component, container,
                           request, **kw)

    try:
        container.app(tenant).reopen_card(CardKey(assessment_id, subject_id, component, judge),
                                          ctx.cause(reason))
    except (RuleViolated, StateConflict) as exc:
        return render(refusal=Refusal.of(exc), reason=reason, status=status_of(exc))
    return after(request, card_url(tenant, assessment_id, subject_id, component),
                 "reopened", render)


@post(CARD + "/recuse", sync_to_thread=True, **PAGE)
def declare_recusal(tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
                    data: Form, me: Principal, container: Container, ctx: RequestContext,
                    request: Request[Any, Any, Any]) -> Any:
    """申请回避, with a reason (the API's recusal)."""
    judge = judge_of(me)
    reason = one(data.get("reason", ""))

    def render(**kw: Any) -> Template:
        return render_card(tenant, judge, assessment_id, subject_id, component, container,
                           request, **kw)

    try:
        container.app(tenant).declare_recusal(assessment_id, judge, subject_id,
                                              ctx.cause(reason))
    except (RuleViolated, StateConflict) as exc:
        refusal = Refusal.of(exc)
        refusal.fields = {f"recusal.{k}": v for k, v in refusal.fields.items()}
        return render(refusal=refusal, recusal_reason=reason, status=status_of(exc))
    return after(request, card_url(tenant, assessment_id, subject_id, component),
                 "recused", render)


JUDGE_PAGES = [judge_home, scoring_page, save_card, reopen_card, declare_recusal]
