"""Closed sets of values (role, stage, kinds, method, status…), shown as enums in OpenAPI.

Requests still decode them as text: the domain checks them and answers 422 naming the allowed
values (and the field), which is clearer than the decoder's 400, and keeps that contract.
"""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

from adapters.http.schemas.base import ONE_LINE
from domain.activity import ROLES as PARTICIPANT_ROLES
from domain.activity import UNIT_KINDS as ACTIVITY_UNIT_KINDS
from domain.community import SCOPES as COMMUNITY_SCOPES
from domain.community import TYPES as COMMUNITY_TYPES
from domain.school import STAGES
from domain.settings import COUNTS, EVERY
from domain.setup import COMPONENT_KINDS, METHODS, NEXT_STATUS, SUBJECT_KINDS
from domain.shaping import SELECTORS
from domain.unit import KINDS as UNIT_KINDS
from domain.user import AFFILIATION_KINDS
from domain.user import ROLES as USER_ROLES
from tenants.presets import PRESET_KEYS

ASSESSMENT_STATUSES = ("draft", *NEXT_STATUS.values())
ACTIVITY_STATUSES = ("applied", "reviewed", "returned", "confirmed", "held", "summarised",
                     "cancelled")
TENANT_STATUSES = ("active", "suspended")


def one_of(values: tuple[str, ...], description: str) -> Any:
    """Text from a closed set; OpenAPI lists the set."""
    return Annotated[str, Meta(max_length=64, pattern=ONE_LINE, description=description,
                               extra_json_schema={"extra": {"enum": list(values)}})]


UserRole = one_of(USER_ROLES, "admin 管理员, judge 评委, auditor 审计员, reporter 填报员, "
                              "teacher 教师")
PresetKey = one_of(PRESET_KEYS, "区县预设: the tenant starts set up as its district's document "
                               "describes (tenants/presets/README.md names each one's source)")
Stage = one_of(STAGES, "学段: 高中, 初中, 小学 or 学前")
SubjectKind = one_of(SUBJECT_KINDS, "What is assessed: a school, a community (共同体), a "
                                    "research unit (教研组/备课组/工作坊) or a teacher (a person: "
                                    "工作点, 名师)")
RuleSelector = one_of(SELECTORS, "Whom a component rule names: a kind of subject (school, "
                                 "community, unit, teacher), a school's role in its community "
                                 "(core_school 核心校, member_school 成员校), or a community "
                                 "type (integrated, co_built, collaborative: its bundling rule)")
UnitKind = one_of(UNIT_KINDS, "research_group 教研组, prep_group 备课组, studio 工作坊")
ActivityUnitKind = one_of(ACTIVITY_UNIT_KINDS, "Who runs the activity: a unit, a community, "
                                               "a school, or a zone (an org node: 片区/协作区)")
AffiliationKind = one_of(AFFILIATION_KINDS, "What the user belongs to: a school, a community "
                                            "or a unit (used to find 回避 conflicts)")
ComponentKind = one_of(COMPONENT_KINDS, "routine 常态化工作, project 项目评估, distinctive "
                                        "特色发展 (how a community's scores are bundled)")
CommunityType = one_of(COMMUNITY_TYPES, "integrated 融合型, co_built 共建型, collaborative "
                                        "协作型")
CommunityScope = one_of(COMMUNITY_SCOPES, "How far the community reaches: 市域, 县域, 同城 "
                                          "or 都市圈")
Method = one_of(METHODS, "How judges' scores are combined: mean, median, or trimmed_mean "
                         "(drop the highest and lowest `trim` scores)")
Normalise = one_of(("none", "zscore"), "none, or zscore: each judge's scores standardised "
                                       "before aggregation")
ParticipantRole = one_of(PARTICIPANT_ROLES, "host 主办, organiser 承办, co_organiser 协办, "
                                            "participant 参加")
Every = one_of(EVERY, "How often an activity is required: week, two_weeks, month, semester, "
                                "term (each of the tenant's 学期), school_year (学年: an autumn "
                                "term and the spring term after it)")
Counts = one_of(COUNTS, "Which activities count: held (已开展) or planned (已安排)")
AssessmentStatus = one_of(ASSESSMENT_STATUSES, "draft 草稿 → open 进行中 → closed 已结束 → "
                                               "finalised 已定稿 → published 已公示")
ActivityStatus = one_of(ACTIVITY_STATUSES, "预约申请 applied → reviewed/returned → confirmed → "
                                           "held → summarised, or cancelled")
TenantState = one_of(TENANT_STATUSES, "active, or suspended (its users get 403)")
