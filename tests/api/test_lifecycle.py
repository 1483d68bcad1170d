"""Issue 9: closing and finalising only over complete rounds (or with a recorded override),
reopening a closed round, submitted cards locked, and the progress page (评分进度)."""

from tests.api.flow import RUBRIC, Api, Round, create_tenant

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def history(admin: Api, aid: str, type_: str) -> list[dict]:
    return [e for e in admin.get(f"/assessments/{aid}/history", limit=1000)["events"]
            if e["type"] == type_]


def test_a_card_reopened_after_close_is_rescored_once_the_admin_reopens_the_round(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=2)
    for judge in range(2):
        for subject in rnd.subjects:
            rnd.score(judge, subject, FULL)
    base = f"/assessments/{rnd.id}"
    admin.post(base + "/close", expect=200)
    (judge_id, judge), first = rnd.judges[0], rnd.subjects[0]
    admin.post(rnd.card(first) + "/reopen", {"judge_id": judge_id, "reason": "第2.1项漏看材料"},
               expect=200)
    problem(judge.put(rnd.card(first), {"scores": {"2.1": 8}}, expect=None), 409)
    refused = problem(admin.post(base + "/finalise", expect=None), 409)
    assert refused["missing"] == [{
        "judge_id": judge_id, "judge_name": "评委1", "subject_id": first,
        "subject_name": "南钢学校", "group": "yiguanzhi", "group_name": "一贯制学校组",
        "component": "routine", "component_name": "常态化工作", "state": "reopened"}]
    assert refused["below_quorum"] == []
    assert admin.get(base)["status"] == "closed"  # the refusal changed nothing

    problem(admin.post(base + "/reopen", {}, expect=None), 422)
    admin.post(base + "/reopen", {"reason": "评委1更正第2.1项"}, expect=200)
    assert admin.get(base)["status"] == "open"
    problem(admin.post(base + "/reopen", {"reason": "再开一次"}, expect=None), 409)  # not closed
    judge.put(rnd.card(first), {"scores": {"2.1": 8}})
    judge.post(rnd.card(first) + "/submit", expect=200)
    for step in ("close", "finalise", "publish"):
        admin.post(f"{base}/{step}", expect=200)
    rows = admin.get(base + "/results")["rows"]
    assert {r["subject_id"] for r in rows} == set(rnd.subjects)
    assert all(r["final"] is not None and r["tier"] for r in rows)
    assert {r["subject_id"]: r["final"] for r in rows}[first] == 95.0  # (18 + 20) / 2
    reopened = [e for e in history(admin, rnd.id, "StatusChanged")
                if e["details"]["status"] == "open" and e["reason"]]
    assert [e["reason"] for e in reopened] == ["评委1更正第2.1项"]


def quorum_round(admin: Api) -> tuple[str, list[str], list[tuple[str, Api]]]:
    """Two schools, two judges, quorum 2; judge 2 is recused (回避) from the second school."""
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    aid = admin.post("/assessments", {
        "name": "考核", "quorum": 2, "groups": [{"key": "g", "name": "小学组"}],
        "components": [{"key": "routine", "name": "常态化", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}]})["id"]
    subjects = []
    for name in ("南钢学校", "京东学校"):
        ref = admin.post("/schools", {"name": name, "group": "小学组", "stage": "小学"})["id"]
        subjects.append(admin.post(f"/assessments/{aid}/subjects",
                                   {"kind": "school", "ref_id": ref, "group": "g"})["subject_id"])
    judges = []
    for name in ("甲评委", "乙评委"):
        made = admin.post("/users", {"name": name, "role": "judge"})
        admin.post(f"/assessments/{aid}/panel", {"judge_id": made["id"]})
        judges.append((made["id"], admin.as_(made["token"])))
    admin.post(f"/assessments/{aid}/open", expect=200)
    judges[1][1].post(f"/assessments/{aid}/recusals",
                      {"subject_id": subjects[1], "reason": "曾在该校任教"})
    return aid, subjects, judges


