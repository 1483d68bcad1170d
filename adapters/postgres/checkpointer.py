"""The background checkpointer: keeps each assessment's as-of checkpoints within ``every``
events of its head, so that even the first as-of read of a large round resumes near its
position (docs/adr/0023).

It runs in the process that projects, on a thread of its own, woken each time the projector
has caught a tenant up (``Projector.on_caught_up``; at start, every tenant), which only
marks the tenant. It works when the tenant's projection has been quiet for ``quiet``
seconds, or at the latest ``longest`` seconds after the first wake — never inside a
projector batch. Its work is the as-of read itself (``services.replay.board_as_of`` to the
head, which folds on from the latest checkpoint and saves one every ``every`` events): it
reads the log and nothing the projector wrote. Every few hundred events it gives way to the
projector (``pace``: ``Projector.wait_idle``), which shares the interpreter with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import structlog
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import NO_ASSESSMENT
from adapters.postgres.roles import TenantRoles
from adapters.postgres.versions import schema_of
from domain.board import FOLD_VERSION
from services.replay import board_as_of

log = structlog.get_logger("kaoping.checkpointer")

# The assessments with events past ``seen``, and how many of their events lie past their
# latest checkpoint (an index-only count each).
_PENDING = SQL(
    "SELECT a.assessment_id, (SELECT count(*) FROM {s}.event_log l"
    "   WHERE l.assessment_id = a.assessment_id AND l.position > coalesce(("
    "     SELECT max(c.position) FROM {s}.board_checkpoints c"
    "     WHERE c.assessment_id = a.assessment_id AND c.fold = %(fold)s), 0)) AS pending"
    " FROM (SELECT DISTINCT assessment_id FROM {s}.event_log"
    "   WHERE position > %(seen)s AND position <= %(head)s AND assessment_id <> %(none)s) a")
_HEAD = SQL("SELECT position FROM {s}.log_head")


class Checkpointer:
    def __init__(self, app_of: Callable[[str], Any], pool: Any, roles: TenantRoles,
                 every: int, quiet: float = 0.5, longest: float = 30.0,
                 pace: Callable[[], None] | None = None) -> None:
        self.app_of = app_of
        self.pace = pace
        self.pool = pool
        self.roles = roles
        self.every = every
        self.quiet = quiet
        self.longest = longest
        self._seen: dict[str, int] = {}  # per tenant: the log position looked at so far
        self._woken: dict[str, tuple[float, float]] = {}  # tenant → (first, last) wake
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def reached(self, slug: str, position: int) -> None:
        """The projector's listener: mark the tenant (nothing more on its thread)."""
        now = time.monotonic()
        with self._changed:
            first, _ = self._woken.get(slug, (now, now))
            self._woken[slug] = (first, now)
            if self._thread is None and not self._stopping.is_set():
                self._thread = threading.Thread(target=self._run, name="kaoping-checkpoint",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def stop(self) -> None:
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _due(self) -> list[str]:
        with self._changed:
            while not self._stopping.is_set():
                now = time.monotonic()
                due = [slug for slug, (first, last) in self._woken.items()
                       if now - last >= self.quiet or now - first >= self.longest]
                if due:
                    for slug in due:
                        del self._woken[slug]
                    return due
                waits = [min(last + self.quiet, first + self.longest) - now
                         for first, last in self._woken.values()]
                self._changed.wait(max(0.01, min(waits)) if waits else None)
        return []

    def _run(self) -> None:
        while not self._stopping.is_set():
            for slug in self._due():
                try:
                    self.extend(slug)
                except Exception as error:  # a tenant gone meanwhile, a database outage
                    log.warning("checkpointing_failed", tenant=slug,
                                error=f"{type(error).__name__}: {error}")

    def pending(self, slug: str) -> tuple[int, list[tuple[UUID, int]]]:
        """The tenant's log head, and its assessments touched since last time with how many
        events each has past its latest checkpoint."""
        seen = self._seen.get(slug, 0)
        s = Identifier(schema_of(slug))
        with (self.roles.session(self.pool, slug) as conn,
              conn.cursor(row_factory=tuple_row) as curs):
            head = curs.execute(_HEAD.format(s=s)).fetchone()[0]
            rows = curs.execute(_PENDING.format(s=s), {
                "fold": FOLD_VERSION, "seen": seen, "head": head, "none": NO_ASSESSMENT,
            }).fetchall() if head > seen else []
        return head, [(row[0], row[1]) for row in rows]

    def extend(self, slug: str) -> int:
        """Bring the checkpoints of the tenant's assessments touched since last time to
        within ``every`` events of the head; returns how many assessments were extended."""
        head, touched = self.pending(slug)
        extended = 0
        for assessment_id, pending in touched:
            if self._stopping.is_set():
                return extended
            if pending >= self.every:
                started = time.perf_counter()
                board_as_of(self.app_of(slug), assessment_id, head, every=self.every,
                            pace=self.pace)
                extended += 1
                log.info("checkpoints_extended", tenant=slug, assessment=str(assessment_id),
                         events=pending, seconds=round(time.perf_counter() - started, 3))
        # An assessment left with fewer than ``every`` pending events is looked at again when
        # it next has an event past ``head``.
        self._seen[slug] = head
        return extended
