"""The annual boards (年度考核), one row per review: its folded state; part of ``PgViews``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from adapters.postgres.mapper import encode
from domain.annual_board import AnnualState

TABLE = ("CREATE TABLE IF NOT EXISTS {s}.annual_boards ("
         " review_id uuid PRIMARY KEY, position bigint NOT NULL, year text NOT NULL,"
         " name text NOT NULL, version integer NOT NULL, state jsonb NOT NULL)")
_state = msgspec.json.Decoder(AnnualState)


class AnnualBoardViews:
    conn: Connection[Any]
    s: Identifier

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(s=self.s)  # type: ignore[arg-type]

    def load_annual(self, review_id: UUID) -> AnnualState | None:
        row = self.conn.execute(
            self._sql("SELECT state::text AS state FROM {s}.annual_boards WHERE review_id = %s"),
            (review_id,)).fetchone()
        return None if row is None else _state.decode(row["state"])

    def save_annual(self, state: AnnualState) -> None:
        self.conn.execute(self._sql(
            "INSERT INTO {s}.annual_boards (review_id, position, year, name, version, state)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (review_id) DO UPDATE SET"
            " position = excluded.position, year = excluded.year, name = excluded.name,"
            " version = excluded.version, state = excluded.state"),
            (state.review_id, state.position, state.year, state.name, state.version,
             encode(state).decode()))

    def annual_reviews(self) -> list[dict[str, Any]]:
        return self.conn.execute(self._sql(
            "SELECT review_id, year, name, version, position FROM {s}.annual_boards"
            " ORDER BY year DESC, name")).fetchall()
