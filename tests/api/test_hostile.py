"""Hostile and broken input: each ends in a clear problem+json error, and nothing is written.
Chinese text of every kind works."""

import dataclasses
from uuid import uuid4

import pytest
from litestar.testing import TestClient
from structlog.testing import capture_logs

from adapters.http.app import create_app
from tests.api.flow import Api, Round, bearer, create_tenant
from tests.api.test_floods import limiter_of
from tests.conftest import OPERATOR_TOKEN


@pytest.fixture
def rnd(client, new_slug) -> Round:
    return Round(create_tenant(client, new_slug(), "馬市坪鄉中心學校"), judges=1)


COUNTING = 2  # the auditor made for counting: their registration and their name's claim


def head(rnd: Round) -> int:
    """The log's length as the auditor sees it."""
    name = f"监察{uuid4().hex[:6]}"  # a new auditor each time: names are unique per role
    audit = rnd.admin.as_(rnd.admin.post("/users", {"name": name, "role": "auditor"})["token"])
    return audit.get("/audit/verify")["length"]


def send(api: Api, method: str, path: str, content: str, content_type="application/json"):
    return api.client.request(method, api.url(path), content=content.encode(),
                              headers={**bearer(api.token), "content-type": content_type})


CASES = [
    ("malformed JSON", '{"name": "南钢学校", "group": "g", "stage": "初中"', 400),
    ("wrong type", '{"name": 7, "group": "g", "stage": "初中"}', 400),
    ("missing field", '{"group": "g", "stage": "初中"}', 400),
    ("unknown field", '{"name": "x", "group": "g", "stage": "初中", "admin": true}', 400),
    ("duplicate key", '{"name": "x", "name": "y", "group": "g", "stage": "初中"}', 400),
    ("NaN literal", '{"name": "x", "group": "g", "stage": "初中", "external": NaN}', 400),
    ("control character", '{"name": "\\u0000x", "group": "g", "stage": "初中"}', 400),
    ("a newline in a name", '{"name": "a\\nb", "group": "g", "stage": "初中"}', 400),
    ("100k characters", '{"name": "' + "长" * 100_000 + '", "group": "g", "stage": "初中"}', 400),
    ("a stage that does not exist", '{"name": "x", "group": "g", "stage": "大学"}', 422),
    ("an empty name", '{"name": "", "group": "g", "stage": "初中"}', 400),
    ("a JSON array", "[1, 2, 3]", 400),
    ("not JSON at all", "name=x&group=g", 400),
]


