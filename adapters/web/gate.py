"""Who may open a page: exactly the roles the API route it mirrors admits.

A page names the API route whose data it shows (``ScoringController.history``…) and admits
the roles that route's ``allow(...)`` admits, so a page adds no rule of its own. A refusal is
the API's: recorded for the auditor like the guard's (kind ``role``), answered as a Chinese
403 page. Rules on the records (``services/access.py``) are called by the pages as the API's
handlers call them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import PermissionDeniedException

from adapters.http.auth import record_refusal
from domain.errors import FieldError, RuleViolated
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
