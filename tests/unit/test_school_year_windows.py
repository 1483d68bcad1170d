"""学年有验收 (seeds/004): a rule ``every: school_year`` has one window per school year, built
from the tenant's terms — an autumn term and the terms after it up to the next August. For
any terms and any period: the windows never overlap, each lies inside the period, every day
of a term inside the period lies in exactly one window, and two terms share a window exactly
when they belong to the same school year."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from domain.compliance import check, rule_windows, school_year_of
from domain.settings import FrequencyRule

DAY = timedelta(days=1)
EPOCH = date(2022, 6, 1)


@st.composite
def calendars(draw: st.DrawFn) -> tuple[tuple[tuple[date, date], ...], date, date]:
    """Terms that do not overlap (as ``TermCalendar`` refuses overlaps), given in any order,
    and a period anywhere around them."""
    first = EPOCH + draw(st.integers(0, 400)) * DAY
    terms = []
    for gap, length in draw(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 200)),
                                     max_size=7)):
        starts = first + gap * DAY
        terms.append((starts, starts + length * DAY))
        first = starts + (length + 1) * DAY
    start = EPOCH + draw(st.integers(0, 1500)) * DAY
    end = start + draw(st.integers(0, 1200)) * DAY
    return tuple(draw(st.permutations(terms))), start, end


def term_days(first: date, last: date) -> list[date]:
    return [first + n * DAY for n in range((last - first).days + 1)]


@given(calendars())
def test_school_year_windows_partition_the_terms_inside_the_period(calendar) -> None:
    terms, start, end = calendar
    found = rule_windows("school_year", start, end, terms)
    assert all(start <= first <= last <= end for first, last in found)
    assert all(before[1] < after[0] for before, after in pairwise(found))
    for first, last in terms:
        for day in term_days(max(first, start), min(last, end)):
            assert sum(1 for a, b in found if a <= day <= b) == 1, (day, found)


@given(calendars())
@example((((date(2022, 6, 1), date(2022, 6, 1)), (date(2022, 6, 3), date(2022, 6, 3))),
          date(2022, 6, 2), date(2022, 6, 2)))  # the period inside a break of the year
def test_terms_share_a_window_exactly_when_they_share_a_school_year(calendar) -> None:
    terms, start, end = calendar
    found = rule_windows("school_year", start, end, terms)
    inside = [(first, last) for first, last in terms if first <= end and last >= start]

    def window_of(term: tuple[date, date]) -> int:
        day = max(term[0], start)
        return next(i for i, (a, b) in enumerate(found) if a <= day <= b)

    for one in inside:
        for other in inside:
            assert ((window_of(one) == window_of(other))
                    == (school_year_of(one[0]) == school_year_of(other[0])))
    # A window starts and ends on a term's own days or on the period's ends: the summer
    # break before the autumn term is in no school year.
    firsts = {start, *(first for first, _ in inside)}
    lasts = {end, *(last for _, last in inside)}
    assert all(a in firsts and b in lasts for a, b in found)
    # One window per school year whose span — its first term's first day to its last term's
    # last day, the winter break included — meets the period, even where the period falls
    # wholly inside that break (found by hypothesis: terms on 6-01 and 6-03, the period 6-02).
    spans: dict[int, list[date]] = {}
    for first, last in terms:
        spans.setdefault(school_year_of(first), []).extend((first, last))
    assert len(found) == sum(1 for days in spans.values()
                             if min(days) <= end and max(days) >= start)


AUTUMN_24 = (date(2024, 9, 1), date(2025, 1, 17))
SPRING_25 = (date(2025, 2, 17), date(2025, 7, 4))
AUTUMN_25 = (date(2025, 8, 28), date(2026, 1, 23))
SPRING_26 = (date(2026, 2, 24), date(2026, 7, 3))
TERMS = (SPRING_26, AUTUMN_24, AUTUMN_25, SPRING_25)


def test_a_school_year_runs_from_its_autumn_term_to_the_end_of_its_spring_term() -> None:
    assert rule_windows("school_year", date(2024, 1, 1), date(2026, 12, 31), TERMS) == [
        (date(2024, 9, 1), date(2025, 7, 4)), (date(2025, 8, 28), date(2026, 7, 3))]
    # Clipped to the period; the summer of 2025 is in neither year.
    assert rule_windows("school_year", date(2025, 3, 1), date(2025, 10, 1), TERMS) == [
        (date(2025, 3, 1), date(2025, 7, 4)), (date(2025, 8, 28), date(2025, 10, 1))]
    assert rule_windows("school_year", date(2025, 7, 10), date(2025, 8, 20), TERMS) == []
    assert rule_windows("school_year", date(2025, 1, 1), date(2025, 12, 31), ()) == []


def test_an_acceptance_in_the_winter_break_counts_for_its_school_year() -> None:
    rule = FrequencyRule("school", "school_year", 1)
    held = [(date(2025, 1, 25), 1)]  # between the autumn and the spring term of 2024—2025
    found = check(rule, held, date(2024, 9, 1), date(2026, 8, 31), TERMS)
    assert [(w.starts_on, w.ends_on, w.met) for w in found] == [
        (date(2024, 9, 1), date(2025, 7, 4), True),
        (date(2025, 8, 28), date(2026, 7, 3), False)]
