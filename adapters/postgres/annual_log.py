"""Where each event of one stream sits in the tenant's log: its position and time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE


def stream_positions(conn: Connection[Any], schema: str,
                     originator_id: UUID) -> dict[int, tuple[int, datetime]]:
    """originator version → (log position, recorded at), for every event of the stream."""
    rows = conn.execute(
        SQL("SELECT e.originator_version AS v, e.notification_id AS p, l.recorded_at AS at"
            " FROM {s}.{events} e JOIN {s}.event_log l ON l.position = e.notification_id"
            " WHERE e.originator_id = %s").format(s=Identifier(schema),
                                                   events=Identifier(EVENTS_TABLE)),
        (originator_id,)).fetchall()
    return {int(r["v"]): (int(r["p"]), r["at"]) for r in rows}
