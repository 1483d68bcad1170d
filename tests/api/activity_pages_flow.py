"""A district for the activity pages' tests: two schools, each with a 教研组 and a reporter,
and helpers that sign a role in and post a page's form with its CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from litestar.testing import TestClient

from tests.api.flow import Api, create_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"|"x-csrftoken": "([^"]+)"')
PLAN = {"theme": "整本书阅读教学", "form": "集体备课", "planned_on": "2026-11-10",
        "periods": "2", "purpose": "研讨阅读策略", "plan": "说课、议课、磨课"}


@dataclass
class District:
    pages: TestClient[Any]
    admin: Api
    school: str
    other_school: str
    group: str
    other_group: str
    reporter: Api
    reporter_id: str
    other_reporter: Api

    @property
    def t(self) -> str:
        return f"/t/{self.admin.slug}"

    def sign_in(self, name: str, role: str, affiliations: list[Any] | None = None) -> str:
        made = self.admin.post("/users", {"name": name, "role": role,
                                          "affiliations": affiliations or []})
        self.sign_in_as(made["id"])
        return str(made["id"])

    def sign_in_as(self, user_id: str) -> None:
        self.pages.cookies.clear()
        self.pages.cookies.set(SESSION_COOKIE, session_for(str(self.pages.base_url),
                                                           self.admin, user_id, ""))

    def as_reporter(self) -> None:
        self.sign_in_as(self.reporter_id)

    def as_admin(self) -> None:
        self.sign_in(f"区教研室{next_number()}", "admin")

    def post(self, form_page: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
        """Open ``form_page`` (as the browser would: its CSRF token), then post ``data``."""
        page = self.pages.get(form_page)
        assert page.status_code == 200, page.text
        token = CSRF_FIELD.search(page.text)
        assert token is not None, page.text
        value = token.group(1) or token.group(2)
        return self.pages.post(action, data={**data, "_csrf_token": value},
                               follow_redirects=False, **kw)

    def apply(self, unit: str | None = None, **plan: Any) -> str:
        """An activity applied for over the API by the school's reporter."""
        body = {"unit_kind": "research_group", "unit_id": unit or self.group,
                "theme": "整本书阅读教学", "form": "集体备课", "planned_on": "2026-11-10",
                "periods": 2} | plan
        return str(self.reporter.post("/activities", body)["id"])

    def advance(self, aid: str, to: str) -> None:
        """Take an activity over the API up to ``to`` (reviewed / confirmed / held)."""
        steps = ["reviewed", "confirmed", "held", "summarised"]
        for step in steps[:steps.index(to) + 1]:
            if step == "reviewed":
                self.admin.post(f"/activities/{aid}/review", {"approved": True, "opinions": [
                    {"reviewer": "教研员", "text": "同意"}]}, expect=200)
            elif step == "confirmed":
                self.admin.post(f"/activities/{aid}/confirm", {"document": "区教研〔2026〕1号"},
                                expect=200)
            elif step == "held":
                self.reporter.post(f"/activities/{aid}/hold", {
                    "held_on": "2026-11-10", "periods": 2,
                    "participants": [{"name": "王芳", "role": "host"}, {"name": "李明"}]},
                    expect=200)
            else:
                self.reporter.post(f"/activities/{aid}/summarise",
                                   {"highlights": "研讨深入"}, expect=200)


_numbers = iter(range(1, 1_000_000))


def next_number() -> int:
    return next(_numbers)


def district(pages: TestClient[Any], slug: str, school_name: str = "平罗第一小学") -> District:
    admin = create_tenant(pages, slug, "平罗县教研室")
    school = admin.post("/schools", {"name": school_name, "group": "小学组", "stage": "小学"})
    other = admin.post("/schools", {"name": "姚伏小学", "group": "小学组", "stage": "小学"})
    group = admin.post("/units", {"kind": "research_group", "name": "语文教研组",
                                  "school_id": school["id"], "subject": "语文"})
    other_group = admin.post("/units", {"kind": "research_group", "name": "数学教研组",
                                        "school_id": other["id"], "subject": "数学"})
    reporter = admin.post("/users", {"name": "教务处", "role": "reporter", "affiliations": [
        {"kind": "school", "id": school["id"]}]})
    other_reporter = admin.post("/users", {"name": "姚伏教务处", "role": "reporter",
                                           "affiliations": [{"kind": "school", "id": other["id"]}]})
    return District(pages, admin, school["id"], other["id"], group["id"], other_group["id"],
                    admin.as_(reporter["token"]), reporter["id"],
                    admin.as_(other_reporter["token"]))


FILE_TYPES = re.compile(r"\b(pdf|docx?|pptx?|xlsx?|jpg|png|mp4)\b")
ERROR_TEXT = re.compile(r'class="error[^"]*"[^>]*>([^<]*)<')


def refusals_in_chinese(text: str) -> list[str]:
    """Every refusal shown on the page (top and beside fields), each without English words."""
    found = ERROR_TEXT.findall(text)
    assert found, "the page shows no refusal"
    for shown in found:
        assert not re.search(r"[A-Za-z]{3,}", FILE_TYPES.sub("", shown)), shown
    return found
