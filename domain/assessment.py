"""考核 — one assessment round: components, ranking groups, subjects, panel, lifecycle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, NotFound, NotPermitted, RuleViolated, StateConflict
from domain.rubric import Leaf

METHODS = ("mean", "median", "trimmed_mean")
SUBJECT_KINDS = ("school", "community", "unit")
# draft → open → closed → finalised → published
NEXT_STATUS = {"draft": "open", "open": "closed", "closed": "finalised", "finalised": "published"}


@dataclass(frozen=True)
class Component:
    """A scored part of the round (常态化工作, 项目评估…), pinned to one rubric version."""

    key: str
    name: str
    rubric_id: UUID
    rubric_version: int
    weight: Decimal
    step: Decimal
    leaves: tuple[Leaf, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((leaf.max_points for leaf in self.leaves), Decimal(0))


@dataclass(frozen=True)
class Aggregation:
    """How the panel's totals become one score: mean, median or 去掉最高最低 trimmed mean."""

    method: str = "mean"
    trim: int = 1
    normalise: str = "none"


@dataclass(frozen=True)
class Tier:
    """等次: a tier and the lowest final score that reaches it."""

    name: str
    min: Decimal


@dataclass(frozen=True)
class RankingGroup:
    """分组: subjects are ranked within their group; presentations have a time limit."""

    key: str
    name: str
    time_limit_minutes: int | None = None


@dataclass(frozen=True)
class Subject:
    """What is assessed: a school, a community or a research unit, in one ranking group."""

    id: UUID
    kind: str
    ref_id: UUID
    name: str
    group: str


@dataclass(frozen=True)
class Setup:
    """Everything fixed when the round is created."""

    name: str
    components: tuple[Component, ...]
    aggregation: Aggregation = field(default_factory=Aggregation)
    quorum: int = 1
    tiers: tuple[Tier, ...] = ()
    groups: tuple[RankingGroup, ...] = ()
    publish_ranks: bool = True


@dataclass(frozen=True)
class GroupOrder:
    """出场顺序 of one ranking group, as drawn."""

    group: str
    subject_ids: tuple[UUID, ...]


def check_setup(setup: Setup) -> None:
    errors: list[FieldError] = []
    if not setup.name.strip():
        errors.append(FieldError("name", "must not be empty"))
    if not setup.components:
        errors.append(FieldError("components", "at least one component is needed"))
    keys = [c.key for c in setup.components]
    for i, component in enumerate(setup.components):
        if keys.count(component.key) > 1:
            errors.append(FieldError(f"components[{i}].key", "keys must be unique"))
        if component.weight <= 0:
            errors.append(FieldError(f"components[{i}].weight", "must be greater than 0"))
    if setup.aggregation.method not in METHODS:
        errors.append(FieldError("aggregation.method", f"must be one of {', '.join(METHODS)}"))
    if setup.aggregation.trim < 1:
        errors.append(FieldError("aggregation.trim", "must be at least 1"))
    if setup.aggregation.normalise not in ("none", "zscore"):
        errors.append(FieldError("aggregation.normalise", "must be none or zscore"))
    if setup.quorum < 1:
        errors.append(FieldError("quorum", "must be at least 1"))
    group_keys = [g.key for g in setup.groups]
    if not group_keys:
        errors.append(FieldError("groups", "at least one ranking group is needed"))
    if len(set(group_keys)) != len(group_keys):
        errors.append(FieldError("groups", "group keys must be unique"))
    if errors:
        raise RuleViolated("the assessment is not valid", tuple(errors))


