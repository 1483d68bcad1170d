"""One place where every problem+json answer is put into the caller's language: around the
whole application, so refusals from routing, middleware, guards and handlers all pass."""

from __future__ import annotations

import json

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http.i18n import language_of, localise

PROBLEM = b"application/problem+json"


def localised_problems(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_localised(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").split(b";")[0].strip() == PROBLEM:
                    start = message  # held until the whole body is here
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await _send_problem(scope, start, b"".join(chunks), send)
                return
            await send(message)

        await app(scope, receive, send_localised)

    return middleware


async def _send_problem(scope: Scope, start: Message, body: bytes, send: Send) -> None:
    lang = language_of(scope)
    try:
        parsed = json.loads(body)
        if isinstance(parsed, dict):
            body = json.dumps(localise(parsed, lang), ensure_ascii=False).encode()
    except ValueError:
        pass  # not ours to fix: send it as it came
    headers = [(k, v) for k, v in start.get("headers", [])
               if k.lower() not in (b"content-length", b"content-language")]
    headers += [(b"content-length", str(len(body)).encode()),
                (b"content-language", lang.encode()), (b"vary", b"Accept-Language")]
    await send({**start, "headers": headers})  # type: ignore[typeddict-item]
    await send({"type": "http.response.body", "body": body, "more_body": False})
