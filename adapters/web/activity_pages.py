"""教研活动 and 常规达标 pages of both sides: the admin's (方案论证, 发文确认, calendar,
certificates; compliance and its rules) and the school reporter's (apply, revise, hold,
evidence, summarise)."""

from __future__ import annotations

from typing import Any

from adapters.web.activity_admin import ACTIVITY_PAGES_ADMIN
from adapters.web.activity_school import ACTIVITY_PAGES_SCHOOL
from adapters.web.activity_upload import ACTIVITY_UPLOAD
from adapters.web.compliance_pages import COMPLIANCE_PAGES

ACTIVITY_PAGES: list[Any] = [*ACTIVITY_PAGES_ADMIN, *ACTIVITY_PAGES_SCHOOL, *ACTIVITY_UPLOAD,
                             *COMPLIANCE_PAGES]
