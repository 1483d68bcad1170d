"""The shared pieces of request and response shapes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from msgspec import Meta, Struct

# No control characters in one-line text; multi-line text may keep tabs and line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Key = Annotated[str, Meta(min_length=1, max_length=64, pattern=ONE_LINE)]
Text = Annotated[str, Meta(max_length=10_000, pattern=MULTI_LINE)]
Role = Annotated[str, Meta(max_length=32, pattern=ONE_LINE)]


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields are refused."""


def points(value: Decimal | None) -> float | None:
    """Points go out as JSON numbers with at most two decimals (exact inside)."""
    if value is None:
        return None
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
