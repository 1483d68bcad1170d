"""教研活动: the lifecycle, evidence uploads, certificates, and frequency compliance."""

from __future__ import annotations

import secrets
import time
from datetime import date
from typing import Any, NoReturn
from uuid import UUID

import anyio
import anyio.to_thread
from litestar import Controller, Request, get, post, put
from litestar.exceptions import NotFoundException, TooManyRequestsException, ValidationException

from adapters.container import Container
from adapters.http import schemas as s
from adapters.http.auth import PUBLIC, allow
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope, check_whole_tenant, in_scope
from adapters.http.ratelimit import client_key, retry_after
from domain.activity import Opinion, Participant, Plan
from domain.compliance import check, school_years
from domain.errors import RuleViolated
from domain.settings import FrequencyRule

TENANT = "/api/v1/tenants/{tenant:str}"
RECORDERS = allow("admin", "reporter")
EVERYONE = allow("admin", "auditor", "judge", "reporter")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def plan_of(data: s.PlanIn) -> Plan:
    return Plan(data.theme, data.form, data.purpose, data.planned_on, data.periods, data.plan)


def certificate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(16))  # 80 random bits


NOT_FOUND_FLOOR = 0.015  # seconds: above what either lookup takes on a quiet server


def find_certificate(container: Container, tenant: str, code: str) -> s.CertificateCheck | None:
    """The certificate with this code issued by this tenant, or None when either is unknown."""
    issuer = container.catalogue.get(tenant)
    if issuer is None or issuer.status != "active" or len(code) > 64:
        return None
    code = code.upper()
    # From the log, so a check just after issuing never races the projector.
    kept = container.app(tenant).certificate(code)
    if kept is not None:
        certificate, activity = kept
        return s.CertificateCheck(certificate.holder, activity.plan.theme, activity.held_on,
                                  issuer.name)
    # Certificates issued before codes were kept in the log: long since projected.
    with container.views(tenant) as views:
        found = views.certificate(code)
    if found is None:
        return None
    return s.CertificateCheck(found["holder"], found["theme"], found["held_on"], issuer.name)


async def not_found_after(started: float) -> NoReturn:
    """Answer 404 no sooner than NOT_FOUND_FLOOR after ``started`` (waiting holds no thread)."""
    await anyio.sleep(max(0.0, started + NOT_FOUND_FLOOR - time.monotonic()))
    raise NotFoundException("no such certificate")


def actor(container: Container, tenant: str, ctx: RequestContext) -> Any:
    principal = ctx.principal
    if principal is None or principal.user_id is None or principal.role != "reporter":
        return None
    return container.app(tenant).user(principal.user_id)


def written(w: Any) -> s.Written:
    return s.Written(w.id, w.version, w.position)


