"""回避 over the current facts: conflicts found, and recusals re-derived wherever facts change.

The recusals of an assessment always equal ``find_conflicts`` over the current facts plus the
declared ones. Every command that changes a fact conflicts read (a subject added, a judge's
affiliations, a community's or a unit's members) re-derives them on every assessment whose
cards can still change, and saves the changed record with those assessments in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.assessment import Assessment
from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.community import Community
from domain.conflicts import (
    FOLLOWS_FACTS,
    AffiliationFacts,
    Conflict,
    RecusalChange,
    SubjectFacts,
    find_conflicts,
)
from domain.errors import FieldError, RuleViolated
from domain.records import check_active
from domain.unit import Unit
from domain.user import User
from services.base import BaseApplication, Written

ASSESSMENT_CREATED = get_topic(Assessment.Created)
UNIT_TOPICS = [get_topic(Unit.Registered), get_topic(Unit.MembersChanged)]
PAGE = 500
SETTLE_ATTEMPTS = 3


@dataclass(frozen=True)
class Rederived:
    """One assessment's recusal changes, for the answer of the command that caused them."""

    assessment_id: UUID
    name: str
    changes: tuple[RecusalChange, ...]
    subjects: dict[UUID, str]  # names, for the answer
    judges: dict[UUID, str]


class Facts:
    """The tenant's records as one command sees them: those it changes, as changed."""

    def __init__(self, app: BaseApplication, *changed: KaopingAggregate) -> None:
        self.app = app
        self.changed = {a.id: a for a in changed}
        self._people: dict[UUID, tuple[UUID | None, set[UUID]]] | None = None

    def get(self, cls: type[KaopingAggregate], aggregate_id: UUID, what: str) -> Any:
        mine = self.changed.get(aggregate_id)
        return mine if isinstance(mine, cls) else self.app.load(cls, aggregate_id, what)

    def units_of(self, person_id: UUID) -> dict[UUID, UUID | None]:
        """unit → its school, for every unit whose own list names the person (host or
        member). One read of the log's unit events per command, not a load per unit."""
        if self._people is None:
            self._people = {}
            for event in events_of(self.app, UNIT_TOPICS):
                if isinstance(event, Unit.Registered):
                    host = (event.host_user_id,) if event.host_user_id else ()
                    self._people[event.originator_id] = (
                        event.school_id, {*host, *event.member_user_ids})
                elif isinstance(event, Unit.MembersChanged):
                    school, _ = self._people[event.originator_id]
                    host = (event.host_user_id,) if event.host_user_id else ()
                    self._people[event.originator_id] = (
                        school, {*host, *event.member_user_ids})
            for unit in self.changed.values():
                if isinstance(unit, Unit):
                    self._people[unit.id] = (unit.school_id, set(unit.people()))
        return {unit_id: school for unit_id, (school, people) in self._people.items()
                if person_id in people}


def events_of(app: BaseApplication, topics: list[str]) -> Iterator[Any]:
    """The events of these types, in log order, read page by page."""
    start: int | None = None
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE, topics=topics,
                                                 inclusive_of_start=False)
        for notification in page:
            yield app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id


