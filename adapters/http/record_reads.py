"""The history of a school, user, unit or community: every change, who, when and why."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.schemas import (
    FieldChangeOut,
    RecordEventOut,
    RecordHistory,
)

TENANT = "/api/v1/tenants/{tenant:str}"
AUDIT = allow("admin", "auditor")


def history(container: Container, tenant: str, kind: str, record_id: UUID) -> RecordHistory:
    app = container.app(tenant)
    record = app.record(kind, record_id)
    events = [
        RecordEventOut(e.version, e.at, e.type,
                       {"id": e.actor_id, "role": e.actor_role, "name": e.actor_name},
                       e.reason, [FieldChangeOut(c.field, c.old, c.new) for c in e.changes])
        for e in app.record_history(kind, record_id)
    ]
    return RecordHistory(record.id, kind, record.name, record.archived, events)


class RecordReadController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    @get("/schools/{record_id:uuid}/history", opt=AUDIT, sync_to_thread=True,
         summary="Every change of a school: when, who, why, each field from → to")
    def school_history(self, tenant: str, record_id: UUID,
                       container: Container) -> RecordHistory:
        return history(container, tenant, "school", record_id)

    @get("/users/{record_id:uuid}/history", opt=AUDIT, sync_to_thread=True,
         summary="Every change of a user, tokens issued and revoked included")
    def user_history(self, tenant: str, record_id: UUID, container: Container) -> RecordHistory:
        return history(container, tenant, "user", record_id)

    @get("/units/{record_id:uuid}/history", opt=AUDIT, sync_to_thread=True,
         summary="Every change of a research unit")
    def unit_history(self, tenant: str, record_id: UUID, container: Container) -> RecordHistory:
        return history(container, tenant, "unit", record_id)

    @get("/communities/{record_id:uuid}/history", opt=AUDIT, sync_to_thread=True,
         summary="Every change of a community, members joining and leaving included")
    def community_history(self, tenant: str, record_id: UUID,
                          container: Container) -> RecordHistory:
        return history(container, tenant, "community", record_id)
