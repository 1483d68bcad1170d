"""评分细则: the list of the tenant's rubrics (drafts and published versions, as ``GET
/rubrics`` reads them), a new draft from a template or from a published version, one version
read-only, and two versions side by side (版本对比)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.rubrics import RubricController
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit
from adapters.web.listing import Listing
from adapters.web.rubric_diff import compare
from adapters.web.rubric_tree import tree_of
from adapters.web.templating import Page as Template
from domain.errors import NotFound
from domain.rubric import Indicator, leaves_of, points_of
from tenants.model import Principal
from tenants.templates import RUBRIC_TEMPLATES, rubric_full_mark, rubric_source, rubric_template

BASE = "/t/{tenant:str}/admin/rubrics"
# The templates shipped with kaoping a draft can start from (tenants/templates/).
TEMPLATES = RUBRIC_TEMPLATES  # the districts' presets register theirs there
DRAFT = "draft"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def editor_url(tenant: str, rubric_id: UUID | None) -> str:
    return f"/t/{tenant}/admin/rubrics/{rubric_id or 'new'}"


def templates() -> list[dict[str, Any]]:
    shown = []
    for key, file in TEMPLATES.items():
        name, _, indicators = rubric_template(file)
        shown.append({"key": key, "name": name, "tops": len(indicators),
                      "leaves": len(leaves_of(indicators)), "total": rubric_full_mark(file),
                      "source": rubric_source(file)})
    return shown


def when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@get(BASE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_rubrics")
def rubric_list(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container) -> Template:
    admit(request, who, RubricController.list_rubrics, RubricController.create)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        docs = views.rubrics()
    for i, doc in enumerate(docs):  # newest change first, as the view keeps them
        doc["recent"] = -i
        for version in doc["versions"]:
            version["at"] = when(version["published_at"])
    page = Listing.of(request.query_params, ("recent", "name", "versions")).apply(
        docs, f"/t/{tenant}/admin/rubrics", lambda d: (d["name"], d["draft"]["name"]),
        {"recent": lambda d: d["recent"], "name": lambda d: d["name"],
         "versions": lambda d: len(d["versions"])})
    return Template("rubrics/list.html", context=console(
        who, "rubrics", title="评分细则", page=page, templates=templates()))


@post(BASE + "/from-template", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      status_code=303)
def from_template(request: Request[Any, Any, Any], tenant: str, who: Principal,
                  data: Form, container: Container, ctx: RequestContext) -> Redirect:
    """A new draft, a copy of a shipped template (the template itself never changes)."""
    admit(request, who, RubricController.create)
    file = TEMPLATES.get(str(data.get("template", "")))
    if file is None:
        raise NotFound(f"no template {data.get('template', '')}")
    name, step, indicators = rubric_template(file)
    made = container.app(tenant).draft_rubric(name, step, indicators, ctx.cause(),
                                              rubric_full_mark(file), rubric_source(file))
    return Redirect(editor_url(tenant, made.id) + "?done=created", status_code=303)


@post(BASE + "/{rubric_id:uuid}/versions/{number:int}/copy", opt=PAGE,
      dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def copy_version(request: Request[Any, Any, Any], tenant: str, rubric_id: UUID, number: int,
                 who: Principal, container: Container, ctx: RequestContext) -> Redirect:
    """A new rubric whose draft starts as a copy of a published version."""
    admit(request, who, RubricController.read_version, RubricController.create)
    app = container.app(tenant)
    version = app.rubric(rubric_id).published(number)
    source = app.rubric(rubric_id).source
    made = app.draft_rubric(f"{version.name}（副本）"[:200], version.step, version.indicators,
                            ctx.cause(), version.total, source)
    return Redirect(editor_url(tenant, made.id) + "?done=created", status_code=303)


def outline(indicators: tuple[Indicator, ...]) -> list[dict[str, Any]]:
    """The tree as rows to show: depth, code, title, points, weight, guidance, evidence."""
    tree = tree_of(indicators)
    nodes = {node.code: node for node in _walk(indicators)}
    return [{"depth": depth, "row": row, "leaf": row.is_leaf,
             "points": f"{points_of(nodes[row.code]).normalize():f}"
             if row.code in nodes else ""}
            for row, _, depth in tree.rows()]


def _walk(nodes: tuple[Indicator, ...]) -> list[Indicator]:
    found: list[Indicator] = []
    for node in nodes:
        found += [node, *_walk(node.children)]
    return found


@get(BASE + "/{rubric_id:uuid}/versions/{number:int}", opt=PAGE, dependencies=SIGNED_IN,
     sync_to_thread=True)
def version_page(request: Request[Any, Any, Any], tenant: str, rubric_id: UUID, number: int,
                 who: Principal, container: Container) -> Template:
    admit(request, who, RubricController.read_version, RubricController.replace)
    rubric = container.app(tenant).rubric(rubric_id)
    version = rubric.published(number)
    return Template("rubrics/version.html", context=console(
        who, "rubrics", title=f"{version.name} · 第 {number} 版", rubric=rubric,
        version=version, rows=outline(version.indicators),
        points=f"{version.max_points.normalize():f}"))


@get(BASE + "/{rubric_id:uuid}/diff", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def diff_page(request: Request[Any, Any, Any], tenant: str, rubric_id: UUID, who: Principal,
              container: Container, left: str = "", right: str = "") -> Template:
    """Two versions side by side (``draft`` is the draft): by default the last two
    versions, or the last version and the draft when the draft has changed since."""
    admit(request, who, RubricController.read_version, RubricController.replace)
    rubric = container.app(tenant).rubric(rubric_id)
    numbers = sorted(rubric.versions)
    sides = [str(n) for n in numbers] + [DRAFT]
    if right not in sides:
        right = DRAFT if rubric.draft_changed or not numbers else str(numbers[-1])
    if left not in sides:
        earlier = sides[:sides.index(right)]  # versions, then the draft
        left = earlier[-1] if earlier else right

    def side(key: str) -> tuple[Indicator, ...]:
        return rubric.indicators if key == DRAFT else rubric.published(int(key)).indicators

    return Template("rubrics/diff.html", context=console(
        who, "rubrics", title=f"版本对比 · {rubric.name}", rubric=rubric, sides=sides,
        left=left, right=right, lines=compare(side(left), side(right)),
        label=lambda key: "草稿" if key == DRAFT else f"第 {key} 版"))


LIST_PAGES = [rubric_list, from_template, copy_version, version_page, diff_page]
