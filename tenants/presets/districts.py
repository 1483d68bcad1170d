"""Presets of the districts whose subjects are schools and 教研组 (seeds/000, 002, 003, 004)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.assessment import Aggregation, RankingGroup, Tier
from domain.settings import FrequencyRule
from services.setup import SetupSpec
from tenants.presets.steps import Setting, component
from tenants.templates import demo_schools

RESEARCH_GROUPS = (RankingGroup("research_group", "教研组"),)


def qingshanhu(s: Setting) -> None:
    """青山湖区: 37 schools in three groups (8/6/6 minutes) in the printed order, a drafted
    述职述研 rubric, 去掉最高最低 trimmed mean."""
    data = demo_schools()
    rubric = s.publish("qingshanhu")
    assessment = s.round(SetupSpec(
        name=data["title"], components=(component("report", "述职述研", rubric, 100),),
        aggregation=Aggregation("trimmed_mean", 1), quorum=3, tiers=(),
        groups=tuple(RankingGroup(g["key"], g["name"], g["time_limit_minutes"])
                     for g in data["groups"]),
    ))
    order: dict[str, tuple[UUID, ...]] = {}
    for group in data["groups"]:
        for name in group["schools"]:  # 组别及出场顺序, as printed
            school = s.school(name, group["key"], group["stage"], data["district"])
            _, subject = s.app.add_subject(assessment, "school", school, group["key"], s.cause)
            order[group["key"]] = (*order.get(group["key"], ()), subject)
    s.app.enter_order(assessment, order, s.cause.because("按评议方案所列出场顺序录入"))


def zhuhui(s: Setting) -> None:
    """珠晖区: the nine-indicator 教研组 rubric; ≥ 2 class periods every two weeks; the advice
    for a subject of fewer than 3 teachers is the domain's own (domain.unit.group_warnings)."""
    rubric = s.publish("zhuhui")
    s.app.set_rules((FrequencyRule("research_group", "two_weeks", 1, 2),), s.cause)
    s.round(SetupSpec(
        name="珠晖区优秀教研组评选", components=(component("building", "教研组建设", rubric, 100),),
        aggregation=Aggregation(), quorum=1, tiers=(), groups=RESEARCH_GROUPS, period=s.year,
    ))


def pingluo(s: Setting) -> None:
    """平罗县: each 教研组 every week, 2 class periods; ranks never published (§22: 不得擅自
    公布考试成绩和排名); 回避 is the domain's own rule for every judge."""
    rubric = s.publish("pingluo")
    s.app.set_rules((FrequencyRule("research_group", "week", 1, 2),), s.cause)
    s.round(SetupSpec(
        name="平罗县教研组工作述评暨优秀教研组评选",
        components=(component("review", "教研组工作述评", rubric, 100),),
        aggregation=Aggregation(), quorum=1, groups=RESEARCH_GROUPS, period=s.year,
        tiers=(Tier("优秀教研组", Decimal(85)), Tier("合格", Decimal(60)),
               Tier("不合格", Decimal(0))),  # only tiers are shown: no scores, no ranks
        publish_ranks=False,
    ))


ACCEPTANCE = "学年验收"  # 学年有验收 (seeds/004)


def mashiping(s: Setting) -> None:
    """马市坪乡: four 协作区 as the round's groups; 周有活动 (held weekly), 月有安排 (planned
    monthly) and 学年有验收 (an activity of the form 学年验收 held each school year, counted
    once the district has entered its terms) for every school; 学期有评估 is the round."""
    rubric = s.publish("mashiping")
    s.app.add_form(ACCEPTANCE, s.cause)
    s.app.set_rules((FrequencyRule("school", "week", 1, 0, "held"),
                     FrequencyRule("school", "month", 1, 0, "planned"),
                     FrequencyRule("school", "school_year", 1, 0, "held", (ACCEPTANCE,))),
                    s.cause)
    s.round(SetupSpec(
        name="马市坪乡小学学片教研工作学期评估",
        components=(component("zone", "学片教研工作", rubric, 100),),
        aggregation=Aggregation(), quorum=1, tiers=(), period=s.year,
        groups=tuple(RankingGroup(f"zone{i}", f"第{n}协作区")
                     for i, n in enumerate("一二三四", start=1)),
    ))
