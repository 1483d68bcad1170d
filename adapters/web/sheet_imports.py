"""表格导入 in the console: the clerk picks what the sheet holds (and the round, and for 统分
the judge), downloads its template, uploads the filled .xlsx/.csv and reads the dry run's
report in Chinese — row, column, message; rows fine and in error; unknown columns — then
提交导入 writes every row or none.

The dry run and the commit are the API's own (``adapters/http/imports.py``: ``dry_run_of``,
``commit_of``), so the page checks and writes exactly as ``POST …/imports/{kind}`` and
``POST …/imports/{id}/commit`` do, and admits the roles they admit. The upload admits the
signed-in admin before its body is read (``role_before_body``); with JavaScript it is sent by
htmx with a progress bar (``static/imports.js``) and only the page's main part is replaced;
without it the form posts and the browser is sent to the report's own page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect

from adapters.container import Container
from adapters.http.bodies import SHEET_MAX_BYTES, UPLOAD
from adapters.http.context import RequestContext
from adapters.http.evidence import disposition
from adapters.http.i18n import ZH_CN, translate
from adapters.http.imports import ImportController, commit_of, dry_run_of
from adapters.http.sheets import SheetController
from adapters.postgres.imports import DryRun, ImportStore
from adapters.postgres.versions import schema_of
from adapters.sheets.kinds import KINDS
from adapters.sheets.reading import XLSX
from adapters.sheets.templates import template
from adapters.web.console import PAGE, SIGNED_IN, console
from adapters.web.errors import status_of
from adapters.web.gate import admit, check_whole_tenant, optional_id
from adapters.web.judge_forms import NO_REFUSAL, Refusal
from adapters.web.session import role_before_body
from adapters.web.templating import Page as Template
from domain.errors import DomainError, FieldError, NotFound, RuleViolated, StateConflict
from tenants.model import Principal

HOME = "/t/{tenant:str}/admin/imports"
ONE = HOME + "/{import_id:uuid}"
# (kind, label, what it needs): the order the menu offers them in
LABELS = {"schools": "学校", "users": "用户", "units": "教研组等单位", "communities": "共同体",
          "rubric": "评分细则", "subjects": "被评对象", "order": "出场顺序", "scores": "统分"}
ABOUT = {"schools": "学校名称、分组、学段、片区、外部合作校",
         "users": "姓名、角色、任职单位、学科",
         "units": "教研组、备课组、工作坊：名称、学校、学科、主持人、成员",
         "communities": "共同体名称、类型、范围、核心校、成员校",
         "rubric": "一级指标、权重、二级指标、评价要点、分值、评分说明（合并单元格可直接使用）",
         "subjects": "被评对象名称、类型、分组（导入到所选考核）",
         "order": "分组、顺序、名称（所选考核的出场顺序）",
         "scores": "评委纸质评分表（本系统打印的评分表，或 被评对象/考核项目/指标/得分 四列）"}
NEEDS_ROUND = ("subjects", "order", "scores")
BAD_ROWS = "表格中有错误的行，未写入任何数据。请按下表修改后重新上传。"
CHANGED = "检查之后数据已有变动（例如有人修改了学校或名称），未写入任何数据。请重新上传表格检查。"
TOO_LARGE = f"文件过大：表格不能超过 {SHEET_MAX_BYTES // (1024 * 1024)} MB"


@dataclass
class Choice:
    """What the clerk picked: the kind, and the round and judge where the kind needs them."""

    kind: str = ""
    assessment_id: UUID | None = None
    judge_id: UUID | None = None
    name: str = ""  # a rubric's name (else the sheet's title)

    @classmethod
    def of(cls, values: Any) -> Choice:
        kind = str(values.get("kind") or "")
        return cls(kind if kind in KINDS else "",
                   optional_id(str(values.get("assessment_id") or ""), "assessment_id"),
                   optional_id(str(values.get("judge_id") or ""), "judge_id"),
                   str(values.get("name") or "").strip())

    def missing(self) -> str:
        """Why the upload cannot be offered yet ("" when it can)."""
        if not self.kind:
            return "请先选择要导入的内容。"
        if self.kind in NEEDS_ROUND and self.assessment_id is None:
            return f"导入{LABELS[self.kind]}需要先选择考核。"
        if self.kind == "scores" and self.judge_id is None:
            return "统分需要选择评分表所属的评委。"
        return ""

    def query(self) -> str:
        parts = [f"kind={self.kind}"] if self.kind else []
        parts += [f"assessment_id={self.assessment_id}"] if self.assessment_id else []
        parts += [f"judge_id={self.judge_id}"] if self.judge_id else []
        return "&".join(parts)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def choices_of(container: Container, tenant: str, choice: Choice) -> dict[str, Any]:
    """The rounds to import into, and the chosen round's judges (for 统分)."""
    container.caught_up(tenant)
    with container.views(tenant) as views:
        rounds = [r for r in views.assessments() if r["status"] != "published"]
    judges: list[tuple[str, str]] = []
    if choice.assessment_id is not None and choice.kind == "scores":
        app = container.app(tenant)
        panel = app.assessment(choice.assessment_id).panel  # 404 if unknown
        judges = sorted(((str(j), app.user(j).name) for j in panel), key=lambda p: p[1])
    return {"rounds": rounds, "judges": judges}


