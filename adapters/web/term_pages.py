"""管理台 · 学期日历: the tenant's school terms (学期), which compliance rules every term or
school year follow (issue 16). The page is ``PUT /terms`` field by field: the rows typed
make the API's body, checked by the API's own shapes and saved by the same service call;
a refusal stands beside its field, with everything typed kept. Like the rules, the terms
are the whole tenant's: an admin scoped to an org node gets the 403 page."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.org_levels import OrgController
from adapters.http.schemas.org import TermIn, TermsIn
from adapters.web.activity_forms import FORM_REFUSED, shaped
from adapters.web.compliance_pages import HOME, Form, enter
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.errors import status_of
from adapters.web.gate import check_whole_tenant
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.templating import Page as Template
from domain.errors import DomainError, FieldError, RuleViolated
from domain.org import Term
from tenants.model import Principal

PATH = HOME + "/terms"
FIELDS = ("name", "starts_on", "ends_on")
SPARE_ROWS = 2
ROW = re.compile(r"terms\[(\d+)\]\.(\w+)")


def term_rows(terms: tuple[Term, ...]) -> list[dict[str, str]]:
    """The terms as the form shows them, and empty rows to add more."""
    rows = [{"name": t.name, "starts_on": t.starts_on.isoformat(),
             "ends_on": t.ends_on.isoformat()} for t in terms]
    return rows + [dict.fromkeys(FIELDS, "") for _ in range(SPARE_ROWS)]


def terms_form(who: Principal, rows: list[dict[str, str]], refusal: Refusal = NO_REFUSAL,
               done: bool = False, status: int = 200) -> Template:
    return Template("compliance/terms.html", status_code=status, context=console(
        who, "compliance", title="学期日历", rows=rows, refusal=refusal, done=done))


@get(PATH, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_terms")
def terms_page(request: Request[Any, Any, Any], tenant: str, who: Principal,
               container: Container, done: str = "") -> Template:
    enter(request, who, OrgController.set_terms)
    check_whole_tenant(request, who)
    return terms_form(who, term_rows(container.app(tenant).term_calendar().terms),
                      done=done == "1")


def each_row(given: list[dict[str, str]]) -> list[TermIn]:
    """Every row as the API's ``TermIn``, or every refused value at once (``terms[1].ends_on``)."""
    errors: list[FieldError] = []
    for j, row in enumerate(given):
        try:
            shaped(TermIn, row)
        except RuleViolated as exc:
            errors += [FieldError(f"terms[{j}].{e.field}", e.message) for e in exc.errors]
    if errors:
        raise RuleViolated(FORM_REFUSED, tuple(errors))
    return shaped(TermsIn, {"terms": given}).terms


@post(PATH, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_terms_save")
def save_terms(request: Request[Any, Any, Any], tenant: str, who: Principal,
               container: Container, ctx: RequestContext, data: Form) -> Template | Redirect:
    """``PUT /terms``: the rows with anything typed, in order (a row left empty is removed;
    every term left out of the form is removed, as the PUT replaces the calendar)."""
    enter(request, who, OrgController.set_terms)
    check_whole_tenant(request, who)
    typed = one(data.get("rows", "0"))
    count = min(int(typed) if typed.isdigit() else 0, 100)
    rows = [{f: one(data.get(f"{f}_{i}", "")).strip() for f in FIELDS} for i in range(count)]
    kept = [i for i, row in enumerate(rows) if any(row.values())]
    try:
        terms = each_row([{k: v for k, v in rows[i].items() if v} for i in kept])
        container.app(tenant).set_terms(
            tuple(Term(t.name, t.starts_on, t.ends_on) for t in terms), ctx.cause())
    except DomainError as exc:
        refusal = Refusal.of(exc)
        fields: dict[str, str] = {}
        for name, text in refusal.fields.items():
            found = ROW.fullmatch(name)
            key = (f"{found[2]}_{kept[int(found[1])]}" if found and int(found[1]) < len(kept)
                   else name)
            fields[key] = f"{fields[key]}；{text}" if key in fields else text
        refusal.fields = fields
        if "terms" in fields:  # terms that overlap: said on top, no one field is wrong
            refusal.message = fields.pop("terms")
        return terms_form(who, rows, refusal, status=status_of(exc))
    return Redirect(f"/t/{tenant}/admin/compliance/terms?done=1", status_code=303)


TERM_PAGES = [terms_page, save_terms]
