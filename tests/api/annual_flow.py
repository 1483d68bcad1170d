"""Published rounds for annual reviews (年度考核), driven over HTTP as an office would."""

from __future__ import annotations

from typing import Any

from tests.api.flow import RUBRIC, Api

# RUBRIC's leaves: 1.1 (6), 1.2 (4), 2.1 (10): a card of 20 points.


def scores(total: float) -> dict[str, float]:
    """A card totalling ``total`` of 20 (full marks, then points off 2.1, then 1.1)."""
    off = 20 - total
    cut = min(off, 10)
    return {"1.1": 6 - (off - cut), "1.2": 4, "2.1": 10 - cut}


class OneJudgeRound:
    """An assessment with one judge who scores every subject; ``publish`` takes it through
    close, finalise and publish; ``correct`` reopens it after publication, rescores one
    subject and publishes again."""

    def __init__(self, admin: Api, name: str, subjects: dict[str, tuple[str, str]],
                 components: dict[str, float], period: bool = False) -> None:
        """``subjects``: name → (kind, ref id); ``components``: key → weight."""
        self.admin = admin
        rubric = admin.post("/rubrics", RUBRIC)["id"]
        admin.post(f"/rubrics/{rubric}/publish", expect=200)
        self.components = list(components)
        body: dict[str, Any] = {
            "name": name, "groups": [{"key": "g", "name": "共同体组"}],
            "components": [{"key": key, "name": {"routine": "常态化工作", "project": "项目评估",
                                                 "report": "述职述研"}.get(key, key),
                            "rubric_id": rubric, "rubric_version": 1, "weight": weight}
                           for key, weight in components.items()]}
        if period:
            body["period"] = {"starts_on": "2022-09-01", "ends_on": "2023-07-10"}
        self.id = admin.post("/assessments", body)["id"]
        made = admin.post("/users", {"name": f"评委（{name}）", "role": "judge"})
        self.judge_id, self.judge = made["id"], admin.as_(made["token"])
        admin.post(f"/assessments/{self.id}/panel", {"judge_id": self.judge_id})
        self.subjects = {
            n: admin.post(f"/assessments/{self.id}/subjects",
                          {"kind": kind, "ref_id": ref, "group": "g"})["subject_id"]
            for n, (kind, ref) in subjects.items()}
        admin.post(f"/assessments/{self.id}/open", expect=200)

    def card(self, subject: str, component: str) -> str:
        return f"/assessments/{self.id}/scorecards/{self.subjects[subject]}/{component}"

    def score(self, subject: str, component: str, total: float) -> None:
        self.judge.put(self.card(subject, component), {"scores": scores(total)})
        self.judge.post(self.card(subject, component) + "/submit", expect=200)

    def publish(self) -> dict:
        for step in ("close", "finalise", "publish"):
            written = self.admin.post(f"/assessments/{self.id}/{step}", expect=200)
        return written

    def correct(self, subject: str, component: str, total: float, reason: str) -> dict:
        self.admin.post(f"/assessments/{self.id}/reopen", {"reason": reason}, expect=200)
        self.admin.post(self.card(subject, component) + "/reopen",
                        {"judge_id": self.judge_id, "reason": reason}, expect=200)
        self.score(subject, component, total)
        return self.publish()


def school(admin: Api, name: str) -> str:
    return admin.post("/schools", {"name": name, "group": "小学组", "stage": "小学"})["id"]
