"""Imports (表格导入): a sheet's rows checked as one batch of registrations, then written all
at once or not at all.

A dry run and its commit are the same call over the same rows (``plan_import``): the commit
plans again and refuses if anything the plan read has changed since the dry run (``reads``:
the version of every record it looked at, 0 for one that did not exist), so what is written
is exactly what the report showed. Every record and every name claim goes into one ``save``:
one transaction, so a failure writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.community import Community
from domain.errors import FieldError, RuleViolated, StateConflict
from domain.names import NameClaim, claim_id, normalised
from domain.rubric import Indicator, Rubric, check_indicators, check_total
from domain.school import School
from domain.user import Affiliation, User
from services.base import Written
from services.names import NameClaims
from services.org_imports import OrganisationImports
from services.round_imports import RoundImports
from services.score_imports import ScoreImports
from services.terms import MovedOn

Row = tuple[int, Mapping[str, Any]]  # the sheet's row number, and its values by field


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str  # an English message id (translated at the edge)


@dataclass(frozen=True)
class RubricSheet:
    """A rubric read from a sheet: its tree, and which row each indicator came from."""

    name: str
    step: Decimal
    total: Decimal | None
    indicators: tuple[Indicator, ...]
    rows_of: Mapping[str, tuple[int, str]]  # code → (row, field)
    source: str | None = None


@dataclass
class Plan:
    rows: int
    errors: list[RowError] = field(default_factory=list)
    reads: dict[str, int] = field(default_factory=dict)  # record id → version (0: none)
    records: list[KaopingAggregate] = field(default_factory=list)
    claims: list[NameClaim] = field(default_factory=list)
    for_commit: bool = False  # a dry run checks the rows but makes no name claims
    settle: UUID | None = None  # an assessment whose recusals are re-derived after the write
    while_at: tuple[UUID, int] | None = None  # saved only while the assessment is at it
    ids: dict[tuple[str, str], UUID] = field(default_factory=dict)

    def claim_id(self, scope: str, name: str) -> UUID:
        found = self.ids.get((scope, name))
        if found is None:
            found = self.ids[(scope, name)] = claim_id(scope, name)
        return found

    def refuse(self, row: int, field_name: str, message: str) -> None:
        self.errors.append(RowError(row, field_name, message))


class Versions(Protocol):
    """The recorder's bulk read (adapters/postgres): each existing stream's last version."""

    def latest_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]: ...


class ImportCommands(RoundImports, OrganisationImports, ScoreImports, NameClaims):
    def plan_import(self, kind: str, rows: Sequence[Row], cause: Cause,
                    rubric: RubricSheet | None = None, for_commit: bool = False,
                    assessment_id: UUID | None = None, judge_id: UUID | None = None) -> Plan:
        """Check every row (nothing is written but, once, the tenant's older names' claims);
        ``for_commit``: with every record and name claim to save."""
        self.claim_older_names(cause)
        plan = Plan(len(rows), for_commit=for_commit)
        if kind == "schools":
            return self._plan_schools(plan, rows, cause)
        if kind == "users":
            return self._plan_users(plan, rows, cause)
        if kind == "rubric" and rubric is not None:
            return self._plan_rubric(plan, rubric, cause)
        if kind == "communities":
            return self._plan_communities(plan, rows, cause)
        if kind == "units":
            return self._plan_units(plan, rows, cause)
        if kind == "scores":
            if assessment_id is None or judge_id is None:
                raise RuleViolated("assessment_id and judge_id are required", (
                    FieldError("assessment_id" if assessment_id is None else "judge_id",
                               "required"),))
            return self._plan_scores(plan, rows, cause, assessment_id, judge_id)
        if kind in ("subjects", "order"):
            if assessment_id is None:
                raise RuleViolated("assessment_id is required",
                                   (FieldError("assessment_id", "required"),))
            planner = self._plan_subjects if kind == "subjects" else self._plan_order
            return planner(plan, rows, cause, assessment_id)
        raise RuleViolated(f"no import of kind {kind}", (FieldError("kind", "unknown"),))

    def commit_import(self, plan: Plan, reads: Mapping[str, int], cause: Cause) -> Written:
        """Write the plan's records and claims in one transaction: refused if a row is in
        error, or if a record the dry run read has changed since (run the dry run again)."""
        if dict(plan.reads) != dict(reads):
            raise StateConflict("the data changed since the dry run: run the dry run again")
        if plan.errors:
            raise RuleViolated("the import has rows in error: nothing was written",
                               tuple(FieldError(f"row {e.row}", e.message)
                                     for e in plan.errors[:50]))
        if not plan.records:
            raise RuleViolated("the sheet has no rows to import", (FieldError("file", "empty"),))
        conditions = {"while_at": plan.while_at} if plan.while_at else {}
        try:
            written = self.write(*plan.records, *plan.claims, **conditions)
        except MovedOn:
            raise StateConflict("the data changed since the dry run: run the dry run again"
                                ) from None
        if plan.settle is not None:
            return self.settled(written, cause, plan.settle)  # type: ignore[attr-defined,no-any-return]
        return written

    # -- reading what exists ---------------------------------------------------------------

    def versions_of(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        if hasattr(self.recorder, "latest_versions"):
            finder: Versions = self.recorder  # type: ignore[assignment]
            return finder.latest_versions(ids)
        found = {}
        for record_id in ids:  # the in-memory recorder of the specs
            events = self.recorder.select_events(record_id, desc=True, limit=1)
            if events:
                found[record_id] = events[0].originator_version
        return found

    def _claims_read(self, plan: Plan, keys: Sequence[tuple[str, str]]) -> dict[UUID, int]:
        """The version of each (scope, name)'s claim that exists; every one is read."""
        ids = list(dict.fromkeys(plan.claim_id(scope, name) for scope, name in keys))
        versions = self.versions_of(ids)
        for claim in ids:
            plan.reads[str(claim)] = versions.get(claim, 0)
        return versions

    def _claim_in(self, plan: Plan, claims: dict[UUID, int], scope: str, name: str,
                  holder: UUID, cause: Cause) -> None:
        if not plan.for_commit:
            return
        found = claims.get(plan.claim_id(scope, name))
        if found is None:
            plan.claims.append(NameClaim(scope=scope, name=name, holder_id=holder, cause=cause))
        else:  # a name given up by a renamed record: taken again
            claim = self.load(NameClaim, plan.claim_id(scope, name), "name")
            claim.retake(name, holder, cause)
            plan.claims.append(claim)

    @staticmethod
    def _held(plan: Plan, claims: dict[UUID, int], scope: str, name: str) -> bool:
        """Whether the name is held, told by its claim's version alone, without loading
        thousands of claims: a claim is made held (1), then released (2) and retaken (3) in
        turn, so it is held exactly when its version is odd (tests/unit/test_import_plans.py
        pins this down)."""
        version = claims.get(plan.claim_id(scope, name))
        return version is not None and version % 2 == 1

    # -- the kinds -------------------------------------------------------------------------

    def _plan_schools(self, plan: Plan, rows: Sequence[Row], cause: Cause) -> Plan:
        existing = self._claims_read(plan, [("school", str(v.get("name") or "")) for _, v in rows])
        seen: dict[str, int] = {}
        for number, values in rows:
            name = str(values.get("name") or "").strip()
            if not self._unique_name(plan, number, name, seen, existing, "school"):
                continue
            try:
                school = School.register(name, str(values.get("group") or "").strip(),
                                         str(values.get("stage") or ""),
                                         str(values.get("zone") or "").strip() or None,
                                         bool(values.get("external")), cause)
            except RuleViolated as refused:
                for e in refused.errors:
                    plan.refuse(number, e.field, e.message)
                continue
            plan.records.append(school)
            self._claim_in(plan, existing, "school", name, school.id, cause)
        return plan

    def _unique_name(self, plan: Plan, number: int, name: str, seen: dict[str, int],
                     existing: dict[UUID, int], scope: str) -> bool:
        """A name not yet in the sheet (above this row) nor held by a record of the tenant."""
        key = f"{scope}\n{normalised(name)}"
        if name and key in seen:
            plan.refuse(number, "name", f"the same name as row {seen[key]}")
            return False
        if name:
            seen[key] = number
        if name and self._held(plan, existing, scope, name):
            plan.refuse(number, "name", f"already registered: {name}")
            return False
        return True

    def _plan_users(self, plan: Plan, rows: Sequence[Row], cause: Cause) -> Plan:
        places = {p for _, v in rows for p in v.get("affiliations") or ()}
        self._claims_read(plan, [(scope, p) for p in places
                                 for scope in ("school", "community")])
        where = {i: c for p in places for scope in ("school", "community")
                 if (c := self.load_or_none(NameClaim, i := claim_id(scope, p))) is not None}
        existing = self._claims_read(plan, [(f"user:{v.get('role')}", str(v.get("name") or ""))
                                       for _, v in rows])
        seen: dict[str, int] = {}
        for number, values in rows:
            name, role = str(values.get("name") or "").strip(), str(values.get("role") or "")
            if not self._unique_name(plan, number, name, seen, existing, f"user:{role}"):
                continue
            affiliations = []
            for place in values.get("affiliations") or ():
                found = self._affiliation(where, place)
                if found is None:
                    plan.refuse(number, "affiliations", f"no school or community named {place}")
                else:
                    affiliations.append(found)
            try:
                user = User.register(name, role, tuple(affiliations), cause,
                                     str(values.get("subject") or "").strip() or None)
            except RuleViolated as refused:
                for e in refused.errors:
                    plan.refuse(number, e.field, e.message)
                continue
            if len(affiliations) == len(values.get("affiliations") or ()):
                plan.records.append(user)
                self._claim_in(plan, existing, f"user:{role}", name, user.id, cause)
        return plan

    def _affiliation(self, claims: dict[UUID, NameClaim], place: str) -> Affiliation | None:
        for scope, kind, cls in (("school", "school", School),
                                 ("community", "community", Community)):
            claim = claims.get(claim_id(scope, place))
            if claim is not None and claim.holder_id is not None:
                record = self.load_or_none(cls, claim.holder_id)
                if record is not None and not record.archived:
                    return Affiliation(kind, claim.holder_id)
        return None

    def _plan_rubric(self, plan: Plan, sheet: RubricSheet, cause: Cause) -> Plan:
        first = min((row for row, _ in sheet.rows_of.values()), default=1)
        for check in (lambda: check_indicators(sheet.indicators, sheet.step),
                      lambda: check_total(sheet.indicators, sheet.total)):
            try:
                check()
            except RuleViolated as refused:
                for e in refused.errors:
                    code = e.field.removeprefix("indicators[").split("]")[0]
                    row, field_name = sheet.rows_of.get(code, (first, "points"))
                    plan.refuse(row, field_name, e.message)
        if not plan.errors:
            plan.records.append(Rubric.draft(sheet.name, sheet.step, sheet.indicators, cause,
                                             sheet.total, sheet.source))
        return plan
