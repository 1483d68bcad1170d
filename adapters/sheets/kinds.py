"""The sheets kaoping reads: each kind's columns, with the headers districts use for them,
which are required, and the values an enumerated column takes (its drop-down)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from domain.school import STAGES

Value = Literal["text", "bool", "number", "list", "date"]
DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
LIST_SPLIT = re.compile(r"[、,，;；/\n]+")
YES = ("是", "外部", "y", "yes", "true", "1", "√")
NO = ("否", "", "n", "no", "false", "0")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    synonyms: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (label in the sheet, value in kaoping)
    value: Value = "text"
    example: str = ""
    merged: bool = False  # a blank cell continues the one above (merged cells read blank)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)

    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.choices)


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the sheet's name in a template
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def convert(column: Column, text: str) -> tuple[Any, str | None]:
    """A cell's text as the column's value, or an error message id."""
    text = text.strip()
    if column.choices and text:
        for label, value in column.choices:
            if text in (label, value):
                return value, None
        return None, "should be one of {}".format("、".join(column.labels()))
    if column.value == "bool":
        if text.lower() in YES:
            return True, None
        if text.lower() in NO:
            return False, None
        return None, "should be 是 or 否"
    if column.value == "number":
        if not text:
            return None, None
        try:
            number = Decimal(text.rstrip("分").strip())
        except InvalidOperation:
            return None, "must be a number"
        return (str(number) if number.is_finite() else None,
                None if number.is_finite() else "must be a number")
    if column.value == "date":
        return _date(text)
    if column.value == "list":
        return [part.strip() for part in LIST_SPLIT.split(text) if part.strip()], None
    return text, None


def _date(text: str) -> tuple[str | None, str | None]:
    """2026-09-01, 2026/9/1, 2026.9.1 or 2026年9月1日 (a date cell reads as the first)."""
    if not text:
        return None, None
    found = DATE.match(text.split(" ", maxsplit=1)[0])
    try:
        if found:
            return date(*map(int, found.groups())).isoformat(), None
    except ValueError:
        pass
    return None, "should be a date such as 2026-09-01"


SCHOOLS = Kind("schools", "学校", (
    Column("name", "学校名称", ("名称", "学校", "校名", "单位名称"), True, example="南钢学校"),
    Column("group", "分组", ("组别", "排名组", "考核分组", "类别"), True, example="一贯制学校组"),
    Column("stage", "学段", ("学校类型",), True, tuple((s, s) for s in STAGES), example="小学"),
    Column("zone", "片区", ("协作区", "区域", "所属片区"), example="第一协作区"),
    Column("external", "外部合作校", ("外部", "校外合作校", "是否外部合作校"), value="bool",
           choices=(), example="否"),
))

ROLE_LABELS = (("评委", "judge"), ("管理员", "admin"), ("审计员", "auditor"),
               ("填报员", "reporter"), ("教师", "teacher"))

USERS = Kind("users", "人员", (
    Column("name", "姓名", ("名字", "人员", "人员姓名"), True, example="王芳"),
    Column("role", "角色", ("身份", "账号角色"), True, ROLE_LABELS, example="评委"),
    Column("affiliations", "任职单位", ("单位", "工作单位", "所在学校", "学校"), value="list",
           example="南钢学校"),
    Column("subject", "学科", ("任教学科", "科目"), example="语文"),
))

RUBRIC = Kind("rubric", "评分细则", (
    Column("level1", "一级指标", ("一级", "考核项目", "评价项目"), True, example="一 组织建设",
           merged=True),
    Column("weight", "权重", ("一级指标分值", "占比", "比重"), value="number", example="2"),
    Column("level2", "二级指标", ("二级", "评价内容"), example="优化设置教研组织", merged=True),
    Column("leaf", "评价要点", ("具体要求", "考核要点", "考核内容", "评价标准", "三级指标"),
           example="学校重视教研组组织建设"),
    Column("points", "分值", ("分数", "满分", "评价分值", "标准分"), True,
           value="number", example="2"),
    Column("guidance", "评分说明", ("评分标准", "说明", "评分办法", "备注"),
           example="学校重视教研组组织建设，学科教研设置合理科学。"),
))

SUBJECT_KINDS = (("学校", "school"), ("共同体", "community"))

SUBJECTS = Kind("subjects", "被评对象", (
    Column("name", "名称", ("被评对象", "学校名称", "单位名称", "学校", "对象名称"), True,
           example="南钢学校"),
    Column("kind", "类型", ("对象类型", "被评对象类型"), choices=SUBJECT_KINDS, example="学校"),
    Column("group", "分组", ("组别", "考核分组", "排名组"), True, example="一贯制学校组"),
))

ORDER = Kind("order", "出场顺序", (
    Column("group", "分组", ("组别", "考核分组"), True, example="一贯制学校组"),
    Column("position", "顺序", ("序号", "出场顺序", "抽签号", "顺序号"), value="number",
           example="1"),
    Column("name", "名称", ("被评对象", "学校名称", "单位名称", "学校", "对象名称"), True,
           example="南钢学校"),
))

COMMUNITIES = Kind("communities", "共同体", (
    Column("name", "共同体名称", ("名称", "共同体", "教研共同体"), True, example="城关教研共同体"),
    Column("type", "类型", ("共同体类型",), True, (("融合型", "integrated"), ("共建型", "co_built"),
                                                  ("协作型", "collaborative")), example="共建型"),
    Column("scope", "范围", ("区域范围", "共同体范围"), True,
           tuple((s, s) for s in ("市域", "县域", "同城", "都市圈")), example="县域"),
    Column("core", "核心校", ("牵头学校", "核心学校", "牵头校"), True, example="南钢学校"),
    Column("members", "成员校", ("协作学校", "成员学校", "成员"), value="list",
           example="湖坊小学、塘山小学"),
    Column("since", "起始日期", ("成立日期", "加入日期", "开始日期"), value="date",
           example="2020-09-01"),
))

UNITS = Kind("units", "教研组织", (
    Column("kind", "类型", ("组织类型", "单位类型"), True, (("教研组", "research_group"),
                                                          ("备课组", "prep_group"),
                                                          ("工作坊", "studio")), example="教研组"),
    Column("name", "名称", ("组织名称", "单位名称", "教研组名称"), True, example="语文教研组"),
    Column("school", "学校", ("所属学校", "学校名称"), example="南钢学校"),
    Column("subject", "学科", ("任教学科", "科目"), example="语文"),
    Column("parent", "所属教研组", ("上级教研组",), example=""),
    Column("host", "主持人", ("坊主", "组长", "负责人"), example="王芳"),
    Column("members", "成员", ("组员", "成员名单"), value="list", example="李强、赵敏"),
))

# 统分: a flat table, or the 评分表 kaoping prints (score-sheets.xlsx), filled in.
SCORES = Kind("scores", "评分", (
    Column("subject", "被评对象", ("学校名称", "名称", "对象"), True, example="南钢学校"),
    Column("component", "考核项目", ("项目",), True, example="常态化工作"),
    Column("code", "指标", ("指标代码", "代码", "序号"), True, example="1.1"),
    Column("points", "得分", ("分数", "评分"), True, value="number", example="5"),
))

KINDS: dict[str, Kind] = {k.name: k for k in (SCHOOLS, USERS, RUBRIC, SUBJECTS, ORDER,
                                               COMMUNITIES, UNITS, SCORES)}
