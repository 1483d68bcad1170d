"""组织层级 as the pages show it (ADR 28): a node's path (吴忠市 / 利通区 / 第一片区), the nodes a
form offers (those within the signed-in admin's scope, as the API's ``check_node`` admits
them) and the tree with the schools and units hanging under each node (``node_of``, the
service's one rule of where a record hangs)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from adapters.http.org_levels import check_node, path_of
from adapters.http.records import values_of
from adapters.http.schemas import SchoolEdit, UnitEdit
from adapters.web.org_forms import PageRefusal, parsed, version_of
from domain.errors import NotFound
from domain.org import LEVEL_NAMES, LEVELS, Node, OrgChart
from tenants.model import Principal


def chart_of(container: Any, who: Principal) -> OrgChart:
    return container.app(who.tenant).org_chart()


def path_text(chart: OrgChart, node_id: UUID | None) -> str:
    """A node's path from the top, e.g. ``吴忠市 / 利通区 / 第一片区`` (empty: no node)."""
    return " / ".join(path_of(chart, node_id)) if node_id in chart.nodes else ""


def seen_nodes(chart: OrgChart, who: Principal) -> list[tuple[Node, int]]:
    """The nodes ``who`` sees (a scoped admin: their own and those under it, as ``GET
    /org/nodes`` answers), depth first with each node's depth, siblings by level then name."""
    children: dict[UUID | None, list[Node]] = {}
    for node in chart.nodes.values():
        children.setdefault(node.parent_id, []).append(node)
    for nodes in children.values():
        nodes.sort(key=lambda n: (LEVELS.index(n.level) if n.level in LEVELS else 99, n.name))
    tops = [chart.nodes[who.scope]] if who.scope in chart.nodes else \
        [] if who.scope is not None else children.get(None, [])
    out: list[tuple[Node, int]] = []

    def walk(node: Node, depth: int) -> None:
        if any(node is seen for seen, _ in out):
            return
        out.append((node, depth))
        for child in children.get(node.id, []):
            walk(child, depth + 1)

    for top in tops:
        walk(top, 0)
    return out


def node_choices(chart: OrgChart, who: Principal) -> list[tuple[str, str]]:
    """The nodes a form offers ``who``: their scope and below (every node, unscoped), each
    by its path and level."""
    return [(str(n.id), f"{path_text(chart, n.id)}（{LEVEL_NAMES.get(n.level, n.level)}）")
            for n, _ in seen_nodes(chart, who)]


def default_node(chart: OrgChart, who: Principal) -> str:
    """What an empty node choice means (the API's ``check_node``: the caller's own scope)."""
    if who.scope is None:
        return "（不划入层级：属全区）"
    return f"（默认：{path_text(chart, who.scope)}）"


@dataclass(frozen=True)
class Row:
    node: Node
    depth: int
    level: str
    schools: int  # hanging right at this node
    units: int
    all_schools: int  # at this node or below
    all_units: int


def tree(container: Any, who: Principal, schools: list[Any], units: list[Any]) -> tuple[
        list[Row], dict[str, int]]:
    """The tree ``who`` sees, each node with the schools and units hanging under it, and
    how many hang under no node (the tenant's own: shown to an admin of the whole tenant)."""
    app = container.app(who.tenant)
    chart = app.org_chart()
    at: dict[str, Counter[Any]] = {"schools": Counter(), "units": Counter()}
    for kind, rows in (("schools", schools), ("units", units)):
        for row in rows:
            at[kind][app.node_of_id(row["id"])] += 1
    below: dict[str, Counter[Any]] = {"schools": Counter(), "units": Counter()}
    for kind, counts in at.items():
        for node_id, n in counts.items():
            for above in chart.lineage(node_id):
                below[kind][above] += n
    rows = [Row(n, depth, LEVEL_NAMES.get(n.level, n.level), at["schools"][n.id],
                at["units"][n.id], below["schools"][n.id], below["units"][n.id])
            for n, depth in seen_nodes(chart, who)]
    loose = {"schools": at["schools"][None], "units": at["units"][None]}
    return rows, loose


def place(container: Any, tenant: str, ctx: Any, kind: str, record_id: UUID,
          form: dict[str, Any]) -> None:
    """划转 a school or unit: the API's ``PATCH … {node_id, reason}`` (``RecordController.
    _edit``) — the same struct, ``check_node`` (a node within the caller's scope) and the
    same service call, which records ``Placed`` with the reason."""
    shape = SchoolEdit if kind == "school" else UnitEdit
    body = parsed(shape, {"node_id": form["node_id"], "reason": form["reason"]})
    if body.node_id is msgspec.UNSET:
        raise PageRefusal({"node_id": "请选择划转到的层级"})
    check_node(container, tenant, ctx, body.node_id)
    container.app(tenant).edit_record(kind, record_id, values_of(body),
                                          ctx.cause(body.reason), version_of(form),
                                          (body.node_id,))


def beside(why: Any, exc: Exception, name: str) -> Any:
    """A node the caller may not name (outside their scope, or none such) is the API's 404;
    the form shows the message beside the node's choice too."""
    if isinstance(exc, NotFound) and not why.fields:
        why.fields[name] = why.message
    return why
