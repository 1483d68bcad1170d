"""The request's path and query string hold text: a NUL or another control character, or
bytes that are not UTF-8 (an overlong form, a lone surrogate), are refused at the edge with
400, before routing, so no such value reaches a handler, a log line or PostgreSQL (whose
text cannot hold NUL)."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from litestar.types import ASGIApp, Receive, Scope, Send

CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def is_text(raw: bytes) -> bool:
    """Percent-decoded, the bytes are UTF-8 (Python's strict decoder refuses overlong forms
    and surrogates) with no control character."""
    decoded = unquote_to_bytes(raw)
    if CONTROL.search(decoded):
        return False
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _raw_path(scope: Scope) -> bytes:
    raw = scope.get("raw_path")
    if raw is None:  # optional in ASGI: the decoded path, with any bad bytes kept as they came
        return scope["path"].encode("utf-8", "surrogateescape")
    return raw.split(b"?", 1)[0]  # some servers (the test client) leave the query on it


async def _problem(send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "https://kaoping.example/problems/malformed",
                       "title": title, "status": status, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    # (the request id and security headers are added by the outermost request_context)
    await send({"type": "http.response.body", "body": body})


def clean_targets(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if not is_text(_raw_path(scope)):
                await _problem(send, 400, "Bad request",
                               "the URL path holds a control character or bytes that are"
                               " not valid UTF-8")
                return
            if not is_text(scope.get("query_string", b"")):
                await _problem(send, 400, "Bad request",
                               "a query parameter holds a control character or bytes"
                               " that are not valid UTF-8")
                return
        await app(scope, receive, send)

    return middleware
