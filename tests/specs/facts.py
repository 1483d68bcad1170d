"""Given events, named from the domain, with defaults for the fields a spec does not care
about. Each answers a ``Fact`` for ``given``; ids are the spec's own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from domain.activity import Activity, Opinion, Participant, Plan
from domain.assessment import Assessment, Period, subject_for
from domain.cause import Cause
from domain.community import Community
from domain.school import School
from domain.scorecard import CardKey, Change, Scorecard
from domain.settings import SETTINGS_ID, FrequencyRule, TenantSettings
from domain.unit import Unit
from domain.user import Affiliation, User
from tests.factories import setup
from tests.specs.spec import Fact, fact

D = Decimal
GROUP = "yiguanzhi"  # a ranking group of tests.factories.setup()
COMPONENT = "routine"  # its one component: leaves 1.1 (≤ 6), 1.2 (≤ 4), 2.1 (≤ 10), step 0.5
PERIOD = Period(date(2025, 9, 1), date(2026, 6, 30))


def named(name: str) -> UUID:
    """A stable id for a spec's record, from its name."""
    return uuid5(UUID(int=0), name)


def judge_cause(judge: UUID, reason: str | None = None) -> Cause:
    return Cause(str(judge), "judge", "spec", reason)


def admin_cause(reason: str | None = None) -> Cause:
    return Cause("admin-1", "admin", "spec", reason)


# -- the organisation -----------------------------------------------------------------------

def school_registered(school: UUID, name: str = "学校") -> Fact:
    return fact(School.Registered, school, name=name, group=GROUP, stage="初中", zone=None,
                external=False)


def at_school(school: UUID) -> Affiliation:
    return Affiliation("school", school)


def in_community(community: UUID) -> Affiliation:
    return Affiliation("community", community)


def in_unit(unit: UUID) -> Affiliation:
    return Affiliation("unit", unit)


def user_registered(user: UUID, role: str, *affiliations: Affiliation,
                    name: str = "某人") -> Fact:
    return fact(User.Registered, user, name=name, role=role, affiliations=affiliations,
                subject=None)


def judge_registered(judge: UUID, *affiliations: Affiliation) -> Fact:
    return user_registered(judge, "judge", *affiliations, name="评委")


def reporter_registered(reporter: UUID, *affiliations: Affiliation) -> Fact:
    return user_registered(reporter, "reporter", *affiliations, name="填报员")


def affiliations_changed(user: UUID, *affiliations: Affiliation) -> Fact:
    return fact(User.AffiliationsChanged, user, affiliations=affiliations)


def community_registered(community: UUID, core: UUID, *members: UUID,
                         since: date = PERIOD.starts_on, type: str = "integrated") -> Fact:
    return fact(Community.Registered, community, name="共同体", type=type, scope="县域",
                core_school_id=core, member_school_ids=members, since=since)


def member_joined(community: UUID, school: UUID, on: date) -> Fact:
    return fact(Community.MemberJoined, community, school_id=school, on=on)


def member_left(community: UUID, school: UUID, on: date) -> Fact:
    return fact(Community.MemberLeft, community, school_id=school, on=on)


def unit_registered(unit: UUID, school: UUID | None, kind: str = "research_group",
                    host: UUID | None = None, members: tuple[UUID, ...] = ()) -> Fact:
    return fact(Unit.Registered, unit, kind=kind, name="语文教研组", school_id=school,
                subject="语文", host_user_id=host, member_user_ids=members, parent_id=None)


# -- an assessment round --------------------------------------------------------------------

def round_created(assessment: UUID, period: Period | None = None) -> Fact:
    """A round with one component (``COMPONENT``) and the groups of tests.factories."""
    return fact(Assessment.Created, assessment, setup=replace(setup(), period=period))


