"""截止与逾期 as a sheet (issue 15): who is late, per window, as ``GET …/deadlines`` answers,
for the office's files and for print. One row per subject behind a window; a window nobody is
behind gets one row that says so, so every window is listed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.sheets import CSV, sheet_file
from adapters.http.zone import zone_of
from adapters.sheets.reading import XLSX
from adapters.sheets.writing import Block, SheetModel
from services.windows import now_utc

TENANT = "/api/v1/tenants/{tenant:str}"
WINDOWS = {"self_assessment": "自查自评", "materials": "材料报送"}
STATES = {"missing": "未提交", "late": "逾期提交"}
RULES = {"refuse": "逾期不予受理", "flag": "逾期可提交，但标记为逾期"}
HEADER = ["截止事项", "考核项目/分组", "开始", "截止", "是否已截止", "名称", "分组", "情况",
          "提交时间"]
SUMMARY = ("截止与逾期 as a sheet: per window (自查自评 per component, 材料报送 per group), "
           "who is late — missing or handed in late — with times in the tenant's zone")
SAME_ROLES = allow("admin", "auditor")  # as …/deadlines (WindowsController.deadlines)


def _at(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def deadlines_model(container: Container, tenant: str, assessment_id: UUID,
                    zone: ZoneInfo) -> SheetModel:
    app = container.app(tenant)
    now = now_utc()
    timetable, reports = app.deadlines(assessment_id, now)
    assessment = app.assessment(assessment_id)
    groups = {g.key: g.name for g in assessment.setup.groups}
    components = {c.key: c.name for c in assessment.setup.components}
    rows: list[list[Any]] = []
    for r in reports:
        of = components.get(r.component or "") or groups.get(r.group or "", r.group or "")
        window = [WINDOWS.get(r.window, r.window), of, _at(r.opens, zone), _at(r.closes, zone),
                  "已截止" if r.passed else "未到截止时间"]
        for b in r.behind:
            rows.append([*window, b.subject.name, groups.get(b.subject.group, b.subject.group),
                         STATES.get(b.state, b.state), _at(b.filed_at, zone)])
        if not r.behind:
            rows.append([*window, "—", "", "无人逾期" if r.passed else "暂无逾期提交", ""])
    district = container.platform.tenant(tenant).name
    footer = [f"逾期规则：{RULES.get(timetable.late, timetable.late)}",
              f"统计时间：{_at(now, zone)}（本区县时间，{zone.key}）"]
    return SheetModel("截止与逾期", f"{district} {assessment.setup.name} 截止与逾期",
                      [Block(HEADER, rows)], f"共 {len(reports)} 项截止事项", footer,
                      [10, 18, 17, 17, 12, 24, 16, 10, 17])


def deadlines_file(container: Container, tenant: str, assessment_id: UUID, zone: ZoneInfo,
                   ext: str) -> Response[bytes]:
    model = deadlines_model(container, tenant, assessment_id, zone)
    name = container.app(tenant).assessment(assessment_id).setup.name
    return sheet_file([model], ext, f"{name}-截止与逾期", landscape=True)


class DeadlineSheetController(Controller):
    path = TENANT + "/assessments/{assessment_id:uuid}"
    tags = ["sheets"]

    @get("/deadlines.xlsx", opt=SAME_ROLES, sync_to_thread=True, media_type=XLSX,
         summary=SUMMARY)
    def deadlines_xlsx(self, tenant: str, assessment_id: UUID, request: Request[Any, Any, Any],
                       container: Container) -> Response[bytes]:
        return deadlines_file(container, tenant, assessment_id, zone_of(request.scope), "xlsx")

    @get("/deadlines.csv", opt=SAME_ROLES, sync_to_thread=True, media_type=CSV,
         summary=SUMMARY + " (CSV, UTF-8 with a BOM)")
    def deadlines_csv(self, tenant: str, assessment_id: UUID, request: Request[Any, Any, Any],
                      container: Container) -> Response[bytes]:
        return deadlines_file(container, tenant, assessment_id, zone_of(request.scope), "csv")
