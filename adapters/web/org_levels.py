"""组织机构 · 组织层级 (``/t/{tenant}/admin/org/levels``): the org nodes as a tree — 市 → 县（区）→
片区/协作区 → 共同体 → 学校 → 教研组 — with the schools and units hanging under each, and a
form adding a node: the API's ``POST /org/nodes`` (``OrgController.add_node``), whose service
call refuses a node under a lower level, a name already there, and — to an admin scoped to a
node — any parent outside their scope (ADR 28)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.org_levels import OrgController
from adapters.http.schemas import NodeIn
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit, seen_views
from adapters.web.org_common import ORG, Form, done_of, org_page
from adapters.web.org_forms import REFUSALS, parsed, refused, typed
from adapters.web.org_nodes import beside, chart_of, node_choices, tree
from adapters.web.templating import Page as Template
from domain.org import LEVEL_NAMES
from tenants.model import Principal

LEVELS_PAGE = ORG + "/levels"
FIELDS = ("level", "name", "parent_id")


def levels_page(who: Principal, container: Container, **extra: Any) -> dict[str, Any]:
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        schools, units = views.schools(), views.units()
    rows, loose = tree(container, who, schools, units)
    chart = chart_of(container, who)
    return org_page(who, "levels", title="组织机构 · 组织层级", rows=rows, loose=loose,
                    levels=list(LEVEL_NAMES.items()), parents=node_choices(chart, who),
                    **extra)


@get(LEVELS_PAGE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="org_levels")
def levels(request: Request[Any, Any, Any], tenant: str, who: Principal,
           container: Container, done: str | None = None) -> Template:
    admit(request, who, OrgController.nodes, OrgController.add_node)
    return Template("org/levels.html", context=levels_page(who, container,
                                                           done=done_of(done)))


@post(LEVELS_PAGE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def add_node(request: Request[Any, Any, Any], tenant: str, who: Principal,
             container: Container, ctx: RequestContext, data: Form) -> Any:
    """The API's ``POST /org/nodes``: the same request struct, the same service call."""
    admit(request, who, OrgController.add_node)
    form = typed(data, *FIELDS)
    try:
        body = parsed(NodeIn, form)
        container.app(tenant).add_node(body.level, body.name, body.parent_id, ctx.scope,
                                       ctx.cause())
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "parent_id")  # a parent outside the scope: 404
        return Template("org/levels.html", status_code=why.status, context=levels_page(
            who, container, form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/org/levels?done=created", status_code=303)


LEVEL_PAGES = [levels, add_node]
