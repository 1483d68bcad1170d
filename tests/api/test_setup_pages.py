"""考核设置 as pages: an admin sets up a round in nine steps with plain form posts, each step
refused once in Chinese beside its field (what was typed kept); nothing is written before
step 5; the conflict dry run writes nothing; the order is drawn and entered by hand; the
round is opened, a substitute judge added, closed and reopened with a reason."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from adapters.postgres.log import head as log_head
from adapters.postgres.versions import schema_of
from tests.api.flow import RUBRIC, Api, create_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
STATE = re.compile(r'name="state" value="([^"]*)"')


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


def sign_in(pages: TestClient[Any], admin: Api, user_id: str) -> None:
    pages.cookies.clear()
    pages.cookies.set(SESSION_COOKIE, session_for(str(pages.base_url), admin, user_id, ""))


def as_admin(pages: TestClient[Any], admin: Api) -> None:
    sign_in(pages, admin, admin.get("/users", role="admin")[0]["id"])


def send(pages: TestClient[Any], url: str, data: dict[str, Any],
         follow_redirects: bool = False) -> Any:
    return pages.post(url, data=data, follow_redirects=follow_redirects)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


class Wizard:
    """Steps 1–5 posted as the browser posts them: the hidden state and the step's fields."""

    def __init__(self, pages: TestClient[Any], slug: str) -> None:
        self.pages, self.base = pages, f"/t/{slug}/admin/assessments"
        self.last = pages.get(self.base + "/new")
        assert self.last.status_code == 200, self.last.text

    def post(self, step: int, fields: dict[str, Any], go: str = "next") -> Any:
        state = html.unescape(STATE.search(self.last.text)[1])
        token = CSRF.search(self.last.text)[1]
        self.last = self.pages.post(f"{self.base}/new/{step}", data={
            "_csrf_token": token, "state": state, "go": go, **fields}, follow_redirects=False)
        return self.last


def beside(page: str, field: str, message: str) -> bool:
    """``message`` shown right under the field's input (the page's error for that field)."""
    return re.search(rf'id="err-{re.escape(field)}">{re.escape(message)}', page) is not None


def world(pages: TestClient[Any], slug: str) -> dict[str, Any]:
    admin = create_tenant(pages, slug)
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    schools = {n: admin.post("/schools", {"name": n, "group": "一贯制学校组",
                                          "stage": "初中"})["id"] for n in ("南钢学校", "京东学校")}
    judges = {"评委甲": admin.post("/users", {"name": "评委甲", "role": "judge", "affiliations": [
        {"kind": "school", "id": schools["南钢学校"]}]})["id"]}
    for name in ("评委乙", "替补评委"):
        judges[name] = admin.post("/users", {"name": name, "role": "judge"})["id"]
    return {"admin": admin, "rubric": f"{rubric['id']}:1", "schools": schools, "judges": judges}


