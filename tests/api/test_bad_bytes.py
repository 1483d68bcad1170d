"""Every route and every path or query parameter in the OpenAPI document, given a NUL, a lone
surrogate or overlong UTF-8, answers below 500 — with a token of a role the route admits, and
with none — and no error is logged."""

import re
import uuid

import pytest
from structlog.testing import capture_logs

from tests.api.flow import Round, bearer, create_tenant
from tests.api.test_access import ZERO, documented
from tests.conftest import OPERATOR_TOKEN, drop_tenant

BAD = {"NUL": "%00", "lone surrogate": "%ED%A0%80", "overlong UTF-8": "%C0%AF"}


@pytest.fixture(scope="module")
def home(client, container):
    slug = f"bad{uuid.uuid4().hex[:8]}"
    admin = create_tenant(client, slug, "坏字节测试区")
    rnd = Round(admin, judges=1)
    tokens = {"admin": admin.token, "judge": rnd.judges[0][1].token, "operator": OPERATOR_TOKEN}
    for role in ("auditor", "reporter"):
        tokens[role] = admin.post("/users", {"name": f"{role}甲", "role": role})["token"]
    # Real ids where the round has them, so a handler gets as far as reading its query.
    real = {"tenant": slug, "assessment_id": rnd.id, "subject_id": rnd.subjects[0],
            "user_id": rnd.judges[0][0], "component": "routine", "number": "1"}
    yield real, tokens
    drop_tenant(container, slug)


def filled(path: str, real: dict[str, str], target: str | None, bad: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name == target:
            return "AB" + bad + "CD"
        return real.get(name, ZERO if name.endswith("id") else "x")
    return re.sub(r"\{([a-z_]+)\}", value, path)


def test_bad_bytes_in_any_parameter_never_cause_a_server_error(client, home) -> None:
    real, tokens = home
    roles = documented()
    schema = client.get("/schema/openapi.json").json()
    sent, failures = 0, []
    with capture_logs() as logs:
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                admitted = sorted(roles[(method.upper(), path)] - {"public"})
                callers = [None] + ([tokens[admitted[0]]] if admitted else [])
                params = [(p["in"], p["name"]) for p in operation.get("parameters", [])
                          + item.get("parameters", []) if p["in"] in ("path", "query")]
                for where, name in params:
                    for label, bad in BAD.items():
                        url = filled(path, real, name if where == "path" else None, bad)
                        if where == "query":
                            url += f"?{name}={bad}"
                        for token in callers:
                            r = client.request(method.upper(), url,
                                               headers=bearer(token) if token else {})
                            sent += 1
                            if r.status_code >= 500:
                                failures.append(f"{method.upper()} {url} ({label}) → "
                                                f"{r.status_code}")
    assert sent > 300  # every parameter of every route, three values each
    assert not failures, "\n".join(failures)
    assert not [entry for entry in logs if entry.get("log_level") in ("error", "critical")]
