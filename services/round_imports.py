"""Imports into one assessment: its subjects (被评对象, with their groups) and a presentation
order entered in a sheet (出场顺序). Each writes one aggregate, the assessment, so the commit
is one event batch; the assessment's version is what the dry run read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.assessment import Assessment
from domain.cause import Cause
from domain.community import Community
from domain.errors import DomainError
from domain.names import NameClaim, claim_id, normalised
from domain.school import School

if TYPE_CHECKING:  # services.imports mixes this in
    from services.imports import Plan, Row

KIND_OF = {"school": ("school", School), "community": ("community", Community)}


def group_keys(assessment: Assessment) -> dict[str, str]:
    """A group as a sheet names it (its key or its name, compared after NFKC) → its key."""
    found: dict[str, str] = {}
    for group in assessment.setup.groups:
        found[normalised(group.key)] = group.key
        found.setdefault(normalised(group.name), group.key)
    return found


class RoundImports:
    """Mixed into the tenant's application (which offers ``assessment``, ``subject_of``,
    ``rederive``, ``load_or_none`` and ``_claims_read``)."""

    def _plan_subjects(self: Any, plan: Plan, rows: Sequence[Row], cause: Cause,
                       assessment_id: UUID) -> Plan:
        assessment: Assessment = self.assessment(assessment_id)
        plan.reads[str(assessment.id)] = assessment.version
        groups = group_keys(assessment)
        names = {(kind, str(v.get("name") or "")) for _, v in rows
                 for kind in ((v.get("kind") or "school"),)}
        self._claims_read(plan, list(names))
        seen: dict[UUID, int] = {}
        for number, values in rows:
            kind, name = str(values.get("kind") or "school"), str(values.get("name") or "")
            ref = self._holder_of(kind, name)
            group = groups.get(normalised(str(values.get("group") or "")))
            if ref is None:
                plan.refuse(number, "name", f"no {kind} named {name}")
            if group is None:
                plan.refuse(number, "group", f"no ranking group {values.get('group') or ''}")
            if ref is None or group is None:
                continue
            if ref in seen:
                plan.refuse(number, "name", f"the same name as row {seen[ref]}")
                continue
            seen[ref] = number
            try:
                assessment.add_subject(self.subject_of(assessment, kind, ref, group), cause)
            except DomainError as refused:
                plan.refuse(number, refused.errors[0].field if refused.errors else "name",
                            refused.detail)
        if not plan.errors:
            self.rederive(assessment, cause.because(f"新增被评对象 {len(rows)} 个"))
            plan.records.append(assessment)
            plan.settle = assessment.id
        return plan

    def _holder_of(self: Any, kind: str, name: str) -> UUID | None:
        scope, cls = KIND_OF.get(kind, KIND_OF["school"])
        claim = self.load_or_none(NameClaim, claim_id(scope, name)) if name else None
        if claim is None or claim.holder_id is None:
            return None
        record = self.load_or_none(cls, claim.holder_id)
        return None if record is None or record.archived else record.id  # type: ignore[no-any-return]

    def _plan_order(self: Any, plan: Plan, rows: Sequence[Row], cause: Cause,
                    assessment_id: UUID) -> Plan:
        assessment: Assessment = self.assessment(assessment_id)
        plan.reads[str(assessment.id)] = assessment.version
        groups = group_keys(assessment)
        by_name: dict[tuple[str, str], UUID] = {
            (s.group, normalised(s.name)): s.id for s in assessment.subjects.values()}
        placed: dict[str, list[tuple[int, int, UUID]]] = {}
        first_row: dict[str, int] = {}
        seen: dict[UUID, int] = {}
        for number, values in rows:
            group = groups.get(normalised(str(values.get("group") or "")))
            if group is None:
                plan.refuse(number, "group", f"no ranking group {values.get('group') or ''}")
                continue
            subject = by_name.get((group, normalised(str(values.get("name") or ""))))
            if subject is None:
                plan.refuse(number, "name", f"no such subject in the group {group}")
                continue
            if subject in seen:
                plan.refuse(number, "name", f"the same name as row {seen[subject]}")
                continue
            seen[subject] = number
            position = _position(values.get("position"), len(placed.get(group, ())) + 1)
            first_row.setdefault(group, number)
            placed.setdefault(group, []).append((position, number, subject))
        order = {g: tuple(s for _, _, s in sorted(found)) for g, found in placed.items()}
        for group, found in placed.items():
            positions = [p for p, _, _ in found]
            if len(set(positions)) != len(positions):
                plan.refuse(first_row[group], "position", "a position is given twice")
        if plan.errors:
            return plan
        try:
            assessment.enter_order(order, cause)
        except DomainError as refused:
            where = min(first_row.values(), default=1)
            for e in refused.errors or ():
                plan.refuse(where, "name", e.message)
            if not refused.errors:
                plan.refuse(where, "name", refused.detail)
            return plan
        plan.records.append(assessment)
        return plan


def _position(value: Mapping[str, Any] | Any, default: int) -> int:
    try:
        return int(str(value).split(".")[0]) if value not in (None, "") else default
    except ValueError:
        return default
