"""修改设置: steps 1–5 of 考核设置 again, on a draft round.

The steps are the wizard's own (``setup_form``: what was typed travels in the form, each step
is checked by ``sf.check`` as at creation), prefilled from the draft's set-up
(``Typed.of_setup``; each component and group keeps its key, so that its subjects, rules and
order still point at it). Saving calls what ``PATCH …/assessments/{id}`` calls: ``change_setup``
with steps 1–5's fields, the 修改原因 as the cause's reason and the round's version as
If-Match; the domain records only the fields that differ. A round no longer a draft is
refused as the API refuses it (409), before any step is shown."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import convert
from adapters.http.assessments import AssessmentController
from adapters.http.context import context_of
from adapters.http.rubrics import RubricController
from adapters.http.schemas import AssessmentCreate, AssessmentPatch
from adapters.web import setup_form as sf
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.errors import status_of
from adapters.web.gate import admit
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.setup_draft import version_of
from adapters.web.setup_wizard import step_page
from adapters.web.templating import Page as Template
from domain.assessment import Assessment
from domain.drafting import ordered_groups
from domain.errors import DomainError, StaleVersion
from tenants.model import Principal

EDIT = "/t/{tenant:str}/admin/assessments/{assessment_id:uuid}/edit"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
STEP_FIELDS = ("name", "period", "components", "groups", "aggregation", "tiers")


def draft_of(container: Container, tenant: str, assessment_id: UUID) -> Assessment:
    assessment = container.app(tenant).assessment(assessment_id)  # 404 if unknown
    assessment.check_status("draft")  # the API's own refusal (409), as a page
    return assessment


@get(EDIT, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_edit")
def edit(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
         container: Container) -> Template:
    admit(request, who, AssessmentController.change, RubricController.list_rubrics)
    assessment = draft_of(container, tenant, assessment_id)
    return page(who, container, tenant, assessment, sf.Typed.of_setup(assessment.setup), 1,
                NO_REFUSAL, version=str(assessment.version), reason="")


@post(EDIT + "/{step:int}", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_edit_step", status_code=200)
def edit_step(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, step: int,
              who: Principal, container: Container, data: Form) -> Template | Redirect:
    """One step posted, as in the wizard; step 5 saves what ``PATCH`` would."""
    admit(request, who, AssessmentController.change, RubricController.list_rubrics)
    assessment = draft_of(container, tenant, assessment_id)
    step = min(max(step, 1), sf.LAST)
    typed = sf.Typed.of(data)
    typed.take(data, step)
    kept = {"version": one(data.get("version", "")).strip(),
            "reason": one(data.get("reason", "")).strip()}
    go = one(data.get("go", "next"))
    if go == "back":
        return page(who, container, tenant, assessment, typed, max(step - 1, 1), NO_REFUSAL,
                    **kept)
    if go != "next":
        return page(who, container, tenant, assessment, typed, step, NO_REFUSAL, **kept)
    app = container.app(tenant)
    checked, errors = sf.check(app, typed, step)
    if errors:
        return page(who, container, tenant, assessment, typed, sf.first_step(errors),
                    Refusal.of(sf.refusal(errors)), 422, **kept)
    if step < sf.LAST:
        return page(who, container, tenant, assessment, typed, step + 1, NO_REFUSAL, **kept)
    assert checked is not None
    ordered = ordered_groups(assessment.order)
    try:
        patch = patch_of(checked, kept["reason"])
        _, changed, _ = app.change_setup(
            assessment_id, convert.setup_changes(patch),
            context_of(request.scope).cause(patch.reason), version_of(kept))
    except DomainError as exc:
        return refused(who, container, tenant, assessment_id, typed, kept, exc)
    # Post/redirect/get: the round's page says what changed and shows the change's notices
    # (placement warnings, read again there; the groups whose order was made void, carried).
    voided = ordered - ordered_groups(app.assessment(assessment_id).order)
    query = urlencode({"edited": ",".join(changed)} | (
        {"voided": ",".join(sorted(voided))} if voided else {}))
    return Redirect(f"/t/{tenant}/admin/assessments/{assessment_id}?{query}", status_code=303)


def patch_of(checked: AssessmentCreate, reason: str) -> AssessmentPatch:
    """Steps 1–5's fields of the checked request as a ``PATCH`` body, read as the API reads
    one: a period not typed removes the draft's, the other fields are left as they are."""
    given = msgspec.to_builtins(checked)
    raw = {name: given.get(name) for name in STEP_FIELDS} | {"reason": reason or None}
    try:
        return msgspec.convert(raw, AssessmentPatch)
    except msgspec.ValidationError as exc:
        raise sf.refusal([sf.field_error(str(exc))]) from None


def refused(who: Principal, container: Container, tenant: str, assessment_id: UUID,
            typed: sf.Typed, kept: dict[str, str], exc: DomainError) -> Template:
    """Saving refused: each refusal beside its field at the first step showing one (those of
    fields no step shows — a component rule naming a removed component — on top). Changed by
    someone else meanwhile: the current set-up above what was typed, whose version the form
    now carries, so saving again applies what was typed over it."""
    current = container.app(tenant).assessment(assessment_id)
    shown = Refusal.of(exc)
    fields: dict[str, str] = {}
    for name, text in shown.fields.items():
        where = name if sf.shown_at(name) else ""
        fields[where] = f"{fields[where]}；{text}" if where in fields else text
    placed = [sf.shown_at(name) or sf.LAST for name in fields if name]
    stale = isinstance(exc, StaleVersion)
    return page(who, container, tenant, current, typed, min(placed, default=sf.LAST),
                Refusal(shown.message, fields), status_of(exc),
                version=str(current.version) if stale else kept["version"],
                reason=kept["reason"], current=current if stale else None)


def page(who: Principal, container: Container, tenant: str, assessment: Assessment,
         typed: sf.Typed, number: int, refused: Refusal, status_code: int = 200, *,
         version: str, reason: str, current: Assessment | None = None) -> Template:
    return step_page(who, container, tenant, typed, number, refused, status_code,
                     assessment=assessment, version=version, reason=reason, current=current,
                     action=f"/t/{tenant}/admin/assessments/{assessment.id}/edit")


EDIT_PAGES = [edit, edit_step]
