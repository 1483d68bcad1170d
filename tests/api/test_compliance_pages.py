"""常规达标 as pages: who meets the tenant's frequency rules in each window and who is
behind (with the windows missed), and the rules' editor with refusals beside the fields."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.activity_pages_flow import District, district, refusals_in_chinese

PERIOD = "start=2026-11-02&end=2026-11-15"  # two whole weeks, Monday to Sunday


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def d(pages, new_slug) -> District:
    return district(pages, new_slug())


def rules_form(**rows: dict[str, str]) -> dict[str, str]:
    form = {"rows": str(len(rows))}
    for i, row in enumerate(rows.values()):
        form |= {f"{k}_{i}": v for k, v in row.items()}
    return form


def test_the_admin_sets_the_rules_and_sees_who_is_behind_with_the_missing_windows(d):
    aid = d.apply(planned_on="2026-11-03")
    d.advance(aid, "held")  # held on 2026-11-10, 2 periods: the second week
    first_week = d.apply(planned_on="2026-11-04")
    d.advance(first_week, "confirmed")
    d.reporter.post(f"/activities/{first_week}/hold", {"held_on": "2026-11-04", "periods": 2},
                    expect=200)
    d.as_admin()
    empty = d.pages.get(f"{d.t}/admin/compliance?{PERIOD}")
    assert empty.status_code == 200 and "尚未设置频次规则" in empty.text

    rules = f"{d.t}/admin/compliance/rules"
    saved = d.post(rules, rules, rules_form(a={
        "unit_kind": "research_group", "every": "week", "min_activities": "1",
        "min_periods": "2", "counts": "held"}, b={"unit_kind": "", "every": ""}))
    assert saved.status_code == 303, saved.text
    again = d.pages.get(saved.headers["location"])
    assert "规则已保存" in again.text and 'value="research_group" selected' in again.text

    shown = d.pages.get(f"{d.t}/admin/compliance?{PERIOD}")
    assert "教研组 每周至少 1 次、2 课时" in shown.text
    assert "2 个单位，" in shown.text and "1 个未达标" in shown.text
    rows = shown.text.split('<tbody>')[1]
    yuwen = rows.split("语文教研组")[1].split("</tr>")[0]
    assert "达标" in yuwen and "未达标" not in yuwen and "2/2 个时段" in yuwen
    shuxue = rows.split("数学教研组")[1].split("</tr>")[0]
    assert "未达标" in shuxue and "0/2 个时段" in shuxue
    assert "2026-11-02 至 2026-11-08" in shuxue and "2026-11-09 至 2026-11-15" in shuxue

    behind = d.pages.get(f"{d.t}/admin/compliance?{PERIOD}&behind=1")
    assert "数学教研组" in behind.text and "语文教研组" not in behind.text.split("<tbody>")[1]


def test_a_refused_rule_is_shown_beside_its_field_and_nothing_typed_is_lost(d):
    d.as_admin()
    rules = f"{d.t}/admin/compliance/rules"
    refused = d.post(rules, rules, rules_form(
        a={"unit_kind": "community", "every": "semester", "min_activities": "1"},
        b={"unit_kind": "research_group", "every": "", "min_activities": "abc",
           "min_periods": "500"}))
    assert refused.status_code == 422, refused.text
    refusals_in_chinese(refused.text)
    assert 'id="min_activities_1-error">请填写整数' in refused.text
    assert 'id="every_1-error">必填' in refused.text
    assert 'id="min_periods_1-error">不能大于 400' in refused.text
    assert 'value="abc"' in refused.text and 'value="500"' in refused.text
    assert 'value="community" selected' in refused.text  # the first row as typed
    assert d.admin.get("/compliance", period="2026-11-02..2026-11-15")["units"] == []


def test_a_period_that_is_not_one_is_refused_beside_it(d):
    d.as_admin()
    r = d.pages.get(f"{d.t}/admin/compliance?start=2026-11-15&end=2026-11-01")
    assert r.status_code == 422 and 'id="end-error">期间的结束日期早于开始日期' in r.text
    refusals_in_chinese(r.text)
    r = d.pages.get(f"{d.t}/admin/compliance?start=yesterday")
    assert r.status_code == 422 and 'id="start-error">须为日期' in r.text
    assert 'value="yesterday"' in r.text


def test_auditors_read_compliance_as_the_api_lets_them_and_only_admins_edit_rules(d):
    d.as_reporter()
    assert d.pages.get(f"{d.t}/admin/compliance").status_code == 403
    assert d.pages.get(f"{d.t}/admin/compliance/rules").status_code == 403
    d.sign_in("监察室王老师", "auditor")
    read = d.pages.get(f"{d.t}/admin/compliance")
    assert read.status_code == 200 and "编辑频次规则" not in read.text
    assert d.pages.get(f"{d.t}/admin/compliance/rules").status_code == 403
    d.sign_in("评委张老师", "judge")
    assert d.pages.get(f"{d.t}/admin/compliance/rules").status_code == 403


def test_unit_names_are_escaped(pages, new_slug):
    d = district(pages, new_slug(), school_name="<script>alert(1)</script>小学")
    d.admin.put("/compliance-rules", {"rules": [{"unit_kind": "school", "every": "month"}]})
    d.as_admin()
    text = pages.get(f"{d.t}/admin/compliance?{PERIOD}").text
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;小学" in text


TERMS = {"terms": [
    {"name": "2026—2027学年第一学期", "starts_on": "2026-09-01", "ends_on": "2027-01-22"},
    {"name": "2026—2027学年第二学期", "starts_on": "2027-02-22", "ends_on": "2027-07-02"}]}


def test_a_term_rule_shows_the_term_s_own_dates_as_the_window_missed(d):
    """The page once computed the missed windows again, as two-week steps for a rule every
    term: it showed 2026-09-01 至 2026-09-13 for the autumn term."""
    d.admin.put("/terms", TERMS)
    d.admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "term"},
        {"unit_kind": "research_group", "every": "school_year", "min_activities": 2}]})
    d.advance(d.apply(planned_on="2026-11-10"), "held")  # 语文教研组, 2026-11-10
    d.as_admin()
    shown = d.pages.get(f"{d.t}/admin/compliance?start=2026-08-15&end=2027-03-31")
    assert shown.status_code == 200
    assert "尚未设置学期日历" not in shown.text
    assert "每个学期（按学期日历）至少 1 次" in shown.text
    rows = shown.text.split("<tbody>")[1].split("</tr>")
    by_term = [r for r in rows if "每个学期" in r]
    yuwen = next(r for r in by_term if "语文教研组" in r)
    assert "1/2 个时段" in yuwen
    assert "2026—2027学年第二学期：2027-02-22 至 2027-03-31" in yuwen
    shuxue = next(r for r in by_term if "数学教研组" in r)
    assert "2026—2027学年第一学期：2026-09-01 至 2027-01-22" in shuxue
    assert "2026—2027学年第二学期：2027-02-22 至 2027-03-31" in shuxue
    assert "2026-09-13" not in shown.text
    yearly = next(r for r in rows if "每学年" in r and "语文教研组" in r)
    assert "0/1 个时段" in yearly and "2026—2027学年：2026-09-01 至 2027-03-31" in yearly


def test_a_rule_by_the_terms_says_so_while_the_tenant_has_no_terms(d):
    d.admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "school_year"}]})
    d.as_admin()
    shown = d.pages.get(f"{d.t}/admin/compliance?{PERIOD}")
    assert "尚未设置学期日历" in shown.text and "0/0 个时段" in shown.text
    d.admin.put("/terms", TERMS)
    assert "尚未设置学期日历" not in d.pages.get(f"{d.t}/admin/compliance?{PERIOD}").text


class Shown(HTMLParser):
    """The fields of a page's form as a browser would send them untouched: inputs with their
    values, each select's selected option (or its first)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            self.fields[str(a["name"])] = a.get("value") or ""
        elif tag == "select":
            self._select, self._first = a.get("name"), True
        elif tag == "option" and self._select:
            if self._first or "selected" in a:
                self.fields[self._select] = a.get("value") or ""
            self._first = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def rules_of(container: Any, d: District) -> tuple[Any, ...]:
    return container.app(d.admin.slug).settings().rules


