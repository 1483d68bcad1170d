"""周有活动、月有安排: given the activities a unit held, when its frequency rule is checked over
a period, then each window met or not. The windows are ``domain/compliance.check``; what an
activity counts as is the projector's own fold (``services/projection.activity_view``)."""

from datetime import date
from uuid import UUID

from domain.activity import Activity
from domain.compliance import Window, check
from domain.errors import RuleViolated
from domain.settings import FrequencyRule, TenantSettings
from services.application import TenantApplication
from services.projection import activity_view
from tests.specs.facts import (
    activity_held,
    admin_cause,
    applied,
    named,
    plan,
    school_registered,
    settings_started,
    unit_registered,
)
from tests.specs.spec import fact, given

S, U = named("school"), named("unit")
DISTRICT = (school_registered(S), unit_registered(U, S))
# Two weeks of October 2025: Monday the 6th to Sunday the 19th.
START, END = date(2025, 10, 6), date(2025, 10, 19)


def activities(app: TenantApplication) -> list[dict]:
    """Each activity as the compliance report reads it, folded from the log."""
    docs: dict[UUID, dict] = {}
    for n in app.recorder.select_notifications(start=None, limit=10_000):
        event = app.mapper.to_domain_event(n)
        if isinstance(event, Activity.Event):
            docs[event.originator_id] = activity_view(docs.get(event.originator_id), event)
    return list(docs.values())


def compliance(rule: FrequencyRule, unit: UUID = U, start: date = START, end: date = END):
    """The windows of ``rule`` for ``unit``: held activities, or with ``counts="planned"``
    every activity planned and not cancelled."""
    def run(app: TenantApplication) -> list[Window]:
        mine = [a for a in activities(app) if a["unit_id"] == str(unit)]
        if rule.counts == "planned":
            days = [(date.fromisoformat(a["planned_on"]), a["planned_periods"]) for a in mine
                    if a["status"] != "cancelled"]
        else:
            days = [(date.fromisoformat(a["held_on"]), a["periods"]) for a in mine
                    if a["status"] in ("held", "summarised")]
        return check(rule, [(d, p) for d, p in days if start <= d <= end], start, end)
    return run


def met(*flags: bool):
    return lambda windows: [w.met for w in windows] == list(flags)


WEEKLY = FrequencyRule("research_group", "week", min_activities=1, min_periods=2)


def test_a_weekly_rule_asks_for_an_activity_every_week() -> None:
    given(*DISTRICT, *activity_held(named("a"), U, date(2025, 10, 8))) \
        .when(compliance(WEEKLY)) \
        .then_answers(met(True, False))


def test_a_week_needs_its_class_periods_too() -> None:
    given(*DISTRICT, *activity_held(named("a"), U, date(2025, 10, 8), periods=1),
          *activity_held(named("b"), U, date(2025, 10, 15), periods=2)) \
        .when(compliance(WEEKLY)) \
        .then_answers(met(False, True))


def test_weeks_start_on_monday() -> None:
    sunday, monday = date(2025, 10, 12), date(2025, 10, 13)
    given(*DISTRICT, *activity_held(named("a"), U, sunday),
          *activity_held(named("b"), U, monday)) \
        .when(compliance(WEEKLY)) \
        .then_answers(met(True, True))


def test_an_activity_only_applied_for_is_not_held() -> None:
    given(*DISTRICT, applied(named("a"), U, the_plan=plan(planned_on=date(2025, 10, 8)))) \
        .when(compliance(WEEKLY)) \
        .then_answers(met(False, False))


def test_a_planned_rule_counts_what_is_planned_and_not_cancelled() -> None:
    monthly = FrequencyRule("research_group", "month", min_activities=1, counts="planned")
    cancelled = fact(Activity.Cancelled, named("b"), cause=admin_cause("取消"))
    given(*DISTRICT, applied(named("a"), U, the_plan=plan(planned_on=date(2025, 10, 8))),
          applied(named("b"), U, the_plan=plan(planned_on=date(2025, 11, 5))), cancelled) \
        .when(compliance(monthly, start=date(2025, 10, 1), end=date(2025, 11, 30))) \
        .then_answers(met(True, False))


def test_months_are_clipped_to_the_period() -> None:
    monthly = FrequencyRule("research_group", "month")
    windows = given(*DISTRICT).when(compliance(monthly, start=date(2025, 9, 15),
                                               end=date(2025, 11, 10))).result
    assert [(w.starts_on, w.ends_on) for w in windows] == [
        (date(2025, 9, 15), date(2025, 9, 30)), (date(2025, 10, 1), date(2025, 10, 31)),
        (date(2025, 11, 1), date(2025, 11, 10))]


def test_two_week_windows_start_on_the_periods_first_monday() -> None:
    fortnightly = FrequencyRule("research_group", "two_weeks", min_periods=2)
    windows = given(*DISTRICT).when(compliance(fortnightly, start=date(2025, 10, 8),
                                               end=date(2025, 10, 31))).result
    assert [(w.starts_on, w.ends_on) for w in windows] == [
        (date(2025, 10, 8), date(2025, 10, 19)), (date(2025, 10, 20), date(2025, 10, 31))]


def test_a_semester_rule_is_one_window() -> None:
    semester = FrequencyRule("research_group", "semester", min_activities=2)
    given(*DISTRICT, *activity_held(named("a"), U, date(2025, 10, 8)),
          *activity_held(named("b"), U, date(2025, 12, 8))) \
        .when(compliance(semester, start=date(2025, 9, 1), end=date(2026, 1, 31))) \
        .then_answers(met(True))


def test_another_units_activities_do_not_count() -> None:
    other = named("unit 2")
    given(*DISTRICT, unit_registered(other, S), *activity_held(named("a"), other,
                                                               date(2025, 10, 8))) \
        .when(compliance(WEEKLY)) \
        .then_answers(met(False, False))


def test_the_admin_sets_the_tenants_rules() -> None:
    given(settings_started()) \
        .when(lambda app: app.set_rules((WEEKLY,), admin_cause())) \
        .then(fact(TenantSettings.RulesSet, rules=(WEEKLY,)))


def test_a_rule_names_a_known_unit_kind_window_and_count() -> None:
    bad = FrequencyRule("club", "fortnight", counts="wished")
    given(settings_started()) \
        .when(lambda app: app.set_rules((WEEKLY, bad), admin_cause())) \
        .then_refused(RuleViolated, "rules[1].unit_kind", "rules[1].every", "rules[1].counts")
    negative = FrequencyRule("research_group", "week", min_activities=-1)
    given(settings_started()) \
        .when(lambda app: app.set_rules((negative,), admin_cause())) \
        .then_refused(RuleViolated, "rules[0]")
