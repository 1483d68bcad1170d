"""A lost admin token: the operator issues a new one, on the tenant's record. The tenant's
last active admin token is never revoked."""

from tests.api.flow import Api, bearer, create_tenant
from tests.conftest import OPERATOR_TOKEN


def issue(client, slug: str, body=None, token: str = OPERATOR_TOKEN, expect: int = 201):
    r = client.post(f"/api/v1/tenants/{slug}/admin-tokens", json=body, headers=bearer(token))
    assert r.status_code == expect, r.text
    return r.json()


def test_the_operator_issues_a_new_admin_token_and_the_auditor_sees_it(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "玉环市教育局")
    issued = issue(client, admin.slug, {"reason": "管理员离职，令牌遗失"})
    assert issued["name"] == "管理员"
    again = admin.as_(issued["token"])
    again.post("/schools", {"name": "玉城中学", "group": "g", "stage": "初中"})
    admin.get("/schools")  # the earlier token still works too: nothing was taken away
    auditor = again.as_(again.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    events = auditor.get("/events", limit=1000)["events"]
    recorded = [e for e in events if e["topic"].endswith("User.TokenIssued")
                and e["state"]["cause"]["actor_role"] == "operator"]
    assert len(recorded) == 1
    assert recorded[0]["state"]["cause"]["reason"] == "管理员离职，令牌遗失"
    assert recorded[0]["originator_id"] == issued["user_id"]
    history = auditor.get(f"/users/{issued['user_id']}/history")["events"]
    assert history[-1]["actor"]["id"] == "operator" and history[-1]["type"] == "TokenIssued"


def test_only_the_operator_issues_admin_tokens_for_existing_tenants(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    issue(client, admin.slug, token=admin.token, expect=403)
    issue(client, "nosuchtenant", expect=404)
    issued = issue(client, admin.slug)  # no body: the tenant's first admin, no reason
    admin.as_(issued["token"]).get("/schools")


def test_an_admin_token_goes_only_to_an_admin(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    judge = admin.post("/users", {"name": "评委", "role": "judge"})
    refused = issue(client, admin.slug, {"user_id": judge["id"]}, expect=422)
    assert refused["errors"][0]["field"] == "user_id"


def test_the_last_active_admin_token_cannot_be_revoked(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    me = admin.get("/users", role="admin")[0]["id"]
    r = client.delete(admin.url(f"/users/{me}/token"), headers=bearer(admin.token))
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == "不能吊销最后一个有效的管理员令牌：请先为另一位管理员发放令牌"
    admin.post(f"/users/{me}/archive", {"reason": "x"}, expect=409)
    admin.get("/schools")  # still signed in
    second = admin.post("/users", {"name": "副管理员", "role": "admin"})
    r = client.delete(admin.url(f"/users/{me}/token"), headers=bearer(admin.token))
    assert r.status_code == 204, r.text
    admin.get("/schools", expect=401)
    other = Api(client, admin.slug, second["token"])
    r = client.delete(other.url(f"/users/{second['id']}/token"), headers=bearer(other.token))
    assert r.status_code == 409
