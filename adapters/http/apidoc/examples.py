"""An example body for each write, by the request shape's name (the 青山湖 round)."""

from typing import Any

SCHOOL = "3f1c2a9e-5b7d-4c1a-9e2f-0a1b2c3d4e5f"
RUBRIC = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
JUDGE = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
SUBJECT = "9e8d7c6b-5a4f-5e3d-8c2b-1a0f9e8d7c6b"
UNIT = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
EVIDENCE = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a"

EXAMPLES: dict[str, dict[str, Any]] = {
    "TenantCreate": {"slug": "qingshanhu", "name": "青山湖区教研室",
                     "time_zone": "Asia/Shanghai"},
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
    "ScoresIn": {"scores": {"1.1": 5.5, "1.2": 4}, "reason": None},
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
}
