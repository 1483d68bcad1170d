"""管理台 and 学校填报: the home pages of the district office's console and of a school's
reporter, and the sections each links to.

Each section lives in its own module (organisation, people, rubrics, assessment set-up,
activities, compliance; a school's self-assessment, activities and results) and registers its
handlers in ``adapters/web/routes.py``. ``SECTIONS`` is the console's menu: one entry per
section, so the nav bar and the home page list the same things."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import Provide
from litestar.exceptions import PermissionDeniedException

from adapters.http.auth import PUBLIC, allow, record_refusal
from adapters.web.gate import shown
from adapters.web.session import viewer
from adapters.web.templating import Page as Template
from tenants.model import Principal

PAGE = allow(PUBLIC)  # the API's guard lets pages through; each page admits by role
SIGNED_IN = {"who": Provide(viewer)}

WHOLE_TENANT = {"imports"}  # sections an admin scoped to an org node does not enter (ADR 28)

# (key, label, path under /t/{tenant}, what it is for)
SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "admin": [
        ("org", "组织机构", "/admin/org", "学校、共同体、教研组、备课组、工作室与教师"),
        ("people", "人员与登录", "/admin/people", "用户、角色与任职、登录链接与二维码、会话"),
        ("rubrics", "评分细则", "/admin/rubrics", "指标树、权重、佐证规则、发布版本"),
        ("assessments", "考核设置", "/admin/assessments", "分步设置考核、回避预检、抽签、开评"),
        ("activities", "教研活动", "/admin/activities", "方案论证、发文确认、活动日历、证书"),
        ("compliance", "常规达标", "/admin/compliance", "频次规则与未达标的时段"),
        ("annual", "年度考核", "/admin/annual", "已公示结果折算汇总、更正版本与差额"),
        ("audit", "考核记录", "/audit", "变更时间线、任意时刻成绩榜、核验"),
        ("imports", "表格导入", "/admin/imports", "用 Excel 表格导入学校、人员、细则、被评对象等"),
    ],
    "reporter": [
        ("self", "自查自评", "/school/self-assessment", "按指标自评、上传佐证、提交"),
        ("activities", "教研活动", "/school/activities", "预约申请、开展、总结、佐证"),
        ("results", "公示与证书", "/school/results", "本校公示结果与证书"),
    ],
}


def sections(who: Principal) -> list[dict[str, str]]:
    return [{"key": key, "label": label, "href": f"/t/{who.tenant}{path}", "about": about}
            for key, label, path, about in SECTIONS.get(who.role, [])
            if who.scope is None or key not in WHOLE_TENANT]


def console(who: Principal, section: str, **context: Any) -> dict[str, Any]:
    """A console page's context: ``shown`` plus the menu with ``section`` marked."""
    return shown(who, sections=sections(who), section=section) | context


def admit_role(request: Request[Any, Any, Any], who: Principal, *roles: str) -> None:
    """Refuse a role outside ``roles`` as the API's guard does (recorded, a 403 page). Pages
    that mirror one API route should use ``adapters.web.gate.admit`` with that route."""
    if who.role not in roles:
        detail = f"the {who.role} role may not do this"
        record_refusal(request.scope, "role", detail)
        raise PermissionDeniedException(detail)


@get("/t/{tenant:str}/admin", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     name="console_home")
def admin_home(request: Request[Any, Any, Any], tenant: str, who: Principal) -> Template:
    admit_role(request, who, "admin")
    return Template("console/home.html", context=console(who, "", title="管理台"))


@get("/t/{tenant:str}/school", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     name="school_home")
def school_home(request: Request[Any, Any, Any], tenant: str, who: Principal) -> Template:
    admit_role(request, who, "reporter")
    return Template("console/home.html", context=console(who, "", title="学校填报"))


CONSOLE = [admin_home, school_home]
