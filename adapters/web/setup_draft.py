"""考核设置, steps 6–9 on the draft round, and the round's own page (设置与开评).

6. subjects picked from the organisation (schools, communities, units), by group;
7. the panel: a dry run lists each 回避 the chosen judges would bring, writing nothing
   (``GET`` with the judges in the address, as ``GET …/conflicts``); confirming adds them;
8. quorum, and the 出场顺序 drawn by lot or entered by hand;
9. publication: ranks, or tiers only.

Each form does what its API route does (the same service call, the same refusals, shown in
Chinese beside the field, with what was typed kept). The round's page opens it, reopens it
with a reason (``adapters/web/rounds.py`` does both, as it closes and publishes) and, when a
subject is below quorum, leads to step 7 for a substitute judge."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from adapters.container import Container
from adapters.http import convert
from adapters.http.assessments import AssessmentController
from adapters.http.context import context_of
from adapters.http.drafting import DraftController
from adapters.http.org_levels import check_in_scope
from adapters.http.people import PeopleController
from adapters.web import audit_words as words
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.errors import status_of
from adapters.web.gate import admit, may, seen_views
from adapters.web.judge_forms import NO_REFUSAL, Refusal, one
from adapters.web.listing import Listing
from adapters.web.setup_form import KIND_NAMES, METHOD_NAMES, NORMALISE_NAMES, plain
from adapters.web.templating import Page as Template
from domain.drafting import order_voided
from domain.errors import DomainError, FieldError, RuleViolated
from tenants.model import Principal

ONE = "/t/{tenant:str}/admin/assessments/{assessment_id:uuid}"
FIELD_NAMES = {"name": "名称", "period": "考核期间", "components": "考核项目", "groups": "排名组",
               "aggregation": "汇总方式", "tiers": "等次", "quotas": "名额"}
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SUBJECT_KINDS = {"school": "学校", "community": "共同体", "unit": "教研组/工作室",
                 "teacher": "教师"}
CATEGORIES = {"employment": "任职关系", "membership": "所属关系", "declared": "本人申请",
              "personal": "本人即被评对象"}
DONE = {"created": "考核草稿已创建。下一步：添加被评对象。", "subjects": "已添加被评对象。",
        "removed": "已移除被评对象。", "panel": "评委已加入。", "quorum": "法定评委人数已保存。",
        "draw": "已抽签确定出场顺序。", "order": "出场顺序已保存。",
        "publication": "公示设置已保存。"}


def many(form: Any, name: str) -> list[str]:
    value = form.get(name, []) if isinstance(form, dict) else form.getall(name, [])
    return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]


def base_context(who: Principal, container: Container, tenant: str, assessment_id: UUID,
                 step: int, title: str, request: Request[Any, Any, Any],
                 **extra: Any) -> dict[str, Any]:
    assessment = container.app(tenant).assessment(assessment_id)  # 404 if unknown
    done = request.query_params.get("done", "")
    return console(who, "assessments", title=f"{title} · {assessment.setup.name}", step=step,
                   assessment=assessment, groups={g.key: g for g in assessment.setup.groups},
                   status_name=words.STATUSES.get(assessment.status, assessment.status),
                   done=DONE.get(done, ""), refusal=NO_REFUSAL, typed={}, refused=[],
                   categories=CATEGORIES) | extra


def back(tenant: str, assessment_id: UUID, page: str, done: str) -> Redirect:
    return Redirect(f"/t/{tenant}/admin/assessments/{assessment_id}/{page}?done={done}",
                    status_code=303)


def version_of(form: dict[str, Any]) -> int | None:
    text = one(form.get("version", ""))
    return int(text) if text.isdigit() else None


# -- the round's page ------------------------------------------------------------------------

@get(ONE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_round")
def overview(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
             container: Container, edited: str | None = None, voided: str = "") -> Template:
    """The round's page; after 修改设置 (its redirect carries the fields changed and the groups
    whose order the change made void) with what changed and the notices of the change."""
    admit(request, who, AssessmentController.read, AssessmentController.list_all)
    if edited is None:
        return round_page(request, who, container, tenant, assessment_id)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    notices = [*app.placement_warnings(assessment).values(),
               *order_voided(assessment.setup, set(voided.split(",")))]
    return round_page(request, who, container, tenant, assessment_id,
                      done=saved(tuple(edited.split(","))), notices=notices)


def saved(changed: tuple[str, ...]) -> str:
    """What 修改设置 changed, in words (names it does not know are left out)."""
    names = "、".join(dict.fromkeys(FIELD_NAMES[name] for name in changed
                                    if name in FIELD_NAMES))
    return f"设置已修改：{names}。" if names else "设置没有改动，未记录修改。"


def round_page(request: Request[Any, Any, Any], who: Principal, container: Container,
               tenant: str, assessment_id: UUID, **extra: Any) -> Template:
    """The round's page; after 修改设置 (``setup_edit``) with what changed and its notices."""
    context = base_context(who, container, tenant, assessment_id, 0, "设置与开评", request)
    return Template("console/setup/round.html", context=context | {
        "short": short_of(context["assessment"]), "methods": METHOD_NAMES,
        "normalises": NORMALISE_NAMES, "kinds": KIND_NAMES, "plain": plain,
        "may_open": may(who, AssessmentController.create), "notices": [],
        "may_edit": may(who, AssessmentController.change)} | extra)


