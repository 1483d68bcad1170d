"""Beside a leaf with an evidence rule, the subject's matching activity records and the points
they suggest. The judge decides; the suggestion is kept beside the decision.

The records are projected views, read through a port (``ActivityRecords``) that the
PostgreSQL views implement. A score write reads them as they stand: it never waits for the
projector (a read of the suggestions does, at the edge: ADR 0005)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from domain.rubric import suggested_points
from domain.setup import Component, Period, Subject
from domain.terms import ScoringTerms


class ActivityRecords(Protocol):
    """The read port: the tenant's units and its held activities, as projected."""

    def units(self) -> list[dict[str, Any]]: ...

    def held_between(self, start: date, end: date) -> list[dict[str, Any]]: ...


OpenRecords = Callable[[], AbstractContextManager[ActivityRecords]]


class NoRecords:
    """Where nothing is projected (the in-memory application): no unit, no activity."""

    def units(self) -> list[dict[str, Any]]:
        return []

    def held_between(self, start: date, end: date) -> list[dict[str, Any]]:
        return []


@contextmanager
def no_records() -> Iterator[ActivityRecords]:
    yield NoRecords()


def unit_ids_of(records: ActivityRecords, subject: Subject) -> set[str]:
    """The units whose activities are the subject's own record."""
    ids = {str(subject.ref_id)}
    for unit in records.units():
        if (subject.kind == "school" and unit["school_id"] == subject.ref_id) or (
                subject.kind == "unit" and unit["parent_id"] == subject.ref_id):
            ids.add(str(unit["id"]))
    return ids


def suggestions_from(open_records: OpenRecords, period: Period | None, subject: Subject,
                     component: Component) -> list[dict[str, Any]]:
    ruled = [leaf for leaf in component.leaves if leaf.evidence is not None]
    if not ruled:
        return []
    start, end = (period.starts_on, period.ends_on) if period else (date.min, date.max)
    with open_records() as records:
        mine = unit_ids_of(records, subject)
        held = [a for a in records.held_between(start, end) if a["unit_id"] in mine]
    out = []
    for leaf in ruled:
        assert leaf.evidence is not None
        matching = [r for r in held if r["form"] == leaf.evidence.form]
        out.append({
            "code": leaf.code, "form": leaf.evidence.form, "min_count": leaf.evidence.min_count,
            "count": len(matching),
            "suggested": suggested_points(leaf, component.step, len(matching)),
            "records": [{"id": r["id"], "theme": r["theme"], "held_on": r["held_on"]}
                        for r in matching],
        })
    return out


class Suggestions:
    """The application's side: ``activity_records`` is the port it was given."""

    activity_records: OpenRecords

    def suggestions(self, period: Period | None, subject: Subject,
                    component: Component) -> list[dict[str, Any]]:
        return suggestions_from(self.activity_records, period, subject, component)

    def suggested_for(self, terms: ScoringTerms, subject_id: UUID, component: Component,
                      codes: set[str]) -> dict[str, Decimal]:
        """The suggestions for the leaves being scored (none, and no read, for most
        rubrics)."""
        if not any(leaf.evidence and leaf.code in codes for leaf in component.leaves):
            return {}
        found = self.suggestions(terms.setup.period, terms.subject(subject_id), component)
        return {s["code"]: s["suggested"] for s in found if s["code"] in codes}
