"""Every event type survives the msgspec mapper with its types intact."""

import inspect
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from adapters.postgres.mapper import MsgspecMapper
from domain.activity import FORMS, Activity, CertificateCode, Opinion, Participant, Plan
from domain.assessment import Assessment, PublishedResult, subject_for
from domain.community import Community
from domain.completeness import BelowQuorum, MissingCard, Shortfall
from domain.conflicts import Conflict
from domain.evidence import Citation, Evidence, EvidenceUsage
from domain.names import NameClaim, NameIndex
from domain.org import OrgChart, Term, TermCalendar
from domain.rubric import EvidenceRule, Indicator, Rubric
from domain.school import School
from domain.scorecard import CardKey, Scorecard
from domain.security import Refusal
from domain.self_assessment import SelfAssessment
from domain.settings import FrequencyRule, TenantSettings
from domain.unit import Unit
from domain.user import Affiliation, User
from tests.factories import LEAVES, cause, open_assessment, setup, small_indicators

D = Decimal


def every_event() -> list:
    events = []
    rubric = Rubric.draft("珠晖区中小学教研组建设评价细则（试行）", D("0.5"), small_indicators(),
                          cause())
    ruled = (*small_indicators(), Indicator("3", "集体备课", max_points=D(8),
                                            evidence=EvidenceRule("集体备课", 16)))
    rubric.replace_draft("细则 v2 ——「特色」", D("0.5"), ruled, cause())
    rubric.publish(cause())
    events += rubric.collect_events()
    rubric.replace_draft("细则 v3", D("0.5"), ruled, cause(), total=D(100),
                         source="珠教通〔2019〕49号")
    events += rubric.collect_events()
    school = School.register("南钢学校", "yiguanzhi", "初中", "青山湖区", False, cause())
    school.edit({"name": "南钢中学", "zone": None}, cause(reason="更名"))
    school.archive(cause(reason="撤并"))
    school.place(uuid4(), cause(reason="划转"))
    events += school.collect_events()
    chart = OrgChart(cause=cause())
    county = chart.add("county", "利通区", None, cause())
    chart.add("zone", "第一片区", county.id, cause())
    events += chart.collect_events()
    calendar = TermCalendar(cause=cause())
    calendar.set_terms((Term("2024—2025学年第一学期", date(2024, 9, 1), date(2025, 1, 17)),),
                       cause())
    events += calendar.collect_events()
    events += School.register("利通区第一小学", "小学组", "小学", None, False, cause(),
                              county.id).collect_events()
    events += User.register("县管理员", "admin", (), cause(), scope=county.id).collect_events()
    events += Assessment.create(setup(), cause(), county.id).collect_events()
    claim = NameClaim(scope="school", name="南钢学校", holder_id=school.id, cause=cause())
    claim.release(school.id, cause(reason="更名"))
    claim.retake("南钢学校", uuid4(), cause())
    events += claim.collect_events()
    events += NameIndex(claimed=3, cause=cause()).collect_events()
    user = User.register("评委 王老师", "judge", (Affiliation("school", school.id),), cause())
    user.issue_token(cause())
    user.revoke_token(cause(reason="离职"))
    link, session, until = uuid4(), uuid4(), datetime(2026, 12, 8, tzinfo=UTC)
    user.record_link_created(link_id=link, expires_at=until, cause=cause())
    user.record_signed_in(session_id=session, link_id=link, expires_at=until, cause=cause())
    user.record_signed_out(session_id=session, cause=cause())
    user.record_session_revoked(session_id=session, cause=cause())
    user.edit({"name": "评委 王芳"}, cause(reason="录入有误"))
    user.archive(cause(reason="离职"))
    user.change_affiliations((Affiliation("community", uuid4()),), cause(reason="调入共同体"))
    events += user.collect_events()
    community = Community.register("城东教研共同体", "integrated", "县域", school.id,
                                   (uuid4(), uuid4()), date(2019, 9, 1), cause())
    community.join(uuid4(), date(2020, 3, 1), cause())
    community.leave(community.memberships[0].school_id, date(2020, 6, 30), cause())
    community.edit({"name": "城东共同体", "scope": "市域"}, cause(reason="更名"))
    community.archive(cause(reason="撤销"))
    events += community.collect_events()
    unit = Unit.register("studio", "王老师名师工作室", None, "语文", uuid4(), (uuid4(),), cause())
    unit.edit({"subject": "数学"}, cause(reason="学科有误"))
    unit.archive(cause(reason="到期"))
    events += unit.collect_events()
    studio = Unit.register("studio", "王老师名师工作室", None, "语文", uuid4(), (uuid4(),), cause())
    studio.change_members(uuid4(), (uuid4(), uuid4()), cause(reason="坊主调任"))
    studio.place(uuid4(), cause(reason="划入片区"))
    events += studio.collect_events()
    activity = Activity.apply("research_group", uuid4(), Plan(
        "整本书阅读", "集体备课", "研讨", date(2020, 9, 10), 2, "说课、议课"), FORMS, cause())
    activity.review(False, (Opinion("教研员", "目标不聚焦"),), cause())
    activity.revise(Plan("整本书阅读：提问", "课例研修", "", date(2020, 9, 11), 2, ""), FORMS,
                    cause())
    activity.review(True, (Opinion("教研员", "同意"),), cause())
    activity.confirm("平教研〔2020〕12号", cause())
    activity.hold(date(2020, 9, 11), 2, (Participant("王芳", "host", uuid4()),),
                  (uuid4(),), (), cause())
    activity.summarise("提问质量提高", "", "", (uuid4(),), cause())
    activity.issue_certificates(lambda: "ABCDEFGH23456789", cause())
    events += activity.collect_events()
    events += CertificateCode(code="ABCDEFGH23456789", activity_id=activity.id, holder="王芳",
                              cause=cause()).collect_events()
    cancelled = Activity.apply("school", uuid4(), Plan("x", "磨课", "", date(2020, 9, 1), 1, ""),
                               FORMS, cause())
    cancelled.cancel(cause(reason="冲突"))
    events += cancelled.collect_events()
    settings = TenantSettings(cause=cause())
    settings.add_form("茶话会", cause())
    settings.set_rules((FrequencyRule("research_group", "week", 1, 2),), cause())
    settings.set_precision(1, cause())
    events += settings.collect_events()
    evidence = Evidence(sha256="ab" * 32, size=10, content_type="application/pdf",
                        filename="教案.pdf", dated=date(2020, 9, 11), cause=cause(),
                        owners=(uuid4(),))
    evidence.cite(Citation(uuid4(), uuid4(), "routine"), cause("reporter"))
    events += evidence.collect_events()
    usage = EvidenceUsage(stored_bytes=1024, files=1, cause=cause())
    usage.count(evidence.id, 10, "reporter-1", date(2020, 9, 11), 10**9, 10**6, cause("reporter"))
    events += usage.collect_events()
    refusal = Refusal(kind="role", method="POST", route="/api/v1/tenants/{tenant}/schools",
                      detail="the auditor role may not do this", cause=cause("auditor"))
    refusal.repeat(150, cause("auditor"))
    events += refusal.collect_events()
    events += corrected_draft().collect_events()
    a, subjects, judges = open_assessment()
    a.declare_recusal(judges[1], subjects[0], cause("judge", reason="本人系该校校友"))
    a.refuse_recused_scoring(judges[1], subjects[0], "routine", cause("judge"))
    a.rederive_recusals({judges[2]: (Conflict(subjects[1], "employment", "评委任职于被评学校"),)},
                        cause(reason="任职变更"))
    a.rederive_recusals({judges[2]: ()}, cause(reason="任职更正"))
    own = SelfAssessment(key=CardKey(a.id, subjects[0], "routine", uuid4()), cause=cause())
    own.record({"1.1": D(6)}, (uuid4(),), LEAVES, D("0.5"), cause("reporter"),
               {"1.2": (uuid4(), uuid4())})
    events += own.collect_events()
    a.draw("seed-种子", cause())
    b, b_subjects, b_judges = open_assessment()
    b.advance("closed", cause(reason="评委缺席"), Shortfall(
        (MissingCard(b_judges[0], b_subjects[0], "routine", "not_started"),)), override=True)
    b.reopen(cause(reason="补评"))
    b.advance("closed", cause())
    b.advance("finalised", cause(reason="经领导小组同意"), Shortfall(
        below_quorum=(BelowQuorum(b_subjects[1], "routine", 0, 1),)), override=True)
    events += b.collect_events()
    a.advance("closed", cause())
    a.advance("finalised", cause())
    a.publish((PublishedResult(subjects[0], D("91.25"), "优秀", 1),
               PublishedResult(subjects[1], None, None, None)), 120, "0f" * 32, cause())
    events += a.collect_events()
    card = Scorecard(key=CardKey(a.id, subjects[0], "routine", judges[0]), cause=cause("judge"))
    card.record({"1.1": D("5.5"), "1.2": D(4), "2.1": D(10)}, LEAVES, D("0.5"), cause("judge"),
                {"2.1": D("7.5")})
    card.submit(LEAVES, cause("judge"))
    card.reopen(cause("admin", reason="评委申请更正：第2.1项"))
    events += card.collect_events()
    return events


