"""Teachers, research units and communities as the seeds organise them."""

from tests.api.flow import create_tenant


def test_a_research_group_with_fewer_than_three_teachers_is_warned_not_refused(client, new_slug):
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    school = admin.post("/schools", {"name": "珠晖实验小学", "group": "小学组", "stage": "小学"})
    for i, subject in enumerate(("美术", "美术", "数学", "数学", "数学")):
        admin.post("/users", {"name": f"教师{i}", "role": "teacher", "subject": subject,
                              "affiliations": [{"kind": "school", "id": school["id"]}]})
    art = admin.post("/units", {"kind": "research_group", "name": "美术教研组",
                                "school_id": school["id"], "subject": "美术"})
    maths = admin.post("/units", {"kind": "research_group", "name": "数学教研组",
                                  "school_id": school["id"], "subject": "数学"})
    assert art["warnings"] and "美术只有2名教师" in art["warnings"][0]
    assert maths["warnings"] == []
    prep = admin.post("/units", {"kind": "prep_group", "name": "三年级数学备课组",
                                 "school_id": school["id"], "subject": "数学",
                                 "parent_id": maths["id"]})
    units = {u["id"]: u for u in admin.get("/units")}
    assert units[prep["id"]]["parent_id"] == maths["id"]
    refused = admin.post("/units", {"kind": "prep_group", "name": "无主备课组",
                                    "school_id": school["id"]}, expect=422)
    assert refused["errors"][0]["field"] == "parent_id"
    teachers = admin.get("/users", role="teacher")
    assert len(teachers) == 5 and {t["subject"] for t in teachers} == {"美术", "数学"}


def test_who_belonged_to_a_community_is_answered_for_any_day(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "吴忠市教研室")
    schools = [admin.post("/schools", {"name": f"学校{i}", "group": "g", "stage": "初中"})["id"]
               for i in range(4)]
    partner = admin.post("/schools", {"name": "银川外校", "group": "g", "stage": "初中",
                                      "external": True})["id"]
    cid = admin.post("/communities", {"name": "城乡教育共同体", "type": "integrated",
                                      "scope": "都市圈", "core_school_id": schools[0],
                                      "member_school_ids": [schools[1], partner],
                                      "since": "2019-09-01"})["id"]
    admin.post(f"/communities/{cid}/members", {"school_id": schools[2], "on": "2020-03-01"})
    admin.client.delete(admin.url(f"/communities/{cid}/members/{schools[1]}"),
                        params={"on": "2020-06-30"},
                        headers={"Authorization": f"Bearer {admin.token}"})

    def members(day: str) -> set[str]:
        return set(admin.get(f"/communities/{cid}", on=day)["member_school_ids"])

    assert members("2019-08-31") == set()
    assert members("2019-12-01") == {schools[1], partner}
    assert members("2020-04-01") == {schools[1], partner, schools[2]}
    assert members("2020-07-01") == {partner, schools[2]}
    assert admin.get(f"/communities/{cid}", on="2020-07-01")["core_school_id"] == schools[0]
