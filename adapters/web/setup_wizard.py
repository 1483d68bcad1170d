"""考核设置: the list of rounds and steps 1–5 of a new one (name and period, components with
their rubric versions and weights and the 折算 preview, ranking groups, aggregation, tiers).

The steps post to each other carrying what was typed (``setup_form``); step 5 creates the
draft round with the API's own service call, then steps 6–9 edit it (``setup_draft``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import convert
from adapters.http.assessments import AssessmentController
from adapters.http.context import context_of
from adapters.http.rubrics import RubricController
from adapters.web import audit_words as words
from adapters.web import setup_form as sf
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, seen_views
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.listing import Listing
from adapters.web.templating import Page as Template
from domain.errors import DomainError, NotFound, RuleViolated
from domain.results import converted
from domain.rounding import shown
from services.setup import ComponentSpec, pin_components
from tenants.model import Principal

BASE = "/t/{tenant:str}/admin/assessments"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SAMPLE = Decimal("0.85")  # the preview's raw score: 85 % of the full mark, until one is typed


@get(BASE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_list")
def assessments(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container) -> Template:
    admit(request, who, AssessmentController.list_all)
    container.caught_up(tenant)
    with seen_views(container, who) as views:
        rows = [dict(r) | {"status_name": words.STATUSES.get(r["status"], r["status"])}
                for r in views.assessments()]
    page = Listing.of(request.query_params, ("name", "status")).apply(
        rows, f"/t/{tenant}/admin/assessments", lambda r: (r["name"], r["status_name"]),
        {"name": lambda r: r["name"], "status": lambda r: r["status_name"]})
    return Template("console/setup/list.html",
                    context=console(who, "assessments", title="考核设置", page=page))


@get(BASE + "/new", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_new")
def new(request: Request[Any, Any, Any], tenant: str, who: Principal,
        container: Container) -> Template:
    admit(request, who, AssessmentController.create, RubricController.list_rubrics)
    return step_page(who, container, tenant, sf.Typed(), 1, NO_REFUSAL)


@post(BASE + "/new/{step:int}", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_step", status_code=200)
def step(request: Request[Any, Any, Any], tenant: str, step: int, who: Principal,
         container: Container, data: Form) -> Template | Redirect:
    """One step posted: back, again (another row, the preview), or on, checked first."""
    admit(request, who, AssessmentController.create, RubricController.list_rubrics)
    step = min(max(step, 1), sf.LAST)
    typed = sf.Typed.of(data)
    typed.take(data, step)
    go = one(data.get("go", "next"))
    if go == "back":
        return step_page(who, container, tenant, typed, max(step - 1, 1), NO_REFUSAL)
    if go != "next":
        return step_page(who, container, tenant, typed, step, NO_REFUSAL)
    app = container.app(tenant)
    checked, errors = sf.check(app, typed, step)
    if errors:
        return step_page(who, container, tenant, typed, sf.first_step(errors),
                         Refusal.of(sf.refusal(errors)), status_code=422)
    if step < sf.LAST:
        return step_page(who, container, tenant, typed, step + 1, NO_REFUSAL)
    assert checked is not None
    try:
        ctx = context_of(request.scope)  # a scoped admin's round hangs under their node
        w = app.create_assessment(convert.setup_spec(checked), ctx.cause(), ctx.scope)
    except DomainError as exc:
        return step_page(who, container, tenant, typed, sf.first_step(list(exc.errors)),
                         Refusal.of(exc), status_code=422)
    return Redirect(f"/t/{tenant}/admin/assessments/{w.id}/subjects?created=1",
                    status_code=303)


@post(BASE + "/new/preview", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_preview", status_code=200)
def preview_part(request: Request[Any, Any, Any], tenant: str, who: Principal,
                 container: Container, data: Form) -> Template:
    """Step 2's 折算 preview alone, for htmx as the admin types (nothing is written)."""
    admit(request, who, AssessmentController.create, RubricController.list_rubrics)
    typed = sf.Typed.of(data)
    typed.take(data, 2)
    return Template("console/setup/_preview.html", context={
        "preview": preview(container, tenant, typed)})


def step_page(who: Principal, container: Container, tenant: str, typed: sf.Typed, number: int,
              refused: Refusal, status_code: int = 200, **edit: Any) -> Template:
    """Step ``number`` of a new round; with ``edit`` (``setup_edit``: the draft, its version,
    the reason typed) the same step of 修改设置 on a draft."""
    heading = "修改设置" if edit else "新建考核"
    context = console(who, "assessments", title=f"{heading} · 第 {number} 步",
                      typed=typed, step=number, steps=sf.STEPS, refusal=refused,
                      methods=sf.METHOD_NAMES, normalises=sf.NORMALISE_NAMES,
                      kinds=sf.KIND_NAMES, heading=heading, plain=sf.plain,
                      action=f"/t/{tenant}/admin/assessments/new", edit=bool(edit),
                      version="", reason="", current=None) | edit
    if number == 2:
        context |= {"rubrics": rubric_options(container, tenant),
                    "preview": preview(container, tenant, typed)}
    return Template("console/setup/wizard.html", context=context, status_code=status_code)


def rubric_options(container: Container, tenant: str) -> list[tuple[str, str]]:
    """Every published version: ("rubric_id:version", "name 第 n 版（满分 m）")."""
    container.caught_up(tenant)
    with container.views(tenant) as views:
        docs = views.rubrics()
    return [(f"{d['id']}:{v['number']}",
             f"{v['name']} 第 {v['number']} 版（满分 {sf.plain(Decimal(v['max_points']))}）")
            for d in docs for v in d["versions"]]


def preview(container: Container, tenant: str, typed: sf.Typed) -> dict[str, Any]:
    """折算 per component, by the board's own rule (``domain.results.converted``): a raw
    score (typed, or 85 % of the full mark) as points of the final."""
    app = container.app(tenant)
    places = app.settings().precision
    lines, total = [], Decimal(0)
    for i, row in enumerate(typed.components):
        rubric_id, _, version = row["rubric"].partition(":")
        weight = sf.number(row["weight"], "", [])
        if not rubric_id or weight is None or not version.isdigit():
            continue
        try:
            (component,) = pin_components((ComponentSpec(
                f"c{i}", row["name"], UUID(rubric_id), int(version), weight),), app.rubric)
        except (ValueError, NotFound, RuleViolated):
            continue
        raw = sf.number(row["sample"], "", []) if row["sample"] else None
        if raw is None:
            raw = (component.max_points * SAMPLE / component.step).quantize(
                Decimal(1), ROUND_HALF_UP) * component.step
        total += weight
        lines.append({"index": i, "name": row["name"] or f"第 {i + 1} 项",
                      "max": sf.plain(component.max_points), "weight": sf.plain(weight),
                      "raw": sf.plain(raw), "sample": row["sample"],
                      "converted": sf.plain(shown(converted(raw, component), places))})
    return {"lines": lines, "total": sf.plain(total)}


WIZARD_PAGES = [assessments, new, preview_part, step]
