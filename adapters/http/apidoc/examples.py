"""An example body for each write, by the request shape's name (the 青山湖 round)."""

from typing import Any

from adapters.http.apidoc.annual import ANNUAL_EXAMPLES
from adapters.http.apidoc.org import ORG_EXAMPLES

SCHOOL = "3f1c2a9e-5b7d-4c1a-9e2f-0a1b2c3d4e5f"
RUBRIC = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
JUDGE = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
SUBJECT = "9e8d7c6b-5a4f-5e3d-8c2b-1a0f9e8d7c6b"
UNIT = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
EVIDENCE = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a"
ADMIN = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
TEACHER = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"
SECOND_SUBJECT = "8a9b0c1d-2e3f-5a4b-9c5d-6e7f8a9b0c1d"

EXAMPLES: dict[str, dict[str, Any]] = {
    "TenantCreate": {"slug": "qingshanhu", "name": "青山湖区教研室",
                     "time_zone": "Asia/Shanghai", "preset": "qingshanhu"},
    "SchoolCreate": {"name": "南钢学校", "group": "一贯制学校组", "stage": "初中",
                     "zone": "第一协作区"},
    "UserCreate": {"name": "王芳", "role": "judge",
                   "affiliations": [{"kind": "school", "id": SCHOOL}]},
    "CommunityCreate": {"name": "南钢教育共同体", "type": "integrated", "scope": "县域",
                        "core_school_id": SCHOOL, "member_school_ids": [],
                        "since": "2026-09-01"},
    "MemberIn": {"school_id": SCHOOL, "on": "2026-09-01"},
    "UnitCreate": {"kind": "research_group", "name": "语文教研组", "school_id": SCHOOL,
                   "subject": "语文"},
    "RubricIn": {"name": "教研组建设评价细则", "step": 0.5, "indicators": [
        {"code": "1", "title": "组织建设", "weight": 10, "children": [
            {"code": "1.1", "title": "教研组设置合理", "max_points": 6},
            {"code": "1.2", "title": "教研计划", "max_points": 4,
             "guidance": "有学期计划得2分，计划落实得2分"}]}]},
    "AssessmentCreate": {
        "name": "2019—2020学年度校本教研述职述研评议",
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": RUBRIC,
                        "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8}],
        "aggregation": {"method": "trimmed_mean", "trim": 1, "normalise": "none"},
        "quorum": 3,
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60},
                                 {"name": "不合格", "min": 0}]},
        "publication": {"ranks": True},
    },
    "SubjectIn": {"kind": "school", "ref_id": SCHOOL, "group": "yiguanzhi"},
    "PanelIn": {"judge_id": JUDGE},
    "RecusalIn": {"subject_id": SUBJECT, "reason": "我曾在该校任教，申请回避"},
    "DrawIn": {"seed": "2020-06-21"},
    "ScoresIn": {"scores": {"1.1": 5.5, "1.2": 4}, "reason": None,
                 "comment": "教研组织健全，集体备课记录完整；建议加强课题研究。"},
    "ReasonIn": {"reason": "复核后提交"},
    "ReopenIn": {"judge_id": JUDGE, "reason": "评委误录 1.2 的得分，申请重新打开"},
    "SelfAssessmentIn": {"scores": {"1.1": 6, "1.2": 3.5}, "evidence_ids": [EVIDENCE],
                         "evidence": {"1.2": [EVIDENCE]}},
    "FormIn": {"name": "同课异构"},
    "PlanIn": {"theme": "整本书阅读教学研讨", "form": "集体备课", "planned_on": "2026-10-15",
               "periods": 2, "purpose": "统一单元教学目标",
               "plan": "一、说课；二、研讨；三、修改教案"},
    "ActivityIn": {"theme": "整本书阅读教学研讨", "form": "集体备课",
                   "planned_on": "2026-10-15", "periods": 2, "purpose": "统一单元教学目标",
                   "plan": "一、说课；二、研讨；三、修改教案", "unit_kind": "research_group",
                   "unit_id": UNIT},
    "ReviewIn": {"approved": True,
                 "opinions": [{"reviewer": "李静", "text": "主题明确，同意开展"}]},
    "ConfirmIn": {"document": "青教研〔2026〕12号"},
    "HoldIn": {"held_on": "2026-10-15", "periods": 2,
               "participants": [{"name": "王芳", "role": "host"},
                                {"name": "李静", "role": "participant"}]},
    "SummaryIn": {"highlights": "形成了单元整体教学设计", "problems": "研讨时间偏紧",
                  "improvements": "下次提前分发材料", "evidence_ids": [EVIDENCE]},
    "CancelIn": {"reason": "与区统考时间冲突"},
    "RulesIn": {"rules": [{"unit_kind": "research_group", "every": "two_weeks",
                           "min_activities": 1, "min_periods": 2, "counts": "held"}]},
    "EvidenceUpload": {"file": "(the file's bytes)", "dated": "2026-10-15"},
    # Changing a draft round, its order and its subjects
    "AssessmentPatch": {"quorum": 5, "period": {"starts_on": "2026-09-01",
                                                "ends_on": "2027-01-31"},
                        "reason": "区教研室决定增加评委人数"},
    "OrderIn": {"order": {"yiguanzhi": [SUBJECT, SECOND_SUBJECT]},
                "reason": "按评审会议商定的顺序调整出场顺序"},
    "SubjectMoveIn": {"group": "chuzhong", "reason": "该校已改为独立初中，调整分组"},
    # Closing, finalising and reopening a round
    "CloseIn": {"force": "王芳老师因病缺席，其评分表经评审组同意不再补交"},
    "FinaliseIn": {"accept_incomplete": "经区教研室同意，按已提交的评分表定稿"},
    "RoundReopenIn": {"reason": "李静老师的评分表需要更正，重新开放考核"},
    # Tenant settings and tokens
    "RoundingIn": {"precision": 1, "reason": "成绩公示统一保留一位小数"},
    "AdminTokenIn": {"user_id": ADMIN, "reason": "原管理员令牌遗失，为其补发"},
    # Editing and archiving records
    "SchoolEdit": {"reason": "学校更名", "name": "南钢实验学校", "zone": "第二协作区"},
    "CommunityEdit": {"reason": "共同体调整为共建型", "type": "co_built"},
    "UnitEdit": {"reason": "教研组合并后更名", "name": "语文综合教研组"},
    "UserEdit": {"reason": "教师调整任教学科", "subject": "数学"},
    "ArchiveIn": {"reason": "该校已撤并，不再参加考核"},
    # Affiliations and members (回避 follows them)
    "AffiliationsIn": {"affiliations": [{"kind": "school", "id": SCHOOL},
                                        {"kind": "unit", "id": UNIT}],
                       "reason": "王芳老师调入南钢学校，兼任语文教研组成员"},
    "UnitMembersIn": {"reason": "新学期工作坊成员调整", "host_user_id": JUDGE,
                      "member_user_ids": [JUDGE, TEACHER]},
    # Windows and 出场安排; the chair's 综合评价意见
    "WindowsIn": {"self_assessment": {"opens": "2026-10-20", "closes": "2026-11-10"},
                  "components": {"routine": {"self_assessment": {"closes": "2026-11-10"}}},
                  "materials_due_days_before": 3, "late": "refuse",
                  "schedule": {"yiguanzhi": {"date": "2026-12-18", "start": "08:30",
                                             "venue": "区教研中心三楼会议室"}}},
    "SummaryOpinionIn": {"text": "教研制度健全，集体备课扎实；建议加强小课题研究。"},
}

EXAMPLES |= ANNUAL_EXAMPLES  # 年度考核
EXAMPLES |= ORG_EXAMPLES  # 组织层级、学期 (issue 16)
