"""Sheets out: templates to fill, and an assessment's sheets as .xlsx or .csv (by the path's
extension, or by the Accept header on the JSON route)."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.evidence import disposition
from adapters.http.names import of_assessment, people_of
from adapters.http.org_levels import in_scope
from adapters.http.zone import zone_of
from adapters.sheets.cards import in_order, matrix_models, score_sheets
from adapters.sheets.kinds import KINDS, SCHOOLS
from adapters.sheets.reading import XLSX
from adapters.sheets.results import results_model
from adapters.sheets.templates import template
from adapters.sheets.writing import Block, SheetModel, as_csv, as_xlsx
from domain.errors import NotFound, NotPermitted
from services.access import subjects_seen_by
from services.publication import published_event, published_sheet
from services.replay import board_at

TENANT = "/api/v1/tenants/{tenant:str}"
CSV = "text/csv"  # litestar adds "; charset=utf-8"
READERS = allow("admin", "auditor", "judge", "reporter")
AUDIT = SCHOOL_READERS = allow("admin", "auditor")
SCHOOLS_SUMMARY = ("The schools as a sheet in the import's columns (学校名称, 分组, 学段, 片区, "
                   "外部合作校): a new tenant imports it as it is")
RESULTS_SUMMARY = ("公示 sheet: by group, rank (if published), name, tier, score (if published); "
                   "the chain head and how to verify it; A4")
SCORECARDS_SUMMARY = ("Score matrix for the archive: a sheet per component, a row per subject, "
                      "columns judge × leaf; 回避 and dropped (去掉) cards marked")
HISTORY_SUMMARY = ("Every change of the round as a printable sheet: who, when, what "
                   "(old → new), why; ?subject_id= and ?judge_id= narrow it")


def wanted(request: Request[Any, Any, Any]) -> str | None:
    """"xlsx" or "csv" when the path ends so or the Accept header asks for one first."""
    path = request.url.path
    for ext in ("xlsx", "csv"):
        if path.endswith(f".{ext}"):
            return ext
    for part in request.headers.get("accept", "").split(","):
        kind = part.split(";")[0].strip().lower()
        if kind == XLSX:
            return "xlsx"
        if kind == "text/csv":
            return "csv"
        if kind in ("application/json", "*/*", "application/*"):
            return None
    return None


def sheet_file(models: list[SheetModel], ext: str, filename: str,
               landscape: bool = False) -> Response[bytes]:
    body = as_xlsx(models, landscape) if ext == "xlsx" else as_csv(models)
    return Response(body, media_type=XLSX if ext == "xlsx" else CSV,
                    headers={"content-disposition": disposition(f"{filename}.{ext}")})


def results_file(container: Container, tenant: str, assessment_id: UUID, ctx: RequestContext,
                 ext: str) -> Response[bytes]:
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    sheet = published_sheet(app, assessment)  # 409 until published
    event = published_event(app, assessment_id)
    zone = ZoneInfo(ctx.principal.time_zone if ctx.principal else "Asia/Shanghai")
    district = container.platform.tenant(tenant).name
    model = results_model(district, assessment, sheet, event.timestamp if event else None,
                          zone)
    return sheet_file([model], ext, f"{assessment.setup.name}-公示")


def scorecards_file(container: Container, tenant: str, assessment_id: UUID,
                    ext: str) -> Response[bytes]:
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    state = board_at(app, assessment_id)  # from the log itself, as the auditor's replay
    models = matrix_models(container.platform.tenant(tenant).name, state)
    return sheet_file(models, ext, f"{assessment.setup.name}-评分明细", landscape=True)


def score_sheets_file(container: Container, tenant: str, assessment_id: UUID,
                      judge_id: UUID, filled: bool, ctx: RequestContext) -> Response[bytes]:
    role, user_id = ctx.viewer()
    if role == "judge" and judge_id != user_id:
        raise NotPermitted("judges see only their own cards")
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    if judge_id not in assessment.panel:
        raise NotFound(f"no judge {judge_id} on the panel")
    state = board_at(app, assessment_id)
    subjects = [s for s in in_order(state)
                if s.id in {x.id for x in subjects_seen_by(assessment, "judge", judge_id)}]
    body = score_sheets(container.platform.tenant(tenant).name, state, judge_id,
                        app.user(judge_id).name, subjects, filled)
    name = f"{assessment.setup.name}-评分表-{app.user(judge_id).name}.xlsx"
    return Response(body, media_type=XLSX, headers={"content-disposition": disposition(name)})


def schools_file(container: Container, tenant: str, after: int | None, ext: str,
                 ctx: RequestContext) -> Response[bytes]:
    """The schools in the import's own columns: a new tenant imports this file as it is
    (a scoped admin's: those under their org node)."""
    container.caught_up(tenant, after)
    with container.views(tenant) as views:
        schools = in_scope(container, tenant, ctx, views.schools())
    columns = [c.header for c in SCHOOLS.columns]
    rows = [[r["name"], r["group"], r["stage"], r["zone"] or "", "是" if r["external"] else "否"]
            for r in schools]
    model = SheetModel("学校", f"{container.platform.tenant(tenant).name} 学校名单",
                       [Block(columns, rows)], widths=[30, 18, 8, 16, 12])
    return sheet_file([model], ext, "学校名单")


HISTORY_PAGE = 1000


def history_file(container: Container, tenant: str, assessment_id: UUID,
                 subject_id: UUID | None, judge_id: UUID | None, zone: ZoneInfo,
                 ext: str) -> Response[bytes]:
    """Every change of the round (or of one subject or judge), printable: who, when (the
    tenant's zone), what changed from what to what, and why."""
    assessment = container.app(tenant).assessment(assessment_id)
    container.caught_up(tenant)
    names = of_assessment(assessment, people_of(container, tenant))
    found, after = [], 0
    with container.views(tenant) as views:
        while page := views.history(assessment_id, subject_id=subject_id, judge_id=judge_id,
                                    after=after, limit=HISTORY_PAGE):
            found += page
            after = page[-1]["position"]
            if len(page) < HISTORY_PAGE:
                break
    rows = []
    for row in found:
        event = convert.history_out(row, names)
        changes = "；".join(f"{c.code}：{_shown(c.old)} → {_shown(c.new)}" for c in event.changes)
        rows.append([event.position, event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                     event.actor.get("name") or event.actor["id"], event.actor["role"],
                     event.type, event.subject_name or "", event.judge_name or "",
                     event.component_name or "", changes, event.reason or ""])
    header = ["位置", "时间", "操作人", "角色", "事件", "被评对象", "评委", "考核项目", "变更",
              "理由"]
    model = SheetModel("变更记录", f"{container.platform.tenant(tenant).name} "
                                  f"{assessment.setup.name} 变更记录", [Block(header, rows)],
                       f"共 {len(rows)} 条，时间为本区县时间（{zone.key}）", [],
                       [8, 20, 12, 8, 18, 20, 10, 12, 36, 24])
    return sheet_file([model], ext, f"{assessment.setup.name}-变更记录", landscape=True)


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class SheetController(Controller):
    path = TENANT
    tags = ["sheets"]

    @get("/templates/{file:str}", opt=allow("admin"), sync_to_thread=True, media_type=XLSX,
         summary="下载模板: an empty .xlsx of an import kind (`schools.xlsx`, `users.xlsx`, "
                 "`rubric.xlsx`, `subjects.xlsx`, `order.xlsx`, `communities.xlsx`, "
                 "`units.xlsx`): headers, an example row, drop-downs, the header row frozen; "
                 "?assessment_id= lists its groups")
    def template(self, tenant: str, file: str, container: Container,
                 assessment_id: UUID | None = None) -> Response[bytes]:
        kind = KINDS.get(file.removesuffix(".xlsx")) if file.endswith(".xlsx") else None
        if kind is None:
            raise NotFound(f"no template {file}")
        choices: dict[str, list[str]] = {}
        if assessment_id is not None:
            groups = container.app(tenant).assessment(assessment_id).setup.groups
            choices["group"] = [g.name for g in groups]
        return Response(template(kind, choices), media_type=XLSX, headers={
            "content-disposition": disposition(f"{kind.title}导入模板.xlsx")})

    # One handler per extension, so that the document names each answer's type.
    @get("/schools.xlsx", opt=SCHOOL_READERS, sync_to_thread=True, media_type=XLSX,
         summary=SCHOOLS_SUMMARY)
    def schools_xlsx(self, tenant: str, container: Container, ctx: RequestContext,
                     after: int | None = None) -> Response[bytes]:
        return schools_file(container, tenant, after, "xlsx", ctx)

    @get("/schools.csv", opt=SCHOOL_READERS, sync_to_thread=True, media_type=CSV,
         summary=SCHOOLS_SUMMARY + " (CSV, UTF-8 with a BOM)")
    def schools_csv(self, tenant: str, container: Container, ctx: RequestContext,
                    after: int | None = None) -> Response[bytes]:
        return schools_file(container, tenant, after, "csv", ctx)

    @get("/assessments/{assessment_id:uuid}/results.xlsx", opt=READERS, sync_to_thread=True,
         media_type=XLSX, summary=RESULTS_SUMMARY)
    def results_xlsx(self, tenant: str, assessment_id: UUID, container: Container,
                     ctx: RequestContext) -> Response[bytes]:
        return results_file(container, tenant, assessment_id, ctx, "xlsx")

    @get("/assessments/{assessment_id:uuid}/results.csv", opt=READERS, sync_to_thread=True,
         media_type=CSV, summary=RESULTS_SUMMARY + " (CSV, UTF-8 with a BOM)")
    def results_csv(self, tenant: str, assessment_id: UUID, container: Container,
                    ctx: RequestContext) -> Response[bytes]:
        return results_file(container, tenant, assessment_id, ctx, "csv")

    @get("/assessments/{assessment_id:uuid}/scorecards.xlsx", opt=AUDIT, sync_to_thread=True,
         media_type=XLSX, summary=SCORECARDS_SUMMARY)
    def scorecards_xlsx(self, tenant: str, assessment_id: UUID,
                        container: Container) -> Response[bytes]:
        return scorecards_file(container, tenant, assessment_id, "xlsx")

    @get("/assessments/{assessment_id:uuid}/scorecards.csv", opt=AUDIT, sync_to_thread=True,
         media_type=CSV, summary=SCORECARDS_SUMMARY + " (CSV, UTF-8 with a BOM)")
    def scorecards_csv(self, tenant: str, assessment_id: UUID,
                       container: Container) -> Response[bytes]:
        return scorecards_file(container, tenant, assessment_id, "csv")

    @get("/assessments/{assessment_id:uuid}/history.xlsx", opt=AUDIT, sync_to_thread=True,
         media_type=XLSX, summary=HISTORY_SUMMARY)
    def history_xlsx(self, tenant: str, assessment_id: UUID, request: Request[Any, Any, Any],
                     container: Container, subject_id: UUID | None = None,
                     judge_id: UUID | None = None) -> Response[bytes]:
        return history_file(container, tenant, assessment_id, subject_id, judge_id,
                            zone_of(request.scope), "xlsx")

    @get("/assessments/{assessment_id:uuid}/history.csv", opt=AUDIT, sync_to_thread=True,
         media_type=CSV, summary=HISTORY_SUMMARY + " (CSV, UTF-8 with a BOM)")
    def history_csv(self, tenant: str, assessment_id: UUID, request: Request[Any, Any, Any],
                    container: Container, subject_id: UUID | None = None,
                    judge_id: UUID | None = None) -> Response[bytes]:
        return history_file(container, tenant, assessment_id, subject_id, judge_id,
                            zone_of(request.scope), "csv")

    @get("/assessments/{assessment_id:uuid}/score-sheets.xlsx", opt=allow("admin", "judge"),
         sync_to_thread=True, media_type=XLSX,
         summary="A judge's 评分表 for paper: a printable page per subject (and component), "
                 "leaves, max points, a SUM total, a signature line; ?filled=true with the "
                 "points entered so far")
    def score_sheets(self, tenant: str, assessment_id: UUID, judge_id: UUID,
                     container: Container, ctx: RequestContext,
                     filled: bool = False) -> Response[bytes]:
        return score_sheets_file(container, tenant, assessment_id, judge_id, filled, ctx)
