"""A small district on the in-memory tenant application, for 回避 specs and properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.popo import POPOFactory
from eventsourcing.utils import Environment

from adapters.postgres.mapper import MsgspecMapper
from domain.assessment import Aggregation, Assessment, Period, RankingGroup
from domain.cause import Cause
from domain.user import Affiliation
from services.application import TenantApplication
from services.setup import ComponentSpec, SetupSpec
from tests.factories import cause, small_indicators

D = Decimal
PERIOD = Period(date(2019, 9, 1), date(2020, 6, 30))
ADMIN = cause()


def in_memory() -> TenantApplication:
    """The tenant application on the library's in-memory storage (STYLE.md: specs in memory)."""
    env = Environment("Kaoping", {"IS_SNAPSHOTTING_ENABLED": "n"})
    return TenantApplication(POPOFactory(env), MsgspecMapper())


@dataclass
class World:
    """A small district: four schools, two communities, a 教研组, a studio, three judges."""

    app: TenantApplication
    schools: list[UUID] = field(default_factory=list)
    communities: list[UUID] = field(default_factory=list)
    units: list[UUID] = field(default_factory=list)
    judges: list[UUID] = field(default_factory=list)
    teacher: UUID | None = None
    assessments: list[UUID] = field(default_factory=list)

    def assessment(self, i: int = 0) -> Assessment:
        return self.app.assessment(self.assessments[i])

    def add_subject(self, kind: str, ref: UUID, i: int = 0) -> UUID:
        return self.app.add_subject(self.assessments[i], kind, ref, "g", ADMIN)[1]


def world(affiliated: bool = False) -> World:
    app = in_memory()
    w = World(app)
    w.schools = [app.register_school(f"学校{i}", "g", "初中", None, False, ADMIN).id
                 for i in range(4)]
    w.communities = [
        app.register_community("城东共同体", "integrated", "县域", w.schools[0],
                               (w.schools[1],), PERIOD.starts_on, ADMIN).id,
        app.register_community("城西共同体", "co_built", "县域", w.schools[2], (),
                               PERIOD.starts_on, ADMIN).id,
    ]
    w.teacher = app.register_user("教师", "teacher", (), ADMIN).id
    w.judges = [app.register_user(f"评委{i}", "judge", (), ADMIN).id for i in range(3)]
    w.units = [
        app.register_unit("research_group", "语文教研组", w.schools[3], "语文", None, (),
                          ADMIN).id,
        app.register_unit("studio", "名师工作室", None, "数学", w.teacher, (), ADMIN).id,
    ]
    if affiliated:  # the property starts from judges tied to a school, a community, a unit
        for judge, tie in zip(w.judges, (Affiliation("school", w.schools[0]),
                                         Affiliation("community", w.communities[0]),
                                         Affiliation("unit", w.units[0])), strict=True):
            app.change_affiliations(judge, (tie,), cause(reason="录入任职"))
    rubric = app.draft_rubric("细则", D("0.5"), small_indicators(), ADMIN)
    app.publish_rubric(rubric.id, ADMIN)
    for period in (PERIOD, None):  # communities are assessed over a period; schools need none
        spec = SetupSpec("考核", (ComponentSpec("routine", "常态化", rubric.id, 1, D(100)),),
                         Aggregation("mean"), 1, (), (RankingGroup("g", "一贯制学校组"),),
                         period=period)
        w.assessments.append(app.create_assessment(spec, ADMIN).id)
    return w


def judge_cause(judge_id: UUID) -> Cause:
    return Cause(str(judge_id), "judge", "req-j")


def recusal(a: Assessment, judge: UUID, subject: UUID) -> str | None:
    return a.recusals.get(f"{judge}/{subject}")


def history(app: TenantApplication, aggregate_id: UUID) -> list:
    return list(app.repository.event_store.get(aggregate_id))
