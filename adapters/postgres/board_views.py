"""The boards, one row per subject; part of ``PgViews``.

``boards`` holds each assessment's header (setup, status, panel, position) and
``board_subjects`` one row per subject (the subject, its cards, recusals and self-scores,
see ``domain.board.SubjectPart``). A card event rewrites its subject's row and the
header's position, never the whole board. Reading the board puts the rows together again,
its keys in the order they came in when the whole board was one jsonb value.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier

from adapters.postgres.mapper import collector_paused, encode
from domain.board import BoardState, SubjectPart

PART_FIELDS = tuple(SubjectPart.__dataclass_fields__)
_head = msgspec.json.Decoder(BoardState)
_part = msgspec.json.Decoder(SubjectPart)
_HEAD = SQL("INSERT INTO {s}.boards (assessment_id, position, state) VALUES (%s, %s, %s)"
            " ON CONFLICT (assessment_id) DO UPDATE SET position = excluded.position{state}")
_PARTS = SQL("SELECT part::text AS part FROM {s}.board_subjects WHERE assessment_id = %(a)s")
_SOME = SQL(" AND subject_id = ANY(%(subjects)s)")


def jsonb_order(found: dict[str, Any]) -> dict[str, Any]:
    """The keys in the order a jsonb object keeps them (shorter first, then bytewise): the
    order readers got when the whole board was one jsonb value."""
    return dict(sorted(found.items(), key=lambda item: (len(k := item[0].encode()), k)))


class BoardViews:
    conn: Connection[Any]
    s: Identifier

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(s=self.s)  # type: ignore[arg-type]

    def load_board(self, assessment_id: UUID,
                   subjects: Collection[UUID] | None = None) -> BoardState | None:
        """The board as folded so far; with ``subjects``, its header and those subjects'
        parts only (what a batch of their events needs to be folded)."""
        head = self.conn.execute(
            self._sql("SELECT position, state::text AS state FROM {s}.boards"
                      " WHERE assessment_id = %s"), (assessment_id,)).fetchone()
        if head is None:
            return None
        rows = self.conn.execute(
            _PARTS.format(s=self.s) + (_SOME if subjects is not None else SQL("")),
            {"a": assessment_id, "subjects": list(subjects or ())}).fetchall()
        with collector_paused():  # thousands of cards: see collector_paused
            state = _head.decode(head["state"])
            state.position = head["position"]
            for row in rows:
                part = _part.decode(row["part"])
                for name in PART_FIELDS:
                    getattr(state, name).update(getattr(part, name))
            if subjects is None:
                for name in PART_FIELDS:
                    setattr(state, name, jsonb_order(getattr(state, name)))
        return state

    def save_board(self, state: BoardState, subjects: dict[UUID, SubjectPart],
                   header: bool = True) -> None:
        """Write the parts of the subjects given and the header's position (and the rest of
        the header only if ``header``: an event of the setup, status or panel was folded)."""
        head = {"assessment_id": state.assessment_id, "setup": state.setup,
                "status": state.status, "panel": state.panel,
                "panel_groups": state.panel_groups}
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