def short_of(assessment: Any) -> list[dict[str, Any]]:
    """The subjects with fewer judges free to score them (not 回避) than the quorum: each
    needs a substitute judge (the board's ``below_quorum``, read off the round at once)."""
    quorum = assessment.setup.quorum
    found = []
    for subject in assessment.subjects.values():
        eligible = sum(1 for j in assessment.panel if not assessment.is_recused(j, subject.id))
        if eligible < quorum:
            found.append({"name": subject.name, "eligible": eligible, "quorum": quorum})
    return found


# -- 6. subjects -----------------------------------------------------------------------------

def candidates(container: Container, who: Principal) -> list[dict[str, Any]]:
    """What may be assessed: the schools, communities, units and teachers ``who`` sees (a
    scoped admin: those under their org node)."""
    container.caught_up(who.tenant)
    with seen_views(container, who) as views:
        found = [{"kind": "school", "id": str(s["id"]), "name": s["name"],
                  "about": " · ".join(x for x in (s["group"], s["stage"], s["zone"]) if x)}
                 for s in views.schools()]
        found += [{"kind": "community", "id": str(c["id"]), "name": c["name"],
                   "about": c.get("type") or ""} for c in views.communities()]
        found += [{"kind": "unit", "id": str(u["id"]), "name": u["name"],
                   "about": u["school_name"] or ""} for u in views.units()]
        found += [{"kind": "teacher", "id": str(u["id"]), "name": u["name"], "about": ""}
                  for u in views.users(role="teacher")]  # a person assessed (名师, 工作点)
    return found


def subjects_page(request: Request[Any, Any, Any], who: Principal, container: Container,
                  tenant: str, assessment_id: UUID, status_code: int = 200,
                  **extra: Any) -> Template:
    context = base_context(who, container, tenant, assessment_id, 6, "被评对象", request,
                           **extra)
    taken = {(s.kind, str(s.ref_id)) for s in context["assessment"].subjects.values()}
    kind = request.query_params.get("kind", "")
    rows = [c for c in candidates(container, who)
            if (c["kind"], c["id"]) not in taken and (not kind or c["kind"] == kind)]
    page = Listing.of(request.query_params, ("name", "kind"), per_page=30).apply(
        rows, f"/t/{tenant}/admin/assessments/{assessment_id}/subjects",
        lambda c: (c["name"], c["about"]), {"name": lambda c: c["name"],
                                           "kind": lambda c: c["kind"]}, {"kind": kind})
    return Template("console/setup/subjects.html", status_code=status_code, context=context | {
        "page": page, "kind": kind, "kinds": SUBJECT_KINDS,
        "warnings": container.app(tenant).placement_warnings(context["assessment"])})


