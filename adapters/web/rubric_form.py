"""The rubric editor's form, read as the API reads ``PUT /rubrics/{id}``: the typed rows become
the API's body (``RubricIn``, the same msgspec checks), then domain indicators; a refusal's
field errors are placed beside the rows and fields they concern, in Chinese.

A refusal names a row by its code (``indicators[1.2]``, the domain's) or by its place in the
body (``$.indicators[0].children[1].title``, msgspec's): both are mapped back to the rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from adapters.http import convert
from adapters.http.i18n import translate
from adapters.http.schemas import RubricIn
from adapters.web.rubric_tree import Row, Tree, one, posted_tree, text_of, tree_of
from domain.errors import DomainError, FieldError, RuleViolated
from domain.rubric import Indicator, Rubric

WHERE = re.compile(r"^(?P<text>.*?) - at `(?P<path>[^`]*)`$", re.S)
FIELD_OF = (("code", "code"), ("title", "title"), ("weight", "weight"),
            ("max_points", "max_points"), ("a leaf needs max_points", "max_points"),
            ("a parent's max_points", "max_points"))


@dataclass
class Draft:
    """What the editor shows: the rubric's own fields and its rows, as typed."""

    name: str = ""
    step: str = "0.5"
    total: str = ""
    source: str = ""
    tree: Tree = field(default_factory=Tree)
    version: str = ""  # the aggregate's version the form was read at (If-Match)

    @classmethod
    def posted(cls, form: dict[str, Any]) -> Draft:
        return cls(one(form.get("name", "")).strip(), one(form.get("step", "")).strip(),
                   one(form.get("total", "")).strip(), one(form.get("source", "")),
                   posted_tree(form), one(form.get("version", "")).strip())

    @classmethod
    def of(cls, rubric: Rubric) -> Draft:
        return cls.stored(rubric.name, rubric.step, rubric.total, rubric.source,
                          rubric.indicators, str(rubric.version))

    @classmethod
    def stored(cls, name: str, step: Decimal, total: Decimal | None, source: str | None,
               indicators: tuple[Indicator, ...], version: str = "") -> Draft:
        return cls(name, text_of(step), text_of(total), source or "", tree_of(indicators),
                   version)

    def expected_version(self) -> int | None:
        return int(self.version) if self.version.isdigit() else None


@dataclass
class Refusal:
    """A refusal as the editor shows it: a message on top, one beside each field."""

    message: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # "name" / "total" / "move" …
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # key → field → text

    def row(self, key: str) -> dict[str, str]:
        return self.rows.get(key, {})

    def add(self, where: str, text: str, key: str | None = None) -> None:
        into = self.rows.setdefault(key, {}) if key is not None else self.fields
        into[where] = f"{into[where]}；{text}" if where in into else text


@dataclass(frozen=True)
class Parsed:
    name: str
    step: Decimal
    indicators: tuple[Indicator, ...]
    total: Decimal | None
    source: str | None