def test_an_admin_sets_up_a_round_in_steps_each_refusal_beside_its_field(
        pages, new_slug, container) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    as_admin(pages, admin)
    wiz = Wizard(pages, admin.slug)

    # 1. name and period
    r = wiz.post(1, {"name": "", "starts_on": "2025-09-01", "ends_on": "2026-07-10"})
    assert r.status_code == 422 and beside(r.text, "name", "不能为空")
    assert 'value="2025-09-01"' in r.text  # kept
    r = wiz.post(1, {"name": "2025—2026学年度述职述研评议", "starts_on": "2026-09-01",
                     "ends_on": "2026-07-10"})
    assert r.status_code == 422 and beside(r.text, "period", "结束早于开始")
    r = wiz.post(1, {"name": "2025—2026学年度述职述研评议", "starts_on": "2025-09-01",
                     "ends_on": "2026-07-10"})
    assert r.status_code == 200 and "第 2 步" in r.text

    # 2. components, weights and the 折算 preview
    row = {"components-name-0": "常态化工作", "components-rubric-0": w["rubric"],
           "components-weight-0": "三十", "components-kind-0": "routine",
           "components-name-1": "特色发展", "components-rubric-1": w["rubric"],
           "components-weight-1": "70", "components-kind-1": "distinctive"}
    r = wiz.post(2, row)
    assert r.status_code == 422 and beside(r.text, "components-0-weight", "须填写数字")
    assert 'value="三十"' in r.text and 'value="特色发展"' in r.text
    r = wiz.post(2, row | {"components-weight-0": "30", "components-sample-0": "17"},
                 go="preview")
    preview = text_of(r.text)
    assert "原始分 17/20，权重 30，折算为 25.5 分" in preview  # 17 / 20 × 30
    assert "各项权重合计 100" in preview
    r = wiz.post(2, row | {"components-weight-0": "30"})
    assert r.status_code == 200 and "第 3 步" in r.text

    # 3. groups with time limits
    r = wiz.post(3, {"groups-name-0": "一贯制学校组", "groups-minutes-0": "0"})
    assert r.status_code == 422 and beside(r.text, "groups-0-time_limit_minutes", "须不小于 1")
    r = wiz.post(3, {"groups-name-0": "一贯制学校组", "groups-minutes-0": "8"})
    assert "第 4 步" in r.text

    # 4. aggregation
    r = wiz.post(4, {"method": "trimmed_mean", "trim": "一", "normalise": "none"})
    assert r.status_code == 422 and beside(r.text, "aggregation-trim", "须填写整数")
    assert wiz.post(4, {"method": "trimmed_mean", "trim": "1", "normalise": "none"}
                    ).status_code == 200
    assert admin.get("/assessments") == []  # nothing half-written

    # 5. tiers and quotas, then the draft is created
    tiers = {"tiers-name-0": "优秀", "tiers-min-0": "90", "tiers-quota-0": "150",
             "tiers-name-1": "合格", "tiers-min-1": "60", "tiers-name-2": "不合格",
             "tiers-min-2": "0"}
    r = wiz.post(5, tiers)
    assert r.status_code == 422 and beside(r.text, "tiers-quota-优秀", "须在 0 到 1 之间")
    r = wiz.post(5, tiers | {"tiers-quota-0": "30"})
    assert r.status_code == 303, r.text
    [made] = admin.get("/assessments")
    aid = made["id"]
    base = f"/t/{admin.slug}/admin/assessments/{aid}"
    setup = container.app(admin.slug).assessment(aid).setup
    assert [(c.name, c.weight) for c in setup.components] == [("常态化工作", 30), ("特色发展", 70)]
    assert setup.aggregation.method == "trimmed_mean" and setup.quotas[0].tier == "优秀"

    # 6. subjects
    page = pages.get(base + "/subjects?created=1", follow_redirects=True)
    assert "考核草稿已创建" in page.text
    token = CSRF.search(page.text)[1]
    picks = [f"school:{sid}" for sid in w["schools"].values()]
    r = send(pages, base + "/subjects", {"_csrf_token": token, "group": "", "pick": picks})
    assert r.status_code == 422 and beside(r.text, "group", "请选择排名组")
    assert r.text.count("checked") == 2  # the picks kept
    r = send(pages, base + "/subjects", {"_csrf_token": token, "group": "g1", "pick": picks})
    assert r.status_code == 303
    subjects = {s["name"]: s["subject_id"] for s in admin.get(f"/assessments/{aid}")["subjects"]}
    assert set(subjects) == {"南钢学校", "京东学校"}

    # 7. the panel: the dry run shows the recusal and writes nothing
    with container.tenant_db(admin.slug) as conn:
        before = log_head(conn, schema_of(admin.slug))
    version = admin.get(f"/assessments/{aid}")["version"]
    dry = pages.get(base + "/panel", params=[("judge", w["judges"]["评委甲"]),
                                             ("judge", w["judges"]["评委乙"])])
    assert dry.status_code == 200
    assert "南钢学校 ：评委任职于被评学校（任职关系）" in text_of(dry.text)
    assert "与被评对象没有利益关联" in dry.text  # 评委乙
    with container.tenant_db(admin.slug) as conn:
        assert log_head(conn, schema_of(admin.slug)) == before
    assert admin.get(f"/assessments/{aid}")["version"] == version
    r = send(pages, base + "/panel", {"_csrf_token": token})
    assert r.status_code == 422 and "请至少勾选一位评委" in r.text
    r = send(pages, base + "/panel", {"_csrf_token": token, "judge": [
        w["judges"]["评委甲"], w["judges"]["评委乙"]]})
    assert r.status_code == 303
    panel = pages.get(base + "/panel")
    assert "回避：南钢学校（任职关系）" in text_of(panel.text).replace(" ", "")

    # 8. quorum and the order, drawn then entered by hand
    r = send(pages, base + "/quorum", {"_csrf_token": token, "quorum": "0"})
    assert r.status_code == 422 and beside(r.text, "quorum", "须为 1 到 1000 之间的整数")
    assert 'value="0"' in r.text
    assert send(pages, base + "/quorum", {"_csrf_token": token, "quorum": "2"}
                      ).status_code == 303
    assert send(pages, base + "/draw", {"_csrf_token": token, "seed": "2025"}
                      ).status_code == 303
    drawn = admin.get(f"/assessments/{aid}/order")["groups"][0]["subjects"]
    assert [p["position"] for p in drawn] == [1, 2]
    r = send(pages, base + "/draw", {"_csrf_token": token, "seed": "again"})
    assert r.status_code == 422 and beside(r.text, "reason", "必填")
    assert 'value="again"' in r.text
    first, second = drawn[0]["subject_id"], drawn[1]["subject_id"]
    r = send(pages, base + "/order", {"_csrf_token": token, f"pos-{first}": "2",
                                          f"pos-{second}": "1", "reason": "按片区调整"})
    assert r.status_code == 303, r.text
    order = admin.get(f"/assessments/{aid}/order")["groups"][0]["subjects"]
    assert [p["subject_id"] for p in order] == [second, first]

    # 9. publication: tiers only
    r = send(pages, base + "/publication", {"_csrf_token": token})
    assert r.status_code == 422 and beside(r.text, "publication-ranks", "请选择一项")
    assert send(pages, base + "/publication", {"_csrf_token": token, "ranks": "0"}
                      ).status_code == 303
    assert container.app(admin.slug).assessment(aid).setup.publish_ranks is False

    # the round's page: 南钢学校 has one judge free of 回避, the quorum is two
    page = text_of(pages.get(base).text)
    assert "南钢学校：可评分的评委 1 人，法定人数 2 人" in page and "只公示等次" in page
    opened = pages.post(f"/t/{admin.slug}/admin/round/{aid}/open",
                        data={"_csrf_token": token}, follow_redirects=False)
    assert opened.status_code == 303
    assert admin.get(f"/assessments/{aid}")["status"] == "open"
    assert "添加替补评委" in pages.get(base).text
    assert send(pages, base + "/panel", {"_csrf_token": token, "judge": w["judges"][
        "替补评委"]}).status_code == 303
    assert "未达法定评委人数" not in pages.get(base).text


