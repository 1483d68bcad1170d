"""Per-judge z-score normalisation against harsh and lenient judges.

Each judge's totals are standardised over that judge's cards, then rescaled to the
component's overall mean and standard deviation. A judge with fewer than two cards, or
with no spread, is left as is.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _sd(values: list[Decimal]) -> Decimal:
    mean = _mean(values)
    return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def zscore(totals: dict[tuple[UUID, UUID], Decimal]) -> dict[tuple[UUID, UUID], Decimal]:
    """``totals`` maps (judge, subject) → total for one component; returns the same keys."""
    if len(totals) < 2:
        return dict(totals)
    everything = list(totals.values())
    mean, sd = _mean(everything), _sd(everything)
    by_judge: dict[UUID, list[Decimal]] = {}
    for (judge, _), total in totals.items():
        by_judge.setdefault(judge, []).append(total)
    result = {}
    for (judge, subject), total in totals.items():
        own = by_judge[judge]
        own_sd = _sd(own) if len(own) >= 2 else Decimal(0)
        if own_sd == 0:
            result[(judge, subject)] = total
        else:
            result[(judge, subject)] = mean + (total - _mean(own)) / own_sd * sd
    return result
