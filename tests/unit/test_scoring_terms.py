"""A score write decides on the assessment's terms as an immutable value, cached per version
(ADR 0008): specs on the in-memory tenant application."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.assessment import JudgeIsRecused
from domain.errors import StateConflict
from domain.scorecard import CardKey
from services.terms import TermsCache
from tests.memory import ADMIN, judge_cause, world

D = Decimal


def an_open_round():  # type: ignore[no-untyped-def]
    w = world()
    a = w.assessments[1]
    subjects = [w.add_subject("school", school, 1) for school in w.schools[2:4]]
    judge = w.judges[1]
    w.app.add_judge(a, judge, ADMIN)
    w.app.advance(a, "open", ADMIN)
    w.app.record_scores(CardKey(a, subjects[0], "routine", judge), {"1.1": D(6)},
                        judge_cause(judge))
    return w, a, subjects, judge


def test_terms_read_before_a_recusal_stay_as_they_were() -> None:
    w, a, subjects, judge = an_open_round()
    before = w.app.scoring_terms(a)
    w.app.declare_recusal(a, judge, subjects[1], ADMIN.because("亲属任职"))
    assert before.check(judge, subjects[1], "routine").key == "routine"  # a value, not a view
    after = w.app.scoring_terms(a)
    assert after.version == before.version + 1
    with pytest.raises(JudgeIsRecused):
        after.check(judge, subjects[1], "routine")


def test_a_recusal_refuses_the_judges_next_score() -> None:
    w, a, subjects, judge = an_open_round()
    w.app.declare_recusal(a, judge, subjects[1], ADMIN.because("亲属任职"))
    with pytest.raises(JudgeIsRecused):
        w.app.record_scores(CardKey(a, subjects[1], "routine", judge), {"1.1": D(6)},
                            judge_cause(judge))


def test_a_close_refuses_the_next_score_and_submit() -> None:
    w, a, subjects, judge = an_open_round()
    w.app.advance(a, "closed", ADMIN.because("到期"), override=True)
    key = CardKey(a, subjects[0], "routine", judge)
    with pytest.raises(StateConflict, match="the assessment is closed"):
        w.app.record_scores(key, {"1.2": D(4)}, judge_cause(judge))
    with pytest.raises(StateConflict, match="the assessment is closed"):
        w.app.submit_card(key, judge_cause(judge))


def test_the_cache_keeps_the_newest_terms_a_slow_reader_brings_back() -> None:
    w, a, _, _ = an_open_round()
    old = w.app.scoring_terms(a)
    w.app.draw(a, "seed", ADMIN)
    new = w.app.scoring_terms(a)
    cache = TermsCache()
    cache.put(new)
    cache.put(old)
    assert cache.get(a) is new
