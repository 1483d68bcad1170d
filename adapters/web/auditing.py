"""审计 pages: the tenant's assessments, and an assessment's timeline of every change.

The timeline reads what ``GET …/assessments/{id}/history`` reads (the history view, names
beside ids) and, for auditors, the refused attempts of ``GET …/audit/refusals``; each page
admits the roles those routes admit (``adapters/web/gate.py``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get

from adapters.container import Container
from adapters.http import convert
from adapters.http.assessments import AssessmentController
from adapters.http.audit import AuditController
from adapters.http.auth import PUBLIC, allow
from adapters.http.names import Names, of_assessment, people_of
from adapters.http.scoring import ScoringController
from adapters.web import audit_words as words
from adapters.web.gate import admit, may, optional_id, seen_views, shown
from adapters.web.templating import Page as Template
from domain.assessment import Assessment
from tenants.model import Principal

PAGE = allow(PUBLIC)  # the API's guard lets pages through; ``admit`` decides
LIMIT = 200
REFUSALS_READ = 1000


@get("/audit", opt=PAGE, sync_to_thread=True, name="audit_index")
def audit_index(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container) -> Template:
    admit(request, who, AssessmentController.list_all)
    container.caught_up(tenant)
    with seen_views(container, who) as views:
        found = views.assessments()
    return Template("audit/index.html", context=shown(
        who, title="审计", assessments=found, STATUSES=words.STATUSES,
        may_export=may(who, AuditController.events),
        may_run_round=who.role == "admin"))


def leaf_titles(assessment: Assessment) -> dict[tuple[str, str], str]:
    return {(c.key, leaf.code): leaf.title or "" for c in assessment.setup.components
            for leaf in c.leaves}


def refused_attempts(container: Container, tenant: str, names: Names, panel: set[str],
                     judge_id: UUID | None) -> list[dict[str, Any]]:
    """Refusals by this round's judges on assessment routes. A refusal is recorded with
    the route's template, not its ids, so it is attributed by who tried."""
    container.refusals.flush(tenant)  # the counts of minutes that have closed, as the API
    with container.views(tenant) as views:
        found = views.refusals(0, REFUSALS_READ)
    return [r | {"actor_name": names.person(r["actor_id"]),
                 "kind_label": words.REFUSAL_KINDS.get(r["kind"], r["kind"])}
            for r in found if r["actor_id"] in panel and "/assessments/" in r["route"]
            and (judge_id is None or r["actor_id"] == str(judge_id))]


@get("/audit/{assessment_id:uuid}", opt=PAGE, sync_to_thread=True, name="audit_timeline")
def timeline(
    request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
    container: Container, subject: str | None = None, judge: str | None = None,
    component: str | None = None, type: str | None = None, after: int = 0,
) -> Template:
    admit(request, who, ScoringController.history)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    subject_id, judge_id = optional_id(subject, "subject"), optional_id(judge, "judge")
    kind, component = type or None, component or None
    container.caught_up(tenant)  # the reader sees everything written before the read
    names = of_assessment(assessment, people_of(container, tenant))
    entries: list[Any] = []
    more = False
    if kind != words.REFUSED:
        with container.views(tenant) as views:
            found = views.history(assessment_id, subject_id=subject_id, judge_id=judge_id,
                                  component=component, type=kind, after=max(after, 0),
                                  limit=LIMIT + 1)
        more = len(found) > LIMIT
        entries = [convert.history_out(r, names) for r in found[:LIMIT]]
    refusals: list[dict[str, Any]] = []
    if (may(who, AuditController.refusals) and kind in (None, words.REFUSED)
            and subject_id is None and component is None):
        last = entries[-1].position if more else None
        refusals = [r for r in refused_attempts(container, tenant, names,
                                                {str(j) for j in assessment.panel}, judge_id)
                    if r["position"] > after and (last is None or r["position"] <= last)]
    items = sorted([("event", e.position, e) for e in entries]
                   + [("refusal", r["position"], r) for r in refusals], key=lambda i: i[1])
    filters = {"subject": subject or "", "judge": judge or "", "component": component or "",
               "type": kind or ""}
    page = "audit/_timeline.html" if request.headers.get("hx-request") else "audit/timeline.html"
    return Template(page, context=shown(
        who, title=f"审计 · {assessment.setup.name}", assessment=assessment, items=items,
        more=more, filters=filters,
        next_query=urlencode(filters | {"after": entries[-1].position}) if more else "",
        titles=leaf_titles(assessment), words=words, pts=words.pts,
        may_refusals=may(who, AuditController.refusals)))
