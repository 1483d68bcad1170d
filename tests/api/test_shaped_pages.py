"""The set-up pages take a judge's 考核组 and a subject's own components (issue 15): the
same services as the API, a refusal shown beside its field with the typed values kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import RUBRIC, create_tenant
from tests.api.test_setup_pages import CSRF, as_admin, send, text_of
from tests.api.test_worked_examples import post_rubric


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


def test_the_setup_pages_take_groups_per_judge_and_components_per_subject(
        pages, client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rubric = post_rubric(admin, RUBRIC)
    aid = admin.post("/assessments", {
        "name": "分学段考核",
        "groups": [{"key": "xiaoxue", "name": "小学组"}, {"key": "chuzhong", "name": "初中组"}],
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 60},
                       {"key": "project", "name": "帮扶项目", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 40}]})["id"]
    school = admin.post("/schools", {"name": "<script>alert(1)</script>小学", "group": "小学组",
                                     "stage": "小学"})["id"]
    teacher = admin.post("/users", {"name": "王名师", "role": "teacher"})["id"]
    judge = admin.post("/users", {"name": "评委甲", "role": "judge"})["id"]
    as_admin(pages, admin)
    base = f"/t/{admin.slug}/admin/assessments/{aid}"

    page = pages.get(base + "/subjects")
    assert "本对象的考核项目" in page.text and "王名师" in page.text  # teachers are offered
    assert "<script>alert(1)</script>" not in page.text  # escaped
    token = CSRF.search(page.text)[1]
    r = send(pages, base + "/subjects", {"_csrf_token": token, "group": "xiaoxue",
                                         "pick": [f"school:{school}", f"teacher:{teacher}"],
                                         "components": ["routine"]})
    assert r.status_code == 303, r.text
    shaped = {s["name"]: s for s in admin.get(f"/assessments/{aid}")["subjects"]}
    assert shaped["王名师"]["kind"] == "teacher"
    assert shaped["王名师"]["components"] == ["routine"]

    dry = pages.get(base + "/panel", params=[("judge", judge)])
    assert "考核组（不选则评审全部分组）" in dry.text
    r = send(pages, base + "/panel", {"_csrf_token": token, "judge": [judge],
                                      "groups": ["chuzhong"]})
    assert r.status_code == 303, r.text
    panel = admin.get(f"/assessments/{aid}")["panel"]
    assert panel == [{"judge_id": judge, "name": "评委甲", "groups": ["chuzhong"]}]
    assert "考核组：初中组" in text_of(pages.get(base + "/panel").text).replace(" ", "")
    other = admin.post("/users", {"name": "评委乙", "role": "judge"})["id"]
    r = send(pages, base + "/panel", {"_csrf_token": token, "judge": [other],
                                      "groups": ["gaozhong"]})
    assert r.status_code == 422 and "考核组不存在" in r.text
    assert re.search(r'name="judge" value="' + other, r.text)  # the choice is kept
