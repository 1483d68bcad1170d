"""Sheets out: templates to fill, and an assessment's sheets as .xlsx or .csv (by the path's
extension, or by the Accept header on the JSON route)."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import anyio.to_thread
from litestar import Controller, Request, Response, get

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.evidence import disposition
from adapters.sheets.kinds import KINDS
from adapters.sheets.reading import XLSX
from adapters.sheets.results import results_model
from adapters.sheets.templates import template
from adapters.sheets.writing import SheetModel, as_csv, as_xlsx
from domain.errors import NotFound
from services.publication import published_event, published_sheet

TENANT = "/api/v1/tenants/{tenant:str}"
CSV = "text/csv; charset=utf-8"
READERS = allow("admin", "auditor", "judge", "reporter")


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


class SheetController(Controller):
    path = TENANT
    tags = ["sheets"]

    @get("/templates/{file:str}", opt=allow("admin"), sync_to_thread=True,
         summary="下载模板: an empty .xlsx of an import kind (`schools.xlsx`, `users.xlsx`, "
                 "`rubric.xlsx`, `subjects.xlsx`, `order.xlsx`): headers, an example row, "
                 "drop-downs, the header row frozen; ?assessment_id= lists its groups")
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

    # Async, the work in a thread: a handler of two paths with ``sync_to_thread`` is wrapped
    # once per path by litestar 2, and answers a coroutine.
    @get(["/assessments/{assessment_id:uuid}/results.xlsx",
          "/assessments/{assessment_id:uuid}/results.csv"], opt=READERS,
         summary="公示 sheet: by group, rank (if published), name, tier, score (if published); "
                 "the chain head and how to verify it; A4. CSV: UTF-8 with a BOM")
    async def results_sheet(self, tenant: str, assessment_id: UUID,
                            request: Request[Any, Any, Any], container: Container,
                            ctx: RequestContext) -> Response[bytes]:
        ext = wanted(request) or "xlsx"
        return await anyio.to_thread.run_sync(results_file, container, tenant, assessment_id,
                                              ctx, ext)