def subject_added(assessment: UUID, ref: UUID, kind: str = "school", name: str = "学校",
                  core: UUID | None = None, members: tuple[UUID, ...] = ()) -> Fact:
    subject = subject_for(assessment, kind, ref, name, GROUP,
                          "integrated" if kind == "community" else None, core, members)
    return fact(Assessment.SubjectAdded, assessment, subject=subject)


def subject_of(assessment: UUID, ref: UUID, kind: str = "school") -> UUID:
    return subject_for(assessment, kind, ref, "", GROUP).id


def judge_added(assessment: UUID, judge: UUID) -> Fact:
    return fact(Assessment.JudgeAdded, assessment, judge_id=judge, name="评委")


def status_changed(assessment: UUID, status: str) -> Fact:
    return fact(Assessment.StatusChanged, assessment, status=status, override=None,
                missing=(), below_quorum=())


def opened(assessment: UUID) -> Fact:
    return status_changed(assessment, "open")


def recused(assessment: UUID, judge: UUID, subject: UUID, category: str) -> Fact:
    return fact(Assessment.JudgeRecused, assessment, judge_id=judge, subject_id=subject,
                category=category)


# -- scorecards -----------------------------------------------------------------------------

def card_of(assessment: UUID, subject: UUID, judge: UUID) -> CardKey:
    return CardKey(assessment, subject, COMPONENT, judge)


def card_started(key: CardKey) -> Fact:
    return fact(Scorecard.Started, key.card_id, key=key, cause=judge_cause(key.judge_id))


def scored(key: CardKey, **points: str | None) -> Fact:
    """Scores recorded, leaf by leaf: ``scored(key, **{"1.1": "5"})`` (from nothing)."""
    changes = tuple(Change(code, None, D(p) if p is not None else None)
                    for code, p in sorted(points.items()))
    return fact(Scorecard.ScoresRecorded, key.card_id, key=key, changes=changes,
                cause=judge_cause(key.judge_id))


def submitted(key: CardKey, total: str) -> Fact:
    return fact(Scorecard.Submitted, key.card_id, key=key, total=D(total),
                cause=judge_cause(key.judge_id))


FULL = {"1.1": "6", "1.2": "4", "2.1": "10"}  # every leaf of the component, at its maximum


# -- activities -----------------------------------------------------------------------------

def plan(theme: str = "整本书阅读", form: str = "集体备课",
         planned_on: date = date(2025, 10, 9), periods: int = 2) -> Plan:
    return Plan(theme, form, "研讨目的", planned_on, periods, "活动方案")


def applied(activity: UUID, unit: UUID, unit_kind: str = "research_group",
            the_plan: Plan | None = None) -> Fact:
    return fact(Activity.Applied, activity, unit_kind=unit_kind, unit_id=unit,
                plan=the_plan or plan())


def reviewed(activity: UUID, approved: bool = True) -> Fact:
    return fact(Activity.Reviewed, activity, approved=approved,
                opinions=(Opinion("专家", "方案可行"),))


def confirmed(activity: UUID) -> Fact:
    return fact(Activity.Confirmed, activity, document="教研字〔2025〕1号")


def held(activity: UUID, on: date, periods: int = 2,
         participants: tuple[Participant, ...] = (Participant("张老师"),)) -> Fact:
    return fact(Activity.Held, activity, held_on=on, periods=periods, participants=participants,
                host_unit_ids=(), co_host_unit_ids=())


def summarised(activity: UUID) -> Fact:
    return fact(Activity.Summarised, activity, highlights="亮点", problems="", improvements="",
                evidence_ids=())


def activity_held(activity: UUID, unit: UUID, on: date, periods: int = 2) -> tuple[Fact, ...]:
    """An activity from 预约申请 to 开展, held on ``on``."""
    return (applied(activity, unit), reviewed(activity), confirmed(activity),
            held(activity, on, periods))


def settings_started() -> Fact:
    return fact(TenantSettings.Started, SETTINGS_ID)


def rules_set(*rules: FrequencyRule) -> Fact:
    return fact(TenantSettings.RulesSet, SETTINGS_ID, rules=rules)
