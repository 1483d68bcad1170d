"""Restoring a tenant from an export (``kaoping export``): the same events at the same log
positions, with the same recorded times and the same hashes, so the restored log reads — and
verifies — exactly as the original did. The views are then built by the projector from 0.

Why not the event store's insert function: it stamps ``clock_timestamp()`` and takes positions
from the sequence, so it could reproduce neither the recorded times (history's ``at``, a board
``as_of``) nor positions with gaps (a rolled-back write leaves one). The restore writes the same
three tables it writes (events, ``event_log``, ``log_head``) under the same head lock, indexes
the events by assessment (an export carries no index), then re-verifies the chain and the index
in the same transaction: a restore that would not verify is never kept.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg import Connection
from psycopg.sql import SQL, Identifier, Literal

from adapters.container import Container
from adapters.export import verify_export
from adapters.postgres.chain import verify_chain
from adapters.postgres.eventstore import EVENTS_TABLE
from adapters.postgres.log_index import index_all
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from domain.errors import RuleViolated, StateConflict
from domain.user import User
from tenants.model import check_slug
from tenants.tokens import new_token, token_hash

BATCH = 500


@dataclass(frozen=True)
class Recorded:
    """One event line of an export."""

    position: int
    recorded_at: datetime
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
    hash: bytes


@dataclass(frozen=True)
class Restored:
    slug: str
    events: int
    head: str
    admin_id: UUID
    admin_token: str  # a new token for the log's first admin: tokens are never in the log


def read_export(lines: Iterable[str]) -> tuple[list[Recorded], int, str]:
    """The events of an export whose chain checks out, and its head (position, hash)."""
    text = [line for line in lines if line.strip()]
    report = verify_export(text)
    if not report.ok:
        where = report.first_bad_position
        raise RuleViolated(f"the export does not verify (first bad position: {where})", ())
    records = [json.loads(line) for line in text]
    events = [Recorded(r["position"], datetime.fromisoformat(r["recorded_at"]),
                       UUID(r["originator_id"]), r["originator_version"], r["topic"],
                       base64.b64decode(r["state"]), bytes.fromhex(r["hash"]))
              for r in records[1:-1]]
    head = records[-1]["head"]
    return events, int(head["position"]), head["hash"]


def first_admin(events: list[Recorded]) -> UUID:
    """The admin registered first (the one the tenant was created with)."""
    mapper = MsgspecMapper()
    for e in events:
        if e.topic.endswith("User.Registered"):
            registered = mapper.to_domain_event(StoredEvent(
                e.originator_id, e.originator_version, e.topic, e.state))
            if isinstance(registered, User.Registered) and registered.role == "admin":
                return e.originator_id
    raise RuleViolated("the export has no admin user", ())


def restore_log(container: Container, slug: str, name: str, lines: Iterable[str]) -> Restored:
    """Provision ``slug`` and put the exported events in it exactly; issue an admin token."""
    check_slug(slug)
    events, head_position, head_hash = read_export(lines)
    admin_id = first_admin(events)
    container.catalogue.add(slug, name)  # StateConflict if the slug is taken
    try:
        container.platform.provisioner.provision(slug)
        with container.tenant_db(slug) as conn, conn.transaction():
            insert_exactly(conn, schema_of(slug), events, head_position, head_hash)
    except Exception:
        container.catalogue.remove(slug)  # as create_tenant: no half-restored tenant listed
        raise
    token = new_token()
    container.catalogue.add_token(token_hash(token), slug, admin_id, "admin")
    return Restored(slug, len(events), head_hash, admin_id, token)


def insert_exactly(conn: Connection[Any], schema: str, events: list[Recorded],
                   head_position: int, head_hash: str) -> None:
    s, table = Identifier(schema), Identifier(EVENTS_TABLE)
    head = conn.execute(SQL("SELECT position FROM {s}.log_head FOR UPDATE").format(s=s))
    written = conn.execute(SQL("SELECT count(*) AS n FROM {s}.{t}").format(s=s, t=table))
    if head.fetchone()["position"] != 0 or written.fetchone()["n"] != 0:
        raise StateConflict("the tenant's log is not empty: restore only into a new tenant")
    for start in range(0, len(events), BATCH):
        batch = events[start:start + BATCH]
        conn.execute(
            SQL("INSERT INTO {s}.{t} (notification_id, originator_id, originator_version,"
                " topic, state) SELECT * FROM unnest(%s::bigint[], %s::uuid[], %s::bigint[],"
                " %s::text[], %s::bytea[])").format(s=s, t=table),
            ([e.position for e in batch], [e.originator_id for e in batch],
             [e.originator_version for e in batch], [e.topic for e in batch],
             [e.state for e in batch]))
        conn.execute(
            SQL("INSERT INTO {s}.event_log (position, recorded_at, hash) SELECT * FROM"
                " unnest(%s::bigint[], %s::timestamptz[], %s::bytea[])").format(s=s),
            ([e.position for e in batch], [e.recorded_at for e in batch],
             [e.hash for e in batch]))
    conn.execute(SQL("UPDATE {s}.log_head SET position = %s, hash = %s").format(s=s),
                 (head_position, bytes.fromhex(head_hash)))
    if events:  # later writes continue after the restored positions
        conn.execute(SQL("SELECT setval(pg_get_serial_sequence({name}, 'notification_id'), %s)")
                     .format(name=Literal(f'"{schema}".{EVENTS_TABLE}')), (events[-1].position,))
    index_all(conn, schema, MsgspecMapper())  # the export carries no index: rebuild it
    report = verify_chain(conn, schema)
    if not report.ok or report.head != head_hash or report.length != len(events):
        raise StateConflict(f"the restored log does not verify: {report}")
    conn.execute(SQL("SELECT pg_notify({}, '')").format(Literal(schema)))
