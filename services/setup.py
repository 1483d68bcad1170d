"""Turning an admin's assessment request into a Setup with every rubric version pinned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.assessment import (
    Aggregation,
    CommunityWeight,
    Component,
    Period,
    Quota,
    RankingGroup,
    Setup,
    Tier,
)
from domain.errors import FieldError, NotFound, RuleViolated
from domain.rubric import Rubric
from domain.setup import ComponentRule


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    name: str
    rubric_id: UUID
    rubric_version: int
    weight: Decimal
    kind: str | None = None


@dataclass(frozen=True)
class SetupSpec:
    name: str
    components: tuple[ComponentSpec, ...]
    aggregation: Aggregation
    quorum: int
    tiers: tuple[Tier, ...]
    groups: tuple[RankingGroup, ...]
    publish_ranks: bool = True
    period: Period | None = None
    quotas: tuple[Quota, ...] = ()
    community_weights: tuple[CommunityWeight, ...] = ()
    component_rules: tuple[ComponentRule, ...] = ()  # per-subject components (issue 15)
    full_marks: Decimal | None = None
    publish_opinions: bool = False


def pin_components(
    specs: tuple[ComponentSpec, ...], rubric: Callable[[UUID], Rubric]
) -> tuple[Component, ...]:
    """Each component keeps a copy of its rubric version's leaves: published never changes."""
    components = []
    errors = []
    for i, spec in enumerate(specs):
        try:
            version = rubric(spec.rubric_id).published(spec.rubric_version)
        except NotFound as error:
            errors.append(FieldError(f"components[{i}].rubric_version", error.detail))
            continue
        components.append(
            Component(spec.key, spec.name, spec.rubric_id, spec.rubric_version, spec.weight,
                      version.step, version.leaves, spec.kind)
        )
    if errors:
        raise RuleViolated("a component names a rubric version that is not published",
                           tuple(errors))
    return tuple(components)


def setup_of(spec: SetupSpec, rubric: Callable[[UUID], Rubric], precision: int) -> Setup:
    """The Setup a round is created with: components pinned, the tenant's precision pinned."""
    return Setup(
        name=spec.name, components=pin_components(spec.components, rubric),
        aggregation=spec.aggregation, quorum=spec.quorum, tiers=spec.tiers, groups=spec.groups,
        publish_ranks=spec.publish_ranks, period=spec.period, quotas=spec.quotas,
        community_weights=spec.community_weights, precision=precision,
        component_rules=spec.component_rules, full_marks=spec.full_marks,
        publish_opinions=spec.publish_opinions,
    )
