"""Every route against docs/access.md, for every role: admitted → never 401/403 from the
guard; not admitted → 403; a token of another tenant → 404."""

import re
import uuid
from pathlib import Path

import pytest

from tests.api.flow import bearer, create_tenant
from tests.conftest import OPERATOR_TOKEN, drop_tenant

TABLE = Path(__file__).resolve().parents[2] / "docs" / "access.md"
ROW = re.compile(r"^\| (GET|POST|PUT|DELETE|PATCH) \| `([^`]+)` \| ([a-z, ]+) \|")
TENANT_ROLES = ("admin", "judge", "auditor", "reporter")
ZERO = "00000000-0000-0000-0000-000000000000"


def documented() -> dict[tuple[str, str], set[str]]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            method, path, roles = match.groups()
            rows[(method, path)] = {r.strip() for r in roles.split(",")}
    return rows


def concrete(path: str, slug: str) -> str:
    path = path.replace("{tenant}", slug)
    path = re.sub(r"\{[a-z_]*id\}", ZERO, path)
    path = path.replace("{number}", "1")
    return re.sub(r"\{[a-z_]+\}", "x", path)


@pytest.fixture(scope="module")
def tokens(client, container):
    slugs = [f"acc{i}{uuid.uuid4().hex[:8]}" for i in range(2)]
    made = {}
    for slug in slugs:
        admin = create_tenant(client, slug, "权限测试区")
        made[slug] = {"admin": admin.token}
        for role in ("judge", "auditor", "reporter"):
            made[slug][role] = admin.post("/users", {"name": role, "role": role})["token"]
    made["operator"] = OPERATOR_TOKEN
    yield slugs, made
    for slug in slugs:
        drop_tenant(container, slug)


def test_the_table_and_the_openapi_document_list_the_same_routes(client) -> None:
    schema = client.get("/schema/openapi.json").json()
    served = {(method.upper(), path) for path, item in schema["paths"].items()
              for method in item if method in ("get", "post", "put", "delete", "patch")}
    assert served == set(documented())


def test_every_route_admits_exactly_its_roles(client, tokens) -> None:
    (home, other), made = tokens
    failures = []
    for (method, path), allowed in sorted(documented().items()):
        platform = "operator" in allowed or not path.startswith("/api/v1/tenants/{tenant}")
        url = concrete(path, "nosuchtenant" if platform else home)
        body = {} if method in ("POST", "PUT") else None
        callers = {role: made[home][role] for role in TENANT_ROLES} | {"operator": OPERATOR_TOKEN}
        for role, token in callers.items():
            r = client.request(method, url, json=body, headers=bearer(token))
            if "public" in allowed or role in allowed:
                ok = r.status_code not in (401, 403)
            else:
                ok = r.status_code == 403
            if not ok:
                failures.append(f"{role} {method} {path} → {r.status_code}")
        if not platform and "public" not in allowed:
            for role in TENANT_ROLES:  # the other district's people: as if it did not exist
                r = client.request(method, url, json=body, headers=bearer(made[other][role]))
                if r.status_code != 404:
                    failures.append(f"{other}'s {role} {method} {path} → {r.status_code}")
            if client.request(method, url, json=body).status_code != 401:
                failures.append(f"no token {method} {path}")
    assert failures == []