def subject_id_for(assessment_id: UUID, kind: str, ref_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:assessment/{assessment_id}/subject/{kind}/{ref_id}")


class Assessment(KaopingAggregate):
    """One 考核 round, from draft to publication."""

    class Created(KaopingAggregate.Created):
        setup: Setup

    class SubjectAdded(KaopingAggregate.Event):
        subject: Subject

    class JudgeAdded(KaopingAggregate.Event):
        judge_id: UUID
        name: str

    class OrderDrawn(KaopingAggregate.Event):
        seed: str
        order: tuple[GroupOrder, ...]

    class StatusChanged(KaopingAggregate.Event):
        status: str

    @classmethod
    def create(cls, setup: Setup, cause: Cause) -> Assessment:
        check_setup(setup)
        return cls(setup=setup, cause=cause)

    @event(Created)
    def __init__(self, setup: Setup, cause: Cause) -> None:
        self.setup = setup
        self.status = "draft"
        self.subjects: dict[UUID, Subject] = {}
        self.panel: dict[UUID, str] = {}
        self.order: tuple[GroupOrder, ...] = ()

    # -- structure -------------------------------------------------------------------------

    def add_subject(self, kind: str, ref_id: UUID, name: str, group: str, cause: Cause) -> UUID:
        self.check_status("draft", "open")
        if kind not in SUBJECT_KINDS:
            raise RuleViolated("unknown subject kind", (FieldError("kind", "must be one of "
                                                                   + ", ".join(SUBJECT_KINDS)),))
        if group not in {g.key for g in self.setup.groups}:
            raise RuleViolated("unknown ranking group", (FieldError("group", f"no group {group}"),))
        subject_id = subject_id_for(self.id, kind, ref_id)
        if subject_id in self.subjects:
            raise StateConflict(f"this {kind} is already a subject of the assessment")
        self._add_subject(subject=Subject(subject_id, kind, ref_id, name, group), cause=cause)
        return subject_id

    @event(SubjectAdded)
    def _add_subject(self, subject: Subject, cause: Cause) -> None:
        self.subjects[subject.id] = subject

    def add_judge(self, judge_id: UUID, name: str, cause: Cause) -> None:
        self.check_status("draft", "open")
        if judge_id in self.panel:
            raise StateConflict("the judge is already on the panel")
        self._add_judge(judge_id=judge_id, name=name, cause=cause)

    @event(JudgeAdded)
    def _add_judge(self, judge_id: UUID, name: str, cause: Cause) -> None:
        self.panel[judge_id] = name

    def draw(self, seed: str, cause: Cause) -> tuple[GroupOrder, ...]:
        """抽签: the same seed always gives the same order."""
        self.check_status("draft", "open")
        order = draw_order(seed, self.setup.groups, tuple(self.subjects.values()))
        self._draw(seed=seed, order=order, cause=cause)
        return order

    @event(OrderDrawn)
    def _draw(self, seed: str, order: tuple[GroupOrder, ...], cause: Cause) -> None:
        self.order = order

    # -- lifecycle -------------------------------------------------------------------------

    def advance(self, to: str, cause: Cause) -> None:
        if NEXT_STATUS.get(self.status) != to:
            raise StateConflict(f"an assessment that is {self.status} cannot become {to}")
        if to == "open" and not self.subjects:
            raise StateConflict("add subjects before opening the assessment")
        self._change_status(status=to, cause=cause)

    @event(StatusChanged)
    def _change_status(self, status: str, cause: Cause) -> None:
        self.status = status

    # -- questions asked before scoring ----------------------------------------------------

    def check_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise StateConflict(f"the assessment is {self.status}")

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

    def scoring_terms(self, judge_id: UUID, subject_id: UUID, key: str) -> Component:
        """What a judge may score: their panel's subjects, while the round is open."""
        component = self.component(key)
        self.subject(subject_id)
        if judge_id not in self.panel:
            raise NotPermitted("the judge is not on this assessment's panel")
        self.check_status("open")
        return component


def draw_order(
    seed: str, groups: tuple[RankingGroup, ...], subjects: tuple[Subject, ...]
) -> tuple[GroupOrder, ...]:
    rng = random.Random(seed)  # noqa: S311 — a reproducible draw, not a secret
    order = []
    for group in groups:
        ids = sorted((s.id for s in subjects if s.group == group.key), key=str)
        rng.shuffle(ids)
        order.append(GroupOrder(group.key, tuple(ids)))
    return tuple(order)
