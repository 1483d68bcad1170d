"""Reading a tenant's log as auditors need it: by time, and page by page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE


def position_at(conn: Connection[Any], schema: str, when: datetime) -> int:
    """The last log position recorded at or before ``when`` (0 if none)."""
    row = conn.execute(
        SQL("SELECT coalesce(max(position), 0) AS p FROM {s}.event_log WHERE recorded_at <= %s")
        .format(s=Identifier(schema)), (when,)).fetchone()
    return int(row["p"])


def events_page(conn: Connection[Any], schema: str, after: int, limit: int) -> list[dict[str, Any]]:
    return conn.execute(
        SQL("SELECT e.notification_id AS position, l.recorded_at, e.originator_id,"
            " e.originator_version, e.topic, e.state, l.hash FROM {s}.{events} e"
            " JOIN {s}.event_log l ON l.position = e.notification_id"
            " WHERE e.notification_id > %s ORDER BY e.notification_id LIMIT %s")
        .format(s=Identifier(schema), events=Identifier(EVENTS_TABLE)),
        (after, limit)).fetchall()


def head(conn: Connection[Any], schema: str) -> tuple[int, str]:
    row = conn.execute(SQL("SELECT position, hash FROM {s}.log_head").format(
        s=Identifier(schema))).fetchone()
    return int(row["position"]), bytes(row["hash"]).hex()


def recorded_times(conn: Connection[Any], schema: str) -> dict[int, datetime]:
    rows = conn.execute(SQL("SELECT position, recorded_at FROM {s}.event_log").format(
        s=Identifier(schema)))
    return {row["position"]: row["recorded_at"] for row in rows}
