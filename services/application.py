"""The tenant's eventsourcing Application: load → decide → save, returning what was written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import InfrastructureFactory, Mapper
from eventsourcing.utils import Environment

from domain.assessment import Assessment, GroupOrder, Setup
from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import NotFound, RuleViolated, StaleVersion
from domain.rubric import Indicator, Rubric
from domain.school import School
from domain.scorecard import CardKey, Scorecard, is_complete
from domain.user import Affiliation, User
from services.setup import ComponentSpec, SetupSpec, pin_components


@dataclass(frozen=True)
class Written:
    """What a write returns: the aggregate, its new version, and the log position reached."""

    id: UUID
    version: int
    position: int | None


@dataclass(frozen=True)
class CardWritten:
    id: UUID
    version: int
    position: int | None
    total: Decimal
    complete: bool
    submitted: bool


class TenantApplication(Application):  # type: ignore[type-arg]
    """One district's event-sourced application, built over injected infrastructure."""

    name = "Kaoping"

    def __init__(self, infrastructure: InfrastructureFactory, mapper: Mapper) -> None:  # type: ignore[type-arg]
        self._infrastructure = infrastructure
        self._mapper = mapper
        super().__init__()

    def construct_env(self, name: str, env: Any = None) -> Environment:
        return self._infrastructure.env  # never os.environ: settings come from the root

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        return self._infrastructure

    def construct_mapper(self) -> Mapper:  # type: ignore[type-arg]
        return self._mapper

    # -- plumbing --------------------------------------------------------------------------

    def load(self, cls: type[KaopingAggregate], aggregate_id: UUID, what: str) -> Any:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {what} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {what} {aggregate_id}")
        return aggregate

    def write(self, aggregate: KaopingAggregate) -> Written:
        recordings = self.save(aggregate)
        position = recordings[-1].notification.id if recordings else self.position()
        return Written(aggregate.id, aggregate.version, position)

    def position(self) -> int:
        return self.recorder.max_notification_id() or 0

    @staticmethod
    def check_version(aggregate: KaopingAggregate, expected: int | None) -> None:
        if expected is not None and aggregate.version != expected:
            raise StaleVersion(
                f"the version is {aggregate.version}, not {expected}: reload and try again"
            )

    # -- people and organisation -----------------------------------------------------------

    def register_user(
        self, name: str, role: str, affiliations: tuple[Affiliation, ...], cause: Cause
    ) -> Written:
        for affiliation in affiliations:
            if affiliation.kind == "school":
                self.load(School, affiliation.id, "school")
        return self.write(User.register(name, role, affiliations, cause))

    def record_token_issued(self, user_id: UUID, cause: Cause) -> Written:
        user = self.load(User, user_id, "user")
        user.issue_token(cause)
        return self.write(user)

    def user(self, user_id: UUID) -> User:
        return self.load(User, user_id, "user")

    def register_school(
        self, name: str, group: str, stage: str, zone: str | None, external: bool, cause: Cause
    ) -> Written:
        return self.write(School.register(name, group, stage, zone, external, cause))

    # -- rubrics ---------------------------------------------------------------------------

    def draft_rubric(
        self, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause
    ) -> Written:
        return self.write(Rubric.draft(name, step, indicators, cause))

    def replace_rubric_draft(
        self,
        rubric_id: UUID,
        name: str,
        step: Decimal,
        indicators: tuple[Indicator, ...],
        cause: Cause,
        expected_version: int | None = None,
    ) -> Written:
        rubric = self.rubric(rubric_id)
        self.check_version(rubric, expected_version)
        rubric.replace_draft(name, step, indicators, cause)
        return self.write(rubric)

    def publish_rubric(
        self, rubric_id: UUID, cause: Cause, expected_version: int | None = None
    ) -> tuple[Written, int]:
        rubric = self.rubric(rubric_id)
        self.check_version(rubric, expected_version)
        number = rubric.publish(cause)
        return self.write(rubric), number

    def rubric(self, rubric_id: UUID) -> Rubric:
        return self.load(Rubric, rubric_id, "rubric")

    # -- assessments -----------------------------------------------------------------------

    def create_assessment(self, spec: SetupSpec, cause: Cause) -> Written:
        components = pin_components(spec.components, self.rubric)
        setup = Setup(
            name=spec.name,
            components=components,
            aggregation=spec.aggregation,
            quorum=spec.quorum,
            tiers=spec.tiers,
            groups=spec.groups,
            publish_ranks=spec.publish_ranks,
        )
        return self.write(Assessment.create(setup, cause))

    def assessment(self, assessment_id: UUID) -> Assessment:
        return self.load(Assessment, assessment_id, "assessment")

    def add_subject(
        self, assessment_id: UUID, kind: str, ref_id: UUID, group: str, cause: Cause
    ) -> tuple[Written, UUID]:
        assessment = self.assessment(assessment_id)
        if kind != "school":
            raise RuleViolated(
                "only schools can be subjects for now",
                (),
            )
        school: School = self.load(School, ref_id, "school")
        subject_id = assessment.add_subject(kind, ref_id, school.name, group, cause)
        return self.write(assessment), subject_id

    def add_judge(self, assessment_id: UUID, judge_id: UUID, cause: Cause) -> Written:
        assessment = self.assessment(assessment_id)
        judge: User = self.load(User, judge_id, "user")
        if judge.role != "judge":
            raise RuleViolated(f"{judge.name} is not a judge", ())
        assessment.add_judge(judge_id, judge.name, cause)
        return self.write(assessment)

    def draw(
        self, assessment_id: UUID, seed: str, cause: Cause
    ) -> tuple[Written, tuple[GroupOrder, ...]]:
        assessment = self.assessment(assessment_id)
        order = assessment.draw(seed, cause)
        return self.write(assessment), order

    def advance(
        self, assessment_id: UUID, to: str, cause: Cause, expected_version: int | None = None
    ) -> Written:
        assessment = self.assessment(assessment_id)
        self.check_version(assessment, expected_version)
        assessment.advance(to, cause)
        return self.write(assessment)

    # -- scorecards ------------------------------------------------------------------------

    def record_scores(self, key: CardKey, scores: dict[str, Decimal], cause: Cause) -> CardWritten:
        component = self.assessment(key.assessment_id).scoring_terms(
            key.judge_id, key.subject_id, key.component
        )
        card = self.card_or_none(key) or Scorecard(key=key, cause=cause)
        card.record(scores, component.leaves, component.step, cause)
        return self.card_written(card, self.write(card), component.leaves)

    def submit_card(self, key: CardKey, cause: Cause) -> CardWritten:
        component = self.assessment(key.assessment_id).scoring_terms(
            key.judge_id, key.subject_id, key.component
        )
        card = self.card(key)
        card.submit(component.leaves, cause)
        return self.card_written(card, self.write(card), component.leaves)

    def reopen_card(self, key: CardKey, cause: Cause) -> CardWritten:
        assessment = self.assessment(key.assessment_id)
        assessment.check_status("open", "closed")
        component = assessment.component(key.component)
        card = self.card(key)
        card.reopen(cause)
        return self.card_written(card, self.write(card), component.leaves)

    def card(self, key: CardKey) -> Scorecard:
        card = self.card_or_none(key)
        if card is None:
            raise NotFound("the judge has no card for this subject and component")
        return card

    def card_or_none(self, key: CardKey) -> Scorecard | None:
        try:
            return self.repository.get(key.card_id)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            return None

    @staticmethod
    def card_written(card: Scorecard, written: Written, leaves: Any) -> CardWritten:
        return CardWritten(written.id, written.version, written.position, card.total,
                           is_complete(card.scores, leaves), card.submitted)


__all__ = ["CardWritten", "ComponentSpec", "SetupSpec", "TenantApplication", "Written"]