def parse(draft: Draft) -> Parsed:
    """The draft as domain values; RuleViolated naming every field that is not a number, every
    empty code or title (the domain's words), or the first shape error msgspec finds."""
    errors: list[FieldError] = []
    paths: dict[str, str] = {}

    def number(text: str, where: str) -> Decimal | None:
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            errors.append(FieldError(where, "must be a number"))
            return None
        return value

    def body_of(row: Row, path: str) -> dict[str, Any]:
        paths[path] = row.key
        where = f"row:{row.key}"
        if not row.code:
            errors.append(FieldError(f"{where}.code", "code must not be empty"))
        if not row.title:
            errors.append(FieldError(f"{where}.title", "title must not be empty"))
        body: dict[str, Any] = {
            "code": row.code, "title": row.title,
            "weight": number(row.weight, f"{where}.weight"),
            "guidance": row.guidance if row.guidance.strip() else None,
            "children": [body_of(c, f"{path}.children[{i}]")
                         for i, c in enumerate(row.children)]}
        if row.is_leaf:
            body["max_points"] = number(row.max_points, f"{where}.max_points")
            if row.ev_form or row.ev_min:
                body["evidence"] = {"form": row.ev_form, "min_count": _count(row.ev_min)}
                if not row.ev_form or body["evidence"]["min_count"] < 1:
                    errors.append(FieldError(f"{where}.evidence",
                                             "only a leaf, and at least 1 record"))
        return body

    if not draft.name:
        errors.append(FieldError("name", "must not be empty"))
    rows = [body_of(row, f"$.indicators[{i}]") for i, row in enumerate(draft.tree.roots)]
    step = number(draft.step, "step")
    total = number(draft.total, "total")
    if errors:
        raise RuleViolated("the rubric breaks rules", tuple(errors))
    body = {"name": draft.name, "indicators": rows,
            "step": step if step is not None else Decimal("0.5"), "total": total,
            "source": draft.source if draft.source.strip() else None}
    try:
        data = msgspec.convert(body, RubricIn)
    except msgspec.ValidationError as exc:
        raise RuleViolated("the rubric breaks rules", (_located(str(exc), paths),)) from None
    return Parsed(data.name, data.step, convert.indicators(data.indicators), data.total,
                  data.source)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _located(message: str, paths: dict[str, str]) -> FieldError:
    """msgspec's message, placed on the row (and field) its path names."""
    where = WHERE.match(message)
    if not where:
        return FieldError("", message)
    path, text = where["path"], where["text"]
    for prefix in sorted(paths, key=len, reverse=True):
        if path.startswith(prefix):
            rest = path[len(prefix):].lstrip(".").split(".")[0].split("[")[0]
            return FieldError(f"row:{paths[prefix]}.{rest or 'title'}", text)
    return FieldError(path.removeprefix("$.").split(".")[0].split("[")[0], text)


def refusal_of(exc: DomainError, tree: Tree) -> Refusal:
    """Each field error beside its field: ``row:KEY.FIELD`` (the page's own), the domain's
    ``indicators[CODE]`` (on every row with that code, beside the field the message names),
    or a field of the rubric itself (name, step, total, indicators)."""
    refusal = Refusal(translate(exc.detail))
    by_code: dict[str, list[str]] = {}
    for row in tree.all():
        by_code.setdefault(row.code, []).append(row.key)
    for error in exc.errors:
        text = translate(error.message)
        if error.field.startswith("row:"):
            key, _, name = error.field[4:].partition(".")
            refusal.add(name or "title", text, key)
        elif error.field.startswith("indicators[") and "]" in error.field:
            code, _, rest = error.field[len("indicators["):].partition("]")
            name = "evidence" if rest == ".evidence" else _field_named(error.message)
            for key in by_code.get(code, []):
                refusal.add(name, text, key)
        else:
            refusal.add(error.field or "indicators", text)
    return refusal


def _field_named(message: str) -> str:
    for start, name in FIELD_OF:
        if message.startswith(start):
            return name
    return "row"


@dataclass(frozen=True)
class Sums:
    """The figures the editor shows beside the weights (the script updates them as one
    types): each 一级指标's leaves, and the weights' sum against the full mark."""

    leaves: dict[str, str]  # a top-level row's key → the sum of its leaves' points
    weights: str
    points: str


def sums_of(tree: Tree) -> Sums:
    def points(row: Row) -> Decimal:
        if row.is_leaf:
            return _or_zero(row.max_points)
        return sum((points(c) for c in row.children), Decimal(0))

    leaves = {row.key: points(row) for row in tree.roots}
    weights = sum((_or_zero(row.weight) for row in tree.roots), Decimal(0))
    return Sums({k: text_of(v) for k, v in leaves.items()}, text_of(weights),
                text_of(sum(leaves.values(), Decimal(0))))


def _or_zero(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)
