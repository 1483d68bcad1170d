"""组织层级 and 学期 (issue 16): org nodes, admins scoped to a node, the tenant's terms.

The scope rule itself is ``services/scope.py`` (``NodeScopes``); the guard applies it to
every id in a route's path. The helpers here apply it to the ids a body names and to lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from litestar import Controller, get, post, put

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.schemas import NodeIn, NodeOut, TermIn, TermsIn, TermsOut
from domain.errors import NotPermitted
from domain.org import OrgChart, Term

TENANT = "/api/v1/tenants/{tenant:str}"
EVERYONE = allow("admin", "auditor", "judge", "reporter")


def check_in_scope(container: Container, tenant: str, ctx: RequestContext,
                   *ids: UUID | None) -> None:
    """404 if a record a body names lies outside the caller's scope (nothing, unscoped)."""
    if ctx.scope is not None:
        container.app(tenant).check_in_scope(ctx.scope, [i for i in ids if i is not None])


def check_whole_tenant(ctx: RequestContext) -> None:
    """The tenant's own settings (its rules, terms, forms) are set by an admin of the whole
    tenant, not by one scoped to a node."""
    if ctx.scope is not None:
        raise NotPermitted("only an admin of the whole tenant changes its settings")


def check_node(container: Container, tenant: str, ctx: RequestContext,
               node_id: UUID | None) -> UUID | None:
    """The node a new record hangs under: the one named (it must exist and lie within the
    caller's scope), else the caller's own scope."""
    if node_id is None:
        return ctx.scope
    container.app(tenant).check_node_in_scope(ctx.scope, node_id)
    return node_id


def in_scope(container: Container, tenant: str, ctx: RequestContext,
             rows: Iterable[Any], key: str = "id") -> list[Any]:
    """The rows of a list whose record the caller may see (every row, unscoped)."""
    return rows_within(container, tenant, ctx.scope, rows, key)


def rows_within(container: Any, tenant: str, scope: UUID | None, rows: Iterable[Any],
                key: str = "id") -> list[Any]:
    """The rows whose record (``row[key]``) lies under the org node ``scope``; every row when
    there is no scope. The API's lists and the pages' both narrow by this."""
    rows = list(rows)
    if scope is None:
        return rows

    def id_of(row: Any) -> UUID:
        value = row[key] if isinstance(row, dict) else getattr(row, key)
        return value if isinstance(value, UUID) else UUID(str(value))

    seen = container.app(tenant).visible(scope, [id_of(r) for r in rows])
    return [r for r in rows if id_of(r) in seen]


def path_of(chart: OrgChart, node_id: UUID) -> list[str]:
    return [chart.nodes[n].name for n in reversed(chart.lineage(node_id))]


class OrgController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    @post("/org/nodes", opt=allow("admin"), sync_to_thread=True,
          summary="Add an org node (市、县、片区、共同体、学校、教研组) under a parent")
    def add_node(self, tenant: str, data: NodeIn, container: Container,
                 ctx: RequestContext) -> NodeOut:
        app = container.app(tenant)
        w, node = app.add_node(data.level, data.name, data.parent_id, ctx.scope, ctx.cause())
        chart = app.org_chart()
        return NodeOut(node.id, node.level, node.name, node.parent_id,  # type: ignore[arg-type]
                       path_of(chart, node.id), w.version, w.position)

    @get("/org/nodes", opt=EVERYONE, sync_to_thread=True,
         summary="The org nodes, each with its path from the top (a scoped admin: their own)")
    def nodes(self, tenant: str, container: Container, ctx: RequestContext) -> list[NodeOut]:
        chart = container.app(tenant).org_chart()
        return [NodeOut(n.id, n.level, n.name, n.parent_id,  # type: ignore[arg-type]
                        path_of(chart, n.id))
                for n in chart.nodes.values()
                if ctx.scope is None or chart.within(ctx.scope, n.id)]

    @put("/terms", opt=allow("admin"), sync_to_thread=True,
         summary="Set the tenant's school terms (学期): compliance per term follows them")
    def set_terms(self, tenant: str, data: TermsIn, container: Container,
                  ctx: RequestContext) -> TermsOut:
        check_whole_tenant(ctx)
        terms = tuple(Term(t.name, t.starts_on, t.ends_on) for t in data.terms)
        w, calendar = container.app(tenant).set_terms(terms, ctx.cause())
        return TermsOut([TermIn(name=t.name, starts_on=t.starts_on, ends_on=t.ends_on)
                         for t in calendar.terms], w.version, w.position)

    @get("/terms", opt=EVERYONE, sync_to_thread=True, summary="The tenant's school terms (学期)")
    def terms(self, tenant: str, container: Container) -> TermsOut:
        calendar = container.app(tenant).term_calendar()
        return TermsOut([TermIn(name=t.name, starts_on=t.starts_on, ends_on=t.ends_on)
                         for t in calendar.terms])
