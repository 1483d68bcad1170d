"""Names are unique in a tenant, compared after trimming and NFKC (全角 = 半角)."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.api.flow import Api, bearer, create_tenant


def rename(api: Api, path: str, name: str, expect: int) -> Any:
    r = api.client.patch(api.url(path), json={"name": name, "reason": "更名"},
                         headers=bearer(api.token))
    assert r.status_code == expect, r.text
    return r.json()


def test_a_duplicate_school_name_is_refused_naming_the_school_that_has_it(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    first = admin.post("/schools", {"name": "南钢学校", "group": "g", "stage": "初中"})
    for twin in ("南钢学校 ", "　南钢学校", "南钢学校\u3000"):
        refused = admin.post("/schools", {"name": twin, "group": "g", "stage": "初中"},
                             expect=409)
        assert first["id"] in refused["detail"] and "南钢学校" in refused["detail"]
    wide = admin.post("/schools", {"name": "ＡＢＣ学校", "group": "g", "stage": "小学"})
    refused = admin.post("/schools", {"name": "ABC学校", "group": "g", "stage": "小学"},
                         expect=409)
    assert wide["id"] in refused["detail"] and "ＡＢＣ学校" in refused["detail"]
    assert len(admin.get("/schools")) == 2


def test_a_rename_into_a_taken_name_is_refused_and_a_freed_name_can_be_taken(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    a = admin.post("/schools", {"name": "京东学校", "group": "g", "stage": "初中"})
    b = admin.post("/schools", {"name": "湖坊学校", "group": "g", "stage": "初中"})
    refused = rename(admin, f"/schools/{b['id']}", "京东学校 ", 409)
    assert a["id"] in refused["detail"]
    assert admin.get(f"/schools/{b['id']}")["name"] == "湖坊学校"
    rename(admin, f"/schools/{a['id']}", "京东中学", 200)
    rename(admin, f"/schools/{b['id']}", "京东学校", 200)  # the old name was released
    refused = admin.post("/schools", {"name": "京东中学", "group": "g", "stage": "初中"},
                         expect=409)
    assert a["id"] in refused["detail"]


def test_names_are_scoped_units_per_school_and_kind_users_per_role(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    one = admin.post("/schools", {"name": "一中", "group": "g", "stage": "高中"})
    two = admin.post("/schools", {"name": "二中", "group": "g", "stage": "高中"})
    group = {"kind": "research_group", "name": "语文教研组"}
    first = admin.post("/units", group | {"school_id": one["id"]})
    admin.post("/units", group | {"school_id": two["id"]})  # another school: fine
    refused = admin.post("/units", group | {"name": "语文教研组 ", "school_id": one["id"]},
                         expect=409)
    assert first["id"] in refused["detail"]
    judge = admin.post("/users", {"name": "王芳", "role": "judge"})
    admin.post("/users", {"name": "王芳", "role": "auditor"})  # one person, two roles
    refused = admin.post("/users", {"name": "王芳", "role": "judge"}, expect=409)
    assert judge["id"] in refused["detail"]
    c = {"type": "integrated", "scope": "县域", "core_school_id": one["id"],
         "member_school_ids": []}
    made = admin.post("/communities", c | {"name": "城东共同体"})
    refused = admin.post("/communities", c | {"name": "城东共同体　"}, expect=409)
    assert made["id"] in refused["detail"]


def test_an_archived_school_keeps_its_name(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    old = admin.post("/schools", {"name": "湾里学校", "group": "g", "stage": "小学"})
    admin.post(f"/schools/{old['id']}/archive", {"reason": "撤并"}, expect=200)
    refused = admin.post("/schools", {"name": "湾里学校", "group": "g", "stage": "小学"},
                         expect=409)
    assert "已归档" in refused["detail"] and old["id"] in refused["detail"]


def test_two_tenants_may_use_the_same_names(client, new_slug) -> None:
    for _ in range(2):
        admin = create_tenant(client, new_slug())
        admin.post("/schools", {"name": "南钢学校", "group": "g", "stage": "初中"})


def test_the_same_name_sent_at_once_lets_exactly_one_in(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())

    def create(i: int) -> tuple[int, str]:
        body = {"name": "同名学校" + " " * (i % 3), "group": "g", "stage": "初中"}
        r = admin.post("/schools", body, expect=None)
        return r.status_code, r.json().get("detail", "")

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = sorted(pool.map(create, range(6)))
    assert [status for status, _ in answers] == [201] + [409] * 5
    assert all("同名学校" in detail for _, detail in answers[1:])
    assert [s["name"].strip() for s in admin.get("/schools")] == ["同名学校"]
