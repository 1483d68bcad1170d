"""修改设置 as pages: a draft's steps 1–5 opened again from its page, prefilled from what is
saved, walked with the wizard's checks and saved as ``PATCH …/assessments/{id}`` saves (the
fields that differ, the 修改原因 in the history, the round's version); a refusal is shown at
its step with everything typed kept and nothing written; someone else's change meanwhile is
refused with the current set-up shown; an open round has no link and its edit page is a 409;
a judge is refused."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import Api
from tests.api.test_setup_pages import Wizard, as_admin, beside, text_of, world
from tests.web_session import SESSION_COOKIE, session_for


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


class StepForm(HTMLParser):
    """What a browser would post from the step's form: every input as the page filled it (a
    radio only when checked), each select's chosen option, and where it posts to."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.action, self.inside, self.select = "", False, ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == "step-form"
            self.action = a["action"] if self.inside else self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a["name"]
            self.values[self.select] = ""
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = ""
        elif tag == "form":
            self.inside = False


class Editor:
    """修改设置 walked as the browser walks it: each post sends the form as the page filled it,
    with the fields the admin changed."""

    def __init__(self, pages: TestClient[Any], slug: str, aid: str) -> None:
        self.pages, self.round = pages, f"/t/{slug}/admin/assessments/{aid}"
        self.last = pages.get(self.round + "/edit")
        assert self.last.status_code == 200, self.last.text

    @property
    def form(self) -> StepForm:
        return StepForm(self.last.text)

    def post(self, changes: dict[str, str] | None = None, go: str = "next") -> Any:
        form = self.form
        self.last = self.pages.post(form.action, data=form.values | (changes or {}) | {"go": go},
                                    follow_redirects=False)
        return self.last

    def save(self, changes: dict[str, str] | None = None) -> Any:
        """Step 5 posted: saved, the browser is sent to the round's page (post/redirect/get,
        so that reloading it posts nothing again), which says what changed."""
        r = self.post(changes)
        assert r.status_code == 303, r.text
        assert r.headers["location"].startswith(self.round + "?")
        shown = self.pages.get(r.headers["location"])
        assert shown.status_code == 200, shown.text
        return shown


def draft(admin: Api, rubric: str) -> str:
    """A draft made with the API: a period, two components (keys of their own), one group
    with a time limit, tiers with a quota."""
    rubric_id = rubric.split(":", maxsplit=1)[0]
    aid = admin.post("/assessments", {
        "name": "2025学年述职评议", "period": {"starts_on": "2025-09-01", "ends_on": "2026-07-10"},
        "components": [
            {"key": "routine", "name": "常态化工作", "rubric_id": rubric_id, "rubric_version": 1,
             "weight": 30, "kind": "routine"},
            {"key": "distinctive", "name": "特色发展", "rubric_id": rubric_id,
             "rubric_version": 1, "weight": 70, "kind": "distinctive"}],
        "groups": [{"key": "yiguan", "name": "一贯制学校组", "time_limit_minutes": 8}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}],
                  "quota": {"优秀": 0.3}}})["id"]
    return aid


