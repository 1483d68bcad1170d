"""The boards, one row per subject; part of ``PgViews``.

``boards`` holds each assessment's header (setup, status, panel, position) and
``board_subjects`` one row per subject (the subject, its cards, recusals and self-scores,
see ``domain.board.SubjectPart``). A card event rewrites its subject's row and the
header's position, never the whole board. Reading the board puts the rows together again
in PostgreSQL, as one jsonb document shaped as the whole board used to be stored, so its
keys come back in the order they always did.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier, Literal

from adapters.postgres.mapper import encode
from domain.board import BoardState, SubjectPart

PART_FIELDS = tuple(SubjectPart.__dataclass_fields__)
_decoder = msgspec.json.Decoder(BoardState)
_MERGED = SQL("{f}, coalesce((SELECT jsonb_object_agg(e.key, e.value)"
              " FROM {s}.board_subjects p, jsonb_each(p.part->{f}) e"
              " WHERE p.assessment_id = b.assessment_id{which}), '{{}}'::jsonb)")
_BOARD = SQL("SELECT (b.state || jsonb_build_object('position', b.position, {merged}))::text"
             " AS state FROM {s}.boards b WHERE b.assessment_id = %(a)s")
_SOME = SQL(" AND p.subject_id = ANY(%(subjects)s)")
_HEAD = SQL("INSERT INTO {s}.boards (assessment_id, position, state) VALUES (%s, %s, %s)"
            " ON CONFLICT (assessment_id) DO UPDATE SET position = excluded.position{state}")


def _board_sql(s: Identifier, which: SQL) -> Composed:
    merged = SQL(", ").join(_MERGED.format(f=Literal(f), s=s, which=which) for f in PART_FIELDS)
    return _BOARD.format(merged=merged, s=s)


class BoardViews:
    conn: Connection[Any]
    s: Identifier

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(s=self.s)  # type: ignore[arg-type]

    def _board_sql(self, some: bool) -> Composed:
        return _board_sql(self.s, _SOME if some else SQL(""))

    def load_board(self, assessment_id: UUID,
                   subjects: Collection[UUID] | None = None) -> BoardState | None:
        """The board as folded so far; with ``subjects``, its header and those subjects'
        parts only (what a batch of their events needs to be folded)."""
        row = self.conn.execute(
            self._board_sql(subjects is not None),
            {"a": assessment_id, "subjects": list(subjects or ())},
        ).fetchone()
        return _decoder.decode(row["state"]) if row else None

    def save_board(self, state: BoardState, subjects: dict[UUID, SubjectPart],
                   header: bool = True) -> None:
        """Write the parts of the subjects given and the header's position (and the rest of
        the header only if ``header``: an event of the setup, status or panel was folded)."""
        head = {"assessment_id": state.assessment_id, "setup": state.setup,
                "status": state.status, "panel": state.panel}
        self.conn.execute(
            _HEAD.format(s=self.s, state=SQL(", state = excluded.state" if header else "")),
            (state.assessment_id, state.position, encode(head).decode()),
        )
        if subjects:  # one statement, its rows as one JSON object (subject → part)
            self.conn.execute(
                self._sql(
                    "INSERT INTO {s}.board_subjects (assessment_id, subject_id, position, part)"
                    " SELECT %s, key::uuid, %s, value FROM jsonb_each(%s::jsonb)"
                    " ON CONFLICT (assessment_id, subject_id)"
                    " DO UPDATE SET position = excluded.position, part = excluded.part"),
                (state.assessment_id, state.position, encode(subjects).decode()),
            )
