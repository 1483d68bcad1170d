"""Who may open a piece of evidence (佐证材料) — the one rule, answered from the log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.assessment import Assessment, Subject
from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated
from domain.evidence import USAGE_ID, Evidence, EvidenceUsage, check_dated, display_name
from domain.self_assessment import SelfAssessment, self_assessment_id
from domain.user import User
from services.access import subjects_seen_by
from services.base import Written
from services.recusals import events_of
from services.scope import ScopeRules

SEE_ALL = frozenset({"admin", "auditor"})
ATTEMPTS = 3  # uploads counted at the same moment: each retry sees the others' bytes


@dataclass(frozen=True)
class UploadLimits:
    """配额: the tenant's evidence quota and each user's daily upload limit, in bytes."""

    quota_bytes: int
    daily_bytes_per_user: int


class EvidenceAccess(ScopeRules):
    def register_evidence(self, sha256: str, size: int, content_type: str, filename: str,
                          dated: date, today: date, limits: UploadLimits,
                          cause: Cause) -> Written:
        """Record an upload and count it against the limits, in one save: a file that would
        pass the tenant's quota or the uploader's limit for ``today`` is refused (OverQuota)."""
        check_dated(dated, today)
        owners: tuple[UUID, ...] = ()  # the reporter's school(s) as they are now; an admin's: none
        if cause.actor_role == "reporter":
            owners = tuple(sorted(self.scope_of(self.load(User, UUID(cause.actor_id), "user"))))
        for attempt in range(ATTEMPTS):
            usage = self.evidence_usage(cause)
            evidence = Evidence(sha256=sha256, size=size, content_type=content_type,
                                filename=display_name(filename), dated=dated, cause=cause,
                                owners=owners)
            usage.count(evidence.id, size, cause.actor_id, today, limits.quota_bytes,
                        limits.daily_bytes_per_user, cause)
            try:
                return self.write(evidence, usage)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def check_upload(self, size: int, today: date, limits: UploadLimits,
                     cause: Cause) -> None:
        """Would a file of ``size`` bytes fit? Asked before the file is kept (and, with the
        declared length, before it is received); the save decides for certain."""
        self.evidence_usage(cause).check(size, cause.actor_id, today, limits.quota_bytes,
                                         limits.daily_bytes_per_user)

    def evidence_usage(self, cause: Cause) -> EvidenceUsage:
        """The tenant's usage; begun, the first time, from the uploads already in the log."""
        usage: EvidenceUsage | None = self.load_or_none(EvidenceUsage, USAGE_ID)
        if usage is not None:
            return usage
        sizes = [e.size for e in events_of(self, [get_topic(Evidence.Uploaded)])]
        return EvidenceUsage(stored_bytes=sum(sizes), files=len(sizes), cause=cause)

    def evidence_bytes(self) -> tuple[int, int]:
        """(bytes, files) of evidence stored, for the operator's list of tenants."""
        usage: EvidenceUsage | None = self.load_or_none(EvidenceUsage, USAGE_ID)
        if usage is not None:
            return usage.stored_bytes, usage.files
        sizes = [e.size for e in events_of(self, [get_topic(Evidence.Uploaded)])]
        return sum(sizes), len(sizes)

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
            return any(subject in subjects_seen_by(assessment, role, user_id)  # 盲评
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
