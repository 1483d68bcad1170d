"""Public pages, no sign-in: the 公示 of a published round and the certificate check.

They read what the API reads (the sheet as published, ``services.publication``; the
certificate as ``adapters.http.activities.find_certificate`` finds it), limited per client
address like the API's certificate check. An unknown tenant, an unknown or unpublished
round and an unknown code all answer the same Chinese 404, no sooner than the API's floor,
so a page never tells which tenants or rounds exist.

Ranks and scores are shown only when the round publishes them (``publication.ranks``, the
setting the sheet itself follows); otherwise each group lists its subjects by tier, then by
name, so that not even the order tells a rank.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import anyio
import segno
from litestar import Request, get
from litestar.exceptions import TooManyRequestsException

from adapters.container import Container
from adapters.http.activities import NOT_FOUND_FLOOR, find_certificate
from adapters.http.auth import PUBLIC, allow
from adapters.http.ratelimit import client_key, retry_after
from adapters.web.errors import error_page
from adapters.web.templating import Page as Template
from domain.errors import DomainError
from domain.rounding import text
from services.publication import published_event, published_sheet

NO_SHEET = "没有找到这份公示：链接有误，或结果尚未公示。"
NO_CERTIFICATE = "没有找到这张证书：请核对证书编号。"
QR_OPTIONS = {"error": "m", "micro": False}  # tests encode the check link the same way
QR_SCALE = 4


@dataclass(frozen=True)
class Line:
    name: str
    tier: str
    final: str
    rank: int | None


@dataclass(frozen=True)
class Group:
    name: str
    lines: tuple[Line, ...]


def take_public(request: Request[Any, Any, Any], purpose: str) -> None:
    wait = request.app.state.limiter.take(client_key(request.scope, purpose))
    if wait is not None:
        raise TooManyRequestsException("too many requests from this address",
                                       headers={"Retry-After": retry_after(wait)})


async def not_found(started: float, detail: str) -> Template:
    await anyio.sleep(max(0.0, started + NOT_FOUND_FLOOR - time.monotonic()))
    return error_page(404, detail)


def sheet_page(container: Container, tenant: str, assessment_id: UUID) -> dict[str, Any] | None:
    """What the 公示 page shows, or None when there is nothing published to show."""
    district = container.catalogue.get(tenant)
    if district is None or district.status != "active":
        return None
    app = container.app(tenant)
    try:
        assessment = app.assessment(assessment_id)
        sheet = published_sheet(app, assessment)
    except DomainError:
        return None
    ranks = assessment.setup.publish_ranks
    tiers = [t.name for t in assessment.setup.tiers]
    groups = []
    for group in assessment.setup.groups:
        mine = [line for line in sheet.lines if line.group == group.key]
        if ranks:
            mine.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
        else:
            mine.sort(key=lambda r: (tiers.index(r.tier) if r.tier in tiers else len(tiers),
                                     r.name))
        groups.append(Group(group.name, tuple(
            Line(r.name, r.tier or "—", text(r.final, sheet.precision) if ranks else "",
                 r.rank if ranks else None) for r in mine)))
    event = published_event(app, assessment_id)
    said = app.published_opinions(assessment)  # 综合评价意见 and 评语, when the round says so
    components = {c.key: c.name for c in assessment.setup.components}
    opinions = [(line.name, said[line.subject_id].summary,
                 [(components.get(c, c), text) for c, text in said[line.subject_id].comments])
                for line in sheet.lines if line.subject_id in said]
    return {"title": f"{assessment.setup.name} · 公示", "district": district.name,
            "opinions": opinions,
            "assessment": assessment.setup.name, "groups": groups, "ranks": ranks,
            "published_at": event.timestamp if event else None, "zone": district.time_zone,
            "position": sheet.log_position, "head": sheet.log_head}


@get("/p/{tenant:str}/{assessment:str}", opt=allow(PUBLIC), include_in_schema=False)
async def public_results(request: Request[Any, Any, Any], tenant: str, assessment: str,
                         container: Container) -> Template:
    """公示: the published results of a round, for anyone holding the link."""
    await anyio.to_thread.run_sync(take_public, request, "public")
    started = time.monotonic()
    try:
        assessment_id = UUID(assessment)
    except ValueError:
        return await not_found(started, NO_SHEET)
    found = await anyio.to_thread.run_sync(sheet_page, container, tenant, assessment_id)
    if found is None:
        return await not_found(started, NO_SHEET)
    return Template("public/results.html", context=found)


def check_url(request: Request[Any, Any, Any], tenant: str, code: str) -> str:
    """The check link a certificate's QR code carries: this server's own address (behind a
    proxy, the address uvicorn is told it is served at)."""
    return str(request.base_url).rstrip("/") + f"/c/{tenant}/{code}"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno, pure Python; nothing from outside)."""
    return str(segno.make(url, **QR_OPTIONS).svg_inline(scale=QR_SCALE))  # type: ignore[arg-type]


async def certificate_context(request: Request[Any, Any, Any], tenant: str, code: str,
                              container: Container) -> dict[str, Any] | Template:
    await anyio.to_thread.run_sync(take_public, request, "certificate")
    started = time.monotonic()
    found = await anyio.to_thread.run_sync(find_certificate, container, tenant, code)
    if found is None:
        return await not_found(started, NO_CERTIFICATE)
    code = code.upper()
    url = check_url(request, tenant, code)
    return {"title": "证书查验", "holder": found.holder, "theme": found.theme,
            "date": found.date, "issuer": found.issuer, "code": code, "check_url": url,
            "qr": qr_svg(url), "print_url": f"/c/{tenant}/{code}/print"}


@get("/c/{tenant:str}/{code:str}", opt=allow(PUBLIC), include_in_schema=False)
async def certificate_check(request: Request[Any, Any, Any], tenant: str, code: str,
                            container: Container) -> Template:
    """证书查验: holder, theme, date and issuer of the certificate with this code."""
    found = await certificate_context(request, tenant, code, container)
    if isinstance(found, Template):
        return found
    return Template("public/certificate_check.html", context=found)


@get("/c/{tenant:str}/{code:str}/print", opt=allow(PUBLIC), include_in_schema=False)
async def certificate_print(request: Request[Any, Any, Any], tenant: str, code: str,
                            container: Container) -> Template:
    """The certificate to print, with the QR code of its check link. Public by its code:
    the code is what the holder shows anyway, and the page says nothing the check does not."""
    found = await certificate_context(request, tenant, code, container)
    if isinstance(found, Template):
        return found
    found["title"] = "活动证书"
    return Template("public/certificate.html", context=found)


PUBLIC_PAGES = [public_results, certificate_check, certificate_print]
