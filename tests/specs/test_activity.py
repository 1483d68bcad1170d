"""教研活动: given an activity, when it takes a step (预约申请 → 方案论证 → 发文确认 → 开展 → 总结),
then its events — or the refusal."""

from dataclasses import replace
from datetime import date
from itertools import count

from domain.activity import Activity, Certificate, CertificateCode, Opinion, Participant
from domain.errors import NotPermitted, RuleViolated, StateConflict
from domain.settings import SETTINGS_ID, TenantSettings
from tests.specs.facts import (
    admin_cause,
    applied,
    at_school,
    confirmed,
    held,
    in_unit,
    named,
    plan,
    reporter_registered,
    reviewed,
    school_registered,
    settings_started,
    summarised,
    unit_registered,
)
from tests.specs.spec import ADMIN, fact, given

X, S, T, U, V, R = (named(n) for n in ("activity", "school", "school 2", "unit", "unit 2",
                                        "reporter"))
DISTRICT = (school_registered(S), school_registered(T), unit_registered(U, S),
            unit_registered(V, T), reporter_registered(R, at_school(S)))
OPINIONS = (Opinion("王专家", "主题明确，方案可行"),)
HELD_ON = date(2025, 10, 9)
CONFIRMED = (*DISTRICT, applied(X, U), reviewed(X), confirmed(X))
HELD = (*CONFIRMED, held(X, HELD_ON))


def reporter(app):
    return app.user(R)


def apply(the_plan=None, unit=U, by_reporter=False):
    return lambda app: app.apply_activity("research_group", unit, the_plan or plan(),
                                          reporter(app) if by_reporter else None, ADMIN)


def review(approved: bool, opinions=OPINIONS):
    return lambda app: app.review_activity(X, approved, opinions, ADMIN)


def hold(periods=2, hosts=(), by_reporter=False):
    return lambda app: app.hold_activity(
        X, HELD_ON, periods, (Participant("张老师"),), hosts, (),
        reporter(app) if by_reporter else None, ADMIN)


# -- 预约申请 --------------------------------------------------------------------------------

def test_a_unit_applies_with_a_plan() -> None:
    given(*DISTRICT).when(apply()) \
        .then(fact(Activity.Applied, unit_kind="research_group", unit_id=U, plan=plan()))


def test_every_activity_has_a_theme_a_known_form_and_class_periods() -> None:
    given(*DISTRICT).when(apply(plan(theme=" "))).then_refused(RuleViolated, "theme")
    given(*DISTRICT).when(apply(plan(form="茶话会"))).then_refused(RuleViolated, "form")
    given(*DISTRICT).when(apply(plan(periods=0))).then_refused(RuleViolated, "periods")


def test_a_tenants_own_form_may_be_planned() -> None:
    own = fact(TenantSettings.FormAdded, SETTINGS_ID, form="茶话会")
    given(*DISTRICT, settings_started(), own) \
        .when(apply(plan(form="茶话会"))) \
        .then(fact(Activity.Applied, unit_id=U))


def test_a_reporter_applies_for_their_own_schools_units_only() -> None:
    given(*DISTRICT).when(apply(by_reporter=True)).then(fact(Activity.Applied, unit_id=U))
    given(*DISTRICT).when(apply(unit=V, by_reporter=True)).then_refused(NotPermitted)


def test_a_reporter_of_a_unit_applies_for_that_unit() -> None:
    W = named("unit reporter")
    given(*DISTRICT, reporter_registered(W, in_unit(V))) \
        .when(lambda app: app.apply_activity("research_group", V, plan(), app.user(W), ADMIN)) \
        .then(fact(Activity.Applied, unit_id=V))


# -- 方案论证 --------------------------------------------------------------------------------

def test_experts_approve_a_plan() -> None:
    given(*DISTRICT, applied(X, U)).when(review(True)) \
        .then(fact(Activity.Reviewed, X, approved=True, opinions=OPINIONS))


def test_experts_return_a_plan_for_revision() -> None:
    given(*DISTRICT, applied(X, U)).when(review(False)) \
        .then(fact(Activity.Reviewed, X, approved=False))


def test_a_review_records_the_experts_opinions() -> None:
    given(*DISTRICT, applied(X, U)).when(review(True, ())).then_refused(RuleViolated, "opinions")


def test_a_plan_is_reviewed_once() -> None:
    given(*DISTRICT, applied(X, U), reviewed(X)).when(review(True)).then_refused(StateConflict)


