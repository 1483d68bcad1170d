"""The round's lifecycle: open, close, finalise, reopen — each decided over the cards as they
stand in the log, never over a view the projector may not have reached."""

from __future__ import annotations

from uuid import UUID

from domain.assessment import Assessment
from domain.board import BoardState, CardState
from domain.cause import Cause
from domain.completeness import Shortfall
from domain.progress import shortfall
from domain.scorecard import CardKey, Scorecard
from domain.setup import NEXT_STATUS
from domain.shaping import components_of
from services.base import BaseApplication, Written


class LifecycleCommands(BaseApplication):
    def advance(
        self, assessment_id: UUID, to: str, cause: Cause, expected_version: int | None = None,
        override: bool = False,
    ) -> Written:
        """The next step; closing and finalising look at every card first. ``override``:
        the admin's force / accept_incomplete, its reason in the cause."""
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        self.check_version(assessment, expected_version)
        found = Shortfall()
        if to in ("closed", "finalised") and NEXT_STATUS.get(assessment.status) == to:
            found = shortfall(self.board_now(assessment))
        assessment.advance(to, cause, found, override)
        return self.write(assessment)

    def reopen_round(
        self, assessment_id: UUID, cause: Cause, expected_version: int | None = None
    ) -> Written:
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        self.check_version(assessment, expected_version)
        assessment.reopen(cause)
        return self.write(assessment)

    def board_now(self, assessment: Assessment) -> BoardState:
        """The board state folded from the aggregates as they stand: the panel, subjects and
        回避 from the assessment, each expected card loaded by its derived id."""
        state = BoardState(
            assessment.id, assessment.setup, assessment.status,
            {str(s.id): s for s in assessment.subjects.values()},
            {str(j): name for j, name in assessment.panel.items()},
            recusals=dict(assessment.recusals), position=self.position(),
            panel_groups={str(j): g for j, g in assessment.panel_groups.items()})
        for judge_id in assessment.panel:
            for subject in assessment.scored_by(judge_id):  # their 考核组, not recused
                subject_id = subject.id  # (a recused judge's cards are void: nothing is owed)
                for component in components_of(assessment.setup, subject):
                    key = CardKey(assessment.id, subject_id, component.key, judge_id)
                    card = self.load_or_none(Scorecard, key.card_id)
                    if card is not None:
                        state.cards[str(card.id)] = CardState(
                            subject_id, component.key, judge_id, dict(card.scores),
                            card.submitted, card.reopened)
        return state