def corrected_draft() -> Assessment:
    draft = Assessment.create(setup(), cause())
    kept, gone = (draft.add_subject(subject_for(draft.id, "school", uuid4(), name, "yiguanzhi"),
                                    cause()) for name in ("南钢学校", "京东学校"))
    draft.enter_order({"yiguanzhi": (gone, kept)}, cause())
    draft.move_subject(kept, "yilei", cause(reason="按登记分组调整"))
    draft.remove_subject(gone, cause(reason="重复添加"))
    draft.change_setup(replace(draft.setup, name="改名后的考核", tiers=()), cause())
    return draft


EVENTS = every_event()



def test_every_event_class_of_the_domain_is_covered() -> None:
    covered = {type(e).__qualname__ for e in EVENTS}
    declared = {
        f"{aggregate.__name__}.{name}"
        for aggregate in (Rubric, School, User, Assessment, Scorecard, Community, Unit,
                          SelfAssessment, Activity, TenantSettings, Evidence, Refusal, NameClaim,
                          EvidenceUsage, OrgChart, TermCalendar,
                          NameIndex, CertificateCode)
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, aggregate.Event)
        and name != "Event" and _declared_here(aggregate, name)
    }
    assert declared - covered == set()


def _declared_here(aggregate: type, name: str) -> bool:
    """The library redefines the base's Created on every aggregate; only count our own."""
    return f"class {name}(" in inspect.getsource(aggregate)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__qualname__)
