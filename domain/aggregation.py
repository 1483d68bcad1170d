"""How one subject's panel totals become one score: mean, median, trimmed mean."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class Aggregate:
    """The aggregated score, the judges whose cards were dropped, and whether it fell back."""

    score: Decimal
    dropped: tuple[UUID, ...] = ()
    fell_back: bool = False


def mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def aggregate(totals: dict[UUID, Decimal], method: str, trim: int = 1) -> Aggregate:
    """Aggregate judges' totals; ``totals`` must not be empty.

    The trimmed mean (去掉一个最高分和一个最低分) drops ``trim`` cards at each end. When judges
    tie at an extreme only one card per trim is dropped (the one of the judge whose id sorts
    first at the low end and last at the high end, so the choice is reproducible). With fewer
    than ``2·trim + 1`` cards it falls back to the mean and says so.
    """
    if not totals:
        raise ValueError("nothing to aggregate")
    values = list(totals.values())
    if method == "mean":
        return Aggregate(mean(values))
    if method == "median":
        return Aggregate(median(values))
    if method == "trimmed_mean":
        if len(values) < 2 * trim + 1:
            return Aggregate(mean(values), fell_back=True)
        ordered = sorted(totals.items(), key=lambda item: (item[1], str(item[0])))
        kept = ordered[trim:-trim]
        dropped = tuple(judge for judge, _ in ordered[:trim] + ordered[-trim:])
        return Aggregate(mean([total for _, total in kept]), dropped=dropped)
    raise ValueError(f"unknown aggregation method {method}")
