"""Idempotency-Key for score writes: the same key and body get the first answer again."""

from __future__ import annotations

import hashlib
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from domain.errors import FieldError, RuleViolated


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
    def __init__(self, conn: Connection[Any], schema: str) -> None:
        self.conn = conn
        self.s = Identifier(schema)

    def recall(self, actor_id: str, key: str, digest: bytes) -> Any | None:
        row = self.conn.execute(
            SQL("SELECT request_hash, response FROM {s}.idempotency"
                " WHERE actor_id = %s AND key = %s").format(s=self.s),
            (actor_id, key),
        ).fetchone()
        if row is None:
            return None
        if bytes(row["request_hash"]) != digest:
            raise RuleViolated(
                "this Idempotency-Key was used for a different request",
                (FieldError("Idempotency-Key", "reuse a key only to retry the same request"),),
            )
        return row["response"]

    def remember(self, actor_id: str, key: str, digest: bytes, response: str) -> None:
        self.conn.execute(
            SQL("INSERT INTO {s}.idempotency (actor_id, key, request_hash, response)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING").format(s=self.s),
            (actor_id, key, digest, response),
        )
