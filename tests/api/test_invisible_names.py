"""Names must show something: names of only invisible characters (zero-width characters, a
BOM, blanks) are refused; bidirectional controls are removed from the name as stored."""

import pytest

from tests.api.flow import create_tenant
from tests.conftest import OPERATOR_TOKEN, drop_tenant

INVISIBLE = ["\u200b", "\ufeff", "\u200b\u200c\u200d\u2060", "\u3000 ", "\u3164",
             "\u202e\u202d", "\u2066\u2069"]
SCHOOL = {"group": "一贯制学校组", "stage": "初中"}


@pytest.fixture
def admin(client, new_slug):
    return create_tenant(client, new_slug(), "名称测试区")


@pytest.mark.parametrize("name", INVISIBLE, ids=[n.encode("unicode_escape").decode()
                                                for n in INVISIBLE])
def test_a_name_of_only_invisible_characters_is_refused(admin, name) -> None:
    for path, body in (("/schools", {"name": name, **SCHOOL}),
                       ("/users", {"name": name, "role": "judge"}),
                       ("/units", {"kind": "research_group", "name": name})):
        refused = admin.post(path, body, expect=400)
        assert [e["message"] for e in refused["errors"]] == \
            ["`name` 没有可见字符：只有空白或不可见字符"], refused
    schools = admin.get("/schools")
    assert schools == []  # nothing was written


def test_a_school_group_or_a_rename_to_nothing_visible_is_refused(admin) -> None:
    made = admin.post("/schools", {"name": "南钢学校", **SCHOOL})
    assert admin.post("/schools", {"name": "京东学校", "group": "\ufeff"}, expect=400)
    r = admin.client.patch(admin.url(f"/schools/{made['id']}"),
                           json={"name": "\u200b", "reason": "改名"},
                           headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 400, r.text
    assert [s["name"] for s in admin.get("/schools")] == ["南钢学校"]


def test_bidirectional_overrides_are_removed_from_names(client, container, admin) -> None:
    made = admin.post("/schools", {"name": "南钢\u202e学校\u202c", **SCHOOL})
    admin.post("/users", {"name": "\u2067评委\u2069甲", "role": "judge"})
    assert [s["name"] for s in admin.get("/schools")] == ["南钢学校"]
    assert admin.get(f"/schools/{made['id']}")["name"] == "南钢学校"
    assert "评委甲" in [u["name"] for u in admin.get("/users")]
    slug = f"bidi{made['id'][:8]}"
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": "\u202e区教研室"},
                    headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    assert r.status_code == 201, r.text
    try:
        listed = client.get("/api/v1/tenants", headers={"Authorization": f"Bearer "
                                                                      f"{OPERATOR_TOKEN}"})
        assert {"slug": slug, "name": "区教研室"}.items() <= next(
            t for t in listed.json() if t["slug"] == slug).items()
    finally:
        drop_tenant(container, slug)


def test_names_with_joiners_inside_visible_text_are_kept(admin) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 家校共育组"  # an emoji ZWJ sequence
    admin.post("/schools", {"name": family, **SCHOOL})
    assert [s["name"] for s in admin.get("/schools")] == [family]
