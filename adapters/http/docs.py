"""The API's own documentation page (/schema): Swagger UI, its scripts, styles and icon served
by kaoping itself, because many district networks reach no public CDN nor Google Fonts.

The files come from the ``swagger-ui-py`` package (Swagger UI 5.24, Apache-2.0), pinned in
pyproject.toml; only the four the page needs are served.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from litestar import Router, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.response import File

ASSETS_PATH = "/schema/assets"
STATIC = Path(swagger_ui.__file__).parent / "static"
SERVED = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


@get("/{name:str}", include_in_schema=False, sync_to_thread=False)
def asset(name: str) -> File:
    if name not in SERVED:
        raise NotFoundException("not found")
    return File(STATIC / name, media_type=SERVED[name], content_disposition_type="inline",
                headers={"Cache-Control": "public, max-age=86400"})


assets = Router(ASSETS_PATH, route_handlers=[asset])


def swagger_page() -> SwaggerRenderPlugin:
    """Swagger UI at /schema (and /schema/swagger), everything from kaoping's own host."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
        path=["/", "/swagger"],
    )