def test_a_closed_round_is_reopened_only_with_a_reason(pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    aid = admin.post("/assessments", {
        "name": "复评", "components": [{"key": "routine", "name": "常态化工作",
                                         "rubric_id": w["rubric"].split(":")[0],
                                         "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "g", "name": "组"}]})["id"]
    admin.post(f"/assessments/{aid}/subjects", {"kind": "school", "group": "g",
                                                "ref_id": w["schools"]["京东学校"]})
    admin.post(f"/assessments/{aid}/open", expect=200)
    admin.post(f"/assessments/{aid}/close", {"force": "无评委"}, expect=200)
    as_admin(pages, admin)
    page = pages.get(f"/t/{admin.slug}/admin/assessments/{aid}")
    assert "重新开放评分的理由" in page.text
    token = CSRF.search(page.text)[1]
    url = f"/t/{admin.slug}/admin/round/{aid}/reopen"
    refused = send(pages, url, {"_csrf_token": token, "reason": " "})
    assert refused.status_code == 422 and "重新开放未能完成" in refused.text
    done = send(pages, url, {"_csrf_token": token, "reason": "补评一位评委"})
    assert done.status_code == 303
    assert admin.get(f"/assessments/{aid}")["status"] == "open"


def test_other_roles_tenants_and_forged_posts_are_refused(pages, new_slug) -> None:
    w, other = world(pages, new_slug()), create_tenant(pages, new_slug())
    admin: Api = w["admin"]
    sign_in(pages, admin, w["judges"]["评委乙"])
    aid = admin.post("/assessments", {
        "name": "复评", "components": [{"key": "routine", "name": "常态化工作",
                                         "rubric_id": w["rubric"].split(":")[0],
                                         "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "g", "name": "组"}]})["id"]
    for path in ("", "/new", f"/{aid}", f"/{aid}/subjects", f"/{aid}/panel", f"/{aid}/order",
                 f"/{aid}/publication"):
        refused = pages.get(f"/t/{admin.slug}/admin/assessments{path}")
        assert refused.status_code == 403 and "无权访问" in refused.text
    as_admin(pages, admin)
    assert pages.get(f"/t/{other.slug}/admin/assessments").status_code == 404
    forged = send(pages, f"/t/{admin.slug}/admin/assessments/new/1", {"name": "x"})
    assert forged.status_code == 403
    assert len(admin.get("/assessments")) == 1
    mangled = send(pages, f"/t/{admin.slug}/admin/assessments/new/1", {
        "_csrf_token": CSRF.search(pages.get(f"/t/{admin.slug}/admin/assessments/new").text)[1],
        "state": "[1, 2]", "name": "新考核"})
    assert mangled.status_code == 200 and "第 2 步" in mangled.text  # a bad state starts afresh


def test_names_are_escaped(pages, new_slug) -> None:
    w = world(pages, new_slug())
    admin: Api = w["admin"]
    evil = "<script>alert(1)</script>"
    admin.post("/schools", {"name": evil + "学校", "group": "组", "stage": "小学"})
    as_admin(pages, admin)
    wiz = Wizard(pages, admin.slug)
    wiz.post(1, {"name": evil})
    wiz.post(2, {"components-name-0": evil, "components-rubric-0": w["rubric"],
                 "components-weight-0": "100"})
    assert evil not in wiz.last.text
    wiz.post(3, {"groups-name-0": evil})
    wiz.post(4, {"method": "mean", "trim": "1", "normalise": "none"})
    r = wiz.post(5, {"tiers-name-0": "合格", "tiers-min-0": "60"})
    assert r.status_code == 303, r.text
    for page in (pages.get(f"/t/{admin.slug}/admin/assessments"),
                 pages.get(r.headers["location"], follow_redirects=True)):
        assert evil not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
