"""教研活动 — a research activity, from 预约申请 to 总结, with its certificates (活动证书)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated, StateConflict

FORMS = ("集体备课", "听评课", "推门听课", "课例研修", "同课异构", "同课同构", "异课同构",
         "专题研讨", "专业引领", "校际会课", "名师会诊", "专题合作", "教学互访", "城乡互动",
         "送教下乡", "开放共享", "党建融合", "磨课", "展课", "说课", "议课", "辩课", "小课题研究",
         "理论学习")
UNIT_KINDS = ("research_group", "prep_group", "studio", "community", "school",
              "zone")  # zone: an org node of level zone, 片区/协作区 (issue 16)
ROLES = ("host", "organiser", "co_organiser", "participant")  # 主办/承办/协办/参加
OPEN = ("applied", "returned", "reviewed", "confirmed")


@dataclass(frozen=True)
class Plan:
    """预约申请: what the unit means to do."""

    theme: str
    form: str
    purpose: str
    planned_on: date
    periods: int
    plan: str


@dataclass(frozen=True)
class Opinion:
    """方案论证: one reviewer's opinion."""

    reviewer: str
    text: str


@dataclass(frozen=True)
class Participant:
    name: str
    role: str = "participant"
    user_id: UUID | None = None


@dataclass(frozen=True)
class Certificate:
    code: str
    holder: str


def check_plan(plan: Plan, forms: tuple[str, ...]) -> None:
    errors = []
    if not plan.theme.strip():
        errors.append(FieldError("theme", "every activity has a theme (主题明确)"))
    if plan.form not in forms:
        errors.append(FieldError("form", "not one of the seeds' forms nor the tenant's own"))
    if plan.periods < 1:
        errors.append(FieldError("periods", "at least one class period"))
    if errors:
        raise RuleViolated("the activity plan is not valid", tuple(errors))


