"""Per-tenant event stores over the shared pool.

The library would build a pool per Application; ``SharedPoolDatastore`` hands it ours
instead. ``TenantRecorder`` swaps the library's insert function for one that also
serialises writers per tenant, keeps a hash chain and a timestamp per event, and
notifies a channel named after the tenant's schema (the library's channel is the table
name, the same in every schema, so every tenant's write would wake every listener).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, NamedTuple
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    InfrastructureFactory,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment, retry
from psycopg import Connection
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier, Literal

from adapters.postgres.checkpoints import (
    CheckpointSql,
    checkpoint_table,
    digest,
    encode_board,
    found_board,
    insert_params,
)
from adapters.postgres.checkpoints import log as checkpoint_log
from adapters.postgres.mapper import collector_paused
from adapters.postgres.pool import SharedPool
from domain.board import FOLD_VERSION, BoardState
from services.terms import MovedOn

EVENTS_TABLE = "kaoping_events"
GENESIS = bytes(32)
LOCK_TIMEOUT_SECONDS = 5
LAST_POSITION = 2**63 - 1
STREAM_PAGE = 2000


class SharedPoolDatastore(PostgresDatastore):
    """A datastore for one schema that borrows the process's pool and never closes it."""

    pool: SharedPool  # type: ignore[assignment]

    def __init__(self, pool: SharedPool, schema: str, role: str) -> None:
        # The library builds its own pool closed (open=False: no connection is made); ours
        # replaces it before anything could open it.
        super().__init__(
            dbname="", host="", port=0, user="", password="", schema=schema,
            idle_in_transaction_session_timeout=30, lock_timeout=LOCK_TIMEOUT_SECONDS,
            originator_id_type="uuid", enable_db_functions=True,
        )
        self.pool = pool
        self.role = role

    @contextmanager
    def get_connection(self) -> Iterator[Connection[Any]]:
        """A connection acting as the tenant's role (``SharedPool.acting_as``: no round trip
        while the connection already acts as it), with the library's exceptions."""
        try:
            with self.pool.acting_as(self.role) as conn:
                yield conn
        except psycopg.Error as e:
            raise persistence_error(e) from e

    def register_type_adapters(self) -> None:
        """Not needed: our insert function takes plain arrays, not the library's composite
        type. (Composite adapters registered per tenant on shared connections collide: each
        tenant's type has the same name.)"""

    def close(self) -> None:
        """The pool belongs to the process, not to one tenant."""


# The library's own translation (PostgresDatastore.get_connection), most specific first.
_ERRORS: tuple[tuple[type[psycopg.Error], type[PersistenceError]], ...] = (
    (psycopg.InterfaceError, InterfaceError), (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError), (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError), (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError), (psycopg.DatabaseError, DatabaseError),
)


def persistence_error(e: psycopg.Error) -> PersistenceError:
    for theirs, ours in _ERRORS:
        if isinstance(e, theirs):
            return ours(str(e))
    return PersistenceError(str(e))


def log_tables(schema: str) -> list[Composed]:
    s = Identifier(schema)
    return [
        SQL(
            "CREATE TABLE IF NOT EXISTS {s}.event_log ("
            " position bigint PRIMARY KEY,"
            " recorded_at timestamptz NOT NULL,"
            " hash bytea NOT NULL)"
        ).format(s=s),
        SQL(
            "CREATE INDEX IF NOT EXISTS event_log_recorded_at_idx "
            "ON {s}.event_log (recorded_at, position)"
        ).format(s=s),
        # The log index by assessment (issue 11): NULL until indexed (events written before
        # the index existed are back-filled at start-up, see adapters.postgres.log_index);
        # NO_ASSESSMENT for an event that belongs to no assessment.
        SQL("ALTER TABLE {s}.event_log ADD COLUMN IF NOT EXISTS assessment_id uuid").format(s=s),
        SQL(
            "CREATE INDEX IF NOT EXISTS event_log_assessment_idx "
            "ON {s}.event_log (assessment_id, position)"
        ).format(s=s),
        SQL(
            "CREATE INDEX IF NOT EXISTS event_log_unindexed_idx "
            "ON {s}.event_log (position) WHERE assessment_id IS NULL"
        ).format(s=s),
        SQL(
            "CREATE TABLE IF NOT EXISTS {s}.log_head ("
            " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
            " position bigint NOT NULL,"
            " hash bytea NOT NULL)"
        ).format(s=s),
        SQL(
            "INSERT INTO {s}.log_head (singleton, position, hash) VALUES (true, 0, {g}) "
            "ON CONFLICT DO NOTHING"
        ).format(s=s, g=Literal(GENESIS)),
    ]


INSERT_FUNCTION = "kaoping_insert_events"
NO_ASSESSMENT = UUID(int=0)  # the index entry of an event that belongs to no assessment


