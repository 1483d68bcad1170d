"""Correcting a draft round (subjects, groups, components, tiers) and the 出场顺序."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, put
from litestar.params import HeaderParameter, QueryParameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.schemas import (
    OrderIn,
    OrderOut,
    OrderWritten,
    SubjectChanged,
    SubjectMoveIn,
)
from adapters.http.schemas.base import MULTI_LINE
from services.access import subjects_seen_by

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
Reason = Annotated[str | None, QueryParameter(name="reason", required=False, max_length=2000,
                                              pattern=MULTI_LINE,
                                              description="why (kept in the history)")]


class DraftController(Controller):
    path = TENANT + "/assessments/{assessment_id:uuid}"
    tags = ["assessments"]

    @delete("/subjects/{subject_id:uuid}", opt=allow("admin"), status_code=200,
            sync_to_thread=True, summary="Remove a subject from a draft (?reason=)")
    def remove_subject(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, container: Container,
        ctx: RequestContext, reason: Reason = None, if_match: IfMatch = None,
    ) -> SubjectChanged:
        w, subject, notices = container.app(tenant).remove_subject(
            assessment_id, subject_id, ctx.cause(reason), expected_version(if_match))
        return SubjectChanged(subject.id, subject.name, None, None, w.version, w.position,
                              convert.notices_out(notices))

    @patch("/subjects/{subject_id:uuid}", opt=allow("admin"), sync_to_thread=True,
           summary="Move a subject of a draft to another ranking group")
    def move_subject(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, data: SubjectMoveIn,
        container: Container, ctx: RequestContext, if_match: IfMatch = None,
    ) -> SubjectChanged:
        w, assessment, notices = container.app(tenant).move_subject(
            assessment_id, subject_id, data.group, ctx.cause(data.reason),
            expected_version(if_match))
        subject = assessment.subject(subject_id)
        names = {g.key: g.name for g in assessment.setup.groups}
        return SubjectChanged(subject.id, subject.name, subject.group, names[subject.group],
                              w.version, w.position, convert.notices_out(notices))

    @put("/order", opt=allow("admin"), sync_to_thread=True,
         summary="Enter the presentation order (出场顺序) by hand, per group; replacing an "
                 "order needs a reason")
    def enter_order(
        self, tenant: str, assessment_id: UUID, data: OrderIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> OrderWritten:
        w, assessment = container.app(tenant).enter_order(
            assessment_id, {key: tuple(ids) for key, ids in data.order.items()},
            ctx.cause(data.reason), expected_version(if_match))
        return OrderWritten(assessment.id, w.version, w.position,
                            convert.order_groups(assessment))

    @get("/order", opt=allow("admin", "auditor", "judge", "reporter"), sync_to_thread=True,
         summary="The presentation order (出场顺序) with names, time limits and schedule")
    def order(self, tenant: str, assessment_id: UUID, container: Container,
              ctx: RequestContext) -> OrderOut:
        role, user_id = ctx.viewer()
        assessment = container.app(tenant).assessment_seen_by(assessment_id, role, user_id)
        # A judge follows the sessions of the groups they score in (whole: they sit through
        # them, stepping out for a subject they stand aside from).
        groups = {x.group for x in subjects_seen_by(assessment, role, user_id)}
        shown = [g for g in convert.order_groups(assessment) if g.key in groups]
        schedule = container.app(tenant).schedule(assessment_id)  # 出场安排 (windows)
        for g in shown:
            if (session := schedule.get(g.key)) is not None:
                g.schedule = {"date": session.date.isoformat(), "start": session.start or None,
                              "venue": session.venue or None}
        return OrderOut(assessment.id, assessment.version, shown)
