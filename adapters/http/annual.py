"""年度考核: annual reviews over HTTP — create, manual parts, the board (as of any moment),
its history and its check against the events (ADR 0026)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.exceptions import ServiceUnavailableException
from litestar.params import HeaderParameter, Parameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.annual_out import board_out, line_out, part_of, read_out
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.names import Names, people_of
from adapters.http.org_levels import check_in_scope, in_scope
from adapters.http.schemas import HistoryPage, Written
from adapters.http.schemas.annual import (
    AnnualBoard,
    AnnualMismatch,
    AnnualReviewCreate,
    AnnualReviewRead,
    AnnualReviewSummary,
    AnnualSchoolLine,
    AnnualVerification,
    ManualPartIn,
    ManualPartWritten,
)
from adapters.http.scoring import When
from adapters.http.waiting import await_position
from adapters.http.zone import instant, zone_of
from adapters.postgres.annual_log import stream_positions
from adapters.postgres.log import position_at
from adapters.postgres.versions import schema_of
from domain.annual_board import line_of, lines
from domain.errors import NotFound
from services.access import annual_line_open_to
from services.annual import ReviewSpec, compare_annual

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
Limit = Annotated[int, Parameter(ge=1, le=1000)]
READERS = allow("admin", "auditor")
# 年度考核 to the schools: a reporter reads their own school's line of a published review.
LINE_READERS = allow("admin", "auditor", "reporter")
NOT_YET = "the annual review is not on the board yet: try again with ?after="


def board_of(container: Container, tenant: str, review_id: UUID, moment: datetime | None,
             after: int | None = None) -> AnnualBoard:
    """The live board from the view, or (``moment``) the same fold over the log up to then."""
    app = container.app(tenant)
    if moment is not None:
        with container.tenant_db(tenant) as conn:
            position = position_at(conn, schema_of(tenant), moment)
            positions = stream_positions(conn, schema_of(tenant), review_id)
        return board_out(app.annual_at(review_id, positions, position), moment, position, True)
    app.annual_review(review_id)  # 404 before waiting on the view
    caught_up = container.caught_up(tenant, after)
    with container.views(tenant) as views:
        state = views.load_annual(review_id)
    if state is None:
        raise NotFound(NOT_YET)
    return board_out(state, None, state.position, caught_up)


def school_line_of(container: Container, tenant: str, review_id: UUID, school_id: UUID,
                   role: str, user_id: UUID | None,
                   after: int | None = None) -> AnnualSchoolLine:
    """One school's line as it stands, if the caller may read it (a reporter: their own
    school's, once the review is published to the schools; otherwise 404)."""
    app = container.app(tenant)
    review = app.annual_review(review_id)  # 404 if there is none
    app.check_reads_annual_line(review_id, review.published, school_id, role, user_id)
    caught_up = container.caught_up(tenant, after)
    with container.views(tenant) as views:
        state = views.load_annual(review_id)
    if state is None:
        raise NotFound(NOT_YET)
    line = line_of(state, school_id)
    if line is None:
        raise NotFound("the school has no line in this annual review")
    return line_out(state, line, caught_up)


