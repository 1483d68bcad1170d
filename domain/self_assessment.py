"""自查自评 — the subject's own scores for one component, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.rubric import Leaf
from domain.scorecard import CardKey, Change, check_points


@dataclass(frozen=True)
class IndicatorEvidence:
    """The evidence a self-assessment gives for one leaf indicator."""

    code: str
    evidence_ids: tuple[UUID, ...]


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
        by_indicator: tuple[IndicatorEvidence, ...] = ()
        # The window this write came after, when the round accepts late work flagged
        # (None: on time, and on every event written before windows existed).
        late: str | None = None

    @staticmethod
    def create_id(key: CardKey, cause: Cause) -> UUID:
        return self_assessment_id(key.assessment_id, key.subject_id, key.component)

    @event(Started)
    def __init__(self, key: CardKey, cause: Cause) -> None:
        self.key = key
        self.scores: dict[str, Decimal] = {}
        self.evidence_ids: tuple[UUID, ...] = ()
        self.by_indicator: dict[str, tuple[UUID, ...]] = {}
        self.late: str | None = None  # the last write came after this window's deadline

    def record(
        self, scores: dict[str, Decimal], evidence_ids: tuple[UUID, ...],
        leaves: tuple[Leaf, ...], step: Decimal, cause: Cause,
        by_indicator: dict[str, tuple[UUID, ...]] | None = None, late: str | None = None,
    ) -> None:
        """Scores per leaf, with evidence for the whole and, optionally, per indicator;
        ``late``: the window this write missed (accepted, flagged)."""
        check_points(scores, leaves, step)
        by_indicator = by_indicator or {}
        codes = {leaf.code for leaf in leaves}
        unknown = [code for code in by_indicator if code not in codes]
        if unknown:
            raise RuleViolated("evidence names indicators the rubric does not have", tuple(
                FieldError(f"evidence.{code}", "no such leaf indicator") for code in unknown))
        changes = tuple(Change(code, self.scores.get(code), points)
                        for code, points in sorted(scores.items())
                        if self.scores.get(code) != points)
        if changes or evidence_ids != self.evidence_ids or by_indicator != self.by_indicator:
            self._record(key=self.key, changes=changes, evidence_ids=evidence_ids, cause=cause,
                         by_indicator=tuple(IndicatorEvidence(code, ids) for code, ids
                                            in sorted(by_indicator.items())), late=late)

    @event(SelfScored)
    def _record(
        self, key: CardKey, changes: tuple[Change, ...], evidence_ids: tuple[UUID, ...],
        cause: Cause, by_indicator: tuple[IndicatorEvidence, ...] = (), late: str | None = None,
    ) -> None:
        for change in changes:
            if change.new is not None:
                self.scores[change.code] = change.new
        self.evidence_ids = evidence_ids
        self.by_indicator = {item.code: item.evidence_ids for item in by_indicator}
        self.late = late

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))
