"""Audit: the raw log page by page, the hash chain, recomputation against board and sheet."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.exceptions import ServiceUnavailableException
from litestar.params import Parameter

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.names import Names, people_of
from adapters.http.schemas import AuditReport, LoggedEvent, LogPage, Mismatch, Verification
from adapters.postgres.chain import verify_chain
from adapters.postgres.log import events_page
from adapters.postgres.versions import schema_of
from domain.board import BoardState
from services.verification import compare

TENANT = "/api/v1/tenants/{tenant:str}"
Limit = Annotated[int, Parameter(ge=1, le=1000)]


def logged(row: dict[str, Any]) -> LoggedEvent:
    return LoggedEvent(row["position"], row["recorded_at"], row["originator_id"],
                       row["originator_version"], row["topic"],
                       msgspec.json.decode(bytes(row["state"])), bytes(row["hash"]).hex())


class AuditController(Controller):
    path = TENANT
    tags = ["audit"]

    @get("/events", opt=allow("auditor"), sync_to_thread=True,
         summary="The tenant's raw event log, page by page (auditors)")
    def events(self, tenant: str, container: Container, after: int = 0,
               limit: Limit = 100) -> LogPage:
        with container.tenant_db(tenant) as conn:
            rows = events_page(conn, schema_of(tenant), after, limit + 1)
        page = rows[:limit]
        return LogPage([logged(r) for r in page], page[-1]["position"] if len(rows) > limit
                       else None)

    @get("/audit/refusals", opt=allow("auditor"), sync_to_thread=True,
         summary="Refused attempts that matter: wrong role, another's card, a recused judge;"
                 " repeats within a minute are one row with their count")
    def refusals(self, tenant: str, container: Container, after: int = 0,
                 limit: Limit = 100) -> list[dict[str, Any]]:
        container.refusals.flush(tenant)  # the counts of minutes that have closed
        container.caught_up(tenant)
        with container.views(tenant) as views:
            found = views.refusals(after, limit)
        people = people_of(container, tenant)
        return [row | {"actor_name": Names(people=people).person(row["actor_id"])}
                for row in found]

    @get("/audit/verify", opt=allow("auditor", "admin"), sync_to_thread=True,
         summary="Re-read the log and check its hash chain")
    def verify_log(self, tenant: str, container: Container) -> AuditReport:
        with container.tenant_db(tenant) as conn:
            report = verify_chain(conn, schema_of(tenant))
        return AuditReport(report.ok, report.length, report.head, report.first_bad_position,
                           report.first_bad_index)

    @get("/assessments/{assessment_id:uuid}/verify", opt=allow("auditor", "admin"),
         sync_to_thread=True,
         summary="Recompute the results from the events alone; compare with board and sheet")
    def verify_assessment(self, tenant: str, assessment_id: UUID,
                          container: Container) -> Verification:
        app = container.app(tenant)
        assessment = app.assessment(assessment_id)
        if not container.caught_up(tenant):  # a lagging board is not a mismatch: say so
            raise ServiceUnavailableException("the board is still catching up with the log; "
                                              "try again in a moment",
                                              headers={"Retry-After": "2"})
        with container.views(tenant) as views:
            projected = views.load_board(assessment_id) or BoardState(assessment_id)
        found = compare(app, assessment, projected)
        return Verification(not found, [Mismatch(m.subject_id, m.field, m.source, m.expected,
                                                 m.found, m.name) for m in found])
