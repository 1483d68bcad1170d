"""The board people read, computed from the folded state: per subject and component the
aggregated score, then the final score, tier and rank.

One number, one rule (docs/scoring.md): components stay exact; the final is their exact
weighted sum rounded once, half up, to the round's precision (``domain.rounding.shown``);
tiers and ranks are decided on that rounded final, the figure that is shown and published.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from uuid import UUID

from domain.aggregation import aggregate
from domain.assessment import Component, Setup, Subject
from domain.board import BoardState
from domain.community_scores import derive, weights_for
from domain.normalise import zscore
from domain.rounding import shown
from domain.shaping import applies, components_of, final_of
from domain.tiers import apply_quotas, tier_for


@dataclass(frozen=True)
class VoidCard:
    """A card left out because its judge is recused from the subject (回避), and why."""

    judge_id: UUID
    name: str  # the judge's
    category: str
    reason: str


@dataclass(frozen=True)
class ComponentResult:
    score: Decimal | None
    converted: Decimal | None
    judges: int
    dropped: tuple[UUID, ...] = ()
    self_score: Decimal | None = None
    gap: Decimal | None = None  # self-assessment minus the panel's score
    void: tuple[VoidCard, ...] = ()


@dataclass(frozen=True)
class Row:
    """One subject's line; ``final`` is already rounded (the figure tier and rank follow)."""

    subject_id: UUID
    name: str
    group: str
    components: dict[str, ComponentResult]
    final: Decimal | None
    tier: str | None
    rank: int | None
    flags: tuple[str, ...]


def panel_totals(state: BoardState, component: Component) -> dict[tuple[UUID, UUID], Decimal]:
    """(judge, subject) → total of submitted cards, leaving out recused judges' (void) cards."""
    totals = {
        (card.judge_id, card.subject_id): card.total
        for card in state.cards.values()
        if card.component == component.key and card.submitted
        and not state.is_recused(card.judge_id, card.subject_id)
    }
    assert state.setup is not None
    return zscore(totals) if state.setup.aggregation.normalise == "zscore" else totals


def rows(state: BoardState, group: str | None = None) -> list[Row]:
    setup = state.setup
    if setup is None:
        return []
    totals = {c.key: panel_totals(state, c) for c in setup.components}
    # Each subject's totals, found once (not by a scan of every card per subject), in the
    # order the cards come in.
    by_subject: dict[str, dict[UUID, dict[UUID, Decimal]]] = {c.key: {} for c in setup.components}
    for key, component_totals in totals.items():
        for (judge, subject_id), total in component_totals.items():
            by_subject[key].setdefault(subject_id, {})[judge] = total
    voids = void_cards(state)
    results: dict[UUID, dict[str, ComponentResult]] = {}
    flags: dict[UUID, list[str]] = {}
    schools = {s.ref_id: s.id for s in state.subjects.values() if s.kind == "school"}
    ordered = sorted(state.subjects.values(), key=lambda s: s.kind == "community")
    for subject in ordered:  # communities last: they may derive from their schools
        flags[subject.id] = []
        results[subject.id] = {}
        for component in components_of(setup, subject):  # its own (all, unless shaped)
            mine = by_subject[component.key].get(subject.id, {})
            result = _panel_result(setup, component, mine, flags[subject.id])
            if not mine and subject.kind == "community":
                result = _derived(subject, component, setup, results, schools, state)
                flags[subject.id].append(f"derived:{component.key}")
            elif len(mine) < setup.quorum:
                flags[subject.id].append(f"missing_cards:{component.key}")
            result = _with_self(state, subject, component, result)
            results[subject.id][component.key] = replace(
                result, void=voids.get((subject.id, component.key), ()))
        eligible = [j for j in state.panel  # quorum per 考核组: only judges sitting for it
                    if state.sits_for(j, subject) and not state.is_recused(UUID(j), subject.id)]
        all_derived = all(f.startswith("derived:") for f in flags[subject.id]) and flags[
            subject.id]
        if len(eligible) < setup.quorum and not all_derived:
            flags[subject.id].append("below_quorum")
    board = [_row(setup, s, results[s.id], flags[s.id]) for s in state.subjects.values()]
    board = _ranked(board, setup)
    return [row for row in board if group is None or row.group == group]


def void_cards(state: BoardState) -> dict[tuple[UUID, str], tuple[VoidCard, ...]]:
    """(subject, component) → the cards of judges recused from the subject: void, and why."""
    found: dict[tuple[UUID, str], tuple[VoidCard, ...]] = {}
    for card in state.cards.values():
        key = f"{card.judge_id}/{card.subject_id}"
        if card.scores and key in state.recusals:
            void = VoidCard(card.judge_id, state.panel.get(str(card.judge_id), ""),
                            state.recusals[key], state.recusal_reasons.get(key, ""))
            where = (card.subject_id, card.component)
            found[where] = (*found.get(where, ()), void)
    return found


