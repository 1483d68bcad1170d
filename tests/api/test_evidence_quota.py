"""存储配额: a tenant's evidence quota and each user's daily limit; past either, 413 with the
limit and the usage, in Chinese; the operator sees each tenant's usage."""

import dataclasses
import os
from datetime import date

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from domain.errors import OverQuota
from domain.evidence import Evidence
from services.evidence import UploadLimits
from tests.api.flow import bearer, create_tenant
from tests.api.test_activities import reporter_of
from tests.api.test_evidence import stored_files
from tests.api.test_evidence_guard import Body, form, post
from tests.conftest import OPERATOR_TOKEN
from tests.evidence_files import pdf

FILE = pdf(os.urandom(100_000))  # each file is a little over 100 KB
SIZE = len(FILE)


def limited(container, **limits):
    return dataclasses.replace(container, settings=dataclasses.replace(container.settings,
                                                                       **limits))


def send(client, api, content: bytes = FILE):
    return client.post(api.url("/evidence"), files={"file": ("记录.pdf", content)},
                       headers=bearer(api.token))


@pytest.fixture
def school(client, new_slug):
    admin = create_tenant(client, new_slug(), "平罗县教研室")
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "g", "stage": "小学"})["id"]
    return admin, school


def test_past_the_tenant_quota_an_upload_is_413_with_the_limit_and_usage(container, school,
                                                                         client) -> None:
    admin, school_id = school
    small = limited(container, evidence_quota_bytes=2 * SIZE + 10)
    first, second = reporter_of(admin, school_id), reporter_of(admin, school_id)
    with TestClient(create_app(small)) as limited_client:
        assert send(limited_client, first).status_code == 201
        assert send(limited_client, second, pdf(os.urandom(100_000))).status_code == 201
        before = stored_files(container)
        r = send(limited_client, first, pdf(os.urandom(100_000)))
        assert r.status_code == 413, r.text
        problem = r.json()
        assert problem["detail"].startswith("本区县佐证材料存储配额为 0.2 MB，已使用 0.2 MB")
        assert problem["limit_bytes"] == 2 * SIZE + 10
        assert problem["used_bytes"] == 2 * SIZE
        assert stored_files(container) == before  # the refused file is not kept
        # A file that cannot fit is refused from its declared length, before it is read.
        whole = form(pdf(os.urandom(100_000)))
        body = Body(iter([whole]))
        assert post(create_app(small), first.url("/evidence"), body, first.token,
                    length=len(whole)) == 413
        assert body.yielded == 0
    listed = {t["slug"]: t for t in client.get(
        "/api/v1/tenants", headers=bearer(OPERATOR_TOKEN)).json()}
    mine = listed[admin.slug]
    assert (mine["evidence_bytes"], mine["evidence_files"]) == (2 * SIZE, 2)
    assert mine["evidence_quota_bytes"] == 5 * 1024 ** 3  # the default quota, 5 GiB


def test_past_a_users_daily_limit_an_upload_is_413_and_others_still_upload(container,
                                                                           school) -> None:
    admin, school_id = school
    small = limited(container, evidence_daily_bytes_per_user=SIZE + SIZE // 2)
    first, second = reporter_of(admin, school_id), reporter_of(admin, school_id)
    with TestClient(create_app(small)) as limited_client:
        assert send(limited_client, first).status_code == 201
        r = send(limited_client, first, pdf(os.urandom(100_000)))
        assert r.status_code == 413, r.text
        assert r.json()["detail"].startswith(
            "每位用户每天最多上传 0.1 MB 佐证材料，今天已上传 0.1 MB")
        assert r.json()["used_bytes"] == SIZE
        assert send(limited_client, second).status_code == 201  # another user's own day


def test_two_uploads_at_once_cannot_both_pass_the_quota(tenant, monkeypatch) -> None:
    """The usage is saved with each upload, by version: an upload that counted on a usage
    another upload has since changed is counted again, and refused if it no longer fits."""
    app, cause, today = tenant.app, tenant.admin, date(2026, 12, 1)
    limits = UploadLimits(quota_bytes=150, daily_bytes_per_user=10**9)
    stale = app.evidence_usage(cause)  # read by the second upload before the first is saved
    app.register_evidence("a" * 64, 100, "application/pdf", "a.pdf", today, today, limits,
                          cause)
    counted = app.evidence_usage
    given = iter([stale])
    monkeypatch.setattr(app, "evidence_usage", lambda c: next(given, None) or counted(c))
    with pytest.raises(OverQuota):
        app.register_evidence("b" * 64, 100, "application/pdf", "b.pdf", today, today, limits,
                              cause)
    assert app.evidence_bytes() == (100, 1)


def test_usage_begins_from_the_uploads_already_in_the_log(tenant) -> None:
    """Tenants with evidence from before usage was kept: their quota counts it."""
    app, cause, today = tenant.app, tenant.admin, date(2026, 12, 1)
    app.write(Evidence(sha256="c" * 64, size=70, content_type="application/pdf",
                       filename="old.pdf", dated=today, cause=cause))
    assert app.evidence_bytes() == (70, 1)
    limits = UploadLimits(quota_bytes=100, daily_bytes_per_user=10**9)
    with pytest.raises(OverQuota):
        app.register_evidence("d" * 64, 40, "application/pdf", "d.pdf", today, today, limits,
                              cause)
    app.register_evidence("d" * 64, 30, "application/pdf", "d.pdf", today, today, limits, cause)
    assert app.evidence_bytes() == (100, 2)
