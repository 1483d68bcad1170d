"""Beside a leaf with an evidence rule, the subject's matching activity records and the
points they suggest. The judge decides; the suggestion is kept beside the decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.container import Container
from domain.assessment import Assessment, Component, Subject
from domain.rubric import suggested_points


def unit_ids_of(views: Any, subject: Subject) -> set[str]:
    """The units whose activities are the subject's own record."""
    ids = {str(subject.ref_id)}
    for unit in views.units():
        if (subject.kind == "school" and unit["school_id"] == subject.ref_id) or (
                subject.kind == "unit" and unit["parent_id"] == subject.ref_id):
            ids.add(str(unit["id"]))
    return ids


def suggestions(container: Container, tenant: str, assessment: Assessment, subject: Subject,
                component: Component) -> list[dict[str, Any]]:
    ruled = [leaf for leaf in component.leaves if leaf.evidence is not None]
    if not ruled:
        return []
    period = assessment.setup.period
    start, end = (period.starts_on, period.ends_on) if period else (date.min, date.max)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        mine = unit_ids_of(views, subject)
        records = [a for a in views.held_between(start, end) if a["unit_id"] in mine]
    out = []
    for leaf in ruled:
        assert leaf.evidence is not None
        matching = [r for r in records if r["form"] == leaf.evidence.form]
        out.append({
            "code": leaf.code, "form": leaf.evidence.form, "min_count": leaf.evidence.min_count,
            "count": len(matching),
            "suggested": suggested_points(leaf, component.step, len(matching)),
            "records": [{"id": r["id"], "theme": r["theme"], "held_on": r["held_on"]}
                        for r in matching],
        })
    return out


def suggested_for(container: Container, tenant: str, assessment: Assessment, subject_id: UUID,
                  component_key: str, codes: set[str]) -> dict[str, Decimal]:
    """The suggestions for the leaves being scored (none, and no work, for most rubrics)."""
    if not any(leaf.evidence and leaf.code in codes for component in
               assessment.setup.components if component.key == component_key
               for leaf in component.leaves):
        return {}
    component = assessment.component(component_key)
    subject = assessment.subject(subject_id)
    return {s["code"]: s["suggested"] for s in suggestions(container, tenant, assessment,
                                                           subject, component)
            if s["code"] in codes}
