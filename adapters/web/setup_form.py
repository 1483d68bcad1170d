"""考核设置, steps 1–5: what the admin typed, carried from step to step in the form itself,
read as the API reads ``POST …/assessments`` and checked by the same rules at every step.

Nothing is written before step 5 (ADR 0021): each step posts every earlier step's values back
(a hidden ``state``), so a refused or abandoned set-up leaves no half-made round. Each step is
checked as a whole round would be (``check_assessment``), its later steps left empty, and only
the refusals of the steps done so far are shown, beside their fields, in Chinese."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from adapters.http import convert
from adapters.http.i18n import translate
from adapters.http.schemas import AssessmentCreate
from adapters.web.judge_forms import one
from domain.errors import DomainError, FieldError, RuleViolated
from domain.setup import Setup

# (number, title, the fields its refusals name)
STEPS = ((1, "名称与考核期间", ("name", "period")),
         (2, "考核项目与权重", ("components",)),
         (3, "排名分组与时限", ("groups",)),
         (4, "汇总方式", ("aggregation",)),
         (5, "等次与名额", ("tiers", "reason")))  # reason: 修改设置's 修改原因
LAST = len(STEPS)
# ``key``: a hidden field, empty in a new round (made from the row) and the draft's own key in
# 修改设置, so that its subjects, rules and order keep pointing at the same component or group.
ROWS = {"components": ("key", "name", "rubric", "weight", "kind", "sample"),
        "groups": ("key", "name", "minutes"),
        "tiers": ("name", "min", "quota")}
MAX_ROWS = 50
METHOD_NAMES = {"mean": "平均分", "median": "中位数", "trimmed_mean": "去掉最高分和最低分后取平均"}
NORMALISE_NAMES = {"none": "不做标准化", "zscore": "按评委标准化（z 分数），校正偏严或偏松的评委"}
KIND_NAMES = {"routine": "常态化工作", "project": "项目评估", "distinctive": "特色发展"}
DEFAULT_TIERS = [{"name": "优秀", "min": "90", "quota": ""},
                 {"name": "合格", "min": "60", "quota": ""},
                 {"name": "不合格", "min": "0", "quota": ""}]


@dataclass
class Typed:
    """Steps 1–5 as typed (text), so that a refused step shows every value again."""

    name: str = ""
    starts_on: str = ""
    ends_on: str = ""
    components: list[dict[str, str]] = field(default_factory=list)
    groups: list[dict[str, str]] = field(default_factory=list)
    method: str = "mean"
    trim: str = "1"
    normalise: str = "none"
    tiers: list[dict[str, str]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TIERS])

    @classmethod
    def of(cls, form: dict[str, Any]) -> Typed:
        """The state carried in the hidden field; anything unreadable starts afresh."""
        try:
            found = json.loads(one(form.get("state", "")) or "{}")
            typed = cls(**{k: v for k, v in found.items() if k in cls.__dataclass_fields__})
        except (ValueError, TypeError, AttributeError):  # not JSON, or not an object
            return cls()
        for key, names in ROWS.items():
            rows = getattr(typed, key)
            if not isinstance(rows, list):
                rows = []
            setattr(typed, key, [{n: str(r.get(n, "")) for n in names}
                                 for r in rows if isinstance(r, dict)][:MAX_ROWS])
        for key in ("name", "starts_on", "ends_on", "method", "trim", "normalise"):
            setattr(typed, key, str(getattr(typed, key)))
        return typed

    @classmethod
    def of_setup(cls, setup: Setup) -> Typed:
        """A draft's set-up as the steps show it (修改设置 starts from what is saved)."""
        quotas = {q.tier: q.fraction for q in setup.quotas}
        period = setup.period
        return cls(
            name=setup.name,
            starts_on=period.starts_on.isoformat() if period else "",
            ends_on=period.ends_on.isoformat() if period else "",
            components=[{"key": c.key, "name": c.name,
                         "rubric": f"{c.rubric_id}:{c.rubric_version}", "weight": plain(c.weight),
                         "kind": c.kind or "", "sample": ""}
                        for c in setup.components],
            groups=[{"key": g.key, "name": g.name,
                     "minutes": str(g.time_limit_minutes or "")} for g in setup.groups],
            method=setup.aggregation.method, trim=str(setup.aggregation.trim),
            normalise=setup.aggregation.normalise,
            tiers=[{"name": t.name, "min": plain(t.min),
                    "quota": plain(quotas[t.name] * 100) if t.name in quotas else ""}
                   for t in setup.tiers])

    def json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    def take(self, form: dict[str, Any], step: int) -> None:
        """The fields of ``step`` as posted; rows left empty are dropped (so row ``i`` on the
        page is ``components[i]`` in a refusal)."""
        def text(name: str) -> str:
            return one(form.get(name, "")).strip()

        if step == 1:
            self.name, self.starts_on, self.ends_on = text("name"), text("starts_on"), \
                text("ends_on")
        elif step == 4:
            self.method, self.trim, self.normalise = text("method"), text("trim"), \
                text("normalise")
        else:
            key = {2: "components", 3: "groups", 5: "tiers"}[step]
            names = ROWS[key]
            rows = [{n: text(f"{key}-{n}-{i}") for n in names} for i in range(MAX_ROWS)]
            typed = [r for r in rows if any(v for n, v in r.items() if n not in ("sample", "key"))]
            setattr(self, key, typed)


