"""What the school reporter's 自查自评 pages show, read through the services the API reads:
the rounds in which the reporter's school (or community, or unit) is a subject, and, for one
subject and component, the rubric tree the judges see with the school's own scores and the
evidence it gives per leaf.

Whose subject it is follows the API's rule (``services.access.AccessRules.reports_for``); a
subject that is not the reporter's is a 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from adapters.container import Container
from adapters.http.i18n import translate
from adapters.web.judge_views import STATUS_LABELS, FileLink, LeafView, NodeView, fmt, rubric_tree
from domain.assessment import Assessment
from domain.errors import NotFound, StateConflict
from domain.setup import Component, Subject
from domain.shaping import components_of
from domain.user import User
from services.application import TenantApplication

REPORTER = "reporter"
# The API refuses a self-assessment unless the round is open (services/assessing.py), and,
# where the round has a window (domain/windows.py), outside it by the round's late rule.
OPEN = "open"
RULE = {"draft": "考核尚在筹备，开放后才能填写自评。",
        "open": "考核进行中：可以填写、上传佐证并提交；评分结束前可随时修改后重新提交。",
        "closed": "考核已结束评分，自评不能再提交或修改。",
        "finalised": "考核结果已定稿，自评不能再提交或修改。",
        "published": "考核结果已公示，自评不能再提交或修改。"}


@dataclass
class ComponentLine:
    key: str
    name: str
    max_points: str
    self_total: str | None  # None: not filled in yet
    files: int


@dataclass
class SubjectRound:
    """One row of the list: a round and the reporter's subject in it."""

    assessment_id: UUID
    assessment: str
    status: str
    status_label: str
    subject: Subject
    group_name: str
    components: list[ComponentLine]


def reporter_of(app: TenantApplication, user_id: UUID | None) -> User:
    if user_id is None:
        raise NotFound("no such user")
    return app.user(user_id)  # type: ignore[no-any-return]


def own_subjects(app: TenantApplication, assessment: Assessment,
                 reporter: User) -> list[Subject]:
    return [s for s in assessment.subjects.values() if app.reports_for(reporter, s)]


def rounds_for(container: Container, tenant: str, reporter: User) -> list[SubjectRound]:
    """Every round past its draft in which the reporter's school is a subject, newest
    first; one row per subject of theirs."""
    app = container.app(tenant)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        ids = [row["assessment_id"] for row in views.assessments()]
    found = []
    for assessment_id in ids:
        assessment = app.assessment(assessment_id)
        if assessment.status == "draft":
            continue
        groups = {g.key: g.name for g in assessment.setup.groups}
        for subject in own_subjects(app, assessment, reporter):
            lines = []
            for c in components_of(assessment.setup, subject):  # its own components
                own = app.self_assessment(assessment.id, subject.id, c.key)
                files = len(own.evidence_ids) + sum(len(v) for v in own.by_indicator.values()) \
                    if own else 0
                lines.append(ComponentLine(c.key, c.name, fmt(c.max_points),
                                           fmt(own.total) if own else None, files))
            found.append(SubjectRound(
                assessment.id, assessment.setup.name, assessment.status,
                STATUS_LABELS.get(assessment.status, assessment.status), subject,
                groups.get(subject.group, subject.group), lines))
    return found


@dataclass
class SelfPage:
    assessment: Assessment
    subject: Subject
    component: Component
    step: str
    tree: list[NodeView | LeafView]
    leaves: list[LeafView]
    scores: dict[str, str]  # as saved
    evidence: dict[str, list[str]]  # leaf code → evidence ids, as saved
    whole: list[FileLink]  # evidence given for the whole self-assessment (over the API)
    group_name: str
    status_label: str
    rule: str
    saved: bool
    period: str = ""
    # The round's window for this component (services/windows.py), as the service applies it.
    opens: datetime | None = None
    closes: datetime | None = None
    materials_due: datetime | None = None
    late_rule: str = ""
    late: str | None = None  # the last write missed this window (accepted and flagged)
    shut: str = ""  # why the window takes no work now (the service's refusal), if it does not

    @property
    def is_open(self) -> bool:
        return self.assessment.status == OPEN and not self.shut


def own_subject(app: TenantApplication, assessment_id: UUID, subject_id: UUID,
                reporter: User) -> tuple[Assessment, Subject]:
    """The round and the subject, if the subject is the reporter's; otherwise 404."""
    assessment = app.assessment(assessment_id)
    subject = assessment.subjects.get(subject_id)
    if assessment.status == "draft" or subject is None or not app.reports_for(reporter, subject):
        raise NotFound("no such subject in this assessment")
    return assessment, subject


def self_page(container: Container, tenant: str, reporter: User, assessment_id: UUID,
              subject_id: UUID, key: str) -> SelfPage:
    app = container.app(tenant)
    assessment, subject = own_subject(app, assessment_id, subject_id, reporter)
    component = assessment.component(key)
    leaves, tree = rubric_tree(app, component)
    own = app.self_assessment(assessment.id, subject.id, component.key)
    scores = {c: fmt(p) for c, p in own.scores.items()} if own else {}
    evidence = {c: [str(i) for i in ids] for c, ids in own.by_indicator.items()} if own else {}
    whole = [link for link in (file_link(app, reporter, i) for i in
                               (own.evidence_ids if own else ())) if link is not None]
    period = assessment.setup.period
    groups = {g.key: g.name for g in assessment.setup.groups}
    t = app.timetable(assessment.id)
    window = t.self_window(component.key)
    shut = ""
    if assessment.status == OPEN:
        try:
            app.check_on_time(assessment, subject, component.key)
        except StateConflict as refused:
            shut = translate(refused.detail)  # in Chinese, as the API says it
    return SelfPage(assessment, subject, component, fmt(component.step), tree, leaves, scores,
                    evidence, whole, groups.get(subject.group, subject.group),
                    STATUS_LABELS.get(assessment.status, assessment.status),
                    RULE.get(assessment.status, ""), own is not None,
                    f"{period.starts_on} 至 {period.ends_on}" if period else "",
                    window.opens if window else None, window.closes if window else None,
                    t.materials_due(subject.group), t.late, own.late if own else None, shut)


def file_link(app: TenantApplication, reporter: User, evidence_id: UUID | str) -> FileLink | None:
    """A file the reporter may open (the service's rule), or None."""
    try:
        e = app.evidence_to_open(UUID(str(evidence_id)), REPORTER, reporter.id)
    except (NotFound, ValueError):
        return None
    return FileLink(e.id, e.filename, e.content_type)


def leaf_files(app: TenantApplication, reporter: User,
               evidence: dict[str, list[str]]) -> dict[str, list[FileLink]]:
    """The files shown beside each leaf: those given (or just uploaded) that the reporter
    may open."""
    return {code: [link for link in (file_link(app, reporter, i) for i in ids) if link]
            for code, ids in evidence.items()}


def max_of(leaves: list[LeafView]) -> str:
    return fmt(sum((Decimal(leaf.max_points) for leaf in leaves), Decimal(0)))
