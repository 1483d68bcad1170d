"""四舍五入 — the one rounding rule of kaoping: half up, to the tenant's precision.

Every figure people read (a score, a final, a converted score, a gap) goes through
``shown``; tiers and ranks are decided on the same shown final, so a school shown as 80.00
never falls below an 80 threshold. Python's own ``round`` and ``:.2f`` round half to even
(78.225 → 78.22) and must not be used on points.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_PLACES = 2
PLACES = range(0, 3)  # the API answers points with at most two decimals


def shown(value: Decimal, places: int = DEFAULT_PLACES) -> Decimal:
    """The figure as shown: rounded half up (四舍五入) to ``places`` decimals.

    >>> shown(Decimal("78.225"))
    Decimal('78.23')
    >>> shown(Decimal("-0.125"))
    Decimal('-0.13')
    """
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shown_or_none(value: Decimal | None, places: int = DEFAULT_PLACES) -> Decimal | None:
    return None if value is None else shown(value, places)


def text(value: Decimal | None, places: int = DEFAULT_PLACES) -> str:
    """The figure as printed (e.g. by the command line): ``78.23``, or ``—`` when absent."""
    return "—" if value is None else f"{shown(value, places)}"
