"""自查自评 — the subject's own scores for one component, with its evidence."""

from __future__ import annotations

from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.rubric import Leaf
from domain.scorecard import CardKey, Change, check_points


def self_assessment_id(assessment_id: UUID, subject_id: UUID, component: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:self/{assessment_id}/{subject_id}/{component}")


class SelfAssessment(KaopingAggregate):
    """Judges see it beside their cards; the board reports the gap to the panel's score.

    Its key reuses ``CardKey`` with the reporter in the judge's place.
    """

    class Started(KaopingAggregate.Created):
        key: CardKey

    class SelfScored(KaopingAggregate.Event):
        key: CardKey
        changes: tuple[Change, ...]
        evidence_ids: tuple[UUID, ...]

    @staticmethod
    def create_id(key: CardKey, cause: Cause) -> UUID:
        return self_assessment_id(key.assessment_id, key.subject_id, key.component)

    @event(Started)
    def __init__(self, key: CardKey, cause: Cause) -> None:
        self.key = key
        self.scores: dict[str, Decimal] = {}
        self.evidence_ids: tuple[UUID, ...] = ()

    def record(
        self, scores: dict[str, Decimal], evidence_ids: tuple[UUID, ...],
        leaves: tuple[Leaf, ...], step: Decimal, cause: Cause,
    ) -> None:
        check_points(scores, leaves, step)
        changes = tuple(Change(code, self.scores.get(code), points)
                        for code, points in sorted(scores.items())
                        if self.scores.get(code) != points)
        if changes or evidence_ids != self.evidence_ids:
            self._record(key=self.key, changes=changes, evidence_ids=evidence_ids, cause=cause)

    @event(SelfScored)
    def _record(
        self, key: CardKey, changes: tuple[Change, ...], evidence_ids: tuple[UUID, ...],
        cause: Cause,
    ) -> None:
        for change in changes:
            if change.new is not None:
                self.scores[change.code] = change.new
        self.evidence_ids = evidence_ids

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))
