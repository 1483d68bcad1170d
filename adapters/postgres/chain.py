"""Re-reading a tenant's log to check its hash chain (tamper evidence), from the database
or from an export; in the database also the log index by assessment, against the events."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError, StoredEvent
from psycopg import Connection
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE, GENESIS, NO_ASSESSMENT
from adapters.postgres.mapper import MsgspecMapper
from domain.board import assessment_of


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    length: int
    head: str
    first_bad_position: int | None = None
    # The first position whose index entry is not the assessment its event belongs to.
    first_bad_index: int | None = None


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


def indexed_right(mapper: MsgspecMapper, item: Link, indexed: UUID | None) -> bool:
    """Whether the index files the event under its own assessment. An event that does not
    decode is left to the chain, which finds the changed bytes."""
    assert item.originator_id is not None and item.topic is not None
    try:
        event = mapper.to_domain_event(StoredEvent(item.originator_id, item.originator_version,
                                                   item.topic, item.state))
    except MapperDeserialisationError:
        return True
    return indexed == (assessment_of(event) or NO_ASSESSMENT)


def verify_chain(conn: Connection[Any], schema: str) -> ChainReport:
    """The chain, and the index: every event's ``assessment_id`` must be the one its decoded
    event belongs to (a replay reads an assessment's events by it; an event indexed away from
    its assessment would be missing from that assessment's as-of board).

    Streamed from a server-side cursor (a million events are never held at once), in one
    snapshot with the head it is compared with (the caller's transaction, if it is in one)."""
    idle = conn.info.transaction_status == TransactionStatus.IDLE
    with conn.transaction():
        if idle:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _verify(conn, Identifier(schema))


def _verify(conn: Connection[Any], s: Identifier) -> ChainReport:
    stored = conn.execute(SQL("SELECT hash FROM {s}.log_head").format(s=s)).fetchone()
    mapper, bad_index = MsgspecMapper(), []
    with conn.cursor(name="verify_chain") as rows:
        rows.itersize = 2000
        rows.execute(SQL(
            "SELECT coalesce(e.notification_id, l.position) AS position, e.originator_id,"
            " e.originator_version, e.topic, e.state, l.hash, l.assessment_id"
            " FROM {s}.{events} e FULL JOIN {s}.event_log l ON l.position = e.notification_id"
            " ORDER BY 1"
        ).format(s=s, events=Identifier(EVENTS_TABLE)))

        def links() -> Iterable[Link]:
            for r in rows:
                item = Link(r["position"], r["originator_id"], r["originator_version"],
                            r["topic"], bytes(r["state"]) if r["state"] is not None else None,
                            bytes(r["hash"]) if r["hash"] is not None else None)
                if (not bad_index and item.state is not None and item.hash is not None
                        and not indexed_right(mapper, item, r["assessment_id"])):
                    bad_index.append(item.position)
                yield item

        report = check(links(), bytes(stored["hash"]) if stored else None)
    return replace(report, ok=False, first_bad_index=bad_index[0]) if bad_index else report
