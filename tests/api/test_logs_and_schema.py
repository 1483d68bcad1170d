"""Request logs carry who/where/what and never a token; the OpenAPI document is complete."""

import json
import logging

import structlog
from structlog.testing import capture_logs

from adapters.logging import configure_logging
from tests.api.flow import Round, bearer, create_tenant


def test_each_request_logs_id_tenant_actor_route_status_and_duration(client, new_slug):
    admin = create_tenant(client, new_slug())
    with capture_logs() as logs:
        client.get(admin.url("/schools"), headers={"Authorization": f"Bearer {admin.token}",
                                                   "X-Request-ID": "req-abc-123"})
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert line["request_id"] == "req-abc-123"
    assert line["tenant"] == admin.slug
    assert line["actor"] and line["role"] == "admin"
    assert line["route"] == "/api/v1/tenants/{tenant}/schools"
    assert line["status"] == 200 and line["duration_ms"] >= 0
    assert admin.token not in json.dumps(logs, default=str)


def test_the_request_id_comes_back_in_a_header(client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "trace-me"})
    assert response.headers["x-request-id"] == "trace-me"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_configured_logs_are_json_lines_and_redact_secrets(capsys) -> None:
    try:
        configure_logging("json")
        structlog.get_logger("t").info("login", admin_token="kp_secret", tenant="demo")
        logging.getLogger("uvicorn.error").warning("a stdlib line")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers[:] = []
    assert lines[0]["event"] == "login" and lines[0]["admin_token"] == "[redacted]"
    assert lines[1]["event"] == "a stdlib line" and lines[1]["level"] == "warning"


def test_the_openapi_document_covers_the_foundation_paths(client, new_slug) -> None:
    Round(create_tenant(client, new_slug()), judges=1)
    schema = client.get("/schema/openapi.json").json()
    paths = set(schema["paths"])
    t = "/api/v1/tenants/{tenant}"
    card = t + "/assessments/{assessment_id}/scorecards/{subject_id}/{component}"
    expected = {
        "/api/v1/tenants", "/api/v1/tenants/{tenant}/suspend", "/api/v1/tenants/{tenant}/resume",
        "/healthz", "/readyz", t + "/users", t + "/users/{user_id}/token", t + "/schools",
        t + "/rubrics", t + "/rubrics/{rubric_id}", t + "/rubrics/{rubric_id}/publish",
        t + "/rubrics/{rubric_id}/versions/{number}", t + "/assessments",
        t + "/assessments/{assessment_id}", t + "/assessments/{assessment_id}/subjects",
        t + "/assessments/{assessment_id}/panel", t + "/assessments/{assessment_id}/draw",
        t + "/assessments/{assessment_id}/open", t + "/assessments/{assessment_id}/close",
        t + "/assessments/{assessment_id}/finalise", t + "/assessments/{assessment_id}/publish",
        t + "/assessments/{assessment_id}/assignments", card, card + "/submit", card + "/reopen",
        t + "/assessments/{assessment_id}/scoreboard", t + "/assessments/{assessment_id}/history",
    }
    assert expected <= paths, expected - paths
    assert "put" in schema["paths"][card]


def test_a_refusal_before_the_body_is_read_carries_the_id_and_headers_and_is_logged_as_sent(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    with capture_logs() as logs:
        r = client.post("/api/v1/tenants", json={"slug": "abcdef", "name": "x"},
                        headers=bearer(admin.token))  # an admin's token on an operator route
    assert r.status_code == 403
    assert r.headers["x-request-id"] and r.headers["x-content-type-options"] == "nosniff"
    [line] = [e for e in logs if e.get("event") == "request"]
    assert (line["status"], line["request_id"]) == (403, r.headers["x-request-id"])
