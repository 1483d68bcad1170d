"""Two worked examples, computed by hand in the comments, driven over HTTP."""


from tenants.templates import rubric_template
from tests.api.flow import RUBRIC, Api, create_tenant


def scores_totalling(leaves: list[tuple[str, float]], total: float) -> dict[str, float]:
    """Full marks, then points taken off leaf by leaf until the card totals ``total``."""
    scores = dict(leaves)
    deduct = sum(scores.values()) - total
    for code, maximum in leaves:
        cut = min(deduct, maximum)
        scores[code] = maximum - cut
        deduct -= cut
    assert deduct == 0
    return scores


def leaves_of(nodes) -> list[tuple[str, float]]:
    out = []
    for node in nodes:
        if node.get("children"):
            out += leaves_of(node["children"])
        else:
            out.append((node["code"], float(node["max_points"])))
    return out


def post_rubric(admin: Api, body: dict) -> str:
    rubric = admin.post("/rubrics", body)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    return rubric["id"]


def zhuhui_body() -> dict:
    name, step, indicators = rubric_template()

    def node(i) -> dict:
        out = {"code": i.code, "title": i.title}
        if i.weight is not None:
            out["weight"] = float(i.weight)
        if i.children:
            out["children"] = [node(c) for c in i.children]
        else:
            out["max_points"] = float(i.max_points)
        return out

    return {"name": name, "step": float(step), "indicators": [node(i) for i in indicators]}


