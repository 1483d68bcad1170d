"""What the 组织机构 pages share: their tabs, the words for kinds and types, the choices the
forms offer (schools, teachers, 教研组 by name) and the 教研组 rule's warnings."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body

from adapters.web.console import console
from adapters.web.org_forms import NOTHING
from domain.community import SCOPES
from domain.school import STAGES
from domain.unit import group_warnings
from tenants.model import Principal

ORG = "/t/{tenant:str}/admin/org"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

UNIT_KINDS = {"research_group": "教研组", "prep_group": "备课组", "studio": "工作室"}
COMMUNITY_TYPES = {"integrated": "融合型", "co_built": "共建型", "collaborative": "协作型"}
STAGE_CHOICES = [(s, s) for s in STAGES]
SCOPE_CHOICES = [(s, s) for s in SCOPES]
TYPE_CHOICES = list(COMMUNITY_TYPES.items())
ROLE_NAMES = {"admin": "管理员", "judge": "评委", "auditor": "审计员", "reporter": "填报员",
              "teacher": "教师"}
AFFILIATION_KINDS = {"school": "学校", "community": "共同体", "unit": "教研组织"}
DONE = {"created": "已添加。", "edited": "已保存修改。", "archived": "已归档。",
        "joined": "已加入共同体。", "left": "已登记退出。", "members": "成员已更新。",
        "placed": "已划转。"}


def tabs(tenant: str) -> list[tuple[str, str, str]]:
    base = f"/t/{tenant}/admin/org"
    return [("overview", "概览", base), ("schools", "学校", base + "/schools"),
            ("communities", "共同体", base + "/communities"),
            *[(kind, label, f"{base}/units?kind={kind}") for kind, label in UNIT_KINDS.items()],
            ("teachers", "教师", base + "/teachers"), ("levels", "组织层级", base + "/levels")]


def org_page(who: Principal, tab: str, **context: Any) -> dict[str, Any]:
    """A 组织机构 page's context: the console's menu, the tabs, an empty form by default."""
    defaults = {"refused": NOTHING, "form": {}, "done": "", "opened": False}
    return console(who, "org", org_tabs=tabs(who.tenant), tab=tab) | defaults | context


def school_choices(views: Any) -> list[tuple[str, str]]:
    return [(str(s["id"]), s["name"] + ("（外部）" if s["external"] else ""))
            for s in sorted(views.schools(), key=lambda s: s["name"])]


def teacher_counts(views: Any) -> Counter[tuple[str, str]]:
    """Teachers (active) per (school id, subject), as ``views.teachers`` counts them."""
    counts: Counter[tuple[str, str]] = Counter()
    for user in views.users("teacher"):
        for affiliation in user["affiliations"] or []:
            if affiliation.get("kind") == "school" and user["subject"]:
                counts[(str(affiliation["id"]), user["subject"])] += 1
    return counts


def unit_warnings(unit: dict[str, Any], counts: Counter[tuple[str, str]]) -> tuple[str, ...]:
    """The API's advice on a 教研组 (``domain.unit.group_warnings``): fewer than three
    teachers of its subject at its school."""
    if unit["kind"] != "research_group" or not unit["school_id"] or not unit["subject"]:
        return ()
    return group_warnings(unit["kind"], unit["subject"],
                          counts[(str(unit["school_id"]), unit["subject"])])


def done_of(code: str | None) -> str:
    return DONE.get(code or "", "")
