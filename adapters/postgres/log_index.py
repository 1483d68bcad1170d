"""The log index by assessment (issue 11): ``event_log.assessment_id``.

The insert function writes each event's assessment beside its hash, in the same transaction
(``NO_ASSESSMENT`` for an event of none). Events written before the index existed — every log
of a release before issue 11, and a restored export — have NULL there: they are indexed here,
in batches, by decoding them and asking the domain (``domain.board.assessment_of``), the one
rule the replay itself uses. Until then every replay reads them too, so answers never depend
on the index being complete, only their speed does.
"""

from __future__ import annotations

from typing import Any

import structlog
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import Connection
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE, NO_ASSESSMENT
from adapters.postgres.roles import acting_as
from domain.board import assessment_of

BATCH = 5000
log = structlog.get_logger("kaoping.log_index")


def index_batch(conn: Connection[Any], schema: str, mapper: Mapper, after: int = 0,  # type: ignore[type-arg]
                limit: int = BATCH) -> tuple[int, int]:
    """Index up to ``limit`` unindexed events after position ``after``, in the caller's
    transaction. Returns how many, and the last position looked at. Idempotent: a row
    another process indexed meanwhile is left as it is."""
    s = Identifier(schema)
    with conn.cursor(row_factory=tuple_row) as curs:
        rows = curs.execute(SQL(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state"
            " FROM {s}.event_log l JOIN {s}.{t} e ON e.notification_id = l.position"
            " WHERE l.assessment_id IS NULL AND l.position > %s ORDER BY l.position LIMIT %s"
        ).format(s=s, t=Identifier(EVENTS_TABLE)), (after, limit)).fetchall()
    if not rows:
        return 0, after
    assessments = [assessment_of(mapper.to_domain_event(StoredEvent(o, v, t, bytes(state))))
                   or NO_ASSESSMENT for _, o, v, t, state in rows]
    conn.execute(SQL(
        "UPDATE {s}.event_log l SET assessment_id = v.a"
        " FROM unnest(%s::bigint[], %s::uuid[]) AS v (p, a)"
        " WHERE l.position = v.p AND l.assessment_id IS NULL").format(s=s),
        ([row[0] for row in rows], assessments))
    return len(rows), rows[-1][0]


def index_all(conn: Connection[Any], schema: str, mapper: Mapper) -> int:  # type: ignore[type-arg]
    """Index every unindexed event in the caller's transaction (a restore, all or nothing)."""
    total, after = 0, 0
    while True:
        count, after = index_batch(conn, schema, mapper, after)
        total += count
        if count < BATCH:
            return total


def backfill(pool: Any, schema: str, role: str, mapper: Mapper) -> int:  # type: ignore[type-arg]
    """At start-up: index an old log, one transaction per batch (a large log is indexed
    without holding one long transaction; a start-up stopped halfway resumes where it was)."""
    total, after = 0, 0
    while True:
        with pool.connection() as conn, acting_as(conn, role), conn.transaction():
            count, after = index_batch(conn, schema, mapper, after)
        total += count
        if count < BATCH:
            break
        log.info("log_index_backfilling", schema=schema, indexed=total, position=after)
    if total:
        log.info("log_index_backfilled", schema=schema, indexed=total)
    return total
