"""The operator's API: tenants, suspension; and who gets 401/403/404."""

from tests.api.flow import Api, bearer, create_tenant
from tests.conftest import OPERATOR_TOKEN

OPERATOR = bearer(OPERATOR_TOKEN)


def test_the_operator_creates_a_tenant_and_gets_its_admin_token_once(client, new_slug) -> None:
    slug = new_slug()
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "平罗县教研室"},
                    headers=OPERATOR)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "active" and body["admin_token"].startswith("kp_")
    listed = client.get("/api/v1/tenants", headers=OPERATOR).json()
    assert {"slug": slug, "name": "平罗县教研室", "status": "active"}.items() <= next(
        t for t in listed if t["slug"] == slug).items()
    assert "admin_token" not in str(listed)


def test_an_invalid_slug_is_refused_with_the_field_named_and_nothing_created(client) -> None:
    for slug in ("Pingluo", "1abc", "a", "x" * 40, "bad-slug", "t_; DROP SCHEMA kaoping"):
        r = client.post("/api/v1/tenants", json={"slug": slug, "name": "区"}, headers=OPERATOR)
        assert r.status_code == 422, slug
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["field"] == "slug"
    slugs = {t["slug"] for t in client.get("/api/v1/tenants", headers=OPERATOR).json()}
    assert "Pingluo" not in slugs and "a" not in slugs


def test_a_taken_slug_is_a_conflict(client, new_slug) -> None:
    slug = new_slug()
    create_tenant(client, slug)
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "again"}, headers=OPERATOR)
    assert r.status_code == 409


def test_platform_routes_need_the_operator(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    assert client.get("/api/v1/tenants").status_code == 401
    assert client.get("/api/v1/tenants", headers=bearer("kp_wrong")).status_code == 401
    assert client.get("/api/v1/tenants", headers=bearer(admin.token)).status_code == 403


def test_a_suspended_tenant_answers_403_to_its_users_until_resumed(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    admin.get("/schools")
    r = client.post(f"/api/v1/tenants/{admin.slug}/suspend", headers=OPERATOR)
    assert r.json() == {"slug": admin.slug, "status": "suspended"}
    assert admin.get("/schools", expect=403)["status"] == 403
    client.post(f"/api/v1/tenants/{admin.slug}/resume", headers=OPERATOR)
    admin.get("/schools")


def test_another_tenants_token_gets_404_as_if_the_tenant_did_not_exist(client, new_slug) -> None:
    a = create_tenant(client, new_slug())
    b = create_tenant(client, new_slug())
    as_a_in_b = Api(client, b.slug, a.token)
    assert as_a_in_b.get("/schools", expect=404)["status"] == 404
    assert Api(client, "no_such_tenant", a.token).get("/schools", expect=404)
    assert Api(client, b.slug, "kp_forged").get("/schools", expect=401)
    assert Api(client, b.slug, OPERATOR_TOKEN).get("/schools", expect=403)


def test_health_and_readiness(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_tokens_are_stored_only_as_hashes(client, container, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    judge = admin.post("/users", {"name": "评委", "role": "judge"})
    with container.pool.connection() as conn:
        rows = conn.execute("SELECT hash::text AS h FROM kaoping.tokens WHERE tenant = %s",
                            (admin.slug,)).fetchall()
        stored = " ".join(r["h"] for r in rows)
        dumped = conn.execute("SELECT string_agg(t::text, ' ') AS all FROM kaoping.tokens t"
                              ).fetchone()["all"]
    assert len(rows) == 2
    for token in (admin.token, judge["token"]):
        assert token not in dumped and token.encode().hex() not in stored


def test_a_rotated_token_replaces_the_old_one_at_once(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    judge = admin.post("/users", {"name": "评委", "role": "judge"})
    old = admin.as_(judge["token"])
    old.get("/schools")
    new = admin.post(f"/users/{judge['id']}/token", expect=200)["token"]
    old.get("/schools", expect=401)
    admin.as_(new).get("/schools")
    admin.client.delete(admin.url(f"/users/{judge['id']}/token"), headers=bearer(admin.token))
    admin.as_(new).get("/schools", expect=401)
