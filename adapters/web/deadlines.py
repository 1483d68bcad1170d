"""截止与逾期: the admin's page of a round's windows (自查自评, materials before the meeting),
its late rule, its 出场安排, and who is late for each window — what ``GET …/deadlines`` and
``GET …/windows`` answer, read through the same service calls (services/windows.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get

from adapters.container import Container
from adapters.http.windows import WindowsController
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, may
from adapters.web.templating import Page as Template
from services.windows import now_utc
from tenants.model import Principal

PATH = "/t/{tenant:str}/admin/assessments/{assessment_id:uuid}/deadlines"
WINDOWS = {"self_assessment": "自查自评", "materials": "材料报送"}
STATES = {"missing": "未提交", "late": "逾期提交"}
RULES = {"refuse": "逾期不予受理", "flag": "逾期可提交，但标记为逾期"}
DONE = {"windows": "时间安排已保存。"}


@get(PATH, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_deadlines")
def deadlines_page(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                   who: Principal, container: Container, done: str = "") -> Template:
    admit(request, who, WindowsController.deadlines)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    timetable, reports = app.deadlines(assessment_id, now_utc())
    groups = {g.key: g for g in assessment.setup.groups}
    components = {c.key: c.name for c in assessment.setup.components}
    windows = [{"label": WINDOWS[r.window], "of": components.get(r.component or "")
                or (groups[r.group].name if r.group in groups else ""),
                "opens": r.opens, "closes": r.closes, "passed": r.passed,
                "behind": [{"name": b.subject.name, "group": groups[b.subject.group].name
                            if b.subject.group in groups else b.subject.group,
                            "state": STATES[b.state], "filed_at": b.filed_at}
                           for b in r.behind]}
               for r in reports]
    spans = ([{"of": "", "window": timetable.self_assessment}] if timetable.self_assessment
             else []) + [{"of": components.get(c.component, c.component),
                          "window": c.self_assessment} for c in timetable.components]
    schedule = [{"group": groups[s.group].name if s.group in groups else s.group,
                 "limit": groups[s.group].time_limit_minutes if s.group in groups else None,
                 "date": s.date, "start": s.start, "venue": s.venue}
                for s in timetable.schedule]
    return Template("console/deadlines.html", context=console(
        who, "assessments", title=f"截止与逾期 · {assessment.setup.name}",
        assessment=assessment, windows=windows, schedule=schedule, spans=spans,
        rule=RULES.get(timetable.late, timetable.late),
        days=timetable.materials_due_days_before, done=DONE.get(done, ""),
        may_edit=may(who, WindowsController.set_windows)))


DEADLINE_PAGES = [deadlines_page]
