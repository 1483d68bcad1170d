"""学期日历 as a page: the admin enters the tenant's terms (which rules every term or school
year follow) as ``PUT /terms`` takes them, refusals beside their fields with what was typed
kept; the terms are the whole tenant's, so only an unscoped admin edits them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.activity_pages_flow import District, district, refusals_in_chinese


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def d(pages, new_slug) -> District:
    return district(pages, new_slug())


def terms_form(*rows: tuple[str, str, str]) -> dict[str, str]:
    form = {"rows": str(len(rows))}
    for i, (name, starts_on, ends_on) in enumerate(rows):
        form |= {f"name_{i}": name, f"starts_on_{i}": starts_on, f"ends_on_{i}": ends_on}
    return form


AUTUMN = ("2026—2027学年第一学期", "2026-09-01", "2027-01-22")
SPRING = ("2026—2027学年第二学期", "2027-02-22", "2027-07-02")


def test_the_admin_enters_the_terms_and_the_compliance_windows_follow_them(d):
    d.as_admin()
    home = d.pages.get(f"{d.t}/admin/compliance")
    assert f'href="{d.t}/admin/compliance/terms">学期日历' in home.text
    page = f"{d.t}/admin/compliance/terms"
    saved = d.post(page, page, terms_form(SPRING, AUTUMN, ("", "", "")))
    assert saved.status_code == 303, saved.text
    assert d.admin.get("/terms")["terms"] == [
        {"name": n, "starts_on": s, "ends_on": e} for n, s, e in (AUTUMN, SPRING)]
    again = d.pages.get(saved.headers["location"])
    assert "学期日历已保存" in again.text
    assert 'value="2026—2027学年第一学期"' in again.text and 'value="2027-07-02"' in again.text

    d.admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "term"}]})
    shown = d.pages.get(f"{d.t}/admin/compliance?start=2026-08-15&end=2027-03-31")
    assert "尚未设置学期日历" not in shown.text
    assert "2026—2027学年第一学期：2026-09-01 至 2027-01-22" in shown.text

    emptied = d.post(page, page, terms_form(AUTUMN, ("", "", "")))  # the spring term removed
    assert emptied.status_code == 303
    assert [t["name"] for t in d.admin.get("/terms")["terms"]] == [AUTUMN[0]]


def test_a_refused_term_is_shown_beside_its_field_and_nothing_is_saved(d):
    d.admin.put("/terms", {"terms": [dict(zip(("name", "starts_on", "ends_on"), AUTUMN,
                                               strict=True))]})
    d.as_admin()
    page = f"{d.t}/admin/compliance/terms"
    refused = d.post(page, page, terms_form(
        ("第一学期", "2027-01-22", "2026-09-01"), ("", "2027-02-30", "2027-07-02")))
    assert refused.status_code == 422, refused.text
    refusals_in_chinese(refused.text)
    assert 'id="name_1-error">必填' in refused.text
    assert 'id="starts_on_1-error">' in refused.text
    assert 'value="2027-02-30"' in refused.text and 'value="第一学期"' in refused.text
    assert [t["name"] for t in d.admin.get("/terms")["terms"]] == [AUTUMN[0]]

    backwards = d.post(page, page, terms_form(("第一学期", "2027-01-22", "2026-09-01")))
    assert backwards.status_code == 422
    assert 'id="ends_on_0-error">结束早于开始' in backwards.text

    overlap = d.post(page, page, terms_form(AUTUMN, ("寒假补课", "2027-01-10", "2027-02-01")))
    assert overlap.status_code == 422
    assert "2026—2027学年第一学期与寒假补课时间重叠" in overlap.text
    refusals_in_chinese(overlap.text)
    assert [t["name"] for t in d.admin.get("/terms")["terms"]] == [AUTUMN[0]]


def test_only_an_admin_of_the_whole_tenant_edits_the_terms(d):
    page = f"{d.t}/admin/compliance/terms"
    d.as_reporter()
    assert d.pages.get(page).status_code == 403
    d.sign_in("监察室王老师", "auditor")
    assert d.pages.get(page).status_code == 403
    assert "学期日历" not in d.pages.get(f"{d.t}/admin/compliance").text
    county = d.admin.post("/org/nodes", {"level": "county", "name": "利通区"})["id"]
    d.sign_in("利通区教研室", "admin")
    d.pages.cookies.clear()
    scoped = d.admin.post("/users", {"name": "利通区管理员", "role": "admin", "scope": county})
    d.sign_in_as(scoped["id"])
    assert d.pages.get(page).status_code == 403
    assert "学期日历" not in d.pages.get(f"{d.t}/admin/compliance").text
