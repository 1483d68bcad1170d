"""佐证材料 uploaded from a page's form: the same checks and the same service as the API's
``POST /evidence`` (``adapters/http/evidence.py``): its type told by its content, the day it
is from, the district's quota and the uploader's daily limit, then kept under its hash and
registered. A page's form is parsed by the framework (its file part spooled to disk past
1 MB), so the file is copied to the store's spool from there, chunk by chunk."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar.datastructures import UploadFile

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.evidence import checked_kind, limits_of, store_of
from domain.errors import FieldError, RuleViolated
from domain.evidence import check_dated, megabytes
from services.base import Written

CHUNK = 1024 * 1024
NO_FILE = "请先选择要上传的文件"


def dated_of(text: str, today: date) -> date:
    if not text:
        return today  # as the API: the day of the upload, in the tenant's zone
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleViolated("材料日期须为日期，格式为 YYYY-MM-DD",
                           (FieldError("dated", "例如 2026-03-15"),)) from None


def keep_upload(container: Container, tenant: str, upload: Any, dated_text: str,
                ctx: RequestContext) -> Written:
    """Keep and register one uploaded file (blocking: call it in a worker thread)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise RuleViolated(NO_FILE, (FieldError("file", NO_FILE),))
    today, limits = ctx.today(), limits_of(container)
    dated = dated_of(dated_text, today)
    check_dated(dated, today)
    app, store = container.app(tenant), store_of(container)
    most = container.settings.evidence_max_bytes
    spool = store.spool()
    try:
        upload.file.seek(0)
        while chunk := upload.file.read(CHUNK):
            spool.write(chunk)
            if spool.size > most:
                raise RuleViolated(f"文件过大：上限为 {megabytes(most)}",
                                   (FieldError("file", f"上限为 {megabytes(most)}"),))
        spool.finish()
        if spool.size == 0:
            raise RuleViolated("文件是空的", (FieldError("file", "请选择有内容的文件"),))
        kind = checked_kind(spool, upload.filename)
        app.check_upload(spool.size, today, limits, ctx.cause())
        new = not store.path_of(spool.finish()).exists()
        sha256 = store.keep(spool)
        try:
            return app.register_evidence(sha256, spool.size, kind, upload.filename, dated,
                                         today, limits, ctx.cause())
        except Exception:
            if new:  # refused at the save (another upload took the room): not kept
                store.path_of(sha256).unlink(missing_ok=True)
            raise
    finally:
        spool.discard()  # a kept file was moved away already: this drops only a refused one
