"""未完成: what a round still lacks before it may close or be finalised.

A card is *missing* while a judge on the panel, not recused (回避) from the subject, has not
submitted it: never started, saved but not submitted, or reopened. A subject is *below
quorum* in a component while fewer submitted cards count for it than the round's quorum
(a community derived from its schools is not). Closing refuses missing cards; finalising
refuses both. The admin may override with a reason, and the override is recorded with the
list it overrode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.errors import StateConflict

# The states of a card a judge owes: not_started, saved (not submitted), reopened, submitted.
OWED_STATES = ("not_started", "saved", "reopened")


@dataclass(frozen=True)
class MissingCard:
    """A card the round still waits for."""

    judge_id: UUID
    subject_id: UUID
    component: str
    state: str  # one of OWED_STATES


@dataclass(frozen=True)
class BelowQuorum:
    """A subject whose submitted cards in a component are fewer than the quorum."""

    subject_id: UUID
    component: str
    submitted: int
    quorum: int


@dataclass(frozen=True)
class Shortfall:
    """Everything a round lacks, as found over its current cards."""

    missing: tuple[MissingCard, ...] = ()
    below_quorum: tuple[BelowQuorum, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.missing or self.below_quorum)


class Incomplete(StateConflict):
    """The round may not take this step yet: ``extra`` carries the lists, with names."""

    def __init__(self, detail: str, missing: list[dict[str, Any]],
                 below_quorum: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.extra: dict[str, Any] = {"missing": missing, "below_quorum": below_quorum}
