"""An assessment's set-up: components, aggregation, tiers, ranking groups, subjects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain import shaping
from domain.errors import FieldError, RuleViolated
from domain.rounding import DEFAULT_PLACES, PLACES
from domain.rubric import Leaf
from domain.shaping import check_shaping

METHODS = ("mean", "median", "trimmed_mean")
COMPONENT_KINDS = ("routine", "project", "distinctive")  # 常态化工作 / 项目评估 / 特色发展
SUBJECT_KINDS = shaping.SUBJECT_KINDS  # school, community, unit, teacher (a person)
# draft → open → closed → finalised → published
NEXT_STATUS = {"draft": "open", "open": "closed", "closed": "finalised",
               "finalised": "published"}


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
    kind: str | None = None

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
    """What is assessed: a school, a community or a research unit, in one ranking group.

    A community keeps its type and its schools as they stood in the assessment's period.
    """

    id: UUID
    kind: str
    ref_id: UUID
    name: str
    group: str
    community_type: str | None = None
    core_school_id: UUID | None = None
    member_school_ids: tuple[UUID, ...] = ()
    # Since issue 15 (both empty in older events: every component applies, as before).
    components: tuple[str, ...] = ()  # the components given for this subject alone
    role: str | None = None  # a school's role in its community: core or member


@dataclass(frozen=True)
class ComponentRule:
    """Which components apply to a kind of subject, a role in a community, or a community
    type (玉环: 核心校 → 帮扶项目, 成员校 → 特色发展; 协作型 bundles routine work and project)."""

    applies_to: str  # one of SELECTORS
    components: tuple[str, ...]


@dataclass(frozen=True)
class Period:
    """The period the round assesses (e.g. a school year)."""

    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CommunityWeight:
    """捆绑考核: how a community's core school and its members weigh in one component."""

    type: str
    component: str
    core: Decimal
    members: Decimal


@dataclass(frozen=True)
class Quota:
    """At most ⌊fraction·N⌋ subjects of a ranking group reach this tier."""

    tier: str
    fraction: Decimal


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
    period: Period | None = None
    quotas: tuple[Quota, ...] = ()
    community_weights: tuple[CommunityWeight, ...] = ()
    # Decimals of the shown final (四舍五入), pinned from the tenant's setting at creation;
    # rounds created before the setting existed were shown with two.
    precision: int = DEFAULT_PLACES
    # Since issue 15: per-subject components (domain/shaping.py). No rules and no full marks:
    # every component applies to every subject and the final is their sum, as before.
    component_rules: tuple[ComponentRule, ...] = ()
    full_marks: Decimal | None = None  # 满分: each subject's final is renormalised to it
    # 公示 shows the 综合评价意见 and the cards' 评语 (off unless the tenant says so).
    publish_opinions: bool = False


@dataclass(frozen=True)
class GroupOrder:
    """出场顺序 of one ranking group, as drawn."""

    group: str
    subject_ids: tuple[UUID, ...]


def check_setup(setup: Setup) -> None:
    errors = [*_check_basics(setup), *_check_components(setup), *_check_rules(setup),
              *check_shaping(setup)]
    if errors:
        raise RuleViolated("the assessment is not valid", tuple(errors))


def _check_basics(setup: Setup) -> list[FieldError]:
    errors = []
    if not setup.name.strip():
        errors.append(FieldError("name", "must not be empty"))
    if setup.quorum < 1:
        errors.append(FieldError("quorum", "must be at least 1"))
    group_keys = [g.key for g in setup.groups]
    if not group_keys:
        errors.append(FieldError("groups", "at least one ranking group is needed"))
    if len(set(group_keys)) != len(group_keys):
        errors.append(FieldError("groups", "group keys must be unique"))
    if setup.period and setup.period.ends_on < setup.period.starts_on:
        errors.append(FieldError("period", "ends before it starts"))
    if setup.precision not in PLACES:
        errors.append(FieldError("precision", f"between {PLACES[0]} and {PLACES[-1]} decimals"))
    return errors


def _check_components(setup: Setup) -> list[FieldError]:
    errors = []
    if not setup.components:
        errors.append(FieldError("components", "at least one component is needed"))
    keys = [c.key for c in setup.components]
    for i, component in enumerate(setup.components):
        where = f"components[{i}]"
        if keys.count(component.key) > 1:
            errors.append(FieldError(f"{where}.key", "keys must be unique"))
        if not component.weight.is_finite() or component.weight <= 0:
            errors.append(FieldError(f"{where}.weight", "must be a number greater than 0"))
        if component.kind is not None and component.kind not in COMPONENT_KINDS:
            errors.append(FieldError(f"{where}.kind",
                                     f"must be one of {', '.join(COMPONENT_KINDS)}"))
    return errors


def _check_rules(setup: Setup) -> list[FieldError]:
    errors = []
    aggregation = setup.aggregation
    if aggregation.method not in METHODS:
        errors.append(FieldError("aggregation.method", f"must be one of {', '.join(METHODS)}"))
    if aggregation.trim < 1:
        errors.append(FieldError("aggregation.trim", "must be at least 1"))
    if aggregation.normalise not in ("none", "zscore"):
        errors.append(FieldError("aggregation.normalise", "must be none or zscore"))
    tier_names = {t.name for t in setup.tiers}
    for quota in setup.quotas:
        if quota.tier not in tier_names:
            errors.append(FieldError(f"tiers.quota.{quota.tier}", "no tier of that name"))
        if not (0 <= quota.fraction <= 1):
            errors.append(FieldError(f"tiers.quota.{quota.tier}", "must be between 0 and 1"))
    for i, weight in enumerate(setup.community_weights):
        if weight.core < 0 or weight.members < 0 or weight.core + weight.members <= 0:
            errors.append(FieldError(f"community_weights[{i}]", "weights ≥ 0, not both 0"))
    return errors