@get(ONE + "/subjects", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     name="setup_subjects")
def subjects(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
             container: Container) -> Template:
    admit(request, who, AssessmentController.add_subject)
    if request.query_params.get("created"):
        return Redirect(f"/t/{tenant}/admin/assessments/{assessment_id}/subjects?done=created",
                        status_code=303)  # type: ignore[return-value]
    return subjects_page(request, who, container, tenant, assessment_id)


@post(ONE + "/subjects", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_add_subjects", status_code=303)
def add_subjects(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                 who: Principal, container: Container, data: Form) -> Template | Redirect:
    """Each picked thing becomes a subject of the group chosen (one write each, as the API's
    ``POST …/subjects``); the ones refused are named with why, the rest are added."""
    admit(request, who, AssessmentController.add_subject)
    app, ctx = container.app(tenant), context_of(request.scope)
    group, picked = one(data.get("group", "")), many(data, "pick")
    own = tuple(many(data, "components"))  # the subjects' own components (none: the rules)
    refused: list[dict[str, str]] = []
    errors = []
    if not group:
        errors.append(FieldError("group", "choose a ranking group"))
    if not picked:
        errors.append(FieldError("pick", "tick at least one subject"))
    for pick in picked if not errors else []:
        kind, _, ref = pick.partition(":")
        try:
            check_in_scope(container, tenant, ctx, UUID(ref))  # as POST …/subjects
            app.add_subject(assessment_id, kind, UUID(ref), group, ctx.cause(),
                            components=own)
        except ValueError:
            refused.append({"pick": pick, "why": "不是有效的对象"})
        except DomainError as exc:
            why = "；".join(Refusal.of(exc).fields.values()) or Refusal.of(exc).message
            if any(e.field == "group" for e in exc.errors):
                errors.append(FieldError("group", "；".join(
                    Refusal.of(exc).fields.values())))
                break
            refused.append({"pick": pick, "why": why})
    if errors or refused:
        refusal = Refusal.of(RuleViolated("some subjects were not added: see why below",
                                          tuple(errors)))
        names = {f"{c['kind']}:{c['id']}": c["name"] for c in candidates(container, who)}
        return subjects_page(request, who, container, tenant, assessment_id, status_code=422,
                             refusal=refusal, typed={"group": group, "pick": picked,
                                                     "components": list(own)},
                             refused=[r | {"name": names.get(r["pick"], r["pick"])}
                                      for r in refused])
    return back(tenant, assessment_id, "subjects", "subjects")


@post(ONE + "/subjects/{subject_id:uuid}/remove", opt=PAGE, dependencies=SIGNED_IN,
      sync_to_thread=True, name="setup_remove_subject", status_code=303)
def remove_subject(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                   subject_id: UUID, who: Principal, container: Container,
                   data: Form) -> Redirect:
    admit(request, who, DraftController.remove_subject)
    container.app(tenant).remove_subject(assessment_id, subject_id,
                                         context_of(request.scope).cause())
    return back(tenant, assessment_id, "subjects", "removed")


# -- 7. the panel, with the conflict dry run -------------------------------------------------

def panel_page(request: Request[Any, Any, Any], who: Principal, container: Container,
               tenant: str, assessment_id: UUID, chosen: list[str], status_code: int = 200,
               **extra: Any) -> Template:
    context = base_context(who, container, tenant, assessment_id, 7, "评委与回避预检", request,
                           **extra)
    assessment, app = context["assessment"], container.app(tenant)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        judges = [dict(u) | {"id": str(u["id"])} for u in views.users(role="judge")]
    free = [j for j in judges if UUID(j["id"]) not in assessment.panel]
    page = Listing.of(request.query_params, ("name",), per_page=30).apply(
        free, f"/t/{tenant}/admin/assessments/{assessment_id}/panel",
        lambda j: (j["name"],), {"name": lambda j: j["name"]})
    names = {j["id"]: j["name"] for j in judges}
    dry = []
    for judge in chosen:
        try:
            found = app.conflicts(assessment_id, UUID(judge))  # writes nothing
        except (ValueError, DomainError):
            continue
        dry.append({"id": judge, "name": names.get(judge, judge), "conflicts": [
            {"subject": assessment.subject(c.subject_id).name, "reason": c.reason,
             "category": CATEGORIES.get(c.category, c.category)} for c in found]})
    recused: dict[str, list[str]] = {}
    for key, category in assessment.recusals.items():
        judge, subject = key.split("/")
        if UUID(subject) in assessment.subjects:
            recused.setdefault(judge, []).append(
                f"{assessment.subjects[UUID(subject)].name}（{CATEGORIES.get(category, '')}）")
    return Template("console/setup/panel.html", status_code=status_code, context=context | {
        "page": page, "dry": dry, "chosen": chosen, "recused": recused})


@get(ONE + "/panel", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_panel")
def panel(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
          container: Container) -> Template:
    """The panel; with ``?judge=…`` the dry run of adding those judges (nothing is saved)."""
    admit(request, who, AssessmentController.conflicts, PeopleController.list_users)
    return panel_page(request, who, container, tenant, assessment_id,
                      many(request.query_params, "judge"))


@post(ONE + "/panel", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_add_judges", status_code=303)
def add_judges(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
               who: Principal, container: Container, data: Form) -> Template | Redirect:
    admit(request, who, AssessmentController.add_judge)
    app, ctx = container.app(tenant), context_of(request.scope)
    chosen = many(data, "judge")
    groups = tuple(many(data, "groups"))  # 考核组 (none: the whole panel)
    errors = [] if chosen else [FieldError("judge", "tick at least one judge")]
    for judge in chosen:
        try:
            app.add_judge(assessment_id, UUID(judge), ctx.cause(), groups=groups)
        except ValueError:
            errors.append(FieldError("judge", "not a valid judge"))
        except DomainError as exc:
            errors.append(FieldError("judge", Refusal.of(exc).message))
    if errors:
        refusal = Refusal.of(RuleViolated("not every judge was added", tuple(errors)))
        return panel_page(request, who, container, tenant, assessment_id, chosen, 422,
                          refusal=refusal)
    return back(tenant, assessment_id, "panel", "panel")


# -- 8. quorum and 出场顺序 -------------------------------------------------------------------

def order_page(request: Request[Any, Any, Any], who: Principal, container: Container,
               tenant: str, assessment_id: UUID, status_code: int = 200,
               **extra: Any) -> Template:
    context = base_context(who, container, tenant, assessment_id, 8, "法定人数与出场顺序",
                           request, **extra)
    assessment = context["assessment"]
    return Template("console/setup/order.html", status_code=status_code, context=context | {
        "order": convert.order_groups(assessment),
        "ordered": any(g.subject_ids for g in assessment.order)})


@get(ONE + "/order", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_order")
def order(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
          container: Container) -> Template:
    admit(request, who, DraftController.order, AssessmentController.change)
    return order_page(request, who, container, tenant, assessment_id)


def refused_on(request: Request[Any, Any, Any], who: Principal, container: Container,
               tenant: str, assessment_id: UUID, exc: DomainError, typed: dict[str, Any],
               page: Any) -> Template:
    return page(request, who, container, tenant, assessment_id, status_code=status_of(exc),
                refusal=Refusal.of(exc), typed=typed)


@post(ONE + "/quorum", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_quorum", status_code=303)
def quorum(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
           container: Container, data: Form) -> Template | Redirect:
    admit(request, who, AssessmentController.change)
    typed = {"quorum": one(data.get("quorum", "")).strip()}
    try:
        text = typed["quorum"]
        if not text.isdigit() or not 1 <= int(text) <= 1000:
            raise RuleViolated("the quorum was not saved",
                               (FieldError("quorum", "a whole number from 1 to 1000"),))
        container.app(tenant).change_setup(assessment_id, {"quorum": int(text)},
                                           context_of(request.scope).cause(), version_of(data))
    except DomainError as exc:
        return refused_on(request, who, container, tenant, assessment_id, exc, typed,
                          order_page)
    return back(tenant, assessment_id, "order", "quorum")


@post(ONE + "/draw", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="setup_draw",
      status_code=303)
def draw(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
         container: Container, data: Form) -> Template | Redirect:
    """抽签, as ``POST …/draw``: the seed typed, or a random one; again only with a reason."""
    admit(request, who, AssessmentController.draw)
    typed = {"seed": one(data.get("seed", "")).strip(),
             "reason": one(data.get("reason", "")).strip()}
    ctx = context_of(request.scope)
    try:
        container.app(tenant).draw(assessment_id, typed["seed"] or secrets.token_hex(8),
                                   ctx.cause(typed["reason"] or None), version_of(data))
    except DomainError as exc:
        return refused_on(request, who, container, tenant, assessment_id, exc, typed,
                          order_page)
    return back(tenant, assessment_id, "order", "draw")


@post(ONE + "/order", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_enter_order", status_code=303)
def enter_order(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                who: Principal, container: Container, data: Form) -> Template | Redirect:
    """出场顺序 by hand, as ``PUT …/order``: each subject's number, per group."""
    admit(request, who, DraftController.enter_order)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)
    typed = {k: one(v).strip() for k, v in data.items() if k.startswith("pos-")}
    typed["reason"] = one(data.get("reason", "")).strip()
    entered: dict[str, list[tuple[int, UUID]]] = {}
    errors = []
    for subject in assessment.subjects.values():
        text = typed.get(f"pos-{subject.id}", "")
        if not text:
            continue
        if not text.isdigit():
            errors.append(FieldError(f"order.{subject.group}",
                                     f"{subject.name} needs its number in the order"))
            continue
        entered.setdefault(subject.group, []).append((int(text), subject.id))
    try:
        if errors:
            raise RuleViolated("the order was not saved", tuple(errors))
        app.enter_order(assessment_id,
                        {g: tuple(i for _, i in sorted(pairs)) for g, pairs in entered.items()},
                        context_of(request.scope).cause(typed["reason"] or None),
                        version_of(data))
    except DomainError as exc:
        return refused_on(request, who, container, tenant, assessment_id, exc, typed,
                          order_page)
    return back(tenant, assessment_id, "order", "order")


# -- 9. publication --------------------------------------------------------------------------

def publication_page(request: Request[Any, Any, Any], who: Principal, container: Container,
                     tenant: str, assessment_id: UUID, status_code: int = 200,
                     **extra: Any) -> Template:
    context = base_context(who, container, tenant, assessment_id, 9, "公示设置", request,
                           **extra)
    return Template("console/setup/publication.html", status_code=status_code,
                    context=context)


@get(ONE + "/publication", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     name="setup_publication")
def publication(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                who: Principal, container: Container) -> Template:
    admit(request, who, AssessmentController.change)
    return publication_page(request, who, container, tenant, assessment_id)


@post(ONE + "/publication", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
      name="setup_save_publication", status_code=303)
def save_publication(request: Request[Any, Any, Any], tenant: str, assessment_id: UUID,
                     who: Principal, container: Container, data: Form) -> Template | Redirect:
    admit(request, who, AssessmentController.change)
    typed = {"ranks": one(data.get("ranks", ""))}
    try:
        if typed["ranks"] not in ("1", "0"):
            raise RuleViolated("the publication settings were not saved",
                               (FieldError("publication.ranks", "choose one"),))
        container.app(tenant).change_setup(assessment_id, {"publish_ranks": typed["ranks"] == "1"},
                                           context_of(request.scope).cause(), version_of(data))
    except DomainError as exc:
        return refused_on(request, who, container, tenant, assessment_id, exc, typed,
                          publication_page)
    return back(tenant, assessment_id, "publication", "publication")


DRAFT_PAGES = [overview, subjects, add_subjects, remove_subject, panel, add_judges, order,
               quorum, draw, enter_order, publication, save_publication]
