"""Receiving an evidence upload: the multipart body is parsed as it arrives and the file part
goes straight to a spool on disk (hashed on the way), never held whole in memory.

The size limit is enforced on the stream by ``strict_bodies``: past it, reading raises 413,
and the spool is dropped, so a refused upload leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from multipart import MultipartSegment, ParserError, PushMultipartParser, parse_options_header

from adapters.evidence import FileEvidenceStore, Spool

FIELDS_MAX = 4096  # the form's plain fields (``dated``) are short


@dataclass
class Upload:
    """The file part (spooled) and the plain fields of an evidence form."""

    spool: Spool | None = None
    filename: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def dated(self) -> date | None:
        given = self.fields.get("dated", "").strip()
        if not given:
            return None
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise ValidationException("dated is a date, YYYY-MM-DD", extra=[
                {"key": "dated", "message": "a date, YYYY-MM-DD"}]) from None

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.discard()


async def receive_upload(request: Request[Any, Any, Any], store: FileEvidenceStore) -> Upload:
    """Parse the request's multipart body as it streams in; the ``file`` part is written to a
    spool in the store's disk (in a worker thread, chunk by chunk)."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise ValidationException("send the evidence as multipart/form-data with a file part")
    upload = Upload()
    try:
        await _parse(request, boundary, store, upload)
    except BaseException:
        upload.discard()
        raise
    if upload.spool is None:
        raise ValidationException("the form has no file", extra=[
            {"key": "file", "message": "required"}])
    return upload


async def _parse(request: Request[Any, Any, Any], boundary: str, store: FileEvidenceStore,
                 upload: Upload) -> None:
    stream = request.stream()
    segment: MultipartSegment | None = None
    text = bytearray()
    try:
        with PushMultipartParser(boundary, max_segment_count=16) as parser:
            while not parser.closed:
                chunk = await anext(stream, b"")
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment, text = part, bytearray()
                        if segment.name == "file" and upload.spool is None:
                            upload.spool = await anyio.to_thread.run_sync(store.spool)
                            upload.filename = segment.filename or ""
                    elif part:
                        if segment is not None and segment.name == "file" and upload.spool:
                            await anyio.to_thread.run_sync(upload.spool.write, bytes(part))
                        elif len(text) + len(part) <= FIELDS_MAX:
                            text += part
                        else:
                            raise ValidationException("a form field is too long")
                    elif segment is not None:  # the end of a part
                        if segment.name != "file":
                            upload.fields[segment.name or ""] = text.decode(
                                segment.charset or "utf-8", errors="replace")
                        segment = None
    except ParserError:
        raise ValidationException("the multipart/form-data body is not valid") from None


def _upload_body() -> RequestBody:
    form = Schema(title="EvidenceUpload", type=OpenAPIType.OBJECT, required=["file"], properties={
        "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY,
                       description="the file: pdf, doc(x), ppt(x), xls(x), jpg, png or "
                                   "mp4, told by its content"),
        "dated": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE,
                        description="the day the material is from (today if not given)"),
    })
    return RequestBody(required=True,
                       content={"multipart/form-data": OpenAPIMediaType(schema=form)})


@dataclass
class UploadOperation(Operation):
    """The OpenAPI operation of an upload route: its body is read by hand, as a stream, so
    the multipart form it takes is declared here."""

    def __post_init__(self) -> None:
        self.request_body = _upload_body()
