"""述职计时 pages: the room's full-screen countdown of a group, its timekeeper's buttons, and
the judges' view of who presents now.

The state lives in the tenant's log (``domain/presentation.py``), so every worker reads the
same timer. The countdown is computed in the browser (``static/timer.js``) from the server's
start instant and the limit; without JavaScript the page shows the presenter, the start and
the deadline in the tenant's time. ``?fragment=1`` answers only the part htmx refreshes.
Only the admin keeps time (``services/presentations.py``); a judge's post is refused as the
service refuses it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.auth import PUBLIC, allow
from adapters.http.context import RequestContext
from adapters.web.session import viewer
from adapters.web.templating import Page as Template
from domain.errors import FieldError, RuleViolated
from services.presentations import TIMEKEEPERS, Timer, timed_groups
from tenants.model import Principal

BASE = "/t/{tenant:str}/timer/{assessment_id:uuid}"
SIGNED_IN = {"principal": Provide(viewer)}
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def timer_context(timer: Timer, tenant: str, principal: Principal) -> dict[str, Any]:
    now = datetime.now(UTC)
    left = timer.limit_seconds
    if timer.running and timer.started_at is not None:
        left = timer.limit_seconds - int((now - timer.started_at).total_seconds())
    return {"timer": timer, "tenant": tenant, "zone": principal.time_zone,
            "keeps_time": principal.role in TIMEKEEPERS,
            "url": f"/t/{tenant}/timer/{timer.assessment_id}/{timer.group.key}",
            "started_ms": epoch_ms(timer.started_at) if timer.running else None,
            "server_ms": epoch_ms(now), "left": left,
            "clock": f"{'-' if left < 0 else ''}{abs(left) // 60:02d}:{abs(left) % 60:02d}"}


@get(BASE, opt=allow(PUBLIC), dependencies=SIGNED_IN, sync_to_thread=True)
def timers(tenant: str, assessment_id: UUID, principal: Principal, container: Container,
           fragment: bool = False) -> Template:
    """The judges' view: for each timed group, who presents now and until when."""
    app = container.app(tenant)
    assessment = app.assessment_seen_by(assessment_id, principal.role, principal.user_id)
    groups = [timer_context(app.timer(assessment, g.key, principal.role, principal.user_id),
                            tenant, principal) for g in timed_groups(assessment)]
    schedule = app.schedule(assessment_id)  # 出场安排: date, start, venue (services/windows.py)
    for g in groups:
        g["session"] = schedule.get(g["timer"].group.key)
    context = {"title": f"述职计时 · {assessment.setup.name}", "groups": groups,
               "assessment": assessment.setup.name, "zone": principal.time_zone,
               "url": f"/t/{tenant}/timer/{assessment_id}"}
    return Template("timer/groups.html" if fragment else "timer/overview.html",
                    context=context)


@get(BASE + "/{group:str}", opt=allow(PUBLIC), dependencies=SIGNED_IN, sync_to_thread=True)
def group_timer(tenant: str, assessment_id: UUID, group: str, principal: Principal,
                container: Container, fragment: bool = False) -> Template:
    """The room's full-screen countdown of one group, with the timekeeper's buttons."""
    app = container.app(tenant)
    assessment = app.assessment_seen_by(assessment_id, principal.role, principal.user_id)
    context = timer_context(app.timer(assessment, group, principal.role, principal.user_id),
                            tenant, principal)
    context["title"] = f"述职计时 · {context['timer'].group.name}"
    context["session"] = app.schedule(assessment_id).get(group)
    return Template("timer/state.html" if fragment else "timer/room.html", context=context)


def back(tenant: str, assessment_id: UUID, group: str) -> Redirect:
    return Redirect(f"/t/{tenant}/timer/{assessment_id}/{group}", status_code=303)


@post(BASE + "/{group:str}/next", opt=allow(PUBLIC), dependencies=SIGNED_IN,
      sync_to_thread=True)
def next_presenter(tenant: str, assessment_id: UUID, group: str, principal: Principal,
                   container: Container, ctx: RequestContext) -> Redirect:
    """Start the next presenter in the group's order (the first, if none has started)."""
    container.app(tenant).start_presentation(assessment_id, group, None, principal.role,
                                             ctx.cause())
    return back(tenant, assessment_id, group)


@post(BASE + "/{group:str}/start", opt=allow(PUBLIC), dependencies=SIGNED_IN,
      sync_to_thread=True)
def start_presenter(tenant: str, assessment_id: UUID, group: str, principal: Principal,
                    container: Container, ctx: RequestContext, data: Form) -> Redirect:
    """Start the presenter chosen from the order (e.g. one called again)."""
    try:
        subject_id = UUID(data.get("subject_id", ""))
    except ValueError:
        raise RuleViolated("choose a presenter", (FieldError("subject_id", "required"),)
                           ) from None
    container.app(tenant).start_presentation(assessment_id, group, subject_id, principal.role,
                                             ctx.cause())
    return back(tenant, assessment_id, group)


@post(BASE + "/{group:str}/stop", opt=allow(PUBLIC), dependencies=SIGNED_IN,
      sync_to_thread=True)
def stop_presenter(tenant: str, assessment_id: UUID, group: str, principal: Principal,
                   container: Container, ctx: RequestContext) -> Redirect:
    container.app(tenant).stop_presentation(assessment_id, group, principal.role, ctx.cause())
    return back(tenant, assessment_id, group)


TIMER_PAGES = [timers, group_timer, next_presenter, start_presenter, stop_presenter]
