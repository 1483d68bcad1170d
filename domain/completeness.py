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
from domain.setup import Setup, Subject

# The states of a card a judge owes: not_started, saved (not submitted), reopened, submitted.
OWED_STATES = ("not_started", "saved", "reopened")
# The body field that overrides the list, per step.
OVERRIDES = {"closed": "force", "finalised": "accept_incomplete"}


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


def incomplete(to: str, shortfall: Shortfall, panel: dict[UUID, str],
               subjects: dict[UUID, Subject], setup: Setup) -> Incomplete:
    """The refusal to step to ``to``, naming each judge, subject, group and component."""
    components = {c.key: c.name for c in setup.components}
    groups = {g.key: g.name for g in setup.groups}

    def subject(subject_id: UUID) -> dict[str, str | None]:
        found = subjects.get(subject_id)
        return {"subject_id": str(subject_id), "subject_name": found and found.name,
                "group": found and found.group, "group_name": found and groups.get(found.group)}

    missing = [{"judge_id": str(m.judge_id), "judge_name": panel.get(m.judge_id),
                **subject(m.subject_id), "component": m.component,
                "component_name": components.get(m.component), "state": m.state}
               for m in shortfall.missing]
    short = [{**subject(b.subject_id), "component": b.component,
              "component_name": components.get(b.component), "submitted": b.submitted,
              "quorum": b.quorum} for b in shortfall.below_quorum]
    parts = [f"cards not submitted: {len(missing)}"] if missing else []
    parts += [f"subjects below quorum: {len(short)}"] if short else []
    return Incomplete(f"the assessment cannot be {to} yet ({'; '.join(parts)}): complete "
                      f"them, or give {OVERRIDES[to]} with a reason", missing, short)
