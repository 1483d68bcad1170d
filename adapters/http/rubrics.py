"""Rubrics (评分细则): drafts, publication of immutable versions, reading them back."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http import convert
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.schemas import (
    RubricIn,
    RubricPublished,
    RubricRead,
    RubricVersionRead,
    RubricWritten,
)
from domain.rubric import Rubric

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]


def written(rubric: Rubric, version: int, position: int | None) -> RubricWritten:
    return RubricWritten(rubric.id, version, position,
                         convert.draft_out(rubric.name, rubric.step, rubric.indicators))


class RubricController(Controller):
    path = TENANT + "/rubrics"
    tags = ["rubrics"]

    @post("/", opt=allow("admin"), sync_to_thread=True, summary="Create a rubric draft")
    def create(
        self, tenant: str, data: RubricIn, container: Container, ctx: RequestContext
    ) -> RubricWritten:
        app = container.app(tenant)
        w = app.draft_rubric(data.name, data.step, convert.indicators(data.indicators), ctx.cause())
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
                                     expected_version(if_match))
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
        return RubricRead(rubric.id, rubric.version,
                          convert.draft_out(rubric.name, rubric.step, rubric.indicators),
                          sorted(rubric.versions))

    @get("/{rubric_id:uuid}/versions/{number:int}", opt=allow("admin", "auditor", "judge"),
         sync_to_thread=True, summary="One published version")
    def read_version(
        self, tenant: str, rubric_id: UUID, number: int, container: Container
    ) -> RubricVersionRead:
        rubric = container.app(tenant).rubric(rubric_id)
        return convert.version_out(rubric.id, rubric.published(number))
