"""Sheets to download from the console: the API's exports (``adapters/http/sheets.py``,
``record_sheets.py``, ``deadline_sheets.py``) for a browser signed in with a session cookie
instead of a bearer token. Each page route calls the same function as its API route and
admits exactly the roles that route admits (``gate.admit``); the paths mirror the API's
under ``/t/{tenant}/sheets/…``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, get

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.deadline_sheets import DeadlineSheetController, deadlines_file
from adapters.http.record_sheets import RecordSheetController, activities_file, compliance_file
from adapters.http.sheets import (
    SheetController,
    history_file,
    results_file,
    schools_file,
    score_sheets_file,
    scorecards_file,
)
from adapters.http.zone import zone_of
from adapters.sheets.reading import XLSX
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit
from tenants.model import Principal

SHEETS = "/t/{tenant:str}/sheets"
ROUND = SHEETS + "/assessments/{assessment_id:uuid}"


def sheet_links(tenant: str, assessment_id: UUID) -> str:
    """The page path of a round's sheets (…/results.xlsx and the others are under it)."""
    return f"/t/{tenant}/sheets/assessments/{assessment_id}"


@get(SHEETS + "/schools.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def schools_sheet(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  container: Container, ctx: RequestContext) -> Response[bytes]:
    admit(request, who, SheetController.schools_xlsx)
    return schools_file(container, tenant, None, "xlsx", ctx)


@get(ROUND + "/results.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def results_sheet(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                  who: Principal, container: Container, ctx: RequestContext) -> Response[bytes]:
    admit(request, who, SheetController.results_xlsx)
    return results_file(container, tenant, assessment_id, ctx, "xlsx")


@get(ROUND + "/scorecards.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def scorecards_sheet(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                     who: Principal, container: Container) -> Response[bytes]:
    admit(request, who, SheetController.scorecards_xlsx)
    return scorecards_file(container, tenant, assessment_id, "xlsx")


@get(ROUND + "/history.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def history_sheet(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                  who: Principal, container: Container) -> Response[bytes]:
    admit(request, who, SheetController.history_xlsx)
    return history_file(container, tenant, assessment_id, None, None, zone_of(request.scope),
                        "xlsx")


@get(ROUND + "/score-sheets.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def score_sheets_sheet(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                       judge_id: UUID, who: Principal, container: Container,
                       ctx: RequestContext, filled: bool = False) -> Response[bytes]:
    admit(request, who, SheetController.score_sheets)
    return score_sheets_file(container, tenant, assessment_id, judge_id, filled, ctx)


@get(ROUND + "/deadlines.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def deadlines_sheet(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                    who: Principal, container: Container) -> Response[bytes]:
    admit(request, who, DeadlineSheetController.deadlines_xlsx)
    return deadlines_file(container, tenant, assessment_id, zone_of(request.scope), "xlsx")


@get(SHEETS + "/activities.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def activities_sheet(request: Request[Any, Any, Any], tenant: str, who: Principal,
                     container: Container, ctx: RequestContext, unit_id: UUID | None = None,
                     status: str | None = None) -> Response[bytes]:
    admit(request, who, RecordSheetController.activities_xlsx)
    return activities_file(container, tenant, unit_id, status or None, "xlsx", ctx)


@get(SHEETS + "/compliance.xlsx", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def compliance_sheet(request: Request[Any, Any, Any], tenant: str, period: str,
                     who: Principal, container: Container,
                     ctx: RequestContext) -> Response[bytes]:
    admit(request, who, RecordSheetController.compliance_xlsx)
    return compliance_file(container, tenant, period, "xlsx", ctx)


DOWNLOAD_PAGES = [schools_sheet, results_sheet, scorecards_sheet, history_sheet,
                  score_sheets_sheet, deadlines_sheet, activities_sheet, compliance_sheet]


def round_sheets(container: Container, tenant: str, assessment: Any) -> dict[str, Any]:
    """What the round page's 下载表格 lists: the round's sheets' path, whether 公示表 exists
    yet, and the panel's judges by name (a 评分表 each, blank and filled)."""
    app = container.app(tenant)
    judges = sorted(((str(j), app.user(j).name) for j in assessment.panel),
                    key=lambda p: p[1])
    return {"base": sheet_links(tenant, assessment.id),
            "published": assessment.status == "published", "judges": judges}
