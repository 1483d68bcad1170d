"""The activity and compliance forms: typed text turned into the API's own bodies (the same
msgspec Structs, so the same limits), and every refusal placed beside its field in Chinese.

A value the API's shape refuses (no date, a number out of range, an empty theme) becomes a
``RuleViolated`` naming its field, so a page shows it exactly as it shows the domain's own
refusals (``adapters.web.judge_forms.Refusal``)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from adapters.web import activity_words as words
from adapters.web.judge_forms import one
from domain.errors import FieldError, RuleViolated

T = TypeVar("T")
FORM_REFUSED = "填写的内容有误"  # the pages' own words (the API answers 400 for a bad shape)
WHERE = re.compile(r"^(?P<text>.*?) - at `\$\.?(?P<path>[^`]*)`$", re.S)
BOUND = re.compile(r"Expected `(?:int|float)` (?P<op>[<>]=) (?P<n>\d+)")
LENGTH = re.compile(r"Expected `(?:str|array)` of length (?P<op>[<>]=) (?P<n>\d+)")


def said(text: str) -> str:
    """msgspec's words about a value, as the form says them."""
    if bound := BOUND.search(text):
        return f"不能{'小于' if bound['op'] == '>=' else '大于'} {bound['n']}"
    if length := LENGTH.search(text):
        n = int(length["n"])
        return "不能为空" if length["op"] == ">=" and n <= 1 else (
            f"不能超过 {n} 个字" if length["op"] == "<=" else f"至少 {n} 个字")
    if "`int`" in text:
        return "请填写整数"
    if "date" in text:
        return "请填写日期（年-月-日）"
    if "pattern" in text:
        return "含有不允许的字符"
    if "Object missing required field" in text:
        return "必填"
    if "Invalid enum value" in text:
        return "不是可选的值"
    return "格式不正确"


def shaped(shape: type[T], data: dict[str, Any]) -> T:
    """``data`` as the API's ``shape``, or a refusal naming each field it refuses
    (``periods``, ``rules[0].every``). msgspec stops at the first bad value, so a refused
    top-level value is set aside and the rest checked again, to name them all at once."""
    errors: dict[str, str] = {}
    rest, aside = dict(data), set()
    while True:
        try:
            found = msgspec.convert(rest, shape, strict=False)
        except msgspec.ValidationError as exc:
            path, text = where_of(str(exc))
            top = re.split(r"[.\[]", path)[0]
            if top in rest:
                errors[path] = said(text)
                aside.add(top)
                del rest[top]
                continue
            # A field missing: every value given has been checked by now.
            for name in required(shape):
                if name not in rest and name not in aside:
                    errors.setdefault(name, "必填")
            if not errors:
                errors[path] = said(text)
            break
        if not errors:
            return found
        break
    raise RuleViolated(FORM_REFUSED, tuple(FieldError(k, v) for k, v in errors.items()))


def where_of(text: str) -> tuple[str, str]:
    where = WHERE.match(text)
    path = where["path"] if where else ""
    missing = re.search(r"required field `([^`]+)`", text)
    if missing:
        path = f"{path}.{missing[1]}" if path else missing[1]
    return path or "form", text


def required(shape: type[Any]) -> list[str]:
    return [f.name for f in msgspec.structs.fields(shape) if f.required]


def typed(form: dict[str, Any], *names: str) -> dict[str, str]:
    """The posted values of ``names``, as typed (to show them again)."""
    return {name: one(form.get(name, "")) for name in names}


def blank_to_none(values: dict[str, str]) -> dict[str, Any]:
    """An empty input is a value not given (the API's default applies)."""
    return {k: v.strip() if k not in ("plan", "purpose", "text") else v
            for k, v in values.items() if v.strip()}


PLAN_FIELDS = ("theme", "form", "planned_on", "periods", "purpose", "plan")


def participants(text: str) -> list[dict[str, str]]:
    """One person a line: 姓名, optionally followed by 主办/承办/协办/参加."""
    people = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        role = words.ROLE_OF_WORD.get(parts[-1]) if len(parts) > 1 else None
        name = " ".join(parts[:-1] if role else parts)
        people.append({"name": name, "role": role or "participant"})
    return people


def participants_text(people: Any) -> str:
    return "\n".join(f"{p.name} {words.ROLES.get(p.role, '参加')}" for p in people)


def fields_of_lines(fields: dict[str, str]) -> dict[str, str]:
    """``participants[3]`` is shown beside the whole list, naming the line (第 4 行); a
    unit of a list (``co_host_unit_ids[0]``) beside that list."""
    out: dict[str, str] = {}
    for given, text in fields.items():
        unit = re.fullmatch(r"(co_host_unit_ids|host_unit_ids|evidence_ids)\[\d+\]", given)
        name = unit[1] if unit else given
        found = re.fullmatch(r"participants\[(\d+)\](?:\..*)?", name)
        if found:
            line = f"第 {int(found[1]) + 1} 行：{text}"
            out["participants"] = f"{out['participants']}；{line}" if "participants" in out \
                else line
        else:
            out[name] = f"{out[name]}；{text}" if name in out else text
    return out
