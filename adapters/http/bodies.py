"""Request bodies are JSON, within the size limit, with no key given twice — checked before
anything reads them, so a refused body never reaches a handler.

The caller is admitted first (token, tenant, role: the guard, run early), so nobody is
answered only after their body was read; the large limit goes only to a multipart body sent
to a route marked ``upload`` by a caller that route admits (an uploader of a real tenant).
"""

from __future__ import annotations

import html
import json
from typing import Any

from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http.auth import admit_before_body
from adapters.http.i18n import translate
from adapters.http.nesting import MAX_DEPTH, too_deep

WRITES = frozenset({"POST", "PUT", "PATCH"})
UPLOAD = "upload"  # a route's opt: it takes a file, streamed, under the upload limit
SHEET = "sheet"  # a route's opt: it takes a sheet (.xlsx, .csv, or a form with one), whole
SHEET_MAX_BYTES = 8 * 1024 * 1024
SHEET_TYPES = frozenset({b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         b"text/csv", b"application/octet-stream", b"multipart/form-data"})
ACCEPTED = frozenset({b"application/json"})
FORM = b"application/x-www-form-urlencoded"  # a page's form: accepted outside the API only


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})
        raise DuplicateKey(", ".join(twice))
    return dict(pairs)


# Made once: ``json.loads`` with a hook builds a decoder per call.
_STRICT = json.JSONDecoder(object_pairs_hook=_no_duplicates)

PAGE_HEADINGS = {400: "请求有误", 413: "内容过大", 415: "不支持的内容类型"}


async def _page(send: Send, status: int, detail: str) -> None:
    """A page's refusal, before any page handler ran: a Chinese page, not problem+json (a
    school's clerk posting a file too large without JavaScript reads this)."""
    heading = PAGE_HEADINGS.get(status, "请求有误")
    body = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{heading} · 考评</title><link rel=\"stylesheet\" href=\"/static/kaoping.css\">"
            f"</head><body><main><h1>{heading}</h1><p>{html.escape(detail)}</p>"
            "<p>请返回上一页，修改后重新提交；已填写的内容仍在上一页中。</p></main></body></html>"
            ).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"the body is larger than {limit} bytes"


async def _problem(send: Send, status: int, title: str, detail: str,
                   scope: Scope | None = None) -> None:
    if scope is not None and not scope["path"].startswith("/api/"):
        detail = (f"提交的内容超过上限（{_megabytes(detail)}），未保存任何内容。"
                  if status == 413 else translate(detail))
        await _page(send, status, detail)
        return
    body = json.dumps({"type": f"https://kaoping.example/problems/{status}", "title": title,
                       "status": status, "detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _is_multipart(scope: Scope) -> bool:
    kind = dict(scope["headers"]).get(b"content-type", b"")
    return kind.split(b";")[0].strip().lower() == b"multipart/form-data"


async def _streamed(app: ASGIApp, scope: Scope, receive: Receive, send: Send,
                    limit: int) -> None:
    """An upload (a file: its type is checked from its content) is not buffered here: it
    streams to the handler, and reading past the limit raises 413 mid-stream."""
    declared = dict(scope["headers"]).get(b"content-length", b"")
    if declared.isdigit() and int(declared) > limit:
        await _problem(send, 413, "Request body too large", _too_large(limit), scope)
        return
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise HTTPException(status_code=413,
                                    detail=f"the body is larger than {limit} bytes")
        return message

    await app(scope, counted, send)


def _refused(scope: Scope, body: bytes) -> tuple[int, str, str] | None:
    """Why a whole body is refused (status, title, detail), or None. JSON everywhere; a
    page's form post (urlencoded) outside the API, where the page's handler reads it."""
    if not body.strip():
        return None
    headers = dict(scope["headers"])
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if kind == FORM and not scope["path"].startswith("/api/"):
        return None
    handler = scope.get("route_handler")
    if handler is not None and handler.opt.get(SHEET) and kind in SHEET_TYPES:
        return None  # the handler reads the sheet
    if kind not in ACCEPTED:
        return 415, "Unsupported media type", "send the body as application/json"
    if too_deep(body):  # before parsing: a recursive parser would overflow
        return 400, "Bad request", f"the JSON is nested more than {MAX_DEPTH} levels deep"
    try:
        _STRICT.decode(body.decode(json.detect_encoding(body), "surrogatepass"))  # = loads
    except DuplicateKey as twice:
        return 400, "Bad request", f"a JSON object gives a key more than once: {twice}"
    except ValueError:
        pass  # malformed JSON: the framework's decoder says so precisely
    return None


def strict_bodies(max_bytes: int, upload_max_bytes: int):  # type: ignore[no-untyped-def]
    def middleware_factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            # The one guard, for every route, here rather than as litestar's guard (which
            # copies the route handler per call, ADR 20): 401/403/404 with the body unread.
            await admit_before_body(scope)
            if scope.get("method") not in WRITES:
                await app(scope, receive, send)
                return
            handler = scope.get("route_handler")
            if handler is not None and handler.opt.get(UPLOAD) and _is_multipart(scope):
                await _streamed(app, scope, receive, send, upload_max_bytes)
                return
            limit = max(max_bytes, SHEET_MAX_BYTES) if handler is not None and handler.opt.get(
                SHEET) else max_bytes
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > limit:  # refused unread
                await _problem(send, 413, "Request body too large", _too_large(limit), scope)
                return
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    await app(scope, receive, send)
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await _problem(send, 413, "Request body too large", _too_large(limit),
                                   scope)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            refused = _refused(scope, body)
            if refused is not None:
                await _problem(send, *refused, scope=scope)
                return

            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            await app(scope, replay, send)

        return middleware

    return middleware_factory


def _megabytes(detail: str) -> str:
    """"the body is larger than N bytes" → "N MB" (or the detail itself)."""
    digits = "".join(ch for ch in detail if ch.isdigit())
    return f"{int(digits) / 1_048_576:.0f} MB" if digits else detail
