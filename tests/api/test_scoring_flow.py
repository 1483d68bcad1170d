"""Point 2 of the foundation issue, over HTTP: from rubric to board and history."""

from tests.api.flow import Round, create_tenant


def test_judges_score_and_the_board_shows_means_and_ranks(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin)
    first, second = rnd.subjects
    rnd.score(0, first, {"1.1": 6, "1.2": 4, "2.1": 10})    # 20
    rnd.score(1, first, {"1.1": 5, "1.2": 3.5, "2.1": 9})   # 17.5
    rnd.score(0, second, {"1.1": 4, "1.2": 2, "2.1": 6})    # 12
    last = rnd.score(1, second, {"1.1": 3, "1.2": 2, "2.1": 5}, submit=False)  # draft only
    board = admin.get(f"/assessments/{rnd.id}/scoreboard", after=last["position"])
    assert board["caught_up"] and board["position"] >= last["position"]
    rows = {r["subject_id"]: r for r in board["rows"]}
    assert rows[first]["components"]["routine"] == {
        "score": 18.75, "converted": 93.75, "judges": 2, "dropped": [],
        "self_score": None, "gap": None}
    assert rows[first]["final"] == 93.75 and rows[first]["tier"] == "优秀"
    assert rows[second]["components"]["routine"]["judges"] == 1  # the draft does not count
    assert rows[second]["final"] == 60.0 and rows[second]["tier"] == "合格"
    assert (rows[first]["rank"], rows[second]["rank"]) == (1, 2)


def test_history_lists_every_score_change_with_actor_time_and_old_to_new(client, new_slug):
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, schools=("南钢学校",), judges=1)
    [subject] = rnd.subjects
    judge_id, judge = rnd.judges[0]
    judge.put(rnd.card(subject), {"scores": {"1.1": 5}})
    judge.put(rnd.card(subject), {"scores": {"1.1": 5.5, "1.2": 4, "2.1": 8}})
    judge.post(rnd.card(subject) + "/submit", expect=200)
    judge.post(rnd.card(subject) + "/reopen", {"reason": "复核佐证材料后加分"}, expect=200)
    judge.put(rnd.card(subject), {"scores": {"2.1": 9}})
    history = admin.get(f"/assessments/{rnd.id}/history", subject_id=subject)["events"]
    assert [e["type"] for e in history] == [
        "ScoresRecorded", "ScoresRecorded", "Submitted", "Reopened", "ScoresRecorded"]
    assert all(e["actor"] == {"id": judge_id, "role": "judge", "name": "评委1"} and e["at"]
               for e in history)
    assert history[1]["changes"] == [
        {"code": "1.1", "from": 5.0, "to": 5.5},
        {"code": "1.2", "from": None, "to": 4.0},
        {"code": "2.1", "from": None, "to": 8.0},
    ]
    assert history[3]["reason"] == "复核佐证材料后加分"
    assert history[4]["changes"] == [{"code": "2.1", "from": 8.0, "to": 9.0}]
    assert len({e["request_id"] for e in history}) == 5


def test_history_pages_with_a_cursor(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, schools=("南钢学校",), judges=1)
    for points in (1, 2, 3, 4):
        rnd.score(0, rnd.subjects[0], {"1.1": points}, submit=False)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"after": cursor} if cursor else {})
        page = admin.get(f"/assessments/{rnd.id}/history", **params)
        seen += [e["position"] for e in page["events"]]
        cursor = page["next"]
        if cursor is None:
            break
    # created, one subject, one judge, opened, then four score changes
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 8


def test_a_judge_sees_their_assignments_and_own_card_but_not_the_board(client, new_slug):
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=2)
    rnd.score(0, rnd.subjects[0], {"1.1": 6, "1.2": 4, "2.1": 10})
    judge = rnd.judges[0][1]
    states = {a["subject_id"]: a["state"] for a in judge.get(f"/assessments/{rnd.id}/assignments")}
    assert states == {rnd.subjects[0]: "submitted", rnd.subjects[1]: "not_started"}
    card = judge.get(rnd.card(rnd.subjects[0]))
    assert card["total"] == 20 and card["submitted"] is True
    other = rnd.judges[1][0]
    judge.get(rnd.card(rnd.subjects[0]), expect=403, judge_id=other)
    judge.get(f"/assessments/{rnd.id}/scoreboard", expect=403)
    judge.get(f"/assessments/{rnd.id}/history", expect=403)


def test_re_putting_the_same_points_writes_nothing_new(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=1)
    first = rnd.score(0, rnd.subjects[0], {"1.1": 3}, submit=False)
    again = rnd.score(0, rnd.subjects[0], {"1.1": 3}, submit=False)
    assert again["version"] == first["version"]


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(client, new_slug):
    admin = create_tenant(client, new_slug())
    rnd = Round(admin, judges=1)
    judge = rnd.judges[0][1]
    card = rnd.card(rnd.subjects[0])
    full = {"scores": {"1.1": 6, "1.2": 4, "2.1": 10}}
    first = judge.put(card, full, headers={"Idempotency-Key": "k-1"})
    submitted = judge.post(card + "/submit", expect=200, headers={"Idempotency-Key": "k-2"})
    # A retried submit (say, after a lost answer) gets the first answer, not a 409.
    again = judge.post(card + "/submit", expect=200, headers={"Idempotency-Key": "k-2"})
    assert again == submitted
    other = judge.put(card, {"scores": {"1.1": 5}}, expect=422, headers={"Idempotency-Key": "k-1"})
    assert other["errors"][0]["field"] == "Idempotency-Key"
    assert judge.get(card)["scores"]["1.1"] == 6.0 and first["version"] < submitted["version"]
