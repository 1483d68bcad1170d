"""Refusals speak Chinese on tenant routes unless the caller asks for English."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.api.flow import Round, bearer, create_tenant


def _round(client: TestClient[Any], new_slug: Any) -> Round:
    return Round(create_tenant(client, new_slug()), schools=("南钢学校",), judges=1)


def test_a_refusal_is_in_chinese_by_default_and_in_english_when_asked(
    client: TestClient[Any], new_slug: Any
) -> None:
    admin = create_tenant(client, new_slug())
    url = admin.url("/assessments/00000000-0000-0000-0000-000000000001/open")
    zh = client.post(url, headers=bearer(admin.token))
    en = client.post(url, headers={**bearer(admin.token), "Accept-Language": "en-GB,zh;q=0.5"})
    assert zh.status_code == en.status_code == 404
    assert zh.json()["detail"] == "没有考核 00000000-0000-0000-0000-000000000001"
    assert zh.json()["title"] == "未找到"
    assert zh.headers["content-language"] == "zh-CN"
    assert en.json()["detail"] == "no assessment 00000000-0000-0000-0000-000000000001"
    assert en.headers["content-language"] == "en"


def test_a_state_refusal_names_the_state_in_chinese(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = _round(client, new_slug)
    refused = r.admin.post(f"/assessments/{r.id}/open", expect=409)
    assert refused["detail"] == "考核当前状态为进行中，不能变为进行中"


def test_a_score_out_of_range_names_the_leaf_and_what_it_allows(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = _round(client, new_slug)
    judge = r.judges[0][1]
    refused = judge.put(r.card(r.subjects[0]), {"scores": {"1.1": 7}}, expect=422)
    assert refused["errors"] == [
        {"field": "scores.1.1", "message": "1.1「教研组设置合理」得分应在 0 到 6 之间，步长 0.5"}]
    off_step = judge.put(r.card(r.subjects[0]), {"scores": {"1.2": "1.25"}}, expect=422,
                         headers={"Accept-Language": "en"})
    assert off_step["errors"] == [
        {"field": "scores.1.2", "message": "1.2 制度健全 must be between 0 and 4, in steps of 0.5"}]


def test_an_unknown_leaf_code_lists_the_valid_ones(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = _round(client, new_slug)
    refused = r.judges[0][1].put(r.card(r.subjects[0]), {"scores": {"1.9": 1}}, expect=422)
    assert refused["errors"] == [
        {"field": "scores.1.9",
         "message": "评分细则中没有末级指标 1.9，有效的指标代码为：1.1, 1.2, 2.1"}]


def test_a_score_that_is_not_a_number_names_its_leaf_and_changes_nothing(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = _round(client, new_slug)
    judge = r.judges[0][1]
    refused = judge.put(r.card(r.subjects[0]), {"scores": {"1.1": 5, "2.1": "18分"}}, expect=400)
    assert refused["errors"] == [{"field": "scores.2.1", "message": "2.1 的得分不是数字：18分"}]
    assert judge.get(r.card(r.subjects[0]), expect=404)


def test_scores_may_be_numbers_or_decimal_strings(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = _round(client, new_slug)
    written = r.judges[0][1].put(r.card(r.subjects[0]), {"scores": {"1.1": 4.5, "1.2": "3.5"}})
    assert written["total"] == 8.0


def test_a_malformed_body_is_explained_in_chinese(
    client: TestClient[Any], new_slug: Any
) -> None:
    admin = create_tenant(client, new_slug())
    refused = admin.post("/schools", {"name": "南钢学校", "group": 3, "stage": "初中"},
                         expect=400)
    assert refused["title"] == "请求有误"
    assert any("应为" in e["message"] for e in refused.get("errors", [])), refused


def test_platform_routes_answer_in_english_unless_chinese_is_asked_for(
    client: TestClient[Any],
) -> None:
    en = client.post("/api/v1/tenants/nosuchtenant/suspend",
                     headers=bearer("kp_test_operator_token_0123456789abcdef"))
    zh = client.post("/api/v1/tenants/nosuchtenant/suspend",
                     headers={**bearer("kp_test_operator_token_0123456789abcdef"),
                              "Accept-Language": "zh-CN"})
    assert en.json()["detail"] == "no tenant nosuchtenant"
    assert zh.json()["detail"] == "没有区县 nosuchtenant"


def test_a_missing_token_is_refused_in_chinese(client: TestClient[Any], new_slug: Any) -> None:
    admin = create_tenant(client, new_slug())
    r = client.get(admin.url("/schools"))
    assert r.status_code == 401
    assert r.json()["detail"] == "需要提供 Bearer 令牌"


def test_refusals_made_before_any_handler_are_in_chinese_too(
    client: TestClient[Any], new_slug: Any
) -> None:
    admin = create_tenant(client, new_slug())
    wrong_type = client.post(admin.url("/schools"), content=b"name=x",
                             headers={**bearer(admin.token), "content-type": "text/plain"})
    assert wrong_type.status_code == 415
    assert wrong_type.json()["detail"] == "请求体须为 application/json"
    assert wrong_type.json()["title"] == "不支持的媒体类型"
    twice = client.post(admin.url("/schools"), content=b'{"name": "a", "name": "b"}',
                        headers={**bearer(admin.token), "content-type": "application/json"})
    assert twice.json()["detail"] == "JSON 对象中有重复的键：name"
    assert twice.headers["content-language"] == "zh-CN"