def test_a_returned_plan_is_revised_and_reviewed_again() -> None:
    revised = replace(plan(), theme="整本书阅读（修订）")
    given(*DISTRICT, applied(X, U), reviewed(X, approved=False)) \
        .when(lambda app: app.revise_activity(X, revised, None, ADMIN)) \
        .then(fact(Activity.Revised, X, plan=revised))
    given(*DISTRICT, applied(X, U), reviewed(X, approved=False),
          fact(Activity.Revised, X, plan=revised)) \
        .when(review(True)) \
        .then(fact(Activity.Reviewed, X, approved=True))


def test_only_a_returned_plan_is_revised() -> None:
    given(*DISTRICT, applied(X, U), reviewed(X)) \
        .when(lambda app: app.revise_activity(X, plan(), None, ADMIN)) \
        .then_refused(StateConflict)


# -- 发文确认 and 开展 ------------------------------------------------------------------------

def test_an_approved_plan_is_confirmed_and_no_other() -> None:
    confirm = lambda app: app.confirm_activity(X, "教研字〔2025〕1号", ADMIN)  # noqa: E731
    given(*DISTRICT, applied(X, U), reviewed(X)).when(confirm) \
        .then(fact(Activity.Confirmed, X, document="教研字〔2025〕1号"))
    given(*DISTRICT, applied(X, U)).when(confirm).then_refused(StateConflict)
    given(*DISTRICT, applied(X, U), reviewed(X, approved=False)).when(confirm) \
        .then_refused(StateConflict)


def test_a_confirmed_activity_is_held() -> None:
    given(*CONFIRMED).when(hold()) \
        .then(fact(Activity.Held, X, held_on=HELD_ON, periods=2))


def test_an_activity_is_held_only_once_confirmed() -> None:
    given(*DISTRICT, applied(X, U), reviewed(X)).when(hold()).then_refused(StateConflict)


def test_holding_takes_class_periods() -> None:
    given(*CONFIRMED).when(hold(periods=0)).then_refused(RuleViolated, "periods")


def test_a_reporter_names_no_other_schools_unit_as_host() -> None:
    given(*CONFIRMED).when(hold(hosts=(V,), by_reporter=True)) \
        .then_refused(RuleViolated, "host_unit_ids[0]")
    given(*CONFIRMED).when(hold(hosts=(U,), by_reporter=True)) \
        .then(fact(Activity.Held, X, host_unit_ids=(U,)))


def test_the_admin_names_any_schools_unit_as_host() -> None:
    given(*CONFIRMED).when(hold(hosts=(V,))).then(fact(Activity.Held, X, host_unit_ids=(V,)))


# -- 总结, certificates and cancelling -------------------------------------------------------

def test_a_held_activity_is_summarised_with_its_highlights() -> None:
    summarise = lambda text: lambda app: app.summarise_activity(  # noqa: E731
        X, text, "", "", (), None, ADMIN)
    given(*HELD).when(summarise("亮点")).then(fact(Activity.Summarised, X, highlights="亮点"))
    given(*HELD).when(summarise(" ")).then_refused(RuleViolated, "highlights")
    given(*CONFIRMED).when(summarise("亮点")).then_refused(StateConflict)


def test_certificates_go_to_the_participants_of_a_summarised_activity_once() -> None:
    codes = count(1)
    issue = lambda app: app.issue_certificates(X, lambda: f"KP-{next(codes)}", ADMIN)  # noqa: E731
    given(*HELD, summarised(X)).when(issue) \
        .then(fact(Activity.CertificatesIssued, X),
              fact(CertificateCode.Assigned, code="KP-1", activity_id=X, holder="张老师"))
    given(*HELD).when(issue).then_refused(StateConflict)
    already = fact(Activity.CertificatesIssued, X, certificates=(Certificate("KP-0", "张老师"),))
    given(*HELD, summarised(X), already).when(issue).then_refused(StateConflict)


def test_an_open_activity_is_cancelled_with_a_reason() -> None:
    cancel = lambda reason: lambda app: app.cancel_activity(  # noqa: E731
        X, None, admin_cause(reason))
    given(*DISTRICT, applied(X, U)).when(cancel("专家无法到场")).then(fact(Activity.Cancelled, X))
    given(*DISTRICT, applied(X, U)).when(cancel(None)).then_refused(RuleViolated, "reason")
    given(*HELD).when(cancel("补录")).then_refused(StateConflict)