class Activity(KaopingAggregate):
    class Applied(KaopingAggregate.Created):
        unit_kind: str
        unit_id: UUID
        plan: Plan

    class Reviewed(KaopingAggregate.Event):
        approved: bool
        opinions: tuple[Opinion, ...]

    class Revised(KaopingAggregate.Event):
        plan: Plan

    class Confirmed(KaopingAggregate.Event):
        document: str | None

    class Held(KaopingAggregate.Event):
        held_on: date
        periods: int
        participants: tuple[Participant, ...]
        host_unit_ids: tuple[UUID, ...]
        co_host_unit_ids: tuple[UUID, ...]

    class Summarised(KaopingAggregate.Event):
        highlights: str
        problems: str
        improvements: str
        evidence_ids: tuple[UUID, ...]

    class Cancelled(KaopingAggregate.Event):
        pass

    class CertificatesIssued(KaopingAggregate.Event):
        certificates: tuple[Certificate, ...]

    @classmethod
    def apply(cls, unit_kind: str, unit_id: UUID, plan: Plan, forms: tuple[str, ...],
              cause: Cause) -> Activity:
        if unit_kind not in UNIT_KINDS:
            raise RuleViolated("unknown unit kind", (FieldError("unit_kind", "not a unit kind"),))
        check_plan(plan, forms)
        return cls(unit_kind=unit_kind, unit_id=unit_id, plan=plan, cause=cause)

    @event(Applied)
    def __init__(self, unit_kind: str, unit_id: UUID, plan: Plan, cause: Cause) -> None:
        self.unit_kind = unit_kind
        self.unit_id = unit_id
        self.plan = plan
        self.status = "applied"
        self.held_on: date | None = None
        self.periods = 0
        self.participants: tuple[Participant, ...] = ()
        self.certificates: tuple[Certificate, ...] = ()

    def _step(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise StateConflict(f"an activity that is {self.status} cannot take this step")

    def review(self, approved: bool, opinions: tuple[Opinion, ...], cause: Cause) -> None:
        self._step("applied")
        if not opinions:
            raise RuleViolated("a review records the experts' opinions",
                               (FieldError("opinions", "at least one"),))
        self._review(approved=approved, opinions=opinions, cause=cause)

    @event(Reviewed)
    def _review(self, approved: bool, opinions: tuple[Opinion, ...], cause: Cause) -> None:
        self.status = "reviewed" if approved else "returned"

    def revise(self, plan: Plan, forms: tuple[str, ...], cause: Cause) -> None:
        self._step("returned")
        check_plan(plan, forms)
        self._revise(plan=plan, cause=cause)

    @event(Revised)
    def _revise(self, plan: Plan, cause: Cause) -> None:
        self.plan = plan
        self.status = "applied"

    def confirm(self, document: str | None, cause: Cause) -> None:
        self._step("reviewed")
        self._confirm(document=document, cause=cause)

    @event(Confirmed)
    def _confirm(self, document: str | None, cause: Cause) -> None:
        self.status = "confirmed"

    def hold(self, held_on: date, periods: int, participants: tuple[Participant, ...],
             host_unit_ids: tuple[UUID, ...], co_host_unit_ids: tuple[UUID, ...],
             cause: Cause) -> None:
        self._step("confirmed")
        errors = []
        if periods < 1:
            errors.append(FieldError("periods", "at least one class period"))
        for i, p in enumerate(participants):
            if p.role not in ROLES or not p.name.strip():
                errors.append(FieldError(f"participants[{i}]", "a name and a known role"))
        if errors:
            raise RuleViolated("the record of the activity is not valid", tuple(errors))
        self._hold(held_on=held_on, periods=periods, participants=participants,
                   host_unit_ids=host_unit_ids, co_host_unit_ids=co_host_unit_ids, cause=cause)

    @event(Held)
    def _hold(self, held_on: date, periods: int, participants: tuple[Participant, ...],
              host_unit_ids: tuple[UUID, ...], co_host_unit_ids: tuple[UUID, ...],
              cause: Cause) -> None:
        self.status = "held"
        self.held_on = held_on
        self.periods = periods
        self.participants = participants

    def summarise(self, highlights: str, problems: str, improvements: str,
                  evidence_ids: tuple[UUID, ...], cause: Cause) -> None:
        self._step("held")
        if not highlights.strip():
            raise RuleViolated("a summary names the highlights (亮点)",
                               (FieldError("highlights", "must not be empty"),))
        self._summarise(highlights=highlights, problems=problems, improvements=improvements,
                        evidence_ids=evidence_ids, cause=cause)

    @event(Summarised)
    def _summarise(self, highlights: str, problems: str, improvements: str,
                   evidence_ids: tuple[UUID, ...], cause: Cause) -> None:
        self.status = "summarised"

    def cancel(self, cause: Cause) -> None:
        self._step(*OPEN)
        if not (cause.reason or "").strip():
            raise RuleViolated("a cancellation needs a reason", (FieldError("reason", "required"),))
        self._cancel(cause=cause)

    @event(Cancelled)
    def _cancel(self, cause: Cause) -> None:
        self.status = "cancelled"

    def issue_certificates(
        self, new_code: Callable[[], str], cause: Cause
    ) -> tuple[Certificate, ...]:
        """活动证书 for the participants who have none yet; ``new_code`` makes a fresh random
        verification code (randomness comes from outside the domain)."""
        self._step("summarised")
        holders = {c.holder for c in self.certificates}
        due = [p.name for p in self.participants if p.name not in holders]
        if not due:
            raise StateConflict("every participant already has a certificate")
        issued = tuple(Certificate(new_code(), name) for name in due)
        self._issue(certificates=issued, cause=cause)
        return issued

    @event(CertificatesIssued)
    def _issue(self, certificates: tuple[Certificate, ...], cause: Cause) -> None:
        self.certificates = self.certificates + certificates


def certificate_id(code: str) -> UUID:
    """The id a certificate's code is kept under: found from the code alone."""
    return uuid5(NAMESPACE_URL, f"kaoping:certificate/{code}")


class CertificateCode(KaopingAggregate):
    """证书编号 — a certificate's code, kept as its own record beside the activity.

    The public check reads it from the log by the code alone (its id is derived from the
    code), so it never depends on a view the projector may not have reached yet. A code
    given twice cannot be saved twice: the second save of the same id is refused.
    """

    class Assigned(KaopingAggregate.Created):
        code: str
        activity_id: UUID
        holder: str

    @staticmethod
    def create_id(code: str, activity_id: UUID, holder: str, cause: Cause) -> UUID:
        return certificate_id(code)

    @event(Assigned)
    def __init__(self, code: str, activity_id: UUID, holder: str, cause: Cause) -> None:
        self.code = code
        self.activity_id = activity_id
        self.holder = holder
