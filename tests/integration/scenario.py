"""A small scored assessment, written through the tenant application."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from domain.scorecard import CardKey
from services.setup import ComponentSpec, SetupSpec
from tests.factories import small_indicators

D = Decimal


@dataclass
class Scenario:
    assessment_id: UUID
    subjects: list[UUID]
    judges: list[UUID]
    last_position: int
    mean_of_first: Decimal
    history_events: int


def scored_assessment(tenant) -> Scenario:
    app, admin = tenant.app, tenant.admin
    rubric = app.draft_rubric("细则", D("0.5"), small_indicators(), admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("考核", (ComponentSpec("routine", "常态化", rubric.id, 1, D(100)),),
                     Aggregation("mean"), 1, (), (RankingGroup("g", "一贯制学校组"),))
    assessment = app.create_assessment(spec, admin)
    subjects = []
    for name in ("南钢学校", "京东学校"):
        school = app.register_school(name, "g", "初中", None, False, admin)
        subjects.append(app.add_subject(assessment.id, "school", school.id, "g", admin)[1])
    judges = []
    for name in ("评委甲", "评委乙"):
        judge = app.register_user(name, "judge", (), admin)
        app.add_judge(assessment.id, judge.id, admin)
        judges.append(judge.id)
    app.advance(assessment.id, "open", admin)
    history_events = 1 + 2 + 2 + 1  # created, 2 subjects, 2 judges, opened
    position = 0
    for j, judge in enumerate(judges):
        cause = Cause(str(judge), "judge", f"req-{j}")
        for subject in subjects:
            key = CardKey(assessment.id, subject, "routine", judge)
            app.record_scores(key, {"1.1": D(6), "1.2": D(4)}, cause)
            app.record_scores(key, {"2.1": D(10 - 2 * j)}, cause)
            position = app.submit_card(key, cause).position
            history_events += 3
    return Scenario(assessment.id, subjects, judges, position, D(19), history_events)
