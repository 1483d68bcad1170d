"""A round's windows and 出场安排, who is late, and the chair's 综合评价意见."""

from __future__ import annotations

from datetime import datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, put

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.schemas import (
    BehindOut,
    CommentOut,
    ComponentWindowOut,
    DeadlineOut,
    DeadlinesOut,
    OpinionWrittenOut,
    SessionOut,
    SummaryOpinionIn,
    WindowIn,
    WindowOut,
    WindowsIn,
    WindowsOut,
)
from adapters.http.zone import instant
from domain.assessment import Assessment
from domain.errors import FieldError, RuleViolated
from domain.windows import END_OF_DAY, ComponentWindow, Session, Timetable, Window
from services.base import Written
from services.windows import Opinion, WindowReport, now_utc
from tenants.model import DEFAULT_TIME_ZONE

TENANT = "/api/v1/tenants/{tenant:str}"


def moment(text: str, zone: ZoneInfo, where: str, end_of_day: bool) -> datetime:
    """A date means that day in the tenant's time (opens: its start; closes: its end)."""
    if len(text.strip()) == 10:
        try:
            day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise RuleViolated(f"{where} is not a date that exists",
                               (FieldError(where, "YYYY-MM-DD"),)) from None
        return datetime.combine(day, END_OF_DAY if end_of_day else time(0), zone)
    found = instant(text, zone, where)
    assert found is not None
    return found


def window_of(data: WindowIn, zone: ZoneInfo, where: str) -> Window:
    return Window(moment(data.closes, zone, f"{where}.closes", True),
                  moment(data.opens, zone, f"{where}.opens", False) if data.opens else None)


def timetable_of(data: WindowsIn, time_zone: str) -> Timetable:
    zone = ZoneInfo(time_zone)
    return Timetable(
        self_assessment=(window_of(data.self_assessment, zone, "self_assessment")
                         if data.self_assessment else None),
        components=tuple(ComponentWindow(key, window_of(c.self_assessment, zone,
                                                        f"components.{key}.self_assessment"))
                         for key, c in sorted(data.components.items())),
        materials_due_days_before=data.materials_due_days_before, late=data.late,
        schedule=tuple(Session(key, s.date, s.start or "", s.venue or "")
                       for key, s in sorted(data.schedule.items())),
        time_zone=time_zone)


def window_out(w: Window | None) -> WindowOut | None:
    return None if w is None else WindowOut(w.closes, w.opens)


def session_out(s: Session, assessment: Assessment) -> SessionOut:
    names = {g.key: g.name for g in assessment.setup.groups}
    return SessionOut(s.date, s.start or None, s.venue or None, names.get(s.group))


def windows_out(assessment: Assessment, t: Timetable, w: Written | None = None,
                version: int = 0) -> WindowsOut:
    return WindowsOut(
        assessment.id, window_out(t.self_assessment),
        {c.component: ComponentWindowOut(WindowOut(c.self_assessment.closes,
                                                   c.self_assessment.opens))
         for c in t.components},
        t.materials_due_days_before, t.late,  # type: ignore[arg-type]
        {s.group: session_out(s, assessment) for s in t.schedule}, t.time_zone,
        w.version if w else version, w.position if w else None)


def report_out(r: WindowReport, assessment: Assessment) -> DeadlineOut:
    groups = {g.key: g.name for g in assessment.setup.groups}
    components = {c.key: c.name for c in assessment.setup.components}
    return DeadlineOut(
        r.window, r.closes, r.passed,  # type: ignore[arg-type]
        [BehindOut(b.subject.id, b.subject.name, b.subject.group, b.state,  # type: ignore[arg-type]
                   b.filed_at) for b in r.behind],
        r.opens, r.component, components.get(r.component or ""), r.group,
        groups.get(r.group or ""))


def opinion_out(opinion: Opinion | None) -> tuple[str | None, list[CommentOut]]:
    """The 综合评价意见 and 评语 of a result row (nothing when not published)."""
    if opinion is None:
        return None, []
    return opinion.summary, [CommentOut(c, text) for c, text in opinion.comments]


class WindowsController(Controller):
    path = TENANT + "/assessments/{assessment_id:uuid}"
    tags = ["assessments"]

    @put("/windows", opt=allow("admin"), sync_to_thread=True,
         summary="Set the round's windows (自查自评, materials due before the meeting), the "
                 "rule for late work and the 出场安排 per group; times in the tenant's zone")
    def set_windows(self, tenant: str, assessment_id: UUID, data: WindowsIn,
                    container: Container, ctx: RequestContext) -> WindowsOut:
        zone = ctx.principal.time_zone if ctx.principal else DEFAULT_TIME_ZONE
        app = container.app(tenant)
        w = app.set_windows(assessment_id, timetable_of(data, zone), ctx.cause(data.reason))
        return windows_out(app.assessment(assessment_id), app.timetable(assessment_id), w)

    @get("/windows", opt=allow("admin", "auditor", "judge", "reporter"), sync_to_thread=True,
         summary="The round's windows, late rule and 出场安排")
    def windows(self, tenant: str, assessment_id: UUID, container: Container,
                ctx: RequestContext) -> WindowsOut:
        app = container.app(tenant)
        role, user_id = ctx.viewer()
        assessment = app.assessment_seen_by(assessment_id, role, user_id)
        return windows_out(assessment, app.timetable(assessment_id),
                           version=app.windows_version(assessment_id))

    @get("/deadlines", opt=allow("admin", "auditor"), sync_to_thread=True,
         summary="Who is late, per window: nothing handed in by the deadline (missing) or "
                 "handed in after it (late, flagged)")
    def deadlines(self, tenant: str, assessment_id: UUID, container: Container) -> DeadlinesOut:
        app = container.app(tenant)
        now = now_utc()
        t, reports = app.deadlines(assessment_id, now)
        assessment = app.assessment(assessment_id)
        return DeadlinesOut(assessment_id, now, t.late,  # type: ignore[arg-type]
                            [report_out(r, assessment) for r in reports])

    @put("/opinions/{subject_id:uuid}", opt=allow("judge"), sync_to_thread=True,
         summary="The panel chair's summary (综合评价意见) of a subject; kept with its history")
    def write_opinion(self, tenant: str, assessment_id: UUID, subject_id: UUID,
                      data: SummaryOpinionIn, container: Container,
                      ctx: RequestContext) -> OpinionWrittenOut:
        _, judge_id = ctx.viewer()
        assert judge_id is not None
        w = container.app(tenant).write_opinion(assessment_id, subject_id, judge_id, data.text,
                                                ctx.cause())
        return OpinionWrittenOut(assessment_id, subject_id, data.text.strip(), w.version,
                                 w.position)

