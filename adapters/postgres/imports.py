"""Dry runs of imports, kept in the tenant's schema until committed (they survive a restart
and are seen by every worker process). A dry run holds its parsed rows, its report and what it
read; its commit, once made, holds the answer, so a second commit returns it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier
from psycopg.types.json import Jsonb

from domain.errors import NotFound


def imports_table(schema: str) -> Composed:
    return SQL(
        "CREATE TABLE IF NOT EXISTS {s}.imports ("
        " id uuid PRIMARY KEY, kind text NOT NULL, params jsonb NOT NULL,"
        " actor_id text NOT NULL, filename text NOT NULL, sha256 text NOT NULL,"
        " rows jsonb NOT NULL, report jsonb NOT NULL, reads jsonb NOT NULL,"
        " created_at timestamptz NOT NULL DEFAULT now(),"
        " committed jsonb, committed_at timestamptz)"
    ).format(s=Identifier(schema))


@dataclass(frozen=True)
class DryRun:
    id: UUID
    kind: str
    params: dict[str, Any]
    actor_id: str
    filename: str
    sha256: str
    rows: list[list[Any]]  # [row number, {field: value}]
    report: dict[str, Any]
    reads: dict[str, int]
    created_at: datetime
    committed: dict[str, Any] | None


class ImportStore:
    def __init__(self, conn: Connection[Any], schema: str) -> None:
        self.conn = conn
        self.s = Identifier(schema)

    def add(self, run: DryRun) -> None:
        self.conn.execute(
            SQL("INSERT INTO {s}.imports (id, kind, params, actor_id, filename, sha256, rows,"
                " report, reads, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                ).format(s=self.s),
            (run.id, run.kind, Jsonb(run.params), run.actor_id, run.filename, run.sha256,
             Jsonb(run.rows), Jsonb(run.report), Jsonb(run.reads), run.created_at))

    def get(self, import_id: UUID, lock: bool = False) -> DryRun:
        """The dry run (locked for the commit with ``lock``: a second commit waits, then
        finds the first one's answer)."""
        row = self.conn.execute(
            SQL("SELECT * FROM {s}.imports WHERE id = %s {lock}").format(
                s=self.s, lock=SQL("FOR UPDATE" if lock else "")), (import_id,)).fetchone()
        if row is None:
            raise NotFound(f"no import {import_id}")
        return DryRun(row["id"], row["kind"], row["params"], row["actor_id"], row["filename"],
                      row["sha256"], row["rows"], row["report"], row["reads"],
                      row["created_at"], row["committed"])

    def commit(self, import_id: UUID, answer: dict[str, Any]) -> None:
        self.conn.execute(
            SQL("UPDATE {s}.imports SET committed = %s, committed_at = now() WHERE id = %s")
            .format(s=self.s), (Jsonb(answer), import_id))
