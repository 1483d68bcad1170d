"""The score board of an assessment as a fold of its events — one piece of logic.

The projector applies ``fold`` incrementally; the auditor's replay runs it over the log up
to any moment. ``rows`` turns the folded state into the board people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from domain.aggregation import aggregate
from domain.assessment import Assessment, Setup, Subject
from domain.scorecard import Scorecard


@dataclass
class CardState:
    subject_id: UUID
    component: str
    judge_id: UUID
    scores: dict[str, Decimal] = field(default_factory=dict)
    submitted: bool = False

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))


@dataclass
class BoardState:
    """Everything the board needs, folded from the assessment's and its cards' events."""

    assessment_id: UUID
    setup: Setup | None = None
    status: str = "draft"
    subjects: dict[str, Subject] = field(default_factory=dict)
    panel: dict[str, str] = field(default_factory=dict)
    cards: dict[str, CardState] = field(default_factory=dict)
    position: int = 0


def assessment_of(event: object) -> UUID | None:
    """The assessment an event belongs to, or None if it does not touch any board."""
    if isinstance(event, Assessment.Event):
        return event.originator_id
    if isinstance(event, Scorecard.Event):
        return event.key.assessment_id  # type: ignore[attr-defined]
    return None


def fold(state: BoardState, event: object, position: int) -> BoardState:
    """Apply one event to the board state (mutates and returns it)."""
    if isinstance(event, Assessment.Created):
        state.setup = event.setup
    elif isinstance(event, Assessment.SubjectAdded):
        state.subjects[str(event.subject.id)] = event.subject
    elif isinstance(event, Assessment.JudgeAdded):
        state.panel[str(event.judge_id)] = event.name
    elif isinstance(event, Assessment.StatusChanged):
        state.status = event.status
    elif isinstance(event, Scorecard.Started):
        key = event.key
        state.cards[str(event.originator_id)] = CardState(key.subject_id, key.component,
                                                          key.judge_id)
    elif isinstance(event, Scorecard.ScoresRecorded):
        card = state.cards[str(event.originator_id)]
        for change in event.changes:
            if change.new is None:
                card.scores.pop(change.code, None)
            else:
                card.scores[change.code] = change.new
    elif isinstance(event, Scorecard.Submitted):
        state.cards[str(event.originator_id)].submitted = True
    elif isinstance(event, Scorecard.Reopened):
        state.cards[str(event.originator_id)].submitted = False
    state.position = max(state.position, position)
    return state


@dataclass(frozen=True)
class ComponentResult:
    score: Decimal | None
    converted: Decimal | None
    judges: int
    dropped: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class Row:
    subject_id: UUID
    name: str
    group: str
    components: dict[str, ComponentResult]
    final: Decimal | None
    tier: str | None
    rank: int | None
    flags: tuple[str, ...]


def rows(state: BoardState, group: str | None = None) -> list[Row]:
    """The board: per subject and component the aggregated score, then final, tier, rank."""
    setup = state.setup
    if setup is None:
        return []
    submitted: dict[tuple[str, str], dict[UUID, Decimal]] = {}
    for card in state.cards.values():
        if card.submitted:
            submitted.setdefault((str(card.subject_id), card.component), {})[card.judge_id] = (
                card.total
            )
    unranked: list[Row] = []
    for sid, subject in state.subjects.items():
        if group is not None and subject.group != group:
            continue
        results: dict[str, ComponentResult] = {}
        flags: list[str] = []
        final: Decimal | None = Decimal(0)
        for component in setup.components:
            totals = submitted.get((sid, component.key), {})
            if len(totals) < setup.quorum:
                flags.append(f"below_quorum:{component.key}")
            if not totals:
                results[component.key] = ComponentResult(None, None, 0)
                final = None
                continue
            agg = aggregate(totals, setup.aggregation.method, setup.aggregation.trim)
            if agg.fell_back:
                flags.append(f"trim_fell_back_to_mean:{component.key}")
            converted = agg.score / component.max_points * component.weight
            results[component.key] = ComponentResult(agg.score, converted, len(totals),
                                                     agg.dropped)
            if final is not None:
                final += converted
        tier = tier_of(final, setup) if final is not None else None
        unranked.append(Row(subject.id, subject.name, subject.group, results, final, tier, None,
                            tuple(flags)))
    return rank(unranked)


def tier_of(final: Decimal, setup: Setup) -> str | None:
    for tier in sorted(setup.tiers, key=lambda t: t.min, reverse=True):
        if final >= tier.min:
            return tier.name
    return None


def rank(unranked: list[Row]) -> list[Row]:
    """Ranks within each group, ties sharing a rank (1, 2, 2, 4)."""
    rankable: dict[str, list[Decimal]] = {}
    for row in unranked:
        if is_rankable(row):
            rankable.setdefault(row.group, []).append(row.final)
    ranked = []
    for row in unranked:
        position = None
        if is_rankable(row):
            position = 1 + sum(1 for other in rankable[row.group] if other > row.final)
        ranked.append(Row(row.subject_id, row.name, row.group, row.components, row.final,
                          row.tier, position, row.flags))
    ranked.sort(key=lambda r: (r.group, r.rank is None, r.rank or 0, r.name))
    return ranked


def is_rankable(row: Row) -> bool:
    """A subject below quorum stays unranked until a substitute judge scores it."""
    return row.final is not None and not any(f.startswith("below_quorum") for f in row.flags)
