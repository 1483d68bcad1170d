"""Rounds published, certificates issued and timers set up over HTTP, for the public pages'
and the timer's tests (API and browser)."""

from __future__ import annotations

import re

from tests.api.flow import RUBRIC, Api, Round

XSS = "<script>alert(1)</script>"
SCHOOLS = ("南钢学校", "京东学校", XSS)
FULL = {"1.1": 6, "1.2": 4, "2.1": 10}     # 20 of 20 → 100
GOOD = {"1.1": 6, "1.2": 4, "2.1": 8}      # 18 of 20 → 90
FAIR = {"1.1": 4, "1.2": 3, "2.1": 6}      # 13 of 20 → 65


class PublishedRound:
    """Three schools in two ranking groups, scored by one judge, closed, finalised and
    (unless ``publish`` is False) published; ``ranks`` is the round's publication setting."""

    def __init__(self, admin: Api, ranks: bool, publish: bool = True) -> None:
        self.admin = admin
        rubric = admin.post("/rubrics", RUBRIC)["id"]
        admin.post(f"/rubrics/{rubric}/publish", expect=200)
        self.id = admin.post("/assessments", {
            "name": "2019—2020学年度校本教研述职述研评议",
            "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8},
                       {"key": "xiaoxue", "name": "小学组", "time_limit_minutes": 6}],
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                            "rubric_version": 1, "weight": 100}],
            "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                     {"name": "不合格", "min": 0}]},
            "publication": {"ranks": ranks},
        })["id"]
        made = admin.post("/users", {"name": "评委甲", "role": "judge"})
        judge = admin.as_(made["token"])
        admin.post(f"/assessments/{self.id}/panel", {"judge_id": made["id"]})
        placed = {"南钢学校": ("yiguanzhi", FAIR), "京东学校": ("yiguanzhi", FULL),
                  XSS: ("xiaoxue", GOOD)}
        for name, (group, scores) in placed.items():
            school = admin.post("/schools", {"name": name, "group": "组", "stage": "小学"})["id"]
            subject = admin.post(f"/assessments/{self.id}/subjects", {
                "kind": "school", "ref_id": school, "group": group})["subject_id"]
            placed[name] = (subject, scores)  # type: ignore[assignment]
        admin.post(f"/assessments/{self.id}/open", expect=200)
        for subject, scores in placed.values():
            card = f"/assessments/{self.id}/scorecards/{subject}/routine"
            judge.put(card, {"scores": scores})
            judge.post(card + "/submit", expect=200)
        for step in ("close", "finalise") + (("publish",) if publish else ()):
            admin.post(f"/assessments/{self.id}/{step}", expect=200)

    @property
    def page(self) -> str:
        return f"/p/{self.admin.slug}/{self.id}"


def issue_certificate(admin: Api, holder: str = "王芳") -> str:
    """A summarised activity's certificate for ``holder``: its code."""
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "小学组", "stage": "小学"})
    aid = admin.post("/activities", {
        "unit_kind": "school", "unit_id": school["id"], "theme": "整本书阅读教学",
        "form": "集体备课", "planned_on": "2020-09-10", "periods": 2,
        "purpose": "研讨阅读策略", "plan": "说课、议课、磨课"})["id"]
    admin.post(f"/activities/{aid}/review", {"approved": True, "opinions": [
        {"reviewer": "教研员", "text": "同意"}]}, expect=200)
    admin.post(f"/activities/{aid}/confirm", {}, expect=200)
    admin.post(f"/activities/{aid}/hold", {"held_on": "2020-09-10", "periods": 2,
                                           "participants": [{"name": holder}]}, expect=200)
    admin.post(f"/activities/{aid}/summarise", {"highlights": "提问质量提高", "problems": "",
                                                "improvements": ""}, expect=200)
    [issued] = admin.post(f"/activities/{aid}/certificates")["certificates"]
    return str(issued["code"])


class TimedRound:
    """flow.Round (一贯制学校组, 8 minutes; three judges) with its order drawn, and a
    second admin, the timekeeper, whose id the pages' sign-in needs."""

    def __init__(self, admin: Api) -> None:
        self.round = Round(admin)
        self.admin = admin
        drawn = admin.post(f"/assessments/{self.round.id}/draw", {"seed": "2020-06-21"},
                           expect=200)
        self.order: list[str] = drawn["order"]["yiguanzhi"]
        keeper = admin.post("/users", {"name": "计时员", "role": "admin"})
        self.keeper_id, self.keeper_token = keeper["id"], keeper["token"]
        self.judge_id, judge = self.round.judges[0]
        self.judge_token = judge.token
        names = {s["subject_id"]: s["name"] for s in
                 admin.get(f"/assessments/{self.round.id}/order")["groups"][0]["subjects"]}
        self.names = [names[s] for s in self.order]

    @property
    def page(self) -> str:
        return f"/t/{self.admin.slug}/timer/{self.round.id}/yiguanzhi"


def csrf_of(html: str) -> str:
    """The CSRF token of a page's first form."""
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def text_of(html: str, css_class: str) -> str:
    found = re.search(rf'class="{css_class}"[^>]*>([^<]*)<', html)
    assert found, f"no .{css_class} on the page"
    return found.group(1).strip()