def test_an_admin_changes_a_drafts_setup_in_the_steps_and_the_history_keeps_why(
        pages, new_slug, container) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = draft(admin, w["rubric"])
    admin.post(f"/assessments/{aid}/subjects", {"kind": "school", "group": "yiguan",
                                                "ref_id": w["schools"]["南钢学校"]})
    as_admin(pages, admin)
    round_page = pages.get(f"/t/{admin.slug}/admin/assessments/{aid}").text
    assert f'href="/t/{admin.slug}/admin/assessments/{aid}/edit">修改设置' in round_page

    edit = Editor(pages, admin.slug, aid)
    one = edit.form.values  # step 1 as saved
    assert "第 1 步" in edit.last.text
    assert (one["name"], one["starts_on"], one["ends_on"]) == (
        "2025学年述职评议", "2025-09-01", "2026-07-10")
    r = edit.post({"name": "2025—2026学年度述职述研评议"})
    assert r.status_code == 200 and "第 2 步" in r.text
    two = edit.form.values
    assert (two["components-name-0"], two["components-weight-0"],
            two["components-rubric-0"]) == ("常态化工作", "30", w["rubric"])
    assert (two["components-name-1"], two["components-weight-1"]) == ("特色发展", "70")
    r = edit.post({"components-weight-0": "40", "components-weight-1": "60"})
    assert "第 3 步" in r.text and edit.form.values["groups-minutes-0"] == "8"
    r = edit.post({"groups-minutes-0": "10", "groups-name-0": "一类小学组"})
    assert "第 4 步" in r.text
    r = edit.post()
    assert "第 5 步" in r.text
    five = edit.form.values
    assert (five["tiers-name-0"], five["tiers-min-0"], five["tiers-quota-0"]) == (
        "优秀", "90", "30")
    assert admin.get(f"/assessments/{aid}")["name"] == "2025学年述职评议"  # nothing yet
    saved = edit.save({"reason": "按区教研室通知调整权重与时限"})
    shown = text_of(saved.text)
    assert "设置已修改：名称、考核项目、排名组。" in shown
    assert "南钢学校 登记在「一贯制学校组」，放入了「一类小学组」" in shown  # the notice

    read = admin.get(f"/assessments/{aid}")
    assert read["name"] == "2025—2026学年度述职述研评议"
    assert [(c["key"], c["weight"]) for c in read["components"]] == [
        ("routine", 40), ("distinctive", 60)]
    assert [(g["key"], g["name"], g["time_limit_minutes"]) for g in read["groups"]] == [
        ("yiguan", "一类小学组", 10)]
    assert [s["group"] for s in read["subjects"]] == ["yiguan"]  # the key kept: not stranded
    setup = container.app(admin.slug).assessment(aid).setup
    assert str(setup.period.starts_on) == "2025-09-01" and setup.quotas[0].tier == "优秀"
    [entry] = [e for e in admin.get(f"/assessments/{aid}/history")["events"]
               if e["type"] == "SetupChanged"]
    assert entry["reason"] == "按区教研室通知调整权重与时限"


