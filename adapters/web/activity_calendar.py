"""活动日历: one month of held and planned activities, week by week (Monday first), each
day listing its activities — a list that reads as well on a phone as on a desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from adapters.web.activity_words import WEEKDAYS


@dataclass(frozen=True)
class Day:
    day: date
    weekday: str
    activities: list[dict[str, Any]]


@dataclass(frozen=True)
class Week:
    starts_on: date
    ends_on: date
    days: list[Day]  # only the days with activities

    @property
    def count(self) -> int:
        return sum(len(d.activities) for d in self.days)


@dataclass(frozen=True)
class Month:
    first: date

    @property
    def last(self) -> date:
        return (self.first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)

    @property
    def key(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.first.year}年{self.first.month}月"

    @property
    def before(self) -> str:
        return Month((self.first - timedelta(days=1)).replace(day=1)).key

    @property
    def after(self) -> str:
        return Month(self.last + timedelta(days=1)).key


def month_of(text: str, today: date) -> Month:
    """``YYYY-MM`` from the address; this month (the tenant's today) otherwise."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return Month(date(year, month, 1))
    except ValueError:
        return Month(today.replace(day=1))


def weeks(month: Month, rows: list[dict[str, Any]]) -> list[Week]:
    """The month's weeks; an activity falls on the day it was held, else the day planned."""
    by_day: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        if month.first <= row["day"] <= month.last:
            by_day.setdefault(row["day"], []).append(row)
    out = []
    monday = month.first - timedelta(days=month.first.weekday())
    while monday <= month.last:
        sunday = monday + timedelta(days=6)
        days = [Day(d, WEEKDAYS[d.weekday()], sorted(by_day[d], key=lambda r: r["theme"]))
                for d in (monday + timedelta(days=i) for i in range(7)) if d in by_day]
        out.append(Week(max(monday, month.first), min(sunday, month.last), days))
        monday += timedelta(days=7)
    return out
