"""Idempotency-Key for score writes: the same key and body get the first answer again."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from domain.errors import FieldError, RuleViolated, StateConflict

ABANDONED = timedelta(minutes=1)  # a claim unanswered this long was left by a dead process


def idempotency_table(schema: str) -> Composed:
    return SQL(
        "CREATE TABLE IF NOT EXISTS {s}.idempotency ("
        " actor_id text NOT NULL, key text NOT NULL, request_hash bytea NOT NULL,"
        " response jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (actor_id, key))"
    ).format(s=Identifier(schema))


def request_hash(method: str, path: str, body: bytes) -> bytes:
    return hashlib.sha256(b"\n".join((method.encode(), path.encode(), body))).digest()


class Idempotency:
    """A key is claimed before the write (a row whose response is JSON ``null``) and answered
    after it, so that two requests under one key, in one process or two, never both write:
    the second gets the first answer, or, while the first is still running, a refusal to
    retry. A failed write gives its claim back; a claim left by a process that died is taken
    over after ``ABANDONED``."""

    def __init__(self, conn: Connection[Any], schema: str) -> None:
        self.conn = conn
        self.s = Identifier(schema)

    def claim(self, actor_id: str, key: str, digest: bytes) -> Any | None:
        """Claim the key for this request (None: go ahead and write), or return the answer
        the first request under it got."""
        if self.conn.execute(
            SQL("INSERT INTO {s}.idempotency (actor_id, key, request_hash, response)"
                " VALUES (%s, %s, %s, 'null') ON CONFLICT DO NOTHING RETURNING 1").format(
                s=self.s), (actor_id, key, digest)).fetchone():
            return None
        row = self.conn.execute(  # a statement of its own: it sees the row that conflicted
            SQL("SELECT request_hash, response, created_at < now() - %s AS abandoned"
                " FROM {s}.idempotency WHERE actor_id = %s AND key = %s").format(s=self.s),
            (ABANDONED, actor_id, key),
        ).fetchone()
        if row is None:  # given back meanwhile: claim it again
            return self.claim(actor_id, key, digest)
        if bytes(row["request_hash"]) != digest:
            raise RuleViolated(
                "this Idempotency-Key was used for a different request",
                (FieldError("Idempotency-Key", "reuse a key only to retry the same request"),),
            )
        if row["response"] is not None:
            return row["response"]
        if row["abandoned"] and self._take_over(actor_id, key):
            return None
        raise StateConflict("a request with this Idempotency-Key is still being processed:"
                            " retry it in a moment")

    def _take_over(self, actor_id: str, key: str) -> bool:
        return self.conn.execute(
            SQL("UPDATE {s}.idempotency SET created_at = now()"
                " WHERE actor_id = %s AND key = %s AND response = 'null'"
                " AND created_at < now() - %s RETURNING 1").format(s=self.s),
            (actor_id, key, ABANDONED)).fetchone() is not None

    def answer(self, actor_id: str, key: str, response: str) -> None:
        self.conn.execute(
            SQL("UPDATE {s}.idempotency SET response = %s"
                " WHERE actor_id = %s AND key = %s").format(s=self.s),
            (response, actor_id, key),
        )

    def give_back(self, actor_id: str, key: str) -> None:
        self.conn.execute(
            SQL("DELETE FROM {s}.idempotency"
                " WHERE actor_id = %s AND key = %s AND response = 'null'").format(s=self.s),
            (actor_id, key),
        )
