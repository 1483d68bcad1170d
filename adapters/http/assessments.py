"""Assessments (考核): set-up, lifecycle, scorecards, the board and its history."""

from __future__ import annotations

import secrets
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.names import of_assessment
from adapters.http.org_levels import check_in_scope, in_scope
from adapters.http.schemas import (
    AssessmentCreate,
    AssessmentPatch,
    AssessmentRead,
    AssessmentSummary,
    ConflictOut,
    DrawIn,
    DrawOut,
    PanelAdded,
    PanelIn,
    RecusalIn,
    RecusalOut,
    SetupWritten,
    SubjectAdded,
    SubjectIn,
    Written,
)
from adapters.http.waiting import await_position
from services.access import subjects_seen_by

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
READERS = allow("admin", "auditor", "judge")


class AssessmentController(Controller):
    path = TENANT + "/assessments"
    tags = ["assessments"]

    @post("/", opt=allow("admin"), sync_to_thread=True, summary="Create an assessment round")
    def create(
        self, tenant: str, data: AssessmentCreate, container: Container, ctx: RequestContext
    ) -> Written:
        w = container.app(tenant).create_assessment(convert.setup_spec(data), ctx.cause(),
                                                    ctx.scope)
        return Written(w.id, w.version, w.position)

    @get("/", opt=allow("admin", "auditor"), sync_to_thread=True,
         before_request=await_position, summary="List assessments")
    def list_all(
        self, tenant: str, container: Container, ctx: RequestContext, after: int | None = None
    ) -> list[AssessmentSummary]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            rows = views.assessments()
        return [AssessmentSummary(r["assessment_id"], r["name"], r["status"])
                for r in in_scope(container, tenant, ctx, rows, "assessment_id")]

    @get("/{assessment_id:uuid}", opt=READERS, sync_to_thread=True,
         summary="An assessment's set-up, subjects, panel and status")
    def read(self, tenant: str, assessment_id: UUID, container: Container,
             ctx: RequestContext) -> AssessmentRead:
        app = container.app(tenant)
        role, user_id = ctx.viewer()
        assessment = app.assessment_seen_by(assessment_id, role, user_id)
        return convert.assessment_out(assessment, app.placement_warnings(assessment),
                                      seen=subjects_seen_by(assessment, role, user_id),
                                      judge=user_id if role == "judge" else None)

    @patch("/{assessment_id:uuid}", opt=allow("admin"), sync_to_thread=True,
           summary="Change a draft's name, components, groups, tiers, aggregation, quorum or "
                   "period (only the fields given)")
    def change(
        self, tenant: str, assessment_id: UUID, data: AssessmentPatch, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> SetupWritten:
        w, changed, notices = container.app(tenant).change_setup(
            assessment_id, convert.setup_changes(data), ctx.cause(data.reason),
            expected_version(if_match))
        return SetupWritten(w.id, w.version, w.position, list(changed),
                            convert.notices_out(notices))

    @post("/{assessment_id:uuid}/subjects", opt=allow("admin"), sync_to_thread=True,
          summary="Add a subject (a school, community, unit or teacher) in a ranking group, "
                  "with its own components if given")
    def add_subject(
        self, tenant: str, assessment_id: UUID, data: SubjectIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> SubjectAdded:
        app = container.app(tenant)
        check_in_scope(container, tenant, ctx, data.ref_id)
        w, subject_id = app.add_subject(
            assessment_id, data.kind, data.ref_id, data.group, ctx.cause(),
            expected_version(if_match), tuple(data.components),
        )
        warned = app.placement_warnings(app.assessment(assessment_id), {subject_id})
        return SubjectAdded(subject_id, w.version, w.position,
                            convert.notices_out(warned.values()))

    @post("/{assessment_id:uuid}/panel", opt=allow("admin"), sync_to_thread=True,
          summary="Add a judge to the panel, or to some 考核组 only (groups)")
    def add_judge(
        self, tenant: str, assessment_id: UUID, data: PanelIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> PanelAdded:
        app = container.app(tenant)
        if data.chair and app.on_panel(assessment_id, data.judge_id):  # appointed chair only
            w, found = app.appoint_chair(assessment_id, data.judge_id, ctx.cause()), ()
        else:
            w, found = app.add_judge(assessment_id, data.judge_id, ctx.cause(),
                                     expected_version(if_match), tuple(data.groups))
            if data.chair:  # 组长: writes the 综合评价意见 (services/windows.py)
                w = app.appoint_chair(assessment_id, data.judge_id, ctx.cause())
        names = of_assessment(app.assessment(assessment_id))
        return PanelAdded(data.judge_id, [RecusalOut(c.subject_id, c.category, c.reason,
                                                     names.subject(c.subject_id))
                                          for c in found], w.version, w.position,
                          names.person(data.judge_id))

    @get("/{assessment_id:uuid}/conflicts", opt=allow("admin", "auditor"), sync_to_thread=True,
         summary="Dry run: the recusals adding this judge would make")
    def conflicts(
        self, tenant: str, assessment_id: UUID, judge_id: UUID, container: Container
    ) -> list[ConflictOut]:
        app = container.app(tenant)
        names = of_assessment(app.assessment(assessment_id))
        return [ConflictOut(c.subject_id, c.category, c.reason, names.subject(c.subject_id))
                for c in app.conflicts(assessment_id, judge_id)]

    @post("/{assessment_id:uuid}/recusals", opt=allow("judge"), sync_to_thread=True,
          summary="A judge declares recusal (回避) from a subject, with a reason")
    def declare_recusal(
        self, tenant: str, assessment_id: UUID, data: RecusalIn, container: Container,
        ctx: RequestContext,
    ) -> Written:
        judge = ctx.principal.user_id if ctx.principal else None
        assert judge is not None
        w = container.app(tenant).declare_recusal(assessment_id, judge, data.subject_id,
                                                  ctx.cause(data.reason))
        return Written(w.id, w.version, w.position)

    @post("/{assessment_id:uuid}/draw", opt=allow("admin"), status_code=200, sync_to_thread=True,
          summary="Draw the presentation order by lot (the same seed gives the same order; "
                  "drawing again needs a reason)")
    def draw(
        self, tenant: str, assessment_id: UUID, data: DrawIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> DrawOut:
        seed = data.seed or secrets.token_hex(8)
        app = container.app(tenant)
        w, order = app.draw(assessment_id, seed, ctx.cause(data.reason),
                            expected_version(if_match))
        return DrawOut(seed, {g.group: list(g.subject_ids) for g in order}, w.version, w.position,
                       convert.order_groups(app.assessment(assessment_id), order))
