"""述职计时: the presentation timer of a ranking group, driven by its drawn order.

Who keeps time: the admin (``TIMEKEEPERS``). A district that wants a separate timekeeper in
the room gives that person an admin's sign-in; judges and auditors read the timer only.
What a judge reads follows 盲评: the name of a subject they stand aside from (回避) is not
shown to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.assessment import Assessment
from domain.cause import Cause
from domain.errors import NotFound, NotPermitted, StateConflict
from domain.presentation import Presentation, presentation_id
from domain.setup import RankingGroup
from services.access import subjects_seen_by
from services.base import BaseApplication, Written

TIMEKEEPERS = frozenset({"admin"})
TIMED_STATUSES = ("draft", "open")


def check_keeps_time(role: str) -> None:
    """Only the admin starts, advances and stops the presentation timer."""
    if role not in TIMEKEEPERS:
        raise NotPermitted("only the admin keeps the presentation time")


@dataclass(frozen=True)
class Slot:
    """A place in the group's order; ``name`` is empty for a subject the reader may not
    see (a judge's 回避)."""

    number: int
    subject_id: UUID
    name: str
    presented: bool


@dataclass(frozen=True)
class Timer:
    """A group's timer as it stands: the current presenter (or none), since when, until when."""

    assessment_id: UUID
    assessment_name: str
    group: RankingGroup
    order: tuple[Slot, ...]
    current: Slot | None
    running: bool
    started_at: datetime | None
    deadline: datetime | None
    limit_seconds: int
    ended_at: datetime | None
    version: int

    @property
    def next(self) -> Slot | None:
        if self.current is None:
            return self.order[0] if self.order else None
        following = [s for s in self.order if s.number == self.current.number + 1]
        return following[0] if following else None


def timed_groups(assessment: Assessment) -> tuple[RankingGroup, ...]:
    return tuple(g for g in assessment.setup.groups if g.time_limit_minutes)


def timed_group(assessment: Assessment, key: str) -> RankingGroup:
    for group in assessment.setup.groups:
        if group.key == key:
            if not group.time_limit_minutes:
                raise NotFound(f"the group {group.name} has no presentation time limit")
            return group
    raise NotFound(f"no ranking group {key}")


def order_of(assessment: Assessment, group: str) -> tuple[UUID, ...]:
    for drawn in assessment.order:
        if drawn.group == group and drawn.subject_ids:
            return drawn.subject_ids
    return ()


class PresentationCommands(BaseApplication):
    """Start, advance and stop a group's timer; read it back from the log."""

    def presentation(self, assessment_id: UUID, group: str) -> Presentation | None:
        found: Presentation | None = self.load_or_none(
            Presentation, presentation_id(assessment_id, group))
        return found

    def timer(self, assessment: Assessment, group_key: str, role: str,
              user_id: UUID | None) -> Timer:
        """The group's timer as the caller may read it."""
        group = timed_group(assessment, group_key)
        seen = {s.id for s in subjects_seen_by(assessment, role, user_id)}
        kept = self.presentation(assessment.id, group.key)
        done = set(kept.presented) if kept else set()
        order = tuple(
            Slot(i, sid, assessment.subjects[sid].name if sid in seen else "", sid in done)
            for i, sid in enumerate(order_of(assessment, group.key), start=1)
            if sid in assessment.subjects)
        current = None
        if kept is not None and kept.subject_id is not None:
            current = next((s for s in order if s.subject_id == kept.subject_id), None)
        limit = group.time_limit_minutes or 0
        return Timer(assessment.id, assessment.setup.name, group, order, current,
                     bool(kept and kept.running), kept.started_at if kept else None,
                     kept.deadline if kept else None,
                     kept.limit_seconds if kept and kept.started_at else limit * 60,
                     kept.ended_at if kept else None, kept.version if kept else 0)

    def _timer_to_change(self, assessment_id: UUID, group_key: str, role: str,
                         cause: Cause) -> tuple[Assessment, RankingGroup, Presentation,
                                                tuple[UUID, ...]]:
        check_keeps_time(role)
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        group = timed_group(assessment, group_key)
        assessment.check_status(*TIMED_STATUSES)
        order = order_of(assessment, group.key)
        if not order:
            raise StateConflict("the presentation order of this group has not been drawn")
        kept = self.presentation(assessment.id, group.key) or Presentation(
            assessment_id=assessment.id, group=group.key, cause=cause)
        return assessment, group, kept, order

    def start_presentation(self, assessment_id: UUID, group: str, subject_id: UUID | None,
                           role: str, cause: Cause, now: datetime | None = None) -> Written:
        """Start ``subject_id`` (or, when None, the next in the order after the current
        presenter); whoever was presenting ends at the same instant."""
        assessment, ranking, kept, order = self._timer_to_change(assessment_id, group, role,
                                                                 cause)
        chosen = kept.next_of(order) if subject_id is None else subject_id
        if chosen not in order:
            raise NotFound("no such subject in this group's presentation order")
        assert ranking.time_limit_minutes is not None
        kept.start(chosen, assessment.subjects[chosen].name, now or datetime.now(UTC),
                   ranking.time_limit_minutes * 60, cause)
        return self.write(kept)

    def stop_presentation(self, assessment_id: UUID, group: str, role: str, cause: Cause,
                          now: datetime | None = None) -> Written:
        _, _, kept, _ = self._timer_to_change(assessment_id, group, role, cause)
        kept.stop(now or datetime.now(UTC), cause)
        return self.write(kept)
