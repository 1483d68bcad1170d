"""One multi-tenant projector: a LISTEN connection marks tenants dirty; a worker catches up.

Each batch (up to ``batch_size`` events, more while far behind) is applied to the views and
the tracking position is advanced in the same transaction, so a crash loses nothing and
applies nothing twice. The tracking row is locked ``FOR UPDATE``, so batches never overlap;
and a session-level advisory lock per tenant makes one projector process the active one for
that tenant. When it dies its connection closes, the lock is released, and another
projector takes over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool

from adapters.postgres.backoff import Backoff
from adapters.postgres.eventstore import EVENTS_TABLE
from adapters.postgres.mapper import collector_paused
from adapters.postgres.roles import TenantRoles
from adapters.postgres.versions import STALE_CHANNEL, current_version, schema_of, view_schema
from adapters.postgres.views import PgViews
from services.projection import Logged, project

log = structlog.get_logger("kaoping.projector")
CATALOGUE_CHANNEL = "kaoping_catalogue"
PROJECTED_CHANNEL = "kaoping_projected"  # payload "<slug> <position>": views reached it
LOCK_CLASS = 7391  # advisory lock namespace of "the active projector of tenant X"
GROWTH = 16  # batches grow up to this many times ``batch_size`` while catching up
TAKEOVER_SECONDS = 5.0  # how often a projector tries the tenants another one holds
POLL_SECONDS = 0.05  # a waiting read looks at least this often (a notice may be missed)


class Projector:
    def __init__(
        self,
        pool: ConnectionPool[Any],
        conninfo: str,
        mapper: Mapper,  # type: ignore[type-arg]
        active_tenants: Callable[[], Iterable[str]],
        roles: TenantRoles,
        batch_size: int = 500,
        backoff: Backoff | None = None,
        project: bool = True,
    ) -> None:
        # ``project=False``: an API worker beside a projector process. It listens only for
        # ``kaoping_projected``, so that its reads can wait for their own writes, and never
        # projects, locks or catches up a tenant itself.
        self.project = project
        self.roles = roles
        self.pool = pool
        self.conninfo = conninfo
        self.mapper = mapper
        self.active_tenants = active_tenants
        self.batch_size = batch_size
        self.backoff = backoff or Backoff()
        self._dirty: set[str] = set()
        self._watched: set[str] = set()
        self._owned: set[str] = set()
        self._locks: psycopg.Connection[Any] | None = None
        self._to_listen: set[str] = set()
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._reached: list[Callable[[str, int], None]] = []
        self._caught_up: list[Callable[[str, int], None]] = []
        self._working = 0  # catch-ups running now (the checkpointer gives way to them)
        self._idle = threading.Condition()
        self._heard: dict[str, int] = {}  # the highest position of each tenant's views heard of
        self._stale: list[tuple[Callable[[str], None], Callable[[bool], None]]] = []
        self._held_elsewhere: set[str] = set()  # tried lately; another projector's
        self._takeover_at = 0.0

    # -- catching up (also callable directly, e.g. by the CLI and tests) -------------------

    def catch_up(self, slug: str, version: int | None = None) -> int:
        """Apply every pending event of the tenant to its current views (or to ``version``,
        while a rebuild fills it); return the position reached."""
        with self._idle:
            self._working += 1
        try:
            return self._catch_up(slug, version)
        finally:
            with self._idle:
                self._working -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> None:
        """Return when no catch-up is running, or after ``timeout`` seconds (the background
        checkpointer calls this between small steps, so it takes the interpreter only while
        the projector does not need it)."""
        with self._idle:
            self._idle.wait_for(lambda: self._working == 0, timeout)

    def _catch_up(self, slug: str, version: int | None) -> int:
        size = self.batch_size
        while True:
            with collector_paused():  # till the batch is freed, see collector_paused
                position, count = self._one_batch(slug, version, size)
            if count and version is None:
                self._publish(slug, position)
            if count < size:
                return position
            # A full batch: far behind (a rebuild, a restart). Each batch rewrites the board
            # rows its events touch, so larger batches rewrite each row fewer times.
            size = min(size * 4, self.batch_size * GROWTH)

    def _events(self, conn: psycopg.Connection[Any], slug: str, position: int,
                size: int) -> list[Logged]:
        s = Identifier(schema_of(slug))
        # Binary, as tuples: the state comes as raw bytes, not hex text to parse.
        with conn.cursor(binary=True, row_factory=tuple_row) as cur:
            rows = cur.execute(
                SQL(
                    "SELECT e.notification_id, e.originator_id, e.originator_version,"
                    " e.topic, e.state, l.recorded_at FROM {s}.{events} e"
                    " JOIN {s}.event_log l ON l.position = e.notification_id"
                    " WHERE e.notification_id > %s ORDER BY e.notification_id LIMIT %s"
                ).format(s=s, events=Identifier(EVENTS_TABLE)),
                (position, size),
            ).fetchall()
        decode = getattr(self.mapper, "decode", None)
        if decode is None:  # another mapper than ours
            to_domain = self.mapper.to_domain_event
            return [Logged(n, at, to_domain(StoredEvent(id_, v, topic, state)))
                    for n, id_, v, topic, state, at in rows]
        return [Logged(n, at, decode(topic, id_, v, state))
                for n, id_, v, topic, state, at in rows]

    def _one_batch(self, slug: str, version: int | None, size: int) -> tuple[int, int]:
        with self.pool.connection() as conn, conn.transaction():
            # The batch's commit does not wait for its WAL to reach the disk: a crash can lose
            # only whole batches, with the tracking position in the same transaction, and the
            # projector applies them again from the log, which is written synchronously.
            conn.execute(SQL("SET LOCAL synchronous_commit TO off; SET LOCAL ROLE {}").format(
                Identifier(self.roles.name(slug))))
            target = version or current_version(conn, slug)
            views = PgViews(conn, view_schema(slug, target))
            position = views.lock_position()
            batch = self._events(conn, slug, position, size)
            if not batch:
                return position, 0
            project(views, batch)
            reached = batch[-1].position
            views.set_position(reached)
            if version is None:  # delivered at commit, to API processes that wait for it
                conn.execute("SELECT pg_notify(%s, %s)", (PROJECTED_CHANNEL, f"{slug} {reached}"))
        return reached, len(batch)

    def on_reached(self, listener: Callable[[str, int], None]) -> None:
        """Call ``listener(slug, position)`` (from a projector thread) whenever a tenant's
        current views reach a new position, here or in another projector process."""
        self._reached.append(listener)

    def on_caught_up(self, listener: Callable[[str, int], None]) -> None:
        """Call ``listener(slug, position)`` (from the projecting thread, so it must return at
        once) each time the background projector has caught a tenant up — also when there
        was nothing to apply, as for every tenant at start."""
        self._caught_up.append(listener)

    def _publish(self, slug: str, position: int) -> None:
        self._heard_of(slug, position)
        for listener in list(self._reached):
            try:
                listener(slug, position)
            except Exception:  # a gone listener must not stop the projection
                log.exception("position_listener_failed", tenant=slug)

    def on_stale(self, forget: Callable[[str], None], reset: Callable[[bool], None]) -> None:
        """Call ``forget(slug)`` when a tenant's notice arrives (``versions.say_stale``), and
        ``reset(listening)`` when the listener connects (True) or loses its connection."""
        self._stale.append((forget, reset))

    def _listening(self, listening: bool) -> None:
        for _, reset in self._stale:
            reset(listening)

    def position(self, slug: str) -> int:
        """How far the views readers use have got (the database is the truth: another
        process may be the projector, and a rebuild may have switched versions)."""
        with self.roles.session(self.pool, slug) as conn:
            return PgViews(conn, view_schema(slug, current_version(conn, slug))).position()

    def wait_for(self, slug: str, position: int, timeout: float = 2.0) -> bool:
        """Block until the tenant's views include ``position`` (or the timeout passes).

        The database says whether they do; between two looks the waiter sleeps until this
        tenant's views are heard to have moved past ``position`` (here, or by another
        process's notice), or ``POLL_SECONDS`` passed. Waking at every tenant's batch, as
        it once did, a thousand tenants' writes had each waiting read query again and again
        (issue 11, target f)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                heard = self._heard.get(slug, 0)
            if self.position(slug) >= position:
                return True
            now = time.monotonic()
            if now >= deadline:
                return False
            until = min(deadline, now + POLL_SECONDS)
            with self._changed:
                # Heard of before the look above and still not there (a rebuild switched the
                # views meanwhile): only the poll wakes it. News during the look is not lost.
                while not (heard < position <= self._heard.get(slug, 0)):
                    remaining = until - time.monotonic()
                    if remaining <= 0:
                        break
                    self._changed.wait(remaining)

    def _heard_of(self, slug: str, position: int) -> None:
        with self._changed:
            if position > self._heard.get(slug, 0):
                self._heard[slug] = position
                self._changed.notify_all()

    # -- running in the background ---------------------------------------------------------

    def watch(self, slug: str) -> None:
        if not self.project:
            return
        with self._changed:
            self._watched.add(slug)
            self._to_listen.add(slug)
            self._dirty.add(slug)
            self._changed.notify_all()

    def unwatch(self, slug: str) -> None:
        """Stop projecting a tenant (its schema is being dropped). Its channel stays listened
        to until reconnect, which is harmless: nothing notifies it any more."""
        with self._changed:
            self._watched.discard(slug)
            self._dirty.discard(slug)
            self._heard.pop(slug, None)  # a tenant made again under this name starts at 0
            self.backoff.forget(slug)
            if slug in self._owned and self._locks is not None:
                self._owned.discard(slug)
                self._locks.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                                    (LOCK_CLASS, slug))

    def mark_dirty(self, slug: str) -> None:
        with self._changed:
            self._dirty.add(slug)
            self._changed.notify_all()

    def start(self) -> None:
        for slug in self.active_tenants() if self.project else ():
            self.watch(slug)
        targets = [(self._listen, "kaoping-listen")]
        if self.project:
            targets.append((self._work, "kaoping-project"))
        for target, name in targets:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._locks is not None:
            self._locks.close()  # releases every tenant's lock at once

    def owns(self, slug: str) -> bool:
        """Whether this projector is (or now becomes) the active one for the tenant."""
        if slug in self._owned:
            return True
        try:
            if self._locks is None or self._locks.closed:
                self._owned.clear()  # a new session holds no locks
                self._locks = psycopg.connect(self.conninfo, autocommit=True,
                                              application_name="kaoping-projector-locks")
            row = self._locks.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                                      (LOCK_CLASS, slug)).fetchone()
        except psycopg.Error as error:
            log.warning("projector_lock_unavailable", tenant=slug, error=str(error))
            self._locks = None
            return False
        if row and row[0]:
            self._owned.add(slug)
            log.info("projector_active", tenant=slug)
            return True
        return False

    def _claim(self, slugs: set[str]) -> None:
        """Try the advisory locks of many tenants in one round trip; those held by another
        projector are not tried again until the next takeover."""
        if len(slugs) < 2:
            for slug in slugs:
                if not self.owns(slug):
                    self._held_elsewhere.add(slug)
            return
        try:
            if self._locks is None or self._locks.closed:
                self._owned.clear()
                self._locks = psycopg.connect(self.conninfo, autocommit=True,
                                              application_name="kaoping-projector-locks")
            rows = self._locks.execute(
                "SELECT s FROM unnest(%s::text[]) AS s"
                " WHERE pg_try_advisory_lock(%s, hashtext(s))",
                (sorted(slugs), LOCK_CLASS)).fetchall()
        except psycopg.Error as error:
            log.warning("projector_lock_unavailable", tenants=len(slugs), error=str(error))
            self._locks = None
            return
        won = {row[0] for row in rows}
        self._owned |= won
        self._held_elsewhere |= slugs - won
        for slug in sorted(won):
            log.info("projector_active", tenant=slug)

    def _work(self) -> None:
        while not self._stopping.is_set():
            self._project(self._take_due(longest_wait=1.0))

    def _take_due(self, longest_wait: float) -> set[str]:
        """The dirty tenants that are not backing off after failures (waiting for one)."""
        with self._changed:
            if not self._stopping.is_set() and not any(map(self.backoff.due, self._dirty)):
                self._changed.wait(self.backoff.wait(self._dirty, longest_wait))
            now = time.monotonic()
            if now >= self._takeover_at:
                # Try to take over tenants another projector held, now and then, in one
                # round trip (with a thousand tenants held elsewhere, trying each one on
                # every wake would spin).
                self._takeover_at = now + TAKEOVER_SECONDS
                self._held_elsewhere.clear()
                self._dirty |= self._watched - self._owned
            due = set(filter(self.backoff.due, self._dirty))
            self._dirty -= due
        return due

    def _project(self, slugs: set[str]) -> None:
        self._claim(slugs - self._owned - self._held_elsewhere)
        for slug in sorted(slugs):
            if slug not in self._owned:
                continue
            try:
                reached = self.catch_up(slug)
            except Exception as error:
                if slug not in self._watched:  # dropped meanwhile: nothing to retry
                    self.backoff.forget(slug)
                    continue
                failures, delay = self.backoff.failed(slug)
                # One line per try, and the traceback only with the first of a run.
                log.warning("projection_failed", tenant=slug, failures=failures,
                            retry_in=delay, error=f"{type(error).__name__}: {error}",
                            exc_info=failures == 1)
                self.mark_dirty(slug)
            else:
                if failures := self.backoff.succeeded(slug):
                    log.info("projection_recovered", tenant=slug, failures=failures)
                for listener in self._caught_up:
                    listener(slug, reached)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True,
                                     application_name="kaoping-listener") as conn:
                    if self.project:
                        conn.execute(SQL("LISTEN {}").format(Identifier(CATALOGUE_CHANNEL)))
                    conn.execute(SQL("LISTEN {}").format(Identifier(PROJECTED_CHANNEL)))
                    conn.execute(SQL("LISTEN {}").format(Identifier(STALE_CHANNEL)))
                    self._listening(True)  # notices arrive from here on
                    with self._changed:
                        self._to_listen |= self._watched
                        self._dirty |= self._watched  # notifications may have been missed
                        self._changed.notify_all()
                    self._listen_on(conn)
            except psycopg.Error as error:
                self._listening(False)
                log.warning("listener_reconnecting", error=str(error))
                self._stopping.wait(1.0)
        self._listening(False)

    def _listen_on(self, conn: psycopg.Connection[Any]) -> None:
        while not self._stopping.is_set():
            with self._changed:
                new, self._to_listen = self._to_listen, set()
            for slug in new:
                conn.execute(SQL("LISTEN {}").format(Identifier(schema_of(slug))))
            if new:
                # Writes between watch() and LISTEN notified no one: look once more.
                with self._changed:
                    self._dirty |= new
                    self._changed.notify_all()
            for notify in conn.notifies(timeout=0.5):
                if notify.channel == PROJECTED_CHANNEL:
                    slug, _, reached = notify.payload.partition(" ")
                    if reached.isdigit():
                        self._publish(slug, int(reached))  # wait_for() here hears of it
                elif notify.channel == STALE_CHANNEL:
                    for forget, _ in self._stale:
                        forget(notify.payload)
                elif notify.channel == CATALOGUE_CHANNEL:
                    for slug in self.active_tenants():
                        if slug not in self._watched:
                            self.watch(slug)
                elif notify.channel.startswith("t_") and notify.channel[2:] in self._watched:
                    self.mark_dirty(notify.channel[2:])
