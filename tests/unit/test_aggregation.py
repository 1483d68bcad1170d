"""Property tests for the aggregation of judges' totals."""

from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.aggregation import aggregate, mean, median

totals_st = st.lists(
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    min_size=1, max_size=15,
)


def by_judge(values: list[Decimal]) -> dict[UUID, Decimal]:
    return {UUID(int=i + 1): v for i, v in enumerate(values)}


@given(totals_st)
def test_every_method_stays_within_the_lowest_and_highest_total(values) -> None:
    for method in ("mean", "median", "trimmed_mean"):
        score = aggregate(by_judge(values), method).score
        assert min(values) <= score <= max(values)


@given(totals_st)
def test_the_mean_does_not_depend_on_order_and_keeps_a_constant(values) -> None:
    assert mean(values) == mean(list(reversed(values))) == mean(sorted(values))
    assert mean([values[0]] * len(values)) == values[0]


@given(totals_st)
def test_the_median_does_not_depend_on_order(values) -> None:
    assert median(values) == median(list(reversed(values))) == median(sorted(values))


@given(totals_st, st.integers(min_value=1, max_value=3))
def test_the_trimmed_mean_drops_trim_cards_at_each_end_or_falls_back(values, trim) -> None:
    result = aggregate(by_judge(values), "trimmed_mean", trim)
    if len(values) < 2 * trim + 1:
        assert result.fell_back and result.dropped == ()
        assert result.score == mean(values)
    else:
        assert len(result.dropped) == 2 * trim
        kept = sorted(values)[trim:-trim]
        assert result.score == mean(kept)


def test_judges_tied_at_the_top_lose_only_one_card() -> None:
    result = aggregate(by_judge([D(90), D(90), D(80), D(70)]), "trimmed_mean", 1)
    assert len(result.dropped) == 2
    assert result.score == D(85)


def D(value: int) -> Decimal:
    return Decimal(value)


@given(totals_st, st.randoms())
def test_every_method_is_invariant_under_judge_order(values, rnd) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)
    for method in ("mean", "median", "trimmed_mean"):
        assert aggregate(by_judge(values), method).score == aggregate(
            by_judge(shuffled), method).score


@given(st.lists(st.decimals(min_value=40, max_value=60, places=1), min_size=3, max_size=9),
       st.decimals(min_value=0, max_value=1000, places=1))
def test_the_trimmed_mean_ignores_one_outlier(values, outlier) -> None:
    """Whatever one judge gives beyond the others' range changes nothing."""
    base = aggregate(by_judge([*values, Decimal(60)]), "trimmed_mean").score
    wild = aggregate(by_judge([*values, max(outlier, Decimal(60))]), "trimmed_mean").score
    assert base == wild
