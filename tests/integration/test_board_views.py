"""The boards in PostgreSQL, kept a row per subject, read back exactly as the whole fold."""

from __future__ import annotations

import msgspec
import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.postgres.mapper import encode
from domain.board import BoardState
from domain.results import rows
from services.projection import project
from tests.board_events import batches, folded, logged, op


def as_stored_whole(views, state: BoardState) -> BoardState:
    """The board as releases before layout 7 read it: the whole state in one jsonb value
    (whose keys PostgreSQL keeps in its own order)."""
    text = views.conn.execute("SELECT %s::jsonb::text AS t", (encode(state).decode(),)
                              ).fetchone()["t"]
    return msgspec.json.decode(text, type=BoardState)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(op, max_size=40), sizes=st.lists(st.integers(1, 8), max_size=40))
def test_boards_projected_in_batches_read_back_as_the_whole_fold(container, tenant, steps,
                                                                  sizes) -> None:
    assessment_id, events = logged(steps)
    with container.views(tenant.slug) as views, views.conn.transaction():
        for batch in batches(events, sizes):
            project(views, batch)
        board = views.load_board(assessment_id)
        whole = as_stored_whole(views, folded(assessment_id, events))
        raise psycopg.Rollback  # the next example projects into empty views again
    assert board == whole
    assert encode(board) == encode(whole)  # the same keys in the same order, too
    assert rows(board) == rows(whole)


def test_a_board_nobody_wrote_is_none(container, tenant) -> None:
    assessment_id, _ = logged([])
    with container.views(tenant.slug) as views:
        assert views.load_board(assessment_id) is None
