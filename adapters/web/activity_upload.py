"""佐证材料 for an activity's summary, uploaded from the school's activity page.

The upload is ``POST /evidence``'s own (``adapters.http.evidence.take_evidence``: streamed to
disk, its type told by its content, the quotas checked), after the page has checked that
the activity is the reporter's. The evidence uploaded so far rides along in the address
(``?evidence=…``) until the summary names it; with htmx only the evidence part of the page
is replaced, so a summary being typed is not lost. A refusal (a file type not accepted, a
date outside the period) is shown beside the file input, in Chinese."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.exceptions import ValidationException
from litestar.response import Redirect

from adapters.container import Container
from adapters.evidence import FileEvidenceStore
from adapters.http.activities import ActivityController
from adapters.http.bodies import UPLOAD
from adapters.http.context import RequestContext
from adapters.http.evidence import EvidenceController, take_evidence
from adapters.http.i18n import translate
from adapters.http.uploads import Upload
from adapters.web import activity_views as views
from adapters.web.activity_school import ONE, detail, enter, home_of, kept_ids, with_evidence
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.errors import status_of
from adapters.web.judge_forms import Refusal
from adapters.web.session import role_before_body
from adapters.web.templating import Page as Template
from domain.errors import DomainError
from tenants.model import Principal

PARTIAL = "activities/_evidence.html"
CHUNK = 1 << 16


async def read_form(request: Request[Any, Any, Any], store: FileEvidenceStore) -> Upload:
    """A form without JavaScript carries its CSRF token in the body, so the CSRF check has
    parsed the form already (litestar keeps it): its file is copied to a spool in chunks."""
    form = await request.form()
    given = form.get("file")
    if not isinstance(given, UploadFile):
        raise ValidationException("the form has no file", extra=[
            {"key": "file", "message": "required"}])
    upload = Upload(filename=given.filename or "",
                    fields={"dated": str(form.get("dated") or "")})
    upload.spool = await anyio.to_thread.run_sync(store.spool)
    try:
        while chunk := await given.read(CHUNK):
            await anyio.to_thread.run_sync(upload.spool.write, chunk)
    except BaseException:
        upload.discard()
        raise
    return upload


def refusal_of(exc: Exception) -> tuple[Refusal, int]:
    if isinstance(exc, DomainError):
        refusal = Refusal.of(exc)
        if not refusal.fields:
            refusal.fields["file"] = refusal.message
        elif "file" in refusal.fields and refusal.message not in refusal.fields["file"]:
            # The evidence part is all an htmx upload replaces: the field says it all.
            refusal.fields["file"] = f"{refusal.message}：{refusal.fields['file']}"
        return refusal, status_of(exc)
    assert isinstance(exc, ValidationException)
    fields = {str(e.get("key", "file")): translate(str(e.get("message", "")))
              for e in (exc.extra or []) if isinstance(e, dict)}
    detail_text = translate(str(exc.detail))
    return Refusal(detail_text, fields or {"file": detail_text}), 400


@post(ONE + "/evidence", opt={**PAGE, UPLOAD: True}, dependencies=SIGNED_IN,
      middleware=[role_before_body("reporter")])
async def upload_evidence(request: Request[Any, Any, Any], tenant: str, activity_id: UUID,
                          who: Principal, container: Container,
                          ctx: RequestContext) -> Template | Redirect:
    await anyio.to_thread.run_sync(
        enter, request, who, ActivityController.summarise, EvidenceController.upload)
    kept = kept_ids(request.query_params.getall("evidence", []))
    user = await anyio.to_thread.run_sync(views.reporter, container, tenant, who)
    await anyio.to_thread.run_sync(views.story, container, tenant, activity_id, user)  # 404?
    htmx = request.headers.get("hx-request") == "true"
    try:
        out = await take_evidence(request, container, tenant, ctx,
                                  None if request.headers.get("x-csrftoken") else read_form)
    except (DomainError, ValidationException) as exc:
        refusal, status = refusal_of(exc)
        return await anyio.to_thread.run_sync(lambda: detail(
            who, container, tenant, activity_id, refusal, None, kept,
            status=200 if htmx else status, name=PARTIAL if htmx else
            "activities/school_activity.html"))
    kept.append(out.id)
    if htmx:
        return await anyio.to_thread.run_sync(lambda: detail(
            who, container, tenant, activity_id, kept=kept, done="uploaded", name=PARTIAL))
    return Redirect(with_evidence(f"{home_of(tenant)}/{activity_id}", kept, "uploaded"),
                    status_code=303)


ACTIVITY_UPLOAD = [upload_evidence]
