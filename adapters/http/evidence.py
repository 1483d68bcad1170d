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
from adapters.evidence import FileEvidenceStore, sniff
from adapters.http import schemas as s
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.uploads import UploadOperation, receive_upload
from domain.errors import FieldError, NotFound, RuleViolated

TENANT = "/api/v1/tenants/{tenant:str}"
SAFE_NAME = re.compile(r"[A-Za-z0-9._ ()+-]+")


def store_of(container: Container) -> FileEvidenceStore:
    return FileEvidenceStore(container.settings.data_dir / "evidence")


def disposition(filename: str) -> str:
    """``attachment`` with the original name: RFC 6266 / RFC 5987 (``filename*``, UTF-8) so
    a Chinese name arrives intact, and a plain ASCII ``filename`` for old clients."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fallback = filename if SAFE_NAME.fullmatch(filename) else "evidence" + (
        f".{suffix}" if SAFE_NAME.fullmatch(suffix) else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class EvidenceController(Controller):
    path = TENANT
    tags = ["activities"]

    @post("/evidence", opt=allow("admin", "reporter"), operation_class=UploadOperation,
          summary="Upload 佐证材料 (pdf, doc/docx, ppt/pptx, xls/xlsx, jpg, png, mp4)")
    async def upload(self, tenant: str, request: Request[Any, Any, Any], container: Container,
                     ctx: RequestContext) -> s.EvidenceOut:
        store = store_of(container)
        upload = await receive_upload(request, store)  # on disk by now, never whole in memory
        try:
            assert upload.spool is not None
            spool = upload.spool
            await anyio.to_thread.run_sync(spool.finish)  # all of it on disk: sniff may read it
            kind = await anyio.to_thread.run_sync(sniff, spool.head, upload.filename, spool.path)
            if kind is None:
                raise RuleViolated("this file type is not accepted as evidence",
                                   (FieldError("file", "pdf, doc(x), ppt(x), xls(x), jpg, png or "
                                                       "mp4, told by its content"),))
            dated = upload.dated() or ctx.today()  # the tenant's day, not UTC's

            def keep() -> Any:
                sha256 = store.keep(spool)
                return sha256, container.app(tenant).register_evidence(
                    sha256, spool.size, kind, upload.filename, dated, ctx.cause())

            sha256, w = await anyio.to_thread.run_sync(keep)
        finally:
            await anyio.to_thread.run_sync(upload.discard)  # if it was not kept
        return s.EvidenceOut(w.id, sha256, spool.size, kind, dated, w.version, w.position)

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
                    headers={"content-disposition": disposition(evidence.filename)})
