"""The demo tenant: 青山湖区's 37 schools in three ranking groups, the 珠晖区 rubric
published as version 1, an admin, four judges (one recused from his own school), an auditor,
and one open assessment with the plan's presentation order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.assessment import Aggregation, RankingGroup, Tier
from domain.cause import Cause
from domain.user import Affiliation
from services.setup import ComponentSpec, SetupSpec
from tenants.platform import Platform
from tenants.templates import demo_schools, rubric_full_mark, rubric_template

DEMO_SLUG = "demo"
DEMO_NAME = "青山湖区教研中心（演示）"
JUDGES = ("评委 王老师", "评委 李老师", "评委 张老师", "评委 刘老师")
# 评委 刘老师 teaches at the first school: adding him to the panel recuses him from it (回避).


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    assessment_id: UUID
    tokens: dict[str, str]  # who → token, shown to the developer who started the demo


def seed_demo(platform: Platform, request_id: str) -> DemoTenant:
    operator = Cause("operator", "operator", request_id)
    created = platform.create_tenant(DEMO_SLUG, DEMO_NAME, operator)
    admin = Cause(str(created.admin_id), "admin", request_id)
    app = platform.apps.get(DEMO_SLUG)
    data = demo_schools()
    schools: list[tuple[UUID, str]] = []
    for group in data["groups"]:
        for name in group["schools"]:
            w = app.register_school(name, group["key"], group["stage"], "青山湖区", False, admin)
            schools.append((w.id, group["key"]))
    name, step, indicators = rubric_template()
    rubric = app.draft_rubric(name, step, indicators, admin, rubric_full_mark())
    app.publish_rubric(rubric.id, admin)
    tokens = {"admin": created.admin_token}
    judges = []
    for i, judge_name in enumerate(JUDGES, start=1):
        works_at = (Affiliation("school", schools[0][0]),) if i == len(JUDGES) else ()
        judge = platform.add_user(DEMO_SLUG, judge_name, "judge", works_at, admin)
        judges.append(judge.user_id)
        tokens[f"judge{i}"] = judge.token
    tokens["auditor"] = platform.add_user(DEMO_SLUG, "区教育局监察室", "auditor", (), admin).token
    spec = SetupSpec(
        name=data["title"],
        components=(ComponentSpec("routine", "教研组建设", rubric.id, 1, Decimal(100),
                                  "routine"),),
        aggregation=Aggregation("trimmed_mean", 1),
        quorum=3,
        tiers=(Tier("优秀", Decimal(90)), Tier("合格", Decimal(60)), Tier("不合格", Decimal(0))),
        groups=tuple(RankingGroup(g["key"], g["name"], g.get("time_limit_minutes"))
                     for g in data["groups"]),
    )
    assessment = app.create_assessment(spec, admin)
    order: dict[str, tuple[UUID, ...]] = {}
    for school_id, group in schools:  # in the plan's printed order (组别及出场顺序)
        _, subject_id = app.add_subject(assessment.id, "school", school_id, group, admin)
        order[group] = (*order.get(group, ()), subject_id)
    for judge_id in judges:
        app.add_judge(assessment.id, judge_id, admin)
    app.enter_order(assessment.id, order, admin.because("按评议方案所列出场顺序录入"))
    app.advance(assessment.id, "open", admin)
    return DemoTenant(DEMO_SLUG, assessment.id, tokens)
