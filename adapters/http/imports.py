"""表格导入: a sheet in, a dry-run report out; its commit writes every row or none."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Controller, Request, post
from msgspec import Meta, Struct

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.bodies import SHEET
from adapters.http.context import RequestContext
from adapters.http.i18n import language_of
from adapters.http.org_levels import check_whole_tenant
from adapters.http.sheet_bodies import SheetOperation, receive_sheet
from adapters.postgres.imports import DryRun, ImportStore
from adapters.postgres.versions import schema_of
from adapters.sheets.importing import Parsed, parse, report, sheet_of
from adapters.sheets.kinds import KINDS
from domain.errors import FieldError, NotFound, RuleViolated

TENANT = "/api/v1/tenants/{tenant:str}"


def said(text: str) -> Any:
    return Meta(description=text)


class ReportLine(Struct):
    row: Annotated[int, said("The row as Excel numbers it (the header is usually row 1)")]
    column: Annotated[str, said("The column's header as the sheet spells it")]
    message: Annotated[str, said("The whole finding, e.g. 第 7 行「学段」：应为 高中、初中、小学、"
                                 "学前 之一")]


class DryRunReport(Struct):
    """A dry run: nothing is written until ``…/imports/{id}/commit``."""

    id: Annotated[UUID, said("The dry run's id, to commit it")]
    kind: Annotated[str, said("What the sheet holds: schools, users, rubric, subjects, order, "
                              "communities or units")]
    rows: Annotated[int, said("Data rows read (blank rows left out)")]
    ok: Annotated[int, said("Rows without an error")]
    errors: Annotated[list[ReportLine], said("Every finding that blocks the commit, in row "
                                             "order")]
    warnings: Annotated[list[ReportLine], said("Unknown columns: reported, not imported, "
                                               "not blocking")]
    committable: Annotated[bool, said("No error: the commit may write every row")]


class Committed(Struct):
    id: Annotated[UUID, said("The dry run committed")]
    kind: Annotated[str, said("What the sheet held")]
    committed: Annotated[bool, said("Always true: every row was written, in one transaction")]
    written: Annotated[int, said("Records written")]
    ids: Annotated[list[UUID], said("Their ids, in row order")]
    position: Annotated[int | None, said("The log position reached")]


def reason_of(run: DryRun) -> str:
    """What the events' cause says: the file, by name and sha256; for 统分, that the points
    were typed in from a judge's paper 评分表 by the actor (the admin), not by the judge."""
    if run.kind == "scores":
        return f"统分代录：据评委纸质评分表 {run.filename or ''}（sha256 {run.sha256}）录入"
    return f"表格导入 {run.filename or run.kind}（sha256 {run.sha256}）"


def dry_run_of(container: Container, tenant: str, kind: str, data: bytes, filename: str,
               params: dict[str, str], ctx: RequestContext, lang: str, reason: str | None,
               assessment_id: UUID | None, judge_id: UUID | None) -> dict[str, Any]:
    """Check the sheet and keep the dry run (blocking): the report, with the dry run's id.
    The API's ``POST …/imports/{kind}`` and the console's upload both call it."""
    parsed = parse(KINDS[kind], data, filename, params)
    plan = container.app(tenant).plan_import(kind, parsed.rows, ctx.cause(reason),
                                             sheet_of(parsed), assessment_id=assessment_id,
                                             judge_id=judge_id)
    answer = report(parsed, plan, lang)
    run = DryRun(uuid.uuid4(), kind, parsed.params, ctx.cause().actor_id, filename,
                 hashlib.sha256(data).hexdigest(), [[n, dict(v)] for n, v in parsed.rows],
                 answer, plan.reads, datetime.now(UTC), None)
    with container.tenant_db(tenant) as conn:
        ImportStore(conn, schema_of(tenant)).add(run)
    return {"id": str(run.id), **answer}


def commit_of(container: Container, tenant: str, import_id: UUID,
              ctx: RequestContext) -> dict[str, Any]:
    """Apply a dry run (blocking): every row in one transaction, or nothing. The API's
    ``POST …/imports/{id}/commit`` and the console's 提交导入 both call it."""
    app = container.app(tenant)
    with container.tenant_db(tenant) as conn, conn.transaction():
        store = ImportStore(conn, schema_of(tenant))
        run = store.get(import_id, lock=True)  # a second commit waits here, then answers
        if run.committed is not None:
            return run.committed
        if run.report["errors"]:
            raise RuleViolated("the import has rows in error: nothing was written", tuple(
                FieldError(f"row {e['row']}", e["message"])
                for e in run.report["errors"][:50]))
        parsed = Parsed(KINDS[run.kind], [(n, v) for n, v in run.rows], run.params)
        why = ctx.cause(run.params.get("reason") or reason_of(run))
        assessment, judge = run.params.get("assessment_id"), run.params.get("judge_id")
        plan = app.plan_import(run.kind, parsed.rows, why, sheet_of(parsed), for_commit=True,
                               assessment_id=UUID(assessment) if assessment else None,
                               judge_id=UUID(judge) if judge else None)
        written = app.commit_import(plan, run.reads, why)
        answer = {"id": str(import_id), "kind": run.kind, "committed": True,
                  "written": len(plan.records), "ids": [str(r.id) for r in plan.records],
                  "position": written.position}
        store.commit(import_id, answer)
    return answer


class ImportController(Controller):
    path = TENANT
    tags = ["sheets"]

    @post("/imports/{kind:str}", opt={**allow("admin"), SHEET: True}, status_code=201,
          operation_class=SheetOperation,
          summary="表格导入, dry run: an .xlsx or UTF-8 .csv (raw body or multipart `file`) → "
                  "a report of every row in error; nothing is written until the commit")
    async def dry_run(
        self, tenant: str, kind: str, request: Request[Any, Any, Any], container: Container,
        ctx: RequestContext, name: str | None = None, step: str | None = None,
        total: str | None = None, assessment_id: UUID | None = None,
        judge_id: UUID | None = None, reason: str | None = None,
    ) -> DryRunReport:
        check_whole_tenant(ctx)  # imported records would hang under no node (ADR 28)
        if kind not in KINDS:
            raise NotFound(f"no import of kind {kind}")
        data, filename = await receive_sheet(request)
        params = {k: v for k, v in (("name", name), ("step", step), ("total", total),
                                    ("assessment_id", assessment_id and str(assessment_id)),
                                    ("judge_id", judge_id and str(judge_id)),
                                    ("reason", reason),
                                    ("today", ctx.today().isoformat())) if v}
        lang = language_of(request.scope)

        def check() -> DryRunReport:
            answer = dry_run_of(container, tenant, kind, data, filename, params, ctx, lang,
                                reason, assessment_id, judge_id)
            return msgspec.convert(answer, DryRunReport)

        return await anyio.to_thread.run_sync(check)

    @post("/imports/{import_id:uuid}/commit", opt=allow("admin"), status_code=200,
          sync_to_thread=True,
          summary="Apply a dry run: every row in one transaction, or nothing (409 if the data "
                  "changed since the dry run, 422 if a row is in error); idempotent")
    def commit(self, tenant: str, import_id: UUID, container: Container,
               ctx: RequestContext) -> Committed:
        return msgspec.convert(commit_of(container, tenant, import_id, ctx), Committed)