def drop_old_insert_function(schema: str) -> Composed:
    """Releases before issue 11 inserted with four arrays and no index: a process of such a
    release still running would write events the index misses, so its function goes (its
    writes then fail instead)."""
    return SQL("DROP FUNCTION IF EXISTS {s}.{function}(uuid[], bigint[], text[], bytea[])").format(
        s=Identifier(schema), function=Identifier(INSERT_FUNCTION))


def insert_function(schema: str, events_table: str) -> Composed:
    """h_n = sha256(h_{n-1} ‖ position ‖ originator ‖ version ‖ len(topic) ‖ topic ‖ state)."""
    return SQL(
        "CREATE OR REPLACE FUNCTION {s}.{function}("
        "ids uuid[], versions bigint[], topics text[], states bytea[], assessments uuid[]) "
        "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
        "DECLARE head bytea; last_position bigint; at timestamptz := clock_timestamp(); r record; "
        "BEGIN "
        "  SET LOCAL lock_timeout = '{lock}s'; "
        # One writer per tenant at a time: positions commit in order and the chain has one head.
        "  SELECT h.hash, h.position INTO head, last_position FROM {s}.log_head h FOR UPDATE; "
        "  PERFORM pg_notify({channel}, ''); "
        "  FOR r IN WITH inserted AS ("
        "      INSERT INTO {s}.{table} AS t (originator_id, originator_version, topic, state) "
        "      SELECT e.originator_id, e.originator_version, e.topic, e.state"
        "      FROM unnest(ids, versions, topics, states)"
        "        AS e (originator_id, originator_version, topic, state) "
        "      RETURNING t.notification_id, t.originator_id, t.originator_version, t.topic, t.state"
        # (originator, version) is unique: it finds each inserted event's assessment.
        "    ) SELECT i.*, a.assessment_id FROM inserted i"
        "      JOIN unnest(ids, versions, assessments) AS a (originator_id, originator_version,"
        "        assessment_id) USING (originator_id, originator_version)"
        "    ORDER BY i.notification_id "
        "  LOOP "
        "    head := sha256(head || int8send(r.notification_id) || uuid_send(r.originator_id) "
        "      || int8send(r.originator_version) "
        "      || int4send(octet_length(convert_to(r.topic, 'UTF8'))) "
        "      || convert_to(r.topic, 'UTF8') || r.state); "
        "    INSERT INTO {s}.event_log (position, recorded_at, hash, assessment_id) "
        "      VALUES (r.notification_id, at, head, r.assessment_id); "
        "    last_position := r.notification_id; "
        "    RETURN NEXT r.notification_id; "
        "  END LOOP; "
        "  UPDATE {s}.log_head SET hash = head, position = last_position; "
        "END; $BODY$"
    ).format(
        s=Identifier(schema),
        function=Identifier(INSERT_FUNCTION),
        table=Identifier(events_table),
        channel=Literal(schema),
        lock=SQL(str(LOCK_TIMEOUT_SECONDS)),
    )


STILL_AT_FUNCTION = "kaoping_still_at"
MOVED_ON = "KP409"  # the SQLSTATE of a write refused because its condition moved on


def still_at_function(schema: str, events_table: str) -> Composed:
    """A write's condition: ``originator`` is still at ``expected``. It takes the log lock
    first (as the insert function does), so its check sees every write committed before this
    one: a close or a recusal committed meanwhile in any process refuses the write."""
    return SQL(
        "CREATE OR REPLACE FUNCTION {s}.{function}(originator uuid, expected bigint) "
        "RETURNS boolean LANGUAGE plpgsql AS $BODY$ "
        "DECLARE found bigint; "
        "BEGIN "
        "  SET LOCAL lock_timeout = '{lock}s'; "
        "  PERFORM 1 FROM {s}.log_head FOR UPDATE; "
        # A new statement: in READ COMMITTED it sees what committed before the lock was ours.
        "  SELECT max(originator_version) INTO found FROM {s}.{table}"
        "    WHERE originator_id = originator; "
        "  IF found IS DISTINCT FROM expected THEN "
        "    RAISE EXCEPTION 'moved on: % is at version %, not %', originator, found, expected"
        "      USING ERRCODE = {code}; "
        "  END IF; "
        "  RETURN true; "
        "END; $BODY$"
    ).format(s=Identifier(schema), function=Identifier(STILL_AT_FUNCTION),
             table=Identifier(events_table), lock=SQL(str(LOCK_TIMEOUT_SECONDS)),
             code=Literal(MOVED_ON))