def converted(score: Decimal, component: Component) -> Decimal:
    """折算: a component's raw score as points of the final (85 of 100, weighted 30 → 25.5),
    exact; the final is rounded once, after the sum."""
    return score / component.max_points * component.weight


def _panel_result(
    setup: Setup, component: Component, mine: dict[UUID, Decimal], flags: list[str]
) -> ComponentResult:
    if not mine:
        return ComponentResult(None, None, 0)
    agg = aggregate(mine, setup.aggregation.method, setup.aggregation.trim)
    if agg.fell_back:
        flags.append(f"trim_fell_back_to_mean:{component.key}")
    return ComponentResult(agg.score, converted(agg.score, component), len(mine), agg.dropped)


def _derived(
    subject: Subject, component: Component, setup: Setup,
    results: dict[UUID, dict[str, ComponentResult]], schools: dict[UUID, UUID],
    state: BoardState,
) -> ComponentResult:
    def score_of(school_id: UUID | None) -> Decimal | None:
        subject_id = schools.get(school_id) if school_id else None
        if subject_id is None or subject_id not in results:
            return None
        found = results[subject_id].get(component.key)  # None: not one of its components
        return found.score if found else None

    def shaped_out(school_id: UUID | None) -> bool:
        """The school is a subject, but the component is not one of its own."""
        subject_id = schools.get(school_id) if school_id else None
        own = state.subjects.get(str(subject_id)) if subject_id else None
        return own is not None and not applies(setup, own, component.key)

    members = [s for s in map(score_of, subject.member_school_ids) if s is not None]
    weights = weights_for(subject.community_type or "", component, setup.community_weights)
    core = score_of(subject.core_school_id)
    if core is None and members and shaped_out(subject.core_school_id):
        core, members, weights = members[0], members[1:], None  # the members' mean alone
    score = derive(core, members, weights)
    if score is None:
        return ComponentResult(None, None, 0)
    return ComponentResult(score, converted(score, component), 0)


def _with_self(
    state: BoardState, subject: Subject, component: Component, result: ComponentResult
) -> ComponentResult:
    own = state.self_scores.get(f"{subject.id}/{component.key}")
    if not own:
        return result
    self_score = sum(own.values(), Decimal(0))
    gap = self_score - result.score if result.score is not None else None
    return ComponentResult(result.score, result.converted, result.judges, result.dropped,
                           self_score, gap)


def _row(setup: Setup, subject: Subject, results: dict[str, ComponentResult],
         flags: list[str]) -> Row:
    converted = [r.converted for r in results.values()]  # its own components only
    exact = final_of(setup, subject, sum((c for c in converted if c is not None), Decimal(0)))
    final = None if None in converted else shown(exact, setup.precision)  # rounded once
    return Row(subject.id, subject.name, subject.group, results, final, None, None, tuple(flags))


def is_rankable(row: Row) -> bool:
    """Unranked (and without a tier) until quorum is met and the cards are in."""
    return row.final is not None and not any(
        f == "below_quorum" or f.startswith("missing_cards:") for f in row.flags)


def _ranked(board: list[Row], setup: Setup) -> list[Row]:
    """Competition ranks within each group (1, 2, 2, 4); tiers by thresholds and quotas."""
    out: list[Row] = []
    for group in sorted({row.group for row in board}):
        members = [row for row in board if row.group == group]
        rankable = [row for row in members if is_rankable(row)]
        finals = [row.final for row in rankable if row.final is not None]
        ranked = [(row, rank, tier_for(final, setup.tiers))
                  for row, final, rank in zip(rankable, finals, rank_values(finals), strict=True)]
        capped = apply_quotas([(rank, tier) for _, rank, tier in ranked], setup.tiers,
                              setup.quotas)
        for (row, rank, _), tier in zip(ranked, capped, strict=True):
            out.append(Row(row.subject_id, row.name, row.group, row.components, row.final,
                           tier, rank, row.flags))
        out += [row for row in members if not is_rankable(row)]
    out.sort(key=lambda r: (r.group, r.rank is None, r.rank or 0, r.name))
    return out


def rank_values(finals: list[Decimal]) -> list[int]:
    """Competition ranking of values (highest first) — the rule the board applies."""
    return [1 + sum(1 for other in finals if other > value) for value in finals]