def test_close_and_finalise_list_what_is_missing_and_overrides_are_recorded(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    aid, (first, second), ((a, judge_a), (b, judge_b)) = quorum_round(admin)
    card = f"/assessments/{aid}/scorecards/{{}}/routine"
    for subject in (first, second):
        judge_a.put(card.format(subject), {"scores": FULL})
        judge_a.post(card.format(subject) + "/submit", expect=200)
    judge_b.put(card.format(first), {"scores": {"1.1": 5}})  # saved, never submitted

    refused = problem(admin.post(f"/assessments/{aid}/close", expect=None), 409)
    assert [(m["judge_name"], m["subject_name"], m["state"]) for m in refused["missing"]] == [
        ("乙评委", "南钢学校", "saved")]  # the recused pair is owed nothing
    assert refused["missing"][0]["judge_id"] == b
    problem(admin.post(f"/assessments/{aid}/close", {"force": ""}, expect=None), 422)
    admin.post(f"/assessments/{aid}/close", {"force": "乙评委临时缺席"}, expect=200)

    refused = problem(admin.post(f"/assessments/{aid}/finalise", expect=None), 409)
    assert [(m["judge_id"], m["subject_id"], m["state"]) for m in refused["missing"]] == [
        (b, first, "saved")]
    assert [(q["subject_name"], q["component_name"], q["submitted"], q["quorum"])
            for q in refused["below_quorum"]] == [("南钢学校", "常态化", 1, 2),
                                                  ("京东学校", "常态化", 1, 2)]
    admin.post(f"/assessments/{aid}/finalise", {"accept_incomplete": "经考核领导小组同意"},
               expect=200)
    steps = {e["details"]["status"]: e for e in history(admin, aid, "StatusChanged")}
    forced, accepted = steps["closed"], steps["finalised"]
    assert (forced["reason"], forced["details"]["override"]) == ("乙评委临时缺席", "force")
    assert forced["details"]["missing"] == [
        {"judge_id": b, "subject_id": first, "component": "routine", "state": "saved"}]
    assert accepted["reason"] == "经考核领导小组同意"
    assert accepted["details"]["override"] == "accept_incomplete"
    assert [q["subject_id"] for q in accepted["details"]["below_quorum"]] == [first, second]
    assert a not in {m["judge_id"] for m in accepted["details"]["missing"]}


def test_a_submitted_card_is_locked_and_its_judge_reopens_it_while_the_round_is_open(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=2)
    (me, judge), (other, other_judge) = rnd.judges
    first, second = rnd.subjects
    rnd.score(0, first, FULL)
    rnd.score(1, first, FULL)
    for body in ({"scores": {"2.1": 9}}, {"scores": {"2.1": 9}, "reason": "复核后扣分"}):
        problem(judge.put(rnd.card(first), body, expect=None), 409)
    assert judge.get(rnd.card(first))["scores"]["2.1"] == 10.0  # nothing changed
    problem(judge.post(rnd.card(first) + "/reopen", {"reason": ""}, expect=None), 422)
    problem(judge.post(rnd.card(first) + "/reopen",
                       {"judge_id": other, "reason": "替他改"}, expect=None), 403)
    assert other_judge.get(rnd.card(first))["submitted"] is True
    reopened = judge.post(rnd.card(first) + "/reopen", {"reason": "复核后扣分"}, expect=200)
    assert reopened["submitted"] is False
    judge.put(rnd.card(first), {"scores": {"2.1": 9}})
    judge.post(rnd.card(first) + "/submit", expect=200)
    assert judge.get(rnd.card(first))["total"] == 19.0
    [entry] = history(admin, rnd.id, "Reopened")
    assert (entry["actor"]["id"], entry["reason"]) == (me, "复核后扣分")

    rnd.score(0, second, FULL)
    rnd.score(1, second, FULL)
    admin.post(f"/assessments/{rnd.id}/close", expect=200)
    problem(judge.post(rnd.card(second) + "/reopen", {"reason": "想再改"}, expect=None), 409)
    problem(admin.post(rnd.card(second) + "/reopen", {"reason": "缺评委"}, expect=None), 422)


def test_progress_counts_cards_per_judge_and_subject_with_recusals_as_huibi(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=3)
    first, second = rnd.subjects
    ids = [j for j, _ in rnd.judges]
    rnd.judges[2][1].post(f"/assessments/{rnd.id}/recusals",
                          {"subject_id": second, "reason": "本人系该校校友"})
    rnd.score(0, first, FULL)
    rnd.score(0, second, FULL)
    last = rnd.score(1, first, {"1.1": 3}, submit=False)
    auditor = admin.as_(admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    seen = auditor.get(f"/assessments/{rnd.id}/progress", after=last["position"])
    assert seen["caught_up"] and seen["status"] == "open"
    count = ("not_started", "saved", "submitted", "recused")
    assert [(j["judge_id"], j["name"], *(j[c] for c in count), j["recused_subjects"])
            for j in seen["judges"]] == [
        (ids[0], "评委1", 0, 0, 2, 0, []),
        (ids[1], "评委2", 1, 1, 0, 0, []),
        (ids[2], "评委3", 1, 0, 0, 1, ["京东学校"])]
    assert [(s["name"], s["group_name"], *(s[c] for c in count)) for s in seen["subjects"]] == [
        ("南钢学校", "一贯制学校组", 1, 1, 1, 0), ("京东学校", "一贯制学校组", 1, 0, 1, 1)]
    recused = [c for c in seen["cards"] if c["state"] == "recused"]
    assert [(c["judge_name"], c["subject_name"], c["label"]) for c in recused] == [
        ("评委3", "京东学校", "回避")]
    assert len(seen["cards"]) == 3 * 2 * 1
    rnd.judges[0][1].get(f"/assessments/{rnd.id}/progress", expect=403)
