"""时间安排 — a round's windows (自查自评 open and close, materials due N days before the
meeting), its rule for late work, and its 出场安排 (per group: date, start, venue).

Times are instants (aware datetimes); the tenant's zone is kept beside them, so that a date
given without a time means that day in the district's own time, and a refusal can say the
deadline as the district reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated, StateConflict

LATE_RULES = ("refuse", "flag")  # 逾期不予受理 / 逾期可交但标记
SELF_ASSESSMENT = "self_assessment"
MATERIALS = "materials"
WINDOW_WORDS = {SELF_ASSESSMENT: "self-assessment", MATERIALS: "materials"}
DEFAULT_ZONE = "Asia/Shanghai"
END_OF_DAY = time(23, 59, 59)


def windows_id(assessment_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:windows/{assessment_id}")


@dataclass(frozen=True)
class Window:
    """From ``opens`` (None: from the round's opening) until ``closes``, both included."""

    closes: datetime
    opens: datetime | None = None


@dataclass(frozen=True)
class ComponentWindow:
    """A component's own self-assessment window (玉环: 11-10, 06-10, 05-30)."""

    component: str
    self_assessment: Window


@dataclass(frozen=True)
class Session:
    """出场安排 of one ranking group: the day, the start (HH:MM, local) and the room."""

    group: str
    date: date
    start: str = ""
    venue: str = ""


@dataclass(frozen=True)
class Late:
    """Work handed in after ``deadline`` of ``window`` (self_assessment or materials)."""

    window: str
    deadline: datetime


@dataclass(frozen=True)
class Timetable:
    self_assessment: Window | None = None
    components: tuple[ComponentWindow, ...] = ()
    materials_due_days_before: int | None = None
    late: str = "refuse"
    schedule: tuple[Session, ...] = ()
    time_zone: str = DEFAULT_ZONE

    def self_window(self, component: str) -> Window | None:
        for own in self.components:
            if own.component == component:
                return own.self_assessment
        return self.self_assessment

    def session(self, group: str) -> Session | None:
        return next((s for s in self.schedule if s.group == group), None)

    def materials_due(self, group: str) -> datetime | None:
        """青山湖: the electronic copy N days before the meeting — by the end of that day."""
        session = self.session(group)
        if self.materials_due_days_before is None or session is None:
            return None
        day = session.date - timedelta(days=self.materials_due_days_before)
        return datetime.combine(day, END_OF_DAY, ZoneInfo(self.time_zone))

    def deadlines(self, component: str, group: str) -> tuple[Late, ...]:
        """The deadlines self-assessment work of this component and group must meet."""
        found = []
        window = self.self_window(component)
        if window is not None:
            found.append(Late(SELF_ASSESSMENT, window.closes))
        due = self.materials_due(group)
        if due is not None:
            found.append(Late(MATERIALS, due))
        return tuple(sorted(found, key=lambda late: late.deadline))

    def check(self, component: str, group: str, at: datetime) -> Late | None:
        """Whether work handed in ``at`` is on time: too early is refused, whatever the rule;
        too late is refused (``refuse``) or answered as the first deadline missed (``flag``)."""
        window = self.self_window(component)
        if window is not None and window.opens is not None and at < window.opens:
            when, zone = self.local(window.opens)
            raise StateConflict(f"the self-assessment window opens at {when} ({zone})",
                                (FieldError(SELF_ASSESSMENT, when),))
        missed = next((late for late in self.deadlines(component, group)
                       if at > late.deadline), None)
        if missed is not None and self.late == "refuse":
            word = WINDOW_WORDS[missed.window]
            when, zone = self.local(missed.deadline)
            raise StateConflict(f"the {word} deadline was {when} ({zone}): late work is refused",
                                (FieldError(missed.window, when),))
        return missed

    def local(self, moment: datetime) -> tuple[str, str]:
        """A moment as the district reads it, and its zone (北京时间 by default)."""
        here = moment.astimezone(ZoneInfo(self.time_zone))
        zone = "Beijing time" if self.time_zone == DEFAULT_ZONE else self.time_zone
        return f"{here:%Y-%m-%d %H:%M}", zone


def check_timetable(t: Timetable, groups: set[str], components: set[str]) -> None:
    errors = []
    if t.late not in LATE_RULES:
        errors.append(FieldError("late", "refuse or flag"))
    windows = ([(SELF_ASSESSMENT, t.self_assessment)] if t.self_assessment else []) + [
        (f"components.{c.component}.self_assessment", c.self_assessment) for c in t.components]
    for where, window in windows:
        if window.opens is not None and window.opens >= window.closes:
            errors.append(FieldError(where, "closes before it opens"))
    errors += [FieldError(f"components.{c.component}", "no such component")
               for c in t.components if c.component not in components]
    errors += [FieldError(f"schedule.{s.group}", "no such ranking group")
               for s in t.schedule if s.group not in groups]
    if t.materials_due_days_before is not None and t.materials_due_days_before < 0:
        errors.append(FieldError("materials_due_days_before", "0 or more"))
    if errors:
        raise RuleViolated("the windows are not valid", tuple(errors))


class RoundWindows(KaopingAggregate):
    """One round's timetable; every change is kept (who set which deadline, when, why)."""

    class Started(KaopingAggregate.Created):
        assessment_id: UUID

    class WindowsSet(KaopingAggregate.Event):
        assessment_id: UUID
        timetable: Timetable

    @staticmethod
    def create_id(assessment_id: UUID, cause: Cause) -> UUID:
        return windows_id(assessment_id)

    @event(Started)
    def __init__(self, assessment_id: UUID, cause: Cause) -> None:
        self.assessment_id = assessment_id
        self.timetable = Timetable()

    def set(self, timetable: Timetable, groups: set[str], components: set[str],
            cause: Cause) -> bool:
        """Replace the timetable; answers whether anything changed."""
        check_timetable(timetable, groups, components)
        if timetable == self.timetable:
            return False
        self._set(assessment_id=self.assessment_id, timetable=timetable, cause=cause)
        return True

    @event(WindowsSet)
    def _set(self, assessment_id: UUID, timetable: Timetable, cause: Cause) -> None:
        self.timetable = timetable
