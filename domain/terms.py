"""评分条件 — what a score write needs from its assessment, as it stood at one version.

An immutable value, so it can be cached and shared by every write of the round without a
copy. The assessment itself answers with the same rule (``Assessment.scoring_terms``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from uuid import UUID

from domain.errors import FieldError, NotFound, NotPermitted, RuleViolated, StateConflict
from domain.setup import Component, Setup, Subject
from domain.shaping import applies, sits_for


class JudgeIsRecused(StateConflict):
    """A recused judge may not score the subject."""


class OutsideGroup(NotPermitted):
    """A sub-panel judge may not score a subject of another 考核组."""


@dataclass(frozen=True)
class ScoringTerms:
    """The pinned rubric (in ``setup``), subjects, panel, recusals and status at ``version``."""

    assessment_id: UUID
    version: int
    status: str
    setup: Setup
    subjects: Mapping[UUID, Subject]
    panel: frozenset[UUID]
    recusals: frozenset[str]  # "judge/subject"
    judge_groups: Mapping[UUID, tuple[str, ...]] = field(  # 考核组
        default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, assessment_id: UUID, version: int, status: str, setup: Setup,
           subjects: Mapping[UUID, Subject], panel: Mapping[UUID, str] | frozenset[UUID],
           recusals: Mapping[str, str] | frozenset[str],
           judge_groups: Mapping[UUID, tuple[str, ...]] | None = None) -> ScoringTerms:
        """A copy of the assessment's state: later events on it never change this value."""
        return cls(assessment_id, version, status, setup, MappingProxyType(dict(subjects)),
                   frozenset(panel), frozenset(recusals),
                   MappingProxyType(dict(judge_groups or {})))

    def component(self, key: str) -> Component:
        for component in self.setup.components:
            if component.key == key:
                return component
        raise NotFound(f"no component {key} in this assessment")

    def subject(self, subject_id: UUID) -> Subject:
        try:
            return self.subjects[subject_id]
        except KeyError:
            raise NotFound("no such subject in this assessment") from None

    def check(self, judge_id: UUID, subject_id: UUID, key: str) -> Component:
        """What a judge may score: their panel's subjects, while the round is open."""
        component = self.component(key)
        subject = self.subject(subject_id)
        if judge_id not in self.panel:
            raise NotPermitted("the judge is not on this assessment's panel")
        if not sits_for(self.judge_groups.get(judge_id, ()), subject):
            raise OutsideGroup("the judge's 考核组 does not assess this subject")
        if not applies(self.setup, subject, key):
            raise RuleViolated("this component does not apply to this subject",
                               (FieldError("component", f"{key} is not one of this subject's "
                                                        "components"),))
        if self.status != "open":
            raise StateConflict(f"the assessment is {self.status}")
        if f"{judge_id}/{subject_id}" in self.recusals:
            raise JudgeIsRecused("the judge is recused from this subject (回避)")
        return component
