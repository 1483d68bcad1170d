"""The platform catalogue in schema ``kaoping``, and provisioning of tenant schemas."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from uuid import UUID

import psycopg
from psycopg.sql import SQL, Identifier, Literal
from psycopg_pool import ConnectionPool

from adapters.postgres.idempotency import idempotency_table
from adapters.postgres.imports import imports_table
from adapters.postgres.layout import rename_old_view_schemas
from adapters.postgres.log_index import backfill
from adapters.postgres.projector import CATALOGUE_CHANNEL
from adapters.postgres.roles import TenantRoles, acting_as, adopt, drop_role, ensure_role
from adapters.postgres.versions import (
    create_version,
    current_version,
    say_stale,
    schema_of,
    tenant_schemas,
    version_table,
)
from domain.errors import StateConflict
from services.application import TenantApplication
from tenants.cache import Remembered
from tenants.model import DEFAULT_TIME_ZONE, Principal, Tenant

CATALOGUE_DDL = [
    "CREATE SCHEMA IF NOT EXISTS kaoping",
    "CREATE TABLE IF NOT EXISTS kaoping.tenants ("
    " slug text PRIMARY KEY, name text NOT NULL,"
    " status text NOT NULL CHECK (status IN ('active', 'suspended')),"
    " created_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS kaoping.tokens ("
    " hash bytea PRIMARY KEY, tenant text NOT NULL REFERENCES kaoping.tenants (slug),"
    " user_id uuid NOT NULL, role text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS tokens_user_idx ON kaoping.tokens (tenant, user_id)",
    # Since issue 9: a tenant's time zone (tenants made before answer in Beijing time).
    "ALTER TABLE kaoping.tenants ADD COLUMN IF NOT EXISTS time_zone text NOT NULL"
    " DEFAULT 'Asia/Shanghai'",
    # Since issue 12: secrets every process of a deployment shares (the pages' CSRF key).
    "CREATE TABLE IF NOT EXISTS kaoping.secrets ("
    " name text PRIMARY KEY, value text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())",
    # Since issue 12: pages' sessions are tokens too (kind 'session', with an expiry and an
    # id an admin can revoke them by); tokens made before are API tokens that never expire.
    "ALTER TABLE kaoping.tokens ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'api'",
    "ALTER TABLE kaoping.tokens ADD COLUMN IF NOT EXISTS expires_at timestamptz",
    "ALTER TABLE kaoping.tokens ADD COLUMN IF NOT EXISTS session_id uuid",
    "CREATE UNIQUE INDEX IF NOT EXISTS tokens_session_idx ON kaoping.tokens (session_id)"
    " WHERE session_id IS NOT NULL",
    # Sign-in links: the hash of their code only; used once, or void, or expired.
    "CREATE TABLE IF NOT EXISTS kaoping.sign_in_links ("
    " hash bytea PRIMARY KEY, id uuid NOT NULL UNIQUE,"
    " tenant text NOT NULL REFERENCES kaoping.tenants (slug),"
    " user_id uuid NOT NULL, created_by text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL,"
    " used_at timestamptz, voided_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS sign_in_links_user_idx ON kaoping.sign_in_links"
    " (tenant, user_id)",
]


def install_catalogue(pool: ConnectionPool[Any]) -> None:
    with pool.connection() as conn, conn.transaction():
        # Serialise concurrent installers (tests, several servers starting at once).
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('kaoping.catalogue'))")
        for statement in CATALOGUE_DDL:
            conn.execute(statement)  # type: ignore[arg-type]


def shared_secret(pool: ConnectionPool[Any], name: str) -> str:
    """The deployment's secret ``name``: made once, by whichever process asks first, and the
    same for every worker (a form rendered by one is posted to another)."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("INSERT INTO kaoping.secrets (name, value) VALUES (%s, %s)"
                     " ON CONFLICT (name) DO NOTHING", (name, secrets.token_urlsafe(48)))
        row = conn.execute("SELECT value FROM kaoping.secrets WHERE name = %s",
                           (name,)).fetchone()
    assert row is not None
    return str(row["value"] if isinstance(row, dict) else row[0])


