"""The pages' routes: everything under ``/`` that is not the API (``/api/``) nor its
document (``/schema``). Pages are public to the API's guard (``allow(PUBLIC)``); who may see a
page is decided by the page's own sign-in (a session cookie), never by a bearer token.

Every page answers with a policy that lets it load only from kaoping itself: many district
networks reach no public CDN, and nothing else should run in a judge's browser."""

from __future__ import annotations

from typing import Any

from litestar import Router, get
from litestar.datastructures import ResponseHeader
from litestar.static_files import create_static_files_router

from adapters.http.auth import PUBLIC, allow
from adapters.web.activity_pages import ACTIVITY_PAGES
from adapters.web.annual import ANNUAL_PAGES
from adapters.web.console import CONSOLE
from adapters.web.deadline_form import DEADLINE_FORM_PAGES
from adapters.web.deadlines import DEADLINE_PAGES
from adapters.web.desk import AUDIT_DESK
from adapters.web.errors import PAGE_ERRORS
from adapters.web.files import evidence_file
from adapters.web.judging import JUDGE_PAGES
from adapters.web.org import ORG_PAGES
from adapters.web.people import PEOPLE_PAGES
from adapters.web.public import PUBLIC_PAGES
from adapters.web.rubric_editor import RUBRIC_PAGES
from adapters.web.school_results import SCHOOL_RESULTS
from adapters.web.self_assessing import SELF_PAGES
from adapters.web.setup_draft import DRAFT_PAGES
from adapters.web.setup_edit import EDIT_PAGES
from adapters.web.setup_wizard import WIZARD_PAGES
from adapters.web.sheet_downloads import DOWNLOAD_PAGES
from adapters.web.sheet_imports import IMPORT_PAGES
from adapters.web.sign_in import PAGES as SIGN_IN
from adapters.web.templating import STATIC
from adapters.web.templating import Page as Template
from adapters.web.term_pages import TERM_PAGES
from adapters.web.timer import TIMER_PAGES

PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
               "script-src 'self'; connect-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
PAGE_HEADERS = [ResponseHeader(name="Content-Security-Policy", value=PAGE_POLICY),
                ResponseHeader(name="Cache-Control", value="no-store")]


@get("/", opt=allow(PUBLIC), include_in_schema=False, sync_to_thread=False)
def home() -> Template:
    return Template("home.html", context={"title": "考评"})


static = create_static_files_router(
    "/static", directories=[STATIC], opt=allow(PUBLIC), include_in_schema=False,
    cache_control=None, send_as_attachment=False, name="static")


# Each area of the pages adds its handlers here (sign-in, judge, audit, admin, public).
PAGES: list[Any] = [home, *SIGN_IN, *JUDGE_PAGES, evidence_file, AUDIT_DESK]
PAGES += [*PUBLIC_PAGES, *TIMER_PAGES]  # 公示, certificate check; 述职计时
PAGES += CONSOLE  # 管理台 and 学校填报 home pages (adapters/web/console.py)
PAGES += RUBRIC_PAGES  # 评分细则 (adapters/web/rubric_editor.py)
PAGES += ANNUAL_PAGES  # 年度考核 (adapters/web/annual.py)
PAGES += [*WIZARD_PAGES, *DRAFT_PAGES]  # 考核设置 (adapters/web/setup_wizard.py, setup_draft.py)
PAGES += EDIT_PAGES  # 修改设置: steps 1–5 again on a draft (adapters/web/setup_edit.py)
PAGES += [*ORG_PAGES, *PEOPLE_PAGES]  # 组织机构, 人员与登录 (adapters/web/org.py, people.py)
PAGES += [*SELF_PAGES, *SCHOOL_RESULTS]  # 自查自评; 公示与证书 (学校填报)
PAGES += [*DEADLINE_PAGES, *DEADLINE_FORM_PAGES]  # 截止与逾期, 编辑时间安排 (deadline*.py)
PAGES += ACTIVITY_PAGES  # 教研活动, 常规达标 (adapters/web/activity_pages.py)
PAGES += TERM_PAGES  # 学期日历 (adapters/web/term_pages.py)
PAGES += [*IMPORT_PAGES, *DOWNLOAD_PAGES]  # 表格导入; sheets (adapters/web/sheet_*.py)


def web_routes() -> list[Router]:
    """The pages and their static files (scripts, styles: all served from here). A page's
    refusal is a Chinese page (``PAGE_ERRORS``), not problem+json."""
    pages = Router("/", route_handlers=PAGES, response_headers=PAGE_HEADERS,
                   exception_handlers=PAGE_ERRORS, include_in_schema=False)
    return [pages, static]
