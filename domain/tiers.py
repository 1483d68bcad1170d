"""等次 — tiers by thresholds, then capped by quotas within each ranking group.

Quota rule: at most ⌊fraction·N⌋ subjects of a group (N = its ranked subjects) keep the
tier, best-ranked first. Subjects tied at the quota line are kept or dropped together:
if the whole tied block does not fit under the quota, the whole block falls to the next
tier down. A quota is never exceeded, even if that leaves places unused.
"""

from __future__ import annotations

from decimal import Decimal
from math import floor

from domain.assessment import Quota, Tier


def tier_for(final: Decimal, tiers: tuple[Tier, ...]) -> str | None:
    for tier in sorted(tiers, key=lambda t: t.min, reverse=True):
        if final >= tier.min:
            return tier.name
    return None


def apply_quotas(
    ranked: list[tuple[int, str | None]], tiers: tuple[Tier, ...], quotas: tuple[Quota, ...]
) -> list[str | None]:
    """``ranked``: (rank, tier) of one group's ranked subjects. Returns the capped tiers."""
    result = [tier for _, tier in ranked]
    order = [t.name for t in sorted(tiers, key=lambda t: t.min, reverse=True)]
    limits = {q.tier: floor(q.fraction * len(ranked)) for q in quotas}
    for position, name in enumerate(order):
        if name not in limits:
            continue
        lower = order[position + 1] if position + 1 < len(order) else None
        holders = sorted((rank, i) for i, (rank, _) in enumerate(ranked) if result[i] == name)
        kept, full = 0, False
        for rank in sorted({rank for rank, _ in holders}):
            block = [i for r, i in holders if r == rank]
            if not full and kept + len(block) <= limits[name]:
                kept += len(block)
                continue
            full = True
            for i in block:
                result[i] = lower
    return result
