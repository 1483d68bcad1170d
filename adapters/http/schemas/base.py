"""The shared pieces of request and response shapes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, get_args, get_type_hints
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.text import shown_name
from domain.rounding import DEFAULT_PLACES, shown

# No control characters in one-line text; multi-line text may keep tabs and line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Key = Annotated[str, Meta(min_length=1, max_length=64, pattern=ONE_LINE)]
Text = Annotated[str, Meta(max_length=10_000, pattern=MULTI_LINE)]
# Lists of ids are capped so that a huge body is a 400 at once, before any id is looked up
# (repeats are refused by the rules, naming them: domain/ids.py).
MAX_IDS = 200
Ids = Annotated[list[UUID], Meta(max_length=MAX_IDS)]
Role = Annotated[str, Meta(max_length=32, pattern=ONE_LINE)]
LeafCode = Annotated[str, Meta(max_length=64, pattern=ONE_LINE,
                               description="A leaf indicator's code (末级指标), e.g. 1.1.2")]
# A number on the wire; a decimal string ("4.5") is still accepted. Decoded as given and made
# exact leaf by leaf (``exact_scores``), so a value like "18分" is refused naming its leaf.
# int before float: a whole number stays whole ("20", not "20.0") in the stored event.
Score = Annotated[int | float | str, Meta(
    description="Points for the leaf: a number; a decimal string such as \"4.5\" is also "
                "accepted. Between 0 and the leaf's maximum, on the rubric's step.",
    examples=[4.5])]


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields are refused; names lose bidirectional controls
    and must show a visible character (``shown_name``)."""

    def __post_init__(self) -> None:
        for field in _name_fields(type(self)):
            value = getattr(self, field)
            if isinstance(value, str):
                setattr(self, field, shown_name(value, field))


@cache
def _name_fields(cls: type) -> tuple[str, ...]:
    """The fields typed ``Name`` (or ``Name | None``, ``Name | UnsetType``…)."""
    hints = get_type_hints(cls, include_extras=True)
    return tuple(field for field, hint in hints.items()
                 if hint == Name or Name in get_args(hint))


def points(value: Decimal | None, places: int = DEFAULT_PLACES) -> float | None:
    """Points go out as JSON numbers, rounded half up (四舍五入) to the round's precision
    with the domain's one rule (exact inside)."""
    if value is None:
        return None
    return float(shown(value, places))


def exact_scores(scores: dict[str, int | float | str | Decimal]) -> dict[str, Decimal]:
    """Points as exact decimals (a JSON number by its shortest text: 4.55 stays 4.55)."""
    exact = {}
    for code, value in scores.items():
        try:
            exact[code] = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation:
            # The path suffix is how the framework learns which field was wrong.
            raise ValueError(f"the points for {code} are not a number: {value}"
                             f" - at `$.scores.{code}`") from None
    return exact
