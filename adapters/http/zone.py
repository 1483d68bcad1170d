"""Time in the tenant's zone (默认北京时间): every timestamp an answer carries is given with its
offset there, and an ``as_of`` without an offset is read there. One response class does the
answering, so no controller converts by hand."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, Response
from litestar.types import Scope

from adapters.http.context import SCOPE_KEY
from domain.errors import FieldError, RuleViolated
from tenants.model import DEFAULT_TIME_ZONE

# A full date and time; seconds, fraction and offset optional ("+08:00" arrives as " 08:00"
# when a client forgets to encode the plus sign in a query string).
FULL = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                  r"(Z|z|[+\- ]\d{2}:?\d{2})?")
KEEP = (datetime, date, Decimal, UUID, bytes)


def zone_of(scope: Scope) -> ZoneInfo:
    """The caller's tenant's zone; Beijing time where no tenant is known (public routes)."""
    ctx = scope.get(SCOPE_KEY)  # type: ignore[call-overload]
    principal = ctx.principal if ctx is not None else None
    return ZoneInfo(getattr(principal, "time_zone", None) or DEFAULT_TIME_ZONE)


def instant(text: str | None, zone: ZoneInfo, name: str = "as_of") -> datetime | None:
    """A query's point in time; without an offset it is read in ``zone``. Anything short of a
    full date and time (``1097``, ``2026-11-30``) is refused rather than guessed."""
    if text is None:
        return None
    text = text.strip()
    if not FULL.fullmatch(text):
        raise RuleViolated(
            f"{name} must be a full date and time, such as 2026-11-30T10:00:00+08:00",
            (FieldError(name, "a date, a time and, if you like, an offset"),))
    if re.search(r" \d{2}:?\d{2}$", text[11:]):
        text = text[:-6] + "+" + text[-5:] if text[-3] == ":" else text[:-5] + "+" + text[-4:]
    try:
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        raise RuleViolated(f"{name} is not a date and time that exists",
                           (FieldError(name, "a date, a time and, if you like, an offset"),)
                           ) from None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def in_zone(content: Any, zone: ZoneInfo) -> Any:
    """The same answer with each aware timestamp moved to ``zone`` (same instant)."""
    if isinstance(content, datetime):
        return content.astimezone(zone) if content.tzinfo is not None else content
    if isinstance(content, dict):
        return {key: in_zone(value, zone) for key, value in content.items()}
    if isinstance(content, list | tuple):
        return [in_zone(value, zone) for value in content]
    return content


class ZonedResponse(Response[Any]):
    """Every answer of the API: timestamps go out in the caller's tenant's zone."""

    def to_asgi_response(  # type: ignore[override]
        self, app: Any, request: Request[Any, Any, Any], **kwargs: Any
    ) -> Any:
        content = self.content
        if content is not None and not isinstance(content, bytes | str):
            try:
                shaped = msgspec.to_builtins(content, builtin_types=KEEP, str_keys=True)
            except TypeError:
                shaped = None  # a shape we do not know: send as is
            ctx = request.scope.get(SCOPE_KEY)  # type: ignore[call-overload]
            principal = ctx.principal if ctx is not None else None
            operator = principal is not None and principal.tenant is None
            if shaped is not None and not operator:  # the operator's answers span tenants
                self.content = in_zone(shaped, zone_of(request.scope))
        return super().to_asgi_response(app, request, **kwargs)
