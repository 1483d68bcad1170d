"""评分进度: every card a round expects, and its state, from the folded board state.

The same reading serves the admin's progress page and the decisions to close and finalise
(the service folds the state from the aggregates for those, never from a view).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from domain.board import BoardState, CardState
from domain.completeness import BelowQuorum, MissingCard, Shortfall
from domain.results import rows
from domain.shaping import components_of

RECUSED = "recused"  # shown as 回避
STATES = ("not_started", "saved", "submitted", RECUSED)


@dataclass(frozen=True)
class Cell:
    """One expected card: judge × subject × component, and where it stands."""

    judge_id: UUID
    subject_id: UUID
    component: str
    state: str  # not_started | saved | reopened | submitted | recused


def card_state(card: CardState | None) -> str:
    if card is None:
        return "not_started"
    if card.submitted:
        return "submitted"
    return "reopened" if card.reopened else "saved"


def cells(state: BoardState) -> list[Cell]:
    """Every card of the round, judges in panel order, subjects in the order added."""
    if state.setup is None:
        return []
    cards = {(c.judge_id, c.subject_id, c.component): c for c in state.cards.values()}
    found = []
    for judge in state.panel:
        judge_id = UUID(judge)
        for subject in state.subjects.values():
            if not state.sits_for(judge, subject):
                continue  # another 考核组's subject: not this judge's card
            recused = state.is_recused(judge_id, subject.id)
            for component in components_of(state.setup, subject):
                card = cards.get((judge_id, subject.id, component.key))
                found.append(Cell(judge_id, subject.id, component.key,
                                  RECUSED if recused else card_state(card)))
    return found


def shortfall(state: BoardState) -> Shortfall:
    """The cards not submitted, and the subject components short of the quorum."""
    missing = tuple(MissingCard(c.judge_id, c.subject_id, c.component, c.state)
                    for c in cells(state) if c.state not in ("submitted", RECUSED))
    quorum = state.setup.quorum if state.setup else 1
    board = {row.subject_id: row for row in rows(state)}
    short = tuple(  # subjects in the order they were added, like the cards
        BelowQuorum(row.subject_id, key, result.judges, quorum)
        for row in (board[s.id] for s in state.subjects.values())
        for key, result in row.components.items() if f"missing_cards:{key}" in row.flags)
    return Shortfall(missing, short)


def counts(found: list[Cell]) -> dict[str, int]:
    """How many cards in each state; a reopened card counts as saved (not submitted), and
    ``reopened`` says how many of the saved ones were reopened."""
    tally = Counter("saved" if c.state == "reopened" else c.state for c in found)
    return {name: tally.get(name, 0) for name in STATES} | {
        "reopened": sum(1 for c in found if c.state == "reopened")}