class AnnualReviewController(Controller):
    path = TENANT + "/annual-reviews"
    tags = ["annual reviews"]

    @post("/", opt=allow("admin"), sync_to_thread=True,
          summary="Create a school year's annual review (年度考核) from published assessments")
    def create(self, tenant: str, data: AnnualReviewCreate, container: Container,
               ctx: RequestContext) -> Written:
        spec = ReviewSpec(data.year, data.name, tuple(
            part_of(i, p) for i, p in enumerate(data.parts)))
        check_in_scope(container, tenant, ctx, *(p.assessment_id for p in data.parts))
        w = container.app(tenant).create_review(spec, ctx.cause(), ctx.scope)
        return Written(w.id, w.version, w.position)

    @get("/", opt=LINE_READERS, sync_to_thread=True, before_request=await_position,
         summary="The annual reviews, newest year first (a reporter: the published ones "
                 "with a line for their school)")
    def list_all(self, tenant: str, container: Container, ctx: RequestContext,
                 after: int | None = None) -> list[AnnualReviewSummary]:
        container.caught_up(tenant, after)
        role, user_id = ctx.viewer()
        mine = (container.app(tenant).user(user_id).affiliations
                if role == "reporter" and user_id is not None else ())
        found = []
        with container.views(tenant) as views:
            for r in in_scope(container, tenant, ctx, views.annual_reviews(), "review_id"):
                state = views.load_annual(r["review_id"])
                published = state is not None and state.published
                if role == "reporter" and not any(
                        annual_line_open_to(published, line.school_id, role, mine)
                        for line in (lines(state) if state is not None else ())):
                    continue
                found.append(AnnualReviewSummary(r["review_id"], r["year"], r["name"],
                                                 r["version"], published))
        return found

    @get("/{review_id:uuid}", opt=READERS, sync_to_thread=True,
         summary="An annual review: its year, name and parts")
    def read(self, tenant: str, review_id: UUID, container: Container) -> AnnualReviewRead:
        app = container.app(tenant)
        review = app.annual_review(review_id)
        return read_out(review, app)

    @post("/{review_id:uuid}/manual-parts", opt=allow("admin"), sync_to_thread=True,
          summary="Enter a part by hand for one school, with evidence and a reason")
    def manual_part(self, tenant: str, review_id: UUID, data: ManualPartIn,
                    container: Container, ctx: RequestContext,
                    if_match: IfMatch = None) -> ManualPartWritten:
        check_in_scope(container, tenant, ctx, data.school_id)
        w, key = container.app(tenant).enter_manual_part(
            review_id, data.school_id, data.label, data.points, tuple(data.evidence_ids),
            ctx.cause(data.reason), expected_version(if_match))
        return ManualPartWritten(w.id, key, w.version, w.position)

    @post("/{review_id:uuid}/publish", opt=allow("admin"), status_code=200,
          sync_to_thread=True,
          summary="公布 the annual review to the schools: each school's reporter then reads "
                  "their own school's line")
    def publish(self, tenant: str, review_id: UUID, container: Container,
                ctx: RequestContext, if_match: IfMatch = None) -> Written:
        w = container.app(tenant).publish_review(review_id, ctx.cause(),
                                                 expected_version(if_match))
        return Written(w.id, w.version, w.position)

    @get("/{review_id:uuid}/schools/{school_id:uuid}", opt=LINE_READERS, sync_to_thread=True,
         before_request=await_position,
         summary="One school's annual line: each part with its source and converted value, "
                 "and the total (a reporter: their own school's, once published)")
    def school_line(self, tenant: str, review_id: UUID, school_id: UUID,
                    container: Container, ctx: RequestContext,
                    after: int | None = None) -> AnnualSchoolLine:
        role, user_id = ctx.viewer()
        return school_line_of(container, tenant, review_id, school_id, role, user_id, after)

    @get("/{review_id:uuid}/board", opt=READERS, sync_to_thread=True,
         before_request=await_position,
         summary="Each school's annual line: every part with its source and converted value, "
                 "and the total; what the last version changed")
    def board(self, tenant: str, review_id: UUID, container: Container, request: Request,
              after: int | None = None, as_of: When = None) -> AnnualBoard:
        return board_of(container, tenant, review_id, instant(as_of, zone_of(request.scope)),
                        after)

    @get("/{review_id:uuid}/history", opt=READERS, sync_to_thread=True,
         summary="Every change of the annual review: who, when, what, why")
    def history(self, tenant: str, review_id: UUID, container: Container,
                after: int | None = None, limit: Limit = 100) -> HistoryPage:
        container.app(tenant).annual_review(review_id)
        container.caught_up(tenant)
        with container.views(tenant) as views:
            found = views.history(review_id, after=after or 0, limit=limit + 1)
        names = Names(people=people_of(container, tenant))
        page = found[:limit]
        return HistoryPage([convert.history_out(r, names) for r in page],
                           page[-1]["position"] if len(found) > limit else None)

    @get("/{review_id:uuid}/verify", opt=allow("auditor", "admin"), sync_to_thread=True,
         summary="Recompute the annual board from the events alone; compare with the board, "
                 "and each source with its round's last publication")
    def verify(self, tenant: str, review_id: UUID, container: Container) -> AnnualVerification:
        app = container.app(tenant)
        with container.tenant_db(tenant) as conn:
            positions = stream_positions(conn, schema_of(tenant), review_id)
        recomputed = app.annual_at(review_id, positions)
        if not container.caught_up(tenant):  # a lagging board is not a mismatch: say so
            raise ServiceUnavailableException("the board is still catching up with the log; "
                                              "try again in a moment",
                                              headers={"Retry-After": "2"})
        with container.views(tenant) as views:
            projected = views.load_annual(review_id)
        found = compare_annual(recomputed, projected) + app.stale_sources(recomputed)
        return AnnualVerification(not found, recomputed.version, [
            AnnualMismatch(d.school_id, d.name, d.field, d.expected, d.found) for d in found])
