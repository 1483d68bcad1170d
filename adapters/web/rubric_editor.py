"""评分细则编辑: the editor of a rubric's draft — the indicator tree as one form.

The editing buttons (添加指标、上移、下移、删除、移动、重新编号) post the whole form and get it
back changed, saving nothing: a tree half built may break the rubric's rules. 保存草稿 saves it
as ``PUT /rubrics/{id}`` does (the same service call, the same If-Match version); 发布 saves
what changed, then publishes as ``POST …/publish`` does. A refusal is shown beside the field
it concerns, in Chinese, with everything typed kept. With htmx the form is swapped in place
and ``static/rubrics.js`` keeps the sums live; without JavaScript every button still works."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.context import RequestContext
from adapters.http.rubrics import RubricController
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.errors import status_of
from adapters.web.gate import admit
from adapters.web.rubric_form import Draft, Parsed, Refusal, parse, refusal_of, sums_of
from adapters.web.rubric_list import LIST_PAGES, Form, editor_url
from adapters.web.rubric_tree import one
from adapters.web.templating import Page as Template
from domain.errors import DomainError
from domain.rubric import Rubric
from tenants.model import Principal

BASE = "/t/{tenant:str}/admin/rubrics"
DONE = {"created": "已新建草稿。", "saved": "草稿已保存。", "published": "已发布为第 {n} 版。"}
MOVE_REFUSED = "不能把指标移到它自己或它的下级指标之下"


def htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request[Any, Any, Any], who: Principal, container: Container,
           draft: Draft, rubric: Rubric | None, refusal: Refusal | None = None,
           done: str = "", status: int = 200, unsaved: bool = False) -> Template:
    url = editor_url(who.tenant, rubric.id if rubric else None)
    title = f"编辑评分细则 · {draft.name}" if draft.name else "新建评分细则"
    context = console(
        who, "rubrics", title=title, draft=draft, rubric=rubric, url=url,
        refusal=refusal or Refusal(), done=done, sums=sums_of(draft.tree),
        forms=container.app(who.tenant).settings().all_forms,  # the tenant's activity forms
        rows=list(draft.tree.rows()), unsaved=unsaved,
        versions=sorted(rubric.versions) if rubric else [])
    name = "rubrics/_editor.html" if htmx(request) else "rubrics/edit.html"
    return Template(name, context=context, media_type=MediaType.HTML,
                    status_code=200 if htmx(request) else status)


@get(BASE + "/new", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def new_rubric(request: Request[Any, Any, Any], tenant: str, who: Principal,
               container: Container) -> Template:
    admit(request, who, RubricController.create)
    return render(request, who, container, Draft(total="100"), None)


@get(BASE + "/{rubric_id:uuid}", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def edit_rubric(request: Request[Any, Any, Any], tenant: str, rubric_id: UUID, who: Principal,
                container: Container, done: str = "", n: str = "") -> Template:
    admit(request, who, RubricController.read, RubricController.replace)
    rubric = container.app(tenant).rubric(rubric_id)
    return render(request, who, container, Draft.of(rubric), rubric,
                  done=DONE.get(done, "").format(n=n if n.isdigit() else ""))


@post(BASE + "/new", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def post_new(request: Request[Any, Any, Any], tenant: str, who: Principal, data: Form,
             container: Container, ctx: RequestContext) -> Any:
    admit(request, who, RubricController.create)
    return edited(request, who, container, ctx, None, data)


@post(BASE + "/{rubric_id:uuid}", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def post_edit(request: Request[Any, Any, Any], tenant: str, rubric_id: UUID, who: Principal,
              data: Form, container: Container, ctx: RequestContext) -> Any:
    admit(request, who, RubricController.replace)
    return edited(request, who, container, ctx, container.app(tenant).rubric(rubric_id), data)


def edited(request: Request[Any, Any, Any], who: Principal, container: Container,
           ctx: RequestContext, rubric: Rubric | None, form: dict[str, Any]) -> Any:
    """One press of a button: an editing step (the form again, changed), or a save or a
    publication (the service's answer)."""
    draft = Draft.posted(form)
    op, _, key = one(form.get("op", "")).partition(":")
    tree, refusal = draft.tree, Refusal()
    if op == "add":
        tree.add(key)
    elif op in ("up", "down"):
        tree.shift(key, -1 if op == "up" else 1)
    elif op == "del":
        tree.remove(key)
    elif op == "renumber":
        tree.renumber()
    elif op == "move" and not tree.move(one(form.get("move_node", "")),
                                        one(form.get("move_to", ""))):
        refusal.fields["move"] = MOVE_REFUSED
    elif op in ("save", "publish"):
        return written(request, who, container, ctx, rubric, draft, op == "publish")
    return render(request, who, container, draft, rubric, refusal, unsaved=True)


def written(request: Request[Any, Any, Any], who: Principal, container: Container,
            ctx: RequestContext, rubric: Rubric | None, draft: Draft, publish: bool) -> Any:
    app = container.app(who.tenant)
    created = False
    try:
        parsed = parse(draft)
        if rubric is None:
            made = app.draft_rubric(parsed.name, parsed.step, parsed.indicators, ctx.cause(),
                                    parsed.total, parsed.source)
            rubric, created = app.rubric(made.id), True
        elif changed(rubric, parsed):
            app.replace_rubric_draft(rubric.id, parsed.name, parsed.step, parsed.indicators,
                                     ctx.cause(), draft.expected_version(), parsed.total,
                                     parsed.source)
        number = app.publish_rubric(rubric.id, ctx.cause())[1] if publish else None
    except DomainError as exc:
        if rubric is not None:  # what was saved before the refusal is the form's version now
            rubric = app.rubric(rubric.id)
            draft.version = str(rubric.version)
        return render(request, who, container, draft, rubric, refusal_of(exc, draft.tree),
                      status=status_of(exc), unsaved=True)
    done = "published" if number is not None else ("created" if created else "saved")
    target = editor_url(who.tenant, rubric.id) + f"?done={done}&n={number or ''}"
    if htmx(request):
        if created:  # a new address: the whole page goes there
            return Response(content="", status_code=200, headers={"HX-Redirect": target})
        fresh = app.rubric(rubric.id)
        return render(request, who, container, Draft.of(fresh), fresh,
                      done=DONE[done].format(n=number or ""))
    return Redirect(target, status_code=303)


def changed(rubric: Rubric, parsed: Parsed) -> bool:
    """Whether saving would change the draft (a publication of an unchanged draft must not
    write an empty change first: the domain refuses to publish the same draft twice)."""
    return (rubric.name, rubric.step, rubric.indicators, rubric.total, rubric.source) != (
        parsed.name, parsed.step, parsed.indicators, parsed.total, parsed.source)


RUBRIC_PAGES = [new_rubric, edit_rubric, post_new, post_edit, *LIST_PAGES]
