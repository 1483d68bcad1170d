"""编辑时间安排: the admin's form for a round's windows (自查自评, per component), the materials
deadline, the late rule and the 出场安排 per group — what ``PUT …/windows`` does
(``WindowsController.set_windows``): the same shapes, the same ``timetable_of`` in the
tenant's zone, the same service call, the same refusals, shown in Chinese beside each field
with what was typed kept.

The inputs are named by the API's paths (``self_assessment.closes``,
``components.routine.self_assessment.opens``, ``schedule.yiguanzhi.date``), so a refusal
names the input it concerns."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import MediaType, Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.schemas.windows import ComponentWindowIn, SessionIn, WindowsIn
from adapters.http.windows import WindowsController, moment, timetable_of
from adapters.web.activity_forms import shaped
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.deadlines import PATH as DEADLINES
from adapters.web.errors import status_of
from adapters.web.gate import admit
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.org_common import Form
from adapters.web.templating import Page as Template
from domain.assessment import Assessment
from domain.errors import DomainError, FieldError, RuleViolated
from domain.windows import DEFAULT_ZONE, Timetable, Window
from tenants.model import Principal

PATH = DEADLINES + "/edit"
SELF = "self_assessment"
ENDS = ("opens", "closes")
SESSION = ("date", "start", "venue")
LATE = [("refuse", "拒收（逾期不予受理）"), ("flag", "接收并标记迟交")]
# What a field of the form says when the API's shape refuses its value.
WHEN = "请填写日期和时间（年-月-日 时:分）"
CLOCK = "请填写开始时间（时:分，如 08:30）"
REQUIRED = "必填"


def component_window(key: str) -> str:
    return f"components.{key}.{SELF}"


def windows_of(assessment: Assessment) -> list[str]:
    """The form's windows, by path: the round's, then each component's own."""
    return [SELF, *(component_window(c.key) for c in assessment.setup.components)]


def names_of(assessment: Assessment) -> list[str]:
    """Every input of the form."""
    return ([f"{w}.{end}" for w in windows_of(assessment) for end in ENDS]
            + ["materials_due_days_before", "late", "reason"]
            + [f"schedule.{g.key}.{part}" for g in assessment.setup.groups for part in SESSION])


def local(at: datetime, zone: ZoneInfo) -> str:
    """An instant as a ``datetime-local`` value in the tenant's zone (seconds only if any)."""
    here = at.astimezone(zone)
    return f"{here:%Y-%m-%dT%H:%M}" + (f":{here:%S}" if here.second else "")


def current(t: Timetable, zone: ZoneInfo) -> dict[str, str]:
    """The timetable as the form shows it."""
    values: dict[str, str] = {"late": t.late, "materials_due_days_before":
                              "" if t.materials_due_days_before is None
                              else str(t.materials_due_days_before)}
    windows: list[tuple[str, Window | None]] = [(SELF, t.self_assessment)] + [
        (component_window(c.component), c.self_assessment) for c in t.components]
    for where, w in windows:
        if w is not None:
            values[f"{where}.opens"] = local(w.opens, zone) if w.opens else ""
            values[f"{where}.closes"] = local(w.closes, zone)
    for s in t.schedule:
        values |= {f"schedule.{s.group}.date": s.date.isoformat(),
                   f"schedule.{s.group}.start": s.start, f"schedule.{s.group}.venue": s.venue}
    return values


def given(values: dict[str, str], *names: str) -> dict[str, str]:
    """The inputs filled in, by their last part (an empty one is a value not given)."""
    return {name.rsplit(".", 1)[-1]: values[name].strip() for name in names
            if values.get(name, "").strip()}


def checked(shape: type[Any], data: dict[str, Any], prefix: str,
            errors: list[FieldError]) -> None:
    """``data`` checked as the API's ``shape``; its refusals named by their full path."""
    try:
        shaped(shape, data)
    except RuleViolated as exc:
        for e in exc.errors:
            where = prefix + e.field
            said = e.message
            if where.endswith(ENDS) and said != REQUIRED:
                said = WHEN
            elif where.endswith(".start"):
                said = CLOCK
            errors.append(FieldError(where, said))


