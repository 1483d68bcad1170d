"""组织机构 (``/t/{tenant}/admin/org``): an overview of the district's organisation — how
many schools, communities, units and teachers, and every 教研组 the rule warns about — with
tabs to each kind's list (``org_schools``, ``org_communities``, ``org_units``)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get

from adapters.container import Container
from adapters.http.organisation import OrganisationController
from adapters.http.people import PeopleController
from adapters.web.console import PAGE, SIGNED_IN
from adapters.web.gate import admit, seen_views
from adapters.web.org_common import ORG, UNIT_KINDS, org_page, teacher_counts, unit_warnings
from adapters.web.org_communities import COMMUNITY_PAGES
from adapters.web.org_levels import LEVEL_PAGES
from adapters.web.org_nodes import chart_of, seen_nodes
from adapters.web.org_schools import SCHOOL_PAGES
from adapters.web.org_units import UNIT_PAGES
from adapters.web.templating import Page as Template
from tenants.model import Principal


@get(ORG, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="org_overview")
def overview(request: Request[Any, Any, Any], tenant: str, who: Principal,
             container: Container) -> Template:
    admit(request, who, PeopleController.list_schools, OrganisationController.list_units,
          PeopleController.create_school)
    container.caught_up(tenant)
    with seen_views(container, who) as views:
        units = views.units()
        counts = teacher_counts(views)
        totals = {"schools": len(views.schools()), "communities": len(views.communities()),
                  "teachers": len(views.users("teacher"))}
    totals["levels"] = len(seen_nodes(chart_of(container, who), who))
    for kind in UNIT_KINDS:
        totals[kind] = sum(1 for u in units if u["kind"] == kind)
    warnings = [(u, w) for u in units for w in unit_warnings(u, counts)]
    return Template("org/overview.html", context=org_page(
        who, "overview", title="组织机构", totals=totals, warnings=warnings))


ORG_PAGES: list[Any] = [overview, *SCHOOL_PAGES, *COMMUNITY_PAGES, *UNIT_PAGES, *LEVEL_PAGES]
