"""Presets of the districts that assess communities and studios (seeds/001 篇1, 篇2/5, 篇3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.assessment import Aggregation, CommunityWeight, RankingGroup, Tier
from domain.settings import FrequencyRule
from domain.setup import ComponentRule
from domain.windows import ComponentWindow, Timetable
from services.setup import SetupSpec
from tenants.presets.steps import Setting, component

# 篇2/5: 融合型、共建型 — 常态化工作 1:1, 项目评估 7:3, 特色发展 3:7; 协作型 — 同等赋分.
BUNDLING = {"integrated": {"r1": (1, 1), "r2": (1, 1), "project": (7, 3), "distinctive": (3, 7)},
            "co_built": {"r1": (1, 1), "r2": (1, 1), "project": (7, 3), "distinctive": (3, 7)},
            "collaborative": {"r1": (1, 1), "r2": (1, 1), "project": (1, 1)}}


def yuhuan(s: Setting) -> None:
    """玉环市: two semesters' 常态化工作 at 30% each, then 40 of 帮扶项目 (core school) or 特色
    发展 (member); the bundling ratios by community type; the self-assessment deadlines."""
    routine, project, distinctive = (s.publish("yuhuan_routine"), s.publish("yuhuan_project"),
                                     s.publish("yuhuan_distinctive"))
    y = s.school_year
    assessment = s.round(SetupSpec(
        name=f"玉环市城乡义务教育共同体考核（{y}—{y + 1}学年）",
        components=(component("r1", "第一学期常态化工作", routine, 30, "routine"),
                    component("r2", "第二学期常态化工作", routine, 30, "routine"),
                    component("project", "帮扶项目", project, 40, "project"),
                    component("distinctive", "特色发展", distinctive, 40, "distinctive")),
        aggregation=Aggregation(), quorum=1, tiers=(),
        groups=(RankingGroup("communities", "共同体学校"),), period=s.year,
        component_rules=(
            ComponentRule("core_school", ("r1", "r2", "project")),
            ComponentRule("member_school", ("r1", "r2", "distinctive")),
            ComponentRule("integrated", ("r1", "r2", "project", "distinctive")),
            ComponentRule("collaborative", ("r1", "r2", "project"))),
        community_weights=tuple(
            CommunityWeight(kind, key, Decimal(core), Decimal(members))
            for kind, ratios in BUNDLING.items() for key, (core, members) in ratios.items()),
        full_marks=Decimal(100),
    ))
    s.app.set_windows(assessment, Timetable(  # 11月10日、次年6月10日、次年5月30日前自评
        components=(ComponentWindow("r1", s.by(date(y, 11, 10))),
                    ComponentWindow("r2", s.by(date(y + 1, 6, 10))),
                    ComponentWindow("project", s.by(date(y + 1, 5, 30))),
                    ComponentWindow("distinctive", s.by(date(y + 1, 5, 30)))),
        time_zone=s.time_zone), s.cause)


STAGES = {"senior": "高中", "junior": "初中", "primary": "小学（学前）"}  # 篇3 三、1.


def pucheng(s: Setting) -> None:
    """蒲城县: 名师工作坊 (附件1) and 名师工作点 — a teacher (附件2) — assessed by 学段 into
    优秀/合格/不合格, on materials dated from September to 30 June. The 工作坊 and 工作点
    themselves are listed in 附件3, which the seed does not include: the district adds them."""
    studio, point = s.publish("pucheng"), s.publish("pucheng_point")
    s.round(SetupSpec(
        name=f"蒲城县“名师+”研修共同体工作考核（{s.school_year}—{s.school_year + 1}学年）",
        components=(component("studio", "名师工作坊工作开展情况", studio, 100),
                    component("point", "名师工作点（个人）工作开展情况", point, 100)),
        component_rules=(ComponentRule("unit", ("studio",)),
                         ComponentRule("teacher", ("point",))),
        aggregation=Aggregation(), quorum=1, period=s.year,
        tiers=(Tier("优秀", Decimal(85)), Tier("合格", Decimal(60)), Tier("不合格", Decimal(0))),
        groups=tuple(RankingGroup(key, stage) for key, stage in STAGES.items()),
    ))


# 篇1: forms it names that are not among kaoping's own (domain.activity.FORMS).
WUZHONG_FORMS = ("主题论坛", "共同研修", "共同送课", "方案论证", "活动培训")
# 篇1 (三): 利青同城一体化 and 银川都市圈 pairs, as named; 银川's schools are 外部合作校.
PAIRS = (("同城", "吴忠中学", "青铜峡市高级中学", False),
         ("同城", "吴忠市第三中学", "青铜峡第七中学", False),
         ("同城", "吴忠市利通一小", "青铜峡第六小学", False),
         ("都市圈", "吴忠市幼儿园", "银川市第一幼儿园", True),
         ("都市圈", "吴忠市利通一小", "银川实验小学", True),
         ("都市圈", "吴忠中学", "银川市第二中学", True),
         ("都市圈", "吴忠市回民中学", "银川市唐徕回民中学", True),
         ("都市圈", "吴忠高级中学", "银川市第九中学", True))


def stage_of(name: str) -> str:
    return "学前" if "幼儿园" in name else "小学" if name.endswith("小") or "小学" in name else (
        "高中" if "高级中学" in name or name in ("吴忠中学", "吴忠高级中学") else "初中")


def wuzhong(s: Setting) -> None:
    """吴忠市: the activity forms of 篇1, at least one community activity each semester, the
    named 同城 and 都市圈 communities; the 菜单式 lifecycle is kaoping's activity lifecycle."""
    rubric = s.publish("wuzhong")
    for form in WUZHONG_FORMS:
        s.app.add_form(form, s.cause)
    s.app.set_rules((FrequencyRule("community", "semester", 1, 0),), s.cause)
    schools: dict[str, UUID] = {}
    since = date(s.school_year, 9, 1)
    for scope, lead, partner, external in PAIRS:
        for name, outside in ((lead, False), (partner, external)):
            if name not in schools:
                schools[name] = s.school(name, "schools", stage_of(name),
                                         "银川市" if outside else None, outside)
        s.app.register_community(f"{lead}—{partner}共同体", "collaborative", scope,
                                 schools[lead], (schools[partner],), since, s.cause)
    s.round(SetupSpec(
        name=f"吴忠市教学（教研）共同体年度评估（{s.school_year}—{s.school_year + 1}学年）",
        components=(component("activities", "共同体教研活动", rubric, 100),),
        aggregation=Aggregation(), quorum=1, tiers=(), period=s.year,
        groups=(RankingGroup("communities", "教学（教研）共同体"),),
    ))
