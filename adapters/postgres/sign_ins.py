"""Sign-in links and pages' sessions in the catalogue (``kaoping.sign_in_links``, and
``kaoping.tokens`` rows of kind ``session``): hashes only, times by the database's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from adapters.postgres.catalogue import PgCatalogue
from adapters.postgres.versions import say_stale
from tenants.signing_in import Consumed, LinkState, SessionRecord, SessionRow

LINK = ("SELECT id, user_id, expires_at,"
        " CASE WHEN used_at IS NOT NULL OR voided_at IS NOT NULL THEN 'used'"
        " WHEN expires_at <= now() THEN 'expired' ELSE 'valid' END AS state"
        " FROM kaoping.sign_in_links WHERE tenant = %s AND hash = %s")


class PgSignIns:
    def __init__(self, catalogue: PgCatalogue) -> None:
        self.catalogue = catalogue
        self.pool = catalogue.pool

    def add_link(self, code_hash: bytes, link_id: UUID, slug: str, user_id: UUID,
                 created_by: str, lifetime: timedelta) -> datetime:
        with self.pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO kaoping.sign_in_links (hash, id, tenant, user_id, created_by,"
                " expires_at) VALUES (%s, %s, %s, %s, %s, now() + %s) RETURNING expires_at",
                (code_hash, link_id, slug, user_id, created_by, lifetime)).fetchone()
        return row["expires_at"]  # type: ignore[no-any-return]

    def link(self, slug: str, code_hash: bytes) -> LinkState | None:
        with self.pool.connection() as conn:
            row = conn.execute(LINK, (slug, code_hash)).fetchone()
        return LinkState(row["id"], row["user_id"], row["expires_at"], row["state"]) \
            if row else None

    def consume(self, slug: str, code_hash: bytes, session_hash: bytes, session_id: UUID,
                role: str, lifetime: timedelta) -> Consumed | None:
        """Use the link and start the session, in one transaction. Of two confirmations at
        once, the second waits for the first's row lock, then finds the link used."""
        with self.pool.connection() as conn, conn.transaction():
            used = conn.execute(
                "UPDATE kaoping.sign_in_links SET used_at = now()"
                " WHERE tenant = %s AND hash = %s AND used_at IS NULL AND voided_at IS NULL"
                " AND expires_at > now() RETURNING id, user_id", (slug, code_hash)).fetchone()
            if used is None:
                return None
            row = conn.execute(
                "INSERT INTO kaoping.tokens (hash, tenant, user_id, role, kind, session_id,"
                " expires_at) VALUES (%s, %s, %s, %s, 'session', %s, now() + %s)"
                " RETURNING expires_at",
                (session_hash, slug, used["user_id"], role, session_id, lifetime)).fetchone()
        return Consumed(used["id"], row["expires_at"])

    def sessions(self, slug: str, user_id: UUID) -> list[SessionRow]:
        """The user's sessions still going (not ended, not expired), the newest first."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT session_id, created_at, expires_at FROM kaoping.tokens"
                " WHERE tenant = %s AND user_id = %s AND kind = 'session'"
                " AND revoked_at IS NULL AND expires_at > now()"
                " ORDER BY created_at DESC, session_id", (slug, user_id)).fetchall()
        return [SessionRow(r["session_id"], r["created_at"], r["expires_at"]) for r in rows]

    def session_history(self, slug: str, user_id: UUID, limit: int) -> list[SessionRecord]:
        """The user's sessions, ended and expired ones too, the newest first."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT session_id, created_at, expires_at, revoked_at,"
                " CASE WHEN revoked_at IS NOT NULL THEN 'ended'"
                " WHEN expires_at <= now() THEN 'expired' ELSE 'active' END AS state"
                " FROM kaoping.tokens WHERE tenant = %s AND user_id = %s AND kind = 'session'"
                " ORDER BY created_at DESC, session_id LIMIT %s",
                (slug, user_id, limit)).fetchall()
        return [SessionRecord(r["session_id"], r["created_at"], r["expires_at"],
                              r["revoked_at"], r["state"]) for r in rows]

    def end_session(self, slug: str, user_id: UUID, session_id: UUID) -> bool:
        """End a session still going; False if there is none such."""
        with self.pool.connection() as conn, conn.transaction():
            cur = conn.execute(
                "UPDATE kaoping.tokens SET revoked_at = now() WHERE tenant = %s"
                " AND user_id = %s AND session_id = %s AND kind = 'session'"
                " AND revoked_at IS NULL AND expires_at > now()",
                (slug, user_id, session_id))
            if cur.rowcount:
                say_stale(conn, slug)
        if cur.rowcount:
            self.catalogue.forget(slug)
        return bool(cur.rowcount)
