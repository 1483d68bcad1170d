"""核验 and 下载: recompute a round's results from the log and re-read the hash chain, in one
press of a button; and the log's export for checking offline (``kaoping audit verify``).

They do what ``GET …/assessments/{id}/verify``, ``GET …/audit/verify`` and the export
(``kaoping export``, the raw log of ``GET …/events``) do, and admit whom those admit."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.exceptions import ServiceUnavailableException

from adapters.container import Container
from adapters.export import export_log
from adapters.http.audit import AuditController
from adapters.postgres.chain import verify_chain
from adapters.postgres.log import events_page
from adapters.postgres.versions import schema_of
from adapters.web import audit_words as words
from adapters.web.auditing import PAGE
from adapters.web.gate import admit, may, shown
from adapters.web.templating import Page as Template
from domain.board import BoardState
from services.verification import compare
from tenants.model import Principal


@get("/audit/{assessment_id:uuid}/verify", opt=PAGE, sync_to_thread=True, name="audit_verify")
def verify(
    request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
    container: Container, run: bool = False,
) -> Template:
    admit(request, who, AuditController.verify_assessment, AuditController.verify_log)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    outcome: dict[str, Any] | None = None
    if run:
        if not container.caught_up(tenant):  # a lagging board is not a mismatch: say so
            raise ServiceUnavailableException("the board is still catching up with the log; "
                                              "try again in a moment")
        with container.views(tenant) as views:
            projected = views.load_board(assessment_id) or BoardState(assessment_id)
        found = compare(app, assessment, projected)
        with container.tenant_db(tenant) as conn:
            chain = verify_chain(conn, schema_of(tenant))
            bad = (events_page(conn, schema_of(tenant), chain.first_bad_position - 1, 1)
                   if chain.first_bad_position else [])
        outcome = {"mismatches": found, "chain": chain, "bad_event": bad[0] if bad else None,
                   "ok": chain.ok and not found}
    return Template("audit/verify.html", context=shown(
        who, title=f"核验 · {assessment.setup.name}", assessment=assessment, outcome=outcome,
        words=words, may_export=may(who, AuditController.events)))


@get("/audit/export", opt=PAGE, sync_to_thread=True, name="audit_export")
def export(request: Request[Any, Any, Any], tenant: str, who: Principal,
           container: Container) -> Response[bytes]:
    admit(request, who, AuditController.events)
    out = io.StringIO()
    with container.tenant_db(tenant) as conn:
        export_log(conn, schema_of(tenant), tenant, out)
    return Response(out.getvalue().encode(), media_type="application/x-ndjson", headers={
        "Content-Disposition": f'attachment; filename="kaoping-{tenant}-log.jsonl"'})
