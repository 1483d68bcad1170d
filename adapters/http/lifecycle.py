"""The round's lifecycle (open → closed → finalised → published, closed → open again) and
its progress (评分进度): who still owes which cards."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.schemas import (
    CardProgress,
    CloseIn,
    FinaliseIn,
    JudgeProgress,
    Progress,
    RoundReopenIn,
    StatusOut,
    SubjectProgress,
)
from adapters.http.waiting import await_position
from adapters.postgres.log import head as log_head
from adapters.postgres.versions import schema_of
from domain.assessment import Assessment
from domain.board import BoardState
from domain.progress import cells, counts

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
LABELS = {"not_started": "未开始", "saved": "已保存", "reopened": "已退回",
          "submitted": "已提交", "recused": "回避"}


class LifecycleController(Controller):
    path = TENANT + "/assessments"
    tags = ["assessments"]

    def _advance(
        self, tenant: str, assessment_id: UUID, to: str, container: Container,
        ctx: RequestContext, if_match: str | None, override: str | None = None,
    ) -> StatusOut:
        cause = ctx.cause(override) if override is not None else ctx.cause()
        w = container.app(tenant).advance(assessment_id, to, cause, expected_version(if_match),
                                          override=override is not None)
        return StatusOut(assessment_id, to, w.version, w.position)

    @post("/{assessment_id:uuid}/open", opt=allow("admin"), status_code=200, sync_to_thread=True,
          summary="Open for scoring")
    def open(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        if_match: IfMatch = None,
    ) -> StatusOut:
        return self._advance(tenant, assessment_id, "open", container, ctx, if_match)

    @post("/{assessment_id:uuid}/close", opt=allow("admin"), status_code=200,
          sync_to_thread=True,
          summary="Close scoring: 409 listing the missing cards unless {force: reason}")
    def close(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        data: CloseIn | None = None, if_match: IfMatch = None,
    ) -> StatusOut:
        force = data.force if data else None
        return self._advance(tenant, assessment_id, "closed", container, ctx, if_match, force)

    @post("/{assessment_id:uuid}/reopen", opt=allow("admin"), status_code=200,
          sync_to_thread=True,
          summary="Reopen a closed round for scoring (closed → open), with a reason")
    def reopen(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        data: RoundReopenIn | None = None, if_match: IfMatch = None,
    ) -> StatusOut:
        w = container.app(tenant).reopen_round(
            assessment_id, ctx.cause(data.reason if data else None), expected_version(if_match))
        return StatusOut(assessment_id, "open", w.version, w.position)

    @post("/{assessment_id:uuid}/finalise", opt=allow("admin"), status_code=200,
          sync_to_thread=True,
          summary="Freeze the results: 409 listing missing cards and subjects below quorum "
                  "unless {accept_incomplete: reason}")
    def finalise(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        data: FinaliseIn | None = None, if_match: IfMatch = None,
    ) -> StatusOut:
        accept = data.accept_incomplete if data else None
        return self._advance(tenant, assessment_id, "finalised", container, ctx, if_match,
                             accept)

    @post("/{assessment_id:uuid}/publish", opt=allow("admin"), status_code=200,
          sync_to_thread=True, summary="Publish the results (公示)")
    def publish(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        if_match: IfMatch = None,
    ) -> StatusOut:
        with container.tenant_db(tenant) as conn:
            position, head = log_head(conn, schema_of(tenant))
        w = container.app(tenant).publish(assessment_id, position, head, ctx.cause(),
                                          expected_version(if_match))
        return StatusOut(assessment_id, "published", w.version, w.position)

    @get("/{assessment_id:uuid}/progress", opt=allow("admin", "auditor"), sync_to_thread=True,
         before_request=await_position,
         summary="评分进度: per judge and per subject, the cards not started, saved and "
                 "submitted; recused pairs shown as 回避")
    def progress(
        self, tenant: str, assessment_id: UUID, container: Container, after: int | None = None,
    ) -> Progress:
        assessment = container.app(tenant).assessment(assessment_id)  # 404 if unknown
        caught_up = container.caught_up(tenant, after)
        with container.views(tenant) as views:
            state = views.load_board(assessment_id) or BoardState(assessment_id)
        return progress_out(assessment, in_order(state, assessment), caught_up)


def in_order(state: BoardState, assessment: Assessment) -> BoardState:
    """The view keeps no order: put judges in panel order, subjects in the order added."""
    def ordered(found: dict, keys: list[str]) -> dict:  # type: ignore[type-arg]
        return {k: found[k] for k in keys if k in found} | found

    state.panel = ordered(state.panel, [str(j) for j in assessment.panel])
    state.subjects = ordered(state.subjects, [str(s) for s in assessment.subjects])
    return state


def progress_out(assessment: Assessment, state: BoardState, caught_up: bool) -> Progress:
    found = cells(state)
    subjects = {s.id: s for s in state.subjects.values()}
    groups = {g.key: g.name for g in assessment.setup.groups}
    components = {c.key: c.name for c in assessment.setup.components}
    judges = []
    for judge, name in state.panel.items():
        mine = [c for c in found if str(c.judge_id) == judge]
        recused = sorted({subjects[c.subject_id].name for c in mine if c.state == "recused"})
        judges.append(JudgeProgress(UUID(judge), name, **counts(mine),
                                    recused_subjects=recused))
    lines = [SubjectProgress(s.id, s.name, s.group, groups.get(s.group),
                             **counts([c for c in found if c.subject_id == s.id]))
             for s in subjects.values()]
    cards = [CardProgress(c.judge_id, state.panel[str(c.judge_id)], c.subject_id,
                          subjects[c.subject_id].name, c.component,
                          components.get(c.component, c.component), c.state, LABELS[c.state])
             for c in found]
    return Progress(assessment.id, state.status, state.position, caught_up, judges, lines,
                    cards)
