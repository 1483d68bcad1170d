"""评分表历史: one judge's card for one subject and component, version by version, with who
changed what, when and why. It reads what ``GET …/scorecards/{s}/{c}?judge_id=&version=``
and ``GET …/history`` read, and admits whom both admit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get

from adapters.container import Container
from adapters.http import convert
from adapters.http.names import of_assessment, people_of
from adapters.http.scoring import ScoringController
from adapters.web import audit_words as words
from adapters.web.auditing import PAGE, leaf_titles
from adapters.web.gate import admit, shown
from adapters.web.templating import Page as Template
from domain.scorecard import CardKey
from services.access import card_holder
from tenants.model import Principal

CARD = "/audit/{assessment_id:uuid}/cards/{subject_id:uuid}/{component:str}/{judge_id:uuid}"


@get(CARD, opt=PAGE, sync_to_thread=True, name="audit_card")
def card_history(
    request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, subject_id: UUID,
    component: str, judge_id: UUID, who: Principal, container: Container,
) -> Template:
    admit(request, who, ScoringController.read_card, ScoringController.history)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    subject = assessment.subject(subject_id)  # 404 if not in the round
    part = assessment.component(component)
    key = CardKey(assessment_id, subject_id, component, card_holder(who.role, who.user_id,
                                                                    judge_id))
    current = app.card(key)  # 404 if the judge never started it
    container.caught_up(tenant)
    names = of_assessment(assessment, people_of(container, tenant))
    with container.views(tenant) as views:
        found = views.history(assessment_id, subject_id=subject_id, judge_id=key.judge_id,
                              component=component, limit=10_000)
    changes = [convert.history_out(r, names) for r in found if r["type"] in words.CARD_TYPES]
    # Version 1 is the card's start (no history entry); each later version is one entry.
    versions = [(app.card(key, v), changes[v - 2] if v - 2 < len(changes) else None)
                for v in range(current.version, 1, -1)]
    return Template("audit/card.html", context=shown(
        who, title=f"评分表历史 · {subject.name}", assessment=assessment, subject=subject,
        component=part, judge_name=names.person(key.judge_id) or str(key.judge_id),
        leaves=part.leaves, versions=versions, words=words, pts=words.pts,
        titles=leaf_titles(assessment)))
