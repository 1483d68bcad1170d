"""人员与登录 (``/t/{tenant}/admin/people``): the tenant's users with their roles and
affiliations (searched, sorted and paged on the server), creating a user (the API's
``POST /users``), and from each row a printable sign-in card (the existing
``/admin/sign-in-links`` page). One user's page is ``people_user.py``."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope, check_node
from adapters.http.people import PeopleController
from adapters.http.schemas import UserCreate
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.gate import admit, seen_views
from adapters.web.listing import Listing
from adapters.web.org_common import AFFILIATION_KINDS, ROLE_NAMES, Form, done_of
from adapters.web.org_forms import NOTHING, REFUSALS, parsed, refused, typed
from adapters.web.org_nodes import beside, chart_of, node_choices, path_text
from adapters.web.people_user import USER_PAGES, affiliation_choices, affiliations_of
from adapters.web.templating import Page as Template
from domain.user import ROLES, Affiliation
from tenants.model import Principal

PEOPLE = "/t/{tenant:str}/admin/people"
SORTS = ("name", "role", "affiliations")
LISTS = ("school", "community", "unit")  # the form's three choices of affiliation


def people_list(request: Request[Any, Any, Any], who: Principal, container: Container,
                **extra: Any) -> dict[str, Any]:
    params = request.query_params
    role = params.get("role") if params.get("role") in ROLES else ""
    archived = params.get("archived") == "1"
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        choices = affiliation_choices(views)
        names = {value: label for kind in affiliation_choices(views.whole).values()
                 for value, label in kind}
        rows = [u | {"role_name": ROLE_NAMES.get(u["role"], u["role"]),
                     "places": [names.get(str(a["id"]), "") for a in u["affiliations"] or []]}
                for u in views.users(role or None, archived)]
    page = Listing.of(params, SORTS).apply(
        rows, f"/t/{who.tenant}/admin/people",
        lambda r: (r["name"], r["role_name"], r["subject"], *r["places"]),
        {"name": lambda r: r["name"], "role": lambda r: r["role_name"],
         "affiliations": lambda r: "、".join(r["places"])},
        {"role": role, "archived": "1" if archived else ""})
    chart = chart_of(container, who)
    scopes = node_choices(chart, who)
    whole = "全区（不限层级）" if who.scope is None else f"本级：{path_text(chart, who.scope)}"
    context = console(who, "people", title="人员与登录", page=page, role=role,
                      scopes=scopes, whole_scope=f"（{whole}）",
                      archived=archived, roles=list(ROLE_NAMES.items()), choices=choices,
                      kinds=AFFILIATION_KINDS, refused=NOTHING, form={}, done="",
                      opened=False)
    return context | extra


@get(PEOPLE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="people")
def people(request: Request[Any, Any, Any], tenant: str, who: Principal,
           container: Container, done: str | None = None) -> Template:
    admit(request, who, PeopleController.list_users, PeopleController.create_user)
    return Template("people/list.html", context=people_list(request, who, container,
                                                            done=done_of(done)))


@post(PEOPLE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, status_code=303)
def create_user(request: Request[Any, Any, Any], tenant: str, who: Principal,
                container: Container, ctx: RequestContext, data: Form) -> Any:
    """The API's ``POST /users``; the user then signs in with a link (their page prints a
    card), so the API token made with them is not shown."""
    admit(request, who, PeopleController.create_user)
    form = typed(data, "name", "role", "subject", "scope", lists=LISTS)
    try:
        body = parsed(UserCreate, {"name": form["name"], "role": form["role"],
                                   "subject": form["subject"], "scope": form["scope"],
                                   "affiliations": affiliations_of(form)})
        check_in_scope(container, tenant, ctx, *(a.id for a in body.affiliations))
        made = container.platform.add_user(
            tenant, body.name, body.role,
            tuple(Affiliation(a.kind, a.id) for a in body.affiliations), ctx.cause(),
            body.subject, check_node(container, tenant, ctx, body.scope))
    except REFUSALS as exc:
        why = beside(refused(exc), exc, "scope") if form["scope"] else refused(exc)
        return Template("people/list.html", status_code=why.status, context=people_list(
            request, who, container, form=form, refused=why, opened=True))
    return Redirect(f"/t/{tenant}/admin/people/{made.user_id}?done=created", status_code=303)


PEOPLE_PAGES: list[Any] = [people, create_user, *USER_PAGES]
