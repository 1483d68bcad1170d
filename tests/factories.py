"""Small builders of domain values shared by tests."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

from domain.assessment import (
    Aggregation,
    Assessment,
    Component,
    RankingGroup,
    Setup,
    Tier,
    subject_for,
)
from domain.cause import Cause
from domain.rubric import Indicator, Leaf

D = Decimal


def cause(role: str = "admin", reason: str | None = None, actor: str = "a-1") -> Cause:
    return Cause(actor, role, "req-1", reason)


def small_indicators() -> tuple[Indicator, ...]:
    """Two 一级指标 (10 + 10 points) over three leaves."""
    return (
        Indicator("1", "组织建设", weight=D(10), children=(
            Indicator("1.1", "教研组设置合理", max_points=D(6)),
            Indicator("1.2", "制度健全", max_points=D(4)),
        )),
        Indicator("2", "教研活动", weight=D(10), children=(
            Indicator("2.1", "集体备课", max_points=D(10)),
        )),
    )


LEAVES = (Leaf("1.1", D(6)), Leaf("1.2", D(4)), Leaf("2.1", D(10)))


def component(key: str = "routine", weight: Decimal = Decimal(100)) -> Component:
    return Component(key, "常态化工作", UUID(int=7), 1, weight, D("0.5"), LEAVES)


def setup(method: str = "mean", quorum: int = 1, trim: int = 1) -> Setup:
    return Setup(
        name="2019—2020学年度校本教研述职述研评议",
        components=(component(),),
        aggregation=Aggregation(method, trim),
        quorum=quorum,
        tiers=(Tier("优秀", D(90)), Tier("合格", D(60)), Tier("不合格", D(0))),
        groups=(RankingGroup("yiguanzhi", "一贯制学校组", 8),
                RankingGroup("yilei", "一类小学组", 6)),
    )


def open_assessment(
    schools: int = 2, judges: int = 3, method: str = "mean", quorum: int = 1
) -> tuple[Assessment, list[UUID], list[UUID]]:
    a = Assessment.create(setup(method, quorum), cause())
    subject_ids = [a.add_subject(subject_for(a.id, "school", uuid4(), f"学校{i}", "yiguanzhi"),
                                 cause()) for i in range(schools)]
    judge_ids = [uuid4() for _ in range(judges)]
    for j in judge_ids:
        a.add_judge(j, "评委", (), cause())
    a.advance("open", cause())
    return a, subject_ids, judge_ids
