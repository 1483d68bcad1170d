"""Receiving a sheet to import: the raw bytes of an .xlsx or .csv as the body, or a
multipart form with a ``file`` part (what a page's upload sends). Sheets are small (a few
thousand rows): the body is read whole, within ``bodies.SHEET_MAX_BYTES``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from multipart import parse_options_header

from adapters.sheets.reading import CSV, XLSX
from domain.errors import FieldError, RuleViolated


async def receive_sheet(request: Request[Any, Any, Any]) -> tuple[bytes, str]:
    """(the file's bytes, its name as sent, or "")."""
    kind, _ = parse_options_header(request.headers.get("content-type", ""))
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise RuleViolated("the form has no file", (FieldError("file", "required"),))
        return await upload.read(), upload.filename or ""
    _, disposition = parse_options_header(request.headers.get("content-disposition", ""))
    return await request.body(), disposition.get("filename", "")


def _sheet_body() -> RequestBody:
    binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
    form = Schema(title="SheetUpload", type=OpenAPIType.OBJECT, required=["file"],
                  properties={"file": binary})
    return RequestBody(required=True, content={
        XLSX: OpenAPIMediaType(schema=binary),
        f"{CSV}; charset=utf-8": OpenAPIMediaType(
            schema=binary, example="学校名称,分组,学段,片区,外部合作校\n"
                                   "南钢学校,一贯制学校组,初中,第一片区,否\n"),
        "multipart/form-data": OpenAPIMediaType(schema=form),
    })


@dataclass
class SheetOperation(Operation):
    """An import route's body is read by hand (a sheet, not JSON): declared here."""

    def __post_init__(self) -> None:
        self.request_body = _sheet_body()