@pytest.mark.parametrize(("what", "body", "status"), CASES, ids=[c[0] for c in CASES])
def test_bad_bodies_get_a_clear_error_and_write_nothing(rnd, what, body, status) -> None:
    before = head(rnd)
    r = send(rnd.admin, "POST", "/schools", body)
    assert r.status_code == status, (what, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status and r.json()["detail"]
    assert head(rnd) == before + COUNTING  # only the auditor made for counting


def test_wrong_content_type_is_415_and_oversize_is_413(rnd) -> None:
    body = '{"name": "x", "group": "g", "stage": "初中"}'
    r = send(rnd.admin, "POST", "/schools", body, "text/plain")
    assert r.status_code == 415 and r.json()["status"] == 415
    r = send(rnd.admin, "POST", "/schools", '{"name": "' + "x" * 2_000_000 + '"}')
    assert r.status_code == 413


@pytest.mark.parametrize("points", ["-0.5", "1e9", "0.25", "\"NaN\"", "\"Infinity\"", "1e400",
                                    "true", "null"])
def test_points_that_cannot_be_are_refused(rnd, points) -> None:
    before = head(rnd)
    judge = rnd.judges[0][1]
    r = send(judge, "PUT", rnd.card(rnd.subjects[0]),
             '{"scores": {"1.1": ' + points + "}}")
    assert r.status_code in (400, 422), r.text
    assert head(rnd) == before + COUNTING


NAMES = ["南钢学校", "馬市坪鄉中心學校", "𠀀𠀁𪚥学校", "🏫 实验小学", "ＡＢＣ１２３学校",
         "《教研》「共同体」——第一组", "'; DROP TABLE kaoping.tenants; --",
         "<script>alert(1)</script>", "Ñandú École Zürich", "  前后空格  "]


def test_chinese_text_of_every_kind_and_sql_looking_text_are_stored_verbatim(rnd) -> None:
    for name in NAMES[1:]:  # the round has 南钢学校 already (and names are unique)
        rnd.admin.post("/schools", {"name": name, "group": "一贯制学校组", "stage": "初中"})
    stored = {s["name"] for s in rnd.admin.get("/schools")}
    assert set(NAMES) <= stored
    assert rnd.admin.client.get("/api/v1/tenants",
                                headers=bearer(OPERATOR_TOKEN)).status_code == 200


def test_responses_carry_security_headers_and_no_cors_by_default(client, rnd) -> None:
    r = client.get(rnd.admin.url("/schools"), headers={**bearer(rnd.admin.token),
                                                       "Origin": "https://evil.example"})
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("kind", ["in-process", "shared"])
def test_a_token_over_its_rate_gets_429_with_retry_after(container, rnd, kind) -> None:
    now = [1000.0]
    limiter = limiter_of(kind, container, per_second=0.5, burst=3, clock=lambda: now[0])
    with TestClient(create_app(container, limiter=limiter)) as client:
        admin = Api(client, rnd.admin.slug, rnd.admin.token)
        for _ in range(3):
            admin.get("/schools")
        refused = admin.get("/schools", expect=429)
        assert refused["status"] == 429
        r = client.get(admin.url("/schools"), headers=bearer(admin.token))
        assert r.headers["retry-after"] == "2"
        other = rnd.judges[0][1]
        Api(client, other.slug, other.token).get(f"/assessments/{rnd.id}/assignments")
        now[0] += 2  # one token back
        admin.get("/schools")
        admin.get("/schools", expect=429)


def test_cors_answers_only_the_configured_origins(container, rnd) -> None:
    configured = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, cors_origins=("https://jyj.example.gov.cn",)))
    with TestClient(create_app(configured)) as client:
        headers = {**bearer(rnd.admin.token)}
        allowed = client.get(rnd.admin.url("/schools"),
                             headers=headers | {"Origin": "https://jyj.example.gov.cn"})
        other = client.get(rnd.admin.url("/schools"),
                           headers=headers | {"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://jyj.example.gov.cn"
    assert "access-control-allow-origin" not in other.headers


def _errors_logged(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry.get("log_level") in ("error", "critical")]


def test_a_body_nested_too_deep_is_refused_before_parsing_and_logs_no_error(client, rnd) -> None:
    deep = "[" * 977 + "]" * 977  # a recursive parser's stack runs out on this
    with capture_logs() as logs:
        for url, token, detail in (
            (rnd.admin.url("/schools"), rnd.admin.token, "JSON 嵌套超过 32 层"),
            ("/api/v1/tenants", OPERATOR_TOKEN, "the JSON is nested more than 32 levels deep"),
        ):
            anonymous = client.post(url, content=deep.encode(),
                                    headers={"content-type": "application/json"})
            assert anonymous.status_code == 401  # no token: the body is never read
            r = client.post(url, content=deep.encode(), headers={
                "content-type": "application/json", "Authorization": f"Bearer {token}"})
            assert r.status_code == 400, r.text
            assert r.json()["detail"] == detail  # the operator's platform answers in English
        unclosed = send(rnd.admin, "POST", "/schools", '{"name": ' + "[" * 977)
        assert unclosed.status_code == 400
    assert not _errors_logged(logs)
    at_limit = '{"name": "x", "group": "g", "stage": "初中", "zone": ' + "[" * 31 + "]" * 31 + "}"
    assert send(rnd.admin, "POST", "/schools", at_limit).json()["detail"] != \
        "JSON 嵌套超过 32 层"  # 32 levels (the object and 31 arrays) are parsed, and refused
    brackets_in_text = '{"name": "' + "[" * 100 + '", "group": "g", "stage": "初中"}'
    assert send(rnd.admin, "POST", "/schools", brackets_in_text).status_code == 201


BAD_TARGETS = [
    ("GET", "/certificates/AB%00CD", False), ("GET", "/certificates/AB%ED%A0%80CD", False),
    ("GET", "/certificates/AB%C0%AFCD", False), ("GET", "/users?role=%00", True),
    ("GET", "/activities?status=%00", True), ("GET", "/activities?status=%ED%A0%80", True),
    ("GET", "/activities?status=%C0%AF", True), ("GET", "/schools?x%00=1", True),
    ("GET", "/users?role=a%0Ab", True),
]


@pytest.mark.parametrize(("method", "path", "token"), BAD_TARGETS,
                         ids=[f"{m} {p}" for m, p, _ in BAD_TARGETS])
def test_nul_surrogates_and_overlong_utf8_in_path_or_query_are_400(rnd, method, path,
                                                                   token) -> None:
    headers = bearer(rnd.admin.token) if token else {}
    with capture_logs() as logs:
        r = rnd.admin.client.request(method, rnd.admin.url("") + path, headers=headers)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.json()["detail"].endswith("含有控制字符或无效的 UTF-8 字节")
    assert not _errors_logged(logs)


def test_the_assessment_history_and_the_platform_refuse_a_nul(client, rnd) -> None:
    with capture_logs() as logs:
        history = client.get(rnd.admin.url(f"/assessments/{rnd.id}/history?type=%00"),
                             headers=bearer(rnd.admin.token))
        suspend = client.post("/api/v1/tenants/x%00/suspend", headers=bearer(OPERATOR_TOKEN))
    assert history.status_code == 400 and suspend.status_code == 400
    assert not _errors_logged(logs)
    assert client.get(rnd.admin.url(f"/assessments/{rnd.id}/history?type=%E8%AF%84"),
                      headers=bearer(rnd.admin.token)).status_code == 200  # 评: good UTF-8
