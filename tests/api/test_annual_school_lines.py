"""年度考核 to the schools over HTTP: a review is published (公布) to the schools; a school's
reporter then reads their own school's annual line — the same parts and total as the admin's
board row — and nothing else: another school's line, a review not yet published, and reviews
without a line of theirs are 404 (or left out of the list) as if they did not exist; a judge
is refused by role. Figures worked by hand (青山湖, as in ``test_annual_reviews``)."""

from __future__ import annotations

from uuid import uuid4

from tests.api.flow import Api, create_tenant
from tests.api.test_annual_reviews import board, by_name, qingshanhu

NAME = "2019—2020学年度教务处工作考核"


def person(admin: Api, name: str, role: str, school_id: str | None = None) -> Api:
    body: dict = {"name": name, "role": role}
    if school_id is not None:
        body["affiliations"] = [{"kind": "school", "id": school_id}]
    return admin.as_(admin.post("/users", body)["token"])


def test_a_reporter_reads_their_own_schools_line_once_published_and_nothing_else(
        client, new_slug) -> None:
    """南钢学校: 85.00 ÷ 100 × 20 = 17.00, + 教务处日常工作 71.5 by hand → 88.50.
    京东学校: 97.50 ÷ 100 × 20 = 19.50."""
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    rnd, schools = qingshanhu(admin)
    nangang, jingdong = schools["南钢学校"], schools["京东学校"]
    review = admin.post("/annual-reviews", {"year": "2019-2020", "name": NAME, "parts": [
        {"assessment_id": rnd.id, "source": "final", "points": 20}]})
    rid = review["id"]
    manual = admin.post(f"/annual-reviews/{rid}/manual-parts", {
        "school_id": nangang, "label": "教务处日常工作", "points": 71.5,
        "reason": "对照评分细则查阅材料"})
    reporter = person(admin, "南钢学校填报员", "reporter", nangang)
    line = f"/annual-reviews/{rid}/schools/{nangang}"

    # Not yet published: the reporter finds nothing; the admin reads the line already.
    assert reporter.get(line, expect=404, after=manual["position"])
    assert reporter.get("/annual-reviews") == []
    assert admin.get(line)["published"] is False
    assert admin.get("/annual-reviews")[0]["published"] is False
    assert admin.get(f"/annual-reviews/{rid}")["published"] is False

    published = admin.post(f"/annual-reviews/{rid}/publish", expect=200)
    assert published["version"] == 3  # the aggregate's: created, manual part, published
    again = admin.post(f"/annual-reviews/{rid}/publish", expect=409)
    assert again["detail"] == "该年度考核已向学校公布"

    own = reporter.get(line, after=published["position"])
    row = by_name(board(admin, published))["南钢学校"]
    assert (own["school_id"], own["school_name"], own["total"]) == (nangang, "南钢学校", 88.5)
    assert own["parts"] == row["parts"] and own["total"] == row["total"]
    assert [(p["source"], p["source_name"], p["assessment_name"], p["value"], p["converted"])
            for p in own["parts"]] == [
        ("final", "总分", "2019—2020学年度校本教研工作述职述研评议", 85.0, 17.0),
        ("manual", "手工录入", "", 71.5, 71.5)]
    assert (own["name"], own["year"], own["version"], own["published"]) == (
        NAME, "2019-2020", 2, True)
    assert own["published_at"].endswith("+08:00") and own["updated_at"].endswith("+08:00")
    assert reporter.get("/annual-reviews") == [
        {"id": rid, "year": "2019-2020", "name": NAME, "version": 2, "published": True}]

    # Another school's line, the board, a review they have no line in: not theirs.
    assert reporter.get(f"/annual-reviews/{rid}/schools/{jingdong}", expect=404)
    assert reporter.get(f"/annual-reviews/{rid}/board", expect=403)
    elsewhere = person(admin, "外校填报员", "reporter",
                       admin.post("/schools", {"name": "外校", "group": "小学组",
                                               "stage": "小学"})["id"])
    assert elsewhere.get("/annual-reviews") == []
    assert elsewhere.get(line, expect=404)
    # A judge is refused by role; an auditor reads any school's line.
    assert rnd.judge.get(line, expect=403) and rnd.judge.get("/annual-reviews", expect=403)
    auditor = person(admin, "审计员", "auditor")
    assert auditor.get(f"/annual-reviews/{rid}/schools/{jingdong}")["total"] == 19.5
    assert admin.get(f"/annual-reviews/{rid}/schools/{jingdong}")["total"] == 19.5

    # After publication a new version (a correction of the source) reaches the school.
    corrected = rnd.correct("南钢学校", "report", 18, "申诉复核后更正")  # 90.00 → 18.00
    now = reporter.get(line, after=corrected["position"])
    assert (now["version"], now["total"]) == (3, 89.5)
    events = admin.get(f"/annual-reviews/{rid}/history")["events"]
    assert [e["type"] for e in events] == ["AnnualCreated", "AnnualManualPartEntered",
                                           "AnnualPublished", "AnnualSourceCorrected"]


def test_an_unpublished_review_stays_hidden_beside_a_published_one(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd, schools = qingshanhu(admin)
    reporter = person(admin, "京东学校填报员", "reporter", schools["京东学校"])
    shown, hidden = (admin.post("/annual-reviews", {"year": year, "name": name, "parts": [
        {"assessment_id": rnd.id, "source": "final", "weight": 1}]})
        for year, name in (("2019-2020", "已公布"), ("2020-2021", "未公布")))
    written = admin.post(f"/annual-reviews/{shown['id']}/publish", expect=200)
    listed = reporter.get("/annual-reviews", after=written["position"])
    assert [r["name"] for r in listed] == ["已公布"]
    assert reporter.get(f"/annual-reviews/{shown['id']}/schools/{schools['京东学校']}"
                        )["total"] == 97.5
    # An unpublished review answers as one that does not exist.
    missing = reporter.get(f"/annual-reviews/{hidden['id']}/schools/{schools['京东学校']}",
                           expect=404)
    nothing = reporter.get(f"/annual-reviews/{uuid4()}/schools/{schools['京东学校']}",
                           expect=404)
    assert missing["detail"].replace(hidden["id"], "…") == nothing["detail"][:-36] + "…"
    other = create_tenant(client, new_slug())
    assert other.get(f"/annual-reviews/{shown['id']}/schools/{schools['京东学校']}",
                     expect=404)