# Who holds a token (the rate limiter runs it inside its own statement: one round trip).
PRINCIPAL = ("SELECT k.tenant, k.user_id, k.role, t.status, t.time_zone, k.kind,"
             " k.session_id, k.expires_at FROM kaoping.tokens k"
             " JOIN kaoping.tenants t ON t.slug = k.tenant"
             " WHERE k.hash = %(hash)s AND k.revoked_at IS NULL"
             " AND (k.expires_at IS NULL OR k.expires_at > now())")


def principal_of(row: dict[str, Any] | None) -> Principal | None:
    if row is None or row["role"] is None:
        return None
    return Principal(row["role"], row["user_id"], row["tenant"], row["status"],
                     row["time_zone"], row["kind"], row["session_id"], row["expires_at"])


def _tenant(row: dict[str, Any]) -> Tenant:
    return Tenant(row["slug"], row["name"], row["status"], row["created_at"], row["time_zone"])


class PgCatalogue:
    """The catalogue. Tokens' principals are kept (``principals``) until a change to their
    tenant — a revocation, a suspension, the tenant's removal — is made here (forgotten at
    once) or in another process (forgotten when its notice arrives, see ``say_stale``)."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool
        self.principals: Remembered[bytes, Principal] = Remembered()
        self._changed: list[Callable[[str], None]] = []

    def on_change(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(slug)`` after this process changed the tenant's entry."""
        self._changed.append(listener)

    def forget(self, slug: str) -> None:
        """Something of the tenant's tokens changed here (committed): tell this process."""
        self._tell(slug)

    def _tell(self, slug: str) -> None:
        self.principals.forget(slug)
        for listener in self._changed:
            listener(slug)

    def add(self, slug: str, name: str, time_zone: str = DEFAULT_TIME_ZONE) -> Tenant:
        try:
            with self.pool.connection() as conn:
                row = conn.execute(
                    "INSERT INTO kaoping.tenants (slug, name, status, time_zone)"
                    " VALUES (%s, %s, 'active', %s)"
                    " RETURNING slug, name, status, created_at, time_zone",
                    (slug, name, time_zone),
                ).fetchone()
        except psycopg.errors.UniqueViolation:
            raise StateConflict(f"the slug {slug} is taken") from None
        self._tell(slug)  # a slug used before: nothing of the old tenant may be served
        return _tenant(row)

    def remove(self, slug: str) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM kaoping.tokens WHERE tenant = %s", (slug,))
            conn.execute("DELETE FROM kaoping.sign_in_links WHERE tenant = %s", (slug,))
            conn.execute("DELETE FROM kaoping.tenants WHERE slug = %s", (slug,))
            say_stale(conn, slug)
        self._tell(slug)

    def get(self, slug: str) -> Tenant | None:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT slug, name, status, created_at, time_zone FROM kaoping.tenants"
                " WHERE slug = %s",
                (slug,),
            ).fetchone()
        return _tenant(row) if row else None

    def all(self) -> list[Tenant]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT slug, name, status, created_at, time_zone FROM kaoping.tenants"
                " ORDER BY slug"
            ).fetchall()
        return [_tenant(row) for row in rows]

    def set_status(self, slug: str, status: str) -> Tenant | None:
        with self.pool.connection() as conn, conn.transaction():
            row = conn.execute(
                "UPDATE kaoping.tenants SET status = %s WHERE slug = %s"
                " RETURNING slug, name, status, created_at, time_zone",
                (status, slug),
            ).fetchone()
            say_stale(conn, slug)
        self._tell(slug)
        return _tenant(row) if row else None

    def add_token(self, token_hash: bytes, slug: str, user_id: UUID, role: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO kaoping.tokens (hash, tenant, user_id, role) VALUES (%s, %s, %s, %s)",
                (token_hash, slug, user_id, role),
            )

    def revoke_tokens(self, slug: str, user_id: UUID, keep_an_admin: bool = False) -> int:
        """Revoke the user's tokens, their pages' sessions with them, and void the sign-in
        links they have not used; with ``keep_an_admin``, refuse to revoke the tenant's
        last active admin token (the tenant row is locked, so two revocations cannot each
        count on the other's token)."""
        with self.pool.connection() as conn, conn.transaction():
            if keep_an_admin:
                conn.execute("SELECT 1 FROM kaoping.tenants WHERE slug = %s FOR UPDATE", (slug,))
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE user_id = %(u)s) AS mine,"
                    " count(*) FILTER (WHERE user_id <> %(u)s) AS others FROM kaoping.tokens"
                    " WHERE tenant = %(t)s AND role = 'admin' AND revoked_at IS NULL"
                    " AND kind = 'api'",
                    {"u": user_id, "t": slug}).fetchone()
                if row["mine"] and not row["others"]:
                    raise StateConflict("the last active admin token cannot be revoked:"
                                        " give another admin a token first")
            cur = conn.execute(
                "UPDATE kaoping.tokens SET revoked_at = now()"
                " WHERE tenant = %s AND user_id = %s AND revoked_at IS NULL",
                (slug, user_id),
            )
            conn.execute("UPDATE kaoping.sign_in_links SET voided_at = now() WHERE tenant = %s"
                         " AND user_id = %s AND used_at IS NULL AND voided_at IS NULL",
                         (slug, user_id))
            say_stale(conn, slug)
        self._tell(slug)  # after the commit: a lookup before it cannot keep what it read
        return cur.rowcount

    def admins(self, slug: str) -> list[UUID]:
        """The tenant's admins that ever held a token, the first one first."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT user_id FROM kaoping.tokens WHERE tenant = %s AND role = 'admin'"
                " AND kind = 'api' GROUP BY user_id ORDER BY min(created_at), user_id",
                (slug,)).fetchall()
        return [row["user_id"] for row in rows]

    def principal(self, token_hash: bytes) -> Principal | None:
        return self.principals.lookup(token_hash, lambda: self._principal(token_hash))

    def _principal(self, token_hash: bytes) -> tuple[str, Principal] | None:
        with self.pool.connection() as conn:
            row = conn.execute(PRINCIPAL, {"hash": token_hash}).fetchone()
        principal = principal_of(row)
        return (principal.tenant, principal) if principal is not None else None


class PgProvisioner:
    """Creates a tenant's schema: event store (with the chained insert function) and views."""

    def __init__(
        self, pool: ConnectionPool[Any], build: Callable[[str, bool], TenantApplication],
        roles: TenantRoles,
    ) -> None:
        self.pool = pool
        self.build = build
        self.roles = roles

    def provision(self, slug: str) -> None:
        schema, role = schema_of(slug), self.roles.name(slug)
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('kaoping.provision'))")
            ensure_role(conn, role)
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                Identifier(schema), Identifier(role)))
            adopt(conn, schema, role)
            rename_old_view_schemas(conn, slug)  # a tenant of a release before issue 10
        app = self.build(slug, True)  # constructing with CREATE_TABLE=y creates the event store
        backfill(self.pool, schema, role, app.mapper)  # a log older than its index (issue 11)
        with self.pool.connection() as conn, conn.transaction():
            with acting_as(conn, role):
                conn.execute(idempotency_table(schema))
                conn.execute(imports_table(schema))  # dry runs of imports (issue 14)
                for statement in version_table(slug):
                    conn.execute(statement)
                version = current_version(conn, slug)
            create_version(conn, slug, version, role)
            conn.execute(SQL("SELECT pg_notify({}, %s)").format(Literal(CATALOGUE_CHANNEL)),
                         (slug,))
            say_stale(conn, slug)  # the slug may have had a tenant before, with other state

    def discard(self, slug: str) -> None:
        """Undo a tenant whose creation failed part-way (a preset that refused): its schemas
        and its role go, so the slug starts clean next time. The catalogue entry is removed
        first by the caller, so nothing serves the tenant meanwhile."""
        for attempt in range(5):
            try:
                with self.pool.connection() as conn, conn.transaction():
                    for schema in tenant_schemas(conn, slug):
                        conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                            Identifier(schema)))
                    drop_role(conn, self.roles.name(slug))
                return
            except psycopg.errors.DeadlockDetected:  # a projector batch still running: retry
                if attempt == 4:
                    raise