def test_a_refused_value_is_shown_at_its_step_with_what_was_typed_and_nothing_changes(
        pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = draft(admin, w["rubric"])
    admin.post(f"/assessments/{aid}/subjects", {"kind": "school", "group": "yiguan",
                                                "ref_id": w["schools"]["南钢学校"]})
    before = admin.get(f"/assessments/{aid}")
    as_admin(pages, admin)
    edit = Editor(pages, admin.slug, aid)
    edit.post({"name": "改过的名称"})
    r = edit.post({"components-weight-0": "0", "components-weight-1": "七十"})
    assert r.status_code == 422 and "第 2 步" in r.text
    assert beside(r.text, "components-1-weight", "须填写数字")
    assert 'value="0"' in r.text and 'value="七十"' in r.text
    r = edit.post({"components-weight-1": "70"})  # 0 is read, and refused by the rules
    assert r.status_code == 422 and beside(r.text, "components-0-weight", "须为大于 0 的数")
    assert edit.form.values["components-weight-0"] == "0"
    r = edit.post({"components-weight-0": "30"})
    assert "第 3 步" in r.text

    # the group 南钢学校 is in, taken away for a new one: only saving finds it out
    r = edit.post({"groups-name-0": "", "groups-minutes-0": "", "groups-name-1": "新分组"})
    assert "第 4 步" in r.text
    edit.post()
    r = edit.post({"reason": "分组调整"})
    assert r.status_code == 422 and "第 3 步" in r.text
    assert "此修改与本次考核的考核对象不符" in r.text
    assert "南钢学校" in text_of(r.text.split('id="err-groups"')[1].split("</p>")[0])
    kept = edit.form.values
    assert kept["groups-name-0"] == "新分组" and "改过的名称" in kept["state"]
    assert kept["reason"] == "分组调整"
    assert admin.get(f"/assessments/{aid}") == before  # nothing written


def test_a_change_made_meanwhile_is_refused_with_the_current_setup_shown(
        pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = draft(admin, w["rubric"])
    as_admin(pages, admin)
    edit = Editor(pages, admin.slug, aid)
    edit.post({"name": "我改的名称"})
    for _ in range(3):
        edit.post()
    version = admin.get(f"/assessments/{aid}")["version"]
    admin.client.patch(admin.url(f"/assessments/{aid}"), json={"name": "别人改的名称"},
                       headers={"Authorization": f"Bearer {admin.token}",
                                "If-Match": str(version)}).raise_for_status()
    r = edit.post()
    assert r.status_code == 412, r.text
    assert "他人刚修改过的当前设置" in r.text and "别人改的名称" in r.text
    assert "我改的名称" in edit.form.values["state"]  # what was typed is kept
    assert admin.get(f"/assessments/{aid}")["name"] == "别人改的名称"
    again = edit.save()  # the form now carries the current version: saving applies it
    assert "设置已修改：名称。" in text_of(again.text)
    assert admin.get(f"/assessments/{aid}")["name"] == "我改的名称"


def test_saving_a_wizard_draft_unchanged_records_nothing(pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    as_admin(pages, admin)
    wiz = Wizard(pages, admin.slug)
    wiz.post(1, {"name": "向导建的考核"})
    wiz.post(2, {"components-name-0": "常态化工作", "components-rubric-0": w["rubric"],
                 "components-weight-0": "100"})
    wiz.post(3, {"groups-name-0": "一组", "groups-minutes-0": "8"})
    wiz.post(4, {"method": "mean", "trim": "1", "normalise": "none"})
    assert wiz.post(5, {"tiers-name-0": "合格", "tiers-min-0": "60"}).status_code == 303
    [made] = admin.get("/assessments")
    before = admin.get(f"/assessments/{made['id']}")
    edit = Editor(pages, admin.slug, made["id"])
    for _ in range(4):
        edit.post()
    assert "设置没有改动" in edit.save().text
    assert admin.get(f"/assessments/{made['id']}") == before


def test_an_open_round_has_no_link_and_its_edit_page_is_refused(pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = draft(admin, w["rubric"])
    admin.post(f"/assessments/{aid}/subjects", {"kind": "school", "group": "yiguan",
                                                "ref_id": w["schools"]["南钢学校"]})
    as_admin(pages, admin)
    edit = Editor(pages, admin.slug, aid)  # opened while a draft
    admin.post(f"/assessments/{aid}/open", expect=200)
    assert "/edit" not in pages.get(f"/t/{admin.slug}/admin/assessments/{aid}").text
    refused = pages.get(f"/t/{admin.slug}/admin/assessments/{aid}/edit")
    assert refused.status_code == 409
    assert "考核当前状态为进行中，不能进行此操作" in refused.text
    posted = edit.post({"name": "开评后改名"})
    assert posted.status_code == 409 and "考核当前状态为进行中" in posted.text
    assert admin.get(f"/assessments/{aid}")["name"] == "2025学年述职评议"


def test_a_judge_may_not_edit_a_setup(pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = draft(admin, w["rubric"])
    as_admin(pages, admin)
    form = StepForm(pages.get(f"/t/{admin.slug}/admin/assessments/{aid}/edit").text)
    # the judge signs in in the same browser (the form's CSRF token still good)
    pages.cookies.set(SESSION_COOKIE, session_for(str(pages.base_url), admin,
                                                  w["judges"]["评委乙"], ""))
    refused = pages.get(f"/t/{admin.slug}/admin/assessments/{aid}/edit")
    assert refused.status_code == 403 and "无权访问" in refused.text
    posted = pages.post(form.action, data=form.values | {"name": "评委改名"},
                        follow_redirects=False)
    assert posted.status_code == 403 and "评委角色无权执行此操作" in posted.text
    assert admin.get(f"/assessments/{aid}")["name"] == "2025学年述职评议"
