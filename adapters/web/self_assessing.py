"""学校填报员的自查自评: the rounds the school is a subject of, and for one subject and
component the rubric tree with the school's own scores and its evidence, leaf by leaf.

Each post calls the service the API's ``PUT …/self-assessments/{subject}/{component}``
calls; an upload goes through the evidence service of ``POST /evidence`` first and is then
given for its leaf in the same save. A refusal is shown beside the leaf it concerns, with
everything typed shown again. With JavaScript the upload is an XMLHttpRequest with a
progress bar (``static/self_assessment.js``) answered with the form's part of the page;
without it, the same form posts as multipart (the leaf's 上传 button)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from litestar import MediaType, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.bodies import UPLOAD
from adapters.http.context import RequestContext
from adapters.http.evidence import EvidenceController
from adapters.http.scoring import ScoringController
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.errors import status_of
from adapters.web.gate import admit
from adapters.web.judging import total_of
from adapters.web.listing import Listing
from adapters.web.page_uploads import keep_upload
from adapters.web.self_forms import FILE, NO_REFUSAL, Refusal, Typed
from adapters.web.self_views import (
    leaf_files,
    max_of,
    own_subject,
    reporter_of,
    rounds_for,
    self_page,
)
from adapters.web.session import role_before_body
from adapters.web.templating import Page as Template
from domain.errors import OverQuota, RuleViolated, StateConflict
from domain.evidence import megabytes
from domain.scorecard import CardKey
from tenants.model import Principal

LIST = "/t/{tenant:str}/school/self-assessment"
FORM = LIST + "/{assessment_id:uuid}/{subject_id:uuid}/{component:str}"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
DONE = {"saved": "自评已提交，评委可以看到。评分结束前仍可修改后重新提交。",
        "uploaded": "佐证材料已上传并附在该指标下，自评已一并提交。"}
ACCEPT = ".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.jpg,.jpeg,.png,.mp4"
SORTS = ("assessment", "subject", "status")


def form_url(tenant: str, assessment_id: UUID, subject_id: UUID, component: str) -> str:
    return f"/t/{tenant}/school/self-assessment/{assessment_id}/{subject_id}/{component}"


def is_xhr(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


@get(LIST, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="school_self_list")
def self_list(request: Request[Any, Any, Any], tenant: str, who: Principal,
              container: Container) -> Template:
    admit(request, who, ScoringController.self_assess)
    reporter = reporter_of(container.app(tenant), who.user_id)
    rows = rounds_for(container, tenant, reporter)
    page = Listing.of(request.query_params, SORTS).apply(
        rows, f"/t/{tenant}/school/self-assessment",
        lambda r: (r.assessment, r.subject.name, r.group_name, r.status_label),
        {"assessment": lambda r: r.assessment, "subject": lambda r: r.subject.name,
         "status": lambda r: r.status_label})
    return Template("school/self_list.html", context=console(
        who, "self", title="自查自评", page=page))


def render_form(request: Request[Any, Any, Any], who: Principal, container: Container,
                tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
                typed: Typed | None = None, refusal: Refusal = NO_REFUSAL, done: str = "",
                status: int = 200) -> Template:
    app = container.app(tenant)
    reporter = reporter_of(app, who.user_id)
    page = self_page(container, tenant, reporter, assessment_id, subject_id, component)
    values, evidence, dated = dict(page.scores), page.evidence, {}
    if typed is not None:  # nothing typed is lost: the form shows it again as typed
        values.update({c: v for c, v in typed.scores.items() if v or c not in values})
        evidence, dated = typed.evidence, typed.dated
    fragment = is_xhr(request)
    return Template("school/_self_sheet.html" if fragment else "school/self_form.html",
                    media_type=MediaType.HTML, status_code=status, context=console(
        who, "self", title=f"自查自评 · {page.subject.name} · {page.component.name}",
        page=page, values=values, files=leaf_files(app, reporter, evidence), dated=dated,
        refusal=refusal, done=DONE.get(done, ""), total=total_of(values),
        max_total=max_of(page.leaves), accept=ACCEPT,
        max_bytes=container.settings.evidence_max_bytes,
        max_size=megabytes(container.settings.evidence_max_bytes),
        url=form_url(tenant, assessment_id, subject_id, component),
        back=f"/t/{tenant}/school/self-assessment"))


@get(FORM, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def self_form(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
              subject_id: UUID, component: str, who: Principal, container: Container,
              done: str = "") -> Template:
    admit(request, who, ScoringController.self_assess)
    return render_form(request, who, container, tenant, assessment_id, subject_id, component,
                       done=done)


def record(container: Container, tenant: str, who: Principal, ctx: RequestContext,
           assessment_id: UUID, subject_id: UUID, component: str, typed: Typed) -> None:
    """The API's PUT of a self-assessment, from the form: its scores and, per leaf, the
    evidence given; evidence given for the whole (over the API) is kept as it was."""
    app = container.app(tenant)
    reporter = reporter_of(app, who.user_id)
    own_subject(app, assessment_id, subject_id, reporter)  # 404 if it is not theirs
    own = app.self_assessment(assessment_id, subject_id, component)
    scores, by_indicator = typed.points(), typed.by_indicator()
    app.record_self_assessment(CardKey(assessment_id, subject_id, component, reporter.id),
                               scores, own.evidence_ids if own else (), reporter, ctx.cause(),
                               by_indicator)


@post(FORM, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def save_self(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
              subject_id: UUID, component: str, data: Form, who: Principal,
              container: Container, ctx: RequestContext) -> Any:
    """提交自评: the scores and the evidence ticked per leaf."""
    admit(request, who, ScoringController.self_assess)
    typed = Typed.of(data)
    try:
        record(container, tenant, who, ctx, assessment_id, subject_id, component, typed)
    except (RuleViolated, StateConflict) as exc:
        return render_form(request, who, container, tenant, assessment_id, subject_id,
                           component, typed, Refusal.of(exc), status=status_of(exc))
    url = form_url(tenant, assessment_id, subject_id, component)
    return Redirect(f"{url}?done=saved", status_code=303)


def upload_sync(request: Request[Any, Any, Any], form: Any, tenant: str, assessment_id: UUID,
                subject_id: UUID, component: str, who: Principal, container: Container,
                ctx: RequestContext) -> Any:
    admit(request, who, ScoringController.self_assess, EvidenceController.upload)
    typed = Typed.of(form)
    leaf = typed.upload
    app = container.app(tenant)
    page = self_page(container, tenant, reporter_of(app, who.user_id), assessment_id,
                     subject_id, component)  # 404 if the subject is not the reporter's
    if leaf not in {lf.code for lf in page.leaves}:
        raise RuleViolated("choose the indicator the file is for", ())
    added = None
    try:
        page.assessment.check_status("open")  # the API's rule, before the file is kept
        app.check_on_time(page.assessment, page.subject, component)  # and its window's
        written = keep_upload(container, tenant, form.get(FILE + leaf), typed.dated.get(leaf, ""),
                              ctx)
        added = str(written.id)
        typed.evidence.setdefault(leaf, []).append(added)
        record(container, tenant, who, ctx, assessment_id, subject_id, component, typed)
    except (RuleViolated, StateConflict, OverQuota) as exc:
        refusal = Refusal.of(exc, leaf)
        if added is not None and len(typed.evidence[leaf]) - 1 in refusal.bad_index.get(leaf, ()):
            typed.evidence[leaf].remove(added)  # kept, but refused here: not offered again
        return render_form(request, who, container, tenant, assessment_id, subject_id,
                           component, typed, refusal, status=status_of(exc))
    if is_xhr(request):
        return render_form(request, who, container, tenant, assessment_id, subject_id,
                           component, done="uploaded")
    url = form_url(tenant, assessment_id, subject_id, component)
    return Redirect(f"{url}?done=uploaded", status_code=303)


@post(FORM + "/upload", opt={**PAGE, UPLOAD: True}, dependencies=SIGNED_IN,
      middleware=[role_before_body("reporter")])
async def upload_evidence(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                          subject_id: UUID, component: str, who: Principal,
                          container: Container, ctx: RequestContext) -> Any:
    """上传: one leaf's file (multipart, with the rest of the form as typed)."""
    form = await request.form()  # files past 1 MB are spooled to disk by the framework
    try:
        return await anyio.to_thread.run_sync(partial(
            upload_sync, request, form, tenant, assessment_id, subject_id, component, who,
            container, ctx))
    finally:
        for _, value in form.multi_items():
            if isinstance(value, UploadFile):
                await value.close()


SELF_PAGES = [self_list, self_form, save_self, upload_evidence]
