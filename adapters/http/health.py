"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from litestar import Response, get

from adapters.container import Container
from adapters.http.auth import PUBLIC, allow
from adapters.http.errors import problem


@get("/healthz", opt=allow(PUBLIC), sync_to_thread=False, summary="Liveness")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", opt=allow(PUBLIC), sync_to_thread=True, summary="Readiness: the database answers")
def readyz(container: Container) -> Response[Any]:
    try:
        with container.pool.connection(timeout=2.0) as conn:
            conn.execute("SELECT 1")
    except Exception:
        return problem(503, "the database is not reachable", "unavailable",
                       headers={"Retry-After": "2"})
    return Response({"status": "ready"})
