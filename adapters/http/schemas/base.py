"""The shared pieces of request and response shapes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from msgspec import Meta, Struct

from domain.rounding import DEFAULT_PLACES, shown

# No control characters in one-line text; multi-line text may keep tabs and line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Key = Annotated[str, Meta(min_length=1, max_length=64, pattern=ONE_LINE)]
Text = Annotated[str, Meta(max_length=10_000, pattern=MULTI_LINE)]
Role = Annotated[str, Meta(max_length=32, pattern=ONE_LINE)]


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields are refused."""


def points(value: Decimal | None, places: int = DEFAULT_PLACES) -> float | None:
    """Points go out as JSON numbers, rounded half up (四舍五入) to the round's precision
    with the domain's one rule (exact inside)."""
    if value is None:
        return None
    return float(shown(value, places))
