"""Sign-in links: their address and their QR code (segno, pure Python: an SVG, printed on the
cards handed out in the meeting room)."""

from __future__ import annotations

import io
from typing import Any

import segno
from litestar.connection import ASGIConnection


def link_path(tenant: str, code: str) -> str:
    return f"/s/{tenant}/{code}"


def link_url(connection: ASGIConnection[Any, Any, Any, Any], tenant: str, code: str) -> str:
    """The link as the admin's request reached kaoping: its scheme (https behind a proxy
    uvicorn trusts, which sets it from X-Forwarded-Proto) and host."""
    base = str(connection.base_url).rstrip("/")
    return base + link_path(tenant, code)


def qr_svg(text: str) -> str:
    """An SVG of ``text`` as a QR code (error correction M: a card may get creased)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, scale=4, svgclass="qr",
                                     lineclass=None, nl=False)
    return out.getvalue().decode()
