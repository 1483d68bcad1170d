"""Reads that wait for the views (``?after=<position>``) wait here, on the event loop.

A client that wrote gets the write's log position and reads with ``?after=`` it, so it sees
its own write. Waiting for the projector used to hold a worker thread and poll the database
every 50 ms, so one user's burst of such reads could take every thread and stall all tenants.
Now the wait is an awaited future that the projector resolves when the tenant's views reach
the position (in this process directly, from another projector process by NOTIFY): no thread
is held and no query runs while waiting. A position beyond the log's head could only time
out: it is refused at once. Waiters per tenant are capped; past the cap, retry later.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.exceptions import ServiceUnavailableException, ValidationException
from litestar.types import ASGIApp, Receive, Scope, Send

from adapters.container import WAITED_FOR, Container
from domain.errors import RuleViolated

MAX_DIGITS = 18  # any longer is beyond every log's head (and cheap to refuse)
GATE_WIDTH = 4  # a tenant's waiting reads doing thread and database work at once
HELD = "kaoping_gate"  # request state: the gate this request holds, released by ``release``


class PositionWaiters:
    """Per tenant: the highest view position heard of, and the reads waiting for more."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._loop: asyncio.AbstractEventLoop | None = None
        self._known: dict[str, int] = {}
        self._waiting: dict[str, list[tuple[int, asyncio.Future[None]]]] = {}
        self._gates: dict[str, asyncio.Semaphore] = {}

    def gate(self, slug: str) -> asyncio.Semaphore:
        self._bind()
        return self._gates.setdefault(slug, asyncio.Semaphore(GATE_WIDTH))

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new loop (a test client's portal): start afresh
            self._loop, self._known, self._waiting, self._gates = loop, {}, {}, {}

    def waiting(self, slug: str) -> int:
        return len(self._waiting.get(slug, ()))

    def reached(self, slug: str, position: int) -> None:
        """The projector's listener: called from its threads, hands over to the loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: no one waits
            loop.call_soon_threadsafe(self._advance, slug, position)

    def _advance(self, slug: str, position: int) -> None:
        if position > self._known.get(slug, 0):
            self._known[slug] = position
        for after, future in self._waiting.get(slug, ()):
            if after <= position and not future.done():
                future.set_result(None)

    async def wait(self, container: Container, slug: str, after: int, timeout: float) -> bool:
        """Wait until the tenant's views include ``after`` (True) or ``timeout`` passes
        (False). Refuse a position beyond the log's head, and a waiter past the cap."""
        self._bind()
        loop = asyncio.get_running_loop()
        if self._known.get(slug, 0) >= after:
            return True
        waiting = self._waiting.setdefault(slug, [])
        if len(waiting) >= self.cap:
            raise ServiceUnavailableException(
                "too many reads are waiting for this tenant's views: retry in a moment",
                headers={"Retry-After": "1"})
        entry: tuple[int, asyncio.Future[None]] = (after, loop.create_future())
        waiting.append(entry)  # before looking: a position published meanwhile is not missed
        try:
            async with self.gate(slug):
                head, position = await anyio.to_thread.run_sync(_head_and_views, container,
                                                                slug)
            if after > head:
                raise RuleViolated(f"the log of this tenant ends at position {head}: "
                                   f"there is nothing at {after} to wait for")
            self._advance(slug, position)
            try:
                await asyncio.wait_for(entry[1], timeout)
            except TimeoutError:
                return False
            return True
        finally:
            waiting.remove(entry)
            if not waiting:
                self._waiting.pop(slug, None)


def _head_and_views(container: Container, slug: str) -> tuple[int, int]:
    return container.app(slug).position(), container.projector.position(slug)


async def await_position(request: Request[Any, Any, Any]) -> None:
    """``before_request`` of the reads that take ``?after=<position>``: wait here, off the
    worker threads, so the handler's own ``caught_up`` takes the outcome without a query."""
    raw = request.query_params.get("after")
    if raw is None:
        return
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationException("after must be a log position: a whole number, 0 or more")
    tenant = request.path_params["tenant"]
    container: Container = request.app.state.container
    waiters: PositionWaiters = request.app.state.waiters
    if len(raw) > MAX_DIGITS:
        head = await anyio.to_thread.run_sync(container.app(tenant).position)
        raise RuleViolated(f"the log of this tenant ends at position {head}: "
                           f"there is nothing at {raw} to wait for")
    after = int(raw)
    reached = after == 0 or await waiters.wait(container, tenant, after,
                                               container.settings.read_wait_seconds)
    WAITED_FOR.set((tenant, after, reached))
    gate = waiters.gate(tenant)
    await gate.acquire()  # released by ``release_gate`` once the answer is out
    request.scope.setdefault("state", {})[HELD] = gate


def release_gate(app: ASGIApp) -> ASGIApp:
    """Middleware: give back the gate a waiting read took (``await_position``), however the
    request ended (an answer, a refusal, an error)."""
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        finally:
            gate = scope.get("state", {}).pop(HELD, None)
            if gate is not None:
                gate.release()
    return middleware