class ActivityController(Controller):
    path = TENANT
    tags = ["activities"]

    @post("/activities", opt=RECORDERS, sync_to_thread=True,
          summary="预约申请: apply for an activity (unit, theme, form, plan)")
    def apply(self, tenant: str, data: s.ActivityIn, container: Container,
              ctx: RequestContext) -> s.Written:
        check_in_scope(container, tenant, ctx, data.unit_id)
        return written(container.app(tenant).apply_activity(
            data.unit_kind, data.unit_id, plan_of(data), actor(container, tenant, ctx),
            ctx.cause()))

    @get("/activities", opt=EVERYONE, sync_to_thread=True, summary="Activities")
    def list_activities(self, tenant: str, container: Container, ctx: RequestContext,
                        unit_id: UUID | None = None,
                        status: str | None = None) -> list[dict[str, Any]]:
        container.caught_up(tenant)
        with container.views(tenant) as views:
            rows = views.activities(unit_id, status)
        return in_scope(container, tenant, ctx, rows)

    @get("/activities/{activity_id:uuid}", opt=EVERYONE, sync_to_thread=True,
         summary="One activity")
    def read(self, tenant: str, activity_id: UUID, container: Container) -> s.ActivityRead:
        a = container.app(tenant).activity(activity_id)
        return s.ActivityRead(
            a.id, a.unit_kind, a.unit_id, a.status, a.plan.theme, a.plan.form,
            a.plan.planned_on, a.periods or a.plan.periods, a.held_on,
            [{"name": p.name, "role": p.role} for p in a.participants],
            [{"code": c.code, "holder": c.holder} for c in a.certificates], a.version)

    @post("/activities/{activity_id:uuid}/review", opt=allow("admin"), status_code=200,
          sync_to_thread=True, summary="方案论证: approve or return for revision")
    def review(self, tenant: str, activity_id: UUID, data: s.ReviewIn, container: Container,
               ctx: RequestContext) -> s.Written:
        opinions = tuple(Opinion(o.reviewer, o.text) for o in data.opinions)
        return written(container.app(tenant).review_activity(activity_id, data.approved,
                                                             opinions, ctx.cause()))

    @post("/activities/{activity_id:uuid}/revise", opt=RECORDERS, status_code=200,
          sync_to_thread=True, summary="Revise a returned plan")
    def revise(self, tenant: str, activity_id: UUID, data: s.PlanIn, container: Container,
               ctx: RequestContext) -> s.Written:
        return written(container.app(tenant).revise_activity(
            activity_id, plan_of(data), actor(container, tenant, ctx), ctx.cause()))

    @post("/activities/{activity_id:uuid}/confirm", opt=allow("admin"), status_code=200,
          sync_to_thread=True, summary="发文确认")
    def confirm(self, tenant: str, activity_id: UUID, data: s.ConfirmIn, container: Container,
                ctx: RequestContext) -> s.Written:
        return written(container.app(tenant).confirm_activity(activity_id, data.document,
                                                              ctx.cause()))

    @post("/activities/{activity_id:uuid}/hold", opt=RECORDERS, status_code=200,
          sync_to_thread=True, summary="开展: record the activity as held")
    def hold(self, tenant: str, activity_id: UUID, data: s.HoldIn, container: Container,
             ctx: RequestContext) -> s.Written:
        people = tuple(Participant(p.name, p.role, p.user_id) for p in data.participants)
        check_in_scope(container, tenant, ctx, *data.host_unit_ids, *data.co_host_unit_ids)
        return written(container.app(tenant).hold_activity(
            activity_id, data.held_on, data.periods, people, tuple(data.host_unit_ids),
            tuple(data.co_host_unit_ids), actor(container, tenant, ctx), ctx.cause()))

    @post("/activities/{activity_id:uuid}/summarise", opt=RECORDERS, status_code=200,
          sync_to_thread=True, summary="总结: highlights, problems, improvements, evidence")
    def summarise(self, tenant: str, activity_id: UUID, data: s.SummaryIn,
                  container: Container, ctx: RequestContext) -> s.Written:
        return written(container.app(tenant).summarise_activity(
            activity_id, data.highlights, data.problems, data.improvements,
            tuple(data.evidence_ids), actor(container, tenant, ctx), ctx.cause()))

    @post("/activities/{activity_id:uuid}/cancel", opt=RECORDERS, status_code=200,
          sync_to_thread=True, summary="Cancel at any open step, with a reason")
    def cancel(self, tenant: str, activity_id: UUID, data: s.CancelIn, container: Container,
               ctx: RequestContext) -> s.Written:
        return written(container.app(tenant).cancel_activity(
            activity_id, actor(container, tenant, ctx), ctx.cause(data.reason)))

    @post("/activities/{activity_id:uuid}/certificates", opt=allow("admin"),
          sync_to_thread=True, summary="活动证书 for the participants of a summarised activity")
    def certificates(self, tenant: str, activity_id: UUID, container: Container,
                     ctx: RequestContext) -> s.CertificatesIssued:
        w, issued = container.app(tenant).issue_certificates(activity_id, certificate_code,
                                                             ctx.cause())
        return s.CertificatesIssued([s.CertificateOut(c.code, c.holder) for c in issued],
                                    w.version, w.position)

    @get("/certificates/{code:str}", opt=allow(PUBLIC),
         summary="Public check of a certificate: holder, theme, date, issuer — nothing else")
    async def verify_certificate(self, tenant: str, code: str, container: Container,
                                 request: Request[Any, Any, Any]) -> s.CertificateCheck:
        """Limited per client address. An unknown tenant and an unknown code in a known one
        take the same path and answer alike, no sooner than NOT_FOUND_FLOOR: the time of a
        404 does not tell which tenants exist."""
        wait = await anyio.to_thread.run_sync(request.app.state.limiter.take,
                                              client_key(request.scope, "certificate"))
        if wait is not None:
            raise TooManyRequestsException("too many certificate checks from this address",
                                           headers={"Retry-After": retry_after(wait)})
        started = time.monotonic()
        found = await anyio.to_thread.run_sync(find_certificate, container, tenant, code)
        if found is None:
            await not_found_after(started)
        return found

    @post("/activity-forms", opt=allow("admin"), sync_to_thread=True,
          summary="Add a tenant's own activity form")
    def add_form(self, tenant: str, data: s.FormIn, container: Container,
                 ctx: RequestContext) -> s.Written:
        check_whole_tenant(ctx)
        return written(container.app(tenant).add_form(data.name, ctx.cause()))

    @get("/activity-forms", opt=EVERYONE, sync_to_thread=True,
         summary="The seeds' activity forms and the tenant's own")
    def forms(self, tenant: str, container: Container) -> list[str]:
        return list(container.app(tenant).settings().all_forms)

    @put("/compliance-rules", opt=allow("admin"), sync_to_thread=True,
         summary="Set the tenant's activity frequency rules")
    def set_rules(self, tenant: str, data: s.RulesIn, container: Container,
                  ctx: RequestContext) -> s.Written:
        check_whole_tenant(ctx)
        rules = tuple(FrequencyRule(r.unit_kind, r.every, r.min_activities, r.min_periods,
                                    r.counts, tuple(r.forms)) for r in data.rules)
        return written(container.app(tenant).set_rules(rules, ctx.cause()))

    @get("/compliance", opt=allow("admin", "auditor"), sync_to_thread=True,
         summary="Who meets the frequency rules in a period (?period=YYYY-MM-DD..YYYY-MM-DD)")
    def compliance(self, tenant: str, period: str, container: Container,
                   ctx: RequestContext) -> s.Compliance:
        start, end = parse_period(period)
        found = compliance_of(container, tenant, start, end)
        found.units = in_scope(container, tenant, ctx, found.units, "unit_id")
        return found