def form_page(request: Request[Any, Any, Any], who: Principal, container: Container,
              tenant: str, choice: Choice, refusal: Refusal = NO_REFUSAL,
              status: int = 200) -> Template:
    return Template("imports/index.html", media_type=MediaType.HTML,
                    status_code=200 if is_htmx(request) else status, context=console(
        who, "imports", title="表格导入", choice=choice, labels=LABELS, about=ABOUT,
        needs_round=NEEDS_ROUND, missing=choice.missing(), refusal=refusal,
        home=f"/t/{tenant}/admin/imports", **choices_of(container, tenant, choice)))


@get(HOME, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_imports")
def imports_home(request: Request[Any, Any, Any], tenant: str, who: Principal,
                 container: Container) -> Template:
    admit(request, who, ImportController.dry_run)
    check_whole_tenant(request, who)  # imported records would hang under no node (ADR 28)
    try:
        choice = Choice.of(request.query_params)
    except RuleViolated as exc:
        return form_page(request, who, container, tenant, Choice(), Refusal.of(exc), 422)
    return form_page(request, who, container, tenant, choice)


@get(HOME + "/templates/{file:str}", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True,
     media_type=XLSX)
def template_file(request: Request[Any, Any, Any], tenant: str, file: str, who: Principal,
                  container: Container,
                  assessment_id: UUID | None = None) -> Response[bytes]:
    """下载模板: what ``GET …/templates/{kind}.xlsx`` answers."""
    admit(request, who, SheetController.template)
    kind = KINDS.get(file.removesuffix(".xlsx")) if file.endswith(".xlsx") else None
    if kind is None:
        raise NotFound(f"no template {file}")
    choices: dict[str, list[str]] = {}
    if assessment_id is not None:
        groups = container.app(tenant).assessment(assessment_id).setup.groups
        choices["group"] = [g.name for g in groups]
    return Response(template(kind, choices), media_type=XLSX, headers={
        "content-disposition": disposition(f"{kind.title}导入模板.xlsx")})


def check_sync(request: Request[Any, Any, Any], form: Any, tenant: str, who: Principal,
               container: Container, ctx: RequestContext) -> Any:
    admit(request, who, ImportController.dry_run)
    check_whole_tenant(request, who)
    choice = Choice()
    try:
        choice = Choice.of(form)
        if choice.missing():
            raise RuleViolated(choice.missing(), (FieldError(
                "kind" if not choice.kind else "assessment_id" if choice.assessment_id is None
                else "judge_id", choice.missing()),))
        data, filename = read_upload(form.get("file"))
        params = {k: v for k, v in (
            ("name", choice.name), ("assessment_id", str(choice.assessment_id or "")),
            ("judge_id", str(choice.judge_id or "")),
            ("today", ctx.today().isoformat())) if v}
        answer = dry_run_of(container, tenant, choice.kind, data, filename, params, ctx, ZH_CN,
                            None, choice.assessment_id, choice.judge_id)
    except DomainError as exc:
        refusal = Refusal.of(exc)
        if not refusal.fields:
            refusal.fields["file"] = refusal.message
        return form_page(request, who, container, tenant, choice, refusal, status_of(exc))
    url = f"/t/{tenant}/admin/imports/{answer['id']}"
    if is_htmx(request):  # the report in place; the address is the report's
        return report_page(request, who, container, tenant, UUID(answer["id"]),
                           headers={"HX-Push-Url": url})
    return Redirect(url, status_code=303)


def read_upload(given: Any) -> tuple[bytes, str]:
    if not isinstance(given, UploadFile) or not given.filename:
        raise RuleViolated("请先选择要上传的表格文件",
                           (FieldError("file", "请先选择要上传的表格文件"),))
    given.file.seek(0)
    data = given.file.read(SHEET_MAX_BYTES + 1)
    if len(data) > SHEET_MAX_BYTES:
        raise RuleViolated(TOO_LARGE, (FieldError("file", TOO_LARGE),))
    return data, given.filename


@post(HOME, opt={**PAGE, UPLOAD: True}, dependencies=SIGNED_IN,
      middleware=[role_before_body("admin")])
async def upload_sheet(request: Request[Any, Any, Any], tenant: str, who: Principal,
                       container: Container, ctx: RequestContext) -> Any:
    """上传并检查: the sheet (multipart), checked and kept as a dry run; nothing written."""
    form = await request.form()  # a file past 1 MB is spooled to disk by the framework
    try:
        return await anyio.to_thread.run_sync(partial(
            check_sync, request, form, tenant, who, container, ctx))
    finally:
        for _, value in form.multi_items():
            if isinstance(value, UploadFile):
                await value.close()


def report_page(request: Request[Any, Any, Any], who: Principal, container: Container,
                tenant: str, import_id: UUID, refusal: Refusal = NO_REFUSAL,
                status: int = 200, done: bool = False,
                headers: dict[str, str] | None = None) -> Template:
    with container.tenant_db(tenant) as conn:
        run: DryRun = ImportStore(conn, schema_of(tenant)).get(import_id)  # 404 if unknown
    params = run.params
    choice = Choice(run.kind, UUID(params["assessment_id"]) if params.get("assessment_id")
                    else None, UUID(params["judge_id"]) if params.get("judge_id") else None)
    app = container.app(tenant)
    round_name = (app.assessment(choice.assessment_id).setup.name
                  if choice.assessment_id else "")
    judge_name = app.user(choice.judge_id).name if choice.judge_id else ""
    report = run.report
    bad_rows = sorted({e["row"] for e in report["errors"]})
    unknown = sorted({w["column"] for w in report["warnings"]})
    return Template("imports/report.html", media_type=MediaType.HTML, status_code=status,
                    headers=headers, context=console(
        who, "imports", title=f"表格导入 · {LABELS.get(run.kind, run.kind)} · 检查结果",
        run=run, report=report, label=LABELS.get(run.kind, run.kind), choice=choice,
        round_name=round_name, judge_name=judge_name, bad_rows=bad_rows, unknown=unknown,
        refusal=refusal, done=done, home=f"/t/{tenant}/admin/imports",
        again=f"/t/{tenant}/admin/imports?{choice.query()}",
        url=f"/t/{tenant}/admin/imports/{import_id}"))


@get(ONE, opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True, name="admin_import")
def import_report(request: Request[Any, Any, Any], tenant: str, import_id: UUID,
                  who: Principal, container: Container, done: str = "") -> Template:
    admit(request, who, ImportController.dry_run)
    check_whole_tenant(request, who)
    return report_page(request, who, container, tenant, import_id, done=bool(done))


@post(ONE + "/commit", opt=PAGE, dependencies=SIGNED_IN, sync_to_thread=True)
def commit_import(request: Request[Any, Any, Any], tenant: str, import_id: UUID,
                  who: Principal, container: Container, ctx: RequestContext) -> Any:
    """提交导入: every row in one transaction, or nothing."""
    admit(request, who, ImportController.commit)
    check_whole_tenant(request, who)
    try:
        commit_of(container, tenant, import_id, ctx)
    except (RuleViolated, StateConflict) as exc:
        said = (CHANGED if "changed since the dry run" in exc.detail else BAD_ROWS
                if "rows in error" in exc.detail else f"{translate(exc.detail)}（未写入任何数据）")
        refusal = Refusal(said, {})
        return report_page(request, who, container, tenant, import_id, refusal,
                           status_of(exc))
    return Redirect(f"/t/{tenant}/admin/imports/{import_id}?done=1", status_code=303)


IMPORT_PAGES = [imports_home, template_file, upload_sheet, import_report, commit_import]
