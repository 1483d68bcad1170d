"""Re-reading a tenant's log to check its hash chain (tamper evidence)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE, GENESIS


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    length: int
    head: str
    first_bad_position: int | None = None


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    """h_n = sha256(h_{n-1} ‖ position ‖ originator ‖ version ‖ len(topic) ‖ topic ‖ state)."""
    topic_bytes = topic.encode()
    return hashlib.sha256(
        previous + position.to_bytes(8, "big", signed=True) + originator_id.bytes
        + version.to_bytes(8, "big", signed=True) + len(topic_bytes).to_bytes(4, "big")
        + topic_bytes + state
    ).digest()


def verify_chain(conn: Connection[Any], schema: str) -> ChainReport:
    s = Identifier(schema)
    rows = conn.execute(
        SQL(
            "SELECT coalesce(e.notification_id, l.position) AS position, e.originator_id,"
            " e.originator_version, e.topic, e.state, l.hash"
            " FROM {s}.{events} e FULL JOIN {s}.event_log l ON l.position = e.notification_id"
            " ORDER BY 1"
        ).format(s=s, events=Identifier(EVENTS_TABLE))
    )
    head = GENESIS
    length = 0
    for row in rows:
        if row["originator_id"] is None or row["hash"] is None:  # an event or its link deleted
            return ChainReport(False, length, head.hex(), row["position"])
        head = link(head, row["position"], row["originator_id"], row["originator_version"],
                    row["topic"], bytes(row["state"]))
        if head != bytes(row["hash"]):
            return ChainReport(False, length, head.hex(), row["position"])
        length += 1
    stored = conn.execute(SQL("SELECT hash FROM {s}.log_head").format(s=s)).fetchone()
    if stored is None or bytes(stored["hash"]) != head:
        return ChainReport(False, length, head.hex(), None)
    return ChainReport(True, length, head.hex())
