"""Views of editable records (archived flags, edits) and of rubrics; part of ``PgViews``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier, Literal

from adapters.postgres.mapper import encode

# The columns an edit may set, per table (names come from events, never from a request).
RECORD_COLUMNS = {
    "schools": frozenset({"name", "group", "stage", "zone"}),
    "users": frozenset({"name", "subject"}),
    "units": frozenset({"name", "subject"}),
}



class RecordViews:
    conn: Connection[Any]
    s: Identifier

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(s=self.s)  # type: ignore[arg-type]

    def edit_record(self, table: str, record_id: UUID, position: int,
                    values: dict[str, str | None]) -> None:
        """Apply an edit's new values to a school, user or unit row."""
        if table not in RECORD_COLUMNS or not values.keys() <= RECORD_COLUMNS[table]:
            raise ValueError(f"cannot edit {sorted(values)} of {table}")
        assignments = SQL(", ").join(
            SQL("{} = {}").format(Identifier(column), Literal(value))
            for column, value in values.items())
        self.conn.execute(
            SQL("UPDATE {s}.{t} SET position = %s, {a} WHERE id = %s").format(
                s=self.s, t=Identifier(table), a=assignments), (position, record_id))

    def archive_record(self, table: str, record_id: UUID, position: int) -> None:
        if table not in RECORD_COLUMNS:
            raise ValueError(f"cannot archive a row of {table}")
        self.conn.execute(
            SQL("UPDATE {s}.{t} SET position = %s, archived = true WHERE id = %s").format(
                s=self.s, t=Identifier(table)), (position, record_id))

    def load_rubric(self, rubric_id: UUID) -> dict[str, Any] | None:
        row = self.conn.execute(
            self._sql("SELECT doc FROM {s}.rubrics WHERE id = %s"), (rubric_id,)).fetchone()
        return row["doc"] if row else None

    def save_rubric(self, rubric: dict[str, Any], position: int) -> None:
        self.conn.execute(
            self._sql("INSERT INTO {s}.rubrics (id, position, doc) VALUES (%s, %s, %s)"
                      " ON CONFLICT (id) DO UPDATE SET position = excluded.position,"
                      " doc = excluded.doc"),
            (rubric["id"], position, encode(rubric).decode()))

    def rubrics(self) -> list[dict[str, Any]]:
        return [r["doc"] for r in self.conn.execute(
            self._sql("SELECT doc FROM {s}.rubrics ORDER BY position DESC")).fetchall()]