def compliance_of(container: Container, tenant: str, start: date, end: date) -> s.Compliance:
    """Each rule's units in the period, rule after rule (``GET /compliance``)."""
    return s.Compliance(start, end, [line for _, lines in compliance_by_rule(
        container, tenant, start, end) for line in lines])


def compliance_by_rule(container: Container, tenant: str, start: date,
                       end: date) -> list[tuple[FrequencyRule, list[s.UnitCompliance]]]:
    """Each rule with its units' lines in the period: the windows met, and those missed
    (the report, its sheet and the compliance page all read this). A held activity counts
    for its unit and for each unit named as 主办, 承办 or 协办 beside it; a rule naming forms
    counts only those; a rule every term or school year reads the tenant's terms (issue 16).
    The windows are ``domain.compliance.rule_windows``; each missed one is given by its first
    day (``missed``) and its last (``missed_ends``), so a page need not compute them again."""
    app = container.app(tenant)
    rules = app.settings().rules
    terms = app.term_calendar().terms
    spans = tuple((t.starts_on, t.ends_on) for t in terms)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        held = views.held_between(start, end)
        planned = views.planned_between(start, end)
        units = units_by_kind(views)
    units["zone"] = [(n.id, n.name) for n in app.org_chart().nodes.values()
                     if n.level == "zone"]
    out: list[tuple[FrequencyRule, list[s.UnitCompliance]]] = []
    for rule in rules:
        forms = set(rule.forms)
        lines: list[s.UnitCompliance] = []
        out.append((rule, lines))
        for unit_id, name in units.get(rule.unit_kind, []):
            if rule.counts == "planned":
                mine = [(date.fromisoformat(a["planned_on"]), a["planned_periods"])
                        for a in planned if a["unit_id"] == str(unit_id)
                        and (not forms or a["form"] in forms)]
            else:
                mine = [(date.fromisoformat(a["held_on"]), a["periods"]) for a in held
                        if str(unit_id) in credited(a) and (not forms or a["form"] in forms)]
            found = check(rule, mine, start, end, spans)
            met = [w for w in found if w.met]
            missed = [w.starts_on for w in found if not w.met]
            lines.append(s.UnitCompliance(
                rule.unit_kind, unit_id, name, rule.every, rule.counts, len(found), len(met),
                len(met) < len(found), missed, len(mine), sum(p for _, p in mine),
                list(rule.forms),
                [t.name for t in terms if rule.every == "term"
                 and max(t.starts_on, start) in missed],
                [w.ends_on for w in found if not w.met],
                [year_name(y) for y, first, _ in school_years(spans)
                 if rule.every == "school_year" and max(first, start) in missed]))
    return out


def year_name(year: int) -> str:
    """2024 → 2024—2025学年, as the terms are named."""
    return f"{year}—{year + 1}学年"


def credited(activity: dict[str, Any]) -> set[str]:
    """The units a held activity counts for: its own, and those that hosted it beside it
    (主办/承办/协办)."""
    return {activity["unit_id"], *activity.get("host_unit_ids", ()),
            *activity.get("co_host_unit_ids", ())}


def parse_period(period: str) -> tuple[date, date]:
    try:
        first, last = (date.fromisoformat(part) for part in period.split(".."))
    except ValueError:
        raise ValidationException("period is YYYY-MM-DD..YYYY-MM-DD") from None
    if last < first:
        raise RuleViolated("the period ends before it starts")  # well formed: a rule (422)
    return first, last


def units_by_kind(views: Any) -> dict[str, list[tuple[UUID, str]]]:
    units: dict[str, list[tuple[UUID, str]]] = {}
    for unit in views.units():
        units.setdefault(unit["kind"], []).append((unit["id"], unit["name"]))
    for community in views.communities():
        units.setdefault("community", []).append((UUID(community["id"]), community["name"]))
    for school in views.schools():
        units.setdefault("school", []).append((school["id"], school["name"]))
    return units
