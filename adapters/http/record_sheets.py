"""The year's records as sheets: compliance with the frequency rules (compliance.xlsx) and the
activities (activities.xlsx), for the office's files and for print."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get

from adapters.container import Container
from adapters.http.activities import EVERYONE, compliance_of, parse_period, units_by_kind
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.i18n.catalogue import WORDS
from adapters.http.org_levels import in_scope
from adapters.http.sheets import CSV, sheet_file
from adapters.sheets.reading import XLSX
from adapters.sheets.writing import Block, SheetModel

TENANT = "/api/v1/tenants/{tenant:str}"
AUDIT = allow("admin", "auditor")
EVERY = {"week": "每周", "two_weeks": "每两周", "month": "每月", "semester": "每学期",
         "term": "每个学期", "school_year": "每学年"}
UNIT_KINDS = {**WORDS, "school": "学校", "community": "共同体"}
COMPLIANCE = "Who meets the frequency rules in ?period=YYYY-MM-DD..YYYY-MM-DD, as a sheet"
ACTIVITIES = "The activities (?unit_id=, ?status=) as a sheet"


def compliance_file(container: Container, tenant: str, period: str, ext: str,
                    ctx: RequestContext) -> Response[bytes]:
    report = compliance_of(container, tenant, *parse_period(period))
    report.units = in_scope(container, tenant, ctx, report.units, "unit_id")  # as /compliance
    header = ["单位类型", "单位", "频次要求", "计", "应达", "已达", "是否落后",
              "未达的周期（起始日）", "活动数", "课时"]
    rows = [[UNIT_KINDS.get(u.unit_kind, u.unit_kind), u.name, EVERY.get(u.every, u.every),
             "按计划" if u.counts == "planned" else "按开展", u.required, u.met,
             "落后" if u.behind else "达标", "、".join(d.isoformat() for d in u.missed),
             u.activities, u.periods] for u in report.units]
    span = f"{report.starts_on.isoformat()} 至 {report.ends_on.isoformat()}"
    model = SheetModel("达标情况", f"{container.platform.tenant(tenant).name} 教研活动达标情况",
                       [Block(header, rows)], f"统计期间：{span}",
                       widths=[10, 28, 10, 8, 6, 6, 8, 30, 8, 6])
    return sheet_file([model], ext, f"教研活动达标情况-{span}", landscape=True)


def activities_file(container: Container, tenant: str, unit_id: UUID | None,
                    status: str | None, ext: str, ctx: RequestContext) -> Response[bytes]:
    container.caught_up(tenant)
    with container.views(tenant) as views:
        found = in_scope(container, tenant, ctx, views.activities(unit_id, status))
        names = {str(i): n for units in units_by_kind(views).values() for i, n in units}
    header = ["计划日期", "开展日期", "单位类型", "单位", "主题", "形式", "课时", "状态"]
    rows: list[list[Any]] = [
        [a["planned_on"], a["held_on"] or "", UNIT_KINDS.get(a["unit_kind"], a["unit_kind"]),
         names.get(a["unit_id"], a["unit_id"]), a["theme"], a["form"],
         a["periods"] or a["planned_periods"], WORDS.get(a["status"], a["status"])]
        for a in found]
    model = SheetModel("教研活动", f"{container.platform.tenant(tenant).name} 教研活动一览",
                       [Block(header, rows)], f"共 {len(rows)} 项",
                       widths=[12, 12, 10, 26, 36, 14, 6, 8])
    return sheet_file([model], ext, "教研活动一览", landscape=True)


class RecordSheetController(Controller):
    path = TENANT
    tags = ["sheets"]

    @get("/compliance.xlsx", opt=AUDIT, sync_to_thread=True, media_type=XLSX,
         summary=COMPLIANCE)
    def compliance_xlsx(self, tenant: str, period: str, container: Container,
                        ctx: RequestContext) -> Response[bytes]:
        return compliance_file(container, tenant, period, "xlsx", ctx)

    @get("/compliance.csv", opt=AUDIT, sync_to_thread=True, media_type=CSV,
         summary=COMPLIANCE + " (CSV, UTF-8 with a BOM)")
    def compliance_csv(self, tenant: str, period: str, container: Container,
                       ctx: RequestContext) -> Response[bytes]:
        return compliance_file(container, tenant, period, "csv", ctx)

    @get("/activities.xlsx", opt=EVERYONE, sync_to_thread=True, media_type=XLSX,
         summary=ACTIVITIES)
    def activities_xlsx(self, tenant: str, container: Container, ctx: RequestContext,
                        unit_id: UUID | None = None,
                        status: str | None = None) -> Response[bytes]:
        return activities_file(container, tenant, unit_id, status, "xlsx", ctx)

    @get("/activities.csv", opt=EVERYONE, sync_to_thread=True, media_type=CSV,
         summary=ACTIVITIES + " (CSV, UTF-8 with a BOM)")
    def activities_csv(self, tenant: str, container: Container, ctx: RequestContext,
                       unit_id: UUID | None = None,
                       status: str | None = None) -> Response[bytes]:
        return activities_file(container, tenant, unit_id, status, "csv", ctx)
