"""Name claims, specified on the in-memory event store: records made before names were
claimed (older tenants) are still counted."""

import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from adapters.postgres.mapper import MsgspecMapper
from domain.names import DuplicateName, normalised
from domain.school import School
from services.application import TenantApplication
from tests.factories import cause


@pytest.fixture
def app() -> TenantApplication:
    env = Environment("Kaoping", {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return TenantApplication(InfrastructureFactory.construct(env), MsgspecMapper())


def older(app: TenantApplication, name: str) -> School:
    """A school saved the way older versions did: without a name claim."""
    school = School.register(name, "g", "初中", None, False, cause())
    app.save(school)
    return school


def test_names_compare_after_nfkc_and_trimming() -> None:
    assert normalised(" ＡＢＣ学校　") == normalised("ABC学校") == "ABC学校"


def test_a_name_made_before_claims_existed_still_refuses_its_duplicate(app) -> None:
    legacy = older(app, "南钢学校")
    with pytest.raises(DuplicateName) as refused:
        app.register_school("南钢学校 ", "g", "初中", None, False, cause())
    assert refused.value.holder_id == legacy.id


def test_older_duplicates_keep_one_claim_and_a_rename_frees_only_its_own(app) -> None:
    first, second = older(app, "京东学校"), older(app, "京东学校 ")
    app.register_school("湖坊学校", "g", "初中", None, False, cause())  # claims older names
    app.edit_record("school", second.id, {"name": "京东二校"}, cause(reason="去重"))
    with pytest.raises(DuplicateName) as refused:  # the first still holds 京东学校
        app.register_school("京东学校", "g", "初中", None, False, cause())
    assert refused.value.holder_id == first.id
    app.edit_record("school", first.id, {"name": "京东一校"}, cause(reason="更名"))
    app.register_school("京东学校", "g", "初中", None, False, cause())
