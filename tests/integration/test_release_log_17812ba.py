"""Old data keeps working: the log written by release 17812ba, restored into a new tenant,
reads exactly as that release answered (tests/fixtures/release_17812ba, made once at that
release by tests/fixtures/make_release_log_17812ba.py playing tests/fixtures/release_year.py;
never regenerate it).

The year in it touches what issues 14, 15 and 16 added: org nodes and a scoped 县 admin, terms,
a school sheet imported, 考核组 with chairs, per-subject components, windows with late work
flagged, the 出场安排, 评语 and 综合评价意见 published, a recusal, a reopened card, an annual
review with a manual part and a correction after publication, co-hosted activities, and
compliance rules by form and by term.

The comparison rule is test_release_log.py's (tests/integration/release_answers.py). Each
read-out is asked exactly as it was asked of 17812ba (path and parameters kept in
``expected.json``), as the restored tenant's admin.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.export import export_log, verify_export
from adapters.postgres.versions import schema_of
from adapters.restore import restore_log
from tests.api.flow import Api
from tests.conftest import drop_tenant
from tests.integration.release_answers import assert_answers_as_before, instant

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release_17812ba"
EXPECTED: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
READS: dict[str, Any] = EXPECTED["reads"]
# Keys that say when the answer was given (the moment of reading), not what the log holds:
# compared as "still an instant", not as the same instant.
MOMENT_OF_READING = {"deadlines": ("at",)}


@pytest.fixture(scope="module")
def restored(container, client) -> Iterator[Api]:
    """The fixture's log in a new tenant, its views built; read as its admin (tokens are not
    in a log: the restore issues one to the admin the log was created with). One restore for
    the module: every test here only reads."""
    slug = f"t{uuid.uuid4().hex[:12]}"
    try:
        with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines:
            tenant = restore_log(container, slug, EXPECTED["tenant_name"], lines)
        assert tenant.events == EXPECTED["events"]
        container.projector.catch_up(slug)
        assert container.caught_up(slug)
        yield Api(client, slug, tenant.admin_token)
    finally:
        drop_tenant(container, slug)


def test_the_kept_export_still_verifies_on_its_own() -> None:
    with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines:
        report = verify_export(lines)
    assert report.ok and report.length == EXPECTED["events"]
    assert report.head == READS["audit_verify"]["answer"]["head"]


@pytest.mark.parametrize("read", list(READS))
def test_the_restored_year_reads_as_release_17812ba_answered(restored, read) -> None:
    """Assessment, boards (whole, one 考核组, as of a moment), results with the published
    opinions, every history page, windows, deadlines, 出场安排, progress, a self-assessment,
    the annual review (list, read, board, board as of version 1, history, verify), compliance
    for two periods, org nodes, terms, schools, communities, activities, both verifies."""
    kept = READS[read]
    old = dict(kept["answer"]) if isinstance(kept["answer"], dict) else kept["answer"]
    new = restored.get(kept["path"], **kept["params"])
    for key in MOMENT_OF_READING.get(read, ()):
        del old[key]
        assert instant(new[key]) is not None
    assert_answers_as_before(old, new)


def test_the_chain_and_the_annual_review_verify(restored) -> None:
    chain = restored.get("/audit/verify")
    assert chain["ok"] and chain["length"] == EXPECTED["events"]
    assert restored.get(f"/assessments/{EXPECTED['assessment_id']}/verify")["ok"]
    review = restored.get(f"/annual-reviews/{EXPECTED['review_id']}/verify")
    assert review["ok"] and review["version"] == 3


def test_exported_again_the_restored_log_is_the_same_line_for_line(restored, container):
    out = io.StringIO()
    with container.tenant_db(restored.slug) as conn:
        export_log(conn, schema_of(restored.slug), restored.slug, out)
    again = out.getvalue().splitlines()
    kept = (FIXTURE / "log.jsonl").read_text(encoding="utf-8").splitlines()
    # The header names the tenant, and the restored one has a slug of its own: only that differs.
    assert json.loads(again[0]) == json.loads(kept[0]) | {"tenant": restored.slug}
    assert again[1:] == kept[1:]


def test_the_restored_annual_review_takes_a_new_manual_part(container, new_slug, client):
    """The current code writes on an annual review 17812ba wrote: version 4 follows the
    restored three, after the restored positions, and the chain and the review still verify.
    (A restore of its own: the module's restored tenant is only read.)"""
    slug = new_slug()
    with (FIXTURE / "log.jsonl").open(encoding="utf-8") as lines:
        tenant = restore_log(container, slug, EXPECTED["tenant_name"], lines)
    container.projector.watch(slug)  # the background projector follows this one's writes
    api = Api(client, slug, tenant.admin_token)
    review = f"/annual-reviews/{EXPECTED['review_id']}"
    school = next(s["id"] for s in READS["schools"]["answer"] if s["name"] == "云集中学")
    before = next(line["total"] for line in READS["annual_board"]["answer"]["lines"]
                  if line["school_id"] == school)
    written = api.post(review + "/manual-parts", {
        "school_id": school, "label": "教务处日常工作", "points": 10,
        "reason": "恢复之后补录"})
    assert written["version"] == 4 and written["position"] > EXPECTED["events"]
    board = api.get(review + "/board", after=written["position"])
    assert board["version"] == 4
    line = next(line for line in board["lines"] if line["school_id"] == school)
    assert round(line["total"] - before, 2) == 10
    assert [v["what"] for v in board["versions"]] == [
        "created", "manual", "source_corrected", "manual"]
    chain = api.get("/audit/verify")
    assert chain["ok"] and chain["length"] >= written["position"]
    assert api.get(review + "/verify") == {"ok": True, "version": 4, "mismatches": []}