class Recorded(NamedTuple):
    """A stored event at its position: what the mapper decodes (a light ``Notification``)."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def _recorded(cursor: Any) -> Any:
    return partial(tuple.__new__, Recorded)  # no Python frame per row (``_make`` has one)


class TenantRecorder(PostgresApplicationRecorder):
    """The application recorder of one tenant schema, with the chained insert function."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = EVENTS_TABLE):
        super().__init__(datastore, events_table_name=events_table_name)
        self.channel_name = datastore.schema
        index = self.create_insert_function_statement_index
        self.sql_create_statements[index:index + 1] = [
            *log_tables(datastore.schema),
            drop_old_insert_function(datastore.schema),
            insert_function(datastore.schema, events_table_name),
            still_at_function(datastore.schema, events_table_name),
            checkpoint_table(datastore.schema),
        ]
        self.sql_checkpoints = CheckpointSql(datastore.schema)
        # The positions by the index (an index-only scan), then the events by their key in
        # one ordered index scan: the other assessments' events are never read.
        self.sql_select_assessment = SQL(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state"
            " FROM {s}.{t} e WHERE e.notification_id = ANY (ARRAY("
            "  SELECT position FROM {s}.event_log"
            "  WHERE assessment_id = %(a)s AND position > %(after)s AND position <= %(upto)s"
            "  UNION ALL SELECT position FROM {s}.event_log"
            "  WHERE assessment_id IS NULL AND position > %(after)s AND position <= %(upto)s))"
            " ORDER BY e.notification_id"
        ).format(s=Identifier(datastore.schema), t=Identifier(events_table_name))
        # The statements of every score write, as bytes once: psycopg renders a composed
        # statement anew on each execute.
        self.sql_insert = SQL("SELECT * FROM {s}.{f}(%s, %s, %s, %s, %s)").format(
            s=Identifier(datastore.schema), f=Identifier(INSERT_FUNCTION)
        ).as_bytes(None)
        self.sql_select_stream = (
            self.select_events_statement + SQL(" ORDER BY originator_version ASC")
        ).as_bytes(None)
        # One statement, so one round trip: the condition is checked first (the insert's
        # first argument depends on it, LATERAL), and if it fails nothing is inserted.
        self.sql_insert_while_at = SQL(
            "SELECT i.* FROM {s}.{still_at}(%s, %s) AS c (ok),"
            " LATERAL {s}.{f}(CASE WHEN c.ok THEN %s::uuid[] END, %s, %s, %s, %s) AS i ({f})"
        ).format(s=Identifier(datastore.schema), f=Identifier(INSERT_FUNCTION),
                 still_at=Identifier(STILL_AT_FUNCTION)).as_bytes(None)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_events(self, originator_id: UUID | str, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        """A whole stream (a scorecard's, on every score write) by a statement rendered
        once; any narrower read as the library makes it."""
        if gt is not None or lte is not None or desc or limit is not None:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.sql_select_stream, (originator_id,), prepare=True)
            return [StoredEvent(row["originator_id"], row["originator_version"], row["topic"],
                                bytes(row["state"])) for row in curs.fetchall()]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """One call of the chained insert function; no retry loop, so a database outage
        fails the request fast instead of stalling it.

        ``assessments`` (from ``Application.save``'s keywords): each event's assessment, None
        for an event of no assessment. Without it the events are left unindexed (read by
        every replay until the start-up back-fill indexes them)."""
        if not stored_events:
            return []
        assessments = kwargs.get("assessments")
        params = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
            [a or NO_ASSESSMENT for a in assessments] if assessments is not None
            else [None] * len(stored_events),
        )
        while_at = kwargs.get("while_at")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            if while_at is None:
                curs.execute(self.sql_insert, params, prepare=True)
                return [row[INSERT_FUNCTION] for row in curs.fetchall()]
            try:
                curs.execute(self.sql_insert_while_at, (*while_at, *params), prepare=True)
            except psycopg.Error as e:
                if e.sqlstate == MOVED_ON:
                    raise MovedOn(str(e)) from None
                raise
            return [row[INSERT_FUNCTION] for row in curs.fetchall()]


    def latest_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        """Each existing stream's last version, for many ids in one statement (an import
        checks thousands of names at once: services/imports.py)."""
        if not ids:
            return {}
        with self.datastore.get_connection() as conn:
            rows = conn.execute(
                SQL("SELECT originator_id, max(originator_version) AS v FROM {s}.{t}"
                    " WHERE originator_id = ANY(%s) GROUP BY originator_id").format(
                    s=Identifier(self.datastore.schema), t=Identifier(self.events_table_name)),
                (list(ids),)).fetchall()
        return {row["originator_id"]: row["v"] for row in rows}

    def select_assessment_events(
        self, assessment_id: UUID, upto: int | None = None, after: int = 0
    ) -> Iterator[Recorded]:
        """The events the index gives to the assessment, after position ``after`` up to
        position ``upto``, in log order, with every event not indexed yet (none once the
        start-up back-fill has run; the caller keeps those that are its). Streamed from a
        server-side cursor in binary rows (uuid and bytea arrive unparsed), so decoding
        starts with the first page and only a page is held at a time."""
        where = {"a": assessment_id, "upto": LAST_POSITION if upto is None else upto,
                 "after": after}
        # The collector paused while the replay reads, decodes and folds (a hundred thousand
        # events allocate millions of objects, none of them cyclic garbage): in a server's
        # large heap its passes cost a third of an as-of read (docs/adr/0019).
        with (collector_paused(), self.datastore.get_connection() as conn, conn.transaction(),
              conn.cursor(name="replay", row_factory=_recorded, binary=True) as curs):
            curs.execute(self.sql_select_assessment, where)
            while page := curs.fetchmany(STREAM_PAGE):
                yield from page


    # -- checkpoints of the as-of replay (services.replay.Checkpointing, docs/adr/0023) ----

    def latest_checkpoint(self, assessment_id: UUID, upto: int | None = None
                          ) -> BoardState | None:
        """The board of the latest sound checkpoint at or before ``upto``, or None (none
        yet, none of this fold or log, a damaged one, or no table: the caller folds from 0)."""
        where = {"a": assessment_id, "fold": FOLD_VERSION,
                 "upto": LAST_POSITION if upto is None else upto}
        try:
            with (self.datastore.get_connection() as conn,
                  conn.cursor(row_factory=tuple_row, binary=True) as curs):
                row = curs.execute(self.sql_checkpoints.latest, where).fetchone()
        except PersistenceError as error:  # e.g. the table dropped: slower, never wrong
            checkpoint_log.warning("checkpoints_unreadable", error=str(error))
            return None
        if row is None:
            return None
        with collector_paused():
            return found_board(row, assessment_id)

    def freeze_checkpoint(self, state: BoardState) -> tuple[int, bytes]:
        """The state as it is now, encoded (the fold goes on changing it)."""
        return state.position, encode_board(state)

    def stored_checkpoints(self, assessment_id: UUID) -> list[tuple[int, tuple[int, bytes] | None]]:
        """Every checkpoint of the assessment and this fold, whatever its hash (for the
        check from the log alone, ``services.replay.check_checkpoints``)."""
        with (self.datastore.get_connection() as conn,
              conn.cursor(row_factory=tuple_row, binary=True) as curs):
            found = curs.execute(self.sql_checkpoints.every, {
                "a": assessment_id, "fold": FOLD_VERSION}).fetchall()
        return [(position, (position, bytes(data)) if bound and digest(bytes(data)) == bytes(
            stored) else None) for position, stored, data, bound in found]

    def save_checkpoints(self, assessment_id: UUID, frozen: list[tuple[int, bytes]]) -> None:
        """Save checkpoints made by ``freeze_checkpoint`` (one already there is kept). A
        failure is logged, never raised: an as-of read does not fail for want of one."""
        if not frozen:
            return
        try:
            with self.datastore.get_connection() as conn:
                conn.execute(self.sql_checkpoints.insert, insert_params(assessment_id, frozen))
        except PersistenceError as error:
            checkpoint_log.warning("checkpoints_unsaved", error=str(error))


