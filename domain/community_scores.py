"""捆绑考核 — a community's component score derived from its schools' scores.

``core × core school's score + members × mean of member schools' scores`` (weights
normalised to sum to 1), with weights per community type and component. Defaults from
玉环: 融合型 and 共建型 — routine work 1:1, assistance project 7:3, distinctive development
3:7; 协作型 — every school equally (the plain mean over the core and member schools).
"""

from __future__ import annotations

from decimal import Decimal

from domain.assessment import CommunityWeight, Component

DEFAULTS = {"routine": (Decimal(1), Decimal(1)), "project": (Decimal(7), Decimal(3)),
            "distinctive": (Decimal(3), Decimal(7))}


def weights_for(
    community_type: str, component: Component, table: tuple[CommunityWeight, ...]
) -> tuple[Decimal, Decimal] | None:
    """(core, members) weights; None means every school counts equally."""
    for weight in table:
        if weight.type == community_type and weight.component == component.key:
            return weight.core, weight.members
    if community_type == "collaborative":
        return None
    return DEFAULTS.get(component.kind or "routine", (Decimal(1), Decimal(1)))


def derive(
    core: Decimal | None, members: list[Decimal], weights: tuple[Decimal, Decimal] | None
) -> Decimal | None:
    if core is None:
        return None
    if weights is None:
        everyone = [core, *members]
        return sum(everyone, Decimal(0)) / len(everyone)
    if not members:
        return core
    core_weight, member_weight = weights
    member_mean = sum(members, Decimal(0)) / len(members)
    return (core_weight * core + member_weight * member_mean) / (core_weight + member_weight)
