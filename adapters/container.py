"""What the composition root builds and the edges use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from psycopg import Connection
from psycopg_pool import ConnectionPool

from adapters.postgres.catalogue import PgCatalogue
from adapters.postgres.checkpointer import Checkpointer
from adapters.postgres.idempotency import Idempotency
from adapters.postgres.projector import Projector
from adapters.postgres.roles import TenantRoles
from adapters.postgres.sign_ins import PgSignIns
from adapters.postgres.versions import current_version, schema_of, view_schema
from adapters.postgres.views import PgViews
from adapters.settings import Settings
from services.application import TenantApplication
from services.refusals import RefusalTally
from tenants.cache import Remembered, TenantApps
from tenants.platform import Platform
from tenants.signing_in import SignIns

T = TypeVar("T")

# (tenant, after, reached) a request has already waited for, off the worker threads (see
# adapters/http/waiting.py): its handler then takes that answer instead of waiting again.
WAITED_FOR: ContextVar[tuple[str, int, bool] | None] = ContextVar("kaoping_waited_for",
                                                                  default=None)


@dataclass
class Container:
    settings: Settings
    conninfo: str
    pool: ConnectionPool[Any]
    catalogue: PgCatalogue
    apps: TenantApps
    platform: Platform
    projector: Projector
    operator_token: str
    roles: TenantRoles
    refusals: RefusalTally = field(init=False)  # counts repeated refusals per minute
    sign_ins: SignIns = field(init=False)  # the pages' sign-in links and sessions
    # The version of each tenant's views readers use: it changes only when a rebuild
    # switches versions, which tells every process (``versions.switch_version``).
    view_versions: Remembered[str, int] = field(default_factory=Remembered)
    # Where this process projects: keeps the as-of checkpoints near each round's head.
    checkpointer: Checkpointer | None = None
    # A few connections of the server's own that never act as a tenant, for the statement
    # that admits each request (token and rate limit): on ``pool`` it would switch a
    # connection a tenant's write just left back to the server's user, and the next write
    # back again (RESET ROLE, SET ROLE: two statements of five in a score PUT). ADR 20.
    admission_pool: ConnectionPool[Any] | None = None

    def __post_init__(self) -> None:
        self.refusals = RefusalTally(self.app)
        self.sign_ins = SignIns(PgSignIns(self.catalogue), self.apps)

    def app(self, slug: str) -> TenantApplication:
        return self.apps.get(slug)

    @contextmanager
    def tenant_db(self, slug: str) -> Iterator[Connection[Any]]:
        """A connection acting as the tenant's own PostgreSQL role."""
        with self.roles.session(self.pool, slug) as conn:
            yield conn

    @contextmanager
    def views(self, slug: str) -> Iterator[PgViews]:
        with self.tenant_db(slug) as conn:
            version = self.view_versions.lookup(slug, lambda: (slug, current_version(conn, slug)))
            assert version is not None
            yield PgViews(conn, view_schema(slug, version))

    def forget(self, slug: str) -> None:
        """Something of the tenant changed (here or in another process): whatever this
        process keeps of it — application, view version, tokens — is read afresh."""
        self.apps.forget(slug)
        self.view_versions.forget(slug)
        self.catalogue.principals.forget(slug)

    def listening(self, listening: bool) -> None:
        """Whether notices of changes reach this process: if not, nothing is kept."""
        self.view_versions.reset(listening)
        self.catalogue.principals.reset(listening)

    def once(
        self, slug: str, actor_id: str, key: str | None, digest: bytes,
        write: Callable[[], T], encode: Callable[[T], bytes], decode: Callable[[Any], T],
    ) -> T:
        """Run ``write`` unless this actor already ran it under ``key`` (Idempotency-Key):
        then return the first answer. Another request under the same key is refused, and so is
        one that comes while the first is still writing (in this process or another)."""
        if not key:
            return write()
        with self.tenant_db(slug) as conn:
            earlier = Idempotency(conn, schema_of(slug)).claim(actor_id, key, digest)
        if earlier is not None:
            return decode(earlier)
        try:
            result = write()
        except BaseException:
            with self.tenant_db(slug) as conn:
                Idempotency(conn, schema_of(slug)).give_back(actor_id, key)
            raise
        with self.tenant_db(slug) as conn:
            Idempotency(conn, schema_of(slug)).answer(actor_id, key, encode(result).decode())
        return result

    def caught_up(self, slug: str, after: int | None = None) -> bool:
        """Wait (≤ 2 s, ``read_wait_seconds``) until the views include ``after`` — by default
        everything written before this read began, so a reader sees their own writes; say
        whether they do. If this request has already waited for ``after``, say how that went."""
        waited = WAITED_FOR.get()
        if after is not None and waited is not None and waited[:2] == (slug, after):
            return waited[2]
        head = self.app(slug).position()
        if after is None or after > head:  # past the head, waiting could only time out
            after = head
        if after <= 0:
            return True
        return self.projector.wait_for(slug, after, timeout=self.settings.read_wait_seconds)

    def close(self) -> None:
        self.refusals.close()  # the counts held go on the record before the pool closes
        self.projector.stop()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        if self.admission_pool is not None:
            self.admission_pool.close()
        self.pool.close()
