"""One number, one rule: 四舍五入 to the round's precision; tiers and ranks follow the figure
that is shown."""

from dataclasses import replace
from decimal import Decimal
from math import floor
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.http.convert import row_out
from adapters.http.names import Names
from domain.assessment import Quota, RankingGroup, Setup, Tier, subject_for
from domain.board import BoardState, CardState
from domain.results import rows
from domain.rounding import shown, text
from domain.tiers import tier_for
from tests.factories import component, setup

D = Decimal
A = UUID(int=1)


def test_half_up_not_half_to_even() -> None:
    assert shown(D("78.225")) == D("78.23")  # :.2f would print 78.22
    assert f"{D('78.225'):.2f}" == "78.22"  # the bug this rule replaces
    assert shown(D("79.995")) == D("80.00") and text(D("79.995")) == "80.00"
    assert shown(D("0.125"), 2) == D("0.13") and shown(D("-0.125")) == D("-0.13")
    assert shown(D("78.25"), 1) == D("78.3") and shown(D("78.5"), 0) == D("79")
    assert text(None) == "—" and text(D(95)) == "95.00"


def board(the_setup: Setup, finals_by_group: dict[str, list[list[Decimal]]]) -> BoardState:
    """A board whose subjects each have one submitted card per listed judge total."""
    state = BoardState(A, setup=the_setup, status="open")
    judges = max((len(t) for g in finals_by_group.values() for t in g), default=0)
    state.panel = {str(UUID(int=1000 + j)): f"评委{j}" for j in range(judges)}
    n = 0
    for group, subjects in finals_by_group.items():
        for totals in subjects:
            n += 1
            subject = subject_for(A, "school", UUID(int=n), f"学校{n}", group)
            state.subjects[str(subject.id)] = subject
            for j, total in enumerate(totals):
                card = CardState(subject.id, "routine", UUID(int=1000 + j), {"x": total}, True)
                state.cards[f"{n}/{j}"] = card
    return state


def one_subject(weight: str, total: str, tiers=(), precision: int = 2):
    the_setup = replace(setup(), components=(component(weight=D(weight)),), tiers=tiers,
                        precision=precision)
    return rows(board(the_setup, {"yiguanzhi": [[D(total)]]}))


def test_78_225_is_shown_and_decided_as_78_23() -> None:
    # 17.5 of 20 points × weight 89.4 = 78.225 exactly
    [row] = one_subject("89.4", "17.5")
    assert row.final == D("78.23")
    assert row_out(row, Names(), 2).final == 78.23


def test_a_school_shown_as_80_00_is_in_the_80_tier() -> None:
    # 15 of 20 × 106.66 = 79.995: shown 80.00, so it reaches 良好 (≥ 80), not 合格
    tiers = (Tier("优秀", D(90)), Tier("良好", D(80)), Tier("合格", D(60)))
    [row] = one_subject("106.66", "15", tiers)
    assert (row.final, row.tier) == (D("80.00"), "良好")
    assert row_out(row, Names(), 2).final == 80.0


def test_the_precision_is_the_rounds() -> None:
    tiers = (Tier("良好", D(80)), Tier("合格", D(60)))
    [row] = one_subject("106.66", "15", tiers, precision=1)  # 79.995 → 80.0
    assert (row.final, row.tier, row_out(row, Names(), 1).final) == (D("80.0"), "良好", 80.0)
    [row] = one_subject("89.4", "17.5", precision=0)  # 78.225 → 78
    assert row.final == D(78)


def test_components_stay_exact_and_the_final_is_rounded_once() -> None:
    # routine: judges 17.5 and 17 → mean 17.25 of 20 × 33.3 = 28.72125 (shown 28.72);
    # b: 20 of 20 × 33.354 = 33.354 (shown 33.35). The final adds the exact values and
    # rounds once: 62.07525 → 62.08, not the sum of the shown parts (62.07).
    the_setup = replace(setup(), components=(component("routine", D("33.3")),
                                             component("b", D("33.354"))))
    state = board(the_setup, {"yiguanzhi": [[D("17.5"), D(17)]]})
    subject_id = next(iter(state.subjects.values())).id
    for j in range(2):
        state.cards[f"b{j}"] = CardState(subject_id, "b", UUID(int=1000 + j), {"x": D(20)}, True)
    [row] = rows(state)
    routine, b = row.components["routine"].converted, row.components["b"].converted
    assert (routine, b) == (D("28.72125"), D("33.354"))
    assert row.final == D("62.08")
    shown_parts = row_out(row, Names(), 2).components
    assert (shown_parts["routine"].converted, shown_parts["b"].converted) == (28.72, 33.35)


# -- the property: on every board, the shown figure, the tier and the rank agree ----------

totals = st.integers(0, 4000).map(lambda n: D(n) / 200)  # 0…20 on a step of 0.005
weights = st.sampled_from(["100", "89.4", "106.66", "33.3", "66.7", "12.345"])
thresholds = st.lists(st.integers(0, 10000).map(lambda n: D(n) / 100), min_size=1,
                      max_size=3, unique=True)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["yiguanzhi", "yilei"]),
                    st.lists(st.lists(totals, min_size=1, max_size=3), min_size=1, max_size=8),
                    min_size=1),
    weights, thresholds, st.sampled_from([None, D("0.2"), D("0.5")]), st.integers(0, 2),
)
def test_shown_figure_tier_and_rank_agree(groups, weight, mins, quota, places) -> None:
    tiers = tuple(Tier(f"T{m}", m) for m in mins)
    top = max(tiers, key=lambda t: t.min)
    the_setup = replace(setup(), components=(component(weight=D(weight)),), tiers=tiers,
                        quotas=(Quota(top.name, quota),) if quota else (), precision=places,
                        groups=(RankingGroup("yiguanzhi", "一贯制学校组"),
                                RankingGroup("yilei", "一类小学组")))
    board_rows = rows(board(the_setup, groups))
    order = {t.name: t.min for t in tiers}
    for group in groups:
        mine = [r for r in board_rows if r.group == group]
        figures = [D(str(row_out(r, Names(), places).final)) for r in mine]  # as answered
        for r, figure in zip(mine, figures, strict=True):
            assert r.final == figure == shown(r.final, places)  # one figure, at the precision
            assert r.rank == 1 + sum(other > figure for other in figures)
            natural = tier_for(figure, tiers)
            if quota is None or natural != top.name:
                assert r.tier == natural  # the highest threshold ≤ the shown figure
            else:  # a quota may only push a subject one tier down, never up
                assert r.tier in (top.name, tier_for(figure, tuple(t for t in tiers
                                                                  if t is not top)))
        for a, fa in zip(mine, figures, strict=True):
            for b, fb in zip(mine, figures, strict=True):
                if fa == fb:  # equal shown figures: same rank, same tier
                    assert (a.rank, a.tier) == (b.rank, b.tier)
                if fa > fb and a.tier and b.tier:  # a higher figure never has a lower tier
                    assert order[a.tier] >= order[b.tier]
        if quota is not None:
            assert sum(r.tier == top.name for r in mine) <= floor(quota * len(mine))
