"""管理台 · 常规达标: per rule and window, which units meet the tenant's frequency rules
(每周 / 每两周 / 每月 / 每学期) and which are behind, with the windows they missed; and the
rules' editor.

The figures are ``GET /compliance``'s own (``adapters.http.activities.compliance_by_rule``),
windows included — a page computing them again got a term's dates wrong; the
editor makes ``PUT /compliance-rules``'s body from the form and calls what it calls, showing
a refusal beside its field with everything typed kept."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import schemas as s
from adapters.http.activities import ActivityController, compliance_by_rule
from adapters.http.context import RequestContext
from adapters.web import activity_words as words
from adapters.web.activity_forms import FORM_REFUSED, shaped
from adapters.web.console import PAGE, SIGNED_IN, admit_role, console
from adapters.web.errors import status_of
from adapters.web.gate import admit, check_whole_tenant, may, narrow, whole_tenant
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.listing import Listing
from adapters.web.templating import Page as Template
from domain.errors import DomainError, FieldError, RuleViolated
from domain.settings import FrequencyRule
from tenants.model import Principal

HOME = "/t/{tenant:str}/admin/compliance"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SORTS = ("behind", "name", "rule")
RULE_FIELDS = ("unit_kind", "every", "min_activities", "min_periods", "counts", "forms")
RULE_KINDS = words.UNIT_KINDS | {"zone": "片区/协作区"}  # a zone rule is kept on a save
FORM_SEPARATORS = re.compile(r"[,，、;；\s]+")
SPARE_ROWS = 2
BY_TERMS = ("term", "school_year")  # rules whose windows are the tenant's terms


def enter(request: Request[Any, Any, Any], who: Principal, *routes: Any) -> None:
    admit_role(request, who, "admin")
    admit(request, who, *routes)


def term_of(today: date) -> tuple[date, date]:
    """The school term around ``today`` (秋季: 9月–1月, 春季: 2月–7月), up to today."""
    if today.month >= 9:
        return date(today.year, 9, 1), today
    if today.month == 1:
        return date(today.year - 1, 9, 1), today
    return date(today.year, 2, 1), today


def period_of(params: Any, today: date) -> tuple[date, date, dict[str, str]]:
    """The period asked for, or this term; a date that is not one is refused beside it."""
    first, last = term_of(today)
    typed = {"start": params.get("start", "") or first.isoformat(),
             "end": params.get("end", "") or last.isoformat()}
    errors = []
    for name in ("start", "end"):
        try:
            date.fromisoformat(typed[name])
        except ValueError:
            errors.append(FieldError(name, "a date, YYYY-MM-DD"))
    if errors:
        raise RuleViolated(FORM_REFUSED, tuple(errors))
    start, end = date.fromisoformat(typed["start"]), date.fromisoformat(typed["end"])
    if end < start:
        raise RuleViolated("the period ends before it starts",
                           (FieldError("end", "the period ends before it starts"),))
    return start, end, typed


def rows_of(found: list[tuple[FrequencyRule, list[s.UnitCompliance]]]) -> list[dict[str, Any]]:
    """Each unit's line under each rule, with the windows it missed as the report found them
    (first and last day, and the term's or school year's name for a rule by the calendar)."""
    out = []
    for index, (rule, lines) in enumerate(found):
        for line in lines:
            names = line.missed_terms or line.missed_years
            out.append({"line": line, "rule": index, "rule_text": words.rule_text(rule),
                        "missed": [(first, last, names[i] if len(names) == len(line.missed)
                                    else "")
                                   for i, (first, last) in enumerate(zip(
                                       line.missed, line.missed_ends, strict=True))]})
    return out


@get(HOME, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_compliance")
def compliance_page(request: Request[Any, Any, Any], tenant: str, who: Principal,
                    container: Container, ctx: RequestContext) -> Template:
    admit(request, who, ActivityController.compliance)  # admins and auditors, as the API
    params = request.query_params
    rules = container.app(tenant).settings().rules
    context: dict[str, Any] = {"may_edit": may(who, ActivityController.set_rules)
                               and whole_tenant(who),
                               "rules": rules, "rule_texts": [words.rule_text(r) for r in rules],
                               "refusal": NO_REFUSAL, "page": None}
    try:
        start, end, period = period_of(params, ctx.today())
    except RuleViolated as exc:
        context |= {"refusal": Refusal.of(exc), "period": {
            "start": params.get("start", ""), "end": params.get("end", "")}}
        return Template("compliance/index.html", status_code=422, context=console(
            who, "compliance", title="常规达标", **context))
    found = [(rule, narrow(container, who, lines, "unit_id"))  # as GET /compliance
             for rule, lines in compliance_by_rule(container, tenant, start, end)]
    rules = tuple(rule for rule, _ in found)  # the rules the figures were found by
    context |= {"rules": rules, "rule_texts": [words.rule_text(r) for r in rules],
                "no_terms": any(r.every in BY_TERMS for r in rules)
                and not container.app(tenant).term_calendar().terms}
    rows = rows_of(found)
    chosen = params.get("rule", "")
    behind_only = params.get("behind", "") == "1"
    summary = [{"text": text, "units": sum(1 for r in rows if r["rule"] == i),
                "behind": sum(1 for r in rows if r["rule"] == i and r["line"].behind)}
               for i, text in enumerate(context["rule_texts"])]
    rows = [r for r in rows if (not chosen or str(r["rule"]) == chosen)
            and (not behind_only or r["line"].behind)]
    page = Listing.of(params, SORTS).apply(
        rows, f"/t/{tenant}/admin/compliance", lambda r: (r["line"].name,),
        {"behind": lambda r: (not r["line"].behind, r["line"].name),
         "name": lambda r: r["line"].name, "rule": lambda r: (r["rule"], r["line"].name)},
        {"start": period["start"], "end": period["end"], "rule": chosen,
         "behind": "1" if behind_only else ""})
    return Template("compliance/index.html", context=console(
        who, "compliance", title="常规达标", period=period, chosen=chosen,
        behind_only=behind_only, summary=summary, kinds=RULE_KINDS, **(
            context | {"page": page})))


def rule_rows(rules: tuple[FrequencyRule, ...]) -> list[dict[str, str]]:
    rows = [{"unit_kind": r.unit_kind, "every": r.every,
             "min_activities": str(r.min_activities), "min_periods": str(r.min_periods),
             "counts": r.counts, "forms": "、".join(r.forms)} for r in rules]
    return rows + [dict.fromkeys(RULE_FIELDS, "") for _ in range(SPARE_ROWS)]


def rule_body(row: dict[str, str]) -> dict[str, Any]:
    """One row as ``PUT /compliance-rules`` takes it: the fields filled in, the forms typed
    as 主题党日、研讨会 (or with commas) as a list."""
    body: dict[str, Any] = {k: v for k, v in row.items() if v and k != "forms"}
    forms = [f for f in FORM_SEPARATORS.split(row.get("forms", "")) if f]
    if forms:
        body["forms"] = forms
    return body


def rules_form(who: Principal, rows: list[dict[str, str]], forms: tuple[str, ...],
               refusal: Refusal = NO_REFUSAL, done: bool = False,
               status: int = 200) -> Template:
    return Template("compliance/rules.html", status_code=status, context=console(
        who, "compliance", title="频次规则", rows=rows, refusal=refusal, done=done,
        kinds=RULE_KINDS, every=words.EVERY, counts=words.COUNTS, forms=forms))


@get(HOME + "/rules", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def rules_page(request: Request[Any, Any, Any], tenant: str, who: Principal,
               container: Container, done: str = "") -> Template:
    enter(request, who, ActivityController.set_rules)
    check_whole_tenant(request, who)
    settings = container.app(tenant).settings()
    return rules_form(who, rule_rows(settings.rules), settings.all_forms, done=done == "1")


ROW = re.compile(r"rules\[(\d+)\](?:\.(\w+))?")


@post(HOME + "/rules", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def save_rules(request: Request[Any, Any, Any], tenant: str, who: Principal,
               container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """``PUT /compliance-rules``: the rows with a unit kind chosen, in order (a row left
    without one is removed)."""
    enter(request, who, ActivityController.set_rules)
    check_whole_tenant(request, who)
    count = min(int(one(data.get("rows", "0"))) if one(data.get("rows", "0")).isdigit()
                else 0, 100)
    rows = [{f: one(data.get(f"{f}_{i}", "")).strip() for f in RULE_FIELDS}
            for i in range(count)]
    kept = [i for i, row in enumerate(rows) if row["unit_kind"]]
    try:
        given = [rule_body(rows[i]) for i in kept]
        each_row(given)
        body = shaped(s.RulesIn, {"rules": given})
        container.app(tenant).set_rules(tuple(
            FrequencyRule(r.unit_kind, r.every, r.min_activities, r.min_periods, r.counts,
                          tuple(r.forms))
            for r in body.rules), ctx.cause())
    except DomainError as exc:
        refusal = Refusal.of(exc)
        fields: dict[str, str] = {}
        for name, text in refusal.fields.items():
            found = ROW.fullmatch(name)
            if found and int(found[1]) < len(kept):
                fields[f"{found[2] or 'unit_kind'}_{kept[int(found[1])]}"] = text
            else:
                fields[name] = text
        refusal.fields = fields
        return rules_form(who, rows, container.app(tenant).settings().all_forms, refusal,
                          status=status_of(exc))
    return Redirect(f"/t/{tenant}/admin/compliance/rules?done=1", status_code=303)


def each_row(given: list[dict[str, Any]]) -> None:
    """Every row's refused values at once (``rules[1].every``), not only the first."""
    errors: list[FieldError] = []
    for j, row in enumerate(given):
        try:
            shaped(s.RuleIn, row)
        except RuleViolated as exc:
            errors += [FieldError(f"rules[{j}].{e.field}", e.message) for e in exc.errors]
    if errors:
        raise RuleViolated(FORM_REFUSED, tuple(errors))


COMPLIANCE_PAGES = [compliance_page, rules_page, save_rules]
