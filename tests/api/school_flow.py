"""A round a school reporter self-assesses in, set up over HTTP, for the school pages' tests
(API and browser): two schools, the first with a reporter of its own, open, with a period
around today so that evidence dated today is within it."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.flow import RUBRIC, Api

XSS = "<script>alert(1)</script>"


class SchoolRound:
    def __init__(self, admin: Api, schools: tuple[str, ...] = ("南钢学校", XSS),
                 today: date | None = None) -> None:
        self.admin = admin
        today = today or date.today()
        self.schools = [admin.post("/schools", {"name": n, "group": "一贯制学校组",
                                                "stage": "初中"})["id"] for n in schools]
        rubric = admin.post("/rubrics", RUBRIC)["id"]
        admin.post(f"/rubrics/{rubric}/publish", expect=200)
        self.period = (today - timedelta(days=300), today + timedelta(days=30))
        self.id = admin.post("/assessments", {
            "name": "2025—2026学年度校本教研述职述研评议",
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                            "rubric_version": 1, "weight": 100}],
            "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8}],
            "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                     {"name": "不合格", "min": 0}]},
            "period": {"starts_on": self.period[0].isoformat(),
                       "ends_on": self.period[1].isoformat()},
        })["id"]
        self.subjects = [admin.post(f"/assessments/{self.id}/subjects", {
            "kind": "school", "ref_id": sid, "group": "yiguanzhi"})["subject_id"]
            for sid in self.schools]
        self.reporters = [self.reporter(f"填报员{i + 1}", sid)
                          for i, sid in enumerate(self.schools)]
        judge = admin.post("/users", {"name": "评委甲", "role": "judge"})
        self.judge = (judge["id"], admin.as_(judge["token"]))
        admin.post(f"/assessments/{self.id}/panel", {"judge_id": judge["id"]})
        admin.post(f"/assessments/{self.id}/open", expect=200)

    def reporter(self, name: str, school_id: str) -> tuple[str, Api]:
        made = self.admin.post("/users", {"name": name, "role": "reporter", "affiliations": [
            {"kind": "school", "id": school_id}]})
        return made["id"], self.admin.as_(made["token"])

    def page(self, subject: int = 0) -> str:
        return (f"/t/{self.admin.slug}/school/self-assessment/{self.id}/"
                f"{self.subjects[subject]}/routine")

    def own(self, subject: int = 0) -> str:
        """The API's path of the subject's self-assessment."""
        return f"/assessments/{self.id}/self-assessments/{self.subjects[subject]}/routine"
