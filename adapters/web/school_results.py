"""公示与证书: the school's own line of each published round, as the public 公示 shows it
(the sheet as published, ``services.publication``; scores and ranks only when the round
publishes them), the school's annual lines (年度考核) of the reviews the district has
published to the schools (the API's rule, ``services.access.annual_line_open_to``), and the
certificates (活动证书) of its activities, with their public check
and printable pages.

A round's other subjects are not listed here: the school sees its own line; the whole 公示
is one link away, as the district publishes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get

from adapters.container import Container
from adapters.http.activities import ActivityController
from adapters.http.annual import AnnualReviewController, school_line_of
from adapters.http.schemas.annual import AnnualSchoolLine
from adapters.http.scoring import ScoringController
from adapters.web.console import PAGE, SIGNED_IN, admit_role, console
from adapters.web.gate import admit
from adapters.web.self_views import own_subjects, reporter_of
from adapters.web.templating import Page as Template
from domain.annual_board import lines
from domain.errors import DomainError
from domain.rounding import text
from domain.user import User
from services.access import annual_line_open_to
from services.application import TenantApplication
from services.publication import published_event, published_sheet
from tenants.model import Principal


@dataclass(frozen=True)
class OwnLine:
    assessment_id: UUID
    assessment: str
    subject: str
    group: str
    tier: str
    final: str  # "" when the round publishes tiers only
    rank: int | None
    ranks: bool
    published_at: Any


@dataclass(frozen=True)
class OwnCertificate:
    code: str
    holder: str
    theme: str
    held_on: date | None


def own_lines(container: Container, tenant: str, app: TenantApplication,
              reporter: User) -> list[OwnLine]:
    container.caught_up(tenant)
    with container.views(tenant) as views:
        rounds = [row for row in views.assessments() if row["status"] == "published"]
    found = []
    for row in rounds:
        assessment = app.assessment(row["assessment_id"])
        mine = {s.id for s in own_subjects(app, assessment, reporter)}
        if not mine:
            continue
        try:
            sheet = published_sheet(app, assessment)
        except DomainError:
            continue
        ranks = assessment.setup.publish_ranks
        groups = {g.key: g.name for g in assessment.setup.groups}
        event = published_event(app, assessment.id)
        for line in sheet.lines:
            if line.subject_id in mine:
                found.append(OwnLine(
                    assessment.id, assessment.setup.name, line.name,
                    groups.get(line.group, line.group), line.tier or "—",
                    text(line.final, sheet.precision) if ranks else "",
                    line.rank if ranks else None, ranks,
                    event.timestamp if event else None))
    return found


def own_certificates(container: Container, tenant: str, app: TenantApplication,
                     reporter: User) -> list[OwnCertificate]:
    """The certificates of the activities the reporter records (the API's rule for a
    reporter's activities: their school's units)."""
    with container.views(tenant) as views:
        summarised = views.activities(None, "summarised")
    found, theirs = [], {}
    for doc in summarised:
        unit = (doc["unit_kind"], UUID(doc["unit_id"]))
        if unit not in theirs:
            try:
                app.check_reporter(reporter, *unit)
                theirs[unit] = True
            except DomainError:
                theirs[unit] = False  # another school's, as the API would refuse it
        if not theirs[unit]:
            continue
        activity = app.activity(UUID(doc["id"]), reporter)
        found += [OwnCertificate(c.code, c.holder, activity.plan.theme, activity.held_on)
                  for c in activity.certificates]
    found.sort(key=lambda c: (c.held_on or date.min, c.theme, c.holder), reverse=True)
    return found


def own_annual_lines(container: Container, tenant: str, who: Principal,
                     reporter: User) -> list[AnnualSchoolLine]:
    """The reporter's schools' lines of every annual review published to the schools, newest
    year first, each read as the API's ``…/annual-reviews/{id}/schools/{school_id}`` reads
    it."""
    with container.views(tenant) as views:
        rows = views.annual_reviews()
        states = [views.load_annual(row["review_id"]) for row in rows]
    found = []
    for state in states:
        if state is None:
            continue
        for line in lines(state):
            if annual_line_open_to(state.published, line.school_id, "reporter",
                                   reporter.affiliations):
                found.append(school_line_of(container, tenant, state.review_id,
                                            line.school_id, "reporter", who.user_id))
    return found


@get("/t/{tenant:str}/school/results", opt=PAGE, dependencies=SIGNED_IN,
     sync_to_thread=True, name="school_results")
def school_results(request: Request[Any, Any, Any], tenant: str, who: Principal,
                   container: Container) -> Template:
    admit_role(request, who, "reporter")
    admit(request, who, ScoringController.results, ActivityController.read,
          AnnualReviewController.school_line)
    app = container.app(tenant)
    reporter = reporter_of(app, who.user_id)
    return Template("school/results.html", context=console(
        who, "results", title="公示与证书", lines=own_lines(container, tenant, app, reporter),
        annual=own_annual_lines(container, tenant, who, reporter),
        certificates=own_certificates(container, tenant, app, reporter)))


SCHOOL_RESULTS = [school_results]
