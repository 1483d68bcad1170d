"""教研活动 and 常规达标 in the pages' words: states, what comes next, kinds, roles, rules."""

from __future__ import annotations

STATES = {"applied": "待方案论证", "returned": "已退回修改", "reviewed": "论证通过，待发文确认",
          "confirmed": "已发文，待开展", "held": "已开展，待总结", "summarised": "已总结",
          "cancelled": "已取消"}

# What the school does next, and what the district office does next.
NEXT_SCHOOL = {
    "applied": "等待区教研室方案论证。",
    "returned": "请按论证意见修改方案后重新提交。",
    "reviewed": "等待区教研室发文确认。",
    "confirmed": "活动开展后，请登记开展情况和参加人员。",
    "held": "请上传佐证材料并填写活动总结。",
    "summarised": "等待区教研室颁发活动证书。",
    "cancelled": "活动已取消，无需再办。"}
NEXT_ADMIN = {
    "applied": "请进行方案论证：通过，或填写意见退回修改。",
    "returned": "等待学校修改方案。",
    "reviewed": "请发文确认并填写文号。",
    "confirmed": "等待学校开展活动。",
    "held": "等待学校填写总结。",
    "summarised": "可为参加人员颁发活动证书。",
    "cancelled": "活动已取消。"}

UNIT_KINDS = {"research_group": "教研组", "prep_group": "备课组", "studio": "名师工作室",
              "community": "教研共同体", "school": "学校"}
ROLES = {"host": "主办", "organiser": "承办", "co_organiser": "协办", "participant": "参加"}
ROLE_OF_WORD = {word: role for role, word in ROLES.items()}
EVERY = {"week": "每周", "two_weeks": "每两周", "month": "每月", "semester": "每学期",
         "term": "每个学期（按学期日历）", "school_year": "每学年（按学期日历）"}
COUNTS = {"held": "已开展的活动", "planned": "已安排的活动"}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def rule_text(rule: object) -> str:
    """e.g. 教研组 每周 至少 1 次、2 课时（已开展的活动）."""
    kind = UNIT_KINDS.get(getattr(rule, "unit_kind", ""), getattr(rule, "unit_kind", ""))
    every = EVERY.get(getattr(rule, "every", ""), getattr(rule, "every", ""))
    counts = COUNTS.get(getattr(rule, "counts", ""), "")
    forms = "、".join(getattr(rule, "forms", ()))
    return (f"{kind} {every}至少 {getattr(rule, 'min_activities', 0)} 次、"
            f"{getattr(rule, 'min_periods', 0)} 课时（{counts}{'，限' + forms if forms else ''}）")
