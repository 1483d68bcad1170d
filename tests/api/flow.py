"""Driving the HTTP API the way an admin and judges would."""

from __future__ import annotations

from typing import Any

from tests.conftest import OPERATOR_TOKEN

RUBRIC = {
    "name": "教研组建设评价细则（节选）",
    "step": 0.5,
    "indicators": [
        {"code": "1", "title": "组织建设", "weight": 10, "children": [
            {"code": "1.1", "title": "教研组设置合理", "max_points": 6},
            {"code": "1.2", "title": "制度健全", "max_points": 4},
        ]},
        {"code": "2", "title": "教研活动", "weight": 10, "children": [
            {"code": "2.1", "title": "集体备课", "max_points": 10},
        ]},
    ],
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    def __init__(self, client: Any, slug: str, token: str) -> None:
        self.client = client
        self.slug = slug
        self.token = token

    def url(self, path: str) -> str:
        return f"/api/v1/tenants/{self.slug}{path}"

    def as_(self, token: str) -> Api:
        return Api(self.client, self.slug, token)

    def post(self, path: str, json: Any = None, expect: int | None = 201, **kw: Any) -> Any:
        headers = {**bearer(self.token), **kw.pop("headers", {})}
        r = self.client.post(self.url(path), json=json, headers=headers, **kw)
        return self._check(r, expect)

    def put(self, path: str, json: Any, expect: int | None = 200, **kw: Any) -> Any:
        headers = {**bearer(self.token), **kw.pop("headers", {})}
        r = self.client.put(self.url(path), json=json, headers=headers, **kw)
        return self._check(r, expect)

    def get(self, path: str, expect: int | None = 200, **params: Any) -> Any:
        r = self.client.get(self.url(path), params=params, headers=bearer(self.token))
        return self._check(r, expect)

    @staticmethod
    def _check(response: Any, expect: int | None) -> Any:
        if expect is None:
            return response
        assert response.status_code == expect, response.text
        return response.json() if response.content else None


def create_tenant(client: Any, slug: str, name: str = "测试区教研室") -> Api:
    r = client.post("/api/v1/tenants", json={"slug": slug, "name": name},
                    headers=bearer(OPERATOR_TOKEN))
    assert r.status_code == 201, r.text
    return Api(client, slug, r.json()["admin_token"])


class Round:
    """An assessment set up over HTTP: two schools, three judges, open."""

    def __init__(self, admin: Api, schools: tuple[str, ...] = ("南钢学校", "京东学校"),
                 judges: int = 3) -> None:
        self.admin = admin
        self.judges = []
        for i in range(judges):
            made = admin.post("/users", {"name": f"评委{i + 1}", "role": "judge"})
            self.judges.append((made["id"], admin.as_(made["token"])))
        school_ids = [admin.post("/schools", {"name": n, "group": "一贯制学校组",
                                              "stage": "初中"})["id"] for n in schools]
        rubric = admin.post("/rubrics", RUBRIC)
        admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
        self.id = admin.post("/assessments", {
            "name": "2019—2020学年度校本教研述职述研评议",
            "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric["id"],
                            "rubric_version": 1, "weight": 100}],
            "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8}],
            "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                     {"name": "不合格", "min": 0}]},
        })["id"]
        self.subjects = [
            admin.post(f"/assessments/{self.id}/subjects",
                       {"kind": "school", "ref_id": sid, "group": "yiguanzhi"})["subject_id"]
            for sid in school_ids
        ]
        for judge_id, _ in self.judges:
            admin.post(f"/assessments/{self.id}/panel", {"judge_id": judge_id})
        admin.post(f"/assessments/{self.id}/open", expect=200)

    def card(self, subject: str) -> str:
        return f"/assessments/{self.id}/scorecards/{subject}/routine"

    def score(self, judge: int, subject: str, scores: dict[str, float], submit: bool = True,
              **kw: Any) -> Any:
        api = self.judges[judge][1]
        written = api.put(self.card(subject), {"scores": scores}, **kw)
        if submit:
            written = api.post(self.card(subject) + "/submit", expect=200)
        return written