class RecusalCommands(BaseApplication):
    def judge(self, judge_id: UUID) -> User:
        judge: User = self.load(User, judge_id, "user")
        check_active(judge, "judge_id")
        if judge.role != "judge":
            raise RuleViolated(f"{judge.name} is not a judge",
                               (FieldError("judge_id", "not a judge"),))
        return judge

    def conflicts_of(self, assessment: Assessment, judge: User,
                     facts: Facts | None = None) -> tuple[Conflict, ...]:
        facts = facts or Facts(self)
        return find_conflicts(judge.id, judge.affiliations, self.subject_facts(assessment, facts),
                              self.affiliation_facts(assessment, judge, facts))

    def subject_facts(self, assessment: Assessment,
                      facts: Facts | None = None) -> tuple[SubjectFacts, ...]:
        facts = facts or Facts(self)
        period = assessment.setup.period
        found = []
        for s in assessment.subjects.values():
            if s.kind == "school":
                found.append(SubjectFacts(s.id, s.kind, s.ref_id, (s.ref_id,)))
            elif s.kind == "community":
                community: Community = facts.get(Community, s.ref_id, "community")
                live = community.schools_during(period.starts_on if period else None,
                                                period.ends_on if period else None)
                schools = tuple(dict.fromkeys((*live, *s.member_school_ids)))
                found.append(SubjectFacts(s.id, s.kind, s.ref_id, schools))
            elif s.kind == "teacher":
                found.append(self.person_facts(s.id, facts.get(User, s.ref_id, "user"), facts))
            else:
                unit: Unit = facts.get(Unit, s.ref_id, "unit")
                schools = (unit.school_id,) if unit.school_id else ()
                found.append(SubjectFacts(s.id, s.kind, s.ref_id, schools, unit.people()))
        return tuple(found)

    def person_facts(self, subject_id: UUID, person: User, facts: Facts) -> SubjectFacts:
        """A teacher as subject: their schools (their own, and their units' schools) and
        their units (by affiliation, or on a unit's own list: a studio's host and members)."""
        units = facts.units_of(person.id)
        for a in person.affiliations:
            if a.kind == "unit":
                units[a.id] = facts.get(Unit, a.id, "unit").school_id
        schools = [a.id for a in person.affiliations if a.kind == "school"]
        schools += [school for school in units.values() if school is not None]
        return SubjectFacts(subject_id, "teacher", person.id, tuple(dict.fromkeys(schools)),
                            (person.id,), tuple(units))

    def affiliation_facts(self, assessment: Assessment, judge: User,
                          facts: Facts) -> AffiliationFacts:
        period = assessment.setup.period
        units = facts.units_of(judge.id)
        communities: dict[UUID, tuple[UUID, ...]] = {}
        for a in judge.affiliations:
            if a.kind == "unit":
                units[a.id] = facts.get(Unit, a.id, "unit").school_id
            elif a.kind == "community":
                community: Community = facts.get(Community, a.id, "community")
                communities[a.id] = community.schools_during(
                    period.starts_on if period else None, period.ends_on if period else None)
        return AffiliationFacts(units, communities)

    def rederive(self, assessment: Assessment, cause: Cause, facts: Facts | None = None,
                 judges: set[UUID] | None = None) -> tuple[RecusalChange, ...]:
        """Re-derive the recusals of the panel (or of ``judges`` only) on one assessment."""
        facts = facts or Facts(self)
        conflicts = {
            judge_id: self.conflicts_of(assessment, facts.get(User, judge_id, "user"), facts)
            for judge_id in assessment.panel if judges is None or judge_id in judges
        }
        return assessment.rederive_recusals(conflicts, cause)

    def rederive_everywhere(
        self, changed: KaopingAggregate, cause: Cause, judges: set[UUID] | None = None
    ) -> tuple[Written, tuple[Rederived, ...]]:
        """Save ``changed`` with every assessment whose recusals its change moves, at once."""
        facts = Facts(self, changed)
        touched: list[Assessment] = []
        report = []
        for assessment in self.assessments_following_facts():
            if judges is not None and not judges & set(assessment.panel):
                continue
            changes = self.rederive(assessment, cause, facts, judges)
            if changes:
                touched.append(assessment)
                report.append(Rederived(
                    assessment.id, assessment.setup.name, changes,
                    {s.id: s.name for s in assessment.subjects.values()}, dict(assessment.panel)))
        written = self.write(changed, *touched)
        return self.settled(written, cause, judges=judges), tuple(report)

    def settled(self, written: Written, cause: Cause, assessment_id: UUID | None = None,
                judges: set[UUID] | None = None) -> Written:
        """Re-derive once more from fresh facts, after the write. A command that raced this
        one (it read before this one committed) then leaves no stale recusal behind: of two
        such commands, the one that commits second sees both. Answers the position reached."""
        for attempt in range(SETTLE_ATTEMPTS):
            facts = Facts(self)
            assessments = ([self.load(Assessment, assessment_id, "assessment")] if assessment_id
                           else self.assessments_following_facts())
            touched = [a for a in assessments if a.status in FOLLOWS_FACTS
                       and (judges is None or judges & set(a.panel))
                       and self.rederive(a, cause, facts, judges)]
            if not touched:
                return written
            try:
                return replace(written, position=self.write(*touched).position)
            except IntegrityError:  # yet another command moved on: read again
                if attempt == SETTLE_ATTEMPTS - 1:
                    raise
        return written

    def assessments_following_facts(self) -> list[Assessment]:
        """Every assessment of the tenant whose cards can still change, read from the log
        (not from a view, which may lag behind)."""
        found = []
        for created in events_of(self, [ASSESSMENT_CREATED]):
            assessment = self.load_or_none(Assessment, created.originator_id)
            if assessment is not None and assessment.status in FOLLOWS_FACTS:
                found.append(assessment)
        return found