def body(typed: Typed) -> tuple[dict[str, Any], list[FieldError]]:
    """The ``POST …/assessments`` body the typed values make, and what could not be read."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {"name": typed.name}
    if typed.starts_on or typed.ends_on:
        if typed.starts_on and typed.ends_on:
            out["period"] = {"starts_on": typed.starts_on, "ends_on": typed.ends_on}
        else:
            errors.append(FieldError("period", "give both the start and the end date"))
    components, keys = [], Keys(typed.components)
    for i, row in enumerate(typed.components):
        rubric_id, _, version = row["rubric"].partition(":")
        if not rubric_id:
            errors.append(FieldError(f"components[{i}].rubric_version",
                                     "choose a published rubric version"))
        kind = row["kind"] or None
        components.append({"key": row["key"] or keys.fresh(key_of(kind, i, typed.components)),
                           "name": row["name"],
                           "rubric_id": rubric_id or "00000000-0000-0000-0000-000000000000",
                           "rubric_version": whole(version or "1", "", []) or 1,
                           "weight": number(row["weight"], f"components[{i}].weight", errors),
                           "kind": kind})
    out["components"] = components
    groups = Keys(typed.groups)
    out["groups"] = [{"key": row["key"] or groups.fresh(f"g{i + 1}"), "name": row["name"],
                      "time_limit_minutes": whole(row["minutes"],
                                                  f"groups[{i}].time_limit_minutes", errors)}
                     for i, row in enumerate(typed.groups)]
    out["aggregation"] = {"method": typed.method or "mean",
                          "trim": whole(typed.trim or "1", "aggregation.trim", errors) or 0,
                          "normalise": typed.normalise or "none"}
    quota = {}
    for row in typed.tiers:
        if row["quota"]:
            percent = number(row["quota"], f"tiers.quota.{row['name']}", errors)
            if percent is not None:
                quota[row["name"]] = percent / 100
    out["tiers"] = {"thresholds": [{"name": row["name"],
                                    "min": number(row["min"], f"tiers.thresholds[{i}].min",
                                                  errors)}
                                   for i, row in enumerate(typed.tiers)],
                    "quota": quota or None}
    return out, errors


def key_of(kind: str | None, i: int, rows: list[dict[str, str]]) -> str:
    """A component's key: its kind when no other row has it (``routine``…), else ``c2``."""
    kinds = [r["kind"] for r in rows]
    return kind if kind and kinds.count(kind) == 1 else f"c{i + 1}"


class Keys:
    """The keys rows already have (a draft's), so that a row added in 修改设置 gets a key
    no other row has: ``c3``, else ``c3-2``…"""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.taken = {r["key"] for r in rows if r["key"]}

    def fresh(self, wanted: str) -> str:
        found, n = wanted, 1
        while found in self.taken:
            n += 1
            found = f"{wanted}-{n}"
        self.taken.add(found)
        return found


def number(text: str, name: str, errors: list[FieldError]) -> Decimal | None:
    try:
        value = Decimal(text)
        if value.is_finite():
            return value
    except InvalidOperation:
        pass
    errors.append(FieldError(name, "must be a number"))
    return None


def plain(value: Decimal) -> str:
    """A figure without trailing zeros: 25.5, 100."""
    found = format(value, "f")
    return found.rstrip("0").rstrip(".") if "." in found else found


def whole(text: str, name: str, errors: list[FieldError]) -> int | None:
    if not text:
        return None
    if re.fullmatch(r"\d{1,6}", text):
        return int(text)
    if name:
        errors.append(FieldError(name, "must be a whole number"))
    return None


def check(app: Any, typed: Typed, upto: int) -> tuple[AssessmentCreate | None, list[FieldError]]:
    """The request the steps up to ``upto`` make, or the refusals of those steps."""
    raw, errors = body(typed)
    data = None
    if not errors:
        try:
            data = msgspec.convert(raw, AssessmentCreate)
        except msgspec.ValidationError as exc:
            errors = [field_error(str(exc))]
    if data is not None:
        try:
            app.check_assessment(convert.setup_spec(data))
        except DomainError as exc:
            errors = list(exc.errors) or [FieldError("", exc.detail)]
    errors = [e for e in errors if step_of(e.field) <= upto]
    return (data if not errors else None), errors


def step_of(name: str) -> int:
    found = shown_at(name)
    if found is not None:
        return found
    return LAST + 1 if name in ("quorum", "publication", "community_weights") else 1


def shown_at(name: str) -> int | None:
    """The step whose page shows a refusal of ``name`` beside its field (None: no step's)."""
    for number_, _, fields in STEPS:
        if any(name == f or name.startswith((f + "[", f + ".")) for f in fields):
            return number_
    return None


WHERE = re.compile(r"^(?P<text>.*?) - at `\$\.?(?P<path>[^`]*)`$", re.S)
MESSAGES = ((re.compile(r"of length >= 1$"), "不能为空"),
            (re.compile(r"of length <= (\d+)$"), "最多 {0} 个字符"),
            (re.compile(r"matching regex"), "含有不允许的字符"),
            (re.compile(r"`int` >= (\S+)$"), "须不小于 {0}"),
            (re.compile(r"`int` <= (\S+)$"), "须不大于 {0}"),
            (re.compile(r"^Invalid enum value"), "请从选项中选择"))


def field_error(message: str) -> FieldError:
    """msgspec's refusal (``Expected … - at `$.groups[0].name```) as a field's Chinese."""
    where = WHERE.match(message)
    text, path = (where["text"], where["path"]) if where else (message, "")
    missing = re.match(r"Object missing required field `([^`]+)`", text)
    if missing:
        return FieldError(f"{path}.{missing[1]}" if path else missing[1], "required")
    for pattern, chinese in MESSAGES:
        found = pattern.search(text)
        if found:
            return FieldError(path, chinese.format(*found.groups()))
    return FieldError(path, translate(text))


def refusal(errors: list[FieldError]) -> RuleViolated:
    return RuleViolated("the assessment is not valid", tuple(errors))


def first_step(errors: list[FieldError]) -> int:
    return min((step_of(e.field) for e in errors), default=1)
