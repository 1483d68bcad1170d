"""The words the auditor's and the admin's pages use for the log's types, states and checks."""

from __future__ import annotations

from decimal import Decimal

REFUSED = "refused"  # a filter value: the refused attempts (not a history type)
TYPES = {
    "ScoresRecorded": "评分", "Submitted": "提交", "Reopened": "退回重评",
    "JudgeRecused": "回避", "RecusalLifted": "取消回避", "RecusedScoringRefused": "回避后评分被拒",
    "StatusChanged": "状态变更", "ResultsPublished": "公示", "SelfScored": "自查自评",
    "Created": "创建考核", "SubjectAdded": "添加对象", "SubjectRemoved": "移除对象",
    "SubjectMoved": "调整分组", "JudgeAdded": "添加评委", "OrderDrawn": "抽签",
    "OrderEntered": "录入出场顺序", "SetupChanged": "修改设置", REFUSED: "被拒绝的操作",
}
RECUSAL_TYPES = frozenset({"JudgeRecused", "RecusalLifted"})
REFUSAL_TYPES = frozenset({"RecusedScoringRefused"})
CARD_TYPES = frozenset({"ScoresRecorded", "Submitted", "Reopened"})
STATUSES = {"draft": "草稿", "open": "评分中", "closed": "已截止", "finalised": "已定稿",
            "published": "已公示"}
OVERRIDES = {"force": "强制截止", "accept_incomplete": "接受不完整结果定稿"}
REFUSAL_KINDS = {"role": "角色无权", "not_permitted": "越权访问", "recused": "回避后仍评分"}
FIELDS = {"final": "总分", "tier": "等次", "rank": "名次"}
SOURCES = {"board": "成绩榜（投影）", "published": "已公示结果", "sheet": "结果表"}
CARD_STATES = {"not_started": "未开始", "saved": "已保存", "reopened": "已退回",
               "submitted": "已提交", "recused": "回避"}


def pts(value: float | Decimal | str | None) -> str:
    """Points as people write them: 6, 5.5, 89.25; nothing as a dash."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def delta(then: float | None, now: float | None) -> str:
    """The change from then to now, signed; empty when there is none to show."""
    if then is None or now is None:
        return ""
    moved = Decimal(str(now)) - Decimal(str(then))
    if not moved:
        return ""
    return ("+" if moved > 0 else "") + f"{moved.normalize():f}"
