"""盲评 — what a judge may see of a round: the one place for the rule.

A judge sees only the rounds whose panel they sit on, and of those only the subjects they
score (on the panel, not recused). Anything else answers 404, exactly as if it did not exist:
a refusal would tell a judge that a round or a subject is there. Admins and auditors see all.
"""

from __future__ import annotations

from uuid import UUID

from domain.assessment import Assessment, Subject
from domain.errors import NotFound, NotPermitted
from services.base import BaseApplication

JUDGE = "judge"


class JudgingAccess(BaseApplication):
    def assessment_seen_by(self, assessment_id: UUID, role: str,
                           user_id: UUID | None) -> Assessment:
        """The round, if the caller may see it: a judge only one whose panel they sit on."""
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        if role == JUDGE and user_id not in assessment.panel:
            raise NotFound(f"no assessment {assessment_id}")
        return assessment

    def subject_seen_by(self, assessment: Assessment, subject_id: UUID, role: str,
                        user_id: UUID | None) -> Subject:
        """The subject, if the caller may see it: a judge only one they score."""
        subject = assessment.subject(subject_id)
        if role == JUDGE and subject not in subjects_seen_by(assessment, role, user_id):
            raise NotFound("no such subject in this assessment")
        return subject

    @staticmethod
    def check_board_open_to(assessment: Assessment, role: str) -> None:
        """Judges work blind: the board opens to them only when the round closes."""
        if role == JUDGE and assessment.status in ("draft", "open"):
            raise NotPermitted("judges work blind: the board opens to them when the round closes")


def subjects_seen_by(assessment: Assessment, role: str,
                     user_id: UUID | None) -> tuple[Subject, ...]:
    """Every subject for admins and auditors; for a judge, the subjects they score."""
    if role != JUDGE:
        return tuple(assessment.subjects.values())
    return assessment.scored_by(user_id) if user_id is not None else ()
