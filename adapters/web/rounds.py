"""评分现场: the admin's live view of a round — progress per judge and per subject, who has
not submitted, subjects below quorum — and the buttons to close, finalise and publish.

The view reads what ``GET …/progress`` reads; each button does what its API route does
(``LifecycleController``: the same service call, the same overrides, the same refusals), and
a refusal is shown on the page in the API's Chinese words, naming the missing cards."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import context_of
from adapters.http.i18n import translate
from adapters.http.lifecycle import LifecycleController, in_order, progress_out
from adapters.http.schemas import CloseIn, FinaliseIn, RoundReopenIn
from adapters.postgres.log import head as log_head
from adapters.postgres.versions import schema_of
from adapters.web import audit_words as words
from adapters.web.auditing import PAGE
from adapters.web.errors import status_of
from adapters.web.gate import admit, shown
from adapters.web.sheet_downloads import round_sheets
from adapters.web.templating import Page as Template
from domain.board import BoardState
from domain.errors import DomainError
from domain.progress import shortfall
from tenants.model import Principal

ROUND = "/admin/round/{assessment_id:uuid}"
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
STEPS = {"open": ("open", "开始评分", None, None),
         "reopen": ("open", "重新开放", RoundReopenIn, "reason"),
         "close": ("closed", "截止评分", CloseIn, "force"),
         "finalise": ("finalised", "定稿", FinaliseIn, "accept_incomplete"),
         "publish": ("published", "公示", None, None)}


def live(container: Container, tenant: str, assessment_id: UUID) -> dict[str, Any]:
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    caught_up = container.caught_up(tenant)
    with container.views(tenant) as views:
        state = views.load_board(assessment_id) or BoardState(assessment_id)
    progress = progress_out(assessment, in_order(state, assessment), caught_up)
    names = {s.id: s.name for s in assessment.subjects.values()}
    components = {c.key: c.name for c in assessment.setup.components}
    owed: dict[str, list[Any]] = {}
    for card in progress.cards:
        if card.state not in ("submitted", "recused"):
            owed.setdefault(card.judge_name, []).append(card)
    short = [{"subject_name": names.get(b.subject_id, str(b.subject_id)),
              "component_name": components.get(b.component, b.component),
              "submitted": b.submitted, "quorum": b.quorum}
             for b in shortfall(state).below_quorum]
    return {"assessment": assessment, "progress": progress, "owed": owed,
            "below_quorum": short, "status_name": words.STATUSES.get(assessment.status,
                                                                     assessment.status)}


def page(who: Principal, container: Container, tenant: str, assessment_id: UUID,
         **extra: Any) -> dict[str, Any]:
    found = live(container, tenant, assessment_id)
    return shown(who, title=f"评分现场 · {found['assessment'].setup.name}", steps=STEPS,
                 words=words, refusal=None, typed={}, done=None,
                 sheets=round_sheets(container, tenant, found["assessment"])) | found | extra


@get(ROUND, opt=PAGE, sync_to_thread=True, name="admin_round")
def round_view(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
               who: Principal, container: Container, done: str | None = None) -> Template:
    admit(request, who, LifecycleController.progress, LifecycleController.close)
    context = page(who, container, tenant, assessment_id,
                   done=words.STATUSES.get(done or "", None))
    name = "admin/_progress.html" if request.headers.get("hx-request") else "admin/round.html"
    return Template(name, context=context)


def advance(container: Container, request: Request[Any, Any, Any], tenant: str,
            assessment_id: UUID, step: str, form: dict[str, str]) -> str:
    """Do what the API's route for ``step`` does; the status reached."""
    to, _, shape, override = STEPS[step]
    ctx = context_of(request.scope)
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    app = container.app(tenant)
    if step == "publish":
        with container.tenant_db(tenant) as conn:
            position, head = log_head(conn, schema_of(tenant))
        app.publish(assessment_id, position, head, ctx.cause(), version)
        return to
    reason = (form.get(override or "") or "").strip() or None
    if shape is not None:
        msgspec.convert({override: reason} if reason else {}, shape)  # the API's checks
    cause = ctx.cause(reason) if reason is not None else ctx.cause()
    if step == "reopen":  # closed → open: the reason is required, not an override
        app.reopen_round(assessment_id, cause, version)
        return to
    app.advance(assessment_id, to, cause, version, override=reason is not None)
    return to


@post(ROUND + "/{step:str}", opt=PAGE, sync_to_thread=True, name="admin_round_step",
      status_code=303)
def round_step(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, step: str,
               who: Principal, container: Container, data: Form) -> Template | Redirect:
    if step not in STEPS:
        return Redirect(f"/t/{tenant}/admin/round/{assessment_id}", status_code=303)
    route = getattr(LifecycleController, "publish" if step == "publish" else step)
    admit(request, who, route)
    try:
        reached = advance(container, request, tenant, assessment_id, step, data)
    except (DomainError, msgspec.ValidationError) as exc:
        status = status_of(exc) if isinstance(exc, DomainError) else 400
        detail = (translate(exc.detail) if isinstance(exc, DomainError)
                  else "填写的内容格式不正确")
        extra = getattr(exc, "extra", None) or {}
        refusal = {"step": step, "label": STEPS[step][1], "detail": detail,
                   "missing": extra.get("missing", []),
                   "below_quorum": extra.get("below_quorum", [])}
        return Template("admin/round.html", status_code=status, context=page(
            who, container, tenant, assessment_id, refusal=refusal, typed=data))
    return Redirect(f"/t/{tenant}/admin/round/{assessment_id}?done={reached}",
                    status_code=303)
