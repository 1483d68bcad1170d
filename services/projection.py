"""The views of a tenant, kept by applying its events in log order.

``project`` is the whole projection logic; the projector (adapters) calls it once per
batch inside the transaction that also advances the tracking position.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from domain.activity import Activity
from domain.annual import AnnualReview
from domain.assessment import Assessment
from domain.board import BoardState, SubjectPart, assessment_of, fold, parts, subject_of
from domain.community import Community
from domain.opinions import PanelOpinions
from domain.school import School
from domain.scorecard import Scorecard
from domain.security import Refusal
from domain.self_assessment import SelfAssessment
from domain.unit import Unit
from domain.user import User
from domain.windows import RoundWindows
from services.annual_projection import AnnualViews, project_annual
from services.history import HistoryEntry, history_entry
from services.record_views import is_record, project_record


class Logged(NamedTuple):
    """An event as read from the log: its position and when it was recorded (a tuple: a
    catching-up projector makes tens of thousands a second)."""

    position: int
    at: datetime
    event: Any


class ViewWriter(AnnualViews, Protocol):
    def load_board(self, assessment_id: UUID,
                   subjects: Collection[UUID] | None = None) -> BoardState | None: ...
    def save_board(self, state: BoardState, subjects: dict[UUID, SubjectPart],
                   header: bool = True) -> None: ...
    def add_history(self, entries: list[HistoryEntry]) -> None: ...
    def put_school(self, school_id: UUID, position: int, event: School.Registered) -> None: ...
    def put_user(self, user_id: UUID, position: int, event: User.Registered) -> None: ...
    def put_unit(self, unit_id: UUID, position: int, event: Unit.Registered) -> None: ...
    def set_affiliations(self, position: int, event: User.AffiliationsChanged) -> None: ...
    def set_unit_members(self, position: int, event: Unit.MembersChanged) -> None: ...
    def load_community(self, community_id: UUID) -> dict[str, Any] | None: ...
    def save_community(self, community: dict[str, Any], position: int) -> None: ...
    def add_refusal(self, position: int, at: datetime, event: Refusal.Recorded) -> None: ...

    def count_refusals(self, event: Refusal.Repeated) -> None: ...
    def load_activity(self, activity_id: UUID) -> dict[str, Any] | None: ...
    def save_activity(self, activity: dict[str, Any], position: int) -> None: ...
    def add_certificates(self, activity: dict[str, Any], certificates: list[Any]) -> None: ...
    def edit_record(self, table: str, record_id: UUID, position: int,
                    values: dict[str, str | None]) -> None: ...
    def archive_record(self, table: str, record_id: UUID, position: int) -> None: ...
    def load_rubric(self, rubric_id: UUID) -> dict[str, Any] | None: ...
    def save_rubric(self, rubric: dict[str, Any], position: int) -> None: ...


BOARD, RECORD, PEOPLE, ACTIVITY, REFUSAL, REPEATED, COMMUNITY, OTHER, ANNUAL = range(9)


@cache
def route(cls: type) -> int:
    """Which view an event class goes to (looked up once per class, not per event)."""
    if is_record(cls):
        return RECORD
    if issubclass(cls, AnnualReview.Event):
        return ANNUAL
    # A round's windows and the chair's opinions change no figure of its board (the fold
    # passes them by): they are there for the round's history.
    for kind, classes in ((BOARD, Assessment.Event | Scorecard.Event | SelfAssessment.Event
                           | RoundWindows.Event | PanelOpinions.Event),
                          (PEOPLE, User.Event | Unit.Event), (ACTIVITY, Activity.Event),
                          (REFUSAL, Refusal.Recorded), (REPEATED, Refusal.Repeated),
                          (COMMUNITY, Community.Event)):
        if issubclass(cls, classes):
            return kind
    return OTHER


def project(views: ViewWriter, batch: list[Logged]) -> None:
    # Keyed by the ids' ints: a UUID hashes and compares in Python, an int in C (a batch
    # catching up holds thousands of events).
    boards: dict[int, tuple[UUID, list[Logged]]] = {}
    entries: list[HistoryEntry] = []
    for logged in batch:
        event = logged.event
        kind = route(type(event))
        if kind == BOARD:
            assessment_id = assessment_of(event)
            assert assessment_id is not None
            boards.setdefault(assessment_id.int, (assessment_id, []))[1].append(logged)
            entry = history_entry(logged.position, logged.at, event, assessment_id)
            if entry is not None:
                entries.append(entry)
        elif kind == RECORD:
            project_record(views, logged.position, logged.at, event)
        elif kind == PEOPLE:  # who belongs where, as it changes
            project_people(views, logged.position, event)
        elif kind == ACTIVITY:
            doc = activity_view(views.load_activity(event.originator_id), event)
            views.save_activity(doc, logged.position)
            if isinstance(event, Activity.CertificatesIssued):
                views.add_certificates(doc, list(event.certificates))
        elif kind == REFUSAL:
            views.add_refusal(logged.position, logged.at, event)
        elif kind == REPEATED:
            views.count_refusals(event)
        elif kind == COMMUNITY:
            community = community_view(views.load_community(event.originator_id), event)
            views.save_community(community, logged.position)
        elif kind == ANNUAL:  # 年度考核 (ADR 0026)
            entries.append(project_annual(views, logged))
    for assessment_id, events in boards.values():
        project_board(views, assessment_id, events)
    views.add_history(entries)


def project_board(views: ViewWriter, assessment_id: UUID, events: list[Logged]) -> None:
    """Fold a batch's events of one assessment into the parts of its board they touch: the
    header and the rows of their subjects, never the whole board."""
    touched: dict[int | None, UUID] = {}
    for logged in events:
        subject = subject_of(logged.event)
        touched[subject.int if subject is not None else None] = subject  # type: ignore[assignment]
    header = touched.pop(None, False) is not False
    subjects = set(touched.values())
    state = views.load_board(assessment_id, subjects) or BoardState(assessment_id)
    for logged in events:
        fold(state, logged.event, logged.position)
    views.save_board(state, parts(state, subjects), header=header)


def project_people(views: ViewWriter, position: int, event: Any) -> None:
    """Users and units, and who belongs where as it changes."""
    if isinstance(event, User.Registered):
        views.put_user(event.originator_id, position, event)
    elif isinstance(event, Unit.Registered):
        views.put_unit(event.originator_id, position, event)
    elif isinstance(event, User.AffiliationsChanged):
        views.set_affiliations(position, event)
    elif isinstance(event, Unit.MembersChanged):
        views.set_unit_members(position, event)


def community_view(current: dict[str, Any] | None, event: Community.Event) -> dict[str, Any]:
    """A community as its list shows it, with every membership and its dates."""
    if isinstance(event, Community.Registered):
        return {"id": str(event.originator_id), "name": event.name, "type": event.type,
                "scope": event.scope, "core_school_id": str(event.core_school_id),
                "archived": False,
                "memberships": [{"school_id": str(s), "joined": event.since.isoformat(),
                                 "left": None} for s in event.member_school_ids]}
    assert current is not None
    if isinstance(event, Community.MemberJoined):
        current["memberships"].append({"school_id": str(event.school_id),
                                       "joined": event.on.isoformat(), "left": None})
    elif isinstance(event, Community.Edited):
        current |= {change.field: change.new for change in event.changes}
    elif isinstance(event, Community.Archived):
        current["archived"] = True
    elif isinstance(event, Community.MemberLeft):
        for membership in current["memberships"]:
            if membership["school_id"] == str(event.school_id) and membership["left"] is None:
                membership["left"] = event.on.isoformat()
    return current


def activity_view(current: dict[str, Any] | None, event: Activity.Event) -> dict[str, Any]:
    """An activity as lists and compliance read it."""
    if isinstance(event, Activity.Applied):
        plan = event.plan
        return {"id": str(event.originator_id), "unit_kind": event.unit_kind,
                "unit_id": str(event.unit_id), "theme": plan.theme, "form": plan.form,
                "planned_on": plan.planned_on.isoformat(), "planned_periods": plan.periods,
                "status": "applied", "held_on": None, "periods": 0}
    assert current is not None
    if isinstance(event, Activity.Reviewed):
        current["status"] = "reviewed" if event.approved else "returned"
    elif isinstance(event, Activity.Revised):
        current |= {"status": "applied", "theme": event.plan.theme, "form": event.plan.form,
                    "planned_on": event.plan.planned_on.isoformat(),
                    "planned_periods": event.plan.periods}
    elif isinstance(event, Activity.Confirmed):
        current["status"] = "confirmed"
    elif isinstance(event, Activity.Held):
        current |= {"status": "held", "held_on": event.held_on.isoformat(),
                    "periods": event.periods,  # the units credited beside it (issue 16):
                    "host_unit_ids": [str(u) for u in event.host_unit_ids],
                    "co_host_unit_ids": [str(u) for u in event.co_host_unit_ids]}
    elif isinstance(event, Activity.Summarised):
        current["status"] = "summarised"
    elif isinstance(event, Activity.Cancelled):
        current["status"] = "cancelled"
    return current