def shown_fields(text: str) -> dict[str, str]:
    form = text.split('class="rules-form"')[1].split("</form>", maxsplit=1)[0]
    parser = Shown()
    parser.feed(form)
    return {k: v for k, v in parser.fields.items() if k != "_csrf_token"}


def test_a_rule_s_forms_survive_a_save_from_the_page_and_a_new_one_takes_forms(d, container):
    """The editor once rebuilt each rule without its forms: saving the page turned 党建联盟's
    one 主题党日 or 研讨会 per term into any activity per term."""
    for form in ("主题党日", "研讨会"):
        d.admin.post("/activity-forms", {"name": form})
    d.admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "community", "every": "term", "forms": ["主题党日", "研讨会"]},
        {"unit_kind": "zone", "every": "month"},
        {"unit_kind": "school", "every": "school_year", "counts": "planned"}]})
    before = d.admin.get("/compliance", period="2026-09-01..2026-09-30")
    d.as_admin()
    rules = f"{d.t}/admin/compliance/rules"
    page = d.pages.get(rules)
    assert 'value="主题党日、研讨会"' in page.text and '<option value="研讨会">' in page.text
    assert 'list="forms-known"' in page.text  # the field's attributes are not escaped
    assert all(f'value="{k}"' in page.text for k in ("term", "school_year"))
    fields = shown_fields(page.text)
    assert fields["forms_0"] == "主题党日、研讨会" and fields["every_2"] == "school_year"
    assert fields["unit_kind_1"] == "zone" and fields["counts_2"] == "planned"

    saved = d.post(rules, rules, fields)  # saved as shown, nothing changed
    assert saved.status_code == 303, saved.text
    kept = d.admin.get("/compliance", period="2026-09-01..2026-09-30")
    assert kept == before
    assert [(r.unit_kind, r.every, r.counts, r.forms) for r in rules_of(container, d)] == [
        ("community", "term", "held", ("主题党日", "研讨会")), ("zone", "month", "held", ()),
        ("school", "school_year", "planned", ())]

    fields = shown_fields(d.pages.get(rules).text)
    fields |= {"unit_kind_3": "research_group", "every_3": "term", "min_activities_3": "1",
               "counts_3": "held", "forms_3": "研讨会, 集体备课"}
    assert d.post(rules, rules, fields).status_code == 303
    assert rules_of(container, d)[3].forms == ("研讨会", "集体备课")
    assert "限研讨会、集体备课" in d.pages.get(f"{d.t}/admin/compliance?{PERIOD}").text


def test_a_form_the_tenant_does_not_have_is_refused_beside_its_row_and_kept(d, container):
    d.as_admin()
    rules = f"{d.t}/admin/compliance/rules"
    refused = d.post(rules, rules, rules_form(
        a={"unit_kind": "", "every": ""},
        b={"unit_kind": "community", "every": "term", "forms": "主题党日"}))
    assert refused.status_code == 422, refused.text
    refusals_in_chinese(refused.text)
    assert 'id="forms_1-error">主题党日不是已有的活动形式' in refused.text
    assert shown_fields(refused.text)["forms_1"] == "主题党日"
    assert rules_of(container, d) == ()
