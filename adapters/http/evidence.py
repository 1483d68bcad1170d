"""佐证材料: uploads streamed to disk, and the file opened by those who may see it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote
from uuid import UUID

import anyio.to_thread
from litestar import Controller, Request, get, post
from litestar.response import File

from adapters.container import Container
from adapters.evidence import FileEvidenceStore, Spool, sniff
from adapters.evidence_check import Refused
from adapters.http import schemas as s
from adapters.http.auth import allow
from adapters.http.bodies import UPLOAD
from adapters.http.context import RequestContext
from adapters.http.uploads import FIELDS_MAX, UploadOperation, receive_upload
from domain.errors import FieldError, NotFound, RuleViolated
from domain.evidence import check_dated, display_name
from services.evidence import UploadLimits

TENANT = "/api/v1/tenants/{tenant:str}"
SAFE_NAME = re.compile(r"[A-Za-z0-9._ ()+-]+")
FORM_OVERHEAD = FIELDS_MAX + 4096  # the most a form's boundaries and fields add to a file


def store_of(container: Container) -> FileEvidenceStore:
    return FileEvidenceStore(container.settings.data_dir / "evidence")


def limits_of(container: Container) -> UploadLimits:
    settings = container.settings
    return UploadLimits(settings.evidence_quota_bytes, settings.evidence_daily_bytes_per_user)


def checked_kind(spool: Spool, filename: str) -> str:
    """The file's type, told by its content and checked by its format's parser (422 if the
    content is not an accepted type, is disguised or broken, or carries active content)."""
    try:
        kind = sniff(spool.head, filename, spool.path)
    except Refused as refused:
        raise RuleViolated(str(refused), (FieldError("file", str(refused)),)) from None
    if kind is None:
        raise RuleViolated("this file type is not accepted as evidence",
                           (FieldError("file", "pdf, doc(x), ppt(x), xls(x), jpg, png or "
                                               "mp4, told by its content"),))
    return kind


def disposition(filename: str) -> str:
    """``attachment`` with the original name: RFC 6266 / RFC 5987 (``filename*``, UTF-8) so
    a Chinese name arrives intact, and a plain ASCII ``filename`` for old clients."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fallback = filename if SAFE_NAME.fullmatch(filename) else "evidence" + (
        f".{suffix}" if SAFE_NAME.fullmatch(suffix) else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def take_evidence(request: Request[Any, Any, Any], container: Container, tenant: str,
                        ctx: RequestContext, received: Any = None) -> s.EvidenceOut:
    """Receive one upload (streamed to disk), check its type by its content and the quotas,
    and register it: what ``POST /evidence`` does, for the API and the pages alike.
    ``received``: a coroutine function (request, store) → ``Upload`` that receives it
    otherwise (a page's form the CSRF check has read already)."""
    store, limits, today = store_of(container), limits_of(container), ctx.today()
    app = container.app(tenant)
    declared = request.headers.get("content-length", "")
    if declared.isdigit():  # a file that cannot fit is refused before it is received
        least = max(0, int(declared) - FORM_OVERHEAD)
        await anyio.to_thread.run_sync(app.check_upload, least, today, limits, ctx.cause())
    upload = await (received or receive_upload)(request, store)  # on disk by now
    try:
        assert upload.spool is not None
        spool = upload.spool
        await anyio.to_thread.run_sync(spool.finish)  # all of it on disk: sniff may read it
        kind = await anyio.to_thread.run_sync(checked_kind, spool, upload.filename)
        dated = upload.dated() or today  # the tenant's day, not UTC's
        check_dated(dated, today)

        def keep() -> Any:
            app.check_upload(spool.size, today, limits, ctx.cause())
            new = not store.path_of(spool.finish()).exists()
            sha256 = store.keep(spool)
            try:
                return sha256, app.register_evidence(
                    sha256, spool.size, kind, upload.filename, dated, today, limits,
                    ctx.cause())
            except Exception:
                if new:  # refused at the save (another upload took the room): not kept
                    store.path_of(sha256).unlink(missing_ok=True)
                raise

        sha256, w = await anyio.to_thread.run_sync(keep)
    finally:
        await anyio.to_thread.run_sync(upload.discard)  # if it was not kept
    return s.EvidenceOut(w.id, sha256, spool.size, kind, dated, w.version, w.position)


class EvidenceController(Controller):
    path = TENANT
    tags = ["activities"]

    @post("/evidence", opt={**allow("admin", "reporter"), UPLOAD: True},
          operation_class=UploadOperation,
          summary="Upload 佐证材料 (pdf, doc/docx, ppt/pptx, xls/xlsx, jpg, png, mp4)")
    async def upload(self, tenant: str, request: Request[Any, Any, Any], container: Container,
                     ctx: RequestContext) -> s.EvidenceOut:
        return await take_evidence(request, container, tenant, ctx)

    @get("/evidence/{evidence_id:uuid}/content", opt=allow("admin", "auditor", "judge",
                                                           "reporter"),
         sync_to_thread=True,
         summary="The evidence file, with its type: to admins, auditors, its reporter and the "
                 "judges of an assessment it is given in (404 to anyone else)")
    def content(self, tenant: str, evidence_id: UUID, container: Container,
                ctx: RequestContext) -> File:
        principal = ctx.principal
        assert principal is not None
        evidence = container.app(tenant).evidence_to_open(evidence_id, principal.role,
                                                          principal.user_id)
        path = store_of(container).path_of(evidence.sha256)
        if not path.is_file():
            raise NotFound(f"the file of evidence {evidence_id} is missing from the store")
        return File(path=path, media_type=evidence.content_type,
                    headers={"content-disposition": disposition(display_name(evidence.filename))})
