"""History entries: every event of an assessment rendered for a person (who, when, what, why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.assessment import Assessment
from domain.board import assessment_of
from domain.opinions import PanelOpinions
from domain.scorecard import Change, Scorecard
from domain.self_assessment import SelfAssessment
from domain.windows import RoundWindows


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    at: datetime
    assessment_id: UUID
    type: str
    actor_id: str
    actor_role: str
    request_id: str
    reason: str | None
    subject_id: UUID | None = None
    judge_id: UUID | None = None
    component: str | None = None
    changes: tuple[Change, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


def history_entry(position: int, at: datetime, event: Any,
                  assessment_id: UUID | None = None) -> HistoryEntry | None:
    """The entry for one event, or None for events no one needs to read (a card's start).
    (``assessment_id``: the event's, if the caller has it already.)"""
    if assessment_id is None:
        assessment_id = assessment_of(event)
    if type(event) is Scorecard.ScoresRecorded:  # most of a log: no dict, no keywords
        key, cause = event.key, event.cause
        return HistoryEntry(position, at, key.assessment_id, "ScoresRecorded",
                            cause.actor_id, cause.actor_role, cause.request_id, cause.reason,
                            key.subject_id, key.judge_id, key.component, event.changes, {})
    if assessment_id is None or isinstance(event, Scorecard.Started | SelfAssessment.Started
                                           | RoundWindows.Started | PanelOpinions.Started):
        return None
    cause = event.cause
    base = dict(
        position=position, at=at, assessment_id=assessment_id, type=type(event).__name__,
        actor_id=cause.actor_id, actor_role=cause.actor_role, request_id=cause.request_id,
        reason=cause.reason,
    )
    if isinstance(event, Scorecard.Event):
        key = event.key  # type: ignore[attr-defined]
        changes = getattr(event, "changes", ())
        details = {"total": str(event.total)} if isinstance(event, Scorecard.Submitted) else {}
        if getattr(event, "comment", None) is not None:  # the 综合评价意见, as it now reads
            details["comment"] = event.comment  # type: ignore[attr-defined]
        return HistoryEntry(**base, subject_id=key.subject_id, judge_id=key.judge_id,
                            component=key.component, changes=changes, details=details)
    if isinstance(event, SelfAssessment.SelfScored):
        key = event.key
        details = {"evidence_ids": [str(e) for e in event.evidence_ids]}
        if event.late is not None:  # accepted after this window's deadline, flagged
            details["late"] = event.late
        return HistoryEntry(**base, subject_id=key.subject_id, component=key.component,
                            changes=event.changes, details=details)
    if isinstance(event, PanelOpinions.OpinionWritten):  # 综合评价意见, old → new
        return HistoryEntry(**base, subject_id=event.subject_id,
                            judge_id=event.judge_id,
                            details={"from": event.previous, "to": event.text})
    if isinstance(event, PanelOpinions.ChairAppointed):
        return HistoryEntry(**base, judge_id=event.judge_id,
                            details={"judge_id": str(event.judge_id), "name": event.name})
    if isinstance(event, RoundWindows.WindowsSet):
        return HistoryEntry(**base, details=timetable_details(event.timetable))
    if isinstance(event, Assessment.JudgeRecused | Assessment.RecusedScoringRefused
                  | Assessment.RecusalLifted):
        return HistoryEntry(**base, subject_id=event.subject_id, judge_id=event.judge_id,
                            component=getattr(event, "component", None),
                            details=assessment_details(event))
    if isinstance(event, Assessment.SubjectRemoved | Assessment.SubjectMoved):
        return HistoryEntry(**base, subject_id=event.subject_id,
                            details=assessment_details(event))
    return HistoryEntry(**base, details=assessment_details(event))


def assessment_details(event: Any) -> dict[str, Any]:
    if isinstance(event, Assessment.Created):
        return {"name": event.setup.name}
    if isinstance(event, Assessment.SubjectAdded):
        return {"subject_id": str(event.subject.id), "name": event.subject.name,
                "group": event.subject.group} | (  # its own components, when given
            {"components": list(event.subject.components)} if event.subject.components else {})
    if isinstance(event, Assessment.JudgeAdded):
        return {"judge_id": str(event.judge_id), "name": event.name} | (  # a sub-panel's 考核组
            {"groups": list(event.groups)} if event.groups else {})
    if isinstance(event, Assessment.StatusChanged):
        if event.override is None:
            return {"status": event.status}
        return {"status": event.status, "override": event.override,  # force, accept_incomplete
                "missing": [{"judge_id": str(m.judge_id), "subject_id": str(m.subject_id),
                             "component": m.component, "state": m.state}
                            for m in event.missing],
                "below_quorum": [{"subject_id": str(b.subject_id), "component": b.component,
                                  "submitted": b.submitted, "quorum": b.quorum}
                                 for b in event.below_quorum]}
    if isinstance(event, Assessment.OrderDrawn):
        return {"seed": event.seed,
                "order": {g.group: [str(s) for s in g.subject_ids] for g in event.order}}
    if isinstance(event, Assessment.JudgeRecused):
        return {"category": event.category}
    if isinstance(event, Assessment.OrderEntered):
        return {"order": {g.group: [str(s) for s in g.subject_ids] for g in event.order}}
    if isinstance(event, Assessment.SubjectRemoved):
        return {"subject_id": str(event.subject_id), "name": event.name, "group": event.group}
    if isinstance(event, Assessment.SubjectMoved):
        return {"subject_id": str(event.subject_id), "name": event.name,
                "from_group": event.from_group, "group": event.group}
    if isinstance(event, Assessment.SetupChanged):
        return {"name": event.setup.name, "changed": list(event.changed),
                "groups": [{"key": g.key, "name": g.name} for g in event.setup.groups],
                "components": [{"key": c.key, "name": c.name} for c in event.setup.components]}
    if isinstance(event, Assessment.ResultsPublished):
        return {"status": "published", "log_position": event.log_position,
                "log_head": event.log_head, "subjects": len(event.results)}
    return {}


def timetable_details(t: Any) -> dict[str, Any]:
    """A timetable as the history shows it (instants in UTC, RFC 3339)."""
    def window(w: Any) -> dict[str, Any] | None:
        return None if w is None else {
            "opens": w.opens.isoformat() if w.opens else None, "closes": w.closes.isoformat()}
    return {"self_assessment": window(t.self_assessment),
            "components": {c.component: {"self_assessment": window(c.self_assessment)}
                           for c in t.components},
            "materials_due_days_before": t.materials_due_days_before, "late": t.late,
            "schedule": {s.group: {"date": s.date.isoformat(), "start": s.start,
                                   "venue": s.venue} for s in t.schedule},
            "time_zone": t.time_zone}
