"""The thinnest HTTP server of a score write: the floor of issue 11's target (c).

A bare ASGI app under the same uvicorn as ``kaoping serve`` (httptools, uvloop), with none of
kaoping's HTTP layer: no litestar, no middleware, no rate limit, no log line, no request id;
a token is looked up once and then remembered for good. It answers
``PUT /api/v1/tenants/{slug}/assessments/{id}/scorecards/{subject}/{component}`` by
decoding the body and calling ``TenantApplication.record_scores`` in a worker thread, as
kaoping's handler does, and nothing else: whatever a real HTTP layer must also do costs more.
``bench/writes.py --thin`` runs it beside ``kaoping serve`` (whose projector projects its
writes, as it projects the direct ones) with the same client, so that the rate of bare
HTTP around the same write is measured in the same run as the direct one.

    KAOPING_DATABASE_URL=… KAOPING_PORT=… .venv/bin/python bench/thin_server.py

Not a server to run: a token, once seen, is never checked again.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
import uvicorn
from common import TOKEN  # bench/ is the script's folder

from adapters.bootstrap import build_container
from adapters.settings import Settings
from domain.cause import Cause
from domain.scorecard import CardKey
from tenants.tokens import token_hash


class Body(msgspec.Struct):
    scores: dict[str, float]


def thin_app(container: Any) -> Any:
    threads = ThreadPoolExecutor(40)  # what anyio gives litestar's sync handlers
    principals: dict[bytes, Any] = {}
    decoder = msgspec.json.Decoder(Body)

    async def read(receive: Any) -> bytes:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                return b"".join(chunks)

    async def answer(send: Any, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        parts = scope["path"].split("/")  # '', api, v1, tenants, slug, assessments, id, …
        body = await read(receive)
        authorization = dict(scope["headers"]).get(b"authorization", b"")
        key = token_hash(authorization.decode().removeprefix("Bearer "))
        loop = asyncio.get_running_loop()
        if key not in principals:
            principals[key] = await loop.run_in_executor(threads, container.catalogue.principal,
                                                         key)
        principal = principals[key]
        if scope["method"] != "PUT" or len(parts) != 10 or principal is None:
            await answer(send, 404, b"{}")
            return
        slug, assessment, subject, component = parts[4], parts[6], parts[8], parts[9]
        scores = {code: Decimal(str(v)) for code, v in decoder.decode(body).scores.items()}
        card = CardKey(UUID(assessment), UUID(subject), component, principal.user_id)
        cause = Cause(str(principal.user_id), principal.role, "thin")
        written = await loop.run_in_executor(
            threads, lambda: container.app(slug).record_scores(card, scores, cause))
        await answer(send, 200, msgspec.json.encode({"position": written.position}))

    return app


def factory() -> Any:
    """One worker's app (uvicorn calls it in each worker process)."""
    settings = Settings.from_env({"KAOPING_DATA_DIR": tempfile.mkdtemp(prefix="kaoping-thin-"),
                                  "KAOPING_CHECKPOINTER": "0"})
    return thin_app(build_container(settings, os.environ["KAOPING_DATABASE_URL"], TOKEN,
                                    project=False))


def main() -> None:
    workers = int(os.environ.get("KAOPING_WORKERS", "1"))
    uvicorn.run("thin_server:factory", factory=True, host="127.0.0.1",
                port=int(os.environ["KAOPING_PORT"]), workers=workers, log_level="info",
                access_log=False, app_dir=os.path.dirname(os.path.abspath(__file__)))


if __name__ == "__main__":
    main()
