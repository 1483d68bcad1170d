"""Rubrics (评分细则): drafts, publication of immutable versions, reading them back."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.schemas import (
    RubricDraftOut,
    RubricDraftSummary,
    RubricIn,
    RubricListed,
    RubricPublished,
    RubricRead,
    RubricVersionRead,
    RubricVersionSummary,
    RubricWritten,
    points,
)
from adapters.http.waiting import await_position
from domain.rubric import Rubric

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]


def written(rubric: Rubric, version: int, position: int | None) -> RubricWritten:
    return RubricWritten(rubric.id, version, position, draft_of(rubric))


def draft_of(rubric: Rubric) -> RubricDraftOut:
    return convert.draft_out(rubric.name, rubric.step, rubric.indicators, rubric.total,
                             rubric.source)


def listed(doc: dict[str, Any]) -> RubricListed:
    def num(value: str | None) -> float | None:
        return points(Decimal(value)) if value is not None else None

    draft = doc["draft"]
    return RubricListed(
        doc["id"], doc["name"],
        RubricDraftSummary(draft["name"], num(draft["max_points"]), num(draft["total"]),
                           draft["unpublished"]),
        [RubricVersionSummary(v["number"], v["name"], num(v["max_points"]), num(v["total"]),
                              v["published_at"]) for v in doc["versions"]])


class RubricController(Controller):
    path = TENANT + "/rubrics"
    tags = ["rubrics"]

    @post("/", opt=allow("admin"), sync_to_thread=True, summary="Create a rubric draft")
    def create(
        self, tenant: str, data: RubricIn, container: Container, ctx: RequestContext
    ) -> RubricWritten:
        app = container.app(tenant)
        w = app.draft_rubric(data.name, data.step, convert.indicators(data.indicators), ctx.cause(),
                             data.total, data.source)
        return written(app.rubric(w.id), w.version, w.position)

    @put("/{rubric_id:uuid}", opt=allow("admin"), sync_to_thread=True,
         summary="Replace the draft (published versions never change)")
    def replace(
        self, tenant: str, rubric_id: UUID, data: RubricIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> RubricWritten:
        app = container.app(tenant)
        w = app.replace_rubric_draft(rubric_id, data.name, data.step,
                                     convert.indicators(data.indicators), ctx.cause(),
                                     expected_version(if_match), data.total, data.source)
        return written(app.rubric(w.id), w.version, w.position)

    @post("/{rubric_id:uuid}/publish", opt=allow("admin"), status_code=200, sync_to_thread=True,
          summary="Publish the draft as the next version")
    def publish(
        self, tenant: str, rubric_id: UUID, container: Container, ctx: RequestContext,
        if_match: IfMatch = None,
    ) -> RubricPublished:
        w, number = container.app(tenant).publish_rubric(rubric_id, ctx.cause(),
                                                         expected_version(if_match))
        return RubricPublished(rubric_id, number, w.version, w.position)

    @get("/{rubric_id:uuid}", opt=allow("admin", "auditor", "judge"), sync_to_thread=True,
         summary="The rubric's draft and its published versions")
    def read(self, tenant: str, rubric_id: UUID, container: Container) -> RubricRead:
        rubric = container.app(tenant).rubric(rubric_id)
        return RubricRead(rubric.id, rubric.version, draft_of(rubric), sorted(rubric.versions))

    @get("/", opt=allow("admin", "auditor", "judge"), sync_to_thread=True,
         before_request=await_position,
         summary="Every rubric: its draft and its published versions (number, date, points)")
    def list_rubrics(self, tenant: str, container: Container,
                     after: int | None = None) -> list[RubricListed]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            return [listed(doc) for doc in views.rubrics()]

    @get("/{rubric_id:uuid}/versions/{number:int}", opt=allow("admin", "auditor", "judge"),
         sync_to_thread=True, summary="One published version")
    def read_version(
        self, tenant: str, rubric_id: UUID, number: int, container: Container
    ) -> RubricVersionRead:
        rubric = container.app(tenant).rubric(rubric_id)
        return convert.version_out(rubric.id, rubric.published(number))
