"""Who may open a piece of evidence (佐证材料) — the one rule, answered from the log."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from domain.assessment import Assessment, Subject
from domain.errors import FieldError, NotFound, RuleViolated
from domain.evidence import Evidence
from domain.self_assessment import SelfAssessment, self_assessment_id
from domain.user import User
from services.scope import ScopeRules

SEE_ALL = frozenset({"admin", "auditor"})


class EvidenceAccess(ScopeRules):
    def evidence_to_open(self, evidence_id: UUID, role: str, user_id: UUID | None) -> Evidence:
        """The evidence, if the caller may open it; otherwise NotFound, exactly as if it did
        not exist (a 404 tells an outsider nothing)."""
        evidence: Evidence | None = self.load_or_none(Evidence, evidence_id)
        if evidence is None or not self.may_open_evidence(evidence, role, user_id):
            raise NotFound(f"no evidence {evidence_id}")
        return evidence

    def may_open_evidence(self, evidence: Evidence, role: str, user_id: UUID | None) -> bool:
        """Admins and auditors open any; the reporter who uploaded it, and the reporters of a
        subject whose self-assessment gives it; the judges of an assessment it is given in
        — on its panel and not recused (回避) from that subject. Nobody else."""
        if role in SEE_ALL:
            return True
        if user_id is None:
            return False
        if role == "reporter":
            if evidence.uploaded_by == str(user_id):
                return True
            reporter: User | None = self.load_or_none(User, user_id)
            return reporter is not None and any(
                self.reports_for(reporter, subject)  # type: ignore[attr-defined]
                for _, subject in self.cited_in(evidence))
        if role == "judge":
            return any(subject in assessment.scored_by(user_id)  # 盲评: services/judging.py
                       for assessment, subject in self.cited_in(evidence))
        return False

    def owners_of(self, evidence: Evidence) -> frozenset[UUID]:
        """The schools the evidence belongs to: its uploader's when it was uploaded; for
        evidence uploaded before that was recorded, its uploader's schools now."""
        if evidence.owners:
            return frozenset(evidence.owners)
        try:
            uploader: User | None = self.load_or_none(User, UUID(evidence.uploaded_by))
        except ValueError:  # an operator's or system upload names no user
            return frozenset()
        return self.scope_of(uploader) if uploader is not None else frozenset()

    def check_evidence_belongs(self, evidence: Evidence, owner: UUID | None, where: str) -> None:
        """Evidence used by a school must be that school's (an admin's upload is no school's:
        admins give it themselves)."""
        if owner is None or owner not in self.owners_of(evidence):
            raise RuleViolated("the evidence belongs to another school",
                               (FieldError(where, f"evidence {evidence.id} is not this "
                                                  "school's"),))

    def cited_in(self, evidence: Evidence) -> Iterator[tuple[Assessment, Subject]]:
        """The assessments and subjects whose self-assessments give the evidence now (a
        citation later withdrawn from the self-assessment no longer counts)."""
        for citation in evidence.citations:
            own: SelfAssessment | None = self.load_or_none(SelfAssessment, self_assessment_id(
                citation.assessment_id, citation.subject_id, citation.component))
            if own is None or evidence.id not in given_in(own):
                continue
            assessment: Assessment | None = self.load_or_none(Assessment, citation.assessment_id)
            if assessment is not None and citation.subject_id in assessment.subjects:
                yield assessment, assessment.subjects[citation.subject_id]


def given_in(own: SelfAssessment) -> set[UUID]:
    return {*own.evidence_ids, *(e for ids in own.by_indicator.values() for e in ids)}
