"""年度考核 over HTTP: parts from published rounds, the share rule, corrections as versions,
the board as of a moment, verify, and tenants kept apart. Figures worked by hand."""

from __future__ import annotations

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from adapters.postgres.versions import schema_of, view_schema
from tests.api.annual_flow import OneJudgeRound, school
from tests.api.flow import Api, create_tenant
from tests.evidence_files import pdf


def board(admin: Api, review: dict, **params) -> dict:
    return admin.get(f"/annual-reviews/{review['id']}/board", after=review["position"], **params)


def by_name(found: dict) -> dict:
    return {line["name"]: line for line in found["lines"]}


def qingshanhu(admin: Api) -> tuple[OneJudgeRound, dict[str, str]]:
    """青山湖 2019—2020 述职述研: one component (述职述研, weight 100), a card of 20 points.

    南钢学校 17 of 20 → 17 ÷ 20 × 100 = 85.00;  京东学校 19.5 → 97.50.
    """
    schools = {n: school(admin, n) for n in ("南钢学校", "京东学校")}
    rnd = OneJudgeRound(admin, "2019—2020学年度校本教研工作述职述研评议",
                        {n: ("school", sid) for n, sid in schools.items()}, {"report": 100})
    rnd.score("南钢学校", "report", 17)
    rnd.score("京东学校", "report", 19.5)
    rnd.publish()
    return rnd, schools


