"""Who may open a page: exactly the roles the API route it mirrors admits.

A page names the API route whose data it shows (``ScoringController.history``…) and admits
the roles that route's ``allow(...)`` admits, so a page adds no rule of its own. A refusal is
the API's: recorded for the auditor like the guard's (kind ``role``), answered as a Chinese
403 page. Rules on the records (``services/access.py``) are called by the pages as the API's
handlers call them.

组织层级 (ADR 28): an admin scoped to an org node (``who.scope``) has every id of a page's
path and query checked by the sign-in (``adapters/web/session.py:viewer``), as the API's guard
does; the pages narrow their lists with ``narrow`` / ``seen_views`` (the API's ``in_scope``)
and leave the tenant's own settings to an admin of the whole tenant (``whole_tenant``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import PermissionDeniedException

from adapters.http.auth import record_refusal
from adapters.http.org_levels import rows_within
from domain.errors import FieldError, NotPermitted, RuleViolated
from tenants.model import Principal

ROLE_NAMES = {"admin": "管理员", "judge": "评委", "auditor": "审计员", "reporter": "填报员",
              "operator": "平台运营方"}


def admit(request: Request[Any, Any, Any], who: Principal, *api_routes: Any) -> None:
    """Refuse ``who`` unless every one of ``api_routes`` admits their role. Call it from a
    sync handler (it may write the refusal to the tenant's record)."""
    for route in api_routes:
        if who.role not in route.opt["roles"]:
            detail = f"the {who.role} role may not do this"
            record_refusal(request.scope, "role", detail)
            raise PermissionDeniedException(detail)


def may(who: Principal, api_route: Any) -> bool:
    """Whether a link or button to what ``api_route`` does is worth showing to ``who``."""
    return who.role in api_route.opt["roles"]


def optional_id(value: str | None, name: str) -> UUID | None:
    """A filter's id from a form: empty means "all"; anything but an id is refused."""
    if value is None or not value.strip():
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        # Only a hand-edited address gets here (the forms offer ids from lists).
        raise RuleViolated("a filter names an id that is not valid",
                           (FieldError(name, "not a valid id"),)) from None


def shown(who: Principal, **context: Any) -> dict[str, Any]:
    """A page's context: the signed-in user and the tenant's zone for ``local_time``."""
    return {"who": who, "zone": who.time_zone, "tenant": who.tenant,
            "role_name": ROLE_NAMES.get(who.role, who.role)} | context


# -- 组织层级: a scoped admin's pages show what hangs under their node (ADR 28) ---------------

LISTS = {"schools": "id", "communities": "id", "units": "id", "users": "id",
         "assessments": "assessment_id", "activities": "id", "annual_reviews": "review_id"}


def narrow(container: Any, who: Principal, rows: Iterable[Any], key: str = "id") -> list[Any]:
    """The rows whose record ``who`` may see: every row, unless ``who`` is an admin scoped to
    an org node (the API's ``in_scope``, the same function)."""
    return rows_within(container, who.tenant, who.scope, rows, key)


class Narrowed:
    """The tenant's views as a scoped admin sees them: the lists of records an org node owns
    (``LISTS``) narrowed to the admin's node; everything else as it is."""

    def __init__(self, views: Any, container: Any, who: Principal) -> None:
        self._views, self._container, self._who = views, container, who
        self.whole = views  # the lists unnarrowed: names of records a page shows anyway

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._views, name)
        key = LISTS.get(name)
        if key is None or self._who.scope is None:
            return found

        def narrowed(*args: Any, **kwargs: Any) -> list[Any]:
            return narrow(self._container, self._who, found(*args, **kwargs), key)

        return narrowed


@contextmanager
def seen_views(container: Any, who: Principal) -> Iterator[Any]:
    """``container.views(tenant)`` with its lists narrowed to ``who``'s scope, if any."""
    with container.views(who.tenant) as views:
        yield Narrowed(views, container, who)


def whole_tenant(who: Principal) -> bool:
    """Whether ``who`` may change the tenant's own settings (rules, terms, forms, rounding,
    imports): not an admin scoped to an org node. Links to them are shown only then."""
    return who.scope is None


def check_whole_tenant(request: Request[Any, Any, Any], who: Principal) -> None:
    """The API's ``check_whole_tenant`` for a page: a scoped admin gets the 403 page (recorded
    for the auditor as the guard records a refusal)."""
    if who.scope is not None:
        detail = "only an admin of the whole tenant changes its settings"
        record_refusal(request.scope, "role", detail)
        raise NotPermitted(detail)
