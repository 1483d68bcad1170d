"""Frequency rules checked against what was held: 周有活动、月有安排、学期有评估、学年有验收.

A rule ``every`` week / two weeks / month / semester asks, in each window of the period, for
at least ``min_activities`` activities held and at least ``min_periods`` class periods in
total. Weeks start on Monday; two-week windows start on the period's first Monday; a
semester is the whole period asked about; a term (学期, issue 16) is each of the tenant's terms
that overlaps it, as far as it overlaps.

A school year (学年, ``every: school_year``) is built from the tenant's terms alone: a term
that starts in August to December of year Y (the autumn term) belongs to school year Y—Y+1,
and so does a term that starts in January to July of Y+1 (the spring term, and a summer
term if a district has one). The school year's window runs from the first day of its first
term to the last day of its last term — the winter break between them inside it, the summer
break between two school years in none — clipped to the period; a school year none of whose
terms overlaps the period has no window. Without terms there are no school years, as there
are no terms: the district enters its terms (``PUT /terms``) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.settings import FrequencyRule


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date
    activities: int = 0
    periods: int = 0
    met: bool = False


def windows(start: date, end: date, every: str) -> list[tuple[date, date]]:
    if every == "semester":
        return [(start, end)]
    if every == "month":
        out, first = [], start.replace(day=1)
        while first <= end:
            following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            out.append((max(first, start), min(following - timedelta(days=1), end)))
            first = following
        return out
    step = timedelta(weeks=1 if every == "week" else 2)
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        out.append((max(monday, start), min(monday + step - timedelta(days=1), end)))
        monday += step
    return out


def term_windows(start: date, end: date,
                 terms: tuple[tuple[date, date], ...]) -> list[tuple[date, date]]:
    """The tenant's terms (first day, last day) that overlap the period, clipped to it."""
    return [(max(first, start), min(last, end)) for first, last in sorted(terms)
            if first <= end and last >= start]


def school_year_of(first_day: date) -> int:
    """The school year (its first calendar year: 2024 for 2024—2025) of a term starting on
    ``first_day``: August onwards opens a school year, January to July closes the one before."""
    return first_day.year if first_day.month >= 8 else first_day.year - 1


def school_years(terms: tuple[tuple[date, date], ...]) -> list[tuple[int, date, date]]:
    """Each school year of the terms: (year, first day of its first term, last day of its
    last term), earliest first."""
    years: dict[int, tuple[date, date]] = {}
    for first, last in sorted(terms):
        year = school_year_of(first)
        known = years.get(year)
        years[year] = (min(known[0], first), max(known[1], last)) if known else (first, last)
    return [(year, first, last) for year, (first, last) in sorted(years.items())]


def school_year_windows(start: date, end: date,
                        terms: tuple[tuple[date, date], ...]) -> list[tuple[date, date]]:
    """The school years of the tenant's terms that overlap the period, clipped to it."""
    return [(max(first, start), min(last, end)) for _, first, last in school_years(terms)
            if first <= end and last >= start]


def rule_windows(every: str, start: date, end: date,
                 terms: tuple[tuple[date, date], ...] = ()) -> list[tuple[date, date]]:
    """The windows a rule ``every`` asks about in the period: the one computation the report,
    its page and its sheet all read."""
    if every == "term":
        return term_windows(start, end, terms)
    if every == "school_year":
        return school_year_windows(start, end, terms)
    return windows(start, end, every)


def check(rule: FrequencyRule, held: list[tuple[date, int]], start: date,
          end: date, terms: tuple[tuple[date, date], ...] = ()) -> list[Window]:
    """``held``: (day, class periods) of one unit's held activities (of the rule's forms);
    ``terms``: the tenant's terms, for a rule ``every`` term or school year."""
    result = []
    for first, last in rule_windows(rule.every, start, end, terms):
        inside = [periods for day, periods in held if first <= day <= last]
        met = len(inside) >= rule.min_activities and sum(inside) >= rule.min_periods
        result.append(Window(first, last, len(inside), sum(inside), met))
    return result