def test_qingshanhu_converts_the_report_into_the_annual_teaching_office_result(
        client, new_slug) -> None:
    """折算 into the 教务处 annual assessment: 述职述研 is worth 20 of its 100 points, the
    rest (教务处日常工作, 80 points) is entered by hand with its evidence and a reason.

    南钢学校: 85.00 ÷ 100 × 20 = 17.00;  + 日常工作 71.5  → 88.50
    京东学校: 97.50 ÷ 100 × 20 = 19.50                    → 19.50 (nothing entered yet)
    """
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    rnd, schools = qingshanhu(admin)
    review = admin.post("/annual-reviews", {
        "year": "2019-2020", "name": "2019—2020学年度教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    first = by_name(board(admin, review))
    assert first["南钢学校"]["total"] == 17.0 and first["京东学校"]["total"] == 19.5
    [part] = first["南钢学校"]["parts"]
    assert (part["source"], part["value"], part["converted"], part["assessment_name"]) == (
        "final", 85.0, 17.0, "2019—2020学年度校本教研工作述职述研评议")
    assert part["label"] == "2019—2020学年度校本教研工作述职述研评议（总分）"

    evidence = admin.post("/evidence", files={"file": ("考核表.pdf", pdf(b"x"),
                                                        "application/pdf")})["id"]
    manual = admin.post(f"/annual-reviews/{review['id']}/manual-parts", {
        "school_id": schools["南钢学校"], "label": "教务处日常工作", "points": 71.5,
        "reason": "对照《教务（导）处工作考核评分细则》查阅材料", "evidence_ids": [evidence]})
    assert manual["key"] == "m1" and manual["version"] == 2
    now = board(admin, manual)
    assert now["version"] == 2
    lines = by_name(now)
    assert lines["南钢学校"]["total"] == 88.5
    assert [p["source"] for p in lines["南钢学校"]["parts"]] == ["final", "manual"]
    assert now["changes"] == [{"school_id": schools["南钢学校"], "name": "南钢学校",
                               "before": 17.0, "after": 88.5, "difference": 71.5,
                               "parts": ["m1"]}]
    # A manual part needs a reason; the history keeps who entered what and why.
    refused = admin.post(f"/annual-reviews/{review['id']}/manual-parts", {
        "school_id": schools["京东学校"], "label": "x", "points": 1, "reason": " "}, expect=422)
    assert "reason" in {e["field"] for e in refused["errors"]}
    events = admin.get(f"/annual-reviews/{review['id']}/history")["events"]
    assert [e["type"] for e in events] == ["AnnualCreated", "AnnualManualPartEntered"]
    assert events[1]["reason"] == "对照《教务（导）处工作考核评分细则》查阅材料"
    assert events[1]["details"]["evidence_ids"] == [evidence]


def test_yuhuan_a_community_result_reaches_each_member_school_by_the_share_rule(
        client, new_slug) -> None:
    """玉环 2022学年: 融合型 玉城共同体 (core 玉城小学, members 沙门小学, 干江小学) is
    scored on 常态化工作 (weight 60) and 项目评估 (weight 40), 20 points a card.

    常态化工作 18 of 20 → 18 ÷ 20 × 60 = 54;  项目评估 15 of 20 → 15 ÷ 20 × 40 = 30
    final 84.00. The year counts the community's final at 20% (weight 0.2 → 16.80) and its
    项目评估 score as 10 points (15 ÷ 20 × 10 = 7.50) into EACH of the three schools:
    16.80 + 7.50 = 24.30 each. 楚门小学 (a school subject, final 90.00 × 0.5 = 45.00) is in
    no community: it gets its own part only.
    """
    admin = create_tenant(client, new_slug(), "玉环市教育局")
    ids = {n: school(admin, n) for n in ("玉城小学", "沙门小学", "干江小学", "楚门小学")}
    community = admin.post("/communities", {
        "name": "玉城共同体", "type": "integrated", "scope": "县域",
        "core_school_id": ids["玉城小学"], "member_school_ids": [ids["沙门小学"], ids["干江小学"]],
        "since": "2022-09-01"})["id"]
    rnd = OneJudgeRound(admin, "2022学年城乡义务教育共同体考核",
                        {"玉城共同体": ("community", community),
                         "楚门小学": ("school", ids["楚门小学"])},
                        {"routine": 60, "project": 40}, period=True)
    rnd.score("玉城共同体", "routine", 18)
    rnd.score("玉城共同体", "project", 15)
    rnd.score("楚门小学", "routine", 18)
    rnd.score("楚门小学", "project", 18)
    rnd.publish()
    review = admin.post("/annual-reviews", {"year": "2022-2023", "name": "2022学年度学校考核",
                                            "parts": [
        {"assessment_id": rnd.id, "source": "final", "weight": 0.2,
         "applies_to": "community_members"},
        {"assessment_id": rnd.id, "source": "project", "points": 10,
         "applies_to": "community_members"},
        {"assessment_id": rnd.id, "source": "final", "weight": 0.5, "applies_to": "subject"}]})
    lines = by_name(board(admin, review))
    assert set(lines) == {"玉城小学", "沙门小学", "干江小学", "楚门小学"}
    for name in ("玉城小学", "沙门小学", "干江小学"):
        parts = {p["key"]: p for p in lines[name]["parts"]}
        assert lines[name]["total"] == 24.3
        assert (parts["p1"]["value"], parts["p1"]["converted"], parts["p1"]["via"]) == (
            84.0, 16.8, "玉城共同体")
        assert (parts["p2"]["value"], parts["p2"]["converted"]) == (15.0, 7.5)
        assert parts["p2"]["label"] == "2022学年城乡义务教育共同体考核（项目评估）"
    assert lines["楚门小学"]["total"] == 45.0
    assert [p["key"] for p in lines["楚门小学"]["parts"]] == ["p3"]


def test_a_correction_after_publication_makes_version_2_and_as_of_still_shows_version_1(
        client, new_slug) -> None:
    """After an appeal 南钢学校's card is corrected from 17 to 18 of 20: 85.00 → 90.00, so
    its annual part goes 17.00 → 18.00 (difference +1.00); 京东学校 is unchanged."""
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    rnd, schools = qingshanhu(admin)
    review = admin.post("/annual-reviews", {
        "year": "2019-2020", "name": "教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    v1 = board(admin, review)
    admin.post(f"/assessments/{rnd.id}/publish", expect=409)  # published: no second sheet
    republished = rnd.correct("南钢学校", "report", 18, "申诉复核：2.1 漏计 1 分")
    v2 = board(admin, {"id": review["id"], "position": republished["position"]})
    assert (v1["version"], v2["version"]) == (1, 2)
    assert by_name(v2)["南钢学校"]["total"] == 18.0 and by_name(v2)["京东学校"]["total"] == 19.5
    assert v2["changes"] == [{"school_id": schools["南钢学校"], "name": "南钢学校",
                              "before": 17.0, "after": 18.0, "difference": 1.0,
                              "parts": ["p1"]}]
    assert [(v["version"], v["what"]) for v in v2["versions"]] == [
        (1, "created"), (2, "source_corrected")]
    assert admin.get(f"/annual-reviews/{review['id']}/verify") == {
        "ok": True, "version": 2, "mismatches": []}
    assert v2["versions"][1]["assessment_name"] == rnd.admin.get(
        f"/assessments/{rnd.id}")["name"]
    assert v2["versions"][1]["reason"] == "申诉复核：2.1 漏计 1 分"
    # Nothing overwritten: the board as it stood before the correction is version 1.
    moment = v2["versions"][0]["at"]
    then = admin.get(f"/annual-reviews/{review['id']}/board", as_of=moment)
    assert then["version"] == 1 and then["as_of"]
    assert v1["position"] <= then["position"] < v2["versions"][1]["position"]
    assert by_name(then)["南钢学校"]["total"] == 17.0 and then["changes"] == []
    before = admin.get(f"/annual-reviews/{review['id']}/board", as_of="2000-01-01T00:00:00Z",
                       expect=404)
    assert before["status"] == 404
    # Both publications stay in the log; the review's history shows the correction.
    events = admin.get(f"/annual-reviews/{review['id']}/history")["events"]
    assert [e["type"] for e in events] == ["AnnualCreated", "AnnualSourceCorrected"]


def test_verify_agrees_with_the_events_and_finds_a_doctored_board(client, new_slug,
                                                                  container) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    rnd, _ = qingshanhu(admin)
    review = admin.post("/annual-reviews", {
        "year": "2019-2020", "name": "教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    auditor = admin.as_(admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    board(admin, review)
    assert auditor.get(f"/annual-reviews/{review['id']}/verify") == {
        "ok": True, "version": 1, "mismatches": []}
    with container.pool.connection() as conn:  # someone edits the projection by hand
        conn.execute(SQL(
            "UPDATE {}.annual_boards SET state = jsonb_set(state,"
            " '{{inputs,sources,{}}}', jsonb_set(state #> '{{inputs,sources,{}}}',"
            " '{{lines,0,final}}', '\"99\"')) WHERE review_id = %s").format(
                Identifier(view_schema(admin.slug, 1)), SQL(rnd.id), SQL(rnd.id)),
            (review["id"],))
    result = auditor.get(f"/annual-reviews/{review['id']}/verify")
    assert not result["ok"]
    assert {m["field"] for m in result["mismatches"]} >= {"total", "p1"}
    reporter = admin.post("/users", {"name": "教务处", "role": "reporter"})["token"]
    admin.as_(reporter).get(f"/annual-reviews/{review['id']}/verify", expect=403)


def test_parts_come_only_from_published_rounds_and_name_what_is_wrong(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    sid = school(admin, "南钢学校")
    rnd = OneJudgeRound(admin, "未公示的评议", {"南钢学校": ("school", sid)}, {"report": 100})
    refused = admin.post("/annual-reviews", {"year": "2019-2020", "name": "x", "parts": [
        {"assessment_id": rnd.id, "source": "final", "points": 20}]}, expect=422)
    assert refused["errors"][0]["field"] == "parts[0].assessment_id"
    rnd.score("南钢学校", "report", 17)
    rnd.publish()
    refused = admin.post("/annual-reviews", {"year": "2019-2020", "name": "x", "parts": [
        {"assessment_id": rnd.id, "source": "nope", "points": 20, "weight": 1}]}, expect=422)
    assert {e["field"] for e in refused["errors"]} == {"parts[0].source", "parts[0]"}


def test_two_tenants_with_colliding_ids_and_names_stay_apart(client, new_slug,
                                                            container) -> None:
    """B starts as a copy of A's log (every id and name collides), then each diverges: A
    corrects its round, B enters a manual part. Each board, history and check is its own."""
    one = create_tenant(client, new_slug(), "青山湖区教研中心")
    two = create_tenant(client, new_slug(), "青山湖区教研中心")
    rnd, schools = qingshanhu(one)
    review = one.post("/annual-reviews", {
        "year": "2019-2020", "name": "教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    with container.tenant_db(one.slug) as conn:
        copied = conn.execute(SQL("SELECT originator_id, originator_version, topic, state FROM"
                                  " {}.kaoping_events ORDER BY notification_id").format(
            Identifier(schema_of(one.slug)))).fetchall()
    container.app(two.slug).recorder.insert_events([
        StoredEvent(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
        for r in copied if not r["topic"].startswith("domain.names:")])
    container.projector.catch_up(two.slug)
    copy = two.get(f"/annual-reviews/{review['id']}/board")
    assert by_name(copy)["南钢学校"]["total"] == 17.0  # the same ids in B
    rnd.correct("南钢学校", "report", 18, "申诉复核")
    two.post(f"/annual-reviews/{review['id']}/manual-parts", {
        "school_id": schools["京东学校"], "label": "教务处日常工作", "points": 70,
        "reason": "乙区录入"})
    container.projector.catch_up(one.slug)
    container.projector.catch_up(two.slug)
    mine = board(one, review)
    theirs = two.get(f"/annual-reviews/{review['id']}/board")
    assert [v["what"] for v in mine["versions"]] == ["created", "source_corrected"]
    assert [v["what"] for v in theirs["versions"]] == ["created", "manual"]
    assert by_name(mine)["南钢学校"]["total"] == 18.0 and by_name(mine)["京东学校"]["total"] == 19.5
    assert by_name(theirs)["南钢学校"]["total"] == 17.0
    assert by_name(theirs)["京东学校"]["total"] == 89.5
    for api in (one, two):
        assert api.get(f"/annual-reviews/{review['id']}/verify")["ok"]
    assert [e["type"] for e in two.get(f"/annual-reviews/{review['id']}/history")["events"]] == [
        "AnnualCreated", "AnnualManualPartEntered"]
    one.as_(two.token).get(f"/annual-reviews/{review['id']}/board", expect=404)