def body_of(values: dict[str, str], assessment: Assessment, zone: ZoneInfo) -> WindowsIn:
    """The API's body from the form, or a refusal naming every field it refuses."""
    errors: list[FieldError] = []

    def window(where: str) -> dict[str, str] | None:
        return given(values, f"{where}.opens", f"{where}.closes") or None

    top: dict[str, Any] = given(values, "materials_due_days_before", "late", "reason")
    if (own := window(SELF)) is not None:
        top[SELF] = own
    checked(WindowsIn, top, "", errors)
    components = {}
    for c in assessment.setup.components:
        if (own := window(component_window(c.key))) is not None:
            components[c.key] = {SELF: own}
            checked(ComponentWindowIn, components[c.key], f"components.{c.key}.", errors)
    schedule = {}
    for g in assessment.setup.groups:
        session = given(values, *(f"schedule.{g.key}.{part}" for part in SESSION))
        if session:
            schedule[g.key] = session
            checked(SessionIn, session, f"schedule.{g.key}.", errors)
    refused = {e.field for e in errors}
    for where in windows_of(assessment):  # a moment of the right shape that is no moment
        for end in ENDS:
            name = f"{where}.{end}"
            text = values.get(name, "").strip()
            if text and name not in refused:
                try:
                    moment(text, zone, name, end == "closes")
                except RuleViolated as exc:
                    errors.extend(exc.errors)
    body = top | {"components": components, "schedule": schedule}
    if errors:
        raise RuleViolated("the windows are not valid", tuple(errors))
    return shaped(WindowsIn, body)


def refusal_of(exc: DomainError, names: list[str]) -> tuple[Refusal, list[str]]:
    """The refusal beside its inputs: a window's own refusal (closes before it opens) beside
    its closing time; what no input concerns (an unknown group) listed on top."""
    refusal = Refusal.of(exc)
    fields: dict[str, str] = {}
    for where, text in refusal.fields.items():
        name = f"{where}.closes" if f"{where}.closes" in names else where
        fields[name] = f"{fields[name]}；{text}" if name in fields else text
    refusal.fields = fields
    return refusal, [text for name, text in fields.items() if name not in names]


def form_page(who: Principal, container: Container, tenant: str, assessment_id: UUID,
              values: dict[str, str] | None = None, refusal: Refusal = NO_REFUSAL,
              elsewhere: list[str] | None = None, status: int = 200) -> Template:
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    zone = who.time_zone or DEFAULT_ZONE
    if values is None:
        values = current(app.timetable(assessment_id), ZoneInfo(zone))
    base = f"/t/{tenant}/admin/assessments/{assessment_id}/deadlines"
    return Template("console/deadline_form.html", media_type=MediaType.HTML,
                    status_code=status, context=console(
                        who, "assessments", title=f"编辑时间安排 · {assessment.setup.name}",
                        assessment=assessment, values=values, refusal=refusal,
                        elsewhere=elsewhere or [], late_choices=LATE, back=base,
                        action=f"{base}/edit",
                        zone_name="北京时间" if zone == DEFAULT_ZONE else zone))


@get(PATH, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_deadlines_edit")
def edit_deadlines(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                   who: Principal, container: Container) -> Template:
    admit(request, who, WindowsController.set_windows)
    return form_page(who, container, tenant, assessment_id)


@post(PATH, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303,
      name="admin_deadlines_save")
def save_deadlines(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                   who: Principal, container: Container, ctx: RequestContext,
                   data: Form) -> Template | Redirect:
    admit(request, who, WindowsController.set_windows)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    names = names_of(assessment)
    values = {name: one(data.get(name, "")) for name in names}
    zone = who.time_zone or DEFAULT_ZONE
    try:
        body = body_of(values, assessment, ZoneInfo(zone))
        app.set_windows(assessment_id, timetable_of(body, zone), ctx.cause(body.reason))
    except DomainError as exc:
        refusal, elsewhere = refusal_of(exc, names)
        return form_page(who, container, tenant, assessment_id, values, refusal, elsewhere,
                         status_of(exc))
    return Redirect(f"/t/{tenant}/admin/assessments/{assessment_id}/deadlines?done=windows",
                    status_code=303)


DEADLINE_FORM_PAGES = [edit_deadlines, save_deadlines]