class SnapshotRecorder(PostgresAggregateRecorder):
    """Snapshots: derived from the log, so outside its chain; plain arrays, no composite."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if stored_events:
            with self.datastore.get_connection() as conn:
                conn.execute(
                    SQL("INSERT INTO {s}.{t} (originator_id, originator_version, topic, state)"
                        " SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[],"
                        " %s::bytea[])").format(s=Identifier(self.datastore.schema),
                                                t=Identifier(self.events_table_name)),
                    ([e.originator_id for e in stored_events],
                     [e.originator_version for e in stored_events],
                     [e.topic for e in stored_events], [e.state for e in stored_events]),
                )
        return None


class TenantFactory(PostgresFactory):
    """Infrastructure for one tenant: its schema, over the process's shared pool."""

    application_recorder_class = TenantRecorder
    aggregate_recorder_class = SnapshotRecorder

    def __init__(self, env: Environment, datastore: SharedPoolDatastore) -> None:
        InfrastructureFactory.__init__(self, env)  # skip reading POSTGRES_* from the environment
        self.datastore = datastore


def tenant_factory(
    pool: SharedPool, schema: str, *, role: str, create_tables: bool,
    snapshotting: bool = False, cache: bool = True,
) -> TenantFactory:
    env = Environment(
        "Kaoping",
        {
            "CREATE_TABLE": "y" if create_tables else "n",
            "IS_SNAPSHOTTING_ENABLED": "y" if snapshotting else "n",
            # Cached aggregates are fast-forwarded from the store on every get, so a cache
            # never serves a stale version; it saves replaying an assessment per score.
            "AGGREGATE_CACHE_MAXSIZE": "500" if cache else "",
        },
    )
    return TenantFactory(env, SharedPoolDatastore(pool, schema, role))
