"""综合评价意见 — the panel's written summary of each subject, by the panel's chair (组长).

One small stream per round, beside the assessment (which another stream of work keeps
busy): the chairs appointed, and each subject's summary as it was written and rewritten,
old → new, so the history shows every version.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, NotPermitted, RuleViolated, StateConflict

OPINION_MAX = 4000  # characters of a 综合评价意见


def opinions_id(assessment_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:opinions/{assessment_id}")


class PanelOpinions(KaopingAggregate):
    """The round's chairs and its summaries, per subject."""

    class Started(KaopingAggregate.Created):
        assessment_id: UUID

    class ChairAppointed(KaopingAggregate.Event):
        assessment_id: UUID
        judge_id: UUID
        name: str

    class OpinionWritten(KaopingAggregate.Event):
        """The summary as it now reads; ``previous`` as it read before (None: the first)."""

        assessment_id: UUID
        subject_id: UUID
        text: str
        previous: str | None = None
        judge_id: UUID | None = None  # the chair who wrote it

    @staticmethod
    def create_id(assessment_id: UUID, cause: Cause) -> UUID:
        return opinions_id(assessment_id)

    @event(Started)
    def __init__(self, assessment_id: UUID, cause: Cause) -> None:
        self.assessment_id = assessment_id
        self.chairs: dict[UUID, str] = {}
        self.texts: dict[UUID, str] = {}

    def appoint_chair(self, judge_id: UUID, name: str, cause: Cause) -> None:
        if judge_id in self.chairs:
            raise StateConflict("the judge chairs the panel already")
        self._appoint(assessment_id=self.assessment_id, judge_id=judge_id, name=name,
                      cause=cause)

    @event(ChairAppointed)
    def _appoint(self, assessment_id: UUID, judge_id: UUID, name: str, cause: Cause) -> None:
        self.chairs[judge_id] = name

    def write(self, judge_id: UUID, subject_id: UUID, text: str, cause: Cause) -> bool:
        """Only a chair writes it; answers whether the text changed."""
        if judge_id not in self.chairs:
            raise NotPermitted("only the panel's chair writes the summary opinion")
        text = text.strip()
        if not text:
            raise RuleViolated("the summary opinion is empty", (FieldError("text", "required"),))
        if len(text) > OPINION_MAX:
            raise RuleViolated(f"the summary opinion is longer than {OPINION_MAX} characters",
                               (FieldError("text", f"at most {OPINION_MAX} characters"),))
        previous = self.texts.get(subject_id)
        if previous == text:
            return False
        self._write(assessment_id=self.assessment_id, subject_id=subject_id, text=text,
                    previous=previous, judge_id=judge_id, cause=cause)
        return True

    @event(OpinionWritten)
    def _write(self, assessment_id: UUID, subject_id: UUID, text: str, previous: str | None,
               judge_id: UUID | None, cause: Cause) -> None:
        self.texts[subject_id] = text
