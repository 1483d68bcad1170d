"""Checkpoints of the as-of replay: the board folded from the log up to a position, saved.

An as-of read (``services.replay.board_as_of``) resumes from the latest checkpoint at or
before its position instead of position 0, and folds only the assessment's events after it.
A checkpoint is made by that same fold (never from the projector's views, whose dicts are in
jsonb key order, not the fold's insertion order that ties and judge lists follow), encoded
with msgpack, which keeps each map's order: decoded, it is the very state the fold had.

Each row is bound to the log and to the fold (docs/adr/0023):
- ``log_hash``: the chain's hash at the checkpoint's position. A checkpoint whose hash is not
  the log's at that position (another log restored under the same schema, a row copied from
  elsewhere) is never found: the read joins ``event_log`` on both.
- ``fold``: ``domain.board.FOLD_VERSION``. A release whose fold gives other boards bumps it,
  and the checkpoints of the old fold are left unread (and rebuilt).
- ``digest``: sha256 of the encoded state, checked before decoding: a damaged row is not
  used; the read folds from position 0 and says so in the log.
They are derived data: ``verify`` and ``publish`` never read them, and
``services.replay.check_checkpoints`` (``kaoping audit checkpoints``) recomputes every one
from the log alone and names those that differ.
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

import msgspec
import structlog
from psycopg.sql import SQL, Composed, Identifier

from domain.board import FOLD_VERSION, BoardState

log = structlog.get_logger("kaoping.checkpoints")
_encoder = msgspec.msgpack.Encoder(decimal_format="string", uuid_format="bytes")
_decoder = msgspec.msgpack.Decoder(BoardState)


def encode_board(state: BoardState) -> bytes:
    return _encoder.encode(state)


def decode_board(data: bytes) -> BoardState:
    return _decoder.decode(data)


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def checkpoint_table(schema: str) -> Composed:
    """Created with the event store's tables (at provisioning and at every start-up, so an
    old tenant gains it by the start-up upgrade)."""
    return SQL(
        "CREATE TABLE IF NOT EXISTS {s}.board_checkpoints ("
        " assessment_id uuid NOT NULL,"
        " fold integer NOT NULL,"
        " position bigint NOT NULL,"
        " log_hash bytea NOT NULL,"
        " digest bytea NOT NULL,"
        " state bytea NOT NULL,"
        " PRIMARY KEY (assessment_id, fold, position))"
    ).format(s=Identifier(schema))


class CheckpointSql:
    """The statements of one schema's checkpoints (used by ``TenantRecorder``)."""

    def __init__(self, schema: str) -> None:
        s = Identifier(schema)
        self.latest = SQL(
            "SELECT c.position, c.digest, c.state FROM {s}.board_checkpoints c"
            " JOIN {s}.event_log l ON l.position = c.position AND l.hash = c.log_hash"
            " WHERE c.assessment_id = %(a)s AND c.fold = %(fold)s AND c.position <= %(upto)s"
            " ORDER BY c.position DESC LIMIT 1").format(s=s)
        self.every = SQL(
            "SELECT c.position, c.digest, c.state, l.hash IS NOT DISTINCT FROM c.log_hash"
            " FROM {s}.board_checkpoints c LEFT JOIN {s}.event_log l ON l.position = c.position"
            " WHERE c.assessment_id = %(a)s AND c.fold = %(fold)s ORDER BY c.position"
        ).format(s=s)
        self.insert = SQL(
            "INSERT INTO {s}.board_checkpoints"
            " (assessment_id, fold, position, log_hash, digest, state)"
            " SELECT %(a)s, %(fold)s, v.position, l.hash, v.digest, v.state"
            " FROM unnest(%(positions)s::bigint[], %(digests)s::bytea[], %(states)s::bytea[])"
            "   AS v (position, digest, state)"
            " JOIN {s}.event_log l ON l.position = v.position"
            " ON CONFLICT DO NOTHING").format(s=s)


def found_board(row: Any, assessment_id: UUID) -> BoardState | None:
    """The state of a checkpoint row, or None if it is damaged (logged)."""
    position, stored_digest, data = row
    data = bytes(data)
    if digest(data) != bytes(stored_digest):
        log.warning("checkpoint_damaged", assessment=str(assessment_id), position=position,
                    problem="digest")
        return None
    try:
        state = decode_board(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        log.warning("checkpoint_damaged", assessment=str(assessment_id), position=position,
                    problem=str(error))
        return None
    if state.assessment_id != assessment_id or state.position != position:
        log.warning("checkpoint_damaged", assessment=str(assessment_id), position=position,
                    problem="another board")
        return None
    return state


def insert_params(assessment_id: UUID, frozen: list[tuple[int, bytes]]) -> dict[str, Any]:
    return {"a": assessment_id, "fold": FOLD_VERSION,
            "positions": [p for p, _ in frozen], "digests": [digest(d) for _, d in frozen],
            "states": [d for _, d in frozen]}
