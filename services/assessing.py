"""Assessments: set-up, subjects, the panel and 回避, lifecycle, scorecards, self-assessment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.assessment import (
    Assessment,
    Component,
    GroupOrder,
    PublishedResult,
    PublishedScore,
    Setup,
    Subject,
    subject_for,
)
from domain.board import BoardState
from domain.cause import Cause
from domain.community import Community
from domain.conflicts import Conflict
from domain.errors import FieldError, NotFound, NotPermitted, RuleViolated, StateConflict
from domain.evidence import Citation, Evidence
from domain.ids import check_each_once
from domain.records import check_active
from domain.results import rows
from domain.school import School
from domain.scorecard import CardKey, Scorecard, is_complete
from domain.self_assessment import SelfAssessment, self_assessment_id
from domain.setup import check_setup
from domain.shaping import applies
from domain.terms import ScoringTerms
from domain.unit import Unit, unit_label
from domain.user import User
from services.base import CardWritten, Written
from services.recusals import RecusalCommands, events_of
from services.replay import board_at
from services.setup import SetupSpec, setup_of
from services.suggesting import Suggestions
from services.terms import MovedOn

# Decide again at most this often when the assessment moves on under a write.
TERMS_ATTEMPTS = 5
COMMUNITY_REGISTERED = get_topic(Community.Registered)


class AssessmentCommands(Suggestions, RecusalCommands):
    def create_assessment(self, spec: SetupSpec, cause: Cause,
                          node_id: UUID | None = None) -> Written:
        setup = setup_of(spec, self.rubric, self.settings().precision)  # type: ignore[attr-defined]
        return self.write(Assessment.create(setup, cause, node_id))

    def check_assessment(self, spec: SetupSpec) -> Setup:
        """What ``create_assessment`` would create, checked by the same rules, writing
        nothing: the set-up pages check each step before the round is created."""
        setup = setup_of(spec, self.rubric, self.settings().precision)  # type: ignore[attr-defined]
        check_setup(setup)
        return setup

    def assessment(self, assessment_id: UUID) -> Assessment:
        return self.load(Assessment, assessment_id, "assessment")  # type: ignore[no-any-return]

    # -- subjects ----------------------------------------------------------------------------

    def add_subject(
        self, assessment_id: UUID, kind: str, ref_id: UUID, group: str, cause: Cause,
        expected_version: int | None = None, components: tuple[str, ...] = (),
    ) -> tuple[Written, UUID]:
        """Add a subject; ``components``: its own, when not those the set-up's rules give."""
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        subject = replace(self.subject_of(assessment, kind, ref_id, group),
                          components=tuple(components))
        subject_id = assessment.add_subject(subject, cause)
        # A judge already on the panel is recused from a new subject they are tied to.
        why = cause.because(f"新增被评对象：{subject.name}")
        self.rederive(assessment, why)
        return self.settled(self.write(assessment), why, assessment.id), subject_id

    def subject_of(self, assessment: Assessment, kind: str, ref_id: UUID, group: str) -> Subject:
        if kind == "school":
            school: School = self.load(School, ref_id, "school")
            check_active(school, "ref_id")
            return subject_for(assessment.id, kind, ref_id, school.name, group,
                               role=self.community_role(assessment, ref_id))
        if kind == "unit":
            unit: Unit = self.load(Unit, ref_id, "unit")
            check_active(unit, "ref_id")
            school = self.load(School, unit.school_id, "school") if unit.school_id else None
            return subject_for(assessment.id, kind, ref_id,
                               unit_label(unit.name, school.name if school else None), group)
        if kind == "community":
            community: Community = self.load(Community, ref_id, "community")
            check_active(community, "ref_id")
            period = assessment.setup.period
            if period is None:
                raise RuleViolated(
                    "a community is assessed over a period: give the assessment one",
                    (FieldError("period", "required to assess communities"),),
                )
            # Membership as it stood at the end of the assessed period.
            return subject_for(assessment.id, kind, ref_id, community.name, group,
                               community.type, community.core_school_id,
                               community.members_on(period.ends_on))
        if kind == "teacher":  # a person: 工作点, 优秀教研组长, 名师
            person: User = self.load(User, ref_id, "user")
            check_active(person, "ref_id")
            if person.role not in ("teacher", "judge"):
                raise RuleViolated(f"{person.name} is not a teacher",
                                   (FieldError("ref_id", "not a teacher"),))
            return subject_for(assessment.id, kind, ref_id, person.name, group)
        raise RuleViolated("unknown subject kind",
                           (FieldError("kind", "must be school, community, unit or teacher"),))

    def community_role(self, assessment: Assessment, school_id: UUID) -> str | None:
        """The school's role in its community (核心校 before 成员校), as it stood at the end
        of the assessed period (with no period: now): what the component rules read."""
        period = assessment.setup.period
        role = None
        for registered in events_of(self, [COMMUNITY_REGISTERED]):
            community: Community | None = self.load_or_none(Community, registered.originator_id)
            if community is None or community.archived:
                continue
            if community.core_school_id == school_id:
                return "core"
            members = (community.members_on(period.ends_on) if period else
                       community.schools_during(None, None)[1:])
            if school_id in members:
                role = "member"
        return role

    # -- the panel and 回避 -------------------------------------------------------------------

    def conflicts(self, assessment_id: UUID, judge_id: UUID) -> tuple[Conflict, ...]:
        """The recusals adding this judge would make (a dry run)."""
        assessment = self.assessment(assessment_id)
        return self.conflicts_of(assessment, self.judge(judge_id))

    def add_judge(
        self, assessment_id: UUID, judge_id: UUID, cause: Cause,
        expected_version: int | None = None, groups: tuple[str, ...] = (),
    ) -> tuple[Written, tuple[Conflict, ...]]:
        """Add a judge to the panel, or to the 考核组 ``groups`` only."""
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        judge = self.judge(judge_id)
        found = self.conflicts_of(assessment, judge)
        assessment.add_judge(judge_id, judge.name, found, cause, tuple(groups))
        return self.settled(self.write(assessment), cause, assessment.id, {judge_id}), found

    def declare_recusal(self, assessment_id: UUID, judge_id: UUID, subject_id: UUID,
                        cause: Cause) -> Written:
        assessment = self.assessment(assessment_id)
        assessment.declare_recusal(judge_id, subject_id, cause)
        return self.write(assessment)

    # -- lifecycle ---------------------------------------------------------------------------

    def draw(
        self, assessment_id: UUID, seed: str, cause: Cause, expected_version: int | None = None
    ) -> tuple[Written, tuple[GroupOrder, ...]]:
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        order = assessment.draw(seed, cause)
        return self.write(assessment), order

    def publish(
        self, assessment_id: UUID, log_position: int, log_head: str, cause: Cause,
        expected_version: int | None = None,
    ) -> Written:
        """公示: publish what the log says, computed from the events alone."""
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        results = published_results(board_at(self, assessment_id, log_position))
        assessment.publish(results, log_position, log_head, cause)
        # A republication (a correction) reaches the annual reviews reading it (ADR 0026).
        follow = self.follow_publication  # type: ignore[attr-defined]  # AnnualCommands
        return self.write(assessment, *follow(assessment, results, log_position, log_head, cause))

    # -- scorecards --------------------------------------------------------------------------

    def record_scores(self, key: CardKey, scores: dict[str, Decimal],
                      cause: Cause, comment: str | None = None) -> CardWritten:
        """A judge's points (and 综合评价意见, when given). Leaves with an evidence rule keep
        beside them what the subject's activity records suggested (as projected: never
        waiting for it)."""

        def decide(terms: ScoringTerms, component: Component) -> Scorecard:
            suggested = self.suggested_for(terms, key.subject_id, component, set(scores))
            card = self.card_or_none(key.card_id) or Scorecard(key=key, cause=cause)
            card.record(scores, component.leaves, component.step, cause, suggested, comment)
            return card

        return self.on_terms(key, decide)

    def submit_card(self, key: CardKey, cause: Cause) -> CardWritten:
        def decide(terms: ScoringTerms, component: Component) -> Scorecard:
            card = self.card_or_none(key.card_id)
            if card is None:
                raise NotFound("the judge has no card for this subject and component")
            card.submit(component.leaves, cause)
            return card

        return self.on_terms(key, decide)

    def on_terms(self, key: CardKey,
                 decide: Callable[[ScoringTerms, Component], Scorecard]) -> CardWritten:
        """Decide on the assessment's cached terms and save the card while the assessment is
        still at their version; if it moved on meanwhile (a close, a recusal, in any
        process), decide again on fresh terms (services/terms.py, ADR 0008)."""
        terms = self.scoring_terms(key.assessment_id)
        for _ in range(TERMS_ATTEMPTS):
            # A refusal is recorded once, as its own small Refusal (``record_refusal``),
            # never on the assessment: a recused judge must not contend with the round.
            component = terms.check(key.judge_id, key.subject_id, key.component)
            card = decide(terms, component)
            try:
                written = self.write(card, while_at=(terms.assessment_id, terms.version))
            except MovedOn:
                terms = self.scoring_terms(key.assessment_id, fresh=True)
                continue
            return self.card_written(card, written, component.leaves)
        raise StateConflict("the assessment keeps changing: try again")

    def scoring_terms(self, assessment_id: UUID, fresh: bool = False) -> ScoringTerms:
        """The assessment's terms as last read (``fresh``: as they stand now)."""
        terms = None if fresh else self.terms_cache.get(assessment_id)
        if terms is None:
            terms = self.assessment(assessment_id).terms()
            self.terms_cache.put(terms)
        return terms

    def card_or_none(self, card_id: UUID) -> Scorecard | None:
        """A card from its own events: one read (cards take no snapshots, so the
        repository's look for one first is skipped). Folded here rather than by the
        library's ``project_aggregate``, whose check of each event against a runtime
        protocol cost some 10 µs an event on every score write."""
        card: Any = None
        for event in self.repository.event_store.get(card_id):
            card = event.mutate(card)
        return card if isinstance(card, Scorecard) else None

    def reopen_card(self, key: CardKey, cause: Cause) -> CardWritten:
        """The admin reopens a card while the round is open or closed; a judge their own,
        while it is open."""
        assessment = self.assessment(key.assessment_id)
        assessment.check_card_reopening(cause.actor_role)
        component = assessment.component(key.component)
        card = self.card(key)
        card.reopen(cause)
        return self.card_written(card, self.write(card), component.leaves)

    def card(self, key: CardKey, version: int | None = None) -> Scorecard:
        """The card as it stands, or as it was at ``version``."""
        card = self.load_or_none(Scorecard, key.card_id)
        if card is None:
            raise NotFound("the judge has no card for this subject and component")
        if version is None:
            return card  # type: ignore[no-any-return]
        if version > card.version:
            raise NotFound(f"the card has no version {version} (it is at {card.version})")
        return self.repository.get(key.card_id, version=version)  # type: ignore[no-any-return]

    @staticmethod
    def card_written(card: Scorecard, written: Written, leaves) -> CardWritten:  # type: ignore[no-untyped-def]
        return CardWritten(written.id, written.version, written.position, card.total,
                           is_complete(card.scores, leaves), card.submitted)

    # -- 自查自评 ------------------------------------------------------------------------------

    def record_self_assessment(
        self, key: CardKey, scores: dict[str, Decimal], evidence_ids: tuple[UUID, ...],
        reporter: User, cause: Cause,
        by_indicator: dict[str, tuple[UUID, ...]] | None = None,
    ) -> Written:
        assessment = self.assessment(key.assessment_id)
        assessment.check_status("open")
        component = assessment.component(key.component)
        subject = assessment.subject(key.subject_id)
        if not applies(assessment.setup, subject, key.component):
            raise RuleViolated("this component does not apply to this subject",
                               (FieldError("component", f"{key.component} is not one of this "
                                                        "subject's components"),))
        if not self.reports_for(reporter, subject):  # type: ignore[attr-defined]  # AccessRules
            raise NotPermitted("a reporter assesses only their own school's subjects")
        late = self.check_on_time(assessment, subject, key.component)  # type: ignore[attr-defined]  # WindowCommands
        check_each_once({"evidence_ids": evidence_ids, **{
            f"evidence.{code}": ids for code, ids in (by_indicator or {}).items()}})
        named = [(f"evidence_ids[{i}]", e) for i, e in enumerate(evidence_ids)] + [
            (f"evidence.{code}[{i}]", e) for code, ids in (by_indicator or {}).items()
            for i, e in enumerate(ids)]
        materials: dict[UUID, Evidence] = {}
        for where, evidence_id in named:
            material: Evidence = materials.get(evidence_id) or self.load(
                Evidence, evidence_id, "evidence")
            # Giving a file one may not open would open it to others: as if it did not exist.
            may_open = self.may_open_evidence  # type: ignore[attr-defined]
            if not may_open(material, reporter.role, reporter.id):
                raise NotFound(f"no evidence {evidence_id}")
            self.check_evidence_belongs(  # type: ignore[attr-defined]
                material, self.owner_of_subject(subject), where)  # type: ignore[attr-defined]
            if not material.within(assessment.setup.period):
                raise RuleViolated("材料须在考核期内: the evidence is dated outside the period",
                                   (FieldError(where, f"dated {material.dated}"),))
            materials[evidence_id] = material
        existing = self.load_or_none(
            SelfAssessment, self_assessment_id(key.assessment_id, key.subject_id, key.component))
        own = existing or SelfAssessment(key=key, cause=cause)
        own.record(scores, evidence_ids, component.leaves, component.step, cause, by_indicator,
                   late)
        # Each piece remembers where it is given, so its judges can open it (from the log).
        citation = Citation(key.assessment_id, key.subject_id, key.component)
        for material in materials.values():
            material.cite(citation, cause)
        cited = [m for m in materials.values() if m.pending_events]
        return self.write(own, *cited)

    def self_assessment(self, assessment_id: UUID, subject_id: UUID,
                        component: str) -> SelfAssessment | None:
        return self.load_or_none(  # type: ignore[no-any-return]
            SelfAssessment, self_assessment_id(assessment_id, subject_id, component))



def published_results(state: BoardState) -> tuple[PublishedResult, ...]:
    return tuple(PublishedResult(row.subject_id, row.final, row.tier, row.rank, tuple(
        PublishedScore(key, c.score) for key, c in row.components.items()))
                 for row in rows(state))
