"""Jinja2 for the pages: templates beside this module, autoescaped (a school named
``<script>`` is shown as text), with the filters the pages share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.enums import MediaType
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

from tenants.model import DEFAULT_TIME_ZONE

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def local_time(value: datetime | None, zone: str = DEFAULT_TIME_ZONE,
               fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the district reads it: in the tenant's zone (北京时间 by default)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["local_time"] = local_time
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment()))


class Page(Template):
    """A page: HTML whatever the handler's return annotation says (a handler that answers a
    page or a redirect, annotated ``Any``, would otherwise send the page as JSON)."""

    def __init__(self, template_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("media_type", MediaType.HTML)
        super().__init__(template_name, **kwargs)
