"""Judges' scorecards, their assignments, the score board and the history of every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.openapi.spec import Example
from litestar.params import HeaderParameter, Parameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.names import of_assessment, of_board, people_of
from adapters.http.schemas import (
    Assignment,
    CardOut,
    CardRead,
    ChainOut,
    HistoryPage,
    ReasonIn,
    ReopenIn,
    ResultRow,
    Results,
    RubricPinOut,
    Scoreboard,
    ScoresIn,
    SelfAssessmentIn,
    SelfAssessmentRead,
    Written,
    points,
)
from adapters.http.sheets import results_file, wanted
from adapters.http.waiting import await_position
from adapters.http.windows import opinion_out
from adapters.http.zone import instant, zone_of
from adapters.postgres.idempotency import request_hash
from adapters.postgres.log import position_at
from adapters.postgres.versions import schema_of
from domain.board import BoardState
from domain.errors import NotFound
from domain.results import rows
from domain.rounding import DEFAULT_PLACES
from domain.scorecard import CardKey
from domain.shaping import components_of
from services.access import card_holder, check_board_open_to, check_may_replay, subjects_seen_by
from services.application import CardWritten
from services.publication import published_sheet
from services.replay import board_as_of

TENANT = "/api/v1/tenants/{tenant:str}"
CARD = "/{assessment_id:uuid}/scorecards/{subject_id:uuid}/{component:str}"
Limit = Annotated[int, Parameter(ge=1, le=1000)]
When = Annotated[str | None, Parameter(
    max_length=64, description="A full date and time, e.g. 2026-11-30T10:00:00+08:00; without "
    "an offset it is read in the tenant's time zone (default Asia/Shanghai)",
    examples=[Example(value="2026-11-30T10:00:00+08:00")])]
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False,
                                                       max_length=200)]


def card_out(w: CardWritten) -> CardOut:
    return CardOut(w.version, w.position, points(w.total), w.complete, w.submitted)


def once(
    container: Container, tenant: str, ctx: RequestContext, request: Request,
    idempotency_key: str | None, data: Any, write: Callable[[], CardOut],
) -> CardOut:
    if not idempotency_key:  # nothing to remember: no body to encode and hash
        return write()
    body = msgspec.json.encode(data, order="sorted")
    digest = request_hash(request.method, request.url.path, body)
    return container.once(tenant, ctx.cause().actor_id, idempotency_key, digest, write,
                          msgspec.json.encode, lambda raw: msgspec.convert(raw, CardOut))


def places_of(state: BoardState) -> int:
    return state.setup.precision if state.setup else DEFAULT_PLACES


def whose_card(ctx: RequestContext, judge_id: UUID | None) -> UUID:
    return card_holder(*ctx.viewer(), judge_id)


class ScoringController(Controller):
    path = TENANT + "/assessments"
    tags = ["scoring"]

    @put(CARD, opt=allow("judge"), sync_to_thread=True,
         summary="Record a judge's points, leaf by leaf (partial saves allowed)")
    def record(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        data: ScoresIn, container: Container, ctx: RequestContext, request: Request,
        idempotency_key: IdempotencyKey = None,
    ) -> CardOut:
        key = CardKey(assessment_id, subject_id, component, whose_card(ctx, None))

        return once(container, tenant, ctx, request, idempotency_key, data, lambda: card_out(
            container.app(tenant).record_scores(key, data.scores, ctx.cause(data.reason),
                                                data.comment)))

    @get(CARD + "/suggestions", opt=allow("judge", "admin", "auditor"), sync_to_thread=True,
         summary="Beside leaves with an evidence rule: matching activity records and a "
                 "suggested score (the judge decides)")
    def suggestions(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        container: Container, ctx: RequestContext,
    ) -> list[dict[str, Any]]:
        app = container.app(tenant)
        role, user_id = ctx.viewer()
        assessment = app.assessment_seen_by(assessment_id, role, user_id)
        subject = app.subject_seen_by(assessment, subject_id, role, user_id)
        container.caught_up(tenant)  # a read: it sees what was written before it began
        found = app.suggestions(assessment.setup.period, subject,
                                assessment.component(component))
        return [s | {"suggested": points(s["suggested"])} for s in found]

    @post(CARD + "/submit", opt=allow("judge"), status_code=200, sync_to_thread=True,
          summary="Submit a complete card")
    def submit(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        container: Container, ctx: RequestContext, request: Request,
        data: ReasonIn | None = None, idempotency_key: IdempotencyKey = None,
    ) -> CardOut:
        key = CardKey(assessment_id, subject_id, component, whose_card(ctx, None))
        reason = data.reason if data else None
        return once(container, tenant, ctx, request, idempotency_key, data, lambda: card_out(
            container.app(tenant).submit_card(key, ctx.cause(reason))))

    @post(CARD + "/reopen", opt=allow("admin", "judge"), status_code=200, sync_to_thread=True,
          summary="Reopen a submitted card, with a reason: a judge their own while the round "
                  "is open; the admin any judge's (judge_id) while it is open or closed")
    def reopen(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        data: ReopenIn, container: Container, ctx: RequestContext,
    ) -> CardOut:
        key = CardKey(assessment_id, subject_id, component, whose_card(ctx, data.judge_id))
        return card_out(container.app(tenant).reopen_card(key, ctx.cause(data.reason)))

    @get(CARD, opt=allow("judge", "admin", "auditor"), sync_to_thread=True,
         summary="A card as it stands")
    def read_card(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        container: Container, ctx: RequestContext, judge_id: UUID | None = None,
        version: Annotated[int | None, Parameter(ge=1)] = None,
    ) -> CardRead:
        key = CardKey(assessment_id, subject_id, component, whose_card(ctx, judge_id))
        card = container.app(tenant).card(key, version)
        return CardRead(subject_id, component, key.judge_id, card.version,
                        {code: points(p) for code, p in sorted(card.scores.items())},
                        points(card.total), card.submitted, card.comment)

    @get("/{assessment_id:uuid}/assignments", opt=allow("judge", "admin", "auditor"),
         sync_to_thread=True,
         before_request=await_position, summary="A judge's subjects and the state of each card")
    def assignments(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        judge_id: UUID | None = None, after: int | None = None,
    ) -> list[Assignment]:
        judge = whose_card(ctx, judge_id)
        app = container.app(tenant)
        assessment = app.assessment_seen_by(assessment_id, *ctx.viewer())
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            state = views.load_board(assessment_id) or BoardState(assessment_id)
        cards = {(c.subject_id, c.component): c for c in state.cards.values()
                 if c.judge_id == judge}
        groups = {g.key: g.name for g in assessment.setup.groups}
        result = []
        for subject in subjects_seen_by(assessment, "judge", judge):
            for component in components_of(assessment.setup, subject):  # its own
                card = cards.get((subject.id, component.key))
                status = ("not_started" if card is None
                          else "submitted" if card.submitted else "draft")
                result.append(Assignment(subject.id, subject.name, subject.group, component.key,
                                         status, points(card.total) if card else None,
                                         groups.get(subject.group), component.name))
        return result

    @get("/{assessment_id:uuid}/scoreboard", opt=allow("admin", "auditor", "judge"),
         sync_to_thread=True,
         before_request=await_position,
         summary="The board: each subject's aggregated scores, final, tier and rank "
                 "(judges once the round is closed)")
    def scoreboard(
        self, tenant: str, assessment_id: UUID, container: Container, ctx: RequestContext,
        request: Request, group: str | None = None, after: int | None = None,
        as_of: When = None,
    ) -> Scoreboard:
        moment = instant(as_of, zone_of(request.scope))
        app = container.app(tenant)
        role, user_id = ctx.viewer()
        assessment = app.assessment_seen_by(assessment_id, role, user_id)  # 404 if unseen
        check_board_open_to(assessment, role)
        seen = {x.id for x in subjects_seen_by(assessment, role, user_id)}
        if moment is not None:  # the board as it stood: the same fold over the log up to then
            check_may_replay(role)
            with container.tenant_db(tenant) as conn:
                position = position_at(conn, schema_of(tenant), moment)
            state = board_as_of(app, assessment_id, position)
            return Scoreboard(moment, position, True, [
                convert.row_out(row, of_board(state), places_of(state))
                for row in rows(state, group) if row.subject_id in seen])
        caught_up = container.caught_up(tenant, after)
        with container.views(tenant) as views:
            state = views.load_board(assessment_id) or BoardState(assessment_id)
        names = of_board(state)
        return Scoreboard(None, state.position, caught_up,
                          [convert.row_out(row, names, places_of(state))
                           for row in rows(state, group) if row.subject_id in seen])

    @get("/{assessment_id:uuid}/results", opt=allow("admin", "auditor", "judge", "reporter"),
         sync_to_thread=True,
         summary="Published results (公示): tiers; scores and ranks if the tenant publishes them"
                 " (Accept: .xlsx or text/csv gives the 公示 sheet, as results.xlsx does)")
    def results(self, tenant: str, assessment_id: UUID, container: Container,
                request: Request[Any, Any, Any], ctx: RequestContext) -> Results:
        if (ext := wanted(request)) is not None:
            return results_file(container, tenant, assessment_id, ctx, ext)  # type: ignore[return-value]
        app = container.app(tenant)
        assessment = app.assessment(assessment_id)
        sheet = published_sheet(app, assessment)  # as stored, never recomputed; 409 if none
        ranks, places = assessment.setup.publish_ranks, sheet.precision
        opinions = app.published_opinions(assessment)  # none unless the round publishes them
        return Results(assessment_id, assessment.status, ranks, [
            ResultRow(r.subject_id, r.name, r.group, r.tier,
                      points(r.final, places) if ranks else None, r.rank if ranks else None,
                      *opinion_out(opinions.get(r.subject_id)))
            for r in sheet.lines], ChainOut(sheet.log_position, sheet.log_head),
            [RubricPinOut(p.component, p.component_name, p.rubric_id, p.rubric_name, p.version)
             for p in sheet.rubrics], places, assessment.setup.publish_opinions)

    @put("/{assessment_id:uuid}/self-assessments/{subject_id:uuid}/{component:str}",
         opt=allow("reporter"), sync_to_thread=True,
         summary="自查自评: the subject's own scores, with evidence")
    def self_assess(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        data: SelfAssessmentIn, container: Container, ctx: RequestContext,
    ) -> Written:
        app = container.app(tenant)
        assert ctx.principal is not None and ctx.principal.user_id is not None
        reporter = app.user(ctx.principal.user_id)
        key = CardKey(assessment_id, subject_id, component, ctx.principal.user_id)
        w = app.record_self_assessment(
            key, data.scores, tuple(data.evidence_ids), reporter, ctx.cause(),
            {code: tuple(ids) for code, ids in data.evidence.items()})
        return Written(w.id, w.version, w.position)

    @get("/{assessment_id:uuid}/self-assessments/{subject_id:uuid}/{component:str}",
         opt=allow("judge", "admin", "auditor", "reporter"), sync_to_thread=True,
         summary="The subject's self-assessment, as judges see it beside their cards")
    def read_self_assessment(
        self, tenant: str, assessment_id: UUID, subject_id: UUID, component: str,
        container: Container, ctx: RequestContext,
    ) -> SelfAssessmentRead:
        app = container.app(tenant)
        role, user_id = ctx.viewer()
        assessment = app.assessment_seen_by(assessment_id, role, user_id)
        subject = app.subject_seen_by(assessment, subject_id, role, user_id)
        app.check_reads_self_assessment(subject, role, user_id)
        own = app.self_assessment(assessment_id, subject_id, component)
        if own is None:
            raise NotFound("no self-assessment for this subject and component")
        return SelfAssessmentRead(subject_id, component, {c: points(p) for c, p in
                                                          sorted(own.scores.items())},
                                  points(own.total), list(own.evidence_ids),
                                  {code: list(ids) for code, ids in own.by_indicator.items()},
                                  own.late)

    @get("/{assessment_id:uuid}/history", opt=allow("admin", "auditor"), sync_to_thread=True,
         summary="Every change of the assessment: who, when, what (old → new), why")
    def history(
        self, tenant: str, assessment_id: UUID, container: Container, request: Request,
        subject_id: UUID | None = None, judge_id: UUID | None = None,
        component: str | None = None, type: str | None = None,
        since: When = None, until: When = None,
        after: int | None = None, limit: Limit = 100,
    ) -> HistoryPage:
        zone = zone_of(request.scope)
        since, until = instant(since, zone, "since"), instant(until, zone, "until")
        assessment = container.app(tenant).assessment(assessment_id)
        container.caught_up(tenant)
        names = of_assessment(assessment, people_of(container, tenant))
        with container.views(tenant) as views:
            found = views.history(assessment_id, subject_id=subject_id, judge_id=judge_id,
                                  component=component, type=type, since=since, until=until,
                                  after=after or 0, limit=limit + 1)
        page = found[:limit]
        more = len(found) > limit
        return HistoryPage([convert.history_out(r, names) for r in page],
                           page[-1]["position"] if more else None)
