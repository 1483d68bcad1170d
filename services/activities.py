"""Research activities, their evidence and certificates, and the tenant's own settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.activity import (
    Activity,
    Certificate,
    CertificateCode,
    Opinion,
    Participant,
    Plan,
    certificate_id,
)
from domain.cause import Cause
from domain.community import Community
from domain.errors import FieldError, NotFound, NotPermitted, RuleViolated
from domain.evidence import Evidence
from domain.ids import check_each_once
from domain.org import CHART_ID, OrgChart
from domain.school import School
from domain.settings import SETTINGS_ID, FrequencyRule, TenantSettings
from domain.unit import Unit
from domain.user import User
from services.access import speaks_for
from services.base import Written
from services.scope import ScopeRules


class ActivityCommands(ScopeRules):
    # -- settings ----------------------------------------------------------------------------

    def settings(self) -> TenantSettings:
        return self.load_or_none(TenantSettings, SETTINGS_ID) or TenantSettings(
            cause=Cause("system", "system", "settings"))

    def add_form(self, form: str, cause: Cause) -> Written:
        settings = self.settings()
        settings.add_form(form, cause)
        return self.write(settings)

    def set_rules(self, rules: tuple[FrequencyRule, ...], cause: Cause) -> Written:
        settings = self.settings()
        settings.set_rules(rules, cause)
        return self.write(settings)

    def set_precision(self, places: int, cause: Cause) -> Written:
        """四舍五入 to ``places`` decimals in rounds created from now on."""
        settings = self.settings()
        settings.set_precision(places, cause)
        return self.write(settings)

    # -- activities --------------------------------------------------------------------------

    def unit_school(self, unit_kind: str, unit_id: UUID) -> UUID | None:
        """Check the unit exists; the school it belongs to, if any."""
        if unit_kind == "zone":  # 片区/协作区: an org node of that level (issue 16)
            chart = self.load_or_none(OrgChart, CHART_ID)
            node = chart.nodes.get(unit_id) if chart is not None else None
            if node is None or node.level != "zone":
                raise NotFound(f"no zone {unit_id}")
            return None
        if unit_kind == "school":
            return self.load(School, unit_id, "school").id  # type: ignore[no-any-return]
        if unit_kind == "community":
            community: Community = self.load(Community, unit_id, "community")
            return community.core_school_id
        unit: Unit = self.load(Unit, unit_id, "unit")
        if unit.kind != unit_kind:
            raise RuleViolated("the unit is of another kind",
                               (FieldError("unit_kind", f"the unit is a {unit.kind}"),))
        return unit.school_id

    def check_reporter(self, actor: User | None, unit_kind: str, unit_id: UUID) -> None:
        """Reporters record their own school's (or own unit's) activities only."""
        if actor is None or actor.role != "reporter":
            return
        school = self.unit_school(unit_kind, unit_id)
        kind = unit_kind if unit_kind in ("school", "community") else "unit"
        if not speaks_for(actor.affiliations, kind, unit_id, school):
            raise NotPermitted("a reporter records only their own school's activities")

    def check_named_units(self, actor: User | None,
                          lists: dict[str, tuple[UUID, ...]]) -> None:
        """Units named on an activity exist, each once; a reporter names only units of their
        own school(s). Another school's unit would need its own reporter's acceptance, which
        is not built: it is refused, naming the unit."""
        check_each_once(lists)
        scope = self.scope_of(actor) if actor is not None else None
        errors = []
        for field, ids in lists.items():
            for i, unit_id in enumerate(ids):
                found = self.unit_named(unit_id)
                if found is None:
                    errors.append(FieldError(f"{field}[{i}]", f"no unit {unit_id}"))
                elif scope is not None and found[0] not in scope:
                    errors.append(FieldError(f"{field}[{i}]",
                                             f"{found[1]} belongs to another school"))
        if errors:
            raise RuleViolated(
                "units named on an activity must exist and be the reporter's own school's",
                tuple(errors))

    def apply_activity(self, unit_kind: str, unit_id: UUID, plan: Plan, actor: User | None,
                       cause: Cause) -> Written:
        self.unit_school(unit_kind, unit_id)
        self.check_reporter(actor, unit_kind, unit_id)
        forms = self.settings().all_forms
        return self.write(Activity.apply(unit_kind, unit_id, plan, forms, cause))

    def activity(self, activity_id: UUID, actor: User | None = None) -> Activity:
        activity: Activity = self.load(Activity, activity_id, "activity")
        self.check_reporter(actor, activity.unit_kind, activity.unit_id)
        return activity

    def review_activity(self, activity_id: UUID, approved: bool, opinions: tuple[Opinion, ...],
                        cause: Cause) -> Written:
        activity = self.activity(activity_id)
        activity.review(approved, opinions, cause)
        return self.write(activity)

    def revise_activity(self, activity_id: UUID, plan: Plan, actor: User | None,
                        cause: Cause) -> Written:
        activity = self.activity(activity_id, actor)
        activity.revise(plan, self.settings().all_forms, cause)
        return self.write(activity)

    def confirm_activity(self, activity_id: UUID, document: str | None, cause: Cause) -> Written:
        activity = self.activity(activity_id)
        activity.confirm(document, cause)
        return self.write(activity)

    def hold_activity(self, activity_id: UUID, held_on: date, periods: int,
                      participants: tuple[Participant, ...], host_unit_ids: tuple[UUID, ...],
                      co_host_unit_ids: tuple[UUID, ...], actor: User | None,
                      cause: Cause) -> Written:
        activity = self.activity(activity_id, actor)
        self.check_named_units(actor, {"host_unit_ids": host_unit_ids,
                                       "co_host_unit_ids": co_host_unit_ids})
        activity.hold(held_on, periods, participants, host_unit_ids, co_host_unit_ids, cause)
        return self.write(activity)

    def summarise_activity(self, activity_id: UUID, highlights: str, problems: str,
                           improvements: str, evidence_ids: tuple[UUID, ...],
                           actor: User | None, cause: Cause) -> Written:
        activity = self.activity(activity_id, actor)
        check_each_once({"evidence_ids": evidence_ids})
        for i, evidence_id in enumerate(evidence_ids):
            if actor is None:  # an admin gives any evidence of the tenant
                self.evidence(evidence_id)
                continue
            material: Evidence = self.evidence_to_open(  # type: ignore[attr-defined]
                evidence_id, actor.role, actor.id)
            self.check_evidence_belongs(  # type: ignore[attr-defined]
                material, self.owner_of_unit(activity.unit_id), f"evidence_ids[{i}]")
        activity.summarise(highlights, problems, improvements, evidence_ids, cause)
        return self.write(activity)

    def cancel_activity(self, activity_id: UUID, actor: User | None, cause: Cause) -> Written:
        activity = self.activity(activity_id, actor)
        activity.cancel(cause)
        return self.write(activity)

    def issue_certificates(self, activity_id: UUID, new_code: Callable[[], str],
                           cause: Cause) -> tuple[Written, tuple[Certificate, ...]]:
        activity = self.activity(activity_id)
        issued = activity.issue_certificates(new_code, cause)
        codes = [CertificateCode(code=c.code, activity_id=activity.id, holder=c.holder,
                                 cause=cause) for c in issued]
        return self.write(activity, *codes), issued

    def certificate(self, code: str) -> tuple[Certificate, Activity] | None:
        """The certificate with this code and its activity, read from the log (never from a
        view): None if no certificate issued by this release has the code."""
        kept: CertificateCode | None = self.load_or_none(CertificateCode, certificate_id(code))
        if kept is None:
            return None
        activity = self.activity(kept.activity_id)
        found = next((c for c in activity.certificates if c.code == code), None)
        return (found, activity) if found is not None else None

    # -- evidence ----------------------------------------------------------------------------

    def evidence(self, evidence_id: UUID) -> Evidence:
        return self.load(Evidence, evidence_id, "evidence")  # type: ignore[no-any-return]
