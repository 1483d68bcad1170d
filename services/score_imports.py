"""统分: a judge's filled paper 评分表, typed in by the office and entered on the judge's
behalf. Each card goes through the judge's own rules (the pinned rubric's leaves and step,
回避, the round's status) and is submitted; the cause says who entered it and from which file
(its sha256), so history shows it that way. All cards are saved in one transaction, while
the assessment is still at the version the plan read (as every score write is, ADR 8)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.cause import Cause
from domain.errors import DomainError
from domain.names import normalised
from domain.scorecard import CardKey, Scorecard

if TYPE_CHECKING:  # services.imports mixes this in
    from services.imports import Plan, Row


class ScoreImports:
    """Mixed into the tenant's application (``scoring_terms``, ``assessment``,
    ``card_or_none``, ``suggested_for``)."""

    def _plan_scores(self: Any, plan: Plan, rows: Sequence[Row], cause: Cause,
                     assessment_id: UUID, judge_id: UUID) -> Plan:
        terms = self.scoring_terms(assessment_id, fresh=True)
        plan.reads[str(assessment_id)] = terms.version
        plan.while_at = (assessment_id, terms.version)
        assessment = self.assessment(assessment_id)
        subjects = {normalised(s.name): s.id for s in assessment.subjects.values()}
        components = {normalised(c.name): c.key for c in assessment.setup.components}
        components |= {normalised(c.key): c.key for c in assessment.setup.components}
        cards: dict[tuple[UUID, str], list[tuple[int, str, Any]]] = {}
        for number, values in rows:
            subject = subjects.get(normalised(str(values.get("subject") or "")))
            component = components.get(normalised(str(values.get("component") or "")))
            if subject is None:
                plan.refuse(number, "subject", f"no subject named {values.get('subject')}")
            elif component is None:
                plan.refuse(number, "component", f"no component {values.get('component')}")
            else:
                cards.setdefault((subject, component), []).append(
                    (number, str(values.get("code") or ""), values.get("points")))
        for (subject, component), lines in cards.items():
            self._plan_card(plan, terms, CardKey(assessment_id, subject, component, judge_id),
                            lines, cause)
        return plan

    def _plan_card(self: Any, plan: Plan, terms: Any, key: CardKey,
                   lines: list[tuple[int, str, Any]], cause: Cause) -> None:
        first = lines[0][0]
        try:
            component = terms.check(key.judge_id, key.subject_id, key.component)
        except DomainError as refused:  # 回避, a closed round, a judge not on the panel…
            plan.refuse(first, "subject", refused.detail)
            return
        scores, row_of = {}, {}
        for number, code, points in lines:
            row_of[code] = number
            try:
                scores[code] = Decimal(str(points))
            except (InvalidOperation, ValueError):
                plan.refuse(number, "points", "not scored")
        if plan.errors:
            return
        card = self.card_or_none(key.card_id) or Scorecard(key=key, cause=cause)
        try:
            card.record(scores, component.leaves, component.step, cause,
                        self.suggested_for(terms, key.subject_id, component, set(scores)))
            card.submit(component.leaves, cause)
        except DomainError as refused:
            for e in refused.errors or ():
                code = e.field.removeprefix("scores.")
                plan.refuse(row_of.get(code, first), "points", e.message)
            if not refused.errors:
                plan.refuse(first, "subject", refused.detail)
            return
        plan.records.append(card)