def test_zhuhui_five_judges_a_recusal_and_a_trimmed_mean(client, new_slug) -> None:
    """珠晖 rubric (100 points), trimmed mean (drop one highest, one lowest), quorum 3.

    Judge 5 works at 新才学校 and is recused from it when added to the panel.

    南钢学校: 92 88 95 90 70  → drop 95 and 70 → (92+88+90)/3 = 90   → 优秀, rank 1
    京东学校: 80 85 90 78 84  → drop 90 and 78 → (80+85+84)/3 = 83
      then judge 3 declares recusal (reason given): 80 85 78 84 → drop 85, 78 → 82
                                                                       → 合格, rank 2
    新才学校: 75 79 77 81 (judge 5 refused, and the attempt recorded)
                              → drop 81 and 75 → (79+77)/2 = 78   → 合格, rank 3
    """
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    body = zhuhui_body()
    leaves = leaves_of(body["indicators"])
    rubric = post_rubric(admin, body)
    names = ("南钢学校", "京东学校", "新才学校")
    schools = [admin.post("/schools", {"name": n, "group": "一贯制学校组", "stage": "初中"})["id"]
               for n in names]
    judges = []
    for i in range(5):
        affiliations = [{"kind": "school", "id": schools[2]}] if i == 4 else []
        made = admin.post("/users", {"name": f"评委{i + 1}", "role": "judge",
                                     "affiliations": affiliations})
        judges.append((made["id"], admin.as_(made["token"])))
    aid = admin.post("/assessments", {
        "name": "2019—2020学年度教研组建设评价",
        "components": [{"key": "build", "name": "教研组建设", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "g", "name": "一贯制学校组", "time_limit_minutes": 8}],
        "aggregation": {"method": "trimmed_mean", "trim": 1},
        "quorum": 3,
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                 {"name": "不合格", "min": 0}]},
    })["id"]
    subjects = [admin.post(f"/assessments/{aid}/subjects",
                           {"kind": "school", "ref_id": s, "group": "g"})["subject_id"]
                for s in schools]
    panel = [admin.post(f"/assessments/{aid}/panel", {"judge_id": j})["recusals"]
             for j, _ in judges]
    assert panel[:4] == [[], [], [], []]
    assert panel[4] == [{"subject_id": subjects[2], "category": "employment",
                         "reason": "评委任职于被评学校", "subject_name": "新才学校"}]
    admin.post(f"/assessments/{aid}/open", expect=200)

    totals = {0: (92, 88, 95, 90, 70), 1: (80, 85, 90, 78, 84), 2: (75, 79, 77, 81, None)}
    for s, row in totals.items():
        for j, total in enumerate(row):
            if total is None:
                continue
            card = f"/assessments/{aid}/scorecards/{subjects[s]}/build"
            judges[j][1].put(card, {"scores": scores_totalling(leaves, total)})
            judges[j][1].post(card + "/submit", expect=200)
    refused = judges[4][1].put(f"/assessments/{aid}/scorecards/{subjects[2]}/build",
                               {"scores": {leaves[0][0]: 1}}, expect=409)
    assert "回避" in refused["detail"]

    board = {r["subject_id"]: r for r in admin.get(f"/assessments/{aid}/scoreboard")["rows"]}
    assert board[subjects[1]]["final"] == 83.0

    judges[2][1].post(f"/assessments/{aid}/recusals",
                      {"subject_id": subjects[1], "reason": "与该校校长系亲属"})
    board = {r["subject_id"]: r for r in admin.get(f"/assessments/{aid}/scoreboard")["rows"]}
    expected = {subjects[0]: (90.0, "优秀", 1), subjects[1]: (82.0, "合格", 2),
                subjects[2]: (78.0, "合格", 3)}
    assert {k: (r["final"], r["tier"], r["rank"]) for k, r in board.items()} == expected
    assert sorted(board[subjects[0]]["components"]["build"]["dropped"]) == sorted(
        [judges[2][0], judges[4][0]])
    assert board[subjects[2]]["components"]["build"]["judges"] == 4

    history = admin.get(f"/assessments/{aid}/history", limit=1000)["events"]
    assert not [e for e in history if e["type"] == "RecusedScoringRefused"]  # not a change
    audit = admin.as_(admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    refusals = audit.get("/audit/refusals")
    assert [(r["kind"], r["actor_id"]) for r in refusals] == [("recused", judges[4][0])]
    assert refusals[0]["route"].endswith("/scorecards/{subject_id}/{component}")
    declared = [e for e in history if e["type"] == "JudgeRecused"
                and e["details"]["category"] == "declared"]
    assert declared[0]["reason"] == "与该校校长系亲属"


def test_yuhuan_year_with_three_components_and_communities_of_each_type(client, new_slug):
    """玉环-style year: 第一学期常态化 30, 第二学期常态化 30, 项目评估 40 (raw out of 20 each).

    One judge, mean. Each community: a core school and two members. Bundled (捆绑) scores:
    融合型/共建型 — routine 1:1, project 7:3; 协作型 — every school equally.

              r1  r2  project
      I0 core 20  18  16      I1 16 14 10   I2 12 10 6    (I3 left before the period ended)
      C0 core 18  18  18      C1 14 14  8   C2 10 10 4
      L0 core 20  20  20      L1 10 10 10   L2 15 15 15

    融合型 I: r1 .5·20+.5·14 = 17   r2 .5·18+.5·12 = 15   project .7·16+.3·8 = 13.6
              → 17/20·30 + 15/20·30 + 13.6/20·40 = 25.5 + 22.5 + 27.2 = 75.2   rank 1
    共建型 C: r1 15, r2 15, project .7·18+.3·6 = 14.4 → 22.5 + 22.5 + 28.8 = 73.8   rank 3
    协作型 L: every component (20+10+15)/3 = 15       → 22.5 + 22.5 + 30   = 75.0   rank 2
    School I0: 20/20·30 + 18/20·30 + 16/20·40 = 30 + 27 + 32 = 89.
    """
    admin = create_tenant(client, new_slug(), "玉环市教育局")
    rubric = post_rubric(admin, RUBRIC)
    leaves = leaves_of(RUBRIC["indicators"])
    table = {"I0": (20, 18, 16), "I1": (16, 14, 10), "I2": (12, 10, 6), "I3": (0, 0, 0),
             "C0": (18, 18, 18), "C1": (14, 14, 8), "C2": (10, 10, 4),
             "L0": (20, 20, 20), "L1": (10, 10, 10), "L2": (15, 15, 15)}
    school = {n: admin.post("/schools", {"name": f"学校{n}", "group": "小学组",
                                         "stage": "小学"})["id"] for n in table}
    communities = {}
    for name, kind in (("I", "integrated"), ("C", "co_built"), ("L", "collaborative")):
        members = [school[f"{name}1"], school[f"{name}2"]] + (
            [school["I3"]] if name == "I" else [])
        communities[name] = admin.post("/communities", {
            "name": f"共同体{name}", "type": kind, "scope": "县域",
            "core_school_id": school[f"{name}0"], "member_school_ids": members,
            "since": "2019-09-01"})["id"]
    admin.client.delete(admin.url(f"/communities/{communities['I']}/members/{school['I3']}"),
                        params={"on": "2020-03-01"},
                        headers={"Authorization": f"Bearer {admin.token}"})
    judge = admin.post("/users", {"name": "评委", "role": "judge"})
    components = [("r1", "第一学期常态化工作", 30, "routine"),
                  ("r2", "第二学期常态化工作", 30, "routine"),
                  ("project", "项目评估", 40, "project")]
    aid = admin.post("/assessments", {
        "name": "2019学年度学校教研工作考核",
        "components": [{"key": k, "name": n, "rubric_id": rubric, "rubric_version": 1,
                        "weight": w, "kind": kind} for k, n, w, kind in components],
        "groups": [{"key": "schools", "name": "学校"}, {"key": "communities", "name": "共同体"}],
        "period": {"starts_on": "2019-09-01", "ends_on": "2020-08-31"},
    })["id"]
    subject = {n: admin.post(f"/assessments/{aid}/subjects", {
        "kind": "school", "ref_id": school[n], "group": "schools"})["subject_id"] for n in table}
    for name, community_id in communities.items():
        subject[name] = admin.post(f"/assessments/{aid}/subjects", {
            "kind": "community", "ref_id": community_id, "group": "communities"})["subject_id"]
    admin.post(f"/assessments/{aid}/panel", {"judge_id": judge["id"]})
    admin.post(f"/assessments/{aid}/open", expect=200)
    scorer = admin.as_(judge["token"])
    for name, points in table.items():
        for (key, *_), total in zip(components, points, strict=True):
            card = f"/assessments/{aid}/scorecards/{subject[name]}/{key}"
            scorer.put(card, {"scores": scores_totalling(leaves, total)})
            scorer.post(card + "/submit", expect=200)

    rows = {r["subject_id"]: r for r in admin.get(f"/assessments/{aid}/scoreboard")["rows"]}
    finals = {n: (rows[subject[n]]["final"], rows[subject[n]]["rank"]) for n in "ICL"}
    assert finals == {"I": (75.2, 1), "C": (73.8, 3), "L": (75.0, 2)}
    assert rows[subject["I"]]["components"]["project"]["score"] == 13.6
    assert "derived:project" in rows[subject["I"]]["flags"]
    assert rows[subject["I0"]]["final"] == 89.0
