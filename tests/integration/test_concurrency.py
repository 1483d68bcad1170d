"""Two judges never conflict; two writes to one card at once: one wins, one gets 409."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from eventsourcing.persistence import IntegrityError

from adapters.http.errors import EXCEPTION_HANDLERS
from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from domain.cause import Cause
from domain.scorecard import CardKey
from services.application import TenantApplication
from tests.integration.scenario import scored_assessment

D = Decimal


def test_judges_writing_different_cards_at_once_never_conflict(tenant) -> None:
    scenario = scored_assessment(tenant)
    app = tenant.app
    judges = []
    for i in range(6):
        judge = app.register_user(f"评委{i}", "judge", (), tenant.admin)
        app.add_judge(scenario.assessment_id, judge.id, tenant.admin)
        judges.append(judge.id)

    def score(judge_id):
        cause = Cause(str(judge_id), "judge", "r")
        for subject in scenario.subjects:
            key = CardKey(scenario.assessment_id, subject, "routine", judge_id)
            app.record_scores(key, {"1.1": D(6), "1.2": D(4), "2.1": D(9)}, cause)
            app.submit_card(key, cause)
        return True

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(score, judges))


def test_two_writes_to_one_card_at_once_one_wins_and_nothing_is_lost(container, tenant):
    scenario = scored_assessment(tenant)
    judge = scenario.judges[0]
    key = CardKey(scenario.assessment_id, scenario.subjects[0], "routine", judge)
    cause = Cause(str(judge), "judge", "r", "复核")
    # Two servers, each holding the card as it stands (version 4, submitted).
    other = TenantApplication(
        tenant_factory(container.pool, schema_of(tenant.slug),
                       role=container.roles.name(tenant.slug), create_tables=False),
        MsgspecMapper())
    first, second = tenant.app.card(key), other.card(key)
    leaves = tenant.app.assessment(key.assessment_id).component("routine").leaves
    for card, points in ((first, D(7)), (second, D(5))):  # each reopens it, then rescores
        card.reopen(cause)
        card.record({"2.1": points}, leaves, D("0.5"), cause)
    tenant.app.save(first)
    with pytest.raises(IntegrityError):
        other.save(second)
    assert tenant.app.card(key).scores["2.1"] == D(7)  # the winner's write is kept whole
    response = EXCEPTION_HANDLERS[IntegrityError](None, IntegrityError("duplicate"))
    assert response.status_code == 409
