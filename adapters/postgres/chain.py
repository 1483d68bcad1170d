"""Re-reading a tenant's log to check its hash chain (tamper evidence), from the database
or from an export."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
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


@dataclass(frozen=True)
class Link:
    """One stored event with the hash recorded beside it (None where either is missing)."""

    position: int
    originator_id: UUID | None
    originator_version: int | None
    topic: str | None
    state: bytes | None
    hash: bytes | None


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    """h_n = sha256(h_{n-1} ‖ position ‖ originator ‖ version ‖ len(topic) ‖ topic ‖ state)."""
    topic_bytes = topic.encode()
    return hashlib.sha256(
        previous + position.to_bytes(8, "big", signed=True) + originator_id.bytes
        + version.to_bytes(8, "big", signed=True) + len(topic_bytes).to_bytes(4, "big")
        + topic_bytes + state
    ).digest()


def check(links: Iterable[Link], stored_head: bytes | None) -> ChainReport:
    """Recompute the chain over ``links`` (in position order) and compare every hash."""
    head, length = GENESIS, 0
    for item in links:
        if item.originator_id is None or item.hash is None or item.state is None:
            return ChainReport(False, length, head.hex(), item.position)  # a row deleted
        assert item.originator_version is not None and item.topic is not None
        head = link(head, item.position, item.originator_id, item.originator_version,
                    item.topic, item.state)
        if head != item.hash:
            return ChainReport(False, length, head.hex(), item.position)
        length += 1
    if stored_head is None or stored_head != head:
        return ChainReport(False, length, head.hex(), None)
    return ChainReport(True, length, head.hex())


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
    links = (Link(r["position"], r["originator_id"], r["originator_version"], r["topic"],
                  bytes(r["state"]) if r["state"] is not None else None,
                  bytes(r["hash"]) if r["hash"] is not None else None) for r in rows)
    stored = conn.execute(SQL("SELECT hash FROM {s}.log_head").format(s=s)).fetchone()
    return check(links, bytes(stored["hash"]) if stored else None)
