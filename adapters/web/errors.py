"""A page's refusals are pages too: Chinese, in the site's shell, with the status the API would
give. The words are the API's own (its Chinese catalogue), so a page adds no rule of its own.

A page that can show an error beside the field it concerns (a scoring form) catches the
refusal itself and renders the form again; these handlers are for everything else."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException

from adapters.http.errors import STATUS_OF
from adapters.http.i18n import translate
from adapters.web.templating import Page as Template
from domain.errors import DomainError

log = structlog.get_logger("kaoping.web")

HEADINGS = {400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "页面不存在",
            405: "不支持的操作", 409: "操作冲突", 412: "内容已被他人修改",
            413: "内容过大", 422: "不符合规则", 429: "操作过于频繁",
            500: "系统出错", 503: "系统繁忙"}
SIGN_IN_HINT = "请使用区教研室发放的登录链接（或扫描二维码）登录；链接七天内有效，只能使用一次。"


def error_page(status: int, detail: str, hint: str = "") -> Template:
    return Template("error.html", status_code=status, media_type=MediaType.HTML, context={
        "title": HEADINGS.get(status, "出错了"), "status": status,
        "detail": detail, "hint": hint})


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls][0]  # type: ignore[index]
    return 400


def on_domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return error_page(status_of(exc), translate(exc.detail))  # type: ignore[return-value]


def on_http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException):
        return error_page(401, translate(str(exc.detail)), SIGN_IN_HINT)  # type: ignore[return-value]
    detail = str(exc.detail)
    if isinstance(exc, ValidationException):
        detail = "填写的内容格式不正确"
    return error_page(exc.status_code, translate(detail))  # type: ignore[return-value]


def on_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("page_failed", error=type(exc).__name__)
    return error_page(500, "请稍后再试；问题已记录。")  # type: ignore[return-value]


PAGE_ERRORS: dict[type[Exception], Any] = {
    DomainError: on_domain_error, HTTPException: on_http, Exception: on_unexpected}
