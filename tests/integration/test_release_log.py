"""Old data keeps working: the log written by release 088d793, restored into a new tenant,
reads exactly as that release answered (tests/fixtures/release_088d793, made by
tests/fixtures/make_release_log.py; never regenerate it).

The comparison rule, for this release and every later one:

* Every key of an old answer must be present in the new answer, with an equal value. NEW keys
  are allowed in any object: the API contract extends answers, never renames (later releases
  add names beside ids, chain information, ...).
* Lists keep their length and their order, element by element under the same rule.
* Equal means: timestamps (strings holding a date and a time with an offset) denote the same
  instant, compared with ``datetime.fromisoformat``, so an answer in +08:00 matches one in UTC;
  an old number equals a new number or decimal string of the same value, compared as Decimals
  (82.0, 82 and "82.00" match); everything else, ids included, is compared exactly, since a
  restore keeps every id, version and position.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.export import export_log, verify_export
from adapters.postgres.versions import schema_of
from adapters.restore import restore_log
from domain.errors import RuleViolated, StateConflict
from tests.api.flow import Api
from tests.integration.release_answers import assert_answers_as_before, differences

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release_088d793"
EXPECTED: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
BASE = f"/assessments/{EXPECTED['assessment_id']}"


def test_number_strings_on_the_old_side_stay_strings() -> None:
    """Leaf codes such as "1.1" are text: only an old JSON number matches a decimal string."""
    assert differences({"code": "1.1", "v": 82.0, "at": "2020-06-21T04:00:00Z"},
                       {"code": "1.1", "v": "82.00", "at": "2020-06-21T12:00:00+08:00",
                        "name": "新"}) == []
    assert differences({"code": "1.1"}, {"code": "1.10"}) and differences({"v": 1}, {"v": True})
    assert differences({"at": "2020-06-21T04:00:00Z"}, {"at": "2020-06-21T04:00:00"})


@pytest.fixture
def restored(container, new_slug, client) -> Api:
    """The fixture's log in a new tenant, its views built; read as its admin (tokens are not
    in a log: the restore issues one to the admin the log was created with)."""
    slug = new_slug()
    with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines:
        tenant = restore_log(container, slug, "珠晖区教育局教研室", lines)
    assert tenant.events == EXPECTED["events"]
    container.projector.catch_up(slug)
    assert container.caught_up(slug)
    return Api(client, slug, tenant.admin_token)


def test_the_kept_export_still_verifies_on_its_own() -> None:
    with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines:
        report = verify_export(lines)
    assert report.ok and report.length == EXPECTED["events"]
    assert report.head == EXPECTED["audit_verify"]["head"]


@pytest.mark.parametrize("read", ["assessment", "scoreboard", "results", "assessment_verify",
                                  "audit_verify"])
def test_the_restored_round_reads_as_release_088d793_answered(restored, read) -> None:
    path = {"assessment": BASE, "scoreboard": BASE + "/scoreboard",
            "results": BASE + "/results", "assessment_verify": BASE + "/verify",
            "audit_verify": "/audit/verify"}[read]
    assert_answers_as_before(EXPECTED[read], restored.get(path))


@pytest.mark.parametrize("read", ["scoreboard_group", "scoreboard_as_of"])
def test_a_group_board_and_the_board_as_it_stood_read_as_before(restored, read) -> None:
    """``as_of`` is the recorded time of the declared recusal: the replay finds the same
    position only if the restore kept every recorded time."""
    expected = EXPECTED[read]
    assert_answers_as_before(expected["answer"],
                             restored.get(BASE + "/scoreboard", **expected["params"]))


def test_every_page_of_the_history_reads_as_before(restored) -> None:
    """Who, when (the recorded ``at``), what from → to, and why, page by page."""
    for page in EXPECTED["history"]:
        assert_answers_as_before(page["answer"],
                                 restored.get(BASE + "/history", **page["params"]))


def test_exported_again_the_restored_log_is_the_same_line_for_line(restored, container):
    out = io.StringIO()
    with container.tenant_db(restored.slug) as conn:
        export_log(conn, schema_of(restored.slug), restored.slug, out)
    again = out.getvalue().splitlines()
    kept = (FIXTURE / "log.jsonl").read_text(encoding="utf-8").splitlines()
    # The header names the tenant, and the restored one has a slug of its own: only that differs.
    assert json.loads(again[0]) == json.loads(kept[0]) | {"tenant": restored.slug}
    assert again[1:] == kept[1:]


def test_a_restored_tenant_writes_on_after_the_restored_positions(restored) -> None:
    written = restored.post("/schools", {"name": "东阳渡小学", "group": "小学组",
                                         "stage": "小学"})
    # The first name check on an older log also claims the names it already holds
    # (docs/adr/0007), in the same save: the new school's event is the last one written.
    assert written["position"] > EXPECTED["events"]
    chain = restored.get("/audit/verify")
    assert chain["ok"] and chain["length"] == written["position"]
    duplicate = restored.post("/schools", {"name": "南钢学校", "group": "小学组",
                                           "stage": "小学"}, expect=None)
    assert duplicate.status_code == 409  # a name from the restored log is taken


def test_a_tampered_export_is_refused_and_leaves_no_tenant(container, new_slug) -> None:
    lines = (FIXTURE / "log.jsonl").read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[40])
    event["originator_version"] = 99
    slug = new_slug()
    with pytest.raises(RuleViolated, match=f"first bad position: {event['position']}"):
        restore_log(container, slug, "篡改", [*lines[:40], json.dumps(event), *lines[41:]])
    assert container.catalogue.get(slug) is None


def test_restoring_into_a_tenant_that_exists_is_refused(container, tenant) -> None:
    before = tenant.app.position()
    with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines, pytest.raises(StateConflict):
        restore_log(container, tenant.slug, "重复", lines)
    assert tenant.app.position() == before