def test_an_event_comes_back_equal_with_its_types(event) -> None:
    mapper = MsgspecMapper()
    stored = mapper.to_stored_event(event)
    assert stored.state.decode("utf-8")  # JSON text, Chinese kept as UTF-8
    back = mapper.to_domain_event(stored)
    assert type(back) is type(event)
    assert vars(back) == vars(event)
    for name, value in vars(event).items():
        assert type(getattr(back, name)) is type(value), name


def test_chinese_text_is_stored_readably() -> None:
    school = School.register("南钢学校", "yiguanzhi", "初中", None, False, cause()).collect_events()
    assert "南钢学校" in MsgspecMapper().to_stored_event(school[0]).state.decode()


def test_decimals_keep_their_exact_value() -> None:
    card = Scorecard(key=CardKey(uuid4(), uuid4(), "r", uuid4()), cause=cause())
    card.record({"1.1": D("5.50")}, LEAVES, D("0.5"), cause())
    event = card.collect_events()[-1]
    back = MsgspecMapper().to_domain_event(MsgspecMapper().to_stored_event(event))
    assert str(back.changes[0].new) == "5.50"


def test_an_assessment_snapshot_restores_every_attribute_with_its_type() -> None:
    a, subjects, judges = open_assessment(schools=3)
    a.declare_recusal(judges[0], subjects[1], cause("judge", reason="亲属"))
    a.draw("seed", cause())
    a.advance("closed", cause())
    a.advance("finalised", cause())
    a.publish((PublishedResult(subjects[0], D("88.5"), "合格", 1),), 9, "aa" * 32, cause())
    a.collect_events()
    mapper = MsgspecMapper()
    snapshot = Assessment.Snapshot.take(a)
    restored = mapper.to_domain_event(mapper.to_stored_event(snapshot)).mutate(None)
    assert vars(restored).keys() == vars(a).keys()
    for name, value in vars(a).items():
        assert getattr(restored, name) == value, name
    assert restored.is_recused(judges[0], subjects[1])
