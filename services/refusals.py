"""Refusals counted per minute (安全事件计数), so a flood of refused calls writes two events
per user, route and reason each minute instead of one per call.

The first refusal of a (tenant, user, method, route, reason) in a minute is recorded at once,
so the auditor sees it straight away. Repeats in that minute are counted in memory, and the
count is written as one ``Refusal.Repeated`` event when the minute has closed: on the next
refusal after it, on a periodic flush, on an audit read, and at shutdown (``close``).
A crash loses only the counts not yet written (the current minute's repeats, plus the
flush interval); every first refusal is already on the record.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import structlog

from domain.cause import Cause
from domain.security import Refusal
from services.application import TenantApplication

log = structlog.get_logger("kaoping.refusals")
Key = tuple[str, str, str, str, str]  # tenant, actor, method, route, kind


@dataclass
class Tally:
    minute: datetime
    count: int
    cause: Cause
    refusal_id: UUID | None = None  # None while the first refusal is being written


def now_utc() -> datetime:
    return datetime.now(UTC)


class RefusalTally:
    def __init__(self, app_of: Callable[[str], TenantApplication],
                 clock: Callable[[], datetime] = now_utc, flush_every: float = 10.0) -> None:
        self.app_of = app_of
        self.clock = clock
        self.flush_every = flush_every
        self._open: dict[Key, Tally] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, tenant: str, kind: str, method: str, route: str, detail: str,
               cause: Cause) -> None:
        """Count one refusal; write it if it is the first of its minute."""
        minute = self.clock().replace(second=0, microsecond=0)
        key = (tenant, cause.actor_id, method, route, kind)
        with self._lock:
            previous = self._open.get(key)
            if previous is not None and previous.minute == minute:
                previous.count += 1
                return
            ours = self._open[key] = Tally(minute, 1, cause)
        if previous is not None:  # that minute has closed: its count goes on the record
            self._write_count(key, previous)
        try:
            written = self.app_of(tenant).record_refusal(kind, method, route, detail, cause)
        except Exception:
            with self._lock:  # not on the record: the next refusal tries again
                if self._open.get(key) is ours:
                    del self._open[key]
            raise
        with self._lock:
            ours.refusal_id = written.id
            overtaken = self._open.get(key) is not ours  # a later minute began meanwhile
        if overtaken:
            self._write_count(key, ours)

    def flush(self, tenant: str | None = None, *, everything: bool = False) -> None:
        """Write the counts of closed minutes (of every minute, with ``everything``), of one
        tenant or of all."""
        minute = self.clock().replace(second=0, microsecond=0)
        with self._lock:
            due = [(key, tally) for key, tally in self._open.items()
                   if (tenant is None or key[0] == tenant) and tally.refusal_id is not None
                   and (everything or tally.minute < minute)]
            for key, _ in due:
                del self._open[key]
        for key, tally in due:
            self._write_count(key, tally)

    def _write_count(self, key: Key, tally: Tally) -> None:
        if tally.count <= 1 or tally.refusal_id is None:
            return
        try:
            app = self.app_of(key[0])
            refusal: Refusal = app.load(Refusal, tally.refusal_id, "refusal")
            if refusal.repeat(tally.count, tally.cause):
                app.write(refusal)
        except Exception:  # a count that cannot be written must not break a refusal
            log.exception("refusal_count_not_recorded", tenant=key[0], count=tally.count)

    # -- the periodic flush ------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="refusal-tally",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.flush_every):
            self.flush()

    def close(self) -> None:
        """Stop the periodic flush and write every count held, closed minute or not."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.flush(everything=True)
