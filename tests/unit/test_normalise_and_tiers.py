from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.assessment import CommunityWeight, Quota, Tier
from domain.community_scores import derive, weights_for
from domain.normalise import zscore
from domain.tiers import apply_quotas
from tests.factories import component

D = Decimal
J1, J2, J3 = (UUID(int=i) for i in (1, 2, 3))
S = [UUID(int=100 + i) for i in range(4)]


def test_a_harsh_judge_is_brought_to_the_panels_scale() -> None:
    lenient = {(J1, s): D(t) for s, t in zip(S, (90, 80, 70, 60), strict=True)}
    harsh = {(J2, s): D(t) for s, t in zip(S, (60, 50, 40, 30), strict=True)}
    result = zscore(lenient | harsh)
    # Both judges order the schools alike, so after normalisation they agree exactly.
    for s in S:
        assert abs(result[(J1, s)] - result[(J2, s)]) < D("1e-20")


def test_a_judge_with_one_card_or_no_spread_is_left_as_is() -> None:
    totals = {(J1, S[0]): D(90), (J1, S[1]): D(70), (J2, S[0]): D(50),
              (J3, S[0]): D(80), (J3, S[1]): D(80)}
    result = zscore(totals)
    assert result[(J2, S[0])] == D(50) and result[(J3, S[0])] == D(80)


@given(st.lists(st.integers(0, 100), min_size=2, max_size=8))
def test_normalisation_keeps_each_judges_order(totals) -> None:
    cards = {(J1, UUID(int=i + 1)): D(t) for i, t in enumerate(totals)}
    cards |= {(J2, UUID(int=i + 1)): D(t) / 2 for i, t in enumerate(totals)}
    result = zscore(cards)
    for a in range(len(totals)):
        for b in range(len(totals)):
            if totals[a] < totals[b]:
                assert result[(J1, UUID(int=a + 1))] < result[(J1, UUID(int=b + 1))]


TIERS = (Tier("优秀", D(90)), Tier("合格", D(60)), Tier("不合格", D(0)))


def test_a_quota_keeps_the_best_ranked_and_drops_a_tie_that_would_exceed_it() -> None:
    ranked = [(1, "优秀"), (2, "优秀"), (2, "优秀"), (4, "优秀"), (5, "合格")]
    # ⌊0.4 × 5⌋ = 2: rank 1 fits; the tie at rank 2 would make 3, so it falls with rank 4.
    assert apply_quotas(ranked, TIERS, (Quota("优秀", D("0.4")),)) == [
        "优秀", "合格", "合格", "合格", "合格"]


def test_a_tie_that_fits_exactly_is_kept() -> None:
    ranked = [(1, "优秀"), (1, "优秀"), (3, "优秀"), (4, "合格")]
    assert apply_quotas(ranked, TIERS, (Quota("优秀", D("0.5")),)) == [
        "优秀", "优秀", "合格", "合格"]


def test_quotas_cascade_down_the_tiers() -> None:
    ranked = [(1, "优秀"), (2, "优秀"), (3, "合格"), (4, "合格")]
    quotas = (Quota("优秀", D("0.25")), Quota("合格", D("0.5")))
    assert apply_quotas(ranked, TIERS, quotas) == ["优秀", "合格", "合格", "不合格"]


def test_community_weights_follow_yuhuan_unless_the_tenant_sets_them() -> None:
    routine, project = component("r"), component("p")
    routine = routine.__class__(**{**vars(routine), "kind": "routine"})
    project = project.__class__(**{**vars(project), "kind": "project"})
    distinctive = project.__class__(**{**vars(project), "kind": "distinctive"})
    assert weights_for("integrated", routine, ()) == (D(1), D(1))
    assert weights_for("co_built", project, ()) == (D(7), D(3))
    assert weights_for("integrated", distinctive, ()) == (D(3), D(7))
    assert weights_for("collaborative", project, ()) is None
    custom = (CommunityWeight("collaborative", "p", D(2), D(1)),)
    assert weights_for("collaborative", project, custom) == (D(2), D(1))
    assert derive(D(20), [D(10), D(6)], (D(7), D(3))) == D("16.4")
    assert derive(D(20), [D(10), D(15)], None) == D(15)
    assert derive(None, [D(10)], (D(1), D(1))) is None
