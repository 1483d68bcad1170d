"""Frequency rules checked against what was held: 周有活动、月有安排、学期有评估.

A rule ``every`` week / two weeks / month / semester asks, in each window of the period, for
at least ``min_activities`` activities held and at least ``min_periods`` class periods in
total. Weeks start on Monday; two-week windows start on the period's first Monday; a
semester is the whole period asked about; a term (学期, issue 16) is each of the tenant's terms
that overlaps it, as far as it overlaps.
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


def check(rule: FrequencyRule, held: list[tuple[date, int]], start: date,
          end: date, terms: tuple[tuple[date, date], ...] = ()) -> list[Window]:
    """``held``: (day, class periods) of one unit's held activities (of the rule's forms);
    ``terms``: the tenant's terms, for a rule ``every`` term."""
    result = []
    found = (term_windows(start, end, terms) if rule.every == "term"
             else windows(start, end, rule.every))
    for first, last in found:
        inside = [periods for day, periods in held if first <= day <= last]
        met = len(inside) >= rule.min_activities and sum(inside) >= rule.min_periods
        result.append(Window(first, last, len(inside), sum(inside), met))
    return result
