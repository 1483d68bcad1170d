"""Correcting a draft round (subjects, groups, components, tiers) and its 出场顺序.

Each command answers what was written and the warnings a person should see: a school placed
in a group other than its registered 分组, an order made void by the change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.assessment import Assessment, Subject
from domain.cause import Cause
from domain.drafting import Notice, group_named, group_warning, voided_notices
from domain.school import School
from services.assessing import AssessmentCommands
from services.base import Written
from services.setup import ComponentSpec, pin_components


class DraftCommands(AssessmentCommands):
    def remove_subject(
        self, assessment_id: UUID, subject_id: UUID, cause: Cause,
        expected_version: int | None = None,
    ) -> tuple[Written, Subject, list[Notice]]:
        """Answers the subject as it was, and the orders the removal made void."""
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        before, subject = assessment.order, assessment.subject(subject_id)
        assessment.remove_subject(subject_id, cause)
        return (self.write(assessment), subject,
                voided_notices(assessment.setup, before, assessment.order))

    def move_subject(
        self, assessment_id: UUID, subject_id: UUID, group: str, cause: Cause,
        expected_version: int | None = None,
    ) -> tuple[Written, Assessment, list[Notice]]:
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        before = assessment.order
        assessment.move_subject(subject_id, group, cause)
        notices = [*self.placement_warnings(assessment, {subject_id}).values(),
                   *voided_notices(assessment.setup, before, assessment.order)]
        return self.write(assessment), assessment, notices

    def change_setup(
        self, assessment_id: UUID, changes: dict[str, Any], cause: Cause,
        expected_version: int | None = None,
    ) -> tuple[Written, tuple[str, ...], list[Notice]]:
        """``changes``: Setup fields and their new values; components as ComponentSpecs,
        pinned to their published rubric versions as at creation."""
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        if "components" in changes:
            specs: tuple[ComponentSpec, ...] = changes["components"]
            changes = changes | {"components": pin_components(specs, self.rubric)}  # type: ignore[attr-defined]
        before = assessment.order
        changed = assessment.change_setup(replace(assessment.setup, **changes), cause)
        written = self.write(assessment)
        notices = [*self.placement_warnings(assessment).values(),
                   *voided_notices(assessment.setup, before, assessment.order)]
        return written, changed, notices

    def enter_order(
        self, assessment_id: UUID, order: dict[str, tuple[UUID, ...]], cause: Cause,
        expected_version: int | None = None,
    ) -> tuple[Written, Assessment]:
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        assessment.enter_order(order, cause)
        return self.write(assessment), assessment

    def placement_warnings(
        self, assessment: Assessment, only: set[UUID] | None = None
    ) -> dict[UUID, Notice]:
        """Schools placed in a group whose name is not the 分组 they are registered in, as the
        school stands now (an edited school's warning follows the edit)."""
        notices = {}
        for subject in assessment.subjects.values():
            if subject.kind != "school" or (only is not None and subject.id not in only):
                continue
            school = self.load_or_none(School, subject.ref_id)
            group = group_named(assessment.setup, subject.group)
            notice = group_warning(subject.name, school.group, group) if school and group else None
            if notice is not None:
                notices[subject.id] = notice
        return notices
