"""A round's timetable (windows, the late rule, 出场安排), who is late, and the panel's
written opinions (综合评价意见 by the chair; the judges' 评语 on their cards)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.assessment import Assessment, Subject
from domain.cause import Cause
from domain.errors import NotPermitted
from domain.opinions import PanelOpinions, opinions_id
from domain.scorecard import CardKey
from domain.shaping import applies
from domain.windows import (
    MATERIALS,
    SELF_ASSESSMENT,
    RoundWindows,
    Session,
    Timetable,
    windows_id,
)
from services.base import Written

TIMETABLED = ("draft", "open", "closed")  # a finalised round's deadlines are history
OPINIONS_WRITTEN = ("open", "closed")


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Behind:
    """A subject behind a window: nothing handed in by the deadline (``missing``), or
    handed in after it (``late``, accepted and flagged)."""

    subject: Subject
    state: str
    filed_at: datetime | None = None


@dataclass(frozen=True)
class WindowReport:
    window: str  # self_assessment | materials
    closes: datetime
    passed: bool
    behind: tuple[Behind, ...]
    component: str | None = None
    group: str | None = None
    opens: datetime | None = None


@dataclass(frozen=True)
class Opinion:
    """What the results show of a subject when the round publishes opinions."""

    summary: str | None
    comments: tuple[tuple[str, str], ...]  # (component, 评语), judges unnamed


class WindowCommands:
    # -- the timetable -------------------------------------------------------------------

    def set_windows(self, assessment_id: UUID, timetable: Timetable, cause: Cause) -> Written:
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        assessment.check_status(*TIMETABLED)
        windows = (self.load_or_none(RoundWindows, windows_id(assessment_id))  # type: ignore[attr-defined]
                   or RoundWindows(assessment_id=assessment_id, cause=cause))
        windows.set(timetable, {g.key for g in assessment.setup.groups},
                    {c.key for c in assessment.setup.components}, cause)
        if not windows.pending_events:
            return Written(windows.id, windows.version, self.position())  # type: ignore[attr-defined]
        return self.write(windows)  # type: ignore[attr-defined,no-any-return]

    def timetable(self, assessment_id: UUID) -> Timetable:
        """The round's timetable (an empty one: no windows, nothing scheduled)."""
        windows = self.load_or_none(RoundWindows, windows_id(assessment_id))  # type: ignore[attr-defined]
        return windows.timetable if windows is not None else Timetable()

    def windows_version(self, assessment_id: UUID) -> int:
        windows = self.load_or_none(RoundWindows, windows_id(assessment_id))  # type: ignore[attr-defined]
        return windows.version if windows is not None else 0  # type: ignore[no-any-return]

    def schedule(self, assessment_id: UUID) -> dict[str, Session]:
        return {s.group: s for s in self.timetable(assessment_id).schedule}

    def check_on_time(self, assessment: Assessment, subject: Subject, component: str,
                      at: datetime | None = None) -> str | None:
        """Refuses work outside the window when the rule says so; else the window missed."""
        late = self.timetable(assessment.id).check(component, subject.group, at or now_utc())
        return late.window if late is not None else None

    def deadlines(self, assessment_id: UUID, now: datetime | None = None
                  ) -> tuple[Timetable, tuple[WindowReport, ...]]:
        """Who is behind each window: per component's self-assessment window, and per
        group's materials deadline."""
        now = now or now_utc()
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        t = self.timetable(assessment_id)
        subjects = sorted(assessment.subjects.values(), key=lambda s: (s.group, s.name))
        keys = [c.key for c in assessment.setup.components]
        filed = {(s.id, key): self.filed_at(assessment_id, s.id, key)  # its own components
                 for s in subjects for key in keys if applies(assessment.setup, s, key)}
        reports = []
        for key in keys:
            window = t.self_window(key)
            if window is not None:
                reports.append(WindowReport(
                    SELF_ASSESSMENT, window.closes, now > window.closes,
                    behind_of(subjects, [key], filed, window.closes, now), component=key,
                    opens=window.opens))
        for group in assessment.setup.groups:
            due = t.materials_due(group.key)
            if due is not None:
                mine = [s for s in subjects if s.group == group.key]
                reports.append(WindowReport(MATERIALS, due, now > due,
                                            behind_of(mine, keys, filed, due, now),
                                            group=group.key))
        return t, tuple(reports)

    def filed_at(self, assessment_id: UUID, subject_id: UUID, key: str) -> datetime | None:
        own = self.self_assessment(assessment_id, subject_id, key)  # type: ignore[attr-defined]
        return None if own is None else own.modified_on  # type: ignore[no-any-return]

    # -- the chair and the 综合评价意见 ----------------------------------------------------

    def opinions_of(self, assessment_id: UUID) -> PanelOpinions | None:
        return self.load_or_none(PanelOpinions, opinions_id(assessment_id))  # type: ignore[attr-defined,no-any-return]

    def on_panel(self, assessment_id: UUID, judge_id: UUID) -> bool:
        return judge_id in self.assessment(assessment_id).panel  # type: ignore[attr-defined,no-any-return]

    def appoint_chair(self, assessment_id: UUID, judge_id: UUID, cause: Cause) -> Written:
        """组长: a judge of the panel who writes the subjects' summaries."""
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        assessment.check_status(*TIMETABLED)
        if judge_id not in assessment.panel:
            raise NotPermitted("the judge is not on this assessment's panel")
        opinions = (self.opinions_of(assessment_id)
                    or PanelOpinions(assessment_id=assessment_id, cause=cause))
        opinions.appoint_chair(judge_id, assessment.panel[judge_id], cause)
        return self.write(opinions)  # type: ignore[attr-defined,no-any-return]

    def write_opinion(self, assessment_id: UUID, subject_id: UUID, judge_id: UUID, text: str,
                      cause: Cause) -> Written:
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        assessment.check_status(*OPINIONS_WRITTEN)
        assessment.subject(subject_id)
        opinions = self.opinions_of(assessment_id)
        if opinions is None or judge_id not in opinions.chairs:
            raise NotPermitted("only the panel's chair writes the summary opinion")
        if subject_id not in {s.id for s in assessment.scored_by(judge_id)}:
            raise NotPermitted("the chair does not judge this subject")
        if not opinions.write(judge_id, subject_id, text, cause):
            return Written(opinions.id, opinions.version, self.position())  # type: ignore[attr-defined]
        return self.write(opinions)  # type: ignore[attr-defined,no-any-return]

    def published_opinions(self, assessment: Assessment) -> dict[UUID, Opinion]:
        """The summaries and the cards' 评语, when the round publishes them (else none)."""
        if not assessment.setup.publish_opinions:
            return {}
        opinions = self.opinions_of(assessment.id)
        texts = opinions.texts if opinions is not None else {}
        found = {}
        for subject in assessment.subjects.values():
            comments = []
            for component in assessment.setup.components:
                for judge_id in assessment.panel:
                    if assessment.is_recused(judge_id, subject.id):
                        continue  # a void card says nothing
                    card = self.card_or_none(  # type: ignore[attr-defined]
                        CardKey(assessment.id, subject.id, component.key, judge_id).card_id)
                    if card is not None and card.comment:
                        comments.append((component.key, card.comment))
            found[subject.id] = Opinion(texts.get(subject.id), tuple(comments))
        return found


def behind_of(subjects: list[Subject], keys: list[str],
              filed: dict[tuple[UUID, str], datetime | None], deadline: datetime,
              now: datetime) -> tuple[Behind, ...]:
    found = []
    for subject in subjects:
        times = [filed[(subject.id, key)] for key in keys if (subject.id, key) in filed]
        if not times:
            continue  # none of these components is the subject's own (issue 15)
        if any(at is None for at in times):
            if now > deadline:
                found.append(Behind(subject, "missing"))
            continue
        last = max(at for at in times if at is not None)
        if last > deadline:
            found.append(Behind(subject, "late", last))
    return tuple(found)
