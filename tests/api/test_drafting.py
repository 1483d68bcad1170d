"""Correcting a draft round over HTTP (remove, move, change the set-up) and the 出场顺序."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.flow import RUBRIC, Api, bearer, create_tenant

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}
SCHOOLS = {"南钢学校": "一贯制学校组", "京东学校": "一贯制学校组", "华安学校": "一贯制学校组",
           "铁路二小": "一类小学组"}


@pytest.fixture
def admin(client, new_slug) -> Api:
    return create_tenant(client, new_slug(), "青山湖区教研中心")


def send(api: Api, method: str, path: str, json: Any = None, expect: int = 200,
         **params: Any) -> Any:
    r = api.client.request(method, api.url(path), json=json, params=params,
                           headers=bearer(api.token))
    assert r.status_code == expect, r.text
    return r.json()


class Draft:
    """A draft round of two groups; 华安学校 (registered 一贯制) sits in 一类小学组."""

    def __init__(self, admin: Api) -> None:
        self.admin = admin
        self.schools = {name: admin.post("/schools", {"name": name, "group": group,
                                                      "stage": "小学"})["id"]
                        for name, group in SCHOOLS.items()}
        rubric = admin.post("/rubrics", RUBRIC)
        admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
        self.rubric_id = rubric["id"]
        self.id = admin.post("/assessments", {
            "name": "2019—2020学年度校本教研述职述研评议",
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric["id"],
                            "rubric_version": 1, "weight": 100}],
            "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8},
                       {"key": "yilei", "name": "一类小学组", "time_limit_minutes": 6}],
            "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 0}]},
        })["id"]
        self.added: dict[str, Any] = {}
        self.subjects = {}
        for name, group in (("南钢学校", "yiguanzhi"), ("京东学校", "yiguanzhi"),
                            ("华安学校", "yilei"), ("铁路二小", "yilei")):
            added = admin.post(f"/assessments/{self.id}/subjects",
                               {"kind": "school", "ref_id": self.schools[name], "group": group})
            self.added[name] = added
            self.subjects[name] = added["subject_id"]

    def path(self, tail: str = "") -> str:
        return f"/assessments/{self.id}{tail}"

    def read(self) -> dict[str, Any]:
        return self.admin.get(self.path())

    def names(self, rows: list[dict[str, Any]]) -> set[str]:
        return {r["name"] for r in rows}


def test_a_school_outside_its_registered_group_is_warned_and_the_list_keeps_showing_it(
        admin) -> None:
    draft = Draft(admin)
    [warning] = draft.added["华安学校"]["warnings"]
    assert warning == {"field": "group",
                       "message": "华安学校 登记在「一贯制学校组」，放入了「一类小学组」"}
    assert draft.added["南钢学校"]["warnings"] == []
    listed = {s["name"]: s for s in draft.read()["subjects"]}
    assert listed["华安学校"]["warning"] == warning["message"]
    assert listed["华安学校"]["group_name"] == "一类小学组"
    assert listed["南钢学校"]["warning"] is None

    moved = send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['华安学校']}"),
                 {"group": "yiguanzhi", "reason": "按登记分组"})
    assert (moved["group"], moved["group_name"], moved["warnings"]) == (
        "yiguanzhi", "一贯制学校组", [])
    assert {s["name"]: s for s in draft.read()["subjects"]}["华安学校"]["warning"] is None
    back = send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['南钢学校']}"),
                {"group": "yilei"})
    assert back["warnings"] == [
        {"field": "group", "message": "南钢学校 登记在「一贯制学校组」，放入了「一类小学组」"}]


def test_a_removed_subject_is_gone_from_the_round_the_board_and_the_draw(admin) -> None:
    draft = Draft(admin)
    gone = draft.subjects["京东学校"]
    removed = send(admin, "DELETE", draft.path(f"/subjects/{gone}"), reason="重复报名")
    assert (removed["subject_id"], removed["name"], removed["group"]) == (gone, "京东学校", None)
    assert "京东学校" not in draft.names(draft.read()["subjects"])
    board = admin.get(draft.path("/scoreboard"), after=removed["position"])["rows"]
    assert draft.names(board) == {"南钢学校", "华安学校", "铁路二小"}
    drawn = admin.post(draft.path("/draw"), {"seed": "2020-06-21"}, expect=200)
    assert gone not in drawn["order"]["yiguanzhi"]
    [entry] = [e for e in admin.get(draft.path("/history"))["events"]
               if e["type"] == "SubjectRemoved"]
    assert entry["subject_id"] == gone and entry["reason"] == "重复报名"
    assert entry["details"]["name"] == "京东学校"
    send(admin, "DELETE", draft.path(f"/subjects/{gone}"), expect=404)

    admin.post(draft.path("/open"), expect=200)
    version = draft.read()["version"]
    refused = send(admin, "DELETE", draft.path(f"/subjects/{draft.subjects['南钢学校']}"),
                   expect=409)
    assert refused["detail"] == "考核当前状态为进行中，不能进行此操作"
    send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['南钢学校']}"),
         {"group": "yilei"}, expect=409)
    assert draft.read()["version"] == version
    assert "南钢学校" in draft.names(draft.read()["subjects"])


def test_a_moved_subject_is_ranked_in_its_new_group(admin) -> None:
    draft = Draft(admin)
    send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['京东学校']}"),
         {"group": "yilei"})
    send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['南钢学校']}"),
         {"group": "no_such_group"}, expect=422)
    made = admin.post("/users", {"name": "评委1", "role": "judge"})
    judge = admin.as_(made["token"])
    admin.post(draft.path("/panel"), {"judge_id": made["id"]})
    admin.post(draft.path("/open"), expect=200)
    points = {"京东学校": 10, "华安学校": 8, "铁路二小": 6, "南钢学校": 4}
    for name, value in points.items():
        card = draft.path(f"/scorecards/{draft.subjects[name]}/routine")
        judge.put(card, {"scores": {"1.1": 0, "1.2": 0, "2.1": value}})
        last = judge.post(card + "/submit", expect=200)
    yilei = admin.get(draft.path("/scoreboard"), group="yilei", after=last["position"])["rows"]
    assert {r["name"]: r["rank"] for r in yilei} == {"京东学校": 1, "华安学校": 2, "铁路二小": 3}
    yiguanzhi = admin.get(draft.path("/scoreboard"), group="yiguanzhi")["rows"]
    assert [(r["name"], r["rank"]) for r in yiguanzhi] == [("南钢学校", 1)]


def test_a_draft_set_up_changes_only_the_fields_given_and_not_once_open(admin) -> None:
    draft = Draft(admin)
    before = draft.read()
    changed = send(admin, "PATCH", draft.path(), {
        "name": "2020年述职述研评议",
        "groups": [{"key": "yiguanzhi", "name": "九年一贯制组", "time_limit_minutes": 10},
                   {"key": "yilei", "name": "一类小学组", "time_limit_minutes": 6},
                   {"key": "erlei", "name": "二类小学组", "time_limit_minutes": 6}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 85}, {"name": "良好", "min": 70},
                                 {"name": "合格", "min": 0}]},
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": draft.rubric_id,
                        "rubric_version": 1, "weight": 60},
                       {"key": "project", "name": "项目评估", "rubric_id": draft.rubric_id,
                        "rubric_version": 1, "weight": 40}],
        "reason": "按方案修订",
    })
    assert set(changed["changed"]) == {"name", "groups", "tiers", "components"}
    # 南钢学校 is registered in 一贯制学校组, a name the renamed group no longer carries.
    renamed = "南钢学校 登记在「一贯制学校组」，放入了「九年一贯制组」"
    assert {"field": "group", "message": renamed} in changed["warnings"]
    after = draft.read()
    assert after["name"] == "2020年述职述研评议"
    assert [g["time_limit_minutes"] for g in after["groups"]] == [10, 6, 6]
    assert [(c["key"], c["weight"]) for c in after["components"]] == [("routine", 60),
                                                                       ("project", 40)]
    assert after["quorum"] == before["quorum"] and after["aggregation"] == before["aggregation"]
    listed = admin.get("/assessments", after=changed["position"])
    assert {a["id"]: a["name"] for a in listed}[draft.id] == "2020年述职述研评议"
    [entry] = [e for e in admin.get(draft.path("/history"))["events"]
               if e["type"] == "SetupChanged"]
    assert entry["reason"] == "按方案修订" and "tiers" in entry["details"]["changed"]

    same = send(admin, "PATCH", draft.path(), {"quorum": after["quorum"]})
    assert same["changed"] == [] and same["version"] == after["version"]

    stranded = send(admin, "PATCH", draft.path(), {
        "groups": [{"key": "yiguanzhi", "name": "一贯制学校组"}]}, expect=422)
    assert stranded["errors"] == [{"field": "groups", "message": "组 yilei 中仍有考核对象："
                                   "华安学校, 铁路二小；请先移到其他组或移除"}]
    bad = send(admin, "PATCH", draft.path(), {"aggregation": {"method": "average"}},
               expect=422)
    assert [e["field"] for e in bad["errors"]] == ["aggregation.method"]
    unpublished = send(admin, "PATCH", draft.path(), {"components": [
        {"key": "routine", "name": "常态化工作", "rubric_id": draft.rubric_id,
         "rubric_version": 2, "weight": 100}]}, expect=422)
    assert unpublished["errors"][0]["field"] == "components[0].rubric_version"
    send(admin, "PATCH", draft.path(), {"quorum": 0}, expect=400)
    assert draft.read()["version"] == after["version"]

    admin.post(draft.path("/open"), expect=200)
    send(admin, "PATCH", draft.path(), {"name": "开评后改名"}, expect=409)
    assert draft.read()["name"] == "2020年述职述研评议"


def test_an_order_entered_by_hand_reads_back_with_names_and_time_limits(admin) -> None:
    draft = Draft(admin)
    s = draft.subjects
    written = admin.put(draft.path("/order"), {"order": {
        "yiguanzhi": [s["京东学校"], s["南钢学校"]], "yilei": [s["铁路二小"], s["华安学校"]]}})
    read = admin.get(draft.path("/order"))
    assert read["groups"] == written["groups"]
    assert read["groups"] == [
        {"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8, "schedule": None,
         "subjects": [{"subject_id": s["京东学校"], "name": "京东学校", "position": 1},
                      {"subject_id": s["南钢学校"], "name": "南钢学校", "position": 2}]},
        {"key": "yilei", "name": "一类小学组", "time_limit_minutes": 6, "schedule": None,
         "subjects": [{"subject_id": s["铁路二小"], "name": "铁路二小", "position": 1},
                      {"subject_id": s["华安学校"], "name": "华安学校", "position": 2}]},
    ]
    assert draft.read()["order"] == {"yiguanzhi": [s["京东学校"], s["南钢学校"]],
                                     "yilei": [s["铁路二小"], s["华安学校"]]}
    [entry] = [e for e in admin.get(draft.path("/history"))["events"]
               if e["type"] == "OrderEntered"]
    assert entry["details"]["order"]["yilei"] == [s["铁路二小"], s["华安学校"]]


def test_wrong_hand_orders_are_refused_naming_what_is_wrong(admin) -> None:
    draft = Draft(admin)
    s = draft.subjects
    version = draft.read()["version"]
    stranger = "00000000-0000-4000-8000-000000000000"
    refused = admin.put(draft.path("/order"), {"order": {
        "yiguanzhi": [s["南钢学校"], s["南钢学校"], s["铁路二小"], stranger],
        "yilei": [s["华安学校"]],
        "nowhere": [],
    }}, expect=422)
    assert sorted((e["field"], e["message"]) for e in refused["errors"]) == sorted([
        ("order.yiguanzhi", "重复列出：南钢学校"),
        ("order.yiguanzhi", "铁路二小属于一类小学组，不属于一贯制学校组"),
        ("order.yiguanzhi", f"不是本次考核的考核对象：{stranger}"),
        ("order.yiguanzhi", "缺少：京东学校"),
        ("order.yilei", "缺少：铁路二小"),
        ("order.nowhere", "没有排名组 nowhere"),
    ])
    admin.put(draft.path("/order"), {"order": {}}, expect=422)
    admin.put(draft.path("/order"), {"order": {"yilei": ["not-a-uuid"]}}, expect=400)
    assert draft.read()["version"] == version
    assert all(p["position"] is None for g in admin.get(draft.path("/order"))["groups"]
               for p in g["subjects"])


def test_a_second_draw_needs_a_reason_and_the_history_keeps_both(admin) -> None:
    draft = Draft(admin)
    first = admin.post(draft.path("/draw"), {"seed": "一"}, expect=200)
    assert first["groups"][0]["name"] == "一贯制学校组"
    assert [p["subject_id"] for p in first["groups"][0]["subjects"]] == \
        first["order"]["yiguanzhi"]
    assert {p["name"] for p in first["groups"][1]["subjects"]} == {"华安学校", "铁路二小"}
    refused = admin.post(draft.path("/draw"), {"seed": "二"}, expect=422)
    assert refused["errors"] == [{"field": "reason", "message": "必填"}]
    admin.put(draft.path("/order"), {"order": {"yilei": [draft.subjects["铁路二小"],
                                                         draft.subjects["华安学校"]]}},
              expect=422)
    second = admin.post(draft.path("/draw"), {"seed": "二", "reason": "首次抽签时有学校缺席"},
                        expect=200)
    assert admin.get(draft.path())["order"] == second["order"]
    drawn = [e for e in admin.get(draft.path("/history"))["events"]
             if e["type"] == "OrderDrawn"]
    assert [(e["details"]["seed"], e["actor"]["role"], e["reason"]) for e in drawn] == [
        ("一", "admin", None), ("二", "admin", "首次抽签时有学校缺席")]
    assert [e["details"]["order"] for e in drawn] == [first["order"], second["order"]]


def test_removing_or_moving_a_subject_voids_the_order_of_its_groups(admin) -> None:
    draft = Draft(admin)
    admin.post(draft.path("/draw"), {"seed": "2020-06-21"}, expect=200)
    removed = send(admin, "DELETE", draft.path(f"/subjects/{draft.subjects['京东学校']}"))
    assert removed["warnings"] == [
        {"field": "order", "message": "「一贯制学校组」的出场顺序已作废，请重新抽签或录入"}]
    groups = {g["key"]: g["subjects"] for g in admin.get(draft.path("/order"))["groups"]}
    assert [p["position"] for p in groups["yiguanzhi"]] == [None]
    assert sorted(p["position"] for p in groups["yilei"]) == [1, 2]
    moved = send(admin, "PATCH", draft.path(f"/subjects/{draft.subjects['铁路二小']}"),
                 {"group": "yiguanzhi"})
    assert moved["warnings"] == [
        {"field": "group", "message": "铁路二小 登记在「一类小学组」，放入了「一贯制学校组」"},
        {"field": "order", "message": "「一类小学组」的出场顺序已作废，请重新抽签或录入"}]
    # Nothing is ordered any more: a draw is a first draw again.
    admin.post(draft.path("/draw"), {"seed": "2020-06-22"}, expect=200)
